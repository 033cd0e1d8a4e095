#!/usr/bin/python3
"""An outside oracle for mixlab's model: build a fixed tiny GPT in PyTorch (bench/reference/
torch_gpt.py's modules, the architecture of kernel-lib/model/gpt.ts), compute the loss, the
logits and every parameter gradient on one batch, and write them with the weights and the batch
into test/fixtures/torch-oracle/ in mixlab's flat parameter layout (kernel-lib/model/config.ts
paramLayout). test/model/torch-oracle.test.ts runs the native and WebAssembly engines on the same
weights and batch and holds them to this dump; CI reads the committed files and needs no torch.

The reference is computed in float64 from the float32 weights (the engines' exact input), so it
is the fp32 engines' error that the test bounds, not a difference between two fp32 summation
orders. The same model in torch float32 is measured against it too (printed, and recorded in
index.json as torch_float32_error): a correct fp32 implementation with torch's own summation order
must pass the test's tolerance.

Run with Debian's python3-torch (torch 1.13): /usr/bin/python3 bench/reference/dump_torch_oracle.py
Deterministic: a fixed seed, CPU, one thread; rerunning reproduces the files bit for bit.
"""
import hashlib
import json
import math
import os
import re
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_gpt import GPT  # noqa: E402  (sets one thread)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "torch-oracle")

# Odd sizes, so the engines' edge tiles and partial vectors are exercised: d = 24 (3 heads of 8),
# MLP 52, vocabulary 60 (all divisible by 4, as the engines need), 3 sequences of 13.
CFG = {"vocabSize": 60, "blockSize": 16, "nLayer": 2, "nHead": 3, "dModel": 24, "dMlp": 52}
B, T = 3, 13
SCALE_FLOOR = 1e-6  # as in test/model/torch-oracle.test.ts


def layout(nLayer):
    """mixlab's parameter names in paramLayout order, each with the torch parameter holding it and
    whether mixlab stores it transposed (nn.Linear keeps weight [out, in]; mixlab [in, out],
    y = x·W + b)."""
    out = [("wte", "wte.weight", False), ("wpe", "wpe.weight", False)]
    for l in range(nLayer):
        p, t = f"h{l}.", f"blocks.{l}."
        out += [(p + "ln1.g", t + "ln1.weight", False), (p + "ln1.b", t + "ln1.bias", False)]
        for n in ("q", "k", "v", "o"):
            out += [(p + f"attn.w{n}", t + f"{n}.weight", True), (p + f"attn.b{n}", t + f"{n}.bias", False)]
        out += [(p + "ln2.g", t + "ln2.weight", False), (p + "ln2.b", t + "ln2.bias", False)]
        out += [(p + "mlp.w1", t + "fc1.weight", True), (p + "mlp.b1", t + "fc1.bias", False)]
        out += [(p + "mlp.w2", t + "fc2.weight", True), (p + "mlp.b2", t + "fc2.bias", False)]
    out += [("lnf.g", "lnf.weight", False), ("lnf.b", "lnf.bias", False)]
    return out


def mixlab_tensors(model, grad):
    """[(mixlab name, tensor as mixlab stores it)] of the parameters, or of their gradients"""
    named = dict(model.named_parameters())
    out = []
    for name, src, transposed in layout(len(model.blocks)):
        x = named[src].grad if grad else named[src].detach()
        out.append((name, x.t() if transposed else x))
    return out


def build():
    """The fixed model (float32) and batch. GPT-2's init (matrices N(0, 0.02)), then LayerNorm
    gains 1 + N(0, 0.1) and every bias/shift N(0, 0.05), so no gradient is trivially 0 or 1 away
    from a mistake (a dropped LayerNorm-shift gradient, a bias gradient summed wrongly)."""
    torch.manual_seed(20240624)
    m = GPT(CFG["vocabSize"], CFG["blockSize"], CFG["dModel"], CFG["nLayer"], CFG["nHead"], CFG["dMlp"])
    with torch.no_grad():
        for name, p in m.named_parameters():
            if p.dim() == 1:
                is_gain = "ln" in name and name.endswith("weight")  # LayerNorm gain; every other 1-d tensor is a bias/shift
                p.copy_((1.0 if is_gain else 0.0) + torch.randn_like(p) * (0.1 if is_gain else 0.05))
    g = torch.Generator().manual_seed(7)
    tokens = torch.randint(0, CFG["vocabSize"], (B, T + 1), generator=g)
    return m, tokens


def run(model, tokens):
    """loss, logits [B·T, V] and the mixlab-layout gradients of `model`, in the model's dtype"""
    model.zero_grad(set_to_none=True)
    idx, tgt = tokens[:, :-1], tokens[:, 1:]
    loss = model(idx, tgt)
    loss.backward()
    with torch.no_grad():  # GPT.forward's steps up to the logits
        x = model.wte(idx) + model.wpe(torch.arange(T))
        for b in model.blocks:
            x = b(x, model.mask)
        logits = (model.lnf(x) @ model.wte.weight.t()).reshape(B * T, -1)
    return float(loss), logits, mixlab_tensors(model, grad=True)


def flat(tensors, dtype):
    return torch.cat([t.detach().reshape(-1).to(dtype) for t in tensors]).contiguous()


def main():
    m32, tokens = build()
    params32 = flat([t for _, t in mixlab_tensors(m32, grad=False)], torch.float32)
    m64 = GPT(CFG["vocabSize"], CFG["blockSize"], CFG["dModel"], CFG["nLayer"], CFG["nHead"], CFG["dMlp"]).double()
    m64.load_state_dict({k: v.double() for k, v in m32.state_dict().items()})
    loss64, logits64, grads64 = run(m64, tokens)
    loss32, logits32, grads32 = run(m32, tokens)

    entries, off = [], 0
    for name, g in grads64:
        entries.append({"name": name, "shape": list(g.shape), "offset": off, "size": g.numel()})
        off += g.numel()
    assert off == params32.numel()
    grad64 = flat([g for _, g in grads64], torch.float64)
    grad32 = flat([g for _, g in grads32], torch.float64)

    # torch float32 against the float64 oracle, in the test's measure: per tensor, max |Δ| over
    # max(max |ref|, SCALE_FLOOR). The floor is for attn.bk, whose gradient is exactly 0 (adding
    # q·bk shifts a whole row of scores, which softmax ignores): its reference is rounding noise.
    def rel(a, b):
        return float((a - b).abs().max() / max(float(b.abs().max()), SCALE_FLOOR))

    f32err = {"loss": abs(loss32 - loss64), "logits": rel(logits32.double(), logits64)}
    f32err["grad"] = max(rel(grad32[e["offset"]:e["offset"] + e["size"]], grad64[e["offset"]:e["offset"] + e["size"]]) for e in entries)

    os.makedirs(OUT, exist_ok=True)
    files = {
        "params.f32": params32.numpy().astype("<f4").tobytes(),
        "grads.f64": grad64.numpy().astype("<f8").tobytes(),
        "logits.f64": logits64.double().numpy().astype("<f8").tobytes(),
    }
    for f, data in files.items():
        with open(os.path.join(OUT, f), "wb") as fh:
            fh.write(data)
    index = {
        "what": "mixlab GPT in PyTorch: weights, one batch, loss, logits and every parameter gradient (bench/reference/dump_torch_oracle.py)",
        "torch": torch.__version__,
        "config": CFG,
        "B": B,
        "T": T,
        "tokens": tokens.reshape(-1).tolist(),
        "loss": loss64,
        "files": {
            "params.f32": "float32 little-endian, mixlab's flat layout (paramLayout order and offsets below); the engines' input",
            "grads.f64": "float64 little-endian, ∂loss/∂param in the same layout, computed in float64",
            "logits.f64": "float64 little-endian, [B·T, V] logits of inputs tokens[b][0..T-1], computed in float64",
        },
        "sha256": {f: hashlib.sha256(d).hexdigest() for f, d in files.items()},
        "torch_float32_error": f32err,
        "tensors": entries,
    }
    text = json.dumps(index, indent=1, ensure_ascii=False)
    text = re.sub(r"\[\s+([-0-9.e,\s]+?)\s+\]", lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text)
    with open(os.path.join(OUT, "index.json"), "w") as fh:
        fh.write(text + "\n")
    print(f"wrote {OUT}: {params32.numel()} params, loss {loss64:.9f} (log V = {math.log(CFG['vocabSize']):.4f})")
    print(f"torch float32 vs float64: loss {f32err['loss']:.3g}, logits {f32err['logits']:.3g}, worst gradient tensor {f32err['grad']:.3g} (max |Δ| / max |ref|)")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""PyTorch CPU reference for `npm run bench:train`: the same GPT as kernel-lib/model/gpt.ts
(token + learned position embedding, pre-LN blocks, separate q/k/v projections with bias, causal
attention, tanh-GELU MLP, final LayerNorm, output tied to the token embedding) trained with the
same optimiser (AdamW β=(0.9, 0.95), eps 1e-8, weight decay 0.1 on matrices only, gradient
clipping at 1.0) on random byte batches, one thread.

Run with Debian's python3-torch (`/usr/bin/python3`, torch 1.13). It serves timing requests as
JSON lines on stdin so the benchmark can interleave it with mixlab's engines:
  {"V":256,"T":128,"B":16,"d":128,"L":2,"H":4,"m":512,"steps":3}
→ {"params":445952,"step_wall_ms":[...],"step_cpu_ms":[...],"loss":...}

`--device cuda` (bench/train-gpu.ts) runs it on the GPU instead: all threads, float32 with TF32
matmuls off (torch's default; WebGPU computes in float32 too), each step timed to
torch.cuda.synchronize(); the reply adds "device" (the GPU's name).
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

DEVICE = sys.argv[sys.argv.index("--device") + 1] if "--device" in sys.argv else "cpu"
if DEVICE == "cpu":
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
else:
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False


def sync():
    if DEVICE != "cpu":
        torch.cuda.synchronize()


class Block(nn.Module):
    def __init__(self, d, H, m):
        super().__init__()
        self.H = H
        self.ln1 = nn.LayerNorm(d)
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.o = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, m)
        self.fc2 = nn.Linear(m, d)

    def forward(self, x, mask):
        B, T, d = x.shape
        hd = d // self.H
        a = self.ln1(x)
        # [B, T, d] → [B, H, T, hd]
        q = self.q(a).view(B, T, self.H, hd).transpose(1, 2)
        k = self.k(a).view(B, T, self.H, hd).transpose(1, 2)
        v = self.v(a).view(B, T, self.H, hd).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
        att = att.masked_fill(mask[:T, :T] == 0, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, d)
        x = x + self.o(y)
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self, V, Tm, d, L, H, m):
        super().__init__()
        self.wte = nn.Embedding(V, d)
        self.wpe = nn.Embedding(Tm, d)
        self.blocks = nn.ModuleList([Block(d, H, m) for _ in range(L)])
        self.lnf = nn.LayerNorm(d)
        self.register_buffer("mask", torch.tril(torch.ones(Tm, Tm)))
        for p in self.parameters():
            if p.dim() == 2:
                nn.init.normal_(p, 0.0, 0.02)

    def forward(self, idx, targets):
        B, T = idx.shape
        x = self.wte(idx) + self.wpe(torch.arange(T, device=idx.device))
        for b in self.blocks:
            x = b(x, self.mask)
        logits = self.lnf(x) @ self.wte.weight.t()  # tied output
        return F.cross_entropy(logits.view(B * T, -1), targets.reshape(B * T))


_cache = {}


def run(req):
    V, T, B, d, L, H, m = (int(req[k]) for k in ("V", "T", "B", "d", "L", "H", "m"))
    key = (V, T, B, d, L, H, m)
    if key not in _cache:
        torch.manual_seed(0)
        model = GPT(V, T, d, L, H, m).to(DEVICE)
        decay = [p for p in model.parameters() if p.dim() == 2]
        other = [p for p in model.parameters() if p.dim() != 2]
        opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                                lr=1e-3, betas=(0.9, 0.95), eps=1e-8)
        _cache[key] = (model, opt)
    model, opt = _cache[key]
    g = torch.Generator().manual_seed(1)
    walls, cpus, loss = [], [], float("nan")
    for _ in range(int(req["steps"])):
        batch = torch.randint(0, V, (B, T + 1), generator=g).to(DEVICE)
        sync()
        w0, c0 = time.perf_counter(), time.process_time()
        loss = model(batch[:, :-1], batch[:, 1:])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sync()
        walls.append((time.perf_counter() - w0) * 1e3)
        cpus.append((time.process_time() - c0) * 1e3)
    return {"params": sum(p.numel() for p in model.parameters()), "step_wall_ms": walls, "step_cpu_ms": cpus,
            "loss": float(loss), "torch": torch.__version__, "threads": torch.get_num_threads(),
            "device": torch.cuda.get_device_name() if DEVICE != "cpu" else "cpu"}


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            out = run(json.loads(line))
        except Exception as e:  # report, keep serving
            out = {"error": repr(e)}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

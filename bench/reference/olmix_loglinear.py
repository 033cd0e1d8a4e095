#!/usr/bin/env python3
"""Reference side of `npm run bench:fit`: Olmix's log-linear fit, written here in PyTorch from
its description — not Olmix's code. The algorithm follows allenai/olmix @ 9586977:

  law       y = exp(p[0]) + exp(x @ p[1:])                      (olmix/fit/utils.py mixing_law)
  starts    np.random.seed(42) per target; for c in linspace(-2, 1.5, 10), S draws of
            t_j = -U(0,1) if j == idx else 0.1*U(0,1), idx = the target's index among the
            fitted targets                             (init_params_log_linear_law, LogLinearRegressor)
  per start float32 parameters; torch.optim.LBFGS(lr=0.01, history_size=10, max_iter=20,
            line_search_fn="strong_wolfe"); 100 outer steps, each one optimizer.step on the
            summed Huber loss (delta 0.02); after each step the mean Huber loss on the training
            rows; keep the parameters of the lowest seen      (olmix/fit/law.py fit_scaling_laws)
  across    the start with the lowest such loss                (ScalingLaw.fit)

Olmix runs S = 30 (300 starts) on 4 worker processes; here S is a flag (the benchmark uses a
reduced count) and one process with one thread.

usage: olmix_loglinear.py JOB.json  ->  JSON on stdout
JOB = {"X": [[...], ...], "targets": {"name": [y...]}, "idx": {"name": int}, "starts_per_c": S}
out = {"torch": ver, "targets": {"name": {"params": [...], "loss": float, "starts": int,
        "fit_s": wall, "fit_cpu_s": cpu}}}
"""
import json
import sys
import time

import numpy as np
import torch


def law(x, p):
    return torch.exp(p[0]) + torch.exp(x @ p[1:])


def fit_start(x, y, init, delta=0.02, outer_steps=100):
    param = torch.nn.Parameter(torch.tensor(init, dtype=torch.float32))
    opt = torch.optim.LBFGS([param], lr=0.01, history_size=10, max_iter=20, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.huber_loss(y, law(x, param), delta=delta, reduction="sum")
        loss.backward()
        return loss

    best, best_p = float("inf"), None
    for _ in range(outer_steps):
        opt.step(closure)
        with torch.no_grad():
            v = torch.nn.functional.huber_loss(law(x, param), y, delta=delta).item()
        if v <= best:
            best, best_p = v, param.detach().clone()
    return best, best_p


def main():
    job = json.load(open(sys.argv[1]))
    torch.set_num_threads(1)
    x = torch.tensor(np.array(job["X"], dtype=np.float32))
    d = x.shape[1]
    s = int(job["starts_per_c"])
    out = {"torch": torch.__version__, "targets": {}}
    for name, ys in job["targets"].items():
        y = torch.tensor(np.array(ys, dtype=np.float32))
        idx = int(job["idx"][name])
        np.random.seed(42)
        inits = []
        for c in np.linspace(-2, 1.5, 10):
            for _ in range(s):
                inits.append([c] + [-np.random.rand() if j == idx else np.random.rand() * 0.1 for j in range(d)])
        t0, c0 = time.perf_counter(), time.process_time()
        best, best_p = float("inf"), None
        for init in inits:
            v, p = fit_start(x, y, init)
            if p is not None and v < best:
                best, best_p = v, p
        out["targets"][name] = {
            "params": [float(v) for v in best_p.tolist()],
            "loss": best,
            "starts": len(inits),
            "fit_s": time.perf_counter() - t0,
            "fit_cpu_s": time.process_time() - c0,
        }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

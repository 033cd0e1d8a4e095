#!/usr/bin/env python3
"""Reference timing for `npm run bench:regmix`: scikit-learn's HistGradientBoostingRegressor
with the parameters that match mixlab's GBDT defaults (learning_rate 0.01, 1000 iterations,
31 leaves, min 20 rows per leaf, 255 bins, no early stopping, no L2 regularisation), fitted on
the RegMix 1M train rows for each of the 13 loss targets, plus a prediction timing on N random
Dirichlet candidates. Prints one JSON object on stdout.

usage: sklearn_hgb.py DATA_DIR [--candidates N] [--targets a,b,...] [--repeats R]
Threads follow OMP_NUM_THREADS (the caller runs it with 1 and with the default).
"""
import argparse
import csv
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingRegressor
from scipy.stats import spearmanr


def read_csv(path):
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    return header, np.array([[float(c) for c in r] for r in body], dtype=np.float64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir")
    ap.add_argument("--candidates", type=int, default=1_000_000)
    ap.add_argument("--targets", default="")
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    d = args.data_dir
    mh, mix = read_csv(os.path.join(d, "train_mixture_1m.csv"))
    lh, loss = read_csv(os.path.join(d, "train_pile_loss_1m.csv"))
    th, tmix = read_csv(os.path.join(d, "test_mixture_1m.csv"))
    _, tloss = read_csv(os.path.join(d, "test_pile_loss_1m.csv"))
    X, Xt = mix[:, 1:], tmix[:, 1:]
    wanted = [t for t in args.targets.split(",") if t]
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__,
           "omp_num_threads": os.environ.get("OMP_NUM_THREADS", "default"), "targets": []}
    model = None
    for j, col in enumerate(lh[1:], start=1):
        name = col.replace("metric/the_pile_", "").replace("_val_loss", "")
        if wanted and name not in wanted:
            continue
        best = float("inf")
        best_cpu = float("inf")
        for _ in range(args.repeats):
            model = HistGradientBoostingRegressor(
                learning_rate=0.01, max_iter=1000, max_leaf_nodes=31, min_samples_leaf=20,
                max_bins=255, early_stopping=False, l2_regularization=0.0, random_state=42)
            t0, c0 = time.perf_counter(), time.process_time()
            model.fit(X, loss[:, j])
            best = min(best, time.perf_counter() - t0)
            best_cpu = min(best_cpu, time.process_time() - c0)
        rho = spearmanr(model.predict(Xt), tloss[:, j]).correlation
        out["targets"].append({"target": name, "fit_s": best, "fit_cpu_s": best_cpu, "n_iter": int(model.n_iter_),
                               "test_spearman_x100": 100 * rho})
    if model is not None and args.candidates > 0:
        rng = np.random.default_rng(42)
        cand = rng.dirichlet(np.ones(X.shape[1]), args.candidates)
        t0, c0 = time.perf_counter(), time.process_time()
        model.predict(cand)
        out["predict_s"] = time.perf_counter() - t0
        out["predict_cpu_s"] = time.process_time() - c0
        out["predict_rows"] = args.candidates
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

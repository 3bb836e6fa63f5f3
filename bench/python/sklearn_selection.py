#!/usr/bin/env python3
"""scikit-learn peer of `PruneNotebook.Bench selection`: Lasso paths and cross-validation on the shipped datasets.

Reads data/tabular/*.csv as PruneNotebook does (float32 values, standardized features), then times with default
tolerances (tol=1e-4): lasso_path with 100 alphas (eps=1e-3) on diabetes and breast cancer, LassoCV(cv=5) on diabetes,
and cross_val_score of LogisticRegression(C=1) with StratifiedKFold(5) on breast cancer.
Prints one JSON line of median seconds. Run with Debian's scikit-learn:
    /usr/bin/python3 bench/python/sklearn_selection.py --repeats 5
"""
import argparse
import csv
import json
import os
import pathlib
import statistics
import sys
import time

try:
    import numpy as np
    import sklearn
    from sklearn.linear_model import LassoCV, LogisticRegression, lasso_path
    from sklearn.model_selection import StratifiedKFold, cross_val_score
except ImportError:
    print("scikit-learn missing: apt-get install python3-sklearn", file=sys.stderr)
    sys.exit(4)

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load(name):
    with open(ROOT / "data" / "tabular" / f"{name}.csv") as f:
        rows = list(csv.reader(f))
    t = rows[0].index("target")
    x = np.array([[float(v) for i, v in enumerate(r) if i != t] for r in rows[1:]], dtype=np.float32).astype(np.float64)
    raw = [r[t] for r in rows[1:]]
    try:
        y = np.array([float(v) for v in raw])
    except ValueError:
        classes = sorted(set(raw))
        y = np.array([classes.index(v) for v in raw], dtype=np.float64)
    return (x - x.mean(axis=0)) / x.std(axis=0), y


def median_seconds(action, repeats):
    action()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    diabetes, cancer = load("diabetes"), load("breast_cancer")

    def path(data):
        x, y = data
        return lambda: lasso_path(x - x.mean(axis=0), y - y.mean(), n_alphas=100, eps=1e-3)

    result = {
        "sklearn_version": sklearn.__version__,
        "threads": os.environ.get("OMP_NUM_THREADS", "default"),
        "lasso_path_diabetes": median_seconds(path(diabetes), args.repeats),
        "lasso_path_breast_cancer": median_seconds(path(cancer), args.repeats),
        "lasso_cv_diabetes": median_seconds(lambda: LassoCV(cv=5).fit(*diabetes), args.repeats),
        "logistic_cv_breast_cancer": median_seconds(
            lambda: cross_val_score(LogisticRegression(C=1.0, max_iter=1000), *cancer, cv=StratifiedKFold(5)), args.repeats),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

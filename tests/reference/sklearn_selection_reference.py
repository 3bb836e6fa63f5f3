#!/usr/bin/env python3
"""Reference values from scikit-learn 1.2 for PruneNotebook's selection parity tests.

Run with Debian's scikit-learn (python3-sklearn):
    /usr/bin/python3 tests/reference/sklearn_selection_reference.py
Writes tests/PruneNotebook.Core.Tests/Reference/sklearn-selection.json.

The data are the CSV files shipped in data/tabular/, read the way PruneNotebook reads them: feature values rounded
to float32, class names encoded in sorted order, and features standardized with the population standard deviation
(StandardScaler), the result rounded to float32 again, as PruneNotebook's Standardizer returns float32 features.
Targets stay unscaled. Solvers run to tight tolerances so the values are the optima, not a solver's stopping point:
- "linear": LinearRegression / Ridge / Lasso / ElasticNet coefficients and intercepts at fixed alpha;
- "paths": lasso_path / enet_path on centred data with the automatic alpha grid;
- "cv": LassoCV / ElasticNetCV with cv=5 (KFold without shuffling): chosen alpha and mean test MSE per alpha;
- "logistic": LogisticRegression (L2) coefficients, binary and multinomial. The newton-cg solver is used because
  lbfgs stops on its relative objective change (ftol) with gradients still near 1e-4, short of the optimum;
- "rfe": RFE selections and rankings for fixed estimator settings;
- "stratified_folds": StratifiedKFold(5) test indices without shuffling;
- "ols_information_criteria": AIC/BIC of a small OLS problem computed by hand as statsmodels defines them
  (llf = -n/2 (log(2 pi) + log(SSR/n) + 1), k = parameters including the constant).
"""
import csv
import json
import math
import pathlib
import warnings

import numpy as np
from sklearn.feature_selection import RFE
from sklearn.linear_model import (ElasticNet, ElasticNetCV, Lasso, LassoCV, LinearRegression, LogisticRegression, Ridge,
                                  enet_path, lasso_path)
from sklearn.model_selection import StratifiedKFold

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "PruneNotebook.Core.Tests" / "Reference" / "sklearn-selection.json"
warnings.filterwarnings("ignore")


def load(name):
    with open(ROOT / "data" / "tabular" / f"{name}.csv") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    t = header.index("target")
    x = np.array([[float(v) for i, v in enumerate(r) if i != t] for r in body], dtype=np.float32).astype(np.float64)
    raw = [r[t] for r in body]
    try:
        y = np.array([float(v) for v in raw], dtype=np.float32).astype(np.float64)
    except ValueError:
        classes = sorted(set(raw))
        y = np.array([classes.index(v) for v in raw], dtype=np.float64)
    return x, y


def standardize(x):
    return ((x - x.mean(axis=0)) / x.std(axis=0)).astype(np.float32).astype(np.float64)


def floats(a):
    return [float(v) for v in np.ravel(a)]


data = {name: load(name) for name in ["diabetes", "breast_cancer", "wine", "iris"]}
std = {name: (standardize(x), y) for name, (x, y) in data.items()}
TIGHT = dict(tol=1e-12, max_iter=1_000_000)

linear = []
for dataset, estimator, params in [
    ("diabetes", LinearRegression, {}),
    ("diabetes", Ridge, {"alpha": 1.0}),
    ("diabetes", Ridge, {"alpha": 100.0}),
    ("diabetes", Lasso, {"alpha": 1.0}),
    ("diabetes", Lasso, {"alpha": 0.1}),
    ("diabetes", ElasticNet, {"alpha": 0.5, "l1_ratio": 0.5}),
    ("diabetes", Lasso, {"alpha": 1.0, "fit_intercept": False}),
    ("breast_cancer", Lasso, {"alpha": 0.01}),
    ("breast_cancer", ElasticNet, {"alpha": 0.01, "l1_ratio": 0.7}),
    ("breast_cancer", Ridge, {"alpha": 1.0}),
    ("wine", Lasso, {"alpha": 0.05}),
]:
    x, y = std[dataset]
    extra = TIGHT if estimator in (Lasso, ElasticNet) else {}
    model = estimator(**params, **extra).fit(x, y)
    linear.append({"dataset": dataset, "estimator": estimator.__name__, "params": params,
                   "coef": floats(model.coef_), "intercept": float(model.intercept_)})

paths = []
for dataset, l1_ratio in [("diabetes", 1.0), ("diabetes", 0.5), ("breast_cancer", 1.0)]:
    x, y = std[dataset]
    xc, yc = x - x.mean(axis=0), y - y.mean()
    if l1_ratio == 1.0:
        alphas, coefs, _ = lasso_path(xc, yc, n_alphas=100, eps=1e-3, tol=1e-12, max_iter=1_000_000)
    else:
        alphas, coefs, _ = enet_path(xc, yc, l1_ratio=l1_ratio, n_alphas=100, eps=1e-3, tol=1e-12, max_iter=1_000_000)
    paths.append({"dataset": dataset, "l1_ratio": l1_ratio, "alphas": floats(alphas),
                  "coefs": [floats(coefs[:, a]) for a in range(coefs.shape[1])]})

cv = []
for dataset, l1_ratio in [("diabetes", 1.0), ("diabetes", 0.5)]:
    x, y = std[dataset]
    model = (LassoCV(cv=5, tol=1e-12, max_iter=1_000_000) if l1_ratio == 1.0
             else ElasticNetCV(l1_ratio=l1_ratio, cv=5, tol=1e-12, max_iter=1_000_000)).fit(x, y)
    cv.append({"dataset": dataset, "l1_ratio": l1_ratio, "alpha": float(model.alpha_), "alphas": floats(model.alphas_),
               "mean_mse": floats(model.mse_path_.mean(axis=-1)), "coef": floats(model.coef_), "intercept": float(model.intercept_)})

logistic = []
for dataset, c in [("breast_cancer", 0.1), ("breast_cancer", 1.0), ("wine", 1.0), ("iris", 10.0)]:
    x, y = std[dataset]
    model = LogisticRegression(C=c, solver="newton-cg", tol=1e-12, max_iter=100_000).fit(x, y)
    logistic.append({"dataset": dataset, "C": c, "coef": [floats(r) for r in model.coef_], "intercept": floats(model.intercept_)})

rfe = []
for dataset, estimator, params, k, step in [
    ("breast_cancer", LogisticRegression, {"C": 0.1}, 10, 1),
    ("breast_cancer", Ridge, {"alpha": 1.0}, 8, 3),
    ("diabetes", LinearRegression, {}, 5, 1),
    ("wine", LogisticRegression, {"C": 1.0}, 5, 2),
]:
    x, y = std[dataset]
    extra = {"solver": "newton-cg", "tol": 1e-12, "max_iter": 100_000} if estimator is LogisticRegression else {}
    selector = RFE(estimator(**params, **extra), n_features_to_select=k, step=step).fit(x, y)
    rfe.append({"dataset": dataset, "estimator": estimator.__name__, "params": params, "k": k, "step": step,
                "support": [int(i) for i in np.flatnonzero(selector.support_)], "ranking": [int(r) for r in selector.ranking_]})

folds = []
for dataset in ["wine", "breast_cancer"]:
    _, y = data[dataset]
    folds.append({"dataset": dataset, "folds": 5,
                  "test": [[int(i) for i in test] for _, test in StratifiedKFold(5).split(np.zeros(len(y)), y)]})

# A small OLS problem: the first 40 rows of diabetes, features bmi, bp, s5 (unscaled), with a constant.
x, y = data["diabetes"]
xs = x[:40, [2, 3, 8]]
ys = y[:40]
design = np.column_stack([np.ones(len(ys)), xs])
beta, *_ = np.linalg.lstsq(design, ys, rcond=None)
ssr = float(((ys - design @ beta) ** 2).sum())
n, k = len(ys), design.shape[1]
llf = -n / 2 * (math.log(2 * math.pi) + math.log(ssr / n) + 1)
ols = {"rows": 40, "columns": [2, 3, 8], "coef": floats(beta[1:]), "intercept": float(beta[0]), "ssr": ssr, "llf": llf, "k": k,
       "aic": -2 * llf + 2 * k, "bic": -2 * llf + math.log(n) * k}

OUT.write_text(json.dumps({"sklearn": __import__("sklearn").__version__, "linear": linear, "paths": paths, "cv": cv,
                           "logistic": logistic, "rfe": rfe, "stratified_folds": folds, "ols_information_criteria": ols}, indent=1))
print(f"wrote {OUT.relative_to(ROOT)}")

#!/usr/bin/env python3
"""Reference values from PyTorch's torch.optim for PruneNotebook's optimizer and schedule parity tests.

Run with Debian's PyTorch (python3-torch, 1.13):
    /usr/bin/python3 tests/reference/pytorch_optim_reference.py
Writes tests/PruneNotebook.Core.Tests/Reference/pytorch-optim.json:
- "problem": a fixed two-layer MLP (Linear 4->6, tanh, Linear 6->3) with its initial weights, and fixed data
  (12 examples, 3 classes) trained with cross-entropy;
- "optimizers": for each optimizer configuration, the parameters after 10 steps on that problem. Mini-batches are
  rows [4k mod 12, 4k mod 12 + 4) at step k; the "gd" configuration takes one full-batch step per iteration.
  One configuration also changes the learning rate before every step with StepLR, as a trainer driving a schedule does;
- "schedules": for each learning-rate scheduler, the rate before the first step and after each scheduler step
  (ReduceLROnPlateau is fed a fixed metric sequence).
Everything is deterministic: fixed seeds, float32 parameters, one thread.
"""
import json
import pathlib
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim import lr_scheduler as sched

OUT = pathlib.Path(__file__).resolve().parents[1] / "PruneNotebook.Core.Tests" / "Reference" / "pytorch-optim.json"
torch.set_num_threads(1)
# SequentialLR itself calls step(0) on the next scheduler at a milestone, which PyTorch 1.13 warns about.
warnings.filterwarnings("ignore", message="The epoch parameter", category=UserWarning)

STEPS = 10
BATCH = 4


def floats(t):
    return [float(v) for v in t.detach().flatten()]


# ---------------------------------------------------------------- the fixed problem
torch.manual_seed(2024)
x = torch.randn(12, 4)
y = torch.tensor([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2])


def mlp():
    return nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3))


torch.manual_seed(7)
initial = mlp()
NAMES = {"0.weight": "fc1.weight", "0.bias": "fc1.bias", "2.weight": "fc2.weight", "2.bias": "fc2.bias"}


def parameters(model):
    return {NAMES[n]: {"shape": list(p.shape), "values": floats(p)} for n, p in model.named_parameters()}


OPTIMIZERS = {
    "sgd": lambda ps, c: torch.optim.SGD(ps, lr=c["lr"], momentum=c["momentum"], dampening=0,
                                         weight_decay=c["weight_decay"], nesterov=c["nesterov"]),
    "gd": lambda ps, c: torch.optim.SGD(ps, lr=c["lr"], weight_decay=c["weight_decay"]),
    "adagrad": lambda ps, c: torch.optim.Adagrad(ps, lr=c["lr"], weight_decay=c["weight_decay"]),
    "rmsprop": lambda ps, c: torch.optim.RMSprop(ps, lr=c["lr"], momentum=c["momentum"], weight_decay=c["weight_decay"]),
    "adam": lambda ps, c: torch.optim.Adam(ps, lr=c["lr"], betas=(c["beta1"], c["beta2"]), weight_decay=c["weight_decay"]),
    "adamw": lambda ps, c: torch.optim.AdamW(ps, lr=c["lr"], betas=(c["beta1"], c["beta2"]), weight_decay=c["weight_decay"]),
}


def optimizer_case(name, optimizer, lr, momentum=0.0, weight_decay=0.0, nesterov=False, beta1=0.9, beta2=0.999,
                   step_schedule=None):
    config = {"name": name, "optimizer": optimizer, "lr": lr, "momentum": momentum, "weight_decay": weight_decay,
              "nesterov": nesterov, "beta1": beta1, "beta2": beta2, "full_batch": optimizer == "gd"}
    model = mlp()
    model.load_state_dict(initial.state_dict())
    opt = OPTIMIZERS[optimizer](model.parameters(), config)
    scheduler = None
    if step_schedule is not None:
        config["step_schedule"] = {"step_size": step_schedule[0], "gamma": step_schedule[1]}
        scheduler = sched.StepLR(opt, step_size=step_schedule[0], gamma=step_schedule[1])
    rates = []
    for k in range(STEPS):
        if config["full_batch"]:
            xb, yb = x, y
        else:
            start = (BATCH * k) % len(x)
            xb, yb = x[start:start + BATCH], y[start:start + BATCH]
        rates.append(opt.param_groups[0]["lr"])
        opt.zero_grad()
        F.cross_entropy(model(xb), yb).backward()
        opt.step()
        if scheduler is not None:
            scheduler.step()
    config["rates"] = rates
    config["parameters"] = parameters(model)
    return config


optimizers = [
    optimizer_case("sgd", "sgd", 0.1),
    optimizer_case("sgd_momentum", "sgd", 0.1, momentum=0.9),
    optimizer_case("sgd_nesterov", "sgd", 0.1, momentum=0.9, nesterov=True),
    optimizer_case("sgd_weight_decay", "sgd", 0.1, momentum=0.5, weight_decay=0.05),
    optimizer_case("sgd_momentum_step_schedule", "sgd", 0.2, momentum=0.9, step_schedule=(3, 0.5)),
    optimizer_case("gd", "gd", 0.5),
    optimizer_case("adagrad", "adagrad", 0.1),
    optimizer_case("adagrad_weight_decay", "adagrad", 0.1, weight_decay=0.1),
    optimizer_case("rmsprop", "rmsprop", 0.01),
    optimizer_case("rmsprop_momentum", "rmsprop", 0.01, momentum=0.9),
    optimizer_case("adam", "adam", 0.05),
    optimizer_case("adam_betas", "adam", 0.05, beta1=0.8, beta2=0.99),
    optimizer_case("adam_weight_decay", "adam", 0.05, weight_decay=0.1),
    optimizer_case("adamw", "adamw", 0.05, weight_decay=0.1),
]


# ---------------------------------------------------------------- schedules
def rates(make, steps, base=0.1, metrics=None):
    p = nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=base)
    scheduler = make(opt)
    out = [opt.param_groups[0]["lr"]]
    for k in range(steps):
        opt.step()
        if metrics is None:
            scheduler.step()
        else:
            scheduler.step(metrics[k])
        out.append(opt.param_groups[0]["lr"])
    return out


def schedule_case(name, make, steps, base=0.1, metrics=None, **args):
    case = {"name": name, "base": base, "args": args, "rates": rates(make, steps, base, metrics)}
    if metrics is not None:
        case["metrics"] = metrics
    return case


plateau_min = [1.0, 0.9, 0.95, 0.9, 0.89995, 0.91, 0.7, 0.8, 0.8, 0.8, 0.8, 0.8, 0.69, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
plateau_max = [0.5, 0.6, 0.6, 0.61, 0.61, 0.58, 0.7, 0.7, 0.7]

schedules = [
    schedule_case("step", lambda o: sched.StepLR(o, step_size=3, gamma=0.5), 12, step_size=3, gamma=0.5),
    schedule_case("multistep", lambda o: sched.MultiStepLR(o, milestones=[2, 5, 9], gamma=0.3), 12,
                  milestones=[2, 5, 9], gamma=0.3),
    schedule_case("exponential", lambda o: sched.ExponentialLR(o, gamma=0.9), 12, gamma=0.9),
    schedule_case("cosine", lambda o: sched.CosineAnnealingLR(o, T_max=7), 7, t_max=7, eta_min=0.0),
    schedule_case("cosine_eta_min_past_t_max", lambda o: sched.CosineAnnealingLR(o, T_max=10, eta_min=0.001), 25,
                  t_max=10, eta_min=0.001),
    schedule_case("cosine_restarts", lambda o: sched.CosineAnnealingWarmRestarts(o, T_0=4), 13, t0=4, t_mult=1,
                  eta_min=0.0),
    schedule_case("cosine_restarts_doubling", lambda o: sched.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.01),
                  25, t0=3, t_mult=2, eta_min=0.01),
    schedule_case("linear_warmup", lambda o: sched.LinearLR(o, start_factor=0.1, total_iters=5), 9,
                  warmup=5, start_factor=0.1),
    schedule_case("warmup_then_cosine",
                  lambda o: sched.SequentialLR(o, [sched.LinearLR(o, start_factor=0.25, total_iters=4),
                                                   sched.CosineAnnealingLR(o, T_max=16)], milestones=[4]),
                  20, warmup=4, start_factor=0.25, t_max=16, eta_min=0.0),
    schedule_case("onecycle", lambda o: sched.OneCycleLR(o, max_lr=0.5, total_steps=20, cycle_momentum=False), 20,
                  max_rate=0.5, total_steps=20, pct_start=0.3, div_factor=25.0, final_div_factor=1e4),
    schedule_case("onecycle_custom",
                  lambda o: sched.OneCycleLR(o, max_lr=0.2, total_steps=17, pct_start=0.25, div_factor=10.0,
                                             final_div_factor=100.0, cycle_momentum=False),
                  17, max_rate=0.2, total_steps=17, pct_start=0.25, div_factor=10.0, final_div_factor=100.0),
    schedule_case("plateau_min",
                  lambda o: sched.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=2, threshold=1e-4,
                                                    cooldown=1, min_lr=0.01),
                  len(plateau_min), metrics=plateau_min, mode="min", factor=0.5, patience=2, threshold=1e-4,
                  cooldown=1, min_rate=0.01),
    schedule_case("plateau_max",
                  lambda o: sched.ReduceLROnPlateau(o, mode="max", factor=0.2, patience=0, threshold=0.01),
                  len(plateau_max), metrics=plateau_max, mode="max", factor=0.2, patience=0, threshold=0.01,
                  cooldown=0, min_rate=0.0),
]

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps({
    "generator": f"torch {torch.__version__}, tests/reference/pytorch_optim_reference.py",
    "problem": {
        "x": {"shape": list(x.shape), "values": floats(x)},
        "y": [int(v) for v in y],
        "batch_size": BATCH,
        "steps": STEPS,
        "initial": parameters(initial),
    },
    "optimizers": optimizers,
    "schedules": schedules,
}, indent=1) + "\n")
print(f"wrote {OUT}")

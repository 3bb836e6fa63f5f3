#!/usr/bin/env python3
"""Reference values from PyTorch's torch.nn.utils.prune for pruned models trained in a user's own loop.

Run with Debian's PyTorch (python3-torch, 1.13):
    /usr/bin/python3 tests/reference/pytorch_masked_loop_reference.py
Writes tests/PruneNotebook.Core.Tests/Reference/pytorch-masked-loop.json:
- "problem": a small CNN (Conv2d 1->3 3x3, ReLU, Flatten, Linear 48->5, ReLU, Linear 5->3) with its initial
  parameters, a fixed mask for each of its three weights (about half of the entries pruned, drawn with a fixed seed),
  and fixed data (16 examples of 1x6x6, 3 classes);
- "cases": for each optimizer configuration, the network pruned with prune.custom_from_mask and trained for 20 steps
  by a plain loop (zero_grad, cross-entropy, backward, step) on mini-batches [4k mod 16, 4k mod 16 + 4); the loss
  of every step, and the weights the module uses after the last step (weight_orig * weight_mask) and biases.
  The "manual" case updates the parameters by hand: p -= lr * p.grad under no_grad.
Everything is deterministic: fixed seeds, float32 parameters, one thread.
"""
import json
import pathlib

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import prune

OUT = pathlib.Path(__file__).resolve().parents[1] / "PruneNotebook.Core.Tests" / "Reference" / "pytorch-masked-loop.json"
torch.set_num_threads(1)

STEPS = 20
BATCH = 4
NAMES = {"0": "conv", "3": "fc1", "5": "fc2"}


def floats(t):
    return [float(v) for v in t.detach().flatten()]


def network():
    return nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.Flatten(), nn.Linear(48, 5), nn.ReLU(), nn.Linear(5, 3))


torch.manual_seed(11)
x = torch.randn(16, 1, 6, 6)
y = torch.tensor([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 1, 2, 0, 1])
torch.manual_seed(5)
initial = network()
torch.manual_seed(6)
masks = {index: (torch.rand_like(getattr(initial, index).weight) >= 0.5).float() for index in NAMES}

OPTIMIZERS = {
    "sgd": lambda ps, c: torch.optim.SGD(ps, lr=c["lr"], momentum=c["momentum"], weight_decay=c["weight_decay"],
                                         nesterov=c["nesterov"]),
    "adam": lambda ps, c: torch.optim.Adam(ps, lr=c["lr"], weight_decay=c["weight_decay"]),
    "adamw": lambda ps, c: torch.optim.AdamW(ps, lr=c["lr"], weight_decay=c["weight_decay"]),
    "rmsprop": lambda ps, c: torch.optim.RMSprop(ps, lr=c["lr"], momentum=c["momentum"], weight_decay=c["weight_decay"]),
    "adagrad": lambda ps, c: torch.optim.Adagrad(ps, lr=c["lr"], weight_decay=c["weight_decay"]),
}


def case(name, optimizer, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    config = {"name": name, "optimizer": optimizer, "lr": lr, "momentum": momentum, "weight_decay": weight_decay,
              "nesterov": nesterov}
    model = network()
    model.load_state_dict(initial.state_dict())
    for index in NAMES:
        prune.custom_from_mask(getattr(model, index), "weight", masks[index])
    opt = None if optimizer == "manual" else OPTIMIZERS[optimizer](model.parameters(), config)
    losses = []
    for k in range(STEPS):
        start = (BATCH * k) % len(x)
        xb, yb = x[start:start + BATCH], y[start:start + BATCH]
        if opt is not None:
            opt.zero_grad()
        else:
            for p in model.parameters():
                p.grad = None
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        losses.append(float(loss))
        if opt is not None:
            opt.step()
        else:
            with torch.no_grad():
                for p in model.parameters():
                    p.sub_(lr * p.grad)
    config["losses"] = losses
    config["after"] = {}
    for index, name in NAMES.items():
        module = getattr(model, index)
        config["after"][f"{name}.weight"] = floats(module.weight_orig * module.weight_mask)
        config["after"][f"{name}.bias"] = floats(module.bias)
    return config


problem = {
    "x": {"shape": list(x.shape), "values": floats(x)},
    "y": [int(v) for v in y],
    "parameters": {f"{NAMES[n.split('.')[0]]}.{n.split('.')[1]}": {"shape": list(p.shape), "values": floats(p)}
                   for n, p in initial.named_parameters()},
    "masks": {f"{name}.weight": floats(masks[index]) for index, name in NAMES.items()},
}
cases = [
    case("sgd_momentum_nesterov_weight_decay", "sgd", 0.05, momentum=0.9, weight_decay=1e-2, nesterov=True),
    case("sgd_weight_decay", "sgd", 0.1, weight_decay=0.05),
    case("adam_weight_decay", "adam", 0.02, weight_decay=1e-2),
    case("adamw", "adamw", 0.02, weight_decay=0.1),
    case("rmsprop_momentum", "rmsprop", 0.005, momentum=0.9, weight_decay=1e-3),
    case("adagrad", "adagrad", 0.1, weight_decay=1e-3),
    case("manual", "manual", 0.1),
]
OUT.write_text(json.dumps({"torch": torch.__version__, "steps": STEPS, "batch": BATCH, "problem": problem, "cases": cases}))
print(f"wrote {OUT}")

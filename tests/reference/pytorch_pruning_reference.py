#!/usr/bin/env python3
"""Reference masks from PyTorch's torch.nn.utils.prune for PruneNotebook's parity tests.

Run with Debian's PyTorch (python3-torch, 1.13):
    /usr/bin/python3 tests/reference/pytorch_pruning_reference.py
Writes tests/PruneNotebook.Core.Tests/Reference/pytorch-pruning.json: for fixed weights, the masks
that l1_unstructured, ln_structured (dims 0 and 1), global_unstructured and repeated pruning produce,
plus PyTorch's error messages for invalid amounts.
"""
import json
import pathlib

import torch
import torch.nn as nn
import torch.nn.utils.prune as prune

OUT = pathlib.Path(__file__).resolve().parents[1] / "PruneNotebook.Core.Tests" / "Reference" / "pytorch-pruning.json"


def model(seed):
    torch.manual_seed(seed)
    return nn.ModuleDict({"fc": nn.Linear(12, 10), "conv": nn.Conv2d(3, 6, 3)})


def weights(m):
    return {f"{name}.weight": {"shape": list(mod.weight.shape), "values": [float(v) for v in mod.weight.detach().flatten()]}
            for name, mod in m.items()}


def masks(m):
    out = {}
    for name, mod in m.items():
        if hasattr(mod, "weight_mask"):
            out[f"{name}.weight"] = [int(v) for v in mod.weight_mask.flatten()]
    return out


cases = []


def case(name, seed, action, **details):
    m = model(seed)
    initial = weights(m)
    action(m)
    cases.append({"name": name, "weights": initial, "masks": masks(m), **details})


case("l1_unstructured_fraction", 1, lambda m: prune.l1_unstructured(m["fc"], "weight", amount=0.3),
     method="l1", scope="local", amount="0.3", targets=["fc.weight"])
case("l1_unstructured_count", 2, lambda m: prune.l1_unstructured(m["conv"], "weight", amount=37),
     method="l1", scope="local", amount="37", targets=["conv.weight"])
case("l1_unstructured_twice_composes", 3,
     lambda m: (prune.l1_unstructured(m["fc"], "weight", amount=0.5), prune.l1_unstructured(m["fc"], "weight", amount=0.5)),
     method="l1", scope="local", amount="0.5", repeat=2, targets=["fc.weight"])
case("ln_structured_dim0_l2", 4, lambda m: prune.ln_structured(m["conv"], "weight", amount=0.5, n=2, dim=0),
     method="ln", n=2, dim=0, scope="local", amount="0.5", targets=["conv.weight"])
case("ln_structured_dim1_l1", 5, lambda m: prune.ln_structured(m["fc"], "weight", amount=0.34, n=1, dim=1),
     method="ln", n=1, dim=1, scope="local", amount="0.34", targets=["fc.weight"])
case("ln_structured_dim1_conv_linf", 6, lambda m: prune.ln_structured(m["conv"], "weight", amount=1, n=float("inf"), dim=1),
     method="ln", n="inf", dim=1, scope="local", amount="1", targets=["conv.weight"])
case("global_unstructured", 7,
     lambda m: prune.global_unstructured([(m["fc"], "weight"), (m["conv"], "weight")], pruning_method=prune.L1Unstructured, amount=0.6),
     method="l1", scope="global", amount="0.6", targets=["fc.weight", "conv.weight"])
case("global_after_local", 8,
     lambda m: (prune.l1_unstructured(m["fc"], "weight", amount=0.5),
                prune.global_unstructured([(m["fc"], "weight"), (m["conv"], "weight")], pruning_method=prune.L1Unstructured, amount=0.5)),
     method="l1", scope="global", amount="0.5", first_local_fc="0.5", targets=["fc.weight", "conv.weight"])


def rounding(size, amount):
    t = nn.Linear(size, 1)
    prune.l1_unstructured(t, "weight", amount=amount)
    return int((t.weight_mask == 0).sum())


# Python's round() is half-to-even: 0.5 of 5 entries prunes 2, 0.5 of 7 prunes 4.
roundings = [{"size": s, "amount": a, "pruned": rounding(s, a)} for s, a in [(5, 0.5), (7, 0.5), (3, 0.5), (10, 0.25), (10, 0.35)]]

# Ties: integers 0..4 repeated; PyTorch prunes exactly k of them, which of the tied ones is its own choice.
torch.manual_seed(9)
tied = torch.randint(0, 5, (10, 12)).float()
ties = []
for amount in [0.1, 0.3, 0.55]:
    t = nn.Linear(12, 10)
    with torch.no_grad():
        t.weight.copy_(tied)
    prune.l1_unstructured(t, "weight", amount=amount)
    ties.append({"amount": str(amount), "pruned": int((t.weight_mask == 0).sum()),
                 "mask": [int(v) for v in t.weight_mask.flatten()]})


def error(amount, size=48):
    try:
        prune.l1_unstructured(nn.Linear(size, 1), "weight", amount=amount)
    except (ValueError, TypeError) as e:
        return str(e)
    return None


errors = {"negative": error(-0.1), "above_one": error(1.5), "negative_count": error(-3), "count_too_large": error(100)}

# A state_dict saved by PyTorch from a pruned model: weight_orig + weight_mask for the pruned layers.
saved = model(10)
prune.l1_unstructured(saved["fc"], "weight", amount=0.5)
prune.ln_structured(saved["conv"], "weight", amount=0.5, n=2, dim=0)
OUT.parent.mkdir(parents=True, exist_ok=True)
torch.save(saved.state_dict(), OUT.parent / "pytorch-pruned-fcconv.pt")
saved_state = {
    "file": "pytorch-pruned-fcconv.pt",
    "keys": sorted(saved.state_dict().keys()),
    "masks": masks(saved),
    "effective": {f"{n}.weight": [float(v) for v in mod.weight.detach().flatten()] for n, mod in saved.items()},
    "bias": {f"{n}.bias": [float(v) for v in mod.bias.detach().flatten()] for n, mod in saved.items()},
}

OUT.write_text(json.dumps({
    "generator": f"torch {torch.__version__}, tests/reference/pytorch_pruning_reference.py",
    "cases": cases,
    "roundings": roundings,
    "ties": {"shape": [10, 12], "values": [float(v) for v in tied.flatten()], "results": ties},
    "errors": errors,
    "saved_state_dict": saved_state,
}, indent=1) + "\n")
print(f"wrote {OUT.relative_to(pathlib.Path.cwd()) if OUT.is_relative_to(pathlib.Path.cwd()) else OUT}")

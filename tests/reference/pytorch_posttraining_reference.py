#!/usr/bin/env python3
"""Reference results of post-training pruning (Wanda, SparseGPT, LAMP, N:M) for PruneNotebook's parity tests.

Run with Debian's PyTorch (python3-torch, 1.13):
    /usr/bin/python3 tests/reference/pytorch_posttraining_reference.py
Writes tests/PruneNotebook.Core.Tests/Reference/pytorch-posttraining.json. The network is fc1 (Linear 16->32), ReLU,
fc2 (Linear 32->8) with fixed weights, and 24 fixed calibration inputs whose columns have very different scales (so
activation-aware scores differ from magnitude). The algorithms follow the papers' reference code:
- Wanda (Sun et al. 2023, github.com/locuslab/wanda, prune_wanda): |W| * sqrt(scaler_row), scaler_row the mean of
  x_j^2 over the calibration rows; unstructured: the int(in * ratio) smallest of each row (stable sort); N:M: in each group
  of M inputs the M-N smallest. Statistics come from the dense network in one pass.
- SparseGPT (Frantar & Alistarh 2023, github.com/IST-DASLab/sparsegpt, SparseGPT.fasterprune): H = 2/n sum x x^T, dead
  columns, dampening percdamp * mean(diag H), U = upper Cholesky factor of H^-1, column blocks, per block the mask of the
  smallest W^2 / diag(U)^2, error feedback within and after the block. Layers are pruned in order, each calibrated on the
  already pruned layers before it. One deliberate difference: unstructured blocks prune exactly round(sparsity * numel)
  entries (PruneNotebook's PyTorch amount semantics), where the reference code's `tmp <= thresh` prunes one more.
- LAMP (Lee et al. 2021): per layer, sorted by W^2 ascending, score(u) = W[u]^2 / sum_{v >= u} W[v]^2; global
  pruning with one threshold over both layers.
"""
import json
import math
import pathlib

import torch
import torch.nn as nn

OUT = pathlib.Path(__file__).resolve().parents[1] / "PruneNotebook.Core.Tests" / "Reference" / "pytorch-posttraining.json"
torch.set_default_dtype(torch.float32)


def network(seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 8))


def calibration(seed):
    g = torch.Generator().manual_seed(seed)
    scales = torch.exp(torch.linspace(-2.0, 2.0, 16))[torch.randperm(16, generator=g)]
    return torch.randn(24, 16, generator=g) * scales


def flat(t):
    return [float(v) for v in t.detach().flatten()]


def ints(t):
    return [int(v) for v in t.detach().flatten()]


def layer_inputs(net, x):
    with torch.no_grad():
        h = net[1](net[0](x))
    return {"fc1": x, "fc2": h}


def wanda_mask(weight, inputs, ratio=None, n=None, m=None):
    scaler_row = (inputs ** 2).sum(0) / inputs.shape[0]
    metric = weight.abs() * torch.sqrt(scaler_row.reshape(1, -1))
    pruned = torch.zeros_like(metric, dtype=torch.bool)
    if n is not None:
        for ii in range(metric.shape[1]):
            if ii % m == 0:
                tmp = metric[:, ii:ii + m].float()
                pruned.scatter_(1, ii + torch.topk(tmp, m - n, dim=1, largest=False)[1], True)
    else:
        indices = torch.sort(metric, dim=-1, stable=True)[1][:, :int(metric.shape[1] * ratio)]
        pruned.scatter_(1, indices, True)
    return (~pruned).int()


def sparsegpt_layer(weight, inputs, sparsity=None, n=None, m=None, blocksize=16, percdamp=0.01):
    W = weight.detach().clone().float()
    columns = W.shape[1]
    H = torch.zeros(columns, columns)
    nsamples = 0
    for row in inputs.split(8):  # the reference accumulates batch by batch
        tmp = row.shape[0]
        H *= nsamples / (nsamples + tmp)
        nsamples += tmp
        inp = math.sqrt(2 / nsamples) * row.t().float()
        H += inp.matmul(inp.t())
    dead = torch.diag(H) == 0
    H[dead, dead] = 1
    W[:, dead] = 0
    Losses = torch.zeros(W.shape[0])
    damp = percdamp * torch.mean(torch.diag(H))
    diag = torch.arange(columns)
    H[diag, diag] += damp
    H = torch.linalg.cholesky(H)
    H = torch.cholesky_inverse(H)
    H = torch.linalg.cholesky(H, upper=True)
    Hinv = H
    mask = None
    full_mask = torch.zeros_like(W, dtype=torch.bool)
    for i1 in range(0, columns, blocksize):
        i2 = min(i1 + blocksize, columns)
        count = i2 - i1
        W1 = W[:, i1:i2].clone()
        Q1 = torch.zeros_like(W1)
        Err1 = torch.zeros_like(W1)
        Hinv1 = Hinv[i1:i2, i1:i2]
        if n is None:
            tmp = W1 ** 2 / (torch.diag(Hinv1).reshape((1, -1))) ** 2
            k = round(tmp.numel() * sparsity)  # see the module docstring
            mask1 = torch.zeros_like(W1, dtype=torch.bool)
            mask1.view(-1)[torch.sort(tmp.flatten(), stable=True)[1][:k]] = True
        else:
            mask1 = torch.zeros_like(W1, dtype=torch.bool)
        for i in range(count):
            w = W1[:, i]
            d = Hinv1[i, i]
            if n is not None and i % m == 0:
                tmp = W1[:, i:(i + m)] ** 2 / (torch.diag(Hinv1)[i:(i + m)].reshape((1, -1))) ** 2
                mask1.scatter_(1, i + torch.topk(tmp, m - n, dim=1, largest=False)[1], True)
            q = w.clone()
            q[mask1[:, i]] = 0
            Q1[:, i] = q
            Losses += (w - q) ** 2 / d ** 2 / 2
            err1 = (w - q) / d
            W1[:, i:] -= err1.unsqueeze(1).matmul(Hinv1[i, i:].unsqueeze(0))
            Err1[:, i] = err1
        W[:, i1:i2] = Q1
        full_mask[:, i1:i2] = mask1
        W[:, i2:] -= Err1.matmul(Hinv[i1:i2, i2:])
    return W, (~full_mask).int()


def sparsegpt_network(net, x, **options):
    net = network_copy(net)
    results = {}
    for name, index in (("fc1", 0), ("fc2", 2)):
        with torch.no_grad():
            inputs = x if index == 0 else net[1](net[0](x))
            w, keep = sparsegpt_layer(net[index].weight, inputs, **options)
            net[index].weight.copy_(w)
        results[f"{name}.weight"] = {"weight": flat(w), "mask": ints(keep)}
    return results


def network_copy(net):
    copy = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 8))
    copy.load_state_dict(net.state_dict())
    return copy


def lamp_scores(weight):
    w2 = weight.detach().flatten() ** 2
    sorted_w2, order = torch.sort(w2, stable=True)
    tails = torch.flip(torch.cumsum(torch.flip(sorted_w2.double(), [0]), 0), [0])
    scores = torch.empty_like(tails)
    scores[order] = sorted_w2.double() / tails
    return scores.reshape(weight.shape)


def lamp_global_masks(weights, amount):
    scores = [lamp_scores(w) for w in weights]
    everything = torch.cat([s.flatten() for s in scores])
    k = round(amount * everything.numel())
    threshold_order = torch.sort(everything, stable=True)[1][:k]
    keep = torch.ones_like(everything, dtype=torch.int64)
    keep[threshold_order] = 0
    out, offset = [], 0
    for s in scores:
        out.append(keep[offset:offset + s.numel()])
        offset += s.numel()
    return scores, out


def magnitude_nm(weight, n, m):
    metric = weight.abs()
    pruned = torch.zeros_like(metric, dtype=torch.bool)
    for ii in range(0, metric.shape[1], m):
        pruned.scatter_(1, ii + torch.topk(metric[:, ii:ii + m], m - n, dim=1, largest=False)[1], True)
    return (~pruned).int()


net = network(7)
x = calibration(8)
inputs = layer_inputs(net, x)
state = {name: {"shape": list(p.shape), "values": flat(p)} for name, p in net.state_dict().items()}
state = {name.replace("0.", "fc1.", 1).replace("2.", "fc2.", 1): v for name, v in state.items()}
lamp, lamp_masks = lamp_global_masks([net[0].weight, net[2].weight], 0.6)

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps({
    "generator": f"torch {torch.__version__}, tests/reference/pytorch_posttraining_reference.py",
    "parameters": state,
    "calibration": {"shape": list(x.shape), "values": flat(x)},
    "wanda_unstructured_0.5": {f"{n}.weight": ints(wanda_mask(net[i].weight, inputs[n], ratio=0.5)) for n, i in (("fc1", 0), ("fc2", 2))},
    "wanda_2:4": {f"{n}.weight": ints(wanda_mask(net[i].weight, inputs[n], n=2, m=4)) for n, i in (("fc1", 0), ("fc2", 2))},
    "magnitude_2:4": {f"{n}.weight": ints(magnitude_nm(net[i].weight, 2, 4)) for n, i in (("fc1", 0), ("fc2", 2))},
    "sparsegpt_unstructured_0.5": sparsegpt_network(net, x, sparsity=0.5, blocksize=16, percdamp=0.01),
    "sparsegpt_2:4": sparsegpt_network(net, x, n=2, m=4, blocksize=16, percdamp=0.01),
    "lamp_scores": {"fc1.weight": flat(lamp[0]), "fc2.weight": flat(lamp[1])},
    "lamp_global_0.6": {"fc1.weight": ints(lamp_masks[0]), "fc2.weight": ints(lamp_masks[1])},
}, indent=1) + "\n")
print(f"wrote {OUT}")

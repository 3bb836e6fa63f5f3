#!/usr/bin/env python3
"""PyTorch peer of the quality half of `PruneNotebook.Bench posttraining`: reads a trained CharGpt (weights, as our
bench wrote them), the calibration windows and the validation windows from a JSON file, prunes every Linear layer of
the blocks one-shot the way the papers' code does (github locuslab/wanda lib/prune.py: prune_magnitude, prune_wanda,
prune_sparsegpt; block by block, each block calibrated on the outputs of the already pruned blocks, statistics of a
block's layers from one pass of that block), at 50 % unstructured and at 2:4, and prints one JSON line of validation
perplexities. Embeddings and the head stay dense, as in the papers.
Run with Debian's PyTorch: /usr/bin/python3 bench/python/posttraining_quality.py --input FILE --threads 2
"""
import argparse
import json
import math
import sys

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    sys.exit(3)

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from posttraining import CharGpt, fasterprune  # noqa: E402  (the same architecture and SparseGPT as the timing peer)


def load(model, weights):
    """Our parameter names -> the peer's."""
    names = {"tokens.weight": "tokens.weight", "position.weight": "position", "norm.weight": "norm.weight",
             "norm.bias": "norm.bias", "head.weight": "head.weight", "head.bias": "head.bias"}
    for i in range(len(model.blocks)):
        ours, theirs = f"blocks.{i}.", f"blocks.{i}."
        for p in ("weight", "bias"):
            names[f"{ours}attention.norm.{p}"] = f"{theirs}norm1.{p}"
            names[f"{ours}mlp.norm.{p}"] = f"{theirs}norm2.{p}"
            names[f"{ours}mlp.inner.fc1.{p}"] = f"{theirs}fc1.{p}"
            names[f"{ours}mlp.inner.fc2.{p}"] = f"{theirs}fc2.{p}"
            for m in ("query", "key", "value", "output"):
                names[f"{ours}attention.inner.{m}.{p}"] = f"{theirs}attention.{m}.{p}"
    state = model.state_dict()
    for name, entry in weights.items():
        state[names[name]].copy_(torch.tensor(entry["values"], dtype=torch.float32).reshape(entry["shape"]))


def block_linears(block):
    return [(n, m) for n, m in block.named_modules() if isinstance(m, nn.Linear)]


def nm_mask(metric, n, m):
    """True where pruned: the m - n lowest of each group of m columns (prune_n = m - n in the papers' code)."""
    mask = torch.zeros_like(metric, dtype=torch.bool)
    for ii in range(0, metric.shape[1], m):
        tmp = metric[:, ii:ii + m].float()
        mask.scatter_(1, ii + torch.topk(tmp, m - n, dim=1, largest=False)[1], True)
    return mask


@torch.no_grad()
def prune(model, method, calibration, nm):
    if method == "magnitude":
        for block in model.blocks:
            for _, layer in block_linears(block):
                W = layer.weight.data
                metric = W.abs()
                if nm:
                    mask = nm_mask(metric, *nm)
                else:
                    mask = torch.zeros_like(W, dtype=torch.bool)
                    mask.view(-1)[torch.sort(metric.flatten(), stable=True)[1][:int(W.numel() * 0.5)]] = True
                W[mask] = 0
        return
    inps = model.tokens(calibration) + model.position[: calibration.shape[1]]
    for block in model.blocks:
        layers = block_linears(block)
        stats = {n: [torch.zeros(m.in_features), torch.zeros(m.in_features, m.in_features), 0] for n, m in layers}

        def hook(name):
            def add(_, inputs):
                x = inputs[0].reshape(-1, inputs[0].shape[-1]).float()
                stats[name][0] += (x ** 2).sum(0)
                stats[name][1] += x.t() @ x
                stats[name][2] += x.shape[0]
            return add
        handles = [m.register_forward_pre_hook(hook(n)) for n, m in layers]
        for batch in inps.split(32):
            block(batch)
        for h in handles:
            h.remove()
        for name, layer in layers:
            W = layer.weight.data
            if method == "wanda":
                metric = W.abs() * torch.sqrt(stats[name][0] / stats[name][2]).reshape(1, -1)
                if nm:
                    mask = nm_mask(metric, *nm)
                else:
                    mask = torch.zeros_like(W, dtype=torch.bool)
                    mask.scatter_(1, torch.sort(metric, dim=-1, stable=True)[1][:, :int(W.shape[1] * 0.5)], True)
                W[mask] = 0
            else:
                H = stats[name][1].clone()
                W.copy_(fasterprune(W, H, 0.5, prune_n=nm[0], prune_m=nm[1]) if nm else fasterprune(W, H, 0.5))
        inps = torch.cat([block(batch) for batch in inps.split(32)])


@torch.no_grad()
def perplexity(model, features, labels):
    total, count = 0.0, 0
    for x, y in zip(features.split(64), labels.split(64)):
        logits = model(x)
        total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum").item()
        count += y.numel()
    return math.exp(total / count)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with open(args.input) as f:
        spec = json.load(f)
    calibration = torch.tensor(spec["calibration"], dtype=torch.long)
    features = torch.tensor(spec["validation_features"], dtype=torch.long)
    labels = torch.tensor(spec["validation_labels"], dtype=torch.long)
    result = {"torch": torch.__version__}
    dense = CharGpt(**spec["config"]).eval()
    load(dense, spec["weights"])
    result["dense"] = perplexity(dense, features, labels)
    for setting, nm in (("0.5", None), ("2:4", (2, 4))):
        for method in ("magnitude", "wanda", "sparsegpt"):
            model = CharGpt(**spec["config"]).eval()
            model.load_state_dict(dense.state_dict())
            prune(model, method, calibration, nm)
            result[f"{method}@{setting}"] = perplexity(model, features, labels)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

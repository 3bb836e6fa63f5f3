#!/usr/bin/env python3
"""PyTorch peer of `PruneNotebook.Bench posttraining`: on a CharGpt-shaped causal transformer (embedding 96 -> 64,
2 pre-norm blocks with separate q/k/v/out Linear layers and a 256-wide GELU MLP, final LayerNorm, head 64 -> 96; random
weights, timing only) and 128 calibration windows of 64 tokens: magnitude scoring (|W|) of every Linear weight,
Wanda's calibration pass (forward pre-hooks summing x_j^2) and its scoring (|W| * sqrt(norm)), and SparseGPT at 50 %
on every Linear layer, block by block as the paper's code does (each block's Hessians from one pass of that block over
the outputs of the already pruned blocks; fasterprune, block 128, damping 0.01). Prints one JSON line of median seconds.
Run with Debian's PyTorch: /usr/bin/python3 bench/python/posttraining.py --threads 2 --repeats 3
"""
import argparse
import json
import math
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    sys.exit(3)


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value, self.output = (nn.Linear(dim, dim) for _ in range(4))

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = (m(x).view(b, t, self.heads, -1).transpose(1, 2) for m in (self.query, self.key, self.value))
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.heads)
        scores = scores.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
        return self.output((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    def __init__(self, dim, heads, hidden):
        super().__init__()
        self.norm1, self.attention, self.norm2 = nn.LayerNorm(dim), Attention(dim, heads), nn.LayerNorm(dim)
        self.fc1, self.fc2 = nn.Linear(dim, hidden), nn.Linear(hidden, dim)

    def forward(self, x):
        x = x + self.attention(self.norm1(x))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class CharGpt(nn.Module):
    def __init__(self, vocabulary=96, context=64, dim=64, depth=2, heads=4, hidden=256):
        super().__init__()
        self.tokens = nn.Embedding(vocabulary, dim)
        self.position = nn.Parameter(torch.randn(context, dim) * 0.02)
        self.blocks = nn.Sequential(*(Block(dim, heads, hidden) for _ in range(depth)))
        self.norm, self.head = nn.LayerNorm(dim), nn.Linear(dim, vocabulary)

    def forward(self, x):
        return self.head(self.norm(self.blocks(self.tokens(x) + self.position[: x.shape[1]])))


def linears(model):
    return [(n, m) for n, m in model.named_modules() if isinstance(m, nn.Linear)]


def gather(model, x, layers, gram):
    stats, hooks = {}, []
    for name, module in layers:
        stats[name] = [torch.zeros(module.in_features), torch.zeros(module.in_features, module.in_features) if gram else None]

        def hook(_, inputs, name=name):
            inp = inputs[0].reshape(-1, inputs[0].shape[-1]).float()
            stats[name][0] += (inp ** 2).sum(0)
            if stats[name][1] is not None:
                stats[name][1] += inp.t() @ inp
        hooks.append(module.register_forward_pre_hook(hook))
    with torch.no_grad():
        for batch in x.split(32):
            model(batch)
    for h in hooks:
        h.remove()
    return stats


def fasterprune(W, H, sparsity, blocksize=128, percdamp=0.01, prune_n=0, prune_m=0):
    """The paper's SparseGPT.fasterprune: unstructured at `sparsity`, or N:M with prune_n / prune_m (sparsity unused)."""
    W = W.clone().float()
    columns = W.shape[1]
    dead = torch.diag(H) == 0
    H[dead, dead] = 1
    W[:, dead] = 0
    damp = percdamp * torch.mean(torch.diag(H))
    diag = torch.arange(columns)
    H[diag, diag] += damp
    Hinv = torch.linalg.cholesky(torch.cholesky_inverse(torch.linalg.cholesky(H)), upper=True)
    for i1 in range(0, columns, blocksize):
        i2 = min(i1 + blocksize, columns)
        count = i2 - i1
        W1, Q1, Err1 = W[:, i1:i2].clone(), torch.zeros(W.shape[0], count), torch.zeros(W.shape[0], count)
        Hinv1 = Hinv[i1:i2, i1:i2]
        if prune_n == 0:
            tmp = W1 ** 2 / (torch.diag(Hinv1).reshape((1, -1))) ** 2
            thresh = torch.sort(tmp.flatten())[0][int(tmp.numel() * sparsity)]
            mask1 = tmp <= thresh
        else:
            mask1 = torch.zeros_like(W1, dtype=torch.bool)
        for i in range(count):
            w, d = W1[:, i], Hinv1[i, i]
            if prune_n != 0 and i % prune_m == 0:
                tmp = W1[:, i:i + prune_m] ** 2 / (torch.diag(Hinv1)[i:i + prune_m].reshape((1, -1))) ** 2
                mask1.scatter_(1, i + torch.topk(tmp, prune_m - prune_n, dim=1, largest=False)[1], True)
            q = w.clone()
            q[mask1[:, i]] = 0
            Q1[:, i] = q
            err1 = (w - q) / d
            W1[:, i:] -= err1.unsqueeze(1).matmul(Hinv1[i, i:].unsqueeze(0))
            Err1[:, i] = err1
        W[:, i1:i2] = Q1
        W[:, i2:] -= Err1.matmul(Hinv[i1:i2, i2:])
    return W


def timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = CharGpt().eval()
    x = torch.randint(96, (128, 64))
    layers = linears(model)
    runs = {"magnitude_scoring_s": [], "wanda_calibration_s": [], "wanda_scoring_s": [], "sparsegpt_s": []}
    for _ in range(args.repeats):
        runs["magnitude_scoring_s"].append(timed(lambda: [m.weight.detach().abs() for _, m in layers]))
        stats = {}
        runs["wanda_calibration_s"].append(timed(lambda: stats.update(gather(model, x, layers, gram=False))))
        runs["wanda_scoring_s"].append(timed(lambda: [m.weight.detach().abs() * stats[n][0].sqrt().unsqueeze(0) for n, m in layers]))
        pruned = CharGpt().eval()
        pruned.load_state_dict(model.state_dict())

        def sparsegpt():
            # As the paper's code (prune_sparsegpt): block by block, each block's Hessians from one pass of that block
            # over the outputs of the already pruned blocks before it; then the head on the final LayerNorm's outputs.
            with torch.no_grad():
                inps = pruned.tokens(x) + pruned.position[: x.shape[1]]
                for block in pruned.blocks:
                    layers = [(n, m) for n, m in block.named_modules() if isinstance(m, nn.Linear)]
                    stats = gather(block, inps, layers, gram=True)
                    for name, module in layers:
                        module.weight.copy_(fasterprune(module.weight.detach(), stats[name][1], 0.5))
                    inps = torch.cat([block(batch) for batch in inps.split(32)])
                H = gather(pruned.head, pruned.norm(inps), [("", pruned.head)], gram=True)[""][1]
                pruned.head.weight.copy_(fasterprune(pruned.head.weight.detach(), H, 0.5))
        runs["sparsegpt_s"].append(timed(sparsegpt))
    print(json.dumps({k: statistics.median(v) for k, v in runs.items()} | {"torch": torch.__version__, "layers": len(layers)}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""PyTorch peer of `PruneNotebook.Bench transformer-surgery`: forward latency of a TinyViT and of the same network with
half of every block's attention heads and half of its MLP units removed (built directly at that size; timing only,
weights are random).

The architecture mirrors PruneNotebook.Core.Models.TinyViT: a 4x4 patch convolution (stride 4) to width 64, 49 tokens
with a learned positional embedding, 4 pre-norm blocks (LayerNorm -> separate query/key/value Linear projections,
concatenated, scaled dot-product attention over heads of 16 features, output Linear; LayerNorm -> Linear -> GELU ->
Linear), a final LayerNorm, mean over tokens and a Linear classifier. Compressed: 2 heads of 16 features, 64 MLP units.
Prints one JSON line: median milliseconds per forward pass of a batch (eval mode, no_grad), alternating the two
networks, and their MACs per example as NetworkSummary counts them.
Run with Debian's PyTorch: /usr/bin/python3 bench/python/vit_halving.py --threads 2 --repeats 20
"""
import argparse
import json
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
except ImportError:
    sys.exit(3)

DIM, DEPTH, HEAD_DIM, TOKENS, PATCH = 64, 4, 16, 49, 4


class Attention(nn.Module):
    def __init__(self, heads):
        super().__init__()
        width = heads * HEAD_DIM
        self.query, self.key, self.value = nn.Linear(DIM, width), nn.Linear(DIM, width), nn.Linear(DIM, width)
        self.output = nn.Linear(width, DIM)

    def forward(self, x):
        n, t, _ = x.shape
        qkv = torch.cat([self.query(x), self.key(x), self.value(x)], -1)
        heads = qkv.shape[-1] // (3 * HEAD_DIM)
        q, k, v = qkv.view(n, t, 3, heads, HEAD_DIM).permute(2, 0, 3, 1, 4)
        if hasattr(nn.functional, "scaled_dot_product_attention"):
            context = nn.functional.scaled_dot_product_attention(q, k, v)
        else:  # PyTorch < 2.0
            context = (q @ k.transpose(-1, -2) / HEAD_DIM ** 0.5).softmax(-1) @ v
        return self.output(context.transpose(1, 2).reshape(n, t, heads * HEAD_DIM))


class Block(nn.Module):
    def __init__(self, heads, hidden):
        super().__init__()
        self.norm1, self.attention = nn.LayerNorm(DIM), Attention(heads)
        self.norm2 = nn.LayerNorm(DIM)
        self.mlp = nn.Sequential(nn.Linear(DIM, hidden), nn.GELU(), nn.Linear(hidden, DIM))

    def forward(self, x):
        x = x + self.attention(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class TinyViT(nn.Module):
    def __init__(self, heads, hidden):
        super().__init__()
        self.embed = nn.Conv2d(1, DIM, PATCH, stride=PATCH)
        self.position = nn.Parameter(torch.randn(TOKENS, DIM) * 0.02)
        self.blocks = nn.Sequential(*[Block(heads, hidden) for _ in range(DEPTH)])
        self.norm, self.head = nn.LayerNorm(DIM), nn.Linear(DIM, 10)

    def forward(self, x):
        x = self.embed(x).flatten(2).transpose(1, 2) + self.position
        return self.head(self.norm(self.blocks(x)).mean(1))


def macs(heads, hidden):
    """Per image, as NetworkSummary counts: convolution, projections, attention's two matmuls, MLP, LayerNorms, head."""
    width = heads * HEAD_DIM
    per_block = TOKENS * (4 * DIM * width + 2 * DIM * hidden) + 2 * TOKENS * TOKENS * width + 2 * TOKENS * DIM
    return TOKENS * DIM * PATCH * PATCH + DEPTH * per_block + TOKENS * DIM + DIM * 10


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    networks = (("dense", TinyViT(4, 128).eval()), ("halved", TinyViT(2, 64).eval()))
    x = torch.randn(args.batch, 1, 28, 28)
    times = {name: [] for name, _ in networks}
    with torch.no_grad():
        for _, model in networks:
            for _ in range(3):
                model(x)
        for _ in range(args.repeats):
            for name, model in networks:
                start = time.perf_counter()
                model(x)
                times[name].append(time.perf_counter() - start)
    print(json.dumps({
        "torch_version": torch.__version__,
        "dense_ms": 1000 * statistics.median(times["dense"]),
        "halved_ms": 1000 * statistics.median(times["halved"]),
        "dense_macs": macs(4, 128),
        "halved_macs": macs(2, 64),
    }))


if __name__ == "__main__":
    main()

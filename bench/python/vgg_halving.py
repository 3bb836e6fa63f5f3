#!/usr/bin/env python3
"""PyTorch peer of `PruneNotebook.Bench surgery`: forward latency of a VGG-style CNN and of the same network with
every convolution's channels halved (built directly at half width; timing only, weights are random).

The architecture mirrors PruneNotebook.Core.Models.VggNet: 3x3 conv (padding 1) -> BatchNorm -> ReLU, a 2x2 max-pool
after each stage, flatten -> Linear(hidden) -> ReLU -> Linear(10). Prints one JSON line: median milliseconds per
forward pass of a batch (eval mode, no_grad) for both networks, alternating, in both layouts, also with BatchNorm
folded into the convolutions (torch.nn.utils.fusion.fuse_conv_bn_eval), and their MACs per example.
Run with Debian's PyTorch: /usr/bin/python3 bench/python/vgg_halving.py --threads 2 --repeats 30
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

CONFIGURATION = [64, 64, 0, 128, 128, 0, 256, 256, 0]


def vgg(scale, channels=3, size=32, hidden=256):
    layers, macs = [], 0
    for entry in CONFIGURATION:
        if entry == 0:
            layers.append(nn.MaxPool2d(2))
            size //= 2
            continue
        out = entry // scale
        layers += [nn.Conv2d(channels, out, 3, padding=1), nn.BatchNorm2d(out), nn.ReLU()]
        macs += channels * out * 9 * size * size + out * size * size  # conv + BatchNorm, as NetworkSummary counts
        channels = out
    macs += channels * size * size * hidden + hidden * 10
    model = nn.Sequential(*layers, nn.Flatten(), nn.Linear(channels * size * size, hidden), nn.ReLU(), nn.Linear(hidden, 10))
    return model.eval(), macs


def folded(model):
    """The same network with every BatchNorm folded into the convolution before it (eval), BatchNorm replaced by Identity."""
    layers = list(model)
    for i, layer in enumerate(layers):
        if isinstance(layer, nn.BatchNorm2d):
            layers[i - 1] = torch.nn.utils.fusion.fuse_conv_bn_eval(layers[i - 1], layer)
            layers[i] = nn.Identity()
    return nn.Sequential(*layers).eval()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    (dense, dense_macs), (halved, halved_macs) = vgg(1), vgg(2)
    networks = (("dense", dense), ("halved", halved), ("dense_folded", folded(dense)), ("halved_folded", folded(halved)))
    x = torch.randn(args.batch, 3, 32, 32)
    layouts = {"": x, "_channels_last": x.contiguous(memory_format=torch.channels_last)}
    times = {name + layout: [] for name, _ in networks for layout in layouts}
    with torch.no_grad():
        for _, model in networks:
            for batch in layouts.values():
                for _ in range(3):
                    model(batch)
        for _ in range(args.repeats):
            for layout, batch in layouts.items():
                for name, model in networks:
                    start = time.perf_counter()
                    model(batch)
                    times[name + layout].append(time.perf_counter() - start)
    print(json.dumps({
        "torch_version": torch.__version__,
        "dense_ms": 1000 * statistics.median(times["dense"]),
        "halved_ms": 1000 * statistics.median(times["halved"]),
        "dense_channels_last_ms": 1000 * statistics.median(times["dense_channels_last"]),
        "halved_channels_last_ms": 1000 * statistics.median(times["halved_channels_last"]),
        "dense_folded_ms": 1000 * statistics.median(times["dense_folded"]),
        "halved_folded_ms": 1000 * statistics.median(times["halved_folded"]),
        "dense_folded_channels_last_ms": 1000 * statistics.median(times["dense_folded_channels_last"]),
        "halved_folded_channels_last_ms": 1000 * statistics.median(times["halved_folded_channels_last"]),
        "dense_macs": dense_macs,
        "halved_macs": halved_macs,
    }))


if __name__ == "__main__":
    main()

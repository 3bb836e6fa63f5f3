#!/usr/bin/env python3
"""PyTorch peer of `PruneNotebook.Bench masked-training`: dense and pruned training steps in a plain loop.

LeNet-5 pruned 90 % by prune.global_unstructured (L1) and the 16.8 M-weight MLP pruned 90 % per layer by
prune.l1_unstructured; Adam lr 1e-3, batch 128, zero_grad / forward / backward / step. Each run reports its fastest
step after 3 warm-up steps; dense and pruned runs alternate (ABBA); the result is the median over runs.
Prints one JSON line: {"lenet5": {"dense_seconds", "pruned_seconds"}, "mlp": {...}, "torch_version"}.
Run with Debian's PyTorch: /usr/bin/python3 bench/python/masked_training.py --threads 2 --repeats 3 --steps 30
"""
import argparse
import gc
import json
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    import torch.nn.utils.prune as prune
except ImportError:
    sys.exit(3)


def lenet5():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2048, 4096), nn.ReLU(), nn.Linear(4096, 2048), nn.ReLU(), nn.Linear(2048, 10))


def weights(model):
    return [(m, "weight") for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]


def fastest_step(make, shape, steps, pruning):
    model = make()
    if pruning == "global":
        prune.global_unstructured(weights(model), pruning_method=prune.L1Unstructured, amount=0.9)
    elif pruning == "local":
        for module, name in weights(model):
            prune.l1_unstructured(module, name, amount=0.9)
    generator = torch.Generator().manual_seed(1)
    count = 128 * (steps + 3)
    x = torch.randn([count, *shape], generator=generator)
    y = torch.randint(10, [count], generator=generator)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    times = []
    for step in range(steps + 3):
        start = time.perf_counter()
        optimizer.zero_grad()
        F.cross_entropy(model(x[128 * step:128 * (step + 1)]), y[128 * step:128 * (step + 1)]).backward()
        optimizer.step()
        if step >= 3:
            times.append(time.perf_counter() - start)
    del model, optimizer, x, y
    gc.collect()
    return min(times)


def measure(make, shape, steps, runs, pruning):
    dense, pruned = [], []
    for r in range(runs):
        for kind in ((None, pruning) if r % 2 == 0 else (pruning, None)):
            (pruned if kind else dense).append(fastest_step(make, shape, steps, kind))
    return {"dense_seconds": statistics.median(dense), "pruned_seconds": statistics.median(pruned)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.threads)
    result = {
        "lenet5": measure(lenet5, [1, 28, 28], 4 * args.steps, 2 * args.repeats, "global"),
        "mlp": measure(mlp, [2048], args.steps, args.repeats, "local"),
        "torch_version": torch.__version__,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

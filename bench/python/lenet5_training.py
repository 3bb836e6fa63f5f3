#!/usr/bin/env python3
"""PyTorch peer of the `training` benchmark (bench/PruneNotebook.Bench).

LeNet-5 on Fashion-MNIST, Adam lr 1e-3, batch 128: warm-up batches, then a timed shuffled pass over the
first --examples training examples, then test accuracy (median of --repeats runs). Prints ONE JSON line on stdout.
Run with Debian's python3-torch (PyTorch 1.13): /usr/bin/python3 bench/python/lenet5_training.py --threads 2
Exit code 3 means `import torch` failed.
"""
import argparse
import gzip
import json
import os
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as error:
    print(f"lenet5_training.py: {error} (install Debian's python3-torch: apt-get install python3-torch)", file=sys.stderr)
    sys.exit(3)

BATCH_SIZE = 128
LEARNING_RATE = 1e-3
SEED = 0
PIXEL_MEAN, PIXEL_STD = 0.2860, 0.3530


def read_idx(folder, stem, header_bytes):
    for name in (stem + ".gz", stem):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rb") as f:
                return np.frombuffer(f.read(), dtype=np.uint8, offset=header_bytes)
    raise FileNotFoundError(f"Fashion-MNIST file {stem}.gz (or {stem}) is missing from {folder}")


def load_split(folder, prefix):
    images = read_idx(folder, f"{prefix}-images-idx3-ubyte", 16).reshape(-1, 1, 28, 28)
    labels = read_idx(folder, f"{prefix}-labels-idx1-ubyte", 8)
    x = (torch.from_numpy(images.astype(np.float32)) / 255.0 - PIXEL_MEAN) / PIXEL_STD
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )


def train_on_first(model, optimizer, x, y, count, seed):
    """One shuffled pass over the first `count` examples; no host reads inside the loop."""
    model.train()
    order = torch.randperm(count, generator=torch.Generator().manual_seed(seed))
    for start in range(0, count, BATCH_SIZE):
        index = order[start:start + BATCH_SIZE]
        xb, yb = x.index_select(0, index), y.index_select(0, index)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()


@torch.no_grad()
def accuracy(model, x, y):
    model.eval()
    correct = sum((model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item() for i in range(0, len(y), 1000))
    return correct / len(y)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--examples", type=int, default=60000)
    parser.add_argument("--warmup-batches", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=1, help="measure this many times, report the median run")
    parser.add_argument("--data", default=os.environ.get("PRUNENOTEBOOK_FASHION_MNIST") or "/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    if min(args.threads, args.examples, args.repeats) < 1 or args.warmup_batches < 0:
        parser.error("--threads, --examples and --repeats must be at least 1, --warmup-batches at least 0")

    try:  # only possible before any parallel work
        torch.set_num_interop_threads(args.threads)
    except RuntimeError:
        pass
    torch.set_num_threads(args.threads)

    x_train, y_train = load_split(args.data, "train")
    x_test, y_test = load_split(args.data, "t10k")
    examples = min(args.examples, len(y_train))

    runs = [measure(x_train, y_train, x_test, y_test, examples, args.warmup_batches) for _ in range(args.repeats)]
    seconds, test_accuracy = sorted(runs)[len(runs) // 2]  # median run (the slower middle one for an even count)
    print(json.dumps({
        "framework": "pytorch",
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "examples": examples,
        "seconds": seconds,
        "images_per_second": examples / seconds,
        "test_accuracy": test_accuracy,
        "runs_images_per_second": [examples / s for s, _ in runs],
    }))


def measure(x_train, y_train, x_test, y_test, examples, warmup_batches):
    """Seeded model, warm-up, timed pass; returns (seconds, test accuracy)."""
    torch.manual_seed(SEED)
    model = lenet5()
    # Warm-up and timed pass each get a fresh Adam, as two Trainer.Fit calls do on the .NET side.
    warmup = min(warmup_batches * BATCH_SIZE, len(y_train))
    if warmup > 0:
        train_on_first(model, torch.optim.Adam(model.parameters(), lr=LEARNING_RATE), x_train, y_train, warmup, SEED + 1)

    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    start = time.perf_counter()
    train_on_first(model, optimizer, x_train, y_train, examples, SEED + 1)
    seconds = time.perf_counter() - start
    return seconds, accuracy(model, x_test, y_test)


if __name__ == "__main__":
    main()

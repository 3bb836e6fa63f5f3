#!/usr/bin/env python3
"""PyTorch peer of `PruneNotebook.Bench pruning`: 90 % global magnitude pruning of a 16.8 M-weight MLP.

Prints one JSON line: seconds for prune.global_unstructured (the API; on fresh models, and warm: one model pruned
again after its weights were restored), for a kthvalue threshold over
all |w| (the bare search), for that threshold and the keep masks it gives (ties aside), and for one in-place read+write pass over the weights (mul_).
Run with Debian's PyTorch: /usr/bin/python3 bench/python/global_pruning.py --threads 2 --repeats 3
"""
import argparse
import json
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.utils.prune as prune
except ImportError:
    sys.exit(3)


def mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2048, 4096), nn.ReLU(), nn.Linear(4096, 2048), nn.ReLU(), nn.Linear(2048, 10))


def timed(action, repeats, setup=None):
    times = []
    for _ in range(repeats):
        state = setup() if setup else None
        start = time.perf_counter()
        action(state)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--amount", type=float, default=0.9)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    def fresh():
        model = mlp()
        return [(m, "weight") for m in model if isinstance(m, nn.Linear)]

    api = timed(lambda targets: prune.global_unstructured(targets, pruning_method=prune.L1Unstructured, amount=args.amount),
                args.repeats, fresh)

    # Warm: one model pruned again and again, its weights restored in between (memory already touched).
    warm_targets = fresh()
    backups = [m.weight.detach().clone() for m, _ in warm_targets]

    def restore(_=None):
        for (m, name), backup in zip(warm_targets, backups):
            if prune.is_pruned(m):
                prune.remove(m, name)
            with torch.no_grad():
                m.weight.copy_(backup)

    warm = timed(lambda _: prune.global_unstructured(warm_targets, pruning_method=prune.L1Unstructured, amount=args.amount),
                 args.repeats, restore)

    weights = [m.weight.detach() for m, _ in fresh()]
    count = sum(w.numel() for w in weights)
    k = round(args.amount * count)

    def kth(_):
        torch.kthvalue(torch.cat([w.abs().flatten() for w in weights]), k)

    threshold = timed(kth, args.repeats)

    def mask(_):
        scores = [w.abs().flatten() for w in weights]
        cut = torch.kthvalue(torch.cat(scores), k).values
        [s.gt(cut) for s in scores]

    keep_masks = timed(mask, args.repeats)
    ones = [torch.ones_like(w) for w in weights]

    def one_pass(_):
        for w, o in zip(weights, ones):
            w.mul_(o)

    one_pass(None)
    single = timed(one_pass, max(args.repeats, 5))
    print(json.dumps({"torch": torch.__version__, "weights": count, "api_seconds": api, "api_warm_seconds": warm,
                      "kthvalue_seconds": threshold, "mask_seconds": keep_masks, "pass_seconds": single}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""PyTorch reference for SparkSweep's benchmark: the seed experiments' models, trained on the same Fashion-MNIST
IDX files with the same batch sizes and optimizers, on one CPU thread. Prints one JSON object per model:
{"model": ..., "seconds_per_epoch": ..., "eval_seconds": ..., "test_accuracy": ...}.

Run by `sparksweep bench` (which prints the ratios side by side); Debian: apt-get install python3-torch
libopenblas0-pthread, then /usr/bin/python3 jobs/benchmark/pytorch_reference.py --help
"""
import argparse
import gzip
import json
import os
import statistics
import struct
import time

# One thread, like each SparkSweep trial. torch.set_num_threads(1) below does not reach OpenBLAS, which PyTorch's
# dense layers call on Debian: without this its pthread build runs every matrix product on all cores. It is read
# when the library loads, so it is set before numpy and torch are imported.
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(data_dir, base):
    for name in (base + ".gz", base):
        if os.path.exists(os.path.join(data_dir, name)):
            return os.path.join(data_dir, name)
    raise SystemExit(f"{base} not found in {data_dir}")


def load(data_dir):
    parts = {}
    for key, base in [("xtr", "train-images-idx3-ubyte"), ("ytr", "train-labels-idx1-ubyte"),
                      ("xte", "t10k-images-idx3-ubyte"), ("yte", "t10k-labels-idx1-ubyte")]:
        parts[key] = read_idx(find(data_dir, base))
    to_x = lambda a: torch.from_numpy(a.reshape(len(a), -1).astype(np.float32) / 255.0)
    to_y = lambda a: torch.from_numpy(a.astype(np.int64))
    return to_x(parts["xtr"]), to_y(parts["ytr"]), to_x(parts["xte"]), to_y(parts["yte"])


class Mlp(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        sizes = [784] + hidden + [10]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = F.relu(layer(x))
        return self.layers[-1](x)


class Cnn(nn.Module):
    def __init__(self, channels, kernels, padding, hidden):
        super().__init__()
        self.convs = nn.ModuleList()
        cin, side = 1, 28
        for c, k, p in zip(channels, kernels, padding):
            self.convs.append(nn.Conv2d(cin, c, k, padding=p))
            cin, side = c, (side + 2 * p - k + 1) // 2
        self.fc1 = nn.Linear(cin * side * side, hidden)
        self.fc2 = nn.Linear(hidden, 10)

    def forward(self, x):
        x = x.view(-1, 1, 28, 28)
        for conv in self.convs:
            x = F.max_pool2d(F.relu(conv(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


# name -> (model factory, optimizer factory, batch size); the same list as BenchCommand.MODELS
MODELS = {
    "mlp-784-16-10": (lambda: Mlp([16]), lambda p: torch.optim.SGD(p, lr=0.001), 64),
    "mlp-784-64-10": (lambda: Mlp([64]), lambda p: torch.optim.SGD(p, lr=0.1), 10),
    "mlp-784-128-10": (lambda: Mlp([128]), lambda p: torch.optim.SGD(p, lr=0.01), 100),
    "mlp-784-200-10": (lambda: Mlp([200]), lambda p: torch.optim.Adam(p, lr=0.001), 1000),
    "cnn-8-12-k5": (lambda: Cnn([8, 12], [5, 5], [0, 2], 256), lambda p: torch.optim.Adam(p, lr=0.001), 1000),
    "cnn-40-80-k3": (lambda: Cnn([40, 80], [3, 3], [1, 0], 800), lambda p: torch.optim.Adam(p, lr=0.001), 1000),
    "cnn-quick-8-16-k3p1": (lambda: Cnn([8, 16], [3, 3], [1, 1], 128), lambda p: torch.optim.Adam(p, lr=0.003), 128),
}


def bench(name, epochs, data):
    xtr, ytr, xte, yte = data
    factory, optimizer_factory, batch = MODELS[name]
    torch.manual_seed(1)
    model = factory()
    optimizer = optimizer_factory(model.parameters())
    epoch_seconds, eval_seconds, accuracy = [], [], 0.0
    for _ in range(epochs):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(len(xtr))
        for i in range(0, len(xtr), batch):
            idx = order[i:i + batch]
            optimizer.zero_grad()
            F.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
            optimizer.step()
        epoch_seconds.append(time.perf_counter() - start)
        model.eval()
        start = time.perf_counter()
        with torch.no_grad():
            correct = sum((model(xte[i:i + 2000]).argmax(1) == yte[i:i + 2000]).sum().item()
                          for i in range(0, len(xte), 2000))
        eval_seconds.append(time.perf_counter() - start)
        accuracy = correct / len(xte)
    return {"model": name, "seconds_per_epoch": statistics.median(epoch_seconds),
            "eval_seconds": statistics.median(eval_seconds), "test_accuracy": accuracy, "epochs": epochs}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated: " + ", ".join(MODELS))
    args = parser.parse_args()
    torch.set_num_threads(1)
    data = load(args.data_dir)
    for name in args.models.split(","):
        print(json.dumps(bench(name, args.epochs, data)), flush=True)


if __name__ == "__main__":
    main()

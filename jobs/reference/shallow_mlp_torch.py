#!/usr/bin/env python3
"""The shallow-MLP write-up's networks (../shared/seeds/000) trained in PyTorch exactly as it describes: 784-h-10 or
784-16-16-10, ReLU, plain SGD at lr 1e-3, batch 64, images scaled to [0, 1], PyTorch's default initialisation,
20 epochs. For each seed it prints the test accuracy with PyTorch's default biases and with biases started at zero
(DL4J's choice), to tell what the described configuration gives from what one run reported.

Debian: apt-get install python3-torch dataset-fashion-mnist, then
  /usr/bin/python3 jobs/reference/shallow_mlp_torch.py --hidden 16,16 --seeds 1,2,3
"""
import argparse
import gzip
import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # one thread, as each SparkSweep trial; read when numpy/torch load
os.environ["OMP_NUM_THREADS"] = "1"

import numpy as np
import torch


def read_idx(path, offset, shape):
    with gzip.open(path) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset).reshape(shape)


def load(data_dir):
    def images(name):
        return torch.tensor(read_idx(os.path.join(data_dir, name), 16, (-1, 784)).astype(np.float32) / 255)

    def labels(name):
        return torch.tensor(read_idx(os.path.join(data_dir, name), 8, (-1,)).astype(np.int64))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def train(data, hidden, seed, zero_bias, epochs, lr=1e-3, batch=64):
    x, y, x_test, y_test = data
    torch.manual_seed(seed)
    layers, width = [], 784
    for h in hidden:
        layers += [torch.nn.Linear(width, h), torch.nn.ReLU()]
        width = h
    net = torch.nn.Sequential(*layers, torch.nn.Linear(width, 10))
    if zero_bias:
        for m in net:
            if isinstance(m, torch.nn.Linear):
                torch.nn.init.zeros_(m.bias)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    loss = torch.nn.CrossEntropyLoss()
    order = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        perm = torch.randperm(len(x), generator=order)
        for i in range(0, len(x), batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss(net(x[idx]), y[idx]).backward()
            opt.step()
    with torch.no_grad():
        return (net(x_test).argmax(1) == y_test).float().mean().item()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hidden", default="16,16", help="hidden layer sizes, e.g. 16 or 16,16 (default 16,16)")
    p.add_argument("--seeds", default="1,2,3", help="seeds to run (default 1,2,3)")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()
    torch.set_num_threads(1)
    data = load(a.data_dir)
    hidden = [int(h) for h in a.hidden.split(",")]
    for seed in (int(s) for s in a.seeds.split(",")):
        print("784-%s-10 seed %d, %d epochs: test accuracy %.4f (PyTorch's biases), %.4f (zero biases)" % (
            "-".join(map(str, hidden)), seed, a.epochs, train(data, hidden, seed, False, a.epochs),
            train(data, hidden, seed, True, a.epochs)), flush=True)


if __name__ == "__main__":
    main()

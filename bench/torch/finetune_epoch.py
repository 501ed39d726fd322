#!/usr/bin/env python3
"""Times fine-tuning epochs of the same ResNet-18 suffix in PyTorch, as the speed baseline for `zoo train --unfreeze`.

Input: the folder written by
    dotnet run -c Release --project bench/ModelZoo.Benchmarks -- finetune-epoch --export DIR
(activations.npy = the cached activations at the split tensor, labels.npy, graph.json = the suffix's ONNX nodes, and one
.npy per weight). The suffix is rebuilt as torch modules from graph.json (Conv2d, BatchNorm2d in eval mode with
trainable affine, ReLU, residual Add, AvgPool2d, Flatten) plus the same linear head, and trained with Adam (lr 1e-4)
on the same batches, in the same order, as the zoo side. Debian's python3-torch (CPU) is enough; zoo never needs it.

Usage: finetune_epoch.py DIR [--epochs 3] [--batch 16] [--threads N]
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from torch import nn


class Suffix(nn.Module):
    """Runs the exported ONNX node list with torch modules."""

    def __init__(self, graph, load):
        super().__init__()
        self.graph = graph
        self.layers = nn.ModuleDict()
        for i, node in enumerate(graph["nodes"]):
            op, ins, attrs = node["op"], node["inputs"], node["attrs"]
            key = f"n{i}"
            if op == "Conv":
                w = load(ins[1])
                pads = attrs.get("pads", [0, 0, 0, 0])
                conv = nn.Conv2d(w.shape[1] * attrs.get("group", 1), w.shape[0], w.shape[2:], stride=tuple(attrs.get("strides", [1, 1])),
                                 dilation=tuple(attrs.get("dilations", [1, 1])), groups=attrs.get("group", 1), bias=len(ins) > 2, padding=0)
                conv.weight.data = torch.from_numpy(w)
                if len(ins) > 2:
                    conv.bias.data = torch.from_numpy(load(ins[2]))
                self.layers[key] = nn.Sequential(nn.ZeroPad2d((pads[1], pads[3], pads[0], pads[2])), conv)
            elif op == "BatchNormalization":
                scale = load(ins[1])
                bn = nn.BatchNorm2d(scale.shape[0], eps=attrs.get("epsilon", 1e-5))
                bn.weight.data = torch.from_numpy(scale)
                bn.bias.data = torch.from_numpy(load(ins[2]))
                bn.running_mean.data = torch.from_numpy(load(ins[3]))
                bn.running_var.data = torch.from_numpy(load(ins[4]))
                self.layers[key] = bn
            elif op == "AveragePool":
                self.layers[key] = nn.AvgPool2d(tuple(attrs["kernel_shape"]), stride=tuple(attrs.get("strides", [1, 1])))
            elif op not in ("Relu", "Add", "Flatten"):
                raise SystemExit(f"op {op} is not handled by this baseline")

    def forward(self, x):
        values = {self.graph["input"]: x}
        for i, node in enumerate(self.graph["nodes"]):
            op, ins, out = node["op"], node["inputs"], node["outputs"][0]
            if op in ("Conv", "BatchNormalization", "AveragePool"):
                values[out] = self.layers[f"n{i}"](values[ins[0]])
            elif op == "Relu":
                values[out] = torch.relu(values[ins[0]])
            elif op == "Add":
                values[out] = values[ins[0]] + values[ins[1]]
            elif op == "Flatten":
                values[out] = torch.flatten(values[ins[0]], 1)
        return values[self.graph["output"]]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    def safe(name):
        return "".join(c if c.isalnum() or c == "_" else "_" for c in name)

    def load(name):
        return np.load(os.path.join(args.dir, safe(name) + ".npy"))

    with open(os.path.join(args.dir, "graph.json")) as f:
        graph = json.load(f)
    suffix = Suffix(graph, load)
    suffix.eval()  # batch normalisation uses its running statistics, as in the ONNX graph
    head = nn.Linear(*np.load(os.path.join(args.dir, "head_weight.npy")).shape[::-1])
    head.weight.data = torch.from_numpy(np.load(os.path.join(args.dir, "head_weight.npy")))
    head.bias.data = torch.from_numpy(np.load(os.path.join(args.dir, "head_bias.npy")))
    x_all = torch.from_numpy(np.load(os.path.join(args.dir, "activations.npy")))
    y_all = torch.from_numpy(np.load(os.path.join(args.dir, "labels.npy"))).long()
    params = [p for p in suffix.parameters()] + list(head.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-4)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for epoch in range(args.epochs):
        start = time.perf_counter()
        cpu = time.process_time()
        total = 0.0
        for i in range(0, len(x_all), args.batch):
            x, y = x_all[i:i + args.batch], y_all[i:i + args.batch]
            optimizer.zero_grad()
            loss = loss_fn(head(suffix(x)), y)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(x)
        times.append(time.perf_counter() - start)
        print(f"torch {torch.__version__} epoch {epoch + 1}: {times[-1]:.3f} s, cpu {time.process_time() - cpu:.3f} s, loss {total / len(x_all):.4f}")
    rest = times[1:] or times
    print(f"torch: {len(x_all)} images, batch {args.batch}, {torch.get_num_threads()} threads, mean epoch after the first {sum(rest) / len(rest):.3f} s")


if __name__ == "__main__":
    main()

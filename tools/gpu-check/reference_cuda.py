"""PyTorch side of tools/gpu-check.sh: the bench's four reference cases on one device.

Same models, shapes, optimizer (Adam, lr 1e-3) and loss as tools/bench/src/cases.ts (and
tools/bench/reference.py, which runs them on the CPU), timed as the JS side times them
(tools/gpu-check/bench.ts): 2 warm-up steps, then steps until --seconds have passed (at least 3),
reading every step's loss back (loss.item() syncs the device). Prints one line `@@gpu {json}`.
"""
import argparse
import json
import sys
import time

import torch
from torch import nn


def build_cases():
    class LastStep(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(64, 128, batch_first=True)
            self.head = nn.Linear(128, 10)

        def forward(self, x):
            out, _ = self.lstm(x)  # [B, T, 128]
            return self.head(out[:, -1])

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.TransformerEncoderLayer(128, 4, dim_feedforward=512, batch_first=True)
            self.head = nn.Linear(128, 10)

        def forward(self, x):
            return self.head(self.layer(x).mean(1))  # [B, T, 128] -> [B, 10]

    def lenet5():  # NCHW here, NHWC in TF.js; same layers and sizes
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
        )

    def mlp():
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))

    return {
        "mlp": (mlp, (128, 784), 128),
        "lenet5": (lenet5, (64, 1, 28, 28), 64),
        "lstm": (LastStep, (32, 32, 64), 32),
        "transformer": (Encoder, (16, 64, 128), 16),
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cuda:0")
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--cases", default="mlp,lenet5,lstm,transformer")
    a = p.parse_args()
    dev = torch.device(a.device)
    torch.manual_seed(0)
    cases = build_cases()
    ce = nn.CrossEntropyLoss()
    results = []
    for cid in a.cases.split(","):
        make, shape, n = cases[cid]
        model = make().to(dev).train()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        x = torch.randn(*shape, device=dev)
        y = torch.randint(0, 10, (n,), device=dev)

        def step():
            loss = ce(model(x), y)
            loss.backward()
            opt.step()
            opt.zero_grad()
            return loss.item()

        step()
        step()
        steps, t0 = 0, time.perf_counter()
        elapsed = 0.0
        while elapsed < a.seconds or steps < 3:
            loss = step()
            steps += 1
            elapsed = time.perf_counter() - t0
        results.append({"id": cid, "steps": steps, "seconds": elapsed, "stepsPerSecond": steps / elapsed, "loss": loss})
        sys.stderr.write("  pytorch %s %s: %.1f steps/s\n" % (a.device, cid, steps / elapsed))
    info = {"torch": torch.__version__, "cuda": torch.version.cuda}
    if dev.type == "cuda":
        info["gpu"] = torch.cuda.get_device_name(dev)
    else:
        info["threads"] = torch.get_num_threads()
    sys.stdout.write("@@gpu " + json.dumps({"backend": "pytorch", "device": a.device, "info": info, "cases": results}) + "\n")


if __name__ == "__main__":
    main()

"""PyTorch side of tools/gpu-check.sh: the bench's four reference cases on one device.

Same models, shapes, optimizer (Adam, lr 1e-3) and loss as tools/bench/src/cases.ts (and
tools/bench/reference.py, which runs them on the CPU), timed as the JS side times them
(tools/gpu-check/bench.ts): 2 warm-up steps, then steps until --seconds have passed (at least 3),
reading every step's loss back (loss.item() syncs the device). Prints one line `@@gpu {json}`.
"""
import argparse
import json
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
from reference_models import CASES  # noqa: E402 - the bench's models, shared


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cuda:0")
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--cases", default="mlp,lenet5,lstm,transformer")
    a = p.parse_args()
    dev = torch.device(a.device)
    torch.manual_seed(0)
    ce = nn.CrossEntropyLoss()
    results = []
    for cid in a.cases.split(","):
        make, shape = CASES[cid]
        n = shape[0]
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

"""PyTorch reference for `pnpm bench` (tools/bench/src/main.ts runs it as a child process).

The same models, shapes, optimizer (Adam, lr 1e-3) and loss (cross-entropy on integer labels)
as tools/bench/src/cases.ts, timed the same way: 2 warm-up steps, then steps until --seconds
have passed (at least 3). Prints one line `@@bench {json}`. Without torch it reports the
reference as unavailable instead of failing.
"""
import argparse
import json
import os
import sys
import time

MARK = "@@bench "


def emit(result):
    sys.stdout.write(MARK + json.dumps(result) + "\n")
    sys.stdout.flush()


def log(msg):
    sys.stderr.write("  " + msg + "\n")
    sys.stderr.flush()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cases", default="mlp,lenet5,lstm,transformer,sgemm,lenet_epoch")
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--epoch-limit", type=float, default=30.0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--mnist", default=None, help="float32 images [N,28,28,1] then int32 labels [N]")
    p.add_argument("--mnist-missing", default=None)
    p.add_argument("--profile", action="store_true")  # accepted for symmetry; not used
    a, _ = p.parse_known_args()
    try:
        import torch
        from torch import nn
    except Exception as e:  # noqa: BLE001 - any import failure means "no reference"
        emit({"backend": "pytorch", "available": False, "note": "torch is not importable (%s); install python3-torch" % e, "cases": []})
        return

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # loads the BLAS
    blas = "BLAS ?"
    try:
        # Debian's torch is built with BLAS_INFO=generic: name the library actually mapped.
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1].rsplit("/", 1)[-1] for line in f if "blas" in line.lower()})
        named = [n for n in libs if "openblas" in n.lower() or "mkl" in n.lower()]
        if named or libs:
            blas = ", ".join(named or libs)
    except OSError:
        pass

    from reference_models import CASES, lenet5  # beside this file; imports torch

    def labels(n):
        return torch.randint(0, 10, (n,))

    def inputs(cid, shape):
        # LeNet sees pixel-like values in [0, 1); the others standard normal inputs
        return (lambda: torch.rand(*shape)) if cid == "lenet5" else (lambda: torch.randn(*shape))

    cases = {cid: (make, inputs(cid, shape), (lambda n=shape[0]: labels(n))) for cid, (make, shape) in CASES.items()}
    ce = nn.CrossEntropyLoss()

    def trainer(model):
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        model.train()

        def step(x, y):
            loss = ce(model(x), y)
            loss.backward()
            opt.step()
            opt.zero_grad()
            return loss.item()

        return step

    def train_case(cid):
        make, mx, my = cases[cid]
        step = trainer(make())
        x, y = mx(), my()
        loss = step(x, y)
        loss = step(x, y)
        c0 = time.process_time()
        t0 = time.perf_counter()
        n = 0
        now = t0
        while n < 3 or (now - t0 < a.seconds and n < 2000):
            loss = step(x, y)
            n += 1
            now = time.perf_counter()
        cpu = (time.process_time() - c0) * 1000 / n
        rate = n / (now - t0)
        log("pytorch %s: %.2f steps/s (%d steps)" % (cid, rate, n))
        return {"id": cid, "value": round(rate, 3), "unit": "steps/s", "steps": n, "loss": round(loss, 4),
                "cpuMsPerStep": round(cpu, 2)}

    def sgemm():
        n = 1024
        x, y = torch.randn(n, n), torch.randn(n, n)
        torch.mm(x, y)
        t0 = time.perf_counter()
        reps = 0
        now = t0
        while reps < 2 or (now - t0 < a.seconds and reps < 2000):
            torch.mm(x, y)
            reps += 1
            now = time.perf_counter()
        g = 2 * n ** 3 * reps / (now - t0) / 1e9
        log("pytorch sgemm: %.2f GFLOP/s" % g)
        return {"id": "sgemm", "value": round(g, 3), "unit": "GFLOP/s", "steps": reps}

    def lenet_epoch():
        if not a.mnist:
            return {"id": "lenet_epoch", "value": None, "unit": "s", "note": a.mnist_missing or "no MNIST data"}
        raw = open(a.mnist, "rb").read()
        count = len(raw) // (784 * 4 + 4)
        images = torch.frombuffer(bytearray(raw[: count * 784 * 4]), dtype=torch.float32).reshape(count, 28, 28, 1)
        images = images.permute(0, 3, 1, 2).contiguous()  # NHWC -> NCHW
        lab = torch.frombuffer(bytearray(raw[count * 784 * 4:]), dtype=torch.int32).long()
        loader = torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(images, lab), batch_size=64, shuffle=True, drop_last=True,
            generator=torch.Generator().manual_seed(2024))
        step = trainer(lenet5())
        steps = len(loader)
        t0 = time.perf_counter()
        done = 0
        loss = float("nan")
        for x, y in loader:
            loss = step(x, y)
            done += 1
            if time.perf_counter() - t0 > a.epoch_limit:
                break
        elapsed = time.perf_counter() - t0
        epoch = elapsed * steps / done
        r = {"id": "lenet_epoch", "value": round(epoch, 3), "unit": "s", "steps": done, "loss": round(loss, 4)}
        if done < steps:
            r["note"] = "extrapolated from %d of %d steps" % (done, steps)
        log("pytorch lenet epoch: %.2f s, loss %.3f" % (epoch, loss))
        return r

    results = []
    for cid in a.cases.split(","):
        try:
            if cid == "sgemm":
                results.append(sgemm())
            elif cid == "lenet_epoch":
                results.append(lenet_epoch())
            else:
                results.append(train_case(cid))
        except Exception as e:  # noqa: BLE001 - report the case, keep the others
            log("pytorch %s: failed: %s" % (cid, e))
            results.append({"id": cid, "value": None, "unit": "s" if cid == "lenet_epoch" else "steps/s", "note": "failed: %s" % e})
    emit({
        "backend": "pytorch",
        "available": True,
        "info": {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas,
                 "python": "%d.%d.%d" % sys.version_info[:3],
                 "ompWaitPolicy": os.environ.get("OMP_WAIT_POLICY", "default")},
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "cases": results,
    })


if __name__ == "__main__":
    main()

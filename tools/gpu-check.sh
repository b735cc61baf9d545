#!/usr/bin/env bash
# GPU check of @neuralzoo/backend-torch, for a GPU machine with PyTorch (CUDA) in its python3, a
# C++ compiler, no Node and no network (an H100 with PyTorch on CUDA 13 and g++ 13):
#   1. finds torch from python3 (its include/ and lib/ are a libtorch),
#   2. unpacks the Node binary that tools/gpu-check/prepare.sh put in tools/gpu-check/payload/,
#   3. builds the backend addon against that torch with plain g++ (packages/backend-torch/scripts/build.js:
#      -D_GLIBCXX_USE_CXX11_ABI=1, include $TORCH/include and $TORCH/include/torch/csrc/api/include,
#      link torch torch_cpu torch_cuda c10 c10_cuda, -Wl,--no-as-needed -Wl,-rpath,$TORCH/lib),
#      and tries the c10d addon too (NCCL when torch ships nccl.h; not needed for the rest),
#   4. runs the bench's four cases (MLP, LeNet-5, LSTM, Transformer training steps) on $DEVICE with
#      the torch backend, then the same cases in PyTorch on the same device, and prints
#      PyTorch ÷ ours per case (goal ≤ 1.5×).
# Results: a table on stdout and gpu-check-<time>.json in $OUT (the device runner's output folder)
# or tools/gpu-check/build/.
#
# On this machine first: tools/gpu-check/prepare.sh (makes the 29 MB payload), then run this with
# the payload carried, e.g. run(command: 'tools/gpu-check.sh', carry: ['tools/gpu-check/payload']).
# Env: DEVICE (default cuda:0; 'cpu' checks the whole flow on a CPU-only machine), CASE_SECONDS
# (timed seconds per case, default 3), PYTHON (default python3), CXX (default g++), C10D=0 (skip
# the c10d addon, ~30-70 s of compiling).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
payload="$root/tools/gpu-check/payload"
device="${DEVICE:-cuda:0}"
seconds="${CASE_SECONDS:-3}"
py="${PYTHON:-python3}"
outdir="${OUT:-$root/tools/gpu-check/build}"
mkdir -p "$outdir"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log() { printf '[gpu-check] %s\n' "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

[ -f "$payload/node.xz" ] && [ -f "$payload/bench.js" ] \
  || die "tools/gpu-check/payload is missing: run tools/gpu-check/prepare.sh on a machine with Node and pnpm install, and carry tools/gpu-check/payload"

# 1. torch
torch_dir="$("$py" -c 'import os, torch; print(os.path.dirname(torch.__file__))' 2>"$work/py.err")" \
  || die "python3 cannot import torch: $(tail -1 "$work/py.err")"
"$py" - "$device" <<'EOF' || die "torch cannot use $device"
import sys, torch
dev = sys.argv[1]
print("[gpu-check] torch %s (CUDA %s) at %s" % (torch.__version__, torch.version.cuda, torch.__file__), file=sys.stderr)
if dev.startswith("cuda"):
    if not torch.cuda.is_available():
        sys.exit("torch.cuda.is_available() is False")
    i = int(dev.split(":")[1]) if ":" in dev else 0
    p = torch.cuda.get_device_properties(i)
    print("[gpu-check] %s: %s, %.0f GiB, compute capability %d.%d" % (dev, p.name, p.total_memory / 2**30, p.major, p.minor), file=sys.stderr)
EOF
[ -f "$torch_dir/include/ATen/ATen.h" ] || die "$torch_dir has no include/ATen/ATen.h (a torch without C++ headers?)"

# 2. node
xz -dc "$payload/node.xz" > "$work/node" && chmod +x "$work/node" || die "could not unpack $payload/node.xz (xz missing?)"
node="$work/node"
log "node $("$node" --version) (from the payload)"

# 3. addons
started=$(date +%s)
log "building the backend addon against $torch_dir"
LIBTORCH="$torch_dir" NODE_INCLUDE="$payload/include/node" NEURALZOO_TORCH_FORCE=1 \
  "$node" packages/backend-torch/scripts/build.js || die "scripts/build.js failed"
"$py" -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if s.get("ok") else "backend addon not built: %s" % s.get("reason"))' \
  packages/backend-torch/build/status.json || die "see the build output above"
log "backend addon built in $(( $(date +%s) - started )) s"

c10d="not built (C10D=0)"
[ "${C10D:-1}" = 0 ] || log "building the c10d addon (optional)"
if [ "${C10D:-1}" != 0 ] && LIBTORCH="$torch_dir" NODE_INCLUDE="$payload/include/node" NODE_ADDON_API_INCLUDE="$payload/node-addon-api" NEURALZOO_TORCH_FORCE=1 \
    "$node" packages/backend-torch/scripts/build-c10d.js && [ -f packages/backend-torch/build/c10d.node ]; then
  # A world of one: the process group forms and an all-reduce runs (NCCL when built with it).
  c10d="$("$node" -e '
    const a = require(process.argv[1]);
    const info = a.info();
    const backend = info.nccl && info.cuda ? "nccl" : "gloo";
    const g = new a.Group();
    g.connect({ addr: "127.0.0.1", port: 29400 + Math.floor(Math.random() * 500), rank: 0, worldSize: 1, timeoutMs: 60000, backend, device: 0, iface: "" }).then(() => {
      const x = new Float32Array([1, 2, 3]);
      g.allReduce(x, "sum");
      g.close();
      console.log(`${backend} world of 1 ok (${Array.from(x)}); torch ${info.torch}, nccl compiled ${info.nccl}`);
    }, (e) => { console.log(`connect failed: ${e.message}`); });
  ' "$root/packages/backend-torch/build/c10d.node" 2>&1 | tail -1)"
elif [ "${C10D:-1}" != 0 ]; then
  c10d="not built: $("$py" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("reason"))' packages/backend-torch/build/c10d-status.json 2>/dev/null)"
fi
log "c10d: $c10d"

# 4. the four cases, ours then PyTorch's
log "torch backend on $device (${seconds} s per case)"
"$node" "$payload/bench.js" --build-dir "$root/packages/backend-torch/build" --device "$device" --seconds "$seconds" > "$work/ours.txt" \
  || die "the torch backend bench failed"
log "PyTorch on $device"
"$py" tools/gpu-check/reference_cuda.py --device "$device" --seconds "$seconds" > "$work/pytorch.txt" \
  || die "the PyTorch reference failed"

"$py" - "$work/ours.txt" "$work/pytorch.txt" "$outdir" "$c10d" <<'EOF'
import json, sys, time
def parse(path):
    for line in open(path):
        if line.startswith("@@gpu "):
            return json.loads(line[6:])
    sys.exit("no @@gpu line in %s" % path)
ours, ref = parse(sys.argv[1]), parse(sys.argv[2])
by_id = {c["id"]: c for c in ref["cases"]}
rows = []
print()
print("%s, PyTorch %s (CUDA %s); torch backend %s, Node %s" % (ref["info"].get("gpu", ref["device"]), ref["info"]["torch"], ref["info"]["cuda"], ours["device"], ours["node"]))
print("%-12s %14s %16s %22s" % ("case", "ours steps/s", "PyTorch steps/s", "PyTorch ÷ ours (≤1.5)"))
for c in ours["cases"]:
    r = by_id[c["id"]]
    ratio = r["stepsPerSecond"] / c["stepsPerSecond"]
    rows.append({"id": c["id"], "ours": c["stepsPerSecond"], "pytorch": r["stepsPerSecond"], "ratio": ratio, "lossOurs": c["loss"], "lossPytorch": r["loss"]})
    print("%-12s %14.1f %16.1f %21.2f×" % (c["id"], c["stepsPerSecond"], r["stepsPerSecond"], ratio))
print("c10d: %s" % sys.argv[4])
stamp = time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime())
out = "%s/gpu-check-%s.json" % (sys.argv[3], stamp)
json.dump({"when": stamp, "ours": ours, "pytorch": ref, "rows": rows, "c10d": sys.argv[4]}, open(out, "w"), indent=1)
print("wrote %s" % out)
EOF

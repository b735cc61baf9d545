#!/usr/bin/env bash
# Prepares what tools/gpu-check.sh needs on a GPU machine that has PyTorch but no Node and no
# network, in tools/gpu-check/payload/ (gitignored; carry it: run(..., carry: ['tools/gpu-check/payload'])):
#   node.xz                     this machine's Node binary (Debian's needs only libc and libstdc++)
#   include/node/*.h            the four Node-API headers (the backend addon is plain Node-API)
#   node-addon-api/*.h          node-addon-api's headers (the c10d addon)
#   bench.js                    tools/gpu-check/bench.ts bundled with core, vision, backend-torch and TF.js
# The addon sources (packages/backend-torch/native, scripts) are tracked files and travel anyway.
# Run from anywhere: tools/gpu-check/prepare.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
payload="$here/payload"
rm -rf "$payload"
mkdir -p "$payload/include/node" "$payload/node-addon-api"

node_bin="$(command -v node)"
node_bin="$(readlink -f "$node_bin")"
echo "node: $node_bin ($("$node_bin" --version))"
xz -T1 -6 -c "$node_bin" > "$payload/node.xz"

node_inc="$(dirname "$node_bin")/../include/node"
[ -f "$node_inc/node_api.h" ] || node_inc=/usr/include/node
for h in node_api.h node_api_types.h js_native_api.h js_native_api_types.h; do
  cp "$node_inc/$h" "$payload/include/node/"
done

napi="$(cd "$root/packages/backend-torch" && "$node_bin" -p "require('path').dirname(require.resolve('node-addon-api/napi.h'))")"
cp "$napi"/napi.h "$napi"/napi-inl.h "$napi"/napi-inl.deprecated.h "$payload/node-addon-api/"

"$node_bin" "$here/bundle.js"

( cd "$payload" && sha256sum node.xz bench.js include/node/*.h node-addon-api/*.h > SHA256SUMS )
du -sh "$payload"
total=$(du -sb "$payload" | cut -f1)
if [ "$total" -gt $((60 * 1024 * 1024)) ]; then echo "payload is $total bytes: over the 64 MiB a device run carries" >&2; exit 1; fi
echo "ready: carry tools/gpu-check/payload and run tools/gpu-check.sh"

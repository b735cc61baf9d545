// Why a spec of TF.js's op suite fails on neuralzoo's wasm backend, by error message / spec name.
// update-known-failures.js writes known-failures.json from these; the first matching rule wins.
// A failure no rule explains makes the update script stop: look at it, then fix or add a rule.
module.exports = [
  { category: 'complex64', test: /Kernel '(Complex|ComplexAbs|Real|Imag|FFT|IFFT)' not registered/,
    reason: 'complex64 tensors: the wasm backend has no complex storage and no Complex/Real/Imag/FFT kernels; no core layer uses complex numbers' },
  { category: 'ragged', test: /Kernel 'Ragged\w+' not registered|^ragged/,
    reason: 'ragged tensor kernels (RaggedGather, RaggedRange, RaggedTensorToTensor) exist only on cpu; preprocessing ops no layer uses' },
  { category: 'string', test: /StaticRegexReplace|Unknown dtype string|should support string comparison|string tensor|for string|long string/,
    reason: 'string tensors: wasm kernels (Fill, Squeeze/Reshape, Tile, SparseToDense, comparisons, StaticRegexReplace) do not handle dtype string; text preprocessing runs outside the model' },
  { category: 'pool padding >= filter', test: /^pool .*fractional outputs/,
    reason: 'avg/max pool whose padding (1) exceeds the filter (1x1) reads padding-only windows: wasm returns garbage, cpu 4; PyTorch rejects padding > kernel/2' },
  { category: 'otsu threshold', test: /^threshold .*otsu/,
    reason: "tf.image.threshold('otsu') hits a broadcast the wasm backend rejects; image preprocessing, not a layer" },
];

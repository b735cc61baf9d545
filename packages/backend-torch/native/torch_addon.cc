// Node-API addon binding libtorch's ATen for the TF.js backend `torch`.
//
// Tensors live in a table of at::Tensor slots named by integer handles (no N-API object per
// tensor: creating and finalizing objects would dominate small ops, and finalizers run late).
// Operators are called through the dispatcher's boxed path: JS looks an operator up once by
// schema name (`findOp`) and then calls it with a plain argument array that is converted by the
// operator's schema, so every ATen operator is reachable without a C++ wrapper per kernel.
//
// Plain C Node-API (node_api.h ships with Node), no node-addon-api: the addon needs a dozen entry
// points and this keeps the package free of build dependencies.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/stack.h>
#include <c10/core/CPUAllocator.h>
#include <c10/core/InferenceMode.h>
#include <c10/core/impl/alloc_cpu.h>
#include <node_api.h>

#include <cstring>
#include <mutex>
#include <unordered_map>
#include <stdexcept>
#include <string>
#include <vector>

#if __has_include(<torch/version.h>)
#include <torch/version.h>
#endif
#ifndef TORCH_VERSION
#define TORCH_VERSION "unknown"
#endif

namespace {

// ---------------------------------------------------------------------------------- allocator
// Keeps freed CPU buffers of 64 KiB and more by exact size and hands them out again: a training
// step allocates the same sizes every step, and fresh large buffers (mmap'd by malloc) page-fault
// on first touch. At most kCacheLimit bytes stay cached.
class CachingCPUAllocator final : public at::Allocator {
 public:
  // context == data (callers such as raw_allocate require it); sizes of cacheable blocks are
  // looked up by pointer on release.
  at::DataPtr allocate(size_t n) const override {
    void* p = nullptr;
    if (n >= kMinCached) {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = free_.find(n);
      if (it != free_.end() && !it->second.empty()) {
        p = it->second.back();
        it->second.pop_back();
        cached_ -= n;
      }
    }
    if (!p) p = c10::alloc_cpu(n);
    if (n >= kMinCached) {
      std::lock_guard<std::mutex> lock(mu_);
      sizes_[p] = n;
    }
    return {p, p, &Release, at::Device(at::kCPU)};
  }

  at::DeleterFnPtr raw_deleter() const override { return &Release; }

  static void Release(void* p) {
    if (!p) return;
    CachingCPUAllocator& a = instance();
    {
      std::lock_guard<std::mutex> lock(a.mu_);
      auto it = a.sizes_.find(p);
      if (it != a.sizes_.end()) {
        size_t n = it->second;
        a.sizes_.erase(it);
        if (a.cached_ + n <= kCacheLimit) {
          a.free_[n].push_back(p);
          a.cached_ += n;
          return;
        }
      }
    }
    c10::free_cpu(p);
  }

  static CachingCPUAllocator& instance() {
    static CachingCPUAllocator* a = new CachingCPUAllocator();  // never destroyed: buffers outlive exit order
    return *a;
  }

 private:
  static constexpr size_t kMinCached = 64 << 10;
  static constexpr size_t kCacheLimit = size_t(1) << 30;
  mutable std::mutex mu_;
  mutable std::unordered_map<size_t, std::vector<void*>> free_;
  mutable std::unordered_map<void*, size_t> sizes_;
  mutable size_t cached_ = 0;
};

// ---------------------------------------------------------------------------------- handles
// Per thread: each JS thread (main, worker_threads such as core's data-parallel replicas) has its
// own environment and calls in only from its own thread, so each gets its own table.
thread_local std::vector<at::Tensor> g_slots;
thread_local std::vector<int32_t> g_free;
thread_local int64_t g_live = 0;
thread_local c10::Device g_device(c10::kCPU);
thread_local std::vector<c10::OperatorHandle> g_ops;

int32_t put(at::Tensor t) {
  ++g_live;
  if (!g_free.empty()) {
    int32_t h = g_free.back();
    g_free.pop_back();
    g_slots[h] = std::move(t);
    return h;
  }
  g_slots.push_back(std::move(t));
  return static_cast<int32_t>(g_slots.size() - 1);
}

const at::Tensor& get(int32_t h) {
  if (h < 0 || h >= static_cast<int32_t>(g_slots.size()) || !g_slots[h].defined())
    throw std::runtime_error("torch backend: invalid tensor handle " + std::to_string(h));
  return g_slots[h];
}

// ---------------------------------------------------------------------------------- N-API helpers
struct JsError : std::exception {};

void check(napi_env env, napi_status s) {
  if (s != napi_ok) {
    const napi_extended_error_info* info = nullptr;
    napi_get_last_error_info(env, &info);
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_error(env, nullptr, info && info->error_message ? info->error_message : "napi call failed");
    throw JsError();
  }
}

std::vector<napi_value> args(napi_env env, napi_callback_info cb, size_t n) {
  std::vector<napi_value> v(n);
  size_t argc = n;
  check(env, napi_get_cb_info(env, cb, &argc, v.data(), nullptr, nullptr));
  return v;
}

napi_valuetype typeOf(napi_env env, napi_value v) {
  napi_valuetype t;
  check(env, napi_typeof(env, v, &t));
  return t;
}

double toDouble(napi_env env, napi_value v) {
  double d;
  check(env, napi_get_value_double(env, v, &d));
  return d;
}

int64_t toInt(napi_env env, napi_value v) {
  int64_t i;
  check(env, napi_get_value_int64(env, v, &i));
  return i;
}

bool toBool(napi_env env, napi_value v) {
  bool b;
  check(env, napi_get_value_bool(env, v, &b));
  return b;
}

std::string toString(napi_env env, napi_value v) {
  size_t len = 0;
  check(env, napi_get_value_string_utf8(env, v, nullptr, 0, &len));
  std::string s(len, '\0');
  check(env, napi_get_value_string_utf8(env, v, &s[0], len + 1, &len));
  return s;
}

bool isArray(napi_env env, napi_value v) {
  bool a;
  check(env, napi_is_array(env, v, &a));
  return a;
}

std::vector<napi_value> arrayItems(napi_env env, napi_value v) {
  uint32_t n;
  check(env, napi_get_array_length(env, v, &n));
  std::vector<napi_value> out(n);
  for (uint32_t i = 0; i < n; ++i) check(env, napi_get_element(env, v, i, &out[i]));
  return out;
}

std::vector<int64_t> toIntList(napi_env env, napi_value v) {
  std::vector<int64_t> out;
  for (napi_value x : arrayItems(env, v)) out.push_back(toInt(env, x));
  return out;
}

napi_value fromDouble(napi_env env, double d) {
  napi_value v;
  check(env, napi_create_double(env, d, &v));
  return v;
}

napi_value fromInt(napi_env env, int64_t i) {
  napi_value v;
  check(env, napi_create_int64(env, i, &v));
  return v;
}

napi_value fromBool(napi_env env, bool b) {
  napi_value v;
  check(env, napi_get_boolean(env, b, &v));
  return v;
}

napi_value fromString(napi_env env, const std::string& s) {
  napi_value v;
  check(env, napi_create_string_utf8(env, s.data(), s.size(), &v));
  return v;
}

napi_value undefinedValue(napi_env env) {
  napi_value v;
  check(env, napi_get_undefined(env, &v));
  return v;
}

// Runs `body`, turning C++ exceptions (c10::Error included) into JS errors.
template <typename F>
napi_value guarded(napi_env env, F body) {
  try {
    return body();
  } catch (const JsError&) {
    return nullptr;
  } catch (const c10::Error& e) {
    napi_throw_error(env, nullptr, e.what_without_backtrace());
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, e.what());
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------- boxed calls
c10::IValue toIValue(napi_env env, napi_value v, const c10::TypePtr& type);

c10::IValue toScalar(napi_env env, napi_value v) {
  napi_valuetype t = typeOf(env, v);
  if (t == napi_boolean) return c10::IValue(c10::Scalar(toBool(env, v)));
  if (t == napi_number) return c10::IValue(c10::Scalar(toDouble(env, v)));
  if (isArray(env, v)) {  // [n]: an integer Scalar
    auto items = arrayItems(env, v);
    if (items.size() == 1) return c10::IValue(c10::Scalar(toInt(env, items[0])));
  }
  throw std::runtime_error("expected a number, boolean or [integer] for a Scalar argument");
}

c10::IValue toIValue(napi_env env, napi_value v, const c10::TypePtr& type) {
  napi_valuetype t = typeOf(env, v);
  switch (type->kind()) {
    case c10::TypeKind::OptionalType:
      if (t == napi_null || t == napi_undefined) return c10::IValue();
      return toIValue(env, v, type->castRaw<c10::OptionalType>()->getElementType());
    case c10::TypeKind::TensorType:
      if (t == napi_null || t == napi_undefined) return c10::IValue(at::Tensor());
      return c10::IValue(get(static_cast<int32_t>(toInt(env, v))));
    case c10::TypeKind::IntType:
    case c10::TypeKind::SymIntType:
      return c10::IValue(toInt(env, v));
    case c10::TypeKind::FloatType:
      return c10::IValue(toDouble(env, v));
    case c10::TypeKind::BoolType:
      return c10::IValue(toBool(env, v));
    case c10::TypeKind::NumberType:
      return toScalar(env, v);
    case c10::TypeKind::StringType:
      return c10::IValue(toString(env, v));
    case c10::TypeKind::DeviceObjType:
      return c10::IValue(c10::Device(toString(env, v)));
    case c10::TypeKind::ListType: {
      auto elem = type->castRaw<c10::ListType>()->getElementType();
      auto items = arrayItems(env, v);
      if (elem->kind() == c10::TypeKind::IntType || elem->kind() == c10::TypeKind::SymIntType) {
        std::vector<int64_t> ints;
        for (napi_value x : items) ints.push_back(toInt(env, x));
        return c10::IValue(ints);
      }
      if (elem->kind() == c10::TypeKind::TensorType) {
        std::vector<at::Tensor> ts;
        for (napi_value x : items) ts.push_back(get(static_cast<int32_t>(toInt(env, x))));
        return c10::IValue(ts);
      }
      if (elem->kind() == c10::TypeKind::FloatType) {
        std::vector<double> ds;
        for (napi_value x : items) ds.push_back(toDouble(env, x));
        return c10::IValue(ds);
      }
      if (elem->kind() == c10::TypeKind::BoolType) {
        c10::List<bool> bs;
        for (napi_value x : items) bs.push_back(toBool(env, x));
        return c10::IValue(bs);
      }
      if (elem->kind() == c10::TypeKind::OptionalType) {  // Tensor?[] (index)
        c10::List<c10::optional<at::Tensor>> ts;
        for (napi_value x : items) {
          napi_valuetype xt = typeOf(env, x);
          if (xt == napi_null || xt == napi_undefined) ts.push_back(c10::nullopt);
          else ts.push_back(get(static_cast<int32_t>(toInt(env, x))));
        }
        return c10::IValue(ts);
      }
      throw std::runtime_error("unsupported list argument type " + type->str());
    }
    default:
      throw std::runtime_error("unsupported argument type " + type->str());
  }
}

napi_value nullValue(napi_env env) {
  napi_value v;
  check(env, napi_get_null(env, &v));
  return v;
}

napi_value fromIValue(napi_env env, const c10::IValue& v) {
  if (v.isTensor()) return v.toTensor().defined() ? fromInt(env, put(v.toTensor())) : nullValue(env);
  if (v.isTensorList()) {
    auto list = v.toTensorList();
    napi_value arr;
    check(env, napi_create_array_with_length(env, list.size(), &arr));
    for (size_t i = 0; i < list.size(); ++i) check(env, napi_set_element(env, arr, i, fromInt(env, put(list.get(i)))));
    return arr;
  }
  if (v.isTuple()) {
    const auto& elems = v.toTupleRef().elements();
    napi_value arr;
    check(env, napi_create_array_with_length(env, elems.size(), &arr));
    for (size_t i = 0; i < elems.size(); ++i) check(env, napi_set_element(env, arr, i, fromIValue(env, elems[i])));
    return arr;
  }
  if (v.isDouble()) return fromDouble(env, v.toDouble());
  if (v.isInt()) return fromInt(env, v.toInt());
  if (v.isBool()) return fromBool(env, v.toBool());
  if (v.isNone()) return undefinedValue(env);
  throw std::runtime_error("unsupported return type " + v.tagKind());
}

// ---------------------------------------------------------------------------------- entry points
napi_value Version(napi_env env, napi_callback_info) {
  return guarded(env, [&] { return fromString(env, TORCH_VERSION); });
}

napi_value CudaDeviceCount(napi_env env, napi_callback_info) {
  return guarded(env, [&] { return fromInt(env, at::hasCUDA() ? static_cast<int64_t>(at::getNumGPUs()) : 0); });
}

napi_value SetThreads(napi_env env, napi_callback_info cb) {
  return guarded(env, [&] {
    auto a = args(env, cb, 1);
    at::set_num_threads(static_cast<int>(toInt(env, a[0])));
    return undefinedValue(env);
  });
}

napi_value GetThreads(napi_env env, napi_callback_info) {
  return guarded(env, [&] { return fromInt(env, at::get_num_threads()); });
}

napi_value SetDevice(napi_env env, napi_callback_info cb) {
  return guarded(env, [&] {
    auto a = args(env, cb, 1);
    c10::Device d(toString(env, a[0]));
    if (d.is_cuda() && (!at::hasCUDA() || d.index() >= static_cast<int>(at::getNumGPUs())))
      throw std::runtime_error("device " + d.str() + " is not available (libtorch sees " +
                               std::to_string(at::hasCUDA() ? at::getNumGPUs() : 0) + " CUDA devices)");
    g_device = d;
    return undefinedValue(env);
  });
}

napi_value FromBuffer(napi_env env, napi_callback_info cb) {
  return guarded(env, [&] {
    auto a = args(env, cb, 3);
    napi_typedarray_type tt;
    size_t length = 0, offset = 0;
    void* data = nullptr;
    napi_value ab;
    check(env, napi_get_typedarray_info(env, a[0], &tt, &length, &data, &ab, &offset));
    auto shape = toIntList(env, a[1]);
    auto dtype = static_cast<at::ScalarType>(toInt(env, a[2]));
    c10::InferenceMode guard;
    at::Tensor t = at::empty(shape, at::TensorOptions().dtype(dtype));
    size_t bytes = t.numel() * t.element_size();
    size_t elemBytes = 1;
    switch (tt) {
      case napi_int8_array: case napi_uint8_array: case napi_uint8_clamped_array: elemBytes = 1; break;
      case napi_int16_array: case napi_uint16_array: elemBytes = 2; break;
      case napi_int32_array: case napi_uint32_array: case napi_float32_array: elemBytes = 4; break;
      default: elemBytes = 8;
    }
    if (length * elemBytes != bytes)
      throw std::runtime_error("fromBuffer: " + std::to_string(length * elemBytes) + " bytes given, tensor needs " +
                               std::to_string(bytes));
    if (bytes) std::memcpy(t.data_ptr(), data, bytes);
    if (!g_device.is_cpu()) t = t.to(g_device);
    return fromInt(env, put(std::move(t)));
  });
}

napi_value Read(napi_env env, napi_callback_info cb) {
  return guarded(env, [&] {
    auto a = args(env, cb, 1);
    c10::InferenceMode guard;
    at::Tensor t = get(static_cast<int32_t>(toInt(env, a[0])));
    if (!t.device().is_cpu()) t = t.to(at::kCPU);
    if (t.is_conj()) t = t.resolve_conj();
    if (t.is_neg()) t = t.resolve_neg();
    t = t.contiguous();
    size_t bytes = t.numel() * t.element_size();
    void* out = nullptr;
    napi_value ab;
    check(env, napi_create_arraybuffer(env, bytes, &out, &ab));
    if (bytes) std::memcpy(out, t.data_ptr(), bytes);
    return ab;
  });
}

napi_value Free(napi_env env, napi_callback_info cb) {
  return guarded(env, [&] {
    auto a = args(env, cb, 1);
    int32_t h = static_cast<int32_t>(toInt(env, a[0]));
    get(h);
    g_slots[h] = at::Tensor();
    g_free.push_back(h);
    --g_live;
    return undefinedValue(env);
  });
}

napi_value LiveHandles(napi_env env, napi_callback_info) {
  return guarded(env, [&] { return fromInt(env, g_live); });
}

napi_value Shape(napi_env env, napi_callback_info cb) {
  return guarded(env, [&] {
    auto a = args(env, cb, 1);
    const at::Tensor& t = get(static_cast<int32_t>(toInt(env, a[0])));
    napi_value arr;
    check(env, napi_create_array_with_length(env, t.dim(), &arr));
    for (int64_t i = 0; i < t.dim(); ++i) check(env, napi_set_element(env, arr, i, fromInt(env, t.size(i))));
    return arr;
  });
}

// [dtype, ...shape] in one call: what a kernel output needs.
napi_value Meta(napi_env env, napi_callback_info cb) {
  return guarded(env, [&] {
    auto a = args(env, cb, 1);
    const at::Tensor& t = get(static_cast<int32_t>(toInt(env, a[0])));
    napi_value arr;
    check(env, napi_create_array_with_length(env, t.dim() + 1, &arr));
    check(env, napi_set_element(env, arr, 0, fromInt(env, static_cast<int64_t>(t.scalar_type()))));
    for (int64_t i = 0; i < t.dim(); ++i) check(env, napi_set_element(env, arr, i + 1, fromInt(env, t.size(i))));
    return arr;
  });
}

napi_value Dtype(napi_env env, napi_callback_info cb) {
  return guarded(env, [&] {
    auto a = args(env, cb, 1);
    return fromInt(env, static_cast<int64_t>(get(static_cast<int32_t>(toInt(env, a[0]))).scalar_type()));
  });
}

napi_value FindOp(napi_env env, napi_callback_info cb) {
  return guarded(env, [&] {
    auto a = args(env, cb, 2);
    std::string name = toString(env, a[0]), overload = toString(env, a[1]);
    auto op = c10::Dispatcher::singleton().findSchema({name, overload});
    if (!op) throw std::runtime_error("ATen has no operator " + name + (overload.empty() ? "" : "." + overload));
    g_ops.push_back(*op);
    return fromInt(env, static_cast<int64_t>(g_ops.size() - 1));
  });
}

napi_value Call(napi_env env, napi_callback_info cb) {
  return guarded(env, [&] {
    auto a = args(env, cb, 2);
    int64_t index = toInt(env, a[0]);
    if (index < 0 || index >= static_cast<int64_t>(g_ops.size())) throw std::runtime_error("call: unknown operator index");
    const c10::OperatorHandle& op = g_ops[index];
    const auto& schema = op.schema();
    const auto& params = schema.arguments();
    auto given = arrayItems(env, a[1]);
    if (given.size() > params.size())
      throw std::runtime_error(schema.name() + ": " + std::to_string(given.size()) + " arguments given, schema takes " +
                               std::to_string(params.size()));
    torch::jit::Stack stack;
    stack.reserve(params.size());
    try {
      for (size_t i = 0; i < params.size(); ++i) {
        if (i < given.size()) {
          stack.push_back(toIValue(env, given[i], params[i].type()));
        } else if (params[i].default_value()) {
          stack.push_back(*params[i].default_value());
        } else {
          throw std::runtime_error("argument '" + params[i].name() + "' is required");
        }
      }
    } catch (const JsError&) {
      throw;
    } catch (const std::exception& e) {
      throw std::runtime_error(schema.name() + "." + schema.overload_name() + ": " + e.what());
    }
    {
      c10::InferenceMode guard;
      op.callBoxed(&stack);
    }
    if (stack.size() == 1) return fromIValue(env, stack[0]);
    napi_value arr;
    check(env, napi_create_array_with_length(env, stack.size(), &arr));
    for (size_t i = 0; i < stack.size(); ++i) check(env, napi_set_element(env, arr, i, fromIValue(env, stack[i])));
    return arr;
  });
}

napi_value Init(napi_env env, napi_value exports) {
  c10::SetCPUAllocator(&CachingCPUAllocator::instance(), /*priority=*/10);
  struct Entry {
    const char* name;
    napi_callback fn;
  } entries[] = {
      {"version", Version},   {"cudaDeviceCount", CudaDeviceCount}, {"setThreads", SetThreads},
      {"getThreads", GetThreads}, {"setDevice", SetDevice},         {"fromBuffer", FromBuffer},
      {"read", Read},         {"free", Free},                       {"liveHandles", LiveHandles},
      {"shape", Shape},       {"dtype", Dtype},                     {"findOp", FindOp},
      {"call", Call},         {"meta", Meta},
  };
  for (const auto& e : entries) {
    napi_value fn;
    napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &fn);
    napi_set_named_property(env, exports, e.name, fn);
  }
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)

// c10d.node: PyTorch's c10d collectives (Gloo on CPU, NCCL on CUDA when compiled with
// NZ_C10D_NCCL) for Float32Array gradients, as a small Node-API addon independent of the backend
// addon. A TCPStore (hosted by rank 0) is the rendezvous, as torch.distributed's env:// init.
//
// JS API (see src/c10d/native.ts for the typed view):
//   info() -> { torch, gloo, nccl, cuda }
//   new Group(); group.connect({ addr, port, rank, worldSize, timeoutMs, backend, device, iface })
//     -> Promise<void> (rendezvous on a worker thread, so the event loop keeps turning)
//   group.allReduce(f32, 'sum'|'max'|'min'), group.broadcast(f32, root), group.barrier()  (blocking)
//   group.storeSet(key, value), group.storeGet(key, timeoutMs) -> string | null, group.storeAdd(key, n)
//   group.abort() (drops the process group: its connections close, so blocked peers fail fast)
//   group.close() (drops the process group and the store)

#include <napi.h>

#include <ATen/ATen.h>
#include <c10/core/DeviceGuard.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/version.h>
#ifdef NZ_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace {

// libtorch 1.x: the Gloo and NCCL groups are ProcessGroups; 2.x: they are c10d::Backends.
#if TORCH_VERSION_MAJOR >= 2
using PG = c10d::Backend;
#else
using PG = c10d::ProcessGroup;
#endif

// c10::Error::what() carries a C++ backtrace; JS users want the message.
std::string messageOf(const std::exception& e) {
  if (auto* ce = dynamic_cast<const c10::Error*>(&e)) return ce->what_without_backtrace();
  return e.what();
}

bool isCudaAvailable() {
  return at::hasCUDA();
}

class Group : public Napi::ObjectWrap<Group> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "Group", {
      InstanceMethod("connect", &Group::Connect),
      InstanceMethod("allReduce", &Group::AllReduce),
      InstanceMethod("broadcast", &Group::Broadcast),
      InstanceMethod("barrier", &Group::Barrier),
      InstanceMethod("storeSet", &Group::StoreSet),
      InstanceMethod("storeGet", &Group::StoreGet),
      InstanceMethod("storeAdd", &Group::StoreAdd),
      InstanceMethod("abort", &Group::Abort),
      InstanceMethod("close", &Group::Close),
      InstanceAccessor("backend", &Group::Backend, nullptr),
    });
  }

  explicit Group(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Group>(info) {}

  ~Group() override { release(true); }

  // What connect() fills on the worker thread.
  struct Setup {
    std::string addr, backend, iface;
    int port = 0, rank = 0, worldSize = 1, device = 0;
    std::chrono::milliseconds timeout{1800000};
  };

  // Runs on a libuv worker thread: TCPStore rendezvous, then the process group (which connects
  // every pair of ranks before returning).
  void connectBlocking(const Setup& s) {
    c10d::TCPStoreOptions so;
    so.port = static_cast<std::uint16_t>(s.port);
    so.isServer = s.rank == 0;
    so.numWorkers = static_cast<std::size_t>(s.worldSize);
    so.waitWorkers = true;
    so.timeout = s.timeout;
    auto tcp = c10::make_intrusive<c10d::TCPStore>(s.addr, so);
    // Keys of the process group live under their own prefix; ours (failure reports) under "nz/".
    auto pgStore = c10::make_intrusive<c10d::PrefixStore>("pg", tcp);
    c10::intrusive_ptr<PG> pg;
    if (s.backend == "nccl") {
#ifdef NZ_C10D_NCCL
      auto opts = c10d::ProcessGroupNCCL::Options::create();
      opts->timeout = s.timeout;
      pg = c10::make_intrusive<c10d::ProcessGroupNCCL>(pgStore, s.rank, s.worldSize, opts);
#else
      throw std::runtime_error("this c10d.node was built without NCCL (rebuild with a CUDA libtorch: scripts/build-c10d.sh)");
#endif
    } else {
      auto opts = c10d::ProcessGroupGloo::Options::create(s.timeout);
      if (!s.iface.empty()) {
        opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(s.iface));
      } else if (s.addr == "127.0.0.1" || s.addr == "localhost") {
        opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
      } else {
        opts->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
      }
      opts->threads = 2;
      pg = c10::make_intrusive<c10d::ProcessGroupGloo>(pgStore, s.rank, s.worldSize, opts);
    }
    std::lock_guard<std::mutex> lock(mu_);
    store_ = tcp;
    pg_ = pg;
    backend_ = s.backend;
    device_ = s.device;
  }

 private:
  class ConnectWorker : public Napi::AsyncWorker {
   public:
    ConnectWorker(Napi::Env env, Group* group, Setup setup)
        : Napi::AsyncWorker(env), group_(group), setup_(std::move(setup)), deferred_(Napi::Promise::Deferred::New(env)) {
      self_ = Napi::Persistent(group->Value());
    }
    Napi::Promise promise() { return deferred_.Promise(); }
    void Execute() override {
      try {
        group_->connectBlocking(setup_);
      } catch (const std::exception& e) {
        SetError(messageOf(e));
      }
    }
    void OnOK() override {
      group_->connecting_ = false;
      deferred_.Resolve(Env().Undefined());
    }
    void OnError(const Napi::Error& e) override {
      group_->connecting_ = false;
      deferred_.Reject(e.Value());
    }

   private:
    Group* group_;
    Setup setup_;
    Napi::Promise::Deferred deferred_;
    Napi::ObjectReference self_;  // keeps the Group alive while connecting
  };

  Napi::Value Connect(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (connecting_ || pg_) throw Napi::Error::New(env, "c10d: this group is already connected");
    if (!info[0].IsObject()) throw Napi::TypeError::New(env, "c10d: connect expects an options object");
    Napi::Object o = info[0].As<Napi::Object>();
    Setup s;
    s.addr = o.Get("addr").As<Napi::String>().Utf8Value();
    s.port = o.Get("port").As<Napi::Number>().Int32Value();
    s.rank = o.Get("rank").As<Napi::Number>().Int32Value();
    s.worldSize = o.Get("worldSize").As<Napi::Number>().Int32Value();
    s.timeout = std::chrono::milliseconds(o.Get("timeoutMs").As<Napi::Number>().Int64Value());
    s.backend = o.Get("backend").As<Napi::String>().Utf8Value();
    if (o.Has("device") && o.Get("device").IsNumber()) s.device = o.Get("device").As<Napi::Number>().Int32Value();
    if (o.Has("iface") && o.Get("iface").IsString()) s.iface = o.Get("iface").As<Napi::String>().Utf8Value();
    connecting_ = true;
    auto* worker = new ConnectWorker(env, this, std::move(s));
    Napi::Promise p = worker->promise();
    worker->Queue();
    return p;
  }

  c10::intrusive_ptr<PG> ready(Napi::Env env, const char* what) {
    if (!pg_) throw Napi::Error::New(env, std::string("c10d: ") + what + " on a process group that is not connected (or was aborted)");
    return pg_;
  }

  static Napi::Float32Array floats(const Napi::CallbackInfo& info, const char* what) {
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
      throw Napi::TypeError::New(info.Env(), std::string("c10d: ") + what + " expects a Float32Array");
    return info[0].As<Napi::Float32Array>();
  }

  // Runs one collective on `data` in place: CPU tensors alias the JS memory (Gloo reads and
  // writes it directly); for NCCL the data goes through a CUDA copy.
  template <typename F>
  void run(Napi::Env env, Napi::Float32Array data, const char* what, F op) {
    auto pg = ready(env, what);
    if (data.ElementLength() == 0) return;
    try {
      at::Tensor host = at::from_blob(data.Data(), {static_cast<int64_t>(data.ElementLength())}, at::TensorOptions().dtype(at::kFloat));
      if (backend_ == "nccl") {
        at::Device dev(at::kCUDA, static_cast<c10::DeviceIndex>(device_));
        c10::DeviceGuard guard(dev);
        std::vector<at::Tensor> ts{host.to(dev)};
        op(pg, ts)->wait();
        host.copy_(ts[0]);  // on the current stream, after the collective
      } else {
        std::vector<at::Tensor> ts{host};
        op(pg, ts)->wait();
      }
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, std::string("c10d: ") + what + " failed: " + messageOf(e));
    }
  }

  Napi::Value AllReduce(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    auto data = floats(info, "allReduce");
    std::string op = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "sum";
    c10d::AllreduceOptions opts;
    if (op == "sum") opts.reduceOp = c10d::ReduceOp::SUM;
    else if (op == "max") opts.reduceOp = c10d::ReduceOp::MAX;
    else if (op == "min") opts.reduceOp = c10d::ReduceOp::MIN;
    else throw Napi::Error::New(env, "c10d: allReduce: unknown op '" + op + "'");
    run(env, data, "allReduce", [&](auto& pg, std::vector<at::Tensor>& ts) { return pg->allreduce(ts, opts); });
    return env.Undefined();
  }

  Napi::Value Broadcast(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    auto data = floats(info, "broadcast");
    c10d::BroadcastOptions opts;
    opts.rootRank = info[1].IsNumber() ? info[1].As<Napi::Number>().Int64Value() : 0;
    run(env, data, "broadcast", [&](auto& pg, std::vector<at::Tensor>& ts) { return pg->broadcast(ts, opts); });
    return env.Undefined();
  }

  Napi::Value Barrier(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    auto pg = ready(env, "barrier");
    try {
      pg->barrier()->wait();
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, std::string("c10d: barrier failed: ") + messageOf(e));
    }
    return env.Undefined();
  }

  c10::intrusive_ptr<c10d::Store> store(Napi::Env env) {
    if (!store_) throw Napi::Error::New(env, "c10d: the store is not connected");
    return store_;
  }

  Napi::Value StoreSet(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string key = "nz/" + info[0].As<Napi::String>().Utf8Value();
    std::string value = info[1].As<Napi::String>().Utf8Value();
    try {
      store(env)->set(key, std::vector<uint8_t>(value.begin(), value.end()));
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, "c10d: store set failed: " + messageOf(e));
    }
    return env.Undefined();
  }

  // The value of `key`, waiting up to timeoutMs for it; null when it did not appear (or the
  // store is gone).
  Napi::Value StoreGet(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string key = "nz/" + info[0].As<Napi::String>().Utf8Value();
    auto timeout = std::chrono::milliseconds(info[1].As<Napi::Number>().Int64Value());
    try {
      auto s = store(env);
      s->wait({key}, timeout);
      auto v = s->get(key);
      return Napi::String::New(env, std::string(v.begin(), v.end()));
    } catch (const Napi::Error&) {
      throw;
    } catch (const std::exception&) {
      return env.Null();
    }
  }

  Napi::Value StoreAdd(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string key = "nz/" + info[0].As<Napi::String>().Utf8Value();
    int64_t n = info[1].As<Napi::Number>().Int64Value();
    try {
      return Napi::Number::New(env, static_cast<double>(store(env)->add(key, n)));
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, "c10d: store add failed: " + messageOf(e));
    }
  }

  Napi::Value Abort(const Napi::CallbackInfo& info) {
    release(false);
    return info.Env().Undefined();
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    release(true);
    return info.Env().Undefined();
  }

  Napi::Value Backend(const Napi::CallbackInfo& info) {
    return Napi::String::New(info.Env(), backend_);
  }

  // Dropping the process group closes its connections (peers blocked on this rank fail at
  // once); the store may outlive it so that peers can still read a failure report.
  void release(bool store) {
    c10::intrusive_ptr<PG> pg;
    c10::intrusive_ptr<c10d::Store> st;
    {
      std::lock_guard<std::mutex> lock(mu_);
      pg = std::move(pg_);
      pg_.reset();
      if (store) {
        st = std::move(store_);
        store_.reset();
      }
    }
    pg.reset();
    st.reset();
  }

  std::mutex mu_;
  c10::intrusive_ptr<PG> pg_;
  c10::intrusive_ptr<c10d::Store> store_;
  std::string backend_ = "gloo";
  int device_ = 0;
  bool connecting_ = false;
};

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("torch", Napi::String::New(env, TORCH_VERSION));
  o.Set("gloo", Napi::Boolean::New(env, true));
#ifdef NZ_C10D_NCCL
  o.Set("nccl", Napi::Boolean::New(env, true));
#else
  o.Set("nccl", Napi::Boolean::New(env, false));
#endif
  o.Set("cuda", Napi::Boolean::New(env, isCudaAvailable()));
  return o;
}

Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  exports.Set("Group", Group::Init(env));
  exports.Set("info", Napi::Function::New(env, Info));
  return exports;
}

}  // namespace

NODE_API_MODULE(c10d, InitModule)

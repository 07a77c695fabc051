// NativeControl and its DAHDI_MAINT worker (see control.h).
#include "control.h"

#include <cerrno>

#include "js_values.h"

namespace tdmgate {

namespace {

// One AsyncWorker holding a Promise::Deferred: the ioctl runs off the JS thread because a
// driver's maint op may sleep (line loop-up codes are sent for seconds on some T1 cards).
class MaintenanceWorker : public Napi::AsyncWorker {
 public:
  MaintenanceWorker(Napi::Env env, std::shared_ptr<SharedControlFd> fd, int span, int command)
      : Napi::AsyncWorker(env, "tdmgate:maintenance"),
        deferred_(Napi::Promise::Deferred::New(env)),
        fd_(std::move(fd)),
        span_(span),
        command_(command) {}

  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override { err_ = fd_->device.maintenance(span_, command_, outcome_); }

  // The fd share is dropped when node-addon-api deletes the worker right after this.
  void OnOK() override {
    if (!err_.ok()) {
      deferred_.Reject(makeError(Env(), err_).Value());
    } else {
      deferred_.Resolve(Napi::String::New(Env(), outcome_ == dahdi_io::MaintOutcome::Done ? "done" : "unsupported"));
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<SharedControlFd> fd_;  // the ioctl's fd stays open until the worker is gone
  int span_;
  int command_;
  dahdi_io::IoError err_;
  dahdi_io::MaintOutcome outcome_ = dahdi_io::MaintOutcome::Done;
};

}  // namespace

Napi::Function ControlWrap::Define(Napi::Env env) {
  return DefineClass(env, "DahdiControl",
                     {
                         InstanceMethod<&ControlWrap::Version>("version"),
                         InstanceMethod<&ControlWrap::SpanStat>("spanStat"),
                         InstanceMethod<&ControlWrap::GetParams>("getParams"),
                         InstanceMethod<&ControlWrap::Maintenance>("maintenance"),
                         InstanceMethod<&ControlWrap::Close>("close"),
                         InstanceAccessor<&ControlWrap::Closed>("closed"),
                     });
}

Napi::Value ControlWrap::Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string devDir = stringArg(info, 0, "devDir");
  InstanceData& data = instanceData(env);
  auto fd = std::make_shared<SharedControlFd>(data.registry);
  dahdi_io::IoError err = fd->open(devDir);
  if (!err.ok()) throw makeError(env, err);
  Napi::Object obj = data.controlClass.New({});  // if this throws, `fd` closes the fd
  Unwrap(obj)->fd_ = std::move(fd);
  return obj;
}

ControlWrap::ControlWrap(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<ControlWrap>(info), registry_(instanceData(info.Env()).registry) {
  registry_->controls.insert(this);
}

// A control dropped without close() lets go of its fd here as a backstop; resources() shows
// such leaks long before the garbage collector gets to them.
ControlWrap::~ControlWrap() { registry_->controls.erase(this); }

void ControlWrap::closeNow() { fd_.reset(); }

dahdi_io::ControlDevice& ControlWrap::openDevice(Napi::Env env, const char* syscall) const {
  if (!fd_) throw makeError(env, dahdi_io::IoError{EBADF, syscall, 0, 0}, "the control was closed");
  return fd_->device;
}

Napi::Value ControlWrap::Version(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  dahdi_io::ControlDevice& device = openDevice(env, "ioctl:DAHDI_GETVERSION");
  dahdi_io::Version v;
  dahdi_io::IoError err = device.version(v);
  if (!err.ok()) throw makeError(env, err);
  Napi::Object o = Napi::Object::New(env);
  o.Set("version", v.version);
  o.Set("echoCanceller", v.echoCanceller);
  return o;
}

Napi::Value ControlWrap::SpanStat(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int span = intArg(info, 0, "span");
  dahdi_io::ControlDevice& device = openDevice(env, "ioctl:DAHDI_SPANSTAT");
  std::optional<dahdi_io::SpanInfo> out;
  dahdi_io::IoError err = device.spanStat(span, out);
  if (!err.ok()) throw makeError(env, err);
  return out ? Napi::Value(spanInfoValue(env, *out)) : env.Null();
}

Napi::Value ControlWrap::GetParams(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int channel = intArg(info, 0, "channel");
  dahdi_io::ControlDevice& device = openDevice(env, "ioctl:DAHDI_GET_PARAMS");
  std::optional<dahdi_io::Params> out;
  dahdi_io::IoError err = device.getParams(channel, out);
  if (!err.ok()) throw makeError(env, err);
  return out ? Napi::Value(paramsValue(env, *out)) : env.Null();
}

// Returns a Promise in every case, also after close(): a promise-returning method that
// sometimes throws instead forces callers to handle failure twice.
Napi::Value ControlWrap::Maintenance(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int span = intArg(info, 0, "span");
  const int command = intArg(info, 1, "command");
  if (!fd_) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(makeError(env, dahdi_io::IoError{EBADF, "ioctl:DAHDI_MAINT", span, 0}, "the control was closed").Value());
    return deferred.Promise();
  }
  auto* worker = new MaintenanceWorker(env, fd_, span, command);
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

// The fd itself closes now, or when the last maintenance worker still using it returns.
Napi::Value ControlWrap::Close(const Napi::CallbackInfo& info) {
  fd_.reset();
  return info.Env().Undefined();
}

Napi::Value ControlWrap::Closed(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), !fd_);
}

}  // namespace tdmgate

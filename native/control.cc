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
  MaintenanceWorker(Napi::Env env, ControlWrap* control, int span, int command)
      : Napi::AsyncWorker(env, "tdmgate:maintenance"),
        deferred_(Napi::Promise::Deferred::New(env)),
        control_(control),
        controlRef_(Napi::Persistent(control->Value())),
        span_(span),
        command_(command) {}

  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override { err_ = control_->device().maintenance(span_, command_, outcome_); }

  void OnOK() override {
    control_->workerDone();
    if (!err_.ok()) {
      deferred_.Reject(makeError(Env(), err_).Value());
    } else {
      deferred_.Resolve(Napi::String::New(Env(), outcome_ == dahdi_io::MaintOutcome::Done ? "done" : "unsupported"));
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  ControlWrap* control_;
  Napi::ObjectReference controlRef_;  // keeps the control (and its fd) alive until OnOK
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
  auto device = std::make_unique<dahdi_io::ControlDevice>();
  dahdi_io::IoError err = device->open(devDir);
  if (!err.ok()) throw makeError(env, err);
  InstanceData& data = instanceData(env);
  Napi::Object obj = data.controlClass.New({});  // if this throws, `device` closes the fd
  Unwrap(obj)->device_ = std::move(device);
  data.registry->fds++;
  return obj;
}

ControlWrap::ControlWrap(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<ControlWrap>(info), registry_(instanceData(info.Env()).registry) {
  registry_->controls.insert(this);
}

// A control dropped without close() is closed here as a backstop; resources() shows such
// leaks long before the garbage collector gets to them.
ControlWrap::~ControlWrap() {
  releaseFd();
  registry_->controls.erase(this);
}

void ControlWrap::closeNow() {
  closed_ = true;
  releaseFd();
}

void ControlWrap::workerDone() {
  if (--inflight_ == 0 && closed_) releaseFd();
}

void ControlWrap::releaseFd() {
  if (device_ && device_->isOpen()) {
    device_->close();
    registry_->fds--;
  }
}

void ControlWrap::throwIfClosed(Napi::Env env, const char* syscall) const {
  if (closed_) throw makeError(env, dahdi_io::IoError{EBADF, syscall, 0, 0}, "the control was closed");
}

Napi::Value ControlWrap::Version(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  throwIfClosed(env, "ioctl:DAHDI_GETVERSION");
  dahdi_io::Version v;
  dahdi_io::IoError err = device_->version(v);
  if (!err.ok()) throw makeError(env, err);
  Napi::Object o = Napi::Object::New(env);
  o.Set("version", v.version);
  o.Set("echoCanceller", v.echoCanceller);
  return o;
}

Napi::Value ControlWrap::SpanStat(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int span = intArg(info, 0, "span");
  throwIfClosed(env, "ioctl:DAHDI_SPANSTAT");
  std::optional<dahdi_io::SpanInfo> out;
  dahdi_io::IoError err = device_->spanStat(span, out);
  if (!err.ok()) throw makeError(env, err);
  return out ? Napi::Value(spanInfoValue(env, *out)) : env.Null();
}

Napi::Value ControlWrap::GetParams(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int channel = intArg(info, 0, "channel");
  throwIfClosed(env, "ioctl:DAHDI_GET_PARAMS");
  std::optional<dahdi_io::Params> out;
  dahdi_io::IoError err = device_->getParams(channel, out);
  if (!err.ok()) throw makeError(env, err);
  return out ? Napi::Value(paramsValue(env, *out)) : env.Null();
}

// Returns a Promise in every case, also after close(): a promise-returning method that
// sometimes throws instead forces callers to handle failure twice.
Napi::Value ControlWrap::Maintenance(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int span = intArg(info, 0, "span");
  const int command = intArg(info, 1, "command");
  if (closed_) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(makeError(env, dahdi_io::IoError{EBADF, "ioctl:DAHDI_MAINT", span, 0}, "the control was closed").Value());
    return deferred.Promise();
  }
  auto* worker = new MaintenanceWorker(env, this, span, command);
  Napi::Promise promise = worker->promise();
  inflight_++;
  worker->Queue();
  return promise;
}

Napi::Value ControlWrap::Close(const Napi::CallbackInfo& info) {
  closed_ = true;
  if (inflight_ == 0) releaseFd();
  return info.Env().Undefined();
}

Napi::Value ControlWrap::Closed(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), closed_);
}

}  // namespace tdmgate

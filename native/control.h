// NativeControl: the JS object over one shared /dev/dahdi/ctl fd (version, spanStat,
// getParams, maintenance, close).
#pragma once

#include <memory>
#include <string>

#include <napi.h>

#include "dahdi_io.h"
#include "registry.h"

namespace tdmgate {

class ControlWrap : public Napi::ObjectWrap<ControlWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  // openControl(devDir): opens first, so that a failed open throws before any object exists.
  static Napi::Value Open(const Napi::CallbackInfo& info);

  explicit ControlWrap(const Napi::CallbackInfo& info);
  ~ControlWrap() override;

  // Environment teardown: the fd goes now, whatever JS still holds.
  void closeNow();
  // A maintenance worker finished with the fd (see inflight_).
  void workerDone();
  const dahdi_io::ControlDevice& device() const { return *device_; }

 private:
  Napi::Value Version(const Napi::CallbackInfo& info);
  Napi::Value SpanStat(const Napi::CallbackInfo& info);
  Napi::Value GetParams(const Napi::CallbackInfo& info);
  Napi::Value Maintenance(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Closed(const Napi::CallbackInfo& info);

  void throwIfClosed(Napi::Env env, const char* syscall) const;
  void releaseFd();

  std::shared_ptr<Registry> registry_;
  std::unique_ptr<dahdi_io::ControlDevice> device_;
  bool closed_ = false;
  // DAHDI_MAINT runs on the libuv threadpool; close() while one is in flight defers closing the
  // fd until it returns, so the worker can never ioctl a number the process has reused.
  int inflight_ = 0;
};

}  // namespace tdmgate

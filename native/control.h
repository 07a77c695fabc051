// NativeControl: the JS object over one shared /dev/dahdi/ctl fd (version, spanStat,
// getParams, maintenance, close).
#pragma once

#include <memory>
#include <string>
#include <utility>

#include <napi.h>

#include "dahdi_io.h"
#include "registry.h"

namespace tdmgate {

// The ctl fd, owned jointly by its control and by each maintenance worker running DAHDI_MAINT
// on it, and closed by whichever lets go last. close() and environment teardown both only drop
// the control's share, so no order of events - not even a teardown that does not wait for the
// threadpool - closes the number while the threadpool may still ioctl it, and an environment
// that goes away leaks nothing: the worker's completion, which Node always runs, drops the rest.
struct SharedControlFd {
  explicit SharedControlFd(std::shared_ptr<Registry> registry) : registry(std::move(registry)) {}
  SharedControlFd(const SharedControlFd&) = delete;
  SharedControlFd& operator=(const SharedControlFd&) = delete;
  ~SharedControlFd() {
    if (!device.isOpen()) return;
    device.close();
    registry->fds--;
  }

  // Counts the fd in resources() once it is open.
  dahdi_io::IoError open(const std::string& devDir) {
    dahdi_io::IoError err = device.open(devDir);
    if (err.ok()) registry->fds++;
    return err;
  }

  std::shared_ptr<Registry> registry;
  dahdi_io::ControlDevice device;
};

class ControlWrap : public Napi::ObjectWrap<ControlWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  // openControl(devDir): opens first, so that a failed open throws before any object exists.
  static Napi::Value Open(const Napi::CallbackInfo& info);

  explicit ControlWrap(const Napi::CallbackInfo& info);
  ~ControlWrap() override;

  // Environment teardown: the control lets go of the fd whatever JS still holds; a maintenance
  // worker still running keeps it until it returns (see SharedControlFd).
  void closeNow();

 private:
  Napi::Value Version(const Napi::CallbackInfo& info);
  Napi::Value SpanStat(const Napi::CallbackInfo& info);
  Napi::Value GetParams(const Napi::CallbackInfo& info);
  Napi::Value Maintenance(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Closed(const Napi::CallbackInfo& info);

  // Throws EBADF naming `syscall` after close(); returns the open device otherwise.
  dahdi_io::ControlDevice& openDevice(Napi::Env env, const char* syscall) const;

  std::shared_ptr<Registry> registry_;
  // Null once closed. Shared with every MaintenanceWorker still running on it.
  std::shared_ptr<SharedControlFd> fd_;
};

}  // namespace tdmgate

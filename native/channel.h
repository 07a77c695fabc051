// NativeOwnedChannel: one exclusively opened channel (DAHDI_SPECIFY) whose POLLPRI readiness
// is watched on the libuv loop; each wake drains DAHDI_GETEVENT into one onEvents call.
#pragma once

#include <memory>

#include <napi.h>
#include <uv.h>

#include "registry.h"

namespace tdmgate {

class ChannelWrap : public Napi::ObjectWrap<ChannelWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  // openChannel(devDir, channel, onEvents)
  static Napi::Value Open(const Napi::CallbackInfo& info);

  explicit ChannelWrap(const Napi::CallbackInfo& info);
  ~ChannelWrap() override;

 private:
  // The uv_poll_t outlives the wrap until libuv's close callback; it points back while open.
  struct PollHandle {
    uv_poll_t poll;
    ChannelWrap* owner;
    napi_async_cleanup_hook_handle teardownHook = nullptr;  // set when closed by teardown
  };

  Napi::Value Channel(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  // Takes the fd; on failure it is closed, nothing polls and the exception propagates.
  void start(Napi::Env env, int fd, int channel, Napi::Function onEvents);
  void setUp(Napi::Env env, Napi::Function onEvents);
  void onWake(int status);
  // Stops polling, closes the fd and hands the uv handle to uv_close; no JS involved.
  void release(napi_async_cleanup_hook_handle teardownHook);
  static void OnPoll(uv_poll_t* handle, int status, int events);
  static void OnClosed(uv_handle_t* handle);
  static void OnTeardown(napi_async_cleanup_hook_handle handle, void* arg);

  std::shared_ptr<Registry> registry_;
  int fd_ = -1;
  int channel_ = 0;
  PollHandle* poll_ = nullptr;
  bool polling_ = false;
  // Environment teardown must close the uv handle and wait for its close callback before the
  // loop is closed (worker_threads check that), hence an async cleanup hook per channel.
  napi_async_cleanup_hook_handle cleanupHook_ = nullptr;
  Napi::FunctionReference onEvents_;
  std::unique_ptr<Napi::AsyncContext> asyncContext_;
};

}  // namespace tdmgate

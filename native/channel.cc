// NativeOwnedChannel (see channel.h).
#include "channel.h"

#include <vector>

#include "dahdi_io.h"
#include "js_values.h"

namespace tdmgate {

Napi::Function ChannelWrap::Define(Napi::Env env) {
  return DefineClass(env, "DahdiChannel",
                     {
                         InstanceAccessor<&ChannelWrap::Channel>("channel"),
                         InstanceMethod<&ChannelWrap::Close>("close"),
                     });
}

Napi::Value ChannelWrap::Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string devDir = stringArg(info, 0, "devDir");
  const int channel = intArg(info, 1, "channel");
  Napi::Function onEvents = functionArg(info, 2, "onEvents");
  int fd = -1;
  dahdi_io::IoError err = dahdi_io::openChannel(devDir, channel, fd);
  if (!err.ok()) throw makeError(env, err);
  InstanceData& data = instanceData(env);
  Napi::Object obj;
  try {
    obj = data.channelClass.New({});
  } catch (...) {
    dahdi_io::closeFd(fd);
    throw;
  }
  data.registry->fds++;
  Unwrap(obj)->start(env, fd, channel, onEvents);
  return obj;
}

ChannelWrap::ChannelWrap(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<ChannelWrap>(info), registry_(instanceData(info.Env()).registry) {}

// Only reached with the fd still open if teardown skipped the async hook; never leak the fd.
ChannelWrap::~ChannelWrap() {
  if (fd_ >= 0) release(nullptr);
}

void ChannelWrap::start(Napi::Env env, int fd, int channel, Napi::Function onEvents) {
  fd_ = fd;
  channel_ = channel;
  try {
    setUp(env, onEvents);
  } catch (...) {
    // openChannel throws and the object never reaches JS: nothing may stay open or polled.
    release(nullptr);
    onEvents_.Reset();
    asyncContext_.reset();
    throw;
  }
}

// Polling starts last, once everything onWake and teardown use is in place: the loop may call
// onWake on its next turn, and a set-up that fails before then leaves only things release()
// undoes.
void ChannelWrap::setUp(Napi::Env env, Napi::Function onEvents) {
  onEvents_ = Napi::Persistent(onEvents);
  asyncContext_ = std::make_unique<Napi::AsyncContext>(env, "tdmgate:channel-events");
#ifdef TDMGATE_TEST_FAIL_CHANNEL_CLEANUP_HOOK
  // Only in the copy test/native/binding.test.ts builds: no real environment refuses the hook,
  // so this is how a test proves that a failed set-up leaves nothing behind.
  const napi_status hookStatus = napi_generic_failure;
#else
  const napi_status hookStatus = napi_add_async_cleanup_hook(env, OnTeardown, this, &cleanupHook_);
#endif
  NAPI_THROW_IF_FAILED_VOID(env, hookStatus);
  uv_loop_t* loop = nullptr;
  NAPI_THROW_IF_FAILED_VOID(env, napi_get_uv_event_loop(env, &loop));
  poll_ = new PollHandle{};
  poll_->owner = this;
  int rc = uv_poll_init(loop, &poll_->poll, fd_);
  if (rc < 0) {
    delete poll_;  // uv_poll_init registers nothing when it fails
    poll_ = nullptr;
    throw makeError(env, dahdi_io::IoError{-rc, "uv_poll_init", 0, channel_});
  }
  poll_->poll.data = poll_;
  // POLLPRI only: DAHDI raises POLLIN whenever voice data waits, and nobody reads it here, so
  // asking for UV_READABLE as well would wake the loop on every 20 ms chunk of a busy channel.
  rc = uv_poll_start(&poll_->poll, UV_PRIORITIZED, OnPoll);
  if (rc < 0) throw makeError(env, dahdi_io::IoError{-rc, "uv_poll_start", 0, channel_});
  polling_ = true;
  // An open channel is a live handle: it must not be collected while the loop can call it.
  Ref();
}

void ChannelWrap::OnPoll(uv_poll_t* handle, int status, int /*events*/) {
  static_cast<PollHandle*>(handle->data)->owner->onWake(status);
}

void ChannelWrap::onWake(int status) {
  Napi::Env env = Env();
  Napi::HandleScope scope(env);
  std::vector<int> codes;
  dahdi_io::IoError err = dahdi_io::drainEvents(fd_, channel_, codes);
  // libuv reports POLLERR as UV_EBADF and has already stopped the handle.
  if (err.ok() && status < 0) err = dahdi_io::IoError{-status, "poll", 0, channel_};
  if (!err.ok() && polling_) {
    // A failing fd stays ready; polling on would spin the loop. The owner decides what next.
    uv_poll_stop(&poll_->poll);
  }
  if (!err.ok()) polling_ = false;
  if (codes.empty() && err.ok()) return;

  Napi::Array array = Napi::Array::New(env, codes.size());
  for (size_t i = 0; i < codes.size(); i++) array.Set(static_cast<uint32_t>(i), codes[i]);
  std::vector<napi_value> args{array, Napi::Number::New(env, nowMs())};
  if (!err.ok()) args.push_back(makeError(env, err).Value());
  try {
    onEvents_.MakeCallback(Value(), args, *asyncContext_);
  } catch (const Napi::Error& e) {
    // No JS frame is below a libuv callback: hand the exception to 'uncaughtException'.
    napi_fatal_exception(env, e.Value());
  }
}

void ChannelWrap::release(napi_async_cleanup_hook_handle teardownHook) {
  if (polling_) uv_poll_stop(&poll_->poll);
  polling_ = false;
  if (fd_ >= 0) {
    dahdi_io::closeFd(fd_);
    fd_ = -1;
    registry_->fds--;
  }
  if (poll_ != nullptr) {
    poll_->owner = nullptr;
    poll_->teardownHook = teardownHook;
    uv_close(reinterpret_cast<uv_handle_t*>(&poll_->poll), OnClosed);
    poll_ = nullptr;
  } else if (teardownHook != nullptr) {
    napi_remove_async_cleanup_hook(teardownHook);
  }
  if (teardownHook == nullptr && cleanupHook_ != nullptr) napi_remove_async_cleanup_hook(cleanupHook_);
  cleanupHook_ = nullptr;
}

void ChannelWrap::OnClosed(uv_handle_t* handle) {
  auto* poll = static_cast<PollHandle*>(handle->data);
  // Teardown waits for this: only now is the handle gone from the loop.
  if (poll->teardownHook != nullptr) napi_remove_async_cleanup_hook(poll->teardownHook);
  delete poll;
}

void ChannelWrap::OnTeardown(napi_async_cleanup_hook_handle handle, void* arg) {
  static_cast<ChannelWrap*>(arg)->release(handle);
}

Napi::Value ChannelWrap::Channel(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), channel_); }

Napi::Value ChannelWrap::Close(const Napi::CallbackInfo& info) {
  if (fd_ >= 0) {
    release(nullptr);
    onEvents_.Reset();
    Unref();
  }
  return info.Env().Undefined();
}

}  // namespace tdmgate

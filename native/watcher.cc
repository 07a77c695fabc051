// NativeWatcher (see watcher.h). Shutdown follows node-addon-api's tsfn_object_wrap example:
// stop() aborts the TSFN, the TSFN finalizer (JS thread) joins the thread and resolves stop()'s
// promise, and CallJs treats an empty Env as "finalizing: free the data, call nothing".
#include "watcher.h"

#include <chrono>
#include <cmath>

#include "js_values.h"

namespace tdmgate {

namespace {

Napi::Object edgeValue(Napi::Env env, const Edge& e) {
  Napi::Object o = Napi::Object::New(env);
  switch (e.type) {
    case Edge::Type::SpanAdded:
      o.Set("type", "span-added");
      o.Set("span", e.span);
      o.Set("info", spanInfoValue(env, *e.info));
      break;
    case Edge::Type::SpanRemoved:
      o.Set("type", "span-removed");
      o.Set("span", e.span);
      break;
    case Edge::Type::Alarm:
      o.Set("type", "alarm");
      o.Set("span", e.span);
      o.Set("previous", e.previous);
      o.Set("alarms", e.value);
      break;
    case Edge::Type::Counter:
      o.Set("type", "counter");
      o.Set("span", e.span);
      o.Set("counter", e.counter);
      o.Set("delta", static_cast<double>(e.delta));
      break;
    case Edge::Type::RxBits:
      o.Set("type", "rxbits");
      o.Set("span", e.span);
      o.Set("channel", e.channel);
      o.Set("previous", e.previous);
      o.Set("bits", e.value);
      break;
    case Edge::Type::Hook:
      o.Set("type", "hook");
      o.Set("span", e.span);
      o.Set("channel", e.channel);
      o.Set("offhook", e.value != 0);
      break;
  }
  return o;
}

}  // namespace

void deliverBatch(Napi::Env env, Napi::Function onBatch, WatcherCore* core, EdgeBatch* raw) {
  std::unique_ptr<EdgeBatch> batch(raw);
  if (env == nullptr || onBatch == nullptr) return;  // the TSFN is finalizing
  // Abort() already drops queued batches; this covers one that was mid-dispatch at stop().
  if (core->stopping()) return;
  Napi::Object o = Napi::Object::New(env);
  o.Set("at", batch->at);
  Napi::Array edges = Napi::Array::New(env, batch->edges.size());
  for (size_t i = 0; i < batch->edges.size(); i++) edges.Set(static_cast<uint32_t>(i), edgeValue(env, batch->edges[i]));
  o.Set("edges", edges);
  if (batch->error) o.Set("error", makeError(env, *batch->error).Value());
  onBatch.Call({o});
}

void WatcherCore::start(Napi::Env env, Napi::Function onBatch, std::shared_ptr<WatcherCore> self) {
  tsfn_ = BatchTsfn::New(env, onBatch, "tdmgate:dahdi-watcher", 0, 1, this, Finalize,
                         new std::shared_ptr<WatcherCore>(std::move(self)));
  try {
    thread_ = std::thread([this] { run(); });
  } catch (const std::system_error& e) {
    tsfn_.Release();  // no thread will: let the TSFN finalize
    throw Napi::Error::New(env, std::string("cannot start the DAHDI watcher thread: ") + e.what());
  }
  registry_->threads++;
  registry_->watchers.insert(this);
}

bool WatcherCore::stopping() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopRequested_;
}

void WatcherCore::requestStop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopRequested_ = true;
  }
  wake_.notify_all();
}

void WatcherCore::stop(Napi::Promise::Deferred deferred) {
  if (finalized_) {
    deferred.Resolve(deferred.Env().Undefined());
    return;
  }
  stopWaiters_.push_back(deferred);
  requestStop();
  if (!aborted_) {
    aborted_ = true;
    tsfn_.Abort();
  }
}

void WatcherCore::stopAndJoin() {
  requestStop();
  if (thread_.joinable()) {
    thread_.join();
    registry_->threads--;
  }
}

void WatcherCore::Finalize(Napi::Env env, std::shared_ptr<WatcherCore>* self, WatcherCore* core) {
  std::unique_ptr<std::shared_ptr<WatcherCore>> keepAlive(self);
  core->stopAndJoin();
  core->finalized_ = true;
  core->registry_->watchers.erase(core);
  for (auto& deferred : core->stopWaiters_) deferred.Resolve(env.Undefined());
  core->stopWaiters_.clear();
}

// The watcher thread. It owns its ctl fd (never shared with NativeControl, whose close() must
// not pull the fd from under a poll) and reopens it on the next tick when opening failed, so a
// watcher started before `modprobe dahdi` starts working once the driver is there. An error is
// delivered when it first appears or changes; an empty batch without error says it cleared.
void WatcherCore::run() {
  dahdi_io::ControlDevice device;
  EdgeTracker tracker(channels_);
  dahdi_io::IoError shownError;  // ok() when no error is being shown
  bool closing = false;
  // Polls run on fixed deadlines, not "interval after the last poll ended": otherwise the
  // period stretches by each poll's own cost (SPANSTAT takes DAHDI's channel lock) and an edge
  // can wait longer than one interval to be seen.
  const auto interval = std::chrono::milliseconds(intervalMs_);
  auto deadline = std::chrono::steady_clock::now();
  for (;;) {
    auto batch = std::make_unique<EdgeBatch>();
    batch->at = nowMs();
    dahdi_io::IoError err;
    if (!device.isOpen()) {
      err = device.open(devDir_);
      if (err.ok()) registry_->fds++;
    }
    if (device.isOpen()) err = tracker.poll(device, batch->edges);

    const bool newError = !err.ok() && err != shownError;
    const bool cleared = err.ok() && !shownError.ok();
    if (newError) batch->error = err;
    shownError = err;
    if (!batch->edges.empty() || newError || cleared) {
      if (tsfn_.BlockingCall(batch.get()) == napi_ok) {
        batch.release();  // deliverBatch owns it now
      } else {
        closing = true;  // napi_closing: the TSFN is going away; the finalizer will join us
        break;
      }
    }

    deadline += interval;
    const auto now = std::chrono::steady_clock::now();
    // A poll that overran (a stalled ioctl while dahdi_cfg registers spans) skips the missed
    // ticks rather than firing them back to back.
    if (deadline < now) deadline = now;
    std::unique_lock<std::mutex> lock(mutex_);
    if (wake_.wait_until(lock, deadline, [this] { return stopRequested_; })) break;
  }
  if (device.isOpen()) {
    device.close();
    registry_->fds--;
  }
  // After stop()'s Abort this returns napi_invalid_arg, harmlessly: the TSFN is freed only
  // after its finalizer has joined this thread.
  if (!closing) tsfn_.Release();
}

Napi::Function WatcherWrap::Define(Napi::Env env) {
  return DefineClass(env, "DahdiWatcher", {InstanceMethod<&WatcherWrap::Stop>("stop")});
}

Napi::Value WatcherWrap::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string devDir = stringArg(info, 0, "devDir");
  if (!info[1].IsObject()) throw Napi::TypeError::New(env, "options must be an object");
  Napi::Object options = info[1].As<Napi::Object>();
  Napi::Value interval = options.Get("intervalMs");
  const double intervalMs = interval.IsNumber() ? interval.As<Napi::Number>().DoubleValue() : NAN;
  if (!std::isfinite(intervalMs) || intervalMs < 1 || intervalMs > 3600000) {
    throw Napi::RangeError::New(env, "options.intervalMs must be a number of milliseconds from 1 to 3600000");
  }
  Napi::Value list = options.Get("channels");
  if (!list.IsArray()) throw Napi::TypeError::New(env, "options.channels must be an array of channel numbers");
  Napi::Array array = list.As<Napi::Array>();
  std::vector<int> channels;
  for (uint32_t i = 0; i < array.Length(); i++) {
    Napi::Value v = array.Get(i);
    const double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : NAN;
    if (!std::isfinite(d) || std::floor(d) != d || d < 1 || d > 1024) {
      throw Napi::TypeError::New(env, "options.channels must hold channel numbers from 1 to 1024");
    }
    channels.push_back(static_cast<int>(d));
  }
  Napi::Function onBatch = functionArg(info, 2, "onBatch");

  InstanceData& data = instanceData(env);
  auto core = std::make_shared<WatcherCore>(data.registry, std::move(devDir), static_cast<int>(intervalMs), std::move(channels));
  Napi::Object obj = data.watcherClass.New({});
  WatcherWrap* wrap = Unwrap(obj);
  wrap->core_ = core;
  core->start(env, onBatch, core);
  return obj;
}

Napi::Value WatcherWrap::Stop(const Napi::CallbackInfo& info) {
  auto deferred = Napi::Promise::Deferred::New(info.Env());
  core_->stop(deferred);
  return deferred.Promise();
}

}  // namespace tdmgate

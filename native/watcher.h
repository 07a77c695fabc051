// NativeWatcher: a thread that polls span and channel state on its own ctl fd, diffs it with
// EdgeTracker and hands only changes to JavaScript through a TypedThreadSafeFunction.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <napi.h>

#include "dahdi_io.h"
#include "edge_tracker.h"
#include "registry.h"

namespace tdmgate {

struct EdgeBatch {
  double at = 0;
  std::vector<Edge> edges;
  std::optional<dahdi_io::IoError> error;
};

class WatcherCore;
void deliverBatch(Napi::Env env, Napi::Function onBatch, WatcherCore* core, EdgeBatch* batch);
using BatchTsfn = Napi::TypedThreadSafeFunction<WatcherCore, EdgeBatch, deliverBatch>;

// Shared by the JS wrapper, the thread and the TSFN finalizer; freed by whichever is last.
class WatcherCore {
 public:
  WatcherCore(std::shared_ptr<Registry> registry, std::string devDir, int intervalMs, std::vector<int> channels)
      : registry_(std::move(registry)), devDir_(std::move(devDir)), intervalMs_(intervalMs), channels_(std::move(channels)) {}

  // JS thread. Starts the thread; the TSFN's finalizer joins it.
  void start(Napi::Env env, Napi::Function onBatch, std::shared_ptr<WatcherCore> self);
  // JS thread. Wakes the thread, drops batches not yet delivered; `deferred` resolves once the
  // thread has joined and its fd is closed.
  void stop(Napi::Promise::Deferred deferred);
  // JS thread, environment teardown: stop and join now, no JS.
  void stopAndJoin();
  bool stopping() const;

 private:
  void run();
  void requestStop();
  static void Finalize(Napi::Env env, std::shared_ptr<WatcherCore>* self, WatcherCore* core);

  std::shared_ptr<Registry> registry_;
  const std::string devDir_;
  const int intervalMs_;
  const std::vector<int> channels_;

  BatchTsfn tsfn_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopRequested_ = false;  // guarded by mutex_
  // JS thread only:
  bool aborted_ = false;
  bool finalized_ = false;
  std::vector<Napi::Promise::Deferred> stopWaiters_;
};

class WatcherWrap : public Napi::ObjectWrap<WatcherWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  // startWatcher(devDir, { intervalMs, channels }, onBatch)
  static Napi::Value Start(const Napi::CallbackInfo& info);
  explicit WatcherWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<WatcherWrap>(info) {}

 private:
  Napi::Value Stop(const Napi::CallbackInfo& info);
  std::shared_ptr<WatcherCore> core_;
};

}  // namespace tdmgate

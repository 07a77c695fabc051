// Per-environment state of the binding, kept with SetInstanceData (no statics: the addon can be
// loaded in several worker_threads at once). The Registry counts what the binding holds, for
// resources() and for closing everything when the environment is torn down.
#pragma once

#include <atomic>
#include <memory>
#include <set>

#include <napi.h>

namespace tdmgate {

class ControlWrap;
class WatcherCore;

// Shared (std::shared_ptr) by the instance data, every wrap and every watcher thread, so that
// whichever of them goes last frees it; the order of N-API's teardown does not matter.
struct Registry {
  std::atomic<int> fds{0};      // watcher threads open and close their own fd
  std::atomic<int> threads{0};
  std::set<ControlWrap*> controls;  // JS thread only
  std::set<WatcherCore*> watchers;  // JS thread only
};

struct InstanceData {
  std::shared_ptr<Registry> registry = std::make_shared<Registry>();
  Napi::FunctionReference controlClass;
  Napi::FunctionReference watcherClass;
  Napi::FunctionReference channelClass;
};

inline InstanceData& instanceData(Napi::Env env) { return *env.GetInstanceData<InstanceData>(); }

}  // namespace tdmgate

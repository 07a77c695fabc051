// The module: exports NativeBinding (src/hardware/dahdi/native.ts) and owns the per-environment
// lifetime - instance data instead of statics, and a cleanup hook that stops watcher threads
// and lets controls go of their fds when the environment goes away, whatever JS forgot to close
// (a maintenance() still running keeps its fd until it returns).
#include <memory>
#include <vector>

#include <napi.h>

#include "channel.h"
#include "control.h"
#include "dahdi_io.h"
#include "registry.h"
#include "watcher.h"

namespace tdmgate {

namespace {

Napi::Value Resources(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Registry& registry = *instanceData(env).registry;
  Napi::Object o = Napi::Object::New(env);
  o.Set("fds", registry.fds.load());
  o.Set("threads", registry.threads.load());
  return o;
}

// Channels register their own async cleanup hooks (their uv handles must finish closing).
void Teardown(std::shared_ptr<Registry>* holder) {
  std::unique_ptr<std::shared_ptr<Registry>> keep(holder);
  Registry& registry = **holder;
  const std::vector<WatcherCore*> watchers(registry.watchers.begin(), registry.watchers.end());
  for (WatcherCore* watcher : watchers) watcher->stopAndJoin();
  const std::vector<ControlWrap*> controls(registry.controls.begin(), registry.controls.end());
  for (ControlWrap* control : controls) control->closeNow();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new InstanceData();
  env.SetInstanceData(data);
  data->controlClass = Napi::Persistent(ControlWrap::Define(env));
  data->watcherClass = Napi::Persistent(WatcherWrap::Define(env));
  data->channelClass = Napi::Persistent(ChannelWrap::Define(env));
  env.AddCleanupHook(Teardown, new std::shared_ptr<Registry>(data->registry));

  exports.Set("openControl", Napi::Function::New(env, ControlWrap::Open, "openControl"));
  exports.Set("startWatcher", Napi::Function::New(env, WatcherWrap::Start, "startWatcher"));
  exports.Set("openChannel", Napi::Function::New(env, ChannelWrap::Open, "openChannel"));
  exports.Set("resources", Napi::Function::New(env, Resources, "resources"));

  const dahdi_io::StructSizes sizes = dahdi_io::structSizes();
  Napi::Object abi = Napi::Object::New(env);
  abi.Set("spaninfo", sizes.spaninfo);
  abi.Set("spaninfoV1", sizes.spaninfoV1);
  abi.Set("params", sizes.params);
  abi.Set("maintinfo", sizes.maintinfo);
  abi.Freeze();
  exports.Set("abi", abi);
  return exports;
}

}  // namespace

}  // namespace tdmgate

namespace {
Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return tdmgate::Init(env, exports); }
}  // namespace

NODE_API_MODULE(tdmgate_dahdi, InitModule)

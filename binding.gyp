# Builds build/Release/tdmgate_dahdi.node, the N-API binding over DAHDI (see docs/native-binding.md).
# Needs only <dahdi/user.h> (Debian: dahdi-source) at build time, not the driver: /dev/dahdi is
# first touched when JS calls the binding.
{
  "targets": [
    {
      "target_name": "tdmgate_dahdi",
      "sources": [
        "native/binding.cc",
        "native/channel.cc",
        "native/control.cc",
        "native/dahdi_io.cc",
        "native/edge_tracker.cc",
        "native/js_values.cc",
        "native/watcher.cc"
      ],
      "dependencies": [
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"
      ],
      "include_dirs": ["/usr/include"],
      "cflags": ["-Wall", "-Wextra"],
      "cflags_cc": ["-Wall", "-Wextra"],
      # NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS: a threadpool worker may complete while a
      # worker_threads environment is being torn down, when N-API refuses every call that could
      # run JavaScript; node-addon-api then drops the error instead of throwing it out of the
      # completion callback, which would reach std::terminate and abort the whole process.
      "defines": ["NAPI_VERSION=8", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"]
    }
  ]
}

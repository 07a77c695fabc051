// The watcher's memory between two polls and the diff that turns two snapshots into edges.
// Plain C++ on top of dahdi_io so that the watcher thread never needs N-API to decide whether
// anything changed: a quiet tick costs ioctls only, no allocation handed to JavaScript.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "dahdi_io.h"

namespace tdmgate {

// One RawEdge of src/hardware/dahdi/native.ts.
struct Edge {
  enum class Type { SpanAdded, SpanRemoved, Alarm, Counter, RxBits, Hook };
  Edge(Type t, int spanNumber, int channelNumber = 0) : type(t), span(spanNumber), channel(channelNumber) {}

  Type type;
  int span = 0;
  int channel = 0;
  int previous = 0;  // Alarm: previous alarms; RxBits: previous bits
  int value = 0;     // Alarm: alarms; RxBits: bits; Hook: rxisoffhook
  const char* counter = nullptr;  // Counter: 'bpv', 'crc4', ...
  int64_t delta = 0;              // Counter: how much it grew
  std::optional<dahdi_io::SpanInfo> info;  // SpanAdded
};

class EdgeTracker {
 public:
  explicit EdgeTracker(std::vector<int> channels) : channels_(std::move(channels)) {}

  // One poll of every span and followed channel. Appends the edges seen since the previous
  // poll and returns the first error; on a span error nothing is diffed, so the snapshot is
  // never half-updated and a transient failure cannot fake span-removed/span-added pairs.
  dahdi_io::IoError poll(dahdi_io::StateReader& dev, std::vector<Edge>& edges);

 private:
  dahdi_io::IoError scanSpans(dahdi_io::StateReader& dev, std::map<int, dahdi_io::SpanInfo>& seen);
  void diffSpans(std::map<int, dahdi_io::SpanInfo>& seen, std::vector<Edge>& edges);
  dahdi_io::IoError pollChannels(dahdi_io::StateReader& dev, std::vector<Edge>& edges);

  struct ChannelState {
    int rxbits;
    int rxisoffhook;
  };
  std::vector<int> channels_;
  std::map<int, dahdi_io::SpanInfo> spans_;
  std::map<int, ChannelState> channelStates_;
};

}  // namespace tdmgate

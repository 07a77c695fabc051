// Span discovery and the snapshot diff of the watcher (see edge_tracker.h).
#include "edge_tracker.h"

namespace tdmgate {

using dahdi_io::IoError;
using dahdi_io::Params;
using dahdi_io::SpanInfo;
using dahdi_io::StateReader;

namespace {

constexpr int kMaxSpans = 128;  // DAHDI_MAX_SPANS; dahdi_io owns the header

struct Counter {
  const char* name;
  int64_t (*read)(const SpanInfo&);
  bool extended;  // absent from the V1 structure
};

// int counters and __u32 counters alike widen to int64 so that a delta never overflows.
const Counter kCounters[] = {
    {"bpv", [](const SpanInfo& s) -> int64_t { return s.bpvcount; }, false},
    {"crc4", [](const SpanInfo& s) -> int64_t { return s.crc4count; }, false},
    {"ebit", [](const SpanInfo& s) -> int64_t { return s.ebitcount; }, false},
    {"fas", [](const SpanInfo& s) -> int64_t { return s.fascount; }, false},
    {"fe", [](const SpanInfo& s) -> int64_t { return s.fecount; }, true},
    {"cv", [](const SpanInfo& s) -> int64_t { return s.cvcount; }, true},
    {"be", [](const SpanInfo& s) -> int64_t { return s.becount; }, true},
    {"prbs", [](const SpanInfo& s) -> int64_t { return s.prbs; }, true},
    {"errsec", [](const SpanInfo& s) -> int64_t { return s.errsec; }, true},
    {"irqmisses", [](const SpanInfo& s) -> int64_t { return s.irqmisses; }, false},
};

// A span number now naming another device (spans unassigned and reassigned between two polls)
// is a removal plus an addition, not a change of name.
bool sameSpan(const SpanInfo& a, const SpanInfo& b) {
  return a.name == b.name && a.location == b.location && a.devicetype == b.devicetype;
}

}  // namespace

IoError EdgeTracker::poll(StateReader& dev, std::vector<Edge>& edges) {
  std::map<int, SpanInfo> seen;
  IoError err = scanSpans(dev, seen);
  if (!err.ok()) return err;
  diffSpans(seen, edges);
  return pollChannels(dev, edges);
}

// Known spans are asked first; every answer carries totalspans, and only when the known set
// does not add up to it (a span came or went) is the whole 1..128 range scanned, stopping as
// soon as totalspans spans were found. Span numbers can have gaps, so totalspans bounds the
// count, not the numbers. A steady system of 32 spans costs 32 ioctls a tick; a system with no
// span at all costs 128 ioctls that each fail fast with EINVAL.
IoError EdgeTracker::scanSpans(StateReader& dev, std::map<int, SpanInfo>& seen) {
  int total = -1;
  std::optional<SpanInfo> info;
  for (const auto& known : spans_) {
    IoError err = dev.spanStat(known.first, info);
    if (!err.ok()) return err;
    if (info) {
      total = info->totalspans;
      seen.emplace(known.first, std::move(*info));
    }
  }
  if (!spans_.empty() && total == static_cast<int>(seen.size())) return {};
  for (int span = 1; span <= kMaxSpans; span++) {
    if (total >= 0 && static_cast<int>(seen.size()) >= total) break;
    if (seen.count(span) != 0) continue;
    IoError err = dev.spanStat(span, info);
    if (!err.ok()) return err;
    if (info) {
      total = info->totalspans;
      seen.emplace(span, std::move(*info));
    }
  }
  return {};
}

void EdgeTracker::diffSpans(std::map<int, SpanInfo>& seen, std::vector<Edge>& edges) {
  for (const auto& [span, before] : spans_) {
    auto now = seen.find(span);
    if (now == seen.end() || !sameSpan(before, now->second)) {
      edges.push_back(Edge{Edge::Type::SpanRemoved, span});
    }
  }
  for (const auto& [span, now] : seen) {
    auto before = spans_.find(span);
    if (before == spans_.end() || !sameSpan(before->second, now)) {
      Edge e{Edge::Type::SpanAdded, span};
      e.info = now;
      edges.push_back(std::move(e));
      continue;
    }
    const SpanInfo& prev = before->second;
    if (prev.alarms != now.alarms) {
      Edge e{Edge::Type::Alarm, span};
      e.previous = prev.alarms;
      e.value = now.alarms;
      edges.push_back(e);
    }
    for (const Counter& c : kCounters) {
      if (c.extended && !(prev.hasExtendedCounters && now.hasExtendedCounters)) continue;
      // A counter going down was reset (DAHDI_MAINT_RESET_COUNTERS, driver restart): it only
      // moves the baseline, it is not an error burst.
      const int64_t delta = c.read(now) - c.read(prev);
      if (delta > 0) {
        Edge e{Edge::Type::Counter, span};
        e.counter = c.name;
        e.delta = delta;
        edges.push_back(e);
      }
    }
  }
  spans_.swap(seen);
}

// The first sight of a channel only sets its baseline: its state at that moment is what
// getParams() returns, so the caller reads it there rather than receiving a fake edge.
IoError EdgeTracker::pollChannels(StateReader& dev, std::vector<Edge>& edges) {
  std::optional<Params> params;
  for (int channel : channels_) {
    IoError err = dev.getParams(channel, params);
    if (!err.ok()) return err;
    if (!params) {
      channelStates_.erase(channel);
      continue;
    }
    auto it = channelStates_.find(channel);
    if (it != channelStates_.end()) {
      if (it->second.rxbits != params->rxbits) {
        Edge e{Edge::Type::RxBits, params->spanno, channel};
        e.previous = it->second.rxbits;
        e.value = params->rxbits;
        edges.push_back(e);
      }
      if ((it->second.rxisoffhook != 0) != (params->rxisoffhook != 0)) {
        Edge e{Edge::Type::Hook, params->spanno, channel};
        e.value = params->rxisoffhook != 0 ? 1 : 0;
        edges.push_back(e);
      }
    }
    channelStates_[channel] = ChannelState{params->rxbits, params->rxisoffhook};
  }
  return {};
}

}  // namespace tdmgate

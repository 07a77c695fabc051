// The watcher's diff (native/edge_tracker.cc) against a scripted StateReader: what the qemu VM
// cannot show (counters stay 0 on dynamic spans, no V1 driver, no span number reuse) is checked
// here. Built and run by test/native/binding.test.ts; prints each failed check, exits 1 if any.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "edge_tracker.h"

using tdmgate::Edge;
using tdmgate::EdgeTracker;
using tdmgate::dahdi_io::IoError;
using tdmgate::dahdi_io::Params;
using tdmgate::dahdi_io::SpanInfo;
using tdmgate::dahdi_io::StateReader;

namespace {

int failures = 0;

#define CHECK(cond)                                                      \
  do {                                                                   \
    if (!(cond)) {                                                       \
      std::printf("%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
      failures++;                                                        \
    }                                                                    \
  } while (0)

class FakeDahdi : public StateReader {
 public:
  std::map<int, SpanInfo> spans;
  std::map<int, Params> channels;
  IoError failWith;
  int spanStatCalls = 0;

  IoError spanStat(int span, std::optional<SpanInfo>& out) override {
    spanStatCalls++;
    out.reset();
    if (!failWith.ok()) return failWith;
    auto it = spans.find(span);
    if (it == spans.end()) return {};
    out = it->second;
    out->totalspans = static_cast<int>(spans.size());
    return {};
  }

  IoError getParams(int channel, std::optional<Params>& out) override {
    out.reset();
    auto it = channels.find(channel);
    if (it != channels.end()) out = it->second;
    return {};
  }

  void addSpan(int n, const std::string& name) {
    SpanInfo s;
    s.spanno = n;
    s.name = name;
    s.location = "PCI Bus 02 Slot 0" + std::to_string(n);
    s.devicetype = "Fake E1";
    spans[n] = s;
  }
};

std::vector<Edge> poll(EdgeTracker& tracker, FakeDahdi& fake, IoError* errOut = nullptr) {
  std::vector<Edge> edges;
  fake.spanStatCalls = 0;
  IoError err = tracker.poll(fake, edges);
  if (errOut != nullptr) *errOut = err;
  else CHECK(err.ok());
  return edges;
}

void spansAppearAndGo() {
  FakeDahdi fake;
  fake.addSpan(1, "TE4/0/1");
  fake.addSpan(2, "TE4/0/2");
  EdgeTracker tracker({});

  std::vector<Edge> edges = poll(tracker, fake);
  CHECK(edges.size() == 2);
  CHECK(edges.at(0).type == Edge::Type::SpanAdded && edges.at(0).span == 1 && edges.at(0).info && edges.at(0).info->name == "TE4/0/1");
  CHECK(edges.at(1).type == Edge::Type::SpanAdded && edges.at(1).span == 2);
  CHECK(fake.spanStatCalls == 2);  // totalspans stops the scan after span 2, not at 128

  CHECK(poll(tracker, fake).empty());
  CHECK(fake.spanStatCalls == 2);  // steady state: known spans only

  fake.spans.erase(2);
  fake.addSpan(5, "TE4/1/1");  // gaps in numbering are legal
  edges = poll(tracker, fake);
  CHECK(edges.size() == 2);
  CHECK(edges.at(0).type == Edge::Type::SpanRemoved && edges.at(0).span == 2);
  CHECK(edges.at(1).type == Edge::Type::SpanAdded && edges.at(1).span == 5);
  CHECK(fake.spanStatCalls == 2 + 4);  // known 1 and 2, then 2..5 until totalspans were found

  fake.addSpan(1, "WCTDM/0");  // span 1 now names another device
  edges = poll(tracker, fake);
  CHECK(edges.size() == 2);
  CHECK(edges.at(0).type == Edge::Type::SpanRemoved && edges.at(0).span == 1);
  CHECK(edges.at(1).type == Edge::Type::SpanAdded && edges.at(1).span == 1 && edges.at(1).info->name == "WCTDM/0");

  fake.spans.clear();
  edges = poll(tracker, fake);
  CHECK(edges.size() == 2 && edges.at(0).type == Edge::Type::SpanRemoved && edges.at(1).type == Edge::Type::SpanRemoved);
  CHECK(poll(tracker, fake).empty());
  CHECK(fake.spanStatCalls == 128);  // nothing known: the whole range, every tick
}

void alarmsAndCounters() {
  FakeDahdi fake;
  fake.addSpan(1, "TE2/0/1");
  fake.spans[1].alarms = 8;  // RED
  fake.spans[1].bpvcount = 10;
  fake.spans[1].fecount = 0xfffffff0u;
  EdgeTracker tracker({});
  poll(tracker, fake);

  fake.spans[1].alarms = 4;  // RED -> YELLOW: the kernel queues no channel event for this one
  fake.spans[1].crc4count = 3;
  fake.spans[1].fecount = 0xfffffffeu;  // __u32 near its top still gives a positive delta
  fake.spans[1].bpvcount = 0;           // reset: baseline only
  std::vector<Edge> edges = poll(tracker, fake);
  CHECK(edges.size() == 3);
  CHECK(edges.at(0).type == Edge::Type::Alarm && edges.at(0).previous == 8 && edges.at(0).value == 4);
  CHECK(edges.at(1).type == Edge::Type::Counter && std::string(edges.at(1).counter) == "crc4" && edges.at(1).delta == 3);
  CHECK(edges.at(2).type == Edge::Type::Counter && std::string(edges.at(2).counter) == "fe" && edges.at(2).delta == 14);

  fake.spans[1].bpvcount = 2;  // counts again from the new baseline
  fake.spans[1].irqmisses = 1;
  edges = poll(tracker, fake);
  CHECK(edges.size() == 2);
  CHECK(edges.at(0).type == Edge::Type::Counter && std::string(edges.at(0).counter) == "bpv" && edges.at(0).delta == 2);
  CHECK(edges.at(1).type == Edge::Type::Counter && std::string(edges.at(1).counter) == "irqmisses" && edges.at(1).delta == 1);
}

void v1DriverHasNoExtendedCounters() {
  FakeDahdi fake;
  fake.addSpan(1, "OLD/0");
  fake.spans[1].hasExtendedCounters = false;
  EdgeTracker tracker({});
  poll(tracker, fake);
  fake.spans[1].errsec = 5;  // garbage a V1 struct cannot hold: never reported
  fake.spans[1].ebitcount = 1;
  std::vector<Edge> edges = poll(tracker, fake);
  CHECK(edges.size() == 1 && std::string(edges.at(0).counter) == "ebit");
}

void errorsLeaveTheSnapshotAlone() {
  FakeDahdi fake;
  fake.addSpan(1, "TE4/0/1");
  EdgeTracker tracker({});
  poll(tracker, fake);

  fake.failWith = IoError{5, "ioctl:DAHDI_SPANSTAT", 1, 0};
  IoError err;
  std::vector<Edge> edges = poll(tracker, fake, &err);
  CHECK(err.errnum == 5 && err.span == 1);
  CHECK(edges.empty());  // no span-removed for a span we merely failed to read

  fake.failWith = {};
  fake.spans[1].alarms = 16;
  edges = poll(tracker, fake);
  CHECK(edges.size() == 1 && edges.at(0).type == Edge::Type::Alarm && edges.at(0).previous == 0 && edges.at(0).value == 16);
}

void channels() {
  FakeDahdi fake;
  fake.addSpan(1, "TE4/0/1");
  Params p;
  p.channo = 3;
  p.spanno = 1;
  p.rxbits = 9;  // A=1 D=1: idle on MFC/R2
  fake.channels[3] = p;
  EdgeTracker tracker({3, 4});

  std::vector<Edge> edges = poll(tracker, fake);
  CHECK(edges.size() == 1 && edges.at(0).type == Edge::Type::SpanAdded);  // channels: baseline only

  fake.channels[3].rxbits = 1;
  fake.channels[3].rxisoffhook = 1;
  edges = poll(tracker, fake);
  CHECK(edges.size() == 2);
  CHECK(edges.at(0).type == Edge::Type::RxBits && edges.at(0).span == 1 && edges.at(0).channel == 3 && edges.at(0).previous == 9 && edges.at(0).value == 1);
  CHECK(edges.at(1).type == Edge::Type::Hook && edges.at(1).channel == 3 && edges.at(1).value == 1);

  fake.channels.erase(3);
  CHECK(poll(tracker, fake).empty());
  fake.channels[3] = p;  // back with other bits: a new baseline, not an edge
  CHECK(poll(tracker, fake).empty());
}

}  // namespace

int main() {
  spansAppearAndGo();
  alarmsAndCounters();
  v1DriverHasNoExtendedCounters();
  errorsLeaveTheSnapshotAlone();
  channels();
  if (failures == 0) std::printf("edge_tracker: all checks passed\n");
  return failures == 0 ? 0 : 1;
}

// The DAHDI system-call layer: every open(), ioctl() and close() on /dev/dahdi, and the only
// code that sees <dahdi/user.h>. Results are plain structs plus an IoError (errno + the name of
// the call) so that binding.cc can turn them into JS without knowing the kernel ABI, and so
// that the watcher thread can use the same code without touching N-API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tdmgate::dahdi_io {

// errno 0 means success. `syscall` names the call: "open:/dev/dahdi/ctl", "ioctl:DAHDI_SPANSTAT".
struct IoError {
  int errnum = 0;
  std::string syscall;
  int span = 0;     // 0 = not about a span
  int channel = 0;  // 0 = not about a channel

  bool ok() const { return errnum == 0; }
  bool operator==(const IoError& o) const {
    return errnum == o.errnum && syscall == o.syscall && span == o.span && channel == o.channel;
  }
  bool operator!=(const IoError& o) const { return !(*this == o); }
};

// struct dahdi_spaninfo with the strings trimmed at their NUL. hasExtendedCounters is false when
// the driver only knew DAHDI_SPANSTAT_V1 (no fe/cv/be/prbs/errsec).
struct SpanInfo {
  int spanno = 0;
  std::string name, desc;
  int alarms = 0, txlevel = 0, rxlevel = 0;
  int bpvcount = 0, crc4count = 0, ebitcount = 0, fascount = 0;
  uint32_t fecount = 0, cvcount = 0, becount = 0, prbs = 0, errsec = 0;
  int irqmisses = 0, syncsrc = 0, numchans = 0, totalchans = 0, totalspans = 0;
  int lbo = 0, lineconfig = 0;
  std::string lboname, location, manufacturer, devicetype;
  int linecompat = 0;
  std::string spantype;
  bool hasExtendedCounters = true;
};

// struct dahdi_params, the fields a monitor reads. rxbits/txbits are -1 on spans without CAS.
struct Params {
  int channo = 0, spanno = 0, chanpos = 0, sigtype = 0, sigcap = 0;
  int rxisoffhook = 0, rxbits = 0, txbits = 0, txhooksig = 0, rxhooksig = 0;
  int curlaw = 0, idlebits = 0;
  std::string name;
  uint32_t chanAlarms = 0;
};

struct Version {
  std::string version, echoCanceller;
};

enum class MaintOutcome { Done, Unsupported };

struct StructSizes {
  int spaninfo, spaninfoV1, params, maintinfo;
};
StructSizes structSizes();

// What the watcher reads each tick: ControlDevice in production, a scripted fake in
// test/native/edge_tracker_test.cc (the diff logic must be testable without a driver).
class StateReader {
 public:
  virtual ~StateReader() = default;
  // `out` stays empty when the span does not exist (EINVAL), which is not an error.
  virtual IoError spanStat(int span, std::optional<SpanInfo>& out) = 0;
  // By channel number; `out` stays empty when there is no such channel.
  virtual IoError getParams(int channel, std::optional<Params>& out) = 0;
};

// An open ctl fd, plus what this fd taught us about the driver's ABI: the first ENOTTY on the
// current SPANSTAT/GET_PARAMS switches this fd to the V1 request for good, so an old driver
// costs one extra ioctl once rather than on every poll. Not copyable: it owns the fd.
class ControlDevice : public StateReader {
 public:
  ControlDevice() = default;
  ControlDevice(const ControlDevice&) = delete;
  ControlDevice& operator=(const ControlDevice&) = delete;
  ~ControlDevice() override { close(); }

  // Opens `${devDir}/ctl` read-write, close-on-exec.
  IoError open(const std::string& devDir);
  bool isOpen() const { return fd_ >= 0; }
  void close();

  IoError version(Version& out) const;
  IoError spanStat(int span, std::optional<SpanInfo>& out) override;
  // Through the ctl fd: dahdi_ioctl_getparams looks the channel up by channo.
  IoError getParams(int channel, std::optional<Params>& out) override;
  // ENOSYS/EOPNOTSUPP/ENOTTY are the driver saying "no maintenance here": MaintOutcome::Unsupported.
  // Safe to call from a worker thread while the owner keeps the fd open.
  IoError maintenance(int span, int command, MaintOutcome& out) const;

 private:
  int fd_ = -1;
  enum class Abi { Unknown, Current, V1 };
  Abi spanStatAbi_ = Abi::Unknown;
  Abi paramsAbi_ = Abi::Unknown;
};

// `${devDir}/channel` + DAHDI_SPECIFY: an exclusive channel fd, opened O_NONBLOCK as Asterisk
// does so that nothing done on it from the event loop can block. On failure nothing stays open.
IoError openChannel(const std::string& devDir, int channel, int& fdOut);
// Drains DAHDI_GETEVENT until DAHDI_EVENT_NONE; codes already read are kept on error.
IoError drainEvents(int fd, int channel, std::vector<int>& codes);
void closeFd(int fd);

}  // namespace tdmgate::dahdi_io

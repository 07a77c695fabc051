// The DAHDI system calls and the compile-time proof that the structures we hand to the kernel
// are the ones its ABI expects. Nothing here knows about JavaScript.
#include "dahdi_io.h"

#include <cerrno>
#include <cstddef>
#include <cstring>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <dahdi/user.h>

namespace tdmgate::dahdi_io {

// The kernel copies exactly sizeof(struct) bytes, and the request numbers encode the size: a
// header that drifted from the x86_64 ABI (docs/native-binding.md, `abi`) must not build.
static_assert(sizeof(dahdi_spaninfo) == 314, "dahdi_spaninfo is packed, 314 bytes");
static_assert(sizeof(dahdi_spaninfo_v1) == 296, "dahdi_spaninfo_v1 is 296 bytes");
static_assert(sizeof(dahdi_params) == 136, "dahdi_params is 136 bytes");
static_assert(sizeof(dahdi_maintinfo) == 8, "dahdi_maintinfo is 8 bytes");
static_assert(sizeof(dahdi_versioninfo) == 160, "dahdi_versioninfo is 160 bytes");
static_assert(DAHDI_SPANSTAT == 0xc13ada0aUL, "DAHDI_SPANSTAT request number");
static_assert(DAHDI_SPANSTAT_V1 == 0xc128da0aUL, "DAHDI_SPANSTAT_V1 request number");
static_assert(DAHDI_GET_PARAMS == 0xc088da05UL, "DAHDI_GET_PARAMS request number");
static_assert(DAHDI_GET_PARAMS_V1 == 0x8088da05UL, "DAHDI_GET_PARAMS_V1 request number");

static_assert(offsetof(dahdi_spaninfo, spanno) == 0);
static_assert(offsetof(dahdi_spaninfo, name) == 4);
static_assert(offsetof(dahdi_spaninfo, desc) == 24);
static_assert(offsetof(dahdi_spaninfo, alarms) == 64);
static_assert(offsetof(dahdi_spaninfo, bpvcount) == 76);
static_assert(offsetof(dahdi_spaninfo, fascount) == 88);
static_assert(offsetof(dahdi_spaninfo, fecount) == 92);
static_assert(offsetof(dahdi_spaninfo, errsec) == 108);
static_assert(offsetof(dahdi_spaninfo, irqmisses) == 112);
static_assert(offsetof(dahdi_spaninfo, totalspans) == 128);
static_assert(offsetof(dahdi_spaninfo, lineconfig) == 136);
static_assert(offsetof(dahdi_spaninfo, lboname) == 140);
static_assert(offsetof(dahdi_spaninfo, devicetype) == 260);
static_assert(offsetof(dahdi_spaninfo, linecompat) == 304);
static_assert(offsetof(dahdi_spaninfo, spantype) == 308);

static_assert(offsetof(dahdi_spaninfo_v1, fascount) == 88);
static_assert(offsetof(dahdi_spaninfo_v1, irqmisses) == 92);
static_assert(offsetof(dahdi_spaninfo_v1, totalspans) == 108);
static_assert(offsetof(dahdi_spaninfo_v1, lboname) == 120);
static_assert(offsetof(dahdi_spaninfo_v1, linecompat) == 284);
static_assert(offsetof(dahdi_spaninfo_v1, spantype) == 288);

static_assert(offsetof(dahdi_params, rxisoffhook) == 20);
static_assert(offsetof(dahdi_params, rxbits) == 24);
static_assert(offsetof(dahdi_params, idlebits) == 44);
static_assert(offsetof(dahdi_params, name) == 48);
static_assert(offsetof(dahdi_params, chan_alarms) == 132);
static_assert(offsetof(dahdi_maintinfo, command) == 4);

namespace {

// The kernel's char arrays are NUL-padded but not NUL-terminated when full.
template <size_t N>
std::string text(const char (&field)[N]) {
  return std::string(field, strnlen(field, N));
}

int ioctlRetry(int fd, unsigned long request, void* arg) {
  int rc;
  do {
    rc = ::ioctl(fd, request, arg);
  } while (rc < 0 && errno == EINTR);
  return rc;
}

IoError failure(int errnum, const char* syscall, int span = 0, int channel = 0) {
  return IoError{errnum, syscall, span, channel};
}

// Field by field from either layout: the V1 struct is the current one minus fecount..errsec.
template <typename S>
void copyCommon(const S& s, SpanInfo& out) {
  out.spanno = s.spanno;
  out.name = text(s.name);
  out.desc = text(s.desc);
  out.alarms = s.alarms;
  out.txlevel = s.txlevel;
  out.rxlevel = s.rxlevel;
  out.bpvcount = s.bpvcount;
  out.crc4count = s.crc4count;
  out.ebitcount = s.ebitcount;
  out.fascount = s.fascount;
  out.irqmisses = s.irqmisses;
  out.syncsrc = s.syncsrc;
  out.numchans = s.numchans;
  out.totalchans = s.totalchans;
  out.totalspans = s.totalspans;
  out.lbo = s.lbo;
  out.lineconfig = s.lineconfig;
  out.lboname = text(s.lboname);
  out.location = text(s.location);
  out.manufacturer = text(s.manufacturer);
  out.devicetype = text(s.devicetype);
  out.linecompat = s.linecompat;
  out.spantype = text(s.spantype);
}

}  // namespace

StructSizes structSizes() {
  return {static_cast<int>(sizeof(dahdi_spaninfo)), static_cast<int>(sizeof(dahdi_spaninfo_v1)),
          static_cast<int>(sizeof(dahdi_params)), static_cast<int>(sizeof(dahdi_maintinfo))};
}

IoError ControlDevice::open(const std::string& devDir) {
  close();
  const std::string path = devDir + "/ctl";
  // O_RDWR as dahdi_cfg and Asterisk open it: a read-only fallback would hide a permission
  // problem until the first write-class ioctl, so EACCES is reported as it is.
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return IoError{errno, "open:" + path, 0, 0};
  fd_ = fd;
  spanStatAbi_ = Abi::Unknown;
  paramsAbi_ = Abi::Unknown;
  return {};
}

void ControlDevice::close() {
  if (fd_ >= 0) closeFd(fd_);
  fd_ = -1;
}

IoError ControlDevice::version(Version& out) const {
  dahdi_versioninfo vi;
  std::memset(&vi, 0, sizeof vi);
  if (ioctlRetry(fd_, DAHDI_GETVERSION, &vi) < 0) return failure(errno, "ioctl:DAHDI_GETVERSION");
  out.version = text(vi.version);
  out.echoCanceller = text(vi.echo_canceller);
  return {};
}

IoError ControlDevice::spanStat(int span, std::optional<SpanInfo>& out) {
  out.reset();
  if (spanStatAbi_ != Abi::V1) {
    dahdi_spaninfo si;
    std::memset(&si, 0, sizeof si);
    si.spanno = span;
    if (ioctlRetry(fd_, DAHDI_SPANSTAT, &si) == 0) {
      spanStatAbi_ = Abi::Current;
      SpanInfo info;
      copyCommon(si, info);
      info.fecount = si.fecount;
      info.cvcount = si.cvcount;
      info.becount = si.becount;
      info.prbs = si.prbs;
      info.errsec = si.errsec;
      out = std::move(info);
      return {};
    }
    const int err = errno;
    if (err == EINVAL) return {};  // dahdi_ioctl_spanstat: span_find_and_get() found nothing
    if (err != ENOTTY || spanStatAbi_ == Abi::Current) {
      return failure(err, "ioctl:DAHDI_SPANSTAT", span);
    }
  }
  dahdi_spaninfo_v1 si;
  std::memset(&si, 0, sizeof si);
  si.spanno = span;
  if (ioctlRetry(fd_, DAHDI_SPANSTAT_V1, &si) == 0) {
    spanStatAbi_ = Abi::V1;
    SpanInfo info;
    copyCommon(si, info);
    info.hasExtendedCounters = false;
    out = std::move(info);
    return {};
  }
  const int err = errno;
  if (err == EINVAL) return {};
  // Both layouts refused: the error is reported against the request callers know by name.
  return failure(err, "ioctl:DAHDI_SPANSTAT", span);
}

IoError ControlDevice::getParams(int channel, std::optional<Params>& out) {
  out.reset();
  dahdi_params p;
  std::memset(&p, 0, sizeof p);
  // On the ctl fd (no channel of its own) dahdi_ioctl_getparams looks the channel up by channo.
  p.channo = channel;
  int rc = -1;
  int err = 0;
  if (paramsAbi_ != Abi::V1) {
    rc = ioctlRetry(fd_, DAHDI_GET_PARAMS, &p);
    err = rc < 0 ? errno : 0;
    if (rc == 0) paramsAbi_ = Abi::Current;
  }
  if (paramsAbi_ == Abi::V1 || (rc < 0 && err == ENOTTY && paramsAbi_ == Abi::Unknown)) {
    std::memset(&p, 0, sizeof p);
    p.channo = channel;
    rc = ioctlRetry(fd_, DAHDI_GET_PARAMS_V1, &p);
    err = rc < 0 ? errno : 0;
    if (rc == 0) paramsAbi_ = Abi::V1;
  }
  if (rc < 0) {
    if (err == EINVAL || err == ENXIO) return {};  // no such channel
    return failure(err, "ioctl:DAHDI_GET_PARAMS", 0, channel);
  }
  Params r;
  r.channo = p.channo;
  r.spanno = p.spanno;
  r.chanpos = p.chanpos;
  r.sigtype = p.sigtype;
  r.sigcap = p.sigcap;
  r.rxisoffhook = p.rxisoffhook;
  r.rxbits = p.rxbits;
  r.txbits = p.txbits;
  r.txhooksig = p.txhooksig;
  r.rxhooksig = p.rxhooksig;
  r.curlaw = p.curlaw;
  r.idlebits = p.idlebits;
  r.name = text(p.name);
  r.chanAlarms = p.chan_alarms;
  out = std::move(r);
  return {};
}

IoError ControlDevice::maintenance(int span, int command, MaintOutcome& out) const {
  dahdi_maintinfo mi;
  mi.spanno = span;
  mi.command = command;
  if (ioctlRetry(fd_, DAHDI_MAINT, &mi) == 0) {
    out = MaintOutcome::Done;
    return {};
  }
  const int err = errno;
  // ENOSYS: span without ops->maint (dynamic spans, most analog cards); EOPNOTSUPP: a driver
  // refusing one command; ENOTTY: a kernel without DAHDI_MAINT at all.
  if (err == ENOSYS || err == EOPNOTSUPP || err == ENOTTY) {
    out = MaintOutcome::Unsupported;
    return {};
  }
  return failure(err, "ioctl:DAHDI_MAINT", span);
}

IoError openChannel(const std::string& devDir, int channel, int& fdOut) {
  fdOut = -1;
  const std::string path = devDir + "/channel";
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return IoError{errno, "open:" + path, 0, channel};
  int channo = channel;
  if (ioctlRetry(fd, DAHDI_SPECIFY, &channo) < 0) {
    const int err = errno;
    closeFd(fd);
    return failure(err, "ioctl:DAHDI_SPECIFY", 0, channel);
  }
  fdOut = fd;
  return {};
}

IoError drainEvents(int fd, int channel, std::vector<int>& codes) {
  for (;;) {
    int event = DAHDI_EVENT_NONE;
    if (ioctlRetry(fd, DAHDI_GETEVENT, &event) < 0) return failure(errno, "ioctl:DAHDI_GETEVENT", 0, channel);
    if (event == DAHDI_EVENT_NONE) return {};
    codes.push_back(event);
  }
}

void closeFd(int fd) {
  // Linux releases the fd even when close() reports EINTR; retrying could close a reused fd.
  ::close(fd);
}

}  // namespace tdmgate::dahdi_io

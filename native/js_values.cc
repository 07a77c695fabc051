// JavaScript shapes of the binding's results and errors (see js_values.h).
#include "js_values.h"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>

namespace tdmgate {

std::string errnoName(int errnum) {
  switch (errnum) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EINTR: return "EINTR";
    case EIO: return "EIO";
    case ENXIO: return "ENXIO";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case ENODEV: return "ENODEV";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ENFILE: return "ENFILE";
    case EMFILE: return "EMFILE";
    case ENOTTY: return "ENOTTY";
    case EROFS: return "EROFS";
    case ERANGE: return "ERANGE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOSYS: return "ENOSYS";
    case ELOOP: return "ELOOP";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ETIMEDOUT: return "ETIMEDOUT";
    case 500: return "ELAST";  // DAHDI's "an event is pending" on read()/write()
    default: return "E" + std::to_string(errnum);
  }
}

Napi::Error makeError(Napi::Env env, const dahdi_io::IoError& err, const char* reason) {
  const std::string code = errnoName(err.errnum);
  std::string message = err.syscall;
  if (err.span != 0) message += " span " + std::to_string(err.span);
  if (err.channel != 0) message += " channel " + std::to_string(err.channel);
  // glibc's strerror() keeps its buffer per thread: safe with several worker_threads.
  message += ": " + std::string(reason != nullptr ? reason : std::strerror(err.errnum)) + " (" + code + ")";
  Napi::Error error = Napi::Error::New(env, message);
  Napi::Object facts = error.Value();
  facts.Set("code", code);
  facts.Set("errno", err.errnum);
  facts.Set("syscall", err.syscall);
  if (err.span != 0) facts.Set("span", err.span);
  if (err.channel != 0) facts.Set("channel", err.channel);
  return error;
}

Napi::Object spanInfoValue(Napi::Env env, const dahdi_io::SpanInfo& s) {
  Napi::Object o = Napi::Object::New(env);
  auto extended = [&](uint32_t v) -> Napi::Value {
    return s.hasExtendedCounters ? Napi::Number::New(env, v) : env.Null();
  };
  o.Set("spanno", s.spanno);
  o.Set("name", s.name);
  o.Set("desc", s.desc);
  o.Set("alarms", s.alarms);
  o.Set("txlevel", s.txlevel);
  o.Set("rxlevel", s.rxlevel);
  o.Set("bpvcount", s.bpvcount);
  o.Set("crc4count", s.crc4count);
  o.Set("ebitcount", s.ebitcount);
  o.Set("fascount", s.fascount);
  o.Set("fecount", extended(s.fecount));
  o.Set("cvcount", extended(s.cvcount));
  o.Set("becount", extended(s.becount));
  o.Set("prbs", extended(s.prbs));
  o.Set("errsec", extended(s.errsec));
  o.Set("irqmisses", s.irqmisses);
  o.Set("syncsrc", s.syncsrc);
  o.Set("numchans", s.numchans);
  o.Set("totalchans", s.totalchans);
  o.Set("totalspans", s.totalspans);
  o.Set("lbo", s.lbo);
  o.Set("lineconfig", s.lineconfig);
  o.Set("lboname", s.lboname);
  o.Set("location", s.location);
  o.Set("manufacturer", s.manufacturer);
  o.Set("devicetype", s.devicetype);
  o.Set("linecompat", s.linecompat);
  o.Set("spantype", s.spantype);
  o.Set("abi", s.hasExtendedCounters ? 2 : 1);
  return o;
}

Napi::Object paramsValue(Napi::Env env, const dahdi_io::Params& p) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("channo", p.channo);
  o.Set("spanno", p.spanno);
  o.Set("chanpos", p.chanpos);
  o.Set("sigtype", p.sigtype);
  o.Set("sigcap", p.sigcap);
  o.Set("rxisoffhook", p.rxisoffhook);
  o.Set("rxbits", p.rxbits);
  o.Set("txbits", p.txbits);
  o.Set("txhooksig", p.txhooksig);
  o.Set("rxhooksig", p.rxhooksig);
  o.Set("curlaw", p.curlaw);
  o.Set("idlebits", p.idlebits);
  o.Set("name", p.name);
  o.Set("chanAlarms", p.chanAlarms);
  return o;
}

double nowMs() {
  using namespace std::chrono;
  return static_cast<double>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

int intArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  Napi::Value v = info[index];
  if (!v.IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be an integer");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::floor(d) != d || d < -2147483648.0 || d > 2147483647.0) {
    throw Napi::TypeError::New(info.Env(), std::string(what) + " must be an integer");
  }
  return static_cast<int>(d);
}

std::string stringArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  Napi::Value v = info[index];
  if (!v.IsString()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

Napi::Function functionArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  Napi::Value v = info[index];
  if (!v.IsFunction()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a function");
  return v.As<Napi::Function>();
}

}  // namespace tdmgate

// Conversions between dahdi_io's plain results and JavaScript values, and the one place that
// builds the binding's errors (code, errno, syscall, span, channel; see NativeErrorFacts).
#pragma once

#include <string>

#include <napi.h>

#include "dahdi_io.h"

namespace tdmgate {

// 'ENOENT' for the errnos DAHDI users meet, 'E<number>' for the others.
std::string errnoName(int errnum);

// An Error whose message reads "ioctl:DAHDI_SPANSTAT span 3: Invalid argument (EINVAL)".
// `reason` replaces strerror() when the errno alone would mislead (a closed control).
Napi::Error makeError(Napi::Env env, const dahdi_io::IoError& err, const char* reason = nullptr);

Napi::Object spanInfoValue(Napi::Env env, const dahdi_io::SpanInfo& s);
Napi::Object paramsValue(Napi::Env env, const dahdi_io::Params& p);

// Milliseconds since the epoch, as Date.now() would say.
double nowMs();

// The integer in info[index], or a TypeError naming `what`.
int intArg(const Napi::CallbackInfo& info, size_t index, const char* what);
std::string stringArg(const Napi::CallbackInfo& info, size_t index, const char* what);
Napi::Function functionArg(const Napi::CallbackInfo& info, size_t index, const char* what);

}  // namespace tdmgate

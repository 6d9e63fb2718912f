// The access log: one structured line per answered request (event "http.request"), with secrets
// taken out of the query string first.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace saleslake::web {

// `query` (without '?') with the value of every secret-bearing parameter replaced by "REDACTED":
// api_key, apikey, token, access_token, password, passwd, secret, signature, X-Amz-Signature,
// X-Amz-Credential, X-Amz-Security-Token. Names match case-insensitively, after percent-decoding
// (so "X%2DAmz%2DSignature" is caught too). Everything else is kept as sent.
std::string RedactQuery(std::string_view query);

struct AccessLogEntry {
  std::string_view method, path, query, route, remote;
  int status = 0;
  uint64_t bytes = 0;
  int64_t micros = 0;
  bool complete = true;
};

void LogAccess(const AccessLogEntry& entry);

}  // namespace saleslake::web

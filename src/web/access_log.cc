#include "web/access_log.h"

#include "base/logging.h"
#include "web/http_request.h"

namespace saleslake::web {
namespace {

bool IsSecretName(std::string_view encoded_name) {
  const std::string name = PercentDecode(encoded_name, true);
  for (std::string_view secret :
       {"api_key", "apikey", "api-key", "token", "access_token", "password", "passwd", "secret",
        "signature", "x-amz-signature", "x-amz-credential", "x-amz-security-token"}) {
    if (EqualsIgnoreCase(name, secret)) return true;
  }
  return false;
}

}  // namespace

std::string RedactQuery(std::string_view query) {
  std::string out;
  out.reserve(query.size());
  while (true) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && IsSecretName(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1));
      out.append("REDACTED");
    } else {
      out.append(pair);
    }
    if (amp == std::string_view::npos) break;
    out += '&';
    query.remove_prefix(amp + 1);
  }
  return out;
}

void LogAccess(const AccessLogEntry& e) {
  if (!log::Enabled(log::Level::kInfo)) return;
  // Bounded: a hostile request line cannot make a log line of megabytes.
  const std::string query = RedactQuery(e.query.substr(0, 2048));
  log::Info("http.request", {{"method", e.method.substr(0, 32)},
                             {"path", e.path.substr(0, 512)},
                             {"query", std::string_view(query).substr(0, 512)},
                             {"status", e.status},
                             {"bytes", static_cast<unsigned long long>(e.bytes)},
                             {"ms", static_cast<double>(e.micros) / 1000.0},
                             {"route", e.route},
                             {"complete", e.complete},
                             {"remote", e.remote}});
}

}  // namespace saleslake::web

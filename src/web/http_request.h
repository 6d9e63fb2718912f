// A parsed HTTP/1.x request as the server's front hands it to a worker: the head, decoded, and the
// whole body. Produced only by RequestParser (web/http_parser.h), which refuses anything ambiguous.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/strings.h"  // EqualsIgnoreCase, for header names and tokens

namespace saleslake::web {

// Decoded query parameters, sorted by name; a name given twice appears twice.
using QueryParams = std::multimap<std::string, std::string>;

struct HttpRequest {
  std::string method;     // "GET", "HEAD", ... (case-sensitive, as sent)
  std::string target;     // as sent: "/v1/sales?records=3"
  std::string path;       // percent-decoded, without the query
  std::string query;      // as sent, without the '?'
  QueryParams params;     // decoded ('+' is a space)
  int minor_version = 1;  // HTTP/1.<minor>
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent, values trimmed
  std::string authority;  // the Host header, or the authority of an absolute-form target
  bool has_authority = false;
  bool keep_alive = true;  // false: close after the response
  bool expects_continue = false;
  std::string body;
  std::string remote_addr;
  int remote_port = -1;

  // The first value of header `name` (case-insensitive), or "" when absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
};

// Percent-decodes `text`; with `plus_is_space` ('+' -> ' ') as in query strings.
std::string PercentDecode(std::string_view text, bool plus_is_space);

}  // namespace saleslake::web

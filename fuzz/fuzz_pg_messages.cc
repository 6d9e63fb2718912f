// The PostgreSQL front's untrusted input: the bytes a client sends. The input is read as the
// server reads a connection — a startup packet, then typed messages — and each message goes to a
// Session over an empty lake (the catalog is still there, so rewritten SQL runs against it), with
// a short statement timeout. The SCRAM exchange gets the same bytes as client messages. Nothing
// may crash, hang or grow without bound; every reply must be well-formed framing.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/scram.h"
#include "sql/pgwire/pg_messages.h"
#include "sql/pgwire/pg_session.h"

namespace {

using namespace saleslake::sql::pgwire;  // NOLINT: one namespace under test
using saleslake::Result;

int32_t Int32(std::string_view s) {
  uint32_t u = 0;
  for (int i = 0; i < 4; ++i) u = (u << 8) | static_cast<uint8_t>(s[static_cast<size_t>(i)]);
  return static_cast<int32_t>(u);
}

// Every reply is a sequence of [type][length >= 4][body] that ends exactly at the end.
void CheckFraming(const std::string& out) {
  size_t at = 0;
  while (at < out.size()) {
    if (out.size() - at < 5) __builtin_trap();
    const int32_t len = Int32(std::string_view(out).substr(at + 1, 4));
    if (len < 4 || static_cast<size_t>(len) > out.size() - at - 1) __builtin_trap();
    at += 1 + static_cast<size_t>(len);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (in.size() >= 4) {
    const int32_t len = Int32(in);
    if (len >= 8 && static_cast<uint32_t>(len) <= kMaxStartupBytes &&
        static_cast<size_t>(len) <= in.size()) {
      (void)ParseStartup(in.substr(4, static_cast<size_t>(len) - 4));
    }
  }
  {
    saleslake::auth::ScramServer scram(std::nullopt);
    (void)scram.ClientFirst(in.substr(0, in.size() / 2));
    (void)scram.ClientFinal(in.substr(in.size() / 2));
  }
  static auto fs = *saleslake::io::FileSystemFromUri("mem://fuzz-pg");
  SessionOptions options;
  options.statement_timeout_seconds = 0.2;
  options.max_rows = 1000;
  options.max_result_bytes = 1 << 20;
  Session session(
      [] {
        return Result<LakeTables>(LakeTables{1, fs, {}});
      },
      CatalogSession{}, options);
  MessageWriter out;
  int messages = 0;
  while (in.size() >= 5 && messages++ < 64) {
    const char type = in[0];
    const int32_t len = Int32(in.substr(1, 4));
    if (len < 4 || static_cast<size_t>(len) - 4 > in.size() - 5) break;
    const std::string_view body = in.substr(5, static_cast<size_t>(len) - 4);
    in.remove_prefix(5 + static_cast<size_t>(len) - 4);
    const bool go_on = session.Handle(type, body, out);
    CheckFraming(out.buffer());
    out.clear();
    if (!go_on) break;
  }
  return 0;
}

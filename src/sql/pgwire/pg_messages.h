// PostgreSQL frontend/backend protocol v3 messages: bounded parsing of what a client sends and
// building what the server answers. Everything from the network is untrusted: every length is
// checked against the message, counts against what the message can hold, and whole messages
// against kMaxMessageBytes before they are read (fuzz/fuzz_pg_messages.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace saleslake::sql::pgwire {

constexpr uint32_t kMaxMessageBytes = 1 << 20;  // a statement's text is at most 1 MiB too
constexpr uint32_t kMaxStartupBytes = 10'000;
constexpr int32_t kProtocolV3 = 196608;
constexpr int32_t kSslRequest = 80877103;
constexpr int32_t kGssEncRequest = 80877104;
constexpr int32_t kCancelRequest = 80877102;

// The first packet of a connection (its length word already read and checked).
struct StartupPacket {
  int32_t code = 0;  // kProtocolV3, kSslRequest, kGssEncRequest, kCancelRequest, or other
  std::vector<std::pair<std::string, std::string>> parameters;  // v3: user, database, ...
  int32_t cancel_pid = 0, cancel_secret = 0;                    // kCancelRequest
  std::string Parameter(std::string_view name) const;
};
Result<StartupPacket> ParseStartup(std::string_view body);

struct ParseMessage {  // 'P'
  std::string statement, query;
  std::vector<uint32_t> parameter_types;
};
struct BindMessage {  // 'B'
  std::string portal, statement;
  std::vector<int16_t> parameter_formats;          // 0, 1 or n entries
  std::vector<std::optional<std::string>> values;  // nullopt: NULL
  std::vector<int16_t> result_formats;             // 0, 1 or n entries
};
struct DescribeMessage {  // 'D', and Close 'C' with the same body
  char kind = 'S';        // 'S' statement, 'P' portal
  std::string name;
};
struct ExecuteMessage {  // 'E'
  std::string portal;
  int32_t max_rows = 0;  // 0: all
};

Result<std::string> ParseQuery(std::string_view body);  // 'Q'
Result<ParseMessage> ParseParse(std::string_view body);
Result<BindMessage> ParseBind(std::string_view body);
Result<DescribeMessage> ParseDescribe(std::string_view body);
Result<ExecuteMessage> ParseExecute(std::string_view body);
// 'p' in reply to AuthenticationSASL: mechanism name and the client-first message.
Result<std::pair<std::string, std::string>> ParseSaslInitial(std::string_view body);
// 'p' in reply to AuthenticationCleartextPassword: the password.
Result<std::string> ParsePassword(std::string_view body);

// Builds backend messages into one buffer (sent with one write per reply).
class MessageWriter {
 public:
  void Begin(char type);
  void Int16(int16_t v);
  void Int32(int32_t v);
  void Byte(char c) { out_.push_back(c); }
  void CString(std::string_view s);  // NULs inside are dropped: they would end the string
  void Bytes(std::string_view s) { out_.append(s); }
  void End();

  std::string& buffer() { return out_; }
  size_t size() const { return out_.size(); }
  void clear() { out_.clear(); }

 private:
  std::string out_;
  size_t start_ = 0;
};

// Common replies.
void WriteAuthentication(MessageWriter& w, int32_t code, std::string_view data = {});
void WriteParameterStatus(MessageWriter& w, std::string_view name, std::string_view value);
void WriteReadyForQuery(MessageWriter& w, char status);
void WriteCommandComplete(MessageWriter& w, std::string_view tag);
// ErrorResponse (severity "ERROR" or "FATAL"), SQLSTATE, message and optional 1-based position.
void WriteError(MessageWriter& w, std::string_view severity, std::string_view sqlstate,
                std::string_view message, int position = 0);
void WriteNotice(MessageWriter& w, std::string_view message);

}  // namespace saleslake::sql::pgwire

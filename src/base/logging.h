// Structured logging: one line per event, to stderr.
//
//   text (default): 2026-11-26T10:20:01.123Z INFO  extract.done batch=ab12 rows=10000
//   json:           {"ts":"2026-11-26T10:20:01.123Z","level":"info","event":"extract.done",...}
//
// Events are short dotted names; details go in fields, never in the event name, so that logs can
// be filtered and counted. Thread-safe; a line is written with one write(2).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };
enum class Format { kText, kJson };

Result<Format> ParseFormat(std::string_view name);  // "text" | "json"
Result<Level> ParseLevel(std::string_view name);    // "debug" | "info" | "warn" | "error" | "off"

// Process-wide settings; call once at start-up (main does, from --log-format / --log-level).
void Configure(Format format, Level level);
// Sends lines to `fd` instead of stderr (tests use a pipe or a file). Returns the previous fd.
int SetOutputFd(int fd);
bool Enabled(Level level);

class Field {
 public:
  Field(std::string_view key, std::string_view v) : key_(key), kind_(kString), s_(v) {}
  Field(std::string_view key, const char* v) : key_(key), kind_(kString), s_(v) {}
  Field(std::string_view key, const std::string& v) : key_(key), kind_(kString), s_(v) {}
  Field(std::string_view key, int v) : key_(key), kind_(kInt), i_(v) {}
  Field(std::string_view key, long v) : key_(key), kind_(kInt), i_(v) {}
  Field(std::string_view key, long long v) : key_(key), kind_(kInt), i_(v) {}
  Field(std::string_view key, unsigned v) : key_(key), kind_(kInt), i_(v) {}
  Field(std::string_view key, unsigned long v) : key_(key), kind_(kUint), u_(v) {}
  Field(std::string_view key, unsigned long long v) : key_(key), kind_(kUint), u_(v) {}
  Field(std::string_view key, double v) : key_(key), kind_(kDouble), d_(v) {}
  Field(std::string_view key, bool v) : key_(key), kind_(kBool), b_(v) {}
  Field(std::string_view key, const Status& st)
      : key_(key), kind_(kString), owned_(st.ToString()), s_(owned_) {}

  // Appends the value as text (`text` format) or JSON.
  void AppendText(std::string* out) const;
  void AppendJson(std::string* out) const;
  std::string_view key() const { return key_; }

 private:
  enum Kind { kString, kInt, kUint, kDouble, kBool };
  std::string_view key_;
  Kind kind_;
  std::string owned_;
  std::string_view s_;
  int64_t i_ = 0;
  uint64_t u_ = 0;
  double d_ = 0;
  bool b_ = false;
};

void Write(Level level, std::string_view event, std::initializer_list<Field> fields);

inline void Debug(std::string_view event, std::initializer_list<Field> fields = {}) {
  if (Enabled(Level::kDebug)) Write(Level::kDebug, event, fields);
}
inline void Info(std::string_view event, std::initializer_list<Field> fields = {}) {
  if (Enabled(Level::kInfo)) Write(Level::kInfo, event, fields);
}
inline void Warn(std::string_view event, std::initializer_list<Field> fields = {}) {
  if (Enabled(Level::kWarn)) Write(Level::kWarn, event, fields);
}
inline void Error(std::string_view event, std::initializer_list<Field> fields = {}) {
  if (Enabled(Level::kError)) Write(Level::kError, event, fields);
}

}  // namespace saleslake::log

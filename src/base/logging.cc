#include "base/logging.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/json_writer.h"
#include "base/log_context.h"

namespace saleslake::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::atomic<Format> g_format{Format::kText};
std::atomic<int> g_fd{2};
std::mutex g_write_mu;

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
    case Level::kOff:
      return "off";
  }
  return "info";
}

bool NeedsQuotes(std::string_view s) {
  if (s.empty()) return true;
  for (char c : s) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

}  // namespace

Result<Format> ParseFormat(std::string_view name) {
  if (name == "text") return Format::kText;
  if (name == "json") return Format::kJson;
  return Status::InvalidArgument(fmt::format("unknown log format '{}': use text or json", name));
}

Result<Level> ParseLevel(std::string_view name) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError, Level::kOff}) {
    if (name == LevelName(l)) return l;
  }
  return Status::InvalidArgument(
      fmt::format("unknown log level '{}': use debug, info, warn, error or off", name));
}

void Configure(Format format, Level level) {
  g_format.store(format);
  g_level.store(static_cast<int>(level));
}

int SetOutputFd(int fd) { return g_fd.exchange(fd); }

bool Enabled(Level level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

void Field::AppendText(std::string* out) const {
  switch (kind_) {
    case kString:
      if (NeedsQuotes(s_)) {
        AppendJsonString(out, s_);
      } else {
        out->append(s_);
      }
      break;
    case kInt:
      fmt::format_to(std::back_inserter(*out), "{}", i_);
      break;
    case kUint:
      fmt::format_to(std::back_inserter(*out), "{}", u_);
      break;
    case kDouble:
      fmt::format_to(std::back_inserter(*out), "{}", d_);
      break;
    case kBool:
      out->append(b_ ? "true" : "false");
      break;
  }
}

void Field::AppendJson(std::string* out) const {
  JsonWriter w(out);
  switch (kind_) {
    case kString:
      w.String(s_);
      break;
    case kInt:
      w.Int(i_);
      break;
    case kUint:
      w.Uint(u_);
      break;
    case kDouble:
      w.Double(d_);
      break;
    case kBool:
      w.Bool(b_);
      break;
  }
}

namespace {
std::mutex g_context_mu;
// Fields every line of this process carries (SetContextField), in the order they were set.
std::vector<std::pair<std::string, std::string>>* g_context =
    new std::vector<std::pair<std::string, std::string>>();
}  // namespace

Format CurrentFormat() { return g_format.load(); }

void SetContextField(std::string_view key, std::string_view value) {
  std::lock_guard<std::mutex> lock(g_context_mu);
  for (size_t i = 0; i < g_context->size(); ++i) {
    if ((*g_context)[i].first != key) continue;
    if (value.empty()) {
      g_context->erase(g_context->begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      (*g_context)[i].second = value;
    }
    return;
  }
  if (!value.empty()) g_context->emplace_back(key, value);
}

void Write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  std::vector<std::pair<std::string, std::string>> context;
  {
    std::lock_guard<std::mutex> lock(g_context_mu);
    context = *g_context;
  }
  std::vector<Field> all;
  all.reserve(context.size() + fields.size());
  for (const auto& [k, v] : context) all.emplace_back(k, v);
  for (const Field& f : fields) all.push_back(f);
  std::string line;
  line.reserve(128);
  std::string ts = FormatIso8601Millis(NowMicros());
  if (g_format.load() == Format::kJson) {
    line += "{\"ts\":\"";
    line += ts;
    line += "\",\"level\":\"";
    line += LevelName(level);
    line += "\",\"event\":";
    AppendJsonString(&line, event);
    for (const Field& f : all) {
      line.push_back(',');
      AppendJsonString(&line, f.key());
      line.push_back(':');
      f.AppendJson(&line);
    }
    line += "}\n";
  } else {
    line += ts;
    line += ' ';
    std::string_view name = LevelName(level);
    for (char c : name) line.push_back(static_cast<char>(c - 'a' + 'A'));
    line.append(6 - name.size(), ' ');
    line += event;
    for (const Field& f : all) {
      line.push_back(' ');
      line += f.key();
      line.push_back('=');
      f.AppendText(&line);
    }
    line.push_back('\n');
  }
  std::lock_guard<std::mutex> lock(g_write_mu);
  const char* p = line.data();
  size_t left = line.size();
  int fd = g_fd.load();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n <= 0) break;  // logging must never fail the caller
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace saleslake::log

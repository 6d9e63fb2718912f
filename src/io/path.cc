#include "io/path.h"

#include <atomic>
#include <cstdint>
#include <random>

namespace saleslake::io {
namespace {

constexpr size_t kRandomHexDigits = 16;
// Keeps temporary names under NAME_MAX (255) whatever the target's base name.
constexpr size_t kMaxBaseInTemporaryName = 200;

Status BadPath(std::string_view path, std::string_view why) {
  std::string msg = "invalid path '";
  msg.append(path);
  msg += "': ";
  msg.append(why);
  return Status::InvalidArgument(std::move(msg));
}

uint64_t RandomBits() {
  // One generator per thread, seeded from the OS; the counter separates threads seeded alike.
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng([] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd() ^ counter.fetch_add(1);
  }());
  return rng();
}

bool IsHexDigit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

Result<std::string> NormalizePath(std::string_view path) {
  std::string_view p = path;
  if (!p.empty() && p.front() == '/') p.remove_prefix(1);
  if (!p.empty() && p.back() == '/') p.remove_suffix(1);
  if (p.empty()) return std::string();
  if (p.find('\0') != std::string_view::npos) return BadPath(path, "contains a NUL byte");
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    std::string_view segment = p.substr(start, end - start);
    if (segment.empty()) return BadPath(path, "empty segment ('//')");
    if (segment == ".") return BadPath(path, "'.' segments are not allowed");
    if (segment == "..") return BadPath(path, "'..' segments are not allowed");
    start = end + 1;
  }
  return std::string(p);
}

Result<std::string> NormalizeFilePath(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  if (p.empty()) return BadPath(path, "names the root, not a file");
  return p;
}

Result<std::string> NormalizeWritablePath(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string p, NormalizeFilePath(path));
  if (IsTemporaryName(BaseName(p))) {
    return BadPath(path,
                   "names like '.tmp-<16 hex digits>-<name>.partial' are reserved for "
                   "writes in progress");
  }
  return p;
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  if (name.empty()) return std::string(dir);
  std::string out;
  out.reserve(dir.size() + 1 + name.size());
  out.append(dir);
  if (out.back() != '/') out.push_back('/');
  out.append(name.front() == '/' ? name.substr(1) : name);
  return out;
}

std::string_view ParentPath(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool IsInside(std::string_view path, std::string_view dir) {
  if (dir.empty()) return !path.empty();
  return path.size() > dir.size() + 1 && path.substr(0, dir.size()) == dir &&
         path[dir.size()] == '/';
}

std::string MakeTemporaryName(std::string_view base_name) {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t bits = RandomBits();
  std::string out(kTemporaryPrefix);
  for (size_t i = 0; i < kRandomHexDigits; ++i) {
    out.push_back(kHex[(bits >> (60 - 4 * i)) & 0xf]);
  }
  out.push_back('-');
  out.append(base_name.substr(0, kMaxBaseInTemporaryName));
  out.append(kTemporarySuffix);
  return out;
}

bool IsTemporaryName(std::string_view base_name) {
  const size_t fixed = kTemporaryPrefix.size() + kRandomHexDigits + 1;
  if (base_name.size() < fixed + kTemporarySuffix.size() ||
      base_name.substr(0, kTemporaryPrefix.size()) != kTemporaryPrefix ||
      base_name.substr(base_name.size() - kTemporarySuffix.size()) != kTemporarySuffix) {
    return false;
  }
  for (size_t i = kTemporaryPrefix.size(); i < fixed - 1; ++i) {
    if (!IsHexDigit(base_name[i])) return false;
  }
  return base_name[fixed - 1] == '-';
}

}  // namespace saleslake::io

// The small pieces of HTTP syntax (RFC 9110 §5.5, §5.6) that the request parser's head and body
// halves share. Internal to the parser.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace saleslake::web::http_syntax {

// RFC 9110 §5.6.2: token characters.
inline bool IsTokenChar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

inline bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

// RFC 9110 §5.5: field values are visible characters, spaces, tabs and obs-text; never a control
// byte (NUL, CR and LF included).
inline bool IsFieldValueChar(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

inline std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

inline std::string Lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Splits a comma-separated field value into its trimmed elements (empty ones kept).
inline std::vector<std::string_view> ListElements(std::string_view value) {
  std::vector<std::string_view> out;
  while (true) {
    const size_t comma = value.find(',');
    out.push_back(TrimWhitespace(value.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return out;
}

// A quoted name for error messages: bounded, control bytes replaced.
inline std::string Shown(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 60))
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  return "'" + out + (s.size() > 60 ? "...'" : "'");
}

}  // namespace saleslake::web::http_syntax

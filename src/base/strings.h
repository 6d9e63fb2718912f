// Small ASCII string helpers, defined once for every layer (locale-independent: SQL keywords,
// HTTP header names, config values and identifiers are ASCII by definition).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace saleslake {

constexpr char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
constexpr char AsciiUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

std::string Lower(std::string_view s);
std::string Upper(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Spaces, tabs, CR and LF removed from both ends (TrimRight: from the end only).
std::string_view Trim(std::string_view s);
std::string_view TrimRight(std::string_view s);

std::string Join(const std::vector<std::string>& parts, std::string_view separator);

}  // namespace saleslake

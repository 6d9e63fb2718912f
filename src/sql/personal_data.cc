#include "sql/personal_data.h"

#include <algorithm>
#include <cctype>

namespace saleslake::sql {
namespace {

// The length of the UTF-8 sequence that starts with `lead` (1 for a stray continuation byte).
size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// The first character of `s` (whole, when it is a multi-byte UTF-8 sequence).
std::string_view FirstCharacter(std::string_view s) {
  if (s.empty()) return s;
  return s.substr(0, std::min(s.size(), Utf8Length(static_cast<unsigned char>(s[0]))));
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

PersonalKind PersonalKindOf(std::string_view name) {
  if (EqualsIgnoringCase(name, "customer_name")) return PersonalKind::kName;
  if (EqualsIgnoringCase(name, "customer_email")) return PersonalKind::kEmail;
  if (EqualsIgnoringCase(name, "_raw")) return PersonalKind::kRecord;
  return PersonalKind::kNone;
}

bool MayMentionPersonalColumn(std::string_view sql) {
  std::string lower(sql);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("customer_") != std::string::npos || lower.find("_raw") != std::string::npos;
}

std::string MaskEmail(std::string_view email) {
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos) return MaskName(email);
  std::string out(FirstCharacter(email.substr(0, at)));
  out += "***";
  out += email.substr(at);
  return out;
}

std::string MaskName(std::string_view name) {
  std::string out;
  size_t i = 0;
  while (i < name.size()) {
    while (i < name.size() && name[i] == ' ') ++i;
    if (i >= name.size()) break;
    size_t end = name.find(' ', i);
    if (end == std::string_view::npos) end = name.size();
    if (!out.empty()) out += ' ';
    out += FirstCharacter(name.substr(i, end - i));
    out += "***";
    i = end;
  }
  return out;
}

std::string MaskPersonal(PersonalKind kind, std::string_view value) {
  switch (kind) {
    case PersonalKind::kName:
      return MaskName(value);
    case PersonalKind::kEmail:
      return MaskEmail(value);
    case PersonalKind::kRecord:
      return "***";
    case PersonalKind::kNone:
      break;
  }
  return std::string(value);
}

}  // namespace saleslake::sql

#include "io/s3/aws_ini.h"

#include <algorithm>

#include "base/strings.h"

namespace saleslake::io::s3 {
namespace {}  // namespace

Result<IniSections> ParseAwsIni(std::string_view text, std::string_view origin) {
  IniSections sections;
  std::map<std::string, std::string>* current = nullptr;
  std::string nested_parent;  // set while inside "key =" followed by indented lines
  size_t line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view raw = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    bool indented = raw.front() == ' ' || raw.front() == '\t';
    auto where = [&] { return std::string(origin) + " line " + std::to_string(line_number); };
    if (line.front() == '[') {
      if (line.back() != ']') {
        return Status::InvalidArgument(where() + ": a section header must end with ']'");
      }
      std::string name(Trim(line.substr(1, line.size() - 2)));
      if (name.empty()) return Status::InvalidArgument(where() + ": empty section name");
      current = &sections[name];
      nested_parent.clear();
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return Status::InvalidArgument(where() + ": expected 'key = value' or '[section]'");
    }
    if (current == nullptr) {
      return Status::InvalidArgument(where() + ": 'key = value' before any [section]");
    }
    std::string key = Lower(Trim(line.substr(0, eq)));
    std::string value(Trim(line.substr(eq + 1)));
    if (key.empty()) return Status::InvalidArgument(where() + ": empty key");
    if (indented && !nested_parent.empty()) {
      (*current)[nested_parent + "." + key] = std::move(value);
      continue;
    }
    nested_parent = value.empty() ? key : std::string();
    (*current)[key] = std::move(value);
  }
  return sections;
}

}  // namespace saleslake::io::s3

// The INI dialect of ~/.aws/credentials and ~/.aws/config.
//
//   [default]                 credentials file: [name];  config file: [default] or [profile name]
//   aws_access_key_id = AKIA...
//   region = eu-west-1
//   s3 =                      a key with an empty value opens a nested block: the indented lines
//     addressing_style = path   below it become "s3.addressing_style"
//   # or ; start a comment line
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake::io::s3 {

// section name → (key → value). Keys are lower-cased; values are trimmed.
using IniSections = std::map<std::string, std::map<std::string, std::string>>;

// Parses INI text. `origin` names the file in error messages. A line that is neither a section,
// a key = value pair, a comment nor blank is an error naming the line (the AWS CLI refuses such
// files too), so a typo does not silently drop a profile's keys.
Result<IniSections> ParseAwsIni(std::string_view text, std::string_view origin);

}  // namespace saleslake::io::s3

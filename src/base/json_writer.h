// JsonWriter: appends well-formed JSON to a std::string, fast enough for hot paths (the generator
// and `parquet cat` write millions of values through it). Commas are placed automatically.
//
//   JsonWriter w(&out);
//   w.BeginObject(); w.Key("rows"); w.Int(3); w.EndObject();   // {"rows":3}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace saleslake {

// Appends `s` to `out` as a JSON string literal (with quotes). Control characters, quotes and
// backslashes are escaped; bytes >= 0x80 are copied as they are (callers pass UTF-8).
void AppendJsonString(std::string* out, std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view s);
  void Int(int64_t v);
  void Uint(uint64_t v);
  void Double(double v);  // NaN and infinities become null (JSON has no such numbers)
  void Bool(bool v);
  void Null();
  // Appends pre-formatted JSON (a number literal, or a nested document) as one value.
  void Raw(std::string_view json);

  // Shorthands for a key followed by a value.
  void Field(std::string_view key, std::string_view v) {
    Key(key);
    String(v);
  }
  void Field(std::string_view key, const char* v) {
    Key(key);
    String(v);
  }
  void Field(std::string_view key, int64_t v) {
    Key(key);
    Int(v);
  }
  void Field(std::string_view key, int v) {
    Key(key);
    Int(v);
  }
  void Field(std::string_view key, uint64_t v) {
    Key(key);
    Uint(v);
  }
  void Field(std::string_view key, double v) {
    Key(key);
    Double(v);
  }
  void Field(std::string_view key, bool v) {
    Key(key);
    Bool(v);
  }

 private:
  void BeforeValue();

  std::string* out_;
  // One entry per open container: true once it holds a value (so the next needs a comma).
  std::vector<bool> has_value_;
  bool after_key_ = false;
};

}  // namespace saleslake

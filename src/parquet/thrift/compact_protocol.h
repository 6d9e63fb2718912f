// Thrift compact protocol: the byte format of every Parquet footer, page header and page index.
//
// CompactWriter appends to a string. CompactReader decodes untrusted bytes: every read is
// bounds-checked, nesting depth and string/list sizes are capped, and a list or string never
// allocates more than the bytes that remain in the input could describe. Errors are
// Status::Corruption (or ResourceExhausted for a cap) saying what was wrong and at which byte.
//
// Only the subset Parquet needs is modelled, but every thrift type can be skipped, so structs
// written by newer writers (unknown fields, maps, sets) decode fine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace saleslake::parquet::thrift {

// Compact-protocol type nibbles (what appears on the wire in field and list headers).
enum class CType : uint8_t {
  kStop = 0,
  kBoolTrue =
      1,  // in a field header: a bool field whose value is true; as a list element type: bool
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
  kUuid = 13,
};

// A short name for error messages ("i32", "struct", "type 14").
std::string CTypeName(CType type);

class CompactWriter {
 public:
  // Appends to *out, which must outlive the writer.
  explicit CompactWriter(std::string* out) : out_(out) {}

  // A struct is BeginStruct, its fields in increasing id order, EndStruct. The top-level
  // message is a struct too.
  void BeginStruct();
  void EndStruct();

  // One field of the current struct: the header, then the value.
  void FieldBool(int16_t id, bool v);
  void FieldI8(int16_t id, int8_t v);
  void FieldI16(int16_t id, int16_t v);
  void FieldI32(int16_t id, int32_t v);
  void FieldI64(int16_t id, int64_t v);
  void FieldDouble(int16_t id, double v);
  void FieldBinary(int16_t id, std::string_view v);
  // Header of a struct-valued field; follow with the struct's fields and EndStruct().
  void FieldStructBegin(int16_t id);
  // Header of a list-valued field; follow with `size` elements.
  void FieldListBegin(int16_t id, CType element_type, uint32_t size);
  // Writes the header of a struct-valued field followed by `raw`, an already encoded struct body
  // (fields and STOP), as captured by CompactReader::SkipCapture.
  void FieldRawStruct(int16_t id, std::string_view raw);

  // List elements (and nested list headers).
  void ListBegin(CType element_type, uint32_t size);
  void ElementBool(bool v) { out_->push_back(v ? 1 : 2); }
  void ElementI32(int32_t v) { WriteVarint(ZigZag32(v)); }
  void ElementI64(int64_t v) { WriteVarint(ZigZag64(v)); }
  void ElementBinary(std::string_view v);
  // A struct element is BeginStruct ... EndStruct.

 private:
  static uint32_t ZigZag32(int32_t v) {
    return (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31);
  }
  static uint64_t ZigZag64(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  }
  void WriteVarint(uint64_t v);
  void FieldHeader(int16_t id, CType type);

  std::string* out_;
  // Field ids are delta-encoded against the previous field of the same struct.
  std::vector<int16_t> last_field_id_;
  int16_t last_id_ = 0;
};

// Caps for decoding untrusted bytes. Strings and lists are additionally bounded by the bytes that
// remain, so a lying length can never make the decoder allocate more than its input.
struct DecodeLimits {
  int max_depth = 64;                      // nested structs and containers
  uint32_t max_string_bytes = 256u << 20;  // one binary/string value
  uint32_t max_list_size = 64u << 20;      // elements in one list/set/map
  // Memory the decoded structs may take in all (lists counted at their C++ element size, strings
  // at their length): a decoded struct can be ~100 times larger than its encoding, so the input
  // size alone does not bound it.
  uint64_t max_decoded_bytes = uint64_t{1} << 30;
};

class CompactReader {
 public:
  CompactReader(std::string_view data, const DecodeLimits& limits = {})
      : data_(data), limits_(limits) {}

  // Enters a struct (the top-level message or a struct value); fails when too deeply nested.
  Status BeginStruct();
  void EndStruct();

  // Reads the next field header of the current struct. At the end of the struct, *type is kStop.
  // For a bool field the value is remembered and returned by the next ReadBool().
  Status ReadFieldHeader(int16_t* id, CType* type);

  Status ReadBool(bool* v);  // a bool field's value, or a bool list element (one byte)
  Status ReadI8(int8_t* v);
  Status ReadI16(int16_t* v);
  Status ReadI32(int32_t* v);
  Status ReadI64(int64_t* v);
  Status ReadDouble(double* v);
  Status ReadBinary(std::string* v);
  // A view into the input; valid while the input is.
  Status ReadBinaryView(std::string_view* v);

  // Reads a list or set header. The size is checked against the caps and against the bytes left
  // (every element takes at least one byte), so reserving *size elements is safe.
  Status ReadListHeader(CType* element_type, uint32_t* size);

  // Skips one value of the given type (recursively, within the depth cap).
  Status Skip(CType type);
  // Skips a struct value and returns its encoded body (fields + STOP) so it can be re-emitted.
  Status SkipCapture(std::string_view* raw);

  // Accounts `bytes` about to be allocated for decoded values; ResourceExhausted past
  // limits.max_decoded_bytes.
  Status Charge(uint64_t bytes);

  size_t position() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }

 private:
  Status ReadByte(uint8_t* b);
  Status ReadVarint(uint64_t* v, int max_bytes);
  Status Truncated(const char* what) const;
  Status SkipDepth(CType type, int depth);

  std::string_view data_;
  DecodeLimits limits_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::vector<int16_t> last_field_id_;
  int16_t last_id_ = 0;
  uint64_t charged_ = 0;
  bool has_pending_bool_ = false;
  bool pending_bool_ = false;
};

}  // namespace saleslake::parquet::thrift

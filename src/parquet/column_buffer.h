// ColumnBuffer: the values of one column for a batch of rows, in the shape the writer encodes
// from (and the pipeline builds): one dense array per physical type with a slot for every row,
// plus a validity byte per row once the first null arrives. Byte arrays live in one buffer with
// offsets, so appending a string costs a memcpy, not an allocation.
//
//   ColumnBuffer price(Type::kInt64);
//   price.AppendInt64(11899915);
//   price.AppendNull();
//
// Byte arrays may instead arrive in dictionary form, when the caller already knows each row's
// value as an index into a list of distinct values (a dictionary-encoded page it read, a column
// it grouped): the distinct values once, then an index per row. The writer then looks each
// distinct value up once per call instead of hashing every row, and stores exactly the bytes that
// appending the values one by one would have stored.
//
//   ColumnBuffer brand(Type::kByteArray);
//   const uint32_t jbl = brand.AddDictionaryValue("JBL");
//   brand.AppendIndex(jbl);
//   brand.AppendIndex(jbl);
//
// Appending the wrong type, or mixing AppendBytes with AppendIndex in one batch, is a programming
// error (asserted in debug builds); the writer checks each vector's type against its column and
// each index against the dictionary before reading them.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/metadata.h"

namespace saleslake::parquet {

class ColumnBuffer {
 public:
  // `fixed_width` is the byte width of FIXED_LEN_BYTE_ARRAY values (checked by the writer).
  explicit ColumnBuffer(Type type, int32_t fixed_width = 0) : type_(type), width_(fixed_width) {}

  Type type() const { return type_; }
  int32_t fixed_width() const { return width_; }
  size_t size() const { return size_; }
  size_t null_count() const { return null_count_; }
  // One byte per row, 1 = a value, 0 = null; nullptr while the vector has no null.
  const uint8_t* validity() const { return validity_.empty() ? nullptr : validity_.data(); }
  bool IsValid(size_t row) const { return validity_.empty() || validity_[row] != 0; }

  void AppendNull();
  void AppendBool(bool v) { Push(bools_, static_cast<uint8_t>(v), Type::kBoolean); }
  void AppendInt32(int32_t v) { Push(i32_, v, Type::kInt32); }
  void AppendInt64(int64_t v) { Push(i64_, v, Type::kInt64); }
  void AppendFloat(float v) { Push(f32_, v, Type::kFloat); }
  void AppendDouble(double v) { Push(f64_, v, Type::kDouble); }
  // BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY.
  void AppendBytes(std::string_view v) {
    assert(type_ == Type::kByteArray || type_ == Type::kFixedLenByteArray);
    assert(!dictionary_form_);
    PushBytes(v);
    MarkValid();
  }

  // Dictionary form (byte arrays): adds a distinct value and returns its index; then
  // AppendIndex (or AppendNull) once per row. Values may be added between rows.
  // REQUIRES: the batch holds no AppendBytes values.
  uint32_t AddDictionaryValue(std::string_view v) {
    assert(type_ == Type::kByteArray || type_ == Type::kFixedLenByteArray);
    if (!dictionary_form_) StartDictionaryForm();
    PushBytes(v);
    return static_cast<uint32_t>(offsets_.size() - 2);
  }
  void AppendIndex(uint32_t index) {
    assert(dictionary_form_);
    indices_.push_back(index);
    MarkValid();
  }
  // AppendIndex for each of `indices`, in order.
  void AppendIndices(std::span<const uint32_t> indices) {
    assert(dictionary_form_);
    indices_.insert(indices_.end(), indices.begin(), indices.end());
    if (!validity_.empty()) validity_.insert(validity_.end(), indices.size(), 1);
    size_ += indices.size();
  }
  bool is_dictionary() const { return dictionary_form_; }
  size_t dictionary_size() const { return dictionary_form_ ? offsets_.size() - 1 : 0; }
  std::string_view dictionary_value(uint32_t index) const { return Slice(index); }
  // One index per row (a null's slot holds 0); valid in dictionary form only.
  const uint32_t* indices() const { return indices_.data(); }

  // Dense values, one slot per row (a null's slot holds 0 or an empty byte array). bytes() is
  // for the plain form; in dictionary form a row's value is dictionary_value(indices()[row]).
  const uint8_t* bools() const { return bools_.data(); }
  const int32_t* int32s() const { return i32_.data(); }
  const int64_t* int64s() const { return i64_.data(); }
  const float* floats() const { return f32_.data(); }
  const double* doubles() const { return f64_.data(); }
  std::string_view bytes(size_t row) const {
    assert(!dictionary_form_);
    return Slice(row);
  }
  template <typename T>
  const T* values() const;

  // Empties the vector, keeping its memory for the next batch.
  void Clear();
  void Reserve(size_t rows, size_t byte_array_bytes = 0);

 private:
  template <typename T>
  void Push(std::vector<T>& v, T x, [[maybe_unused]] Type expected) {
    assert(type_ == expected);
    v.push_back(x);
    MarkValid();
  }
  void StartDictionaryForm();
  // Appends a byte array's bytes and its end offset. Strings of a few dozen bytes (a sale's
  // fields) are copied with a few word moves instead of a library call; the buffer grows by
  // doubling, and only then are new bytes zeroed.
  void PushBytes(std::string_view v) {
    const size_t n = v.size();
    if (bytes_.size() - bytes_used_ < n) GrowBytes(n);
    CopyShort(bytes_.data() + bytes_used_, v.data(), n);
    bytes_used_ += n;
    offsets_.push_back(static_cast<uint32_t>(bytes_used_));
  }
  void GrowBytes(size_t more);
  static void CopyShort(char* to, const char* from, size_t n) {
    auto move = [&](size_t at, auto word) {
      std::memcpy(&word, from + at, sizeof(word));
      std::memcpy(to + at, &word, sizeof(word));
    };
    if (n > 32) {
      std::memcpy(to, from, n);
    } else if (n > 16) {  // four words, the last two overlapping the first two
      move(0, uint64_t{});
      move(8, uint64_t{});
      move(n - 16, uint64_t{});
      move(n - 8, uint64_t{});
    } else if (n >= 8) {
      move(0, uint64_t{});
      move(n - 8, uint64_t{});
    } else if (n >= 4) {
      move(0, uint32_t{});
      move(n - 4, uint32_t{});
    } else if (n > 0) {
      to[0] = from[0];
      to[n / 2] = from[n / 2];
      to[n - 1] = from[n - 1];
    }
  }
  std::string_view Slice(size_t i) const {
    return std::string_view(bytes_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  void MarkValid() {
    if (!validity_.empty()) validity_.push_back(1);
    ++size_;
  }

  Type type_;
  int32_t width_;
  size_t size_ = 0;
  size_t null_count_ = 0;
  std::vector<uint8_t> validity_;  // empty until the first null
  std::vector<uint8_t> bools_;
  std::vector<int32_t> i32_;
  std::vector<int64_t> i64_;
  std::vector<float> f32_;
  std::vector<double> f64_;
  std::string bytes_;  // the byte arrays' bytes in [0, bytes_used_); its size is its room
  size_t bytes_used_ = 0;
  std::vector<uint32_t> offsets_{0};  // of the values, or in dictionary form of the dictionary
  bool dictionary_form_ = false;
  std::vector<uint32_t> indices_;  // dictionary form: one per row
};

template <>
inline const uint8_t* ColumnBuffer::values<uint8_t>() const {
  return bools();
}
template <>
inline const int32_t* ColumnBuffer::values<int32_t>() const {
  return int32s();
}
template <>
inline const int64_t* ColumnBuffer::values<int64_t>() const {
  return int64s();
}
template <>
inline const float* ColumnBuffer::values<float>() const {
  return floats();
}
template <>
inline const double* ColumnBuffer::values<double>() const {
  return doubles();
}

}  // namespace saleslake::parquet

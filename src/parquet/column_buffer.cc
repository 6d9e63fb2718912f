#include "parquet/column_buffer.h"

#include <algorithm>

namespace saleslake::parquet {

void ColumnBuffer::AppendNull() {
  if (validity_.empty()) validity_.assign(size_, 1);
  validity_.push_back(0);
  ++null_count_;
  ++size_;
  switch (type_) {
    case Type::kBoolean:
      bools_.push_back(0);
      break;
    case Type::kInt32:
      i32_.push_back(0);
      break;
    case Type::kInt64:
      i64_.push_back(0);
      break;
    case Type::kFloat:
      f32_.push_back(0);
      break;
    case Type::kDouble:
      f64_.push_back(0);
      break;
    default:
      if (dictionary_form_) {
        indices_.push_back(0);
      } else {
        offsets_.push_back(static_cast<uint32_t>(bytes_used_));
      }
      break;
  }
}

void ColumnBuffer::StartDictionaryForm() {
  // Only nulls so far (their empty values leave no bytes): they become index slots.
  assert(size_ == null_count_ && bytes_used_ == 0);
  dictionary_form_ = true;
  offsets_.assign(1, 0);
  indices_.assign(size_, 0);
}

void ColumnBuffer::GrowBytes(size_t more) {
  // Within a reserved capacity this only zeroes the new room (no copy); beyond it, doubling.
  bytes_.resize(std::max(2 * bytes_.size(), std::max<size_t>(bytes_used_ + more, 4096)));
}

void ColumnBuffer::Clear() {
  size_ = 0;
  null_count_ = 0;
  validity_.clear();
  bools_.clear();
  i32_.clear();
  i64_.clear();
  f32_.clear();
  f64_.clear();
  bytes_used_ = 0;  // the room stays for the next batch
  offsets_.assign(1, 0);
  dictionary_form_ = false;
  indices_.clear();
}

void ColumnBuffer::Reserve(size_t rows, size_t byte_array_bytes) {
  switch (type_) {
    case Type::kBoolean:
      bools_.reserve(rows);
      break;
    case Type::kInt32:
      i32_.reserve(rows);
      break;
    case Type::kInt64:
      i64_.reserve(rows);
      break;
    case Type::kFloat:
      f32_.reserve(rows);
      break;
    case Type::kDouble:
      f64_.reserve(rows);
      break;
    default:
      offsets_.reserve(rows + 1);
      // Capacity only: the room (bytes_'s size) grows into it as values arrive, so memory
      // reserved and never used is never touched.
      bytes_.reserve(byte_array_bytes);
      break;
  }
}

}  // namespace saleslake::parquet

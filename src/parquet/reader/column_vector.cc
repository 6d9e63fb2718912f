#include "parquet/reader/column_vector.h"

#include <algorithm>

namespace saleslake::parquet {
namespace {

template <typename T>
void AppendRange(std::vector<T>* to, const std::vector<T>& from, int64_t offset, int64_t count) {
  to->insert(to->end(), from.begin() + offset, from.begin() + offset + count);
}

}  // namespace

void ColumnVector::Resize(int64_t rows, bool nullable) {
  const auto n = static_cast<size_t>(rows);
  length = rows;
  if (nullable) valid.resize(n, 1);
  switch (physical_type) {
    case Type::kBoolean:
      bools.resize(n);
      break;
    case Type::kInt32:
      int32s.resize(n);
      break;
    case Type::kInt64:
      int64s.resize(n);
      break;
    case Type::kFloat:
      floats.resize(n);
      break;
    case Type::kDouble:
      doubles.resize(n);
      break;
    default:
      if (dictionary != nullptr) {
        indices.resize(n);
      } else {
        binaries.resize(n);
      }
      break;
  }
}

void ColumnVector::Materialize() {
  if (dictionary == nullptr) return;
  binaries.resize(indices.size());
  for (size_t i = 0; i < indices.size(); ++i) binaries[i] = BinaryAt(static_cast<int64_t>(i));
  for (const auto& b : dictionary->buffers) buffers.push_back(b);
  dictionary.reset();
  indices = std::vector<uint32_t>();
}

void ColumnVector::Reserve(int64_t rows, bool nullable) {
  const auto n = static_cast<size_t>(rows);
  if (nullable) valid.reserve(n);
  switch (physical_type) {
    case Type::kBoolean:
      bools.reserve(n);
      break;
    case Type::kInt32:
      int32s.reserve(n);
      break;
    case Type::kInt64:
      int64s.reserve(n);
      break;
    case Type::kFloat:
      floats.reserve(n);
      break;
    case Type::kDouble:
      doubles.reserve(n);
      break;
    default:
      if (dictionary != nullptr) {
        indices.reserve(n);
      } else {
        binaries.reserve(n);
      }
      break;
  }
}

void ColumnVector::AppendSlice(const ColumnVector& other, int64_t offset, int64_t count) {
  if (!other.valid.empty() || !valid.empty()) {
    valid.resize(static_cast<size_t>(length), 1);
    if (other.valid.empty()) {
      valid.insert(valid.end(), static_cast<size_t>(count), 1);
    } else {
      AppendRange(&valid, other.valid, offset, count);
      null_count += count - std::count(other.valid.begin() + offset,
                                       other.valid.begin() + offset + count, uint8_t{1});
    }
  }
  switch (physical_type) {
    case Type::kBoolean:
      AppendRange(&bools, other.bools, offset, count);
      break;
    case Type::kInt32:
      AppendRange(&int32s, other.int32s, offset, count);
      break;
    case Type::kInt64:
      AppendRange(&int64s, other.int64s, offset, count);
      break;
    case Type::kFloat:
      AppendRange(&floats, other.floats, offset, count);
      break;
    case Type::kDouble:
      AppendRange(&doubles, other.doubles, offset, count);
      break;
    default:
      if (other.dictionary != nullptr && (length == 0 || dictionary == other.dictionary)) {
        dictionary = other.dictionary;
        AppendRange(&indices, other.indices, offset, count);
        break;
      }
      Materialize();
      if (other.dictionary != nullptr) {
        for (int64_t i = 0; i < count; ++i) binaries.push_back(other.BinaryAt(offset + i));
        for (const auto& b : other.dictionary->buffers) buffers.push_back(b);
        break;
      }
      AppendRange(&binaries, other.binaries, offset, count);
      for (const auto& b : other.buffers) {
        if (std::find(buffers.begin(), buffers.end(), b) == buffers.end()) buffers.push_back(b);
      }
      break;
  }
  length += count;
}

void ColumnVector::Clear() {
  // Sizes go to zero but capacity stays: a vector reused for the next row group does not pay for
  // fresh memory again. Owned buffers are released.
  length = 0;
  null_count = 0;
  valid.clear();
  bools.clear();
  int32s.clear();
  int64s.clear();
  floats.clear();
  doubles.clear();
  binaries.clear();
  buffers.clear();
  dictionary.reset();
  indices.clear();
}

}  // namespace saleslake::parquet

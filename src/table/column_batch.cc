#include "table/column_batch.h"

#include <fmt/format.h>

namespace saleslake::table {

void SelectionVector::SelectAll(size_t rows) {
  rows_.resize(rows);
  for (size_t i = 0; i < rows; ++i) rows_[i] = static_cast<uint32_t>(i);
}

void BatchVerdict::Reset(size_t rows) {
  reasons_.assign(rows, 0);
  accepted_.Clear();
  rejected_.Clear();
}

void BatchVerdict::Finish() {
  accepted_.Clear();
  rejected_.Clear();
  for (size_t row = 0; row < reasons_.size(); ++row) {
    (reasons_[row] == 0 ? accepted_ : rejected_).Add(static_cast<uint32_t>(row));
  }
}

ColumnBatch::ColumnBatch(std::vector<parquet::ColumnSpec> schema) : schema_(std::move(schema)) {
  columns_.reserve(schema_.size());
  for (const parquet::ColumnSpec& c : schema_) columns_.emplace_back(c.type, c.type_length);
}

int ColumnBatch::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < schema_.size(); ++i) {
    if (schema_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int32_t ColumnBatch::decimal_scale(size_t i) const {
  const std::optional<parquet::LogicalType>& t = schema_[i].logical_type;
  return t && t->kind == parquet::LogicalType::Kind::kDecimal ? t->scale : 0;
}

Status ColumnBatch::CheckShape() const {
  const size_t n = rows();
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].size() != n) {
      return Status::Internal(fmt::format("column '{}' holds {} rows, column '{}' {}",
                                          schema_[i].name, columns_[i].size(), schema_[0].name, n));
    }
    if (schema_[i].required && columns_[i].null_count() > 0) {
      return Status::Internal(
          fmt::format("column '{}' is REQUIRED but holds a null", schema_[i].name));
    }
  }
  return Status::OK();
}

void ColumnBatch::Clear() {
  for (parquet::ColumnBuffer& c : columns_) c.Clear();
}

void ColumnBatch::Reserve(size_t rows, size_t string_bytes) {
  for (parquet::ColumnBuffer& c : columns_) c.Reserve(rows, string_bytes);
}

namespace {

void AppendRows(const parquet::ColumnBuffer& from, const SelectionVector& selection,
                parquet::ColumnBuffer* to) {
  using parquet::Type;
  for (uint32_t row : selection.rows()) {
    if (!from.IsValid(row)) {
      to->AppendNull();
      continue;
    }
    switch (from.type()) {
      case Type::kBoolean:
        to->AppendBool(from.bools()[row] != 0);
        break;
      case Type::kInt32:
        to->AppendInt32(from.int32s()[row]);
        break;
      case Type::kInt64:
        to->AppendInt64(from.int64s()[row]);
        break;
      case Type::kFloat:
        to->AppendFloat(from.floats()[row]);
        break;
      case Type::kDouble:
        to->AppendDouble(from.doubles()[row]);
        break;
      default:
        to->AppendBytes(from.bytes(row));
        break;
    }
  }
}

}  // namespace

void ColumnBatch::AppendSelected(const ColumnBatch& from, const SelectionVector& selection) {
  for (size_t i = 0; i < columns_.size() && i < from.columns_.size(); ++i) {
    AppendRows(from.columns_[i], selection, &columns_[i]);
  }
}

}  // namespace saleslake::table

#include "pipeline/raw_batch_writer.h"

#include <limits>

#include "pipeline/lake_schemas.h"

namespace saleslake::pipeline {
namespace {

using table::SalesField;

constexpr uint32_t kAllFields = (1u << table::kSalesFieldCount) - 1;
// Reasons after which the typed columns no longer say everything the record said (a field that
// failed to type also clears its `valid` bit, which is checked separately).
constexpr uint32_t kLossyReasons = table::kBadJson | table::kNotAnObject | table::kInvalidUtf8 |
                                   table::kExtraField | table::kRepeatedField;

}  // namespace

Result<std::unique_ptr<RawBatchWriter>> RawBatchWriter::Open(std::unique_ptr<io::WritableFile> file,
                                                             RawLineage lineage,
                                                             size_t flush_rows) {
  SL_ASSIGN_OR_RETURN(parquet::WriterOptions options, LakeWriterOptions(kRawSalesTable));
  SL_ASSIGN_OR_RETURN(
      auto writer, parquet::ParquetFileWriter::Open(std::move(file), RawSalesColumns(), options));
  return std::unique_ptr<RawBatchWriter>(
      new RawBatchWriter(std::move(writer), std::move(lineage), flush_rows == 0 ? 1 : flush_rows));
}

RawBatchWriter::RawBatchWriter(std::unique_ptr<parquet::ParquetFileWriter> writer,
                               RawLineage lineage, size_t flush_rows)
    : writer_(std::move(writer)),
      lineage_(std::move(lineage)),
      flush_rows_(flush_rows),
      validator_(table::ValidationOptions{.now_micros = lineage_.ingested_at_micros}) {
  for (const parquet::ColumnSpec& c : writer_->columns()) columns_.emplace_back(c.type);
  for (parquet::ColumnBuffer& c : columns_) c.Reserve(flush_rows_);
}

RawBatchWriter::~RawBatchWriter() = default;

Status RawBatchWriter::Add(const SplitRecord& record) {
  const table::ParsedSale& sale = validator_.Validate(record.text);
  uint32_t valid = sale.valid;
  // Quantity is INT32 in the lake: a whole number beyond it did not type.
  if ((valid >> static_cast<int>(SalesField::kQuantity)) & 1u) {
    if (sale.quantity < std::numeric_limits<int32_t>::min() ||
        sale.quantity > std::numeric_limits<int32_t>::max()) {
      valid &= ~(1u << static_cast<int>(SalesField::kQuantity));
    }
  }
  for (int i = 0; i < table::kSalesFieldCount; ++i) {
    parquet::ColumnBuffer& column = columns_[static_cast<size_t>(i)];
    if (!((valid >> i) & 1u)) {
      column.AppendNull();
      continue;
    }
    switch (static_cast<SalesField>(i)) {
      case SalesField::kTimestamp:
        column.AppendInt64(sale.timestamp_micros);
        break;
      case SalesField::kRetailPrice:
        column.AppendInt64(sale.retail_price_paise);
        break;
      case SalesField::kMrp:
        column.AppendInt64(sale.mrp_paise);
        break;
      case SalesField::kTotal:
        column.AppendInt64(sale.total_paise);
        break;
      case SalesField::kQuantity:
        column.AppendInt32(static_cast<int32_t>(sale.quantity));
        break;
      default:
        column.AppendBytes(sale.text[static_cast<size_t>(i)]);
        break;
    }
  }
  const bool keep_raw =
      record.truncated || valid != kAllFields || (sale.reasons & kLossyReasons) != 0;
  if (keep_raw) {
    columns_[kRawText].AppendBytes(record.text);
    ++raw_rows_;
  } else {
    columns_[kRawText].AppendNull();
  }
  columns_[kRawRecordIndex].AppendInt64(static_cast<int64_t>(record.index));
  columns_[kRawBatchId].AppendBytes(lineage_.batch_id);
  columns_[kRawIngestedAt].AppendInt64(lineage_.ingested_at_micros);
  columns_[kRawSource].AppendBytes(lineage_.source);
  columns_[kRawTruncated].AppendBool(record.truncated);
  if (record.truncated) ++truncated_rows_;
  ++rows_;
  if (columns_[0].size() >= flush_rows_) return Flush();
  return Status::OK();
}

Status RawBatchWriter::Flush() {
  if (columns_[0].size() == 0) return Status::OK();
  SL_RETURN_IF_ERROR(writer_->Write(columns_));
  for (parquet::ColumnBuffer& c : columns_) c.Clear();
  return Status::OK();
}

Status RawBatchWriter::Close() {
  Status st = Flush();
  if (!st.ok()) {
    writer_->Abort().IgnoreError();
    return st;
  }
  SL_RETURN_IF_ERROR(writer_->Close());
  file_bytes_ = static_cast<uint64_t>(writer_->file_size());
  return Status::OK();
}

Status RawBatchWriter::Abort() { return writer_->Abort(); }

}  // namespace saleslake::pipeline

#include "pipeline/raw_batch_parser.h"

#include <simdjson.h>

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

// The 15 typed columns of a sale whose every field typed (nearly every record): straight-line,
// with no test or branch a field.
void AppendCleanSaleFields(const table::ParsedSale& sale, table::ColumnBatch* batch) {
  auto text = [&](SalesField f) {
    const size_t i = static_cast<size_t>(f);
    batch->column(i).AppendBytes(sale.text[i]);
  };
  auto column = [&](SalesField f) -> parquet::ColumnBuffer& {
    return batch->column(static_cast<size_t>(f));
  };
  text(SalesField::kTransactionId);
  column(SalesField::kTimestamp).AppendInt64(sale.timestamp_micros);
  text(SalesField::kStoreId);
  text(SalesField::kStoreName);
  text(SalesField::kStoreLocation);
  text(SalesField::kProductId);
  text(SalesField::kProductName);
  text(SalesField::kCategory);
  text(SalesField::kBrand);
  column(SalesField::kRetailPrice).AppendInt64(sale.retail_price_paise);
  column(SalesField::kQuantity).AppendInt32(static_cast<int32_t>(sale.quantity));
  column(SalesField::kMrp).AppendInt64(sale.mrp_paise);
  column(SalesField::kTotal).AppendInt64(sale.total_paise);
  text(SalesField::kCustomerName);
  text(SalesField::kCustomerEmail);
  static_assert(table::kSalesFieldCount == 15, "every field appended above");
}

// The 15 typed columns of one sale; `valid` says which hold a value.
void AppendSaleFields(const table::ParsedSale& sale, uint32_t valid, table::ColumnBatch* batch) {
  for (int i = 0; i < table::kSalesFieldCount; ++i) {
    parquet::ColumnBuffer& column = batch->column(static_cast<size_t>(i));
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
}

// The index of `value` in `column`'s dictionary form, added if new; -1 when the column already
// holds rows in plain form. The lineage columns repeat one value on every row of a batch: as one
// dictionary value and an index a row they cost neither a copy a row here nor a comparison a row
// in the writer, and the file's bytes are those of the values appended one by one.
int64_t ConstantIndex(parquet::ColumnBuffer* column, std::string_view value) {
  if (column->size() > 0 && !column->is_dictionary()) return -1;
  for (uint32_t i = 0; i < column->dictionary_size(); ++i) {
    if (column->dictionary_value(i) == value) return i;
  }
  return column->AddDictionaryValue(value);
}

void AppendConstant(parquet::ColumnBuffer* column, int64_t index, std::string_view value) {
  if (index >= 0) {
    column->AppendIndex(static_cast<uint32_t>(index));
  } else {
    column->AppendBytes(value);
  }
}

}  // namespace

void RecordChunk::Clear() {
  bytes_.clear();
  ends_.clear();
  indexes_.clear();
  truncated_.clear();
}

void RecordChunk::Reserve(size_t records, size_t bytes) {
  bytes_.reserve(bytes + simdjson::SIMDJSON_PADDING);
  ends_.reserve(records);
  indexes_.reserve(records);
  truncated_.reserve(records);
}

void RecordChunk::Add(const SplitRecord& record) {
  bytes_.append(record.text);
  ends_.push_back(bytes_.size());
  indexes_.push_back(record.index);
  truncated_.push_back(record.truncated ? 1 : 0);
}

void RecordChunk::Seal() { bytes_.append(simdjson::SIMDJSON_PADDING, ' '); }

table::ColumnBatch NewRawSalesBatch() { return table::ColumnBatch(RawSalesColumns()); }

RawBatchParser::RawBatchParser(const RawLineage& lineage)
    : lineage_(lineage),
      typer_(table::CleanSaleTyper::Make()),
      validator_(table::ValidationOptions{.now_micros = lineage.ingested_at_micros}) {}

void RawBatchParser::Parse(const RecordChunk& chunk, table::ColumnBatch* batch,
                           RawRowCounts* counts) {
  const size_t n = chunk.size();
  parquet::ColumnBuffer* batch_ids = &batch->column(kRawBatchId);
  parquet::ColumnBuffer* sources = &batch->column(kRawSource);
  const int64_t batch_id_index = ConstantIndex(batch_ids, lineage_.batch_id);
  const int64_t source_index = ConstantIndex(sources, lineage_.source);
  for (size_t r = 0; r < n; ++r) {
    const std::string_view text = chunk.text(r);
    const bool truncated = chunk.truncated(r);
    bool keep_raw;
    if (!truncated && typer_ != nullptr && typer_->Type(text, chunk.padding_after(r), &fast_)) {
      AppendCleanSaleFields(fast_, batch);
      keep_raw = false;
    } else {
      const table::ParsedSale& sale = validator_.Validate(text);
      uint32_t valid = sale.valid;
      // Quantity is INT32 in the lake: a whole number beyond it did not type.
      if ((valid >> static_cast<int>(SalesField::kQuantity)) & 1u) {
        if (sale.quantity < std::numeric_limits<int32_t>::min() ||
            sale.quantity > std::numeric_limits<int32_t>::max()) {
          valid &= ~(1u << static_cast<int>(SalesField::kQuantity));
        }
      }
      AppendSaleFields(sale, valid, batch);
      keep_raw = truncated || valid != kAllFields || (sale.reasons & kLossyReasons) != 0;
    }
    if (keep_raw) {
      batch->column(kRawText).AppendBytes(text);
      ++counts->raw_rows;
    } else {
      batch->column(kRawText).AppendNull();
    }
    batch->column(kRawRecordIndex).AppendInt64(static_cast<int64_t>(chunk.index(r)));
    AppendConstant(batch_ids, batch_id_index, lineage_.batch_id);
    batch->column(kRawIngestedAt).AppendInt64(lineage_.ingested_at_micros);
    AppendConstant(sources, source_index, lineage_.source);
    batch->column(kRawTruncated).AppendBool(truncated);
    if (truncated) ++counts->truncated_rows;
  }
  counts->rows += n;
}

}  // namespace saleslake::pipeline

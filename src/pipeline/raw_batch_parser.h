// RawBatchParser: types a chunk of records into rows of raw/sales, column by column.
//
// A RecordChunk owns the text of up to `flush_rows` consecutive records of a batch (copied out
// of the RecordSplitter, which lends each record only for the length of its callback), so chunks
// can be typed on other threads while the splitter moves on.
//
// Typing is SalesValidator's (one record, one verdict): a field that typed goes to its typed
// column, one that did not is null. `_raw` keeps the record's original bytes whenever the typed
// columns do not say everything the record said: a field failed to type (missing, null, wrong
// type, bad timestamp, oversized), the record has extra or repeated fields, is not an object, is
// not JSON or not UTF-8, or was truncated by the splitter's cap. Every row carries its lineage:
// _record_index, _batch_id, _ingested_at, _source, _truncated. The clean shape nearly every record
// has goes through CleanSaleTyper instead, which gives the same values without a DOM.
//
// Deterministic: the same chunk and lineage give the same rows, on any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/record_splitter.h"
#include "table/clean_sale_typer.h"
#include "table/column_batch.h"
#include "table/sales_validator.h"

namespace saleslake::pipeline {

struct RawLineage {
  std::string batch_id;
  int64_t ingested_at_micros = 0;  // also "now" for the validator
  std::string source;
};

class RecordChunk {
 public:
  void Clear();
  // Room for `records` records of `bytes` bytes in all, so that a chunk that fills up grows its
  // buffers once instead of doubling them (each doubling touches fresh memory, page by page).
  void Reserve(size_t records, size_t bytes);
  void Add(const SplitRecord& record);
  // Ends the chunk: pads it for the JSON parser. REQUIRES: before records are read.
  void Seal();

  size_t size() const { return ends_.size(); }
  // Bytes of the records (after Seal, also the padding).
  size_t bytes() const { return bytes_.size(); }
  std::string_view text(size_t i) const {
    const size_t start = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(bytes_.data() + start, ends_[i] - start);
  }
  // Readable bytes after record i's end (the records after it, then the padding).
  size_t padding_after(size_t i) const { return bytes_.size() - ends_[i]; }
  uint64_t index(size_t i) const { return indexes_[i]; }
  bool truncated(size_t i) const { return truncated_[i] != 0; }

 private:
  std::string bytes_;
  std::vector<size_t> ends_;
  std::vector<uint64_t> indexes_;
  std::vector<uint8_t> truncated_;
};

// Counts of the rows a parser typed.
struct RawRowCounts {
  uint64_t rows = 0;
  uint64_t raw_rows = 0;        // rows that keep their text in _raw
  uint64_t truncated_rows = 0;  // of those, the truncated ones

  RawRowCounts& operator+=(const RawRowCounts& o) {
    rows += o.rows;
    raw_rows += o.raw_rows;
    truncated_rows += o.truncated_rows;
    return *this;
  }
};

class RawBatchParser {
 public:
  explicit RawBatchParser(const RawLineage& lineage);

  // Appends one row per record of `chunk` to `batch` (the raw/sales schema); adds to *counts.
  void Parse(const RecordChunk& chunk, table::ColumnBatch* batch, RawRowCounts* counts);

 private:
  const RawLineage& lineage_;
  std::unique_ptr<table::CleanSaleTyper> typer_;  // null on a CPU without the fast path
  table::SalesValidator validator_;
  table::ParsedSale fast_;
};

// An empty batch of the raw/sales schema.
table::ColumnBatch NewRawSalesBatch();

}  // namespace saleslake::pipeline

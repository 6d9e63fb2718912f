// Rows of transform that are not on its hot path, and the spill that holds quarantined ones.
//
// Clean sales move between the passes in day columns (sale_columns.h). What is here: a sale as one
// object (SaleRow: what the rollups take, one reused per thread), quarantined records (1 in 100)
// encoded into byte buckets by batch, and Spill, which keeps such buckets in memory up to a budget
// and then appends them, as tagged chunks, to one anonymous temporary file.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "compress/codec.h"
#include "table/sales_record.h"
#include "table/sales_validator.h"

namespace saleslake::pipeline {

// A clean, typed sale with its lineage.
struct SaleRow {
  std::array<std::string, table::kSalesFieldCount> text;  // string fields (others empty)
  int64_t timestamp_micros = 0;
  int64_t retail_price = 0;  // paise
  int64_t quantity = 0;
  int64_t mrp = 0;     // paise
  int64_t total = 0;   // paise
  uint32_t batch = 0;  // ordinal of the batch in the run (BatchInfo)
  int64_t record_index = 0;
  std::string raw;  // the record's original text when the raw row kept one

  const std::string& id() const {
    return text[static_cast<int>(table::SalesField::kTransactionId)];
  }
  // Same sale: every one of the 15 fields equal (lineage ignored).
  bool SameContent(const SaleRow& other) const;
  // The record as JSON (the seed's field names, money as exact decimals).
  std::string ToJson() const;
};

// Copies a clean ParsedSale (views into the validator) into a row.
void SaleRowFromParsed(const table::ParsedSale& sale, SaleRow* row);

// A quarantined record.
struct QuarantineRow {
  std::string reason;  // comma-separated reason codes
  std::string detail;
  std::string raw;
  int64_t record_index = 0;
};

void EncodeQuarantineRow(const QuarantineRow& row, std::string* out);
// Decode every row of a bucket's bytes (appended to *rows).
Status DecodeQuarantineRows(std::string_view bytes, std::vector<QuarantineRow>* rows);
// The same rows as views into `bytes` (no copy of their text).
struct QuarantineView {
  std::string_view reason, detail, raw;
  int64_t record_index = 0;
};
Status DecodeQuarantineViews(std::string_view bytes, std::vector<QuarantineView>* rows);

// Buckets of encoded rows keyed by an integer, spilled to a temporary file past a budget. What
// goes to the file is compressed (LZ4): rejected records are text, often long and repetitive (an
// oversized one is the extractor's 64 KiB cap of it), and the kernel's copies of them cost more
// than compressing them does.
class Spill {
 public:
  explicit Spill(size_t memory_budget_bytes) : budget_(memory_budget_bytes) {}
  ~Spill();
  Spill(const Spill&) = delete;
  Spill& operator=(const Spill&) = delete;

  // The buffer to append one encoded row to; call Appended(n) after adding n bytes.
  std::string* Buffer(int64_t key) { return &memory_[key]; }
  Status Appended(size_t bytes);
  // Keys that have rows, ascending.
  std::vector<int64_t> Keys() const;
  // Every byte appended under `key`, in append order.
  Result<std::string> Take(int64_t key);
  // The oldest bytes appended under `key` not yet taken, into `out` (replacing what it held,
  // reusing its memory): its next chunk of the temporary file, else what memory holds (empty
  // when nothing is left). Chunks end between rows, so a key far larger than memory is read a
  // chunk at a time.
  Status TakeChunk(int64_t key, std::string* out);
  uint64_t spilled_bytes() const { return file_bytes_; }

 private:
  struct Chunk {
    uint64_t offset = 0;
    uint64_t stored = 0;  // bytes in the file
    uint64_t size = 0;    // bytes once decompressed
  };
  Status SpillAll();
  // Appends the chunk's bytes to *out.
  Status ReadChunk(const Chunk& chunk, std::string* out);

  size_t budget_;
  size_t in_memory_ = 0;
  std::map<int64_t, std::string> memory_;
  std::map<int64_t, std::vector<Chunk>> chunks_;  // per key, oldest first
  std::FILE* file_ = nullptr;
  uint64_t file_bytes_ = 0;
  std::unique_ptr<compress::Codec> codec_;
  std::string scratch_;  // a chunk compressed, on its way to or from the file
};

}  // namespace saleslake::pipeline

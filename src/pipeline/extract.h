// Extract: lands one batch of sale records (an API response, a file, stdin) in the raw layer as
// one Parquet file, committed to the ledger exactly once.
//
//   1. hash the batch: batch_id = "x" + XXH3-128(source, 0x00, bytes) in hex, or in a lake that
//      already holds SHA-256 ids, the first 32 hex digits of SHA-256(source, 0x00, bytes);
//   2. if the ledger already has the batch, stop: re-extracting the same bytes is a no-op;
//   3. split the bytes into records (RecordSplitter: any framing), type each one
//      (RawBatchWriter) and write raw/sales/year=/month=/day=/batch-<id>.parquet, partitioned by
//      the ingestion date (UTC), under its pending name (invisible to engines);
//   4. commit: the ledger records the file and the landed batch, then publishes the file.
// A response that is truncated, not JSON records, or an envelope with statusCode != 200 fails in
// step 3: the pending file is discarded and nothing is committed. A crash at any point leaves at
// most a pending orphan (removed by `vacuum`, or replaced by the next run of the same batch) or a
// finished commit whose publishing the next writer completes (Ledger::Open with recover).
//
// Deterministic: the same bytes, source and clock give a byte-identical file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/ledger.h"
#include "pipeline/batch_input.h"
#include "pipeline/record_splitter.h"

namespace saleslake::pipeline {

struct ExtractOptions {
  int64_t now_micros = 0;  // the run's clock: _ingested_at and the partition date; 0 = now
  std::string run_id;
  size_t flush_rows = 8192;           // rows buffered before they go to the Parquet writer
  size_t max_record_bytes = 1 << 20;  // longer records are kept truncated, flagged _truncated
  int threads = 1;  // records typed on this many threads; the file is the same for any number
};

struct ExtractResult {
  std::string batch_id;
  std::string source;
  std::string path;  // final path of the raw file
  bool already_extracted = false;
  uint64_t commit_seq = 0;  // the commit that landed the batch (this one, or the earlier one)
  uint64_t rows = 0;
  uint64_t raw_rows = 0;        // rows that keep their original text in _raw
  uint64_t truncated_rows = 0;  // of which longer than max_record_bytes
  uint64_t bytes_in = 0;
  uint64_t file_bytes = 0;
  Framing framing = Framing::kUnknown;
  int64_t ingested_at_micros = 0;
  int64_t duration_micros = 0;
};

// The batch id of `bytes` from `source` (for tests and tools; ExtractBatch hashes streaming).
std::string BatchIdOf(std::string_view source, std::string_view bytes,
                      BatchIdScheme scheme = BatchIdScheme::kXxh3);
// The batch id of every byte of `input` (BatchInput::BatchId: a spooled input hashed its bytes as
// they arrived).
Result<std::string> ComputeBatchId(BatchInput& input, BatchIdScheme scheme = BatchIdScheme::kXxh3,
                                   int threads = 1);
// The scheme of the lake's batch ids: SHA-256 once its commit log holds one SHA-256 id (a lake
// extracted into before XXH3 ids: its ids must keep matching the same input), else XXH3.
BatchIdScheme BatchIdSchemeOf(const lake::LedgerState& state);

// Extracts `input` into the lake on `fs`.
// REQUIRES: the caller holds the lake lock and `ledger` was opened with recover on `fs`.
Result<ExtractResult> ExtractBatch(io::FileSystem& fs, lake::Ledger& ledger, BatchInput& input,
                                   const ExtractOptions& options);

// The result as a JSON object (the command's --format json output, one line per batch).
std::string ExtractResultToJson(const ExtractResult& result);

}  // namespace saleslake::pipeline

// Test helpers for extract: generated inputs, a one-call extract onto any file system, and the raw
// file read back into columns.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "generator/generator.h"
#include "io/file_system.h"
#include "parquet/reader/column_vector.h"
#include "pipeline/extract.h"

namespace saleslake::pipeline::testing {

// 2026-11-26T10:00:00Z: the clock of every test run.
int64_t TestNow();

// Generator output (seeded, at TestNow()).
std::string Generate(uint64_t records, uint64_t seed, double dirty,
                     generator::OutputFormat format = generator::OutputFormat::kNdjson,
                     generator::Envelope envelope = generator::Envelope::kNone);

// `array_json` wrapped as {"statusCode":200,"body":"<array_json as a JSON string>"}.
std::string EnvelopeWithStringBody(const std::string& array_json);

// Takes the lake lock, opens the ledger with recovery and extracts `bytes` as one batch.
Result<ExtractResult> ExtractBytes(std::shared_ptr<io::FileSystem> fs, const std::string& bytes,
                                   const std::string& source = "test", ExtractOptions options = {});

// Every column of a Parquet file, all row groups concatenated.
Result<std::vector<parquet::ColumnVector>> ReadAllColumns(io::FileSystem& fs,
                                                          const std::string& path);

// The NDJSON lines of `ndjson` (without the newlines).
std::vector<std::string> Lines(const std::string& ndjson);

}  // namespace saleslake::pipeline::testing

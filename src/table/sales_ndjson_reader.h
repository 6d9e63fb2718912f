// SalesNdjsonReader: NDJSON sale records into SalesColumns, fast.
//
// The input is read in chunks that end at a line break and parsed with simdjson's on-demand
// parser (iterate_many). Money goes from the JSON number's own text to paise with
// ParseScaledDecimal (exact), timestamps through ParseIso8601Micros. A record that is not an
// object, lacks a field, repeats one, has an unknown one, or holds a value of the wrong type is an
// InvalidArgument naming the input and the line; nothing of that record is appended.
//
// simdjson's on-demand parser is compiled for one instruction set at build time. On x86-64 the
// parser is built for AVX2 (every x86-64 server CPU since 2013); MakeSalesNdjsonReader checks the
// CPU first and refuses with a clear error on one without it (configure with
// -DSALESLAKE_SIMDJSON_AVX2=OFF for a portable, slower build).
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "base/status.h"
#include "table/sales_schema.h"

namespace saleslake::table {

class SalesNdjsonReader {
 public:
  virtual ~SalesNdjsonReader() = default;
  // Parses the next chunk of input (a few MiB of whole lines), appending its records to
  // *columns. Returns false at the end of the input.
  virtual Result<bool> ReadChunk(SalesColumns* columns) = 0;
};

// `name` is what errors call the input ("sales.ndjson", "stdin"). `file` must outlive the reader.
Result<std::unique_ptr<SalesNdjsonReader>> MakeSalesNdjsonReader(std::FILE* file, std::string name);

namespace internal {
// The parser itself (sales_ndjson_reader.cc); only MakeSalesNdjsonReader calls it, after the
// CPU check.
std::unique_ptr<SalesNdjsonReader> NewSimdjsonSalesReader(std::FILE* file, std::string name);
}  // namespace internal

}  // namespace saleslake::table

// `saleslake parquet convert IN.ndjson OUT.parquet`: sale records (one JSON object per line, the
// 15 fields of sales_record.h) to one typed Parquet file (sales_schema.h).
//
// Input is read in chunks and parsed with simdjson's on-demand parser; money goes from the JSON
// number's text straight to paise (ParseScaledDecimal), timestamps through ParseIso8601Micros.
// A record that is not an object, lacks a field, repeats one, has an unknown one, or has a value
// of the wrong type is an error naming its line; the output is then not published.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "parquet/writer/writer_options.h"

namespace saleslake::table {

struct ConvertResult {
  int64_t rows = 0;
  int64_t row_groups = 0;
  int64_t bytes = 0;  // of the Parquet file
};

// Converts `input` (a local path, or "-" for stdin) into `output` (a path or URI: file://, s3://,
// mem://), published atomically when complete.
Result<ConvertResult> ConvertSalesNdjson(const std::string& input, const std::string& output,
                                         const parquet::WriterOptions& options);

// argv[0] is "convert".
int ParquetConvertCommand(int argc, char** argv);

}  // namespace saleslake::table

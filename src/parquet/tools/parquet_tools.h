// `saleslake parquet inspect` and `saleslake parquet cat`: look inside any Parquet file (local
// path, file://, s3:// or mem:// URI). Both are entries of the `parquet` command group.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "parquet/reader/file_reader.h"

namespace saleslake::parquet {

// argv[0] is "inspect". Prints the file's metadata as JSON.
int ParquetInspectCommand(int argc, char** argv);
// argv[0] is "cat". Prints rows as NDJSON or CSV.
int ParquetCatCommand(int argc, char** argv);

// Opens `uri` (a path or URI naming one file) for reading.
Result<std::unique_ptr<ParquetFileReader>> OpenParquetFile(std::string_view uri,
                                                           const ReaderOptions& options = {});

// The inspect document for an open file.
std::string InspectJson(const ParquetFileReader& reader);

}  // namespace saleslake::parquet

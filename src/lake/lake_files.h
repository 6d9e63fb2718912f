// Opening a lake's data files for reading: the one place that knows a committed file may still
// sit under its pending name for the instant between its commit and its move (ledger.h).
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "io/file_system.h"
#include "parquet/reader/file_reader.h"

namespace saleslake::lake {

// The Parquet file at `path` (relative to the lake's root).
Result<std::unique_ptr<parquet::ParquetFileReader>> OpenLakeFile(
    io::FileSystem& fs, const std::string& path, const parquet::ReaderOptions& options = {});

// A committed file: under `path`, or, while its commit is being published, under
// PendingPath(path) (whose content it is).
Result<std::unique_ptr<parquet::ParquetFileReader>> OpenCommittedFile(io::FileSystem& fs,
                                                                      const std::string& path);

}  // namespace saleslake::lake

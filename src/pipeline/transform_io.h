// Reading and writing lake files for transform, compaction and replay: every new file is written
// under its pending name (ledger.h) and described for the commit.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/lake_files.h"
#include "lake/ledger.h"
#include "parquet/column_buffer.h"
#include "parquet/reader/file_reader.h"
#include "parquet/writer/column_spec.h"
#include "parquet/writer/writer_options.h"

namespace saleslake::pipeline {

// After a write (transform, compact) failed: unless `ledger`'s commit log holds its commit record
// (then the files are committed, and the next writer's recovery publishes them), deletes the
// pending files it staged for `commit`, so that a failure for want of space does not leave the
// disk fuller and every retry failing the same way. The commit log is asked, embedded or
// PostgreSQL; a commit with a number whose record cannot be looked up keeps its files (vacuum
// removes them if it never landed). Returns `failure`; when storage was full
// (ResourceExhausted), with what was removed and how to free space.
Status DiscardStaged(io::FileSystem& fs, const lake::Ledger* ledger,
                     const lake::LedgerCommit& commit, const Status& failure);

// Writes `columns` x `batch` to PendingPath(final_path) and returns the ledger's description.
Result<lake::LedgerFile> WritePendingFile(io::FileSystem& fs, const std::string& final_path,
                                          std::string_view table, std::string_view partition,
                                          const std::vector<parquet::ColumnSpec>& columns,
                                          const parquet::WriterOptions& options,
                                          std::span<const parquet::ColumnBuffer> batch);

using lake::OpenLakeFile;  // lake/lake_files.h

// Empty buffers, one per column, of the columns' physical types.
std::vector<parquet::ColumnBuffer> MakeBuffers(const std::vector<parquet::ColumnSpec>& columns);

// The directory part of "a/b/c.parquet" ("a/b").
std::string DirOf(std::string_view path);

// Refuses (FailedPrecondition-like InvalidArgument) when an existing file of a table has a
// column whose type differs from what we would write: engines that read the table would fail on
// the mix (Athena: HIVE_PARTITION_SCHEMA_MISMATCH).
Status CheckSchemaCompatible(const parquet::ParquetFileReader& existing,
                             const std::vector<parquet::ColumnSpec>& columns);

}  // namespace saleslake::pipeline

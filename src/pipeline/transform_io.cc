#include "pipeline/transform_io.h"

#include <fmt/format.h>

#include "parquet/writer/file_writer.h"

namespace saleslake::pipeline {

Status DiscardStaged(io::FileSystem& fs, const lake::Ledger* ledger,
                     const lake::LedgerCommit& commit, const Status& failure) {
  if (failure.ok()) return failure;
  if (commit.seq != 0) {
    if (ledger == nullptr) return failure;
    Result<lake::LedgerCommit> record = ledger->ReadCommit(commit.seq);
    if (record.ok() || !record.status().IsNotFound()) return failure;
  }
  std::vector<std::string> staged;
  for (const lake::LedgerFile& f : commit.added) staged.push_back(lake::PendingPath(f.path));
  Status removed = staged.empty() ? Status::OK() : fs.DeleteMany(staged);
  if (!failure.Is(StatusCode::kResourceExhausted)) return failure;
  return Status::ResourceExhausted(fmt::format(
      "{}: the lake's storage is full; nothing was committed, and {} file(s) this run had "
      "staged {}. Free space on it (delete other files; 'saleslake vacuum --min-age 0' removes "
      "files of failed or crashed runs; 'saleslake compact' merges small files), then retry",
      failure.message(), staged.size(),
      removed.ok() ? "were removed" : "could not be removed (" + removed.message() + ")"));
}

Result<lake::LedgerFile> WritePendingFile(io::FileSystem& fs, const std::string& final_path,
                                          std::string_view table, std::string_view partition,
                                          const std::vector<parquet::ColumnSpec>& columns,
                                          const parquet::WriterOptions& options,
                                          std::span<const parquet::ColumnBuffer> batch) {
  SL_ASSIGN_OR_RETURN(auto out, fs.OpenForWrite(lake::PendingPath(final_path)));
  SL_ASSIGN_OR_RETURN(auto writer,
                      parquet::ParquetFileWriter::Open(std::move(out), columns, options));
  SL_RETURN_IF_ERROR(writer->Write(batch));
  SL_RETURN_IF_ERROR(writer->Close());
  lake::LedgerFile file;
  file.path = final_path;
  file.table = std::string(table);
  file.partition = std::string(partition);
  file.rows = static_cast<uint64_t>(writer->rows_written());
  file.bytes = static_cast<uint64_t>(writer->file_size());
  return file;
}

std::vector<parquet::ColumnBuffer> MakeBuffers(const std::vector<parquet::ColumnSpec>& columns) {
  std::vector<parquet::ColumnBuffer> buffers;
  buffers.reserve(columns.size());
  for (const auto& c : columns) buffers.emplace_back(c.type, c.type_length);
  return buffers;
}

std::string DirOf(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? "" : std::string(path.substr(0, slash));
}

Status CheckSchemaCompatible(const parquet::ParquetFileReader& existing,
                             const std::vector<parquet::ColumnSpec>& columns) {
  std::vector<parquet::SchemaElement> ours = parquet::ToSchemaElements(columns);
  for (size_t i = 1; i < ours.size(); ++i) {
    const parquet::SchemaElement& want = ours[i];
    auto index = existing.schema().FindColumn(want.name);
    if (!index.ok()) continue;  // a new column is a widening, not a narrowing
    const parquet::ColumnDescriptor& have = existing.schema().column(*index);
    bool same = have.physical_type == want.type && have.converted_type == want.converted_type &&
                (!want.scale || have.decimal_scale == *want.scale) &&
                (!want.precision || have.decimal_precision == *want.precision);
    if (!same) {
      return Status::InvalidArgument(
          "column '" + want.name + "' of " + existing.path() +
          " has another type than transform writes; engines would refuse the mixed table "
          "(HIVE_PARTITION_SCHEMA_MISMATCH): rewrite or move the old files first");
    }
  }
  return Status::OK();
}

}  // namespace saleslake::pipeline

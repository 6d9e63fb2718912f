#include "lake/lake_files.h"

#include "lake/layout.h"

namespace saleslake::lake {

Result<std::unique_ptr<parquet::ParquetFileReader>> OpenLakeFile(
    io::FileSystem& fs, const std::string& path, const parquet::ReaderOptions& options) {
  SL_ASSIGN_OR_RETURN(auto file, fs.OpenForRead(path));
  std::shared_ptr<io::RandomAccessFile> shared = std::move(file);
  return parquet::ParquetFileReader::Open(std::move(shared), options, path);
}

Result<std::unique_ptr<parquet::ParquetFileReader>> OpenCommittedFile(io::FileSystem& fs,
                                                                      const std::string& path) {
  auto reader = OpenLakeFile(fs, path);
  if (reader.status().code() == StatusCode::kNotFound) return OpenLakeFile(fs, PendingPath(path));
  return reader;
}

}  // namespace saleslake::lake

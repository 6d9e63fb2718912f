#include "io/uri.h"
#include "parquet/tools/parquet_tools.h"

namespace saleslake::parquet {

Result<std::unique_ptr<ParquetFileReader>> OpenParquetFile(std::string_view uri,
                                                           const ReaderOptions& options) {
  SL_ASSIGN_OR_RETURN(io::UriLocation location, io::ResolveUri(uri));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<io::RandomAccessFile> file,
                      location.fs->OpenForRead(location.path));
  return ParquetFileReader::Open(std::shared_ptr<io::RandomAccessFile>(std::move(file)), options,
                                 std::string(uri));
}

}  // namespace saleslake::parquet

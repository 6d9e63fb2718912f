// ParquetFileReader: opens a Parquet file through io::RandomAccessFile (local disk, memory or S3:
// it only issues ranged reads) and reads column chunks of flat columns.
//
//   SL_ASSIGN_OR_RETURN(auto reader, ParquetFileReader::Open(std::move(file)));
//   for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
//     SL_ASSIGN_OR_RETURN(auto columns, reader->ReadRowGroup(rg, {0, 3}));  // projection
//   }
//
// Open reads the footer (its length capped, its thrift decoded with limits) and builds the
// schema. Reading a chunk reads exactly its byte range, checked against the file, and decodes it;
// only the requested chunks are read, and memory is bounded by one row group's columns. The
// methods are const and keep no per-read state, so one reader may serve several threads when its
// RandomAccessFile allows concurrent reads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "compress/codec.h"
#include "io/file_system.h"
#include "parquet/metadata.h"
#include "parquet/reader/column_vector.h"
#include "parquet/reader/page_reader.h"
#include "parquet/reader/reader_options.h"
#include "parquet/reader/row_ranges.h"
#include "parquet/reader/schema.h"

namespace saleslake::parquet {

struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// Memory reused from one chunk read to the next (one per thread): a chunk's bytes and a
// decompressed page are read into buffers that are already there, unless values still point into
// them. Saves the allocation, zeroing and page faults of fresh buffers on every chunk.
struct ReadBuffers {
  std::shared_ptr<std::string> chunk;
  PageScratch page;
};

class ParquetFileReader {
 public:
  // `name` is how messages refer to the file (default: the file's path).
  static Result<std::unique_ptr<ParquetFileReader>> Open(std::shared_ptr<io::RandomAccessFile> file,
                                                         const ReaderOptions& options = {},
                                                         std::string name = "");

  const std::string& path() const { return name_; }
  uint64_t file_size() const { return file_size_; }
  const FileMetaData& metadata() const { return metadata_; }
  const FileSchema& schema() const { return schema_; }
  const ReaderOptions& options() const { return options_; }
  int num_row_groups() const { return static_cast<int>(metadata_.row_groups.size()); }
  int64_t num_rows() const { return metadata_.num_rows; }
  // The row group's row count (checked non-negative and within the options' cap at Open).
  int64_t row_group_rows(int row_group) const;

  // The column chunk's metadata, checked: present, in this file, matching the schema.
  Result<const ColumnMetaData*> ChunkMetadata(int row_group, int column) const;
  // Where the chunk's pages (dictionary page first) lie in the file.
  Result<ByteRange> ChunkRange(int row_group, int column) const;

  // Reads one whole column chunk into *out (cleared first), reusing `buffers` when given.
  Status ReadColumnChunk(int row_group, int column, ColumnVector* out,
                         ReadBuffers* buffers = nullptr) const;
  // Reads only the rows in `rows` (sorted, within the row group) into *out. With an offset index
  // only the pages that hold those rows are read; without one the chunk is read and sliced.
  Status ReadColumnChunkRows(int row_group, int column, const RowRanges& rows,
                             ColumnVector* out) const;

  // Reads the listed columns (leaf indices) of one row group.
  Result<std::vector<ColumnVector>> ReadRowGroup(int row_group,
                                                 const std::vector<int>& columns) const;
  // The same into `*out` (one vector per listed column; a column listed as -1 is left empty),
  // reusing the vectors' capacity and `buffers` from the row group read before: a reader that
  // goes through many row groups pays for fresh memory (allocation, zeroing, page faults) once.
  Status ReadRowGroup(int row_group, const std::vector<int>& columns,
                      std::vector<ColumnVector>* out, ReadBuffers* buffers) const;

  // Page index and bloom filter of a chunk, when the writer stored them (nullopt otherwise).
  Result<std::optional<ColumnIndex>> ReadColumnIndex(int row_group, int column) const;
  Result<std::optional<OffsetIndex>> ReadOffsetIndex(int row_group, int column) const;
  // The bloom filter's bitset (after its header), checked to be a valid split-block filter.
  Result<std::optional<std::string>> ReadBloomFilter(int row_group, int column) const;

  // "FILE: column 'c', row group 2" for messages.
  std::string ChunkContext(int row_group, int column) const;

 private:
  ParquetFileReader(std::shared_ptr<io::RandomAccessFile> file, const ReaderOptions& options)
      : file_(std::move(file)), options_(options) {}
  Status ReadFooter();
  // Reads [offset, offset + length) after checking it lies inside the data area of the file.
  Status ReadRange(uint64_t offset, uint64_t length, const std::string& what,
                   std::string* out) const;
  // The thrift limits for decoding `encoded_bytes` of metadata (decoded memory capped).
  thrift::DecodeLimits LimitsFor(uint64_t encoded_bytes) const;
  // The column is flat, its row group within the row cap.
  Status CheckReadable(int row_group, int column) const;
  Result<std::unique_ptr<compress::Codec>> MakeChunkCodec(int row_group, int column,
                                                          const ColumnMetaData& meta) const;
  Status ValidateOffsetIndex(const OffsetIndex& index, const ByteRange& chunk, int64_t rows,
                             const std::string& ctx) const;

  std::shared_ptr<io::RandomAccessFile> file_;
  ReaderOptions options_;
  std::string name_;
  uint64_t file_size_ = 0;
  uint64_t data_end_ = 0;  // first byte of the footer
  FileMetaData metadata_;
  FileSchema schema_;
};

}  // namespace saleslake::parquet

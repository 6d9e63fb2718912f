// Options of the Parquet writer, with defaults chosen for the lake (snappy, data page v1, page
// index, page CRCs, dictionaries with fallback). Build them with WriterOptions::Builder, which
// checks every value:
//
//   SL_ASSIGN_OR_RETURN(WriterOptions options, WriterOptions::Builder()
//                                                  .Compression(compress::CodecType::kZstd)
//                                                  .RowGroupRows(500'000)
//                                                  .BloomFilter("transaction_id")
//                                                  .Build());
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "compress/codec.h"
#include "parquet/metadata.h"

namespace saleslake::parquet {

// How a column's values are encoded.
enum class ColumnEncoding {
  // A dictionary while it stays under dictionary_page_bytes, then PLAIN; INT32/INT64 pages after
  // the fallback use DELTA_BINARY_PACKED when that is smaller than PLAIN.
  kAuto,
  kPlain,
  kDictionary,         // a dictionary, falling back to PLAIN past the limit
  kDeltaBinaryPacked,  // INT32 and INT64 only
};

enum class DataPageVersion { kV1 = 1, kV2 = 2 };

struct ColumnWriteOptions {
  ColumnEncoding encoding = ColumnEncoding::kAuto;
  bool statistics = true;  // min/max in the footer and the column index (null counts always)
  bool bloom_filter = false;
  double bloom_filter_fpp = 0.01;  // false-positive probability at the expected NDV
  // Distinct values to size the filter for; 0 sizes it from the data (the dictionary's size, or
  // the number of non-null values when the column left its dictionary).
  uint64_t bloom_filter_ndv = 0;
  // The column's codec when it is not the file's (kUncompressed for values no codec shrinks).
  std::optional<compress::CodecType> compression;
};

struct WriterOptions {
  compress::CodecType compression = compress::CodecType::kSnappy;
  int compression_level = compress::CodecOptions::kDefaultLevel;
  DataPageVersion data_page_version = DataPageVersion::kV1;
  int64_t data_page_bytes = 1 << 20;        // a page ends at about this many encoded bytes...
  int64_t data_page_rows = 20'000;          // ...or this many rows, whichever comes first
  int64_t dictionary_page_bytes = 1 << 20;  // past this, a column falls back from its dictionary
  int64_t row_group_rows = 1 << 20;
  int64_t row_group_bytes = 128 << 20;  // estimated encoded bytes
  bool page_index = true;               // ColumnIndex + OffsetIndex after the row groups
  bool page_crc = true;                 // CRC-32 of every page in its header
  // Byte-array min/max longer than this are truncated (and marked inexact) in the footer; the
  // column index truncates at column_index_value_bytes.
  int32_t statistics_value_bytes = 4096;
  int32_t column_index_value_bytes = 64;
  std::string created_by;  // default: "saleslake version X.Y.Z"
  std::vector<KeyValue> key_value_metadata;
  ColumnWriteOptions column_defaults;
  std::map<std::string, ColumnWriteOptions, std::less<>> columns;  // overrides by column name

  const ColumnWriteOptions& ForColumn(std::string_view name) const;

  class Builder;
};

class WriterOptions::Builder {
 public:
  Builder() = default;
  Builder& Compression(compress::CodecType codec,
                       int level = compress::CodecOptions::kDefaultLevel);
  Builder& PageVersion(DataPageVersion version);
  Builder& DataPageBytes(int64_t bytes);
  Builder& DataPageRows(int64_t rows);
  Builder& DictionaryPageBytes(int64_t bytes);
  Builder& RowGroupRows(int64_t rows);
  Builder& RowGroupBytes(int64_t bytes);
  Builder& PageIndex(bool enabled);
  Builder& PageCrc(bool enabled);
  Builder& CreatedBy(std::string created_by);
  Builder& Metadata(std::string key, std::string value);
  // The encoding of every column without its own.
  Builder& DefaultEncoding(ColumnEncoding encoding);
  Builder& EncodingFor(const std::string& column, ColumnEncoding encoding);
  Builder& StatisticsFor(const std::string& column, bool enabled);
  Builder& BloomFilter(const std::string& column, double fpp = 0.01, uint64_t ndv = 0);
  // Only kUncompressed or the file's codec (whose level it then takes).
  Builder& CompressionFor(const std::string& column, compress::CodecType codec);

  // Checks the values (positive sizes, a codec the writer can produce, fpp in (0, 1)).
  Result<WriterOptions> Build() const;

 private:
  // What was said about one column; unset fields follow the defaults at Build time.
  struct ColumnOverride {
    std::optional<ColumnEncoding> encoding;
    std::optional<bool> statistics;
    std::optional<bool> bloom_filter;
    std::optional<compress::CodecType> compression;
    double bloom_filter_fpp = 0.01;
    uint64_t bloom_filter_ndv = 0;
  };
  WriterOptions options_;
  std::map<std::string, ColumnOverride, std::less<>> overrides_;
};

}  // namespace saleslake::parquet

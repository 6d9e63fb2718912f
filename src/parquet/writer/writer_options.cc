#include "parquet/writer/writer_options.h"

#include <fmt/format.h>

namespace saleslake::parquet {

#ifndef SL_PARQUET_CREATED_BY
#define SL_PARQUET_CREATED_BY "saleslake"
#endif

const ColumnWriteOptions& WriterOptions::ForColumn(std::string_view name) const {
  auto it = columns.find(name);
  return it == columns.end() ? column_defaults : it->second;
}

using Builder = WriterOptions::Builder;

Builder& Builder::Compression(compress::CodecType codec, int level) {
  options_.compression = codec;
  options_.compression_level = level;
  return *this;
}
Builder& Builder::PageVersion(DataPageVersion version) {
  options_.data_page_version = version;
  return *this;
}
Builder& Builder::DataPageBytes(int64_t bytes) {
  options_.data_page_bytes = bytes;
  return *this;
}
Builder& Builder::DataPageRows(int64_t rows) {
  options_.data_page_rows = rows;
  return *this;
}
Builder& Builder::DictionaryPageBytes(int64_t bytes) {
  options_.dictionary_page_bytes = bytes;
  return *this;
}
Builder& Builder::RowGroupRows(int64_t rows) {
  options_.row_group_rows = rows;
  return *this;
}
Builder& Builder::RowGroupBytes(int64_t bytes) {
  options_.row_group_bytes = bytes;
  return *this;
}
Builder& Builder::PageIndex(bool enabled) {
  options_.page_index = enabled;
  return *this;
}
Builder& Builder::PageCrc(bool enabled) {
  options_.page_crc = enabled;
  return *this;
}
Builder& Builder::CreatedBy(std::string created_by) {
  options_.created_by = std::move(created_by);
  return *this;
}
Builder& Builder::Metadata(std::string key, std::string value) {
  options_.key_value_metadata.push_back({std::move(key), std::move(value)});
  return *this;
}
Builder& Builder::DefaultEncoding(ColumnEncoding encoding) {
  options_.column_defaults.encoding = encoding;
  return *this;
}
Builder& Builder::EncodingFor(const std::string& column, ColumnEncoding encoding) {
  overrides_[column].encoding = encoding;
  return *this;
}
Builder& Builder::StatisticsFor(const std::string& column, bool enabled) {
  overrides_[column].statistics = enabled;
  return *this;
}
Builder& Builder::BloomFilter(const std::string& column, double fpp, uint64_t ndv) {
  ColumnOverride& c = overrides_[column];
  c.bloom_filter = true;
  c.bloom_filter_fpp = fpp;
  c.bloom_filter_ndv = ndv;
  return *this;
}

Builder& Builder::CompressionFor(const std::string& column, compress::CodecType codec) {
  overrides_[column].compression = codec;
  return *this;
}

Result<WriterOptions> Builder::Build() const {
  WriterOptions o = options_;
  for (const auto& [name, override] : overrides_) {
    ColumnWriteOptions c = o.column_defaults;
    if (override.compression) {
      if (*override.compression != compress::CodecType::kUncompressed &&
          *override.compression != o.compression) {
        return Status::InvalidArgument(fmt::format(
            "column '{}': a column is either uncompressed or takes the file's codec", name));
      }
      c.compression = *override.compression;
    }
    if (override.encoding) c.encoding = *override.encoding;
    if (override.statistics) c.statistics = *override.statistics;
    if (override.bloom_filter) {
      c.bloom_filter = *override.bloom_filter;
      c.bloom_filter_fpp = override.bloom_filter_fpp;
      c.bloom_filter_ndv = override.bloom_filter_ndv;
    }
    o.columns[name] = c;
  }
  switch (o.compression) {
    case compress::CodecType::kUncompressed:
    case compress::CodecType::kSnappy:
    case compress::CodecType::kGzip:
    case compress::CodecType::kZstd:
    case compress::CodecType::kLz4Raw:
      break;
    default:
      return Status::InvalidArgument(
          fmt::format("the writer does not produce {} pages; use snappy, zstd, gzip or none",
                      compress::CodecTypeName(o.compression)));
  }
  auto positive = [](int64_t v, const char* what) -> Status {
    if (v > 0) return Status::OK();
    return Status::InvalidArgument(fmt::format("{} must be positive, got {}", what, v));
  };
  SL_RETURN_IF_ERROR(positive(o.data_page_bytes, "data page bytes"));
  SL_RETURN_IF_ERROR(positive(o.data_page_rows, "data page rows"));
  SL_RETURN_IF_ERROR(positive(o.dictionary_page_bytes, "dictionary page bytes"));
  SL_RETURN_IF_ERROR(positive(o.row_group_rows, "row group rows"));
  SL_RETURN_IF_ERROR(positive(o.row_group_bytes, "row group bytes"));
  SL_RETURN_IF_ERROR(positive(o.statistics_value_bytes, "statistics value bytes"));
  SL_RETURN_IF_ERROR(positive(o.column_index_value_bytes, "column index value bytes"));
  if (o.data_page_rows > INT32_MAX || o.dictionary_page_bytes > (1 << 30) ||
      o.data_page_bytes > (1 << 30)) {
    return Status::InvalidArgument("page sizes must stay below 1 GiB and 2^31 rows");
  }
  for (const auto& [name, c] : o.columns) {
    if (c.bloom_filter && !(c.bloom_filter_fpp > 0.0 && c.bloom_filter_fpp < 1.0)) {
      return Status::InvalidArgument(fmt::format(
          "column '{}': bloom filter false-positive probability must be in (0, 1)", name));
    }
  }
  if (o.created_by.empty()) o.created_by = SL_PARQUET_CREATED_BY;
  return o;
}

}  // namespace saleslake::parquet

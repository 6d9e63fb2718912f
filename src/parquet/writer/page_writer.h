// PageWriter: turns encoded page bodies into stored pages of one column chunk — compresses them,
// computes the CRC-32 of the stored bytes, writes the thrift PageHeader — and keeps the chunk's
// bytes in memory (the dictionary page apart, since it must come first) until the row group is
// written out. It also counts what the footer needs: sizes, page locations, encoding stats.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "compress/codec.h"
#include "parquet/metadata.h"
#include "parquet/writer/writer_options.h"

namespace saleslake::parquet {

class PageWriter {
 public:
  // `codec` is null for uncompressed pages.
  PageWriter(std::unique_ptr<compress::Codec> codec, CompressionCodec codec_id,
             DataPageVersion version, bool write_crc);

  // One data page. `levels` is the definition-level section (empty for REQUIRED columns): for v1
  // the length-prefixed form, for v2 the bare hybrid stream; `values` the encoded values.
  // `first_row` is the page's first row within the row group (for the offset index).
  Status WriteDataPage(std::string_view levels, std::string_view values, int32_t num_values,
                       int32_t num_nulls, Encoding encoding, int64_t first_row);
  // The chunk's dictionary page: `values` PLAIN-encoded, `num_values` entries.
  Status WriteDictionaryPage(std::string_view values, int32_t num_values);

  DataPageVersion version() const { return version_; }
  CompressionCodec codec_id() const { return codec_id_; }

  // The chunk so far. Page locations are relative to the start of data_pages().
  const std::string& dictionary_page() const { return dictionary_page_; }
  const std::string& data_pages() const { return data_pages_; }
  const std::vector<PageLocation>& page_locations() const { return locations_; }
  int64_t total_uncompressed_bytes() const { return uncompressed_total_; }
  int64_t total_compressed_bytes() const {
    return static_cast<int64_t>(dictionary_page_.size() + data_pages_.size());
  }
  std::vector<PageEncodingStats> EncodingStats() const;
  bool has_dictionary_page() const { return !dictionary_page_.empty(); }

  // Forgets the chunk (keeps buffers and the codec) for the next row group.
  void Reset();

 private:
  // Compresses `body` into compressed_ unless uncompressed; returns the stored bytes.
  Result<std::string_view> Compress(std::string_view body);
  void AppendPage(PageHeader& header, std::string_view prefix, std::string_view stored,
                  std::string* out);

  std::unique_ptr<compress::Codec> codec_;
  CompressionCodec codec_id_;
  DataPageVersion version_;
  bool write_crc_;

  std::string dictionary_page_;
  std::string data_pages_;
  std::vector<PageLocation> locations_;
  int64_t uncompressed_total_ = 0;
  std::map<std::pair<PageType, Encoding>, int32_t> encoding_counts_;

  std::string body_;        // scratch: v1 levels + values
  std::string compressed_;  // scratch
  std::string header_;      // scratch
};

}  // namespace saleslake::parquet

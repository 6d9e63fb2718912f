// PageReader: walks the pages of one column chunk held in memory (read with one ranged read),
// parsing each page header, verifying its CRC when present, and decompressing its body.
//
// Data page v1: levels and values are compressed together. Data page v2: the repetition and
// definition levels come first, never compressed, and only the values are compressed (unless
// is_compressed is false). A page whose values are empty is not handed to the codec (some writers
// store nothing at all for it).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "compress/codec.h"
#include "parquet/metadata.h"
#include "parquet/reader/reader_options.h"

namespace saleslake::parquet {

struct Page {
  PageHeader header;
  int index = 0;             // ordinal within the chunk, for messages
  uint64_t file_offset = 0;  // where the page header starts
  // v1: the whole decompressed body (levels, then values). v2: only the values.
  std::string_view body;
  // v2 only: the level sections.
  std::string_view repetition_levels;
  std::string_view definition_levels;
  // Owns the bytes `body` and the level views point into.
  std::shared_ptr<const void> owner;
};

// A decompression buffer reused from page to page (and chunk to chunk): only pages whose values
// are copied out before the next page is read go into it.
struct PageScratch {
  std::shared_ptr<char[]> data;
  size_t size = 0;
};

class PageReader {
 public:
  // `chunk` holds the column chunk's bytes, which start at file offset `chunk_offset`. Pages
  // start before `pages_end` (the chunk's declared size); a page may run past it into the rest of
  // `chunk` (old parquet-mr left the dictionary page header out of the chunk size). `context`
  // names the file, column and row group for error messages.
  PageReader(std::shared_ptr<const std::string> chunk, uint64_t chunk_offset, size_t pages_end,
             compress::Codec* codec, const ReaderOptions& options, std::string context);

  // Reads the next page. Returns false at the end of the chunk.
  Result<bool> Next(Page* page);

  // When the caller copies every value out of a page before asking for the next one (fixed-width
  // columns), decompressed pages share one reused buffer instead of a fresh one each: fewer
  // allocations and page faults. Byte-array columns keep views into their PLAIN pages, so only
  // their dictionary-encoded data pages (whose indices are copied out) use it.
  void ReuseDecompressionBuffer(bool reuse) { reuse_buffer_ = reuse; }
  // Uses `scratch` (which outlives the reader) instead of a buffer of its own.
  void ShareScratch(PageScratch* scratch) { scratch_ = scratch; }

  const std::string& context() const { return context_; }

 private:
  Status Error(StatusCode code, int page, const std::string& what) const;
  Status Decompress(const Page& page, std::string_view stored, size_t size, bool reusable,
                    std::string_view* out, std::shared_ptr<const void>* owner);

  std::shared_ptr<const std::string> chunk_;
  uint64_t chunk_offset_;
  size_t pages_end_;
  compress::Codec* codec_;
  const ReaderOptions& options_;
  std::string context_;
  size_t pos_ = 0;
  int pages_read_ = 0;
  bool reuse_buffer_ = false;
  PageScratch own_scratch_;
  PageScratch* scratch_ = &own_scratch_;
};

}  // namespace saleslake::parquet

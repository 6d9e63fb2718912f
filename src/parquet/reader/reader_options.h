// Limits and switches of the Parquet reader. The defaults read any sane file; the caps exist so
// that a hostile file is refused before it makes the reader allocate or loop without bound.
#pragma once

#include <cstdint>

#include "parquet/thrift/compact_protocol.h"

namespace saleslake::parquet {

struct ReaderOptions {
  // Verify page CRCs when the writer stored them; a mismatch is a Corruption error.
  bool verify_checksums = true;
  // The footer (FileMetaData) may not be larger than this.
  uint64_t max_footer_bytes = 64u << 20;
  // One page, decompressed (also caps DELTA_BYTE_ARRAY output per page).
  uint64_t max_page_bytes = 1u << 30;
  // Rows in one row group that the reader will materialize.
  int64_t max_row_group_rows = int64_t{1} << 27;
  // Byte-array chunks whose pages are all dictionary-encoded come back in dictionary form
  // (ColumnVector::indices + dictionary) instead of one view per row: less memory and work for
  // callers that use BinaryAt (or compare indices).
  bool keep_dictionaries = false;
  // Caps for the thrift decoder (footer, page headers, page index).
  thrift::DecodeLimits thrift_limits;
};

}  // namespace saleslake::parquet

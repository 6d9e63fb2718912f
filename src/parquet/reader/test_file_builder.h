// TestFileBuilder (tests only): assembles small Parquet files byte by byte, independently of the
// writer, with hooks to make any page header or the footer lie. The broken corpus is made from
// it, and reader tests use it for shapes the writer does not produce.
//
// The file has three columns: id INT64 REQUIRED (PLAIN), name BYTE_ARRAY OPTIONAL STRING
// (dictionary page + RLE_DICTIONARY) and price INT64 OPTIONAL DECIMAL(18,2) (PLAIN); row r holds
// id = r, name = ExpectedName(r), price = ExpectedPrice(r).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compress/codec.h"
#include "parquet/metadata.h"

namespace saleslake::parquet::testing {

struct BuildOptions {
  compress::CodecType codec = compress::CodecType::kSnappy;
  bool data_page_v2 = false;
  bool crc = true;
  bool page_index = true;
  int row_groups = 2;
  int rows_per_group = 100;
  int rows_per_page = 40;
  // Called on every page header before it is written (page numbers count data pages from 0 per
  // chunk; the dictionary page is -1).
  std::function<void(int row_group, int column, int page, PageHeader*)> page_hook;
  // Called on the footer before it is written.
  std::function<void(FileMetaData*)> footer_hook;
};

struct PageSpan {
  uint64_t header_offset = 0;
  uint64_t header_size = 0;
  uint64_t body_size = 0;
};

struct BuiltFile {
  std::string bytes;
  std::vector<PageSpan> pages;  // every page of every chunk, in file order
  uint64_t footer_offset = 0;
  uint32_t footer_length = 0;
};

BuiltFile BuildTestFile(const BuildOptions& options = {});

std::optional<std::string> ExpectedName(int64_t row);
std::optional<int64_t> ExpectedPrice(int64_t row);

}  // namespace saleslake::parquet::testing

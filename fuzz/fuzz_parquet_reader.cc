// Untrusted Parquet files: each input is opened as a whole file and everything readable is read —
// the footer and schema, every flat column of every row group (whole, and a selection of rows
// through the offset index), the page indexes and bloom filters, a pruned scan, and the inspect
// document. Any outcome is fine except a crash, a sanitizer report, a hang or a huge allocation;
// the reader's caps are lowered so that a legitimately large claim stays within the fuzzer's
// memory limit.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "parquet/reader/buffer_file.h"
#include "parquet/reader/file_reader.h"
#include "parquet/reader/scanner.h"
#include "parquet/tools/parquet_tools.h"

namespace {

using saleslake::parquet::ColumnVector;
using saleslake::parquet::ParquetFileReader;

void ReadEverything(const ParquetFileReader& reader) {
  const auto& schema = reader.schema();
  for (int rg = 0; rg < reader.num_row_groups(); ++rg) {
    for (int col = 0; col < schema.num_columns(); ++col) {
      ColumnVector v;
      if (!reader.ReadColumnChunk(rg, col, &v).ok()) continue;
      const int64_t rows = reader.row_group_rows(rg);
      if (rows > 2) {
        saleslake::parquet::RowRanges some;
        some.Add(1, rows / 2);
        some.Add(rows / 2 + 1, rows);
        reader.ReadColumnChunkRows(rg, col, some, &v).IgnoreError();
      }
      reader.ReadColumnIndex(rg, col).status().IgnoreError();
      reader.ReadBloomFilter(rg, col).status().IgnoreError();
    }
  }
}

void ScanWithPredicate(const ParquetFileReader& reader) {
  const auto& schema = reader.schema();
  for (const auto& column : schema.columns()) {
    if (!column.supported()) continue;
    auto literal = saleslake::parquet::ParseLiteral(column, "1");
    if (!literal.ok()) return;
    saleslake::parquet::ScanOptions options;
    options.columns = {column.name};
    options.predicates.push_back({column.name, saleslake::parquet::CompareOp::kEq, {*literal}});
    auto scanner = saleslake::parquet::ParquetScanner::Make(&reader, options);
    if (!scanner.ok()) return;
    saleslake::parquet::ScanBatch batch;
    while (true) {
      auto more = (*scanner)->Next(&batch);
      if (!more.ok() || !*more) break;
    }
    return;  // one column is enough per input
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  saleslake::parquet::ReaderOptions options;
  options.max_footer_bytes = 1 << 20;
  options.max_page_bytes = 1 << 20;
  options.max_row_group_rows = 1 << 16;
  auto file = std::make_shared<saleslake::parquet::BufferFile>(
      "fuzz.parquet", std::string(reinterpret_cast<const char*>(data), size));
  auto reader = ParquetFileReader::Open(file, options);
  if (!reader.ok()) return 0;
  (void)saleslake::parquet::InspectJson(**reader);
  ReadEverything(**reader);
  ScanWithPredicate(**reader);
  return 0;
}

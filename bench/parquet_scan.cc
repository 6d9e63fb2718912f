// parquet_scan FILE [COLUMNS] [--plain]: decodes every column (or the comma-separated COLUMNS) of
// every row group of a Parquet file, one row group at a time, and prints
//   {"rows":N,"row_groups":G,"columns":C,"seconds":S,"rows_per_second":R}
// where S covers opening the file and decoding, not formatting: the reader's own speed, measured
// the way a query engine uses it (bench/cases/parquet_read.sh runs it beside DuckDB). Dictionary-
// encoded strings stay in dictionary form (as DuckDB keeps them) unless --plain asks for one view
// per row.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "parquet/tools/parquet_tools.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: parquet_scan FILE [COLUMNS]\n");
    return 2;
  }
  std::vector<std::string> names;
  saleslake::parquet::ReaderOptions options;
  options.keep_dictionaries = true;
  std::string list;
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--plain") {
      options.keep_dictionaries = false;
    } else {
      list = argv[i];
    }
  }
  if (!list.empty()) {
    for (size_t start = 0; start <= list.size();) {
      size_t comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      if (comma > start) names.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
  }
  const auto begin = std::chrono::steady_clock::now();
  auto reader = saleslake::parquet::OpenParquetFile(argv[1], options);
  if (!reader.ok()) {
    std::fprintf(stderr, "parquet_scan: %s\n", reader.status().ToString().c_str());
    return 1;
  }
  auto columns = (*reader)->schema().ResolveProjection(names);
  if (!columns.ok()) {
    std::fprintf(stderr, "parquet_scan: %s\n", columns.status().ToString().c_str());
    return 1;
  }
  int64_t rows = 0;
  int64_t nulls = 0;  // consumed below so the decoding cannot be optimised away
  for (int rg = 0; rg < (*reader)->num_row_groups(); ++rg) {
    auto values = (*reader)->ReadRowGroup(rg, *columns);
    if (!values.ok()) {
      std::fprintf(stderr, "parquet_scan: %s\n", values.status().ToString().c_str());
      return 1;
    }
    rows += (*reader)->row_group_rows(rg);
    for (const auto& v : *values) nulls += v.null_count;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::printf(
      "{\"rows\":%lld,\"nulls\":%lld,\"row_groups\":%d,\"columns\":%zu,\"seconds\":%.6f,"
      "\"rows_per_second\":%.0f}\n",
      static_cast<long long>(rows), static_cast<long long>(nulls), (*reader)->num_row_groups(),
      columns->size(), seconds, rows / seconds);
  return 0;
}

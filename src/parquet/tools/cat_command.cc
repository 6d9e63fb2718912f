// `saleslake parquet cat FILE [--columns a,b] [--limit N] [--format ndjson|csv]`: the rows of a
// Parquet file as text, one row group at a time (memory is bounded by a row group), reading only
// the requested columns' chunks.
#include <cstdio>
#include <string>
#include <vector>

#include "base/cli.h"
#include "parquet/tools/parquet_tools.h"
#include "parquet/tools/value_format.h"

namespace saleslake::parquet {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

Status Flush(std::string* out) {
  if (!out->empty() && std::fwrite(out->data(), 1, out->size(), stdout) != out->size()) {
    return Status::IOError("cannot write to standard output");
  }
  out->clear();
  return Status::OK();
}

std::vector<std::string> SplitColumns(const std::string& list) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) names.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

Status Cat(const std::string& uri, const std::string& columns_flag, int64_t limit,
           const std::string& format) {
  ReaderOptions options;
  options.keep_dictionaries = true;  // values are only looked at, one row at a time
  SL_ASSIGN_OR_RETURN(auto reader, OpenParquetFile(uri, options));
  const FileSchema& schema = reader->schema();
  SL_ASSIGN_OR_RETURN(std::vector<int> columns,
                      schema.ResolveProjection(SplitColumns(columns_flag)));
  const bool csv = format == "csv";
  std::string out;
  if (csv) {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i) out.push_back(',');
      out += schema.column(columns[i]).name;
    }
    out.push_back('\n');
  }
  // JSON object keys are the same for every row: build them once.
  std::vector<std::string> keys;
  for (size_t i = 0; i < columns.size(); ++i) {
    std::string key = i == 0 ? "{" : ",";
    AppendJsonText(&key, schema.column(columns[i]).name);
    key.push_back(':');
    keys.push_back(std::move(key));
  }
  int64_t printed = 0;
  for (int rg = 0; rg < reader->num_row_groups() && (limit < 0 || printed < limit); ++rg) {
    SL_ASSIGN_OR_RETURN(std::vector<ColumnVector> values, reader->ReadRowGroup(rg, columns));
    const int64_t rows = reader->row_group_rows(rg);
    for (int64_t row = 0; row < rows && (limit < 0 || printed < limit); ++row, ++printed) {
      for (size_t i = 0; i < columns.size(); ++i) {
        const ColumnDescriptor& column = schema.column(columns[i]);
        if (csv) {
          if (i) out.push_back(',');
          AppendCsvValue(column, values[i], row, &out);
        } else {
          out += keys[i];
          AppendJsonValue(column, values[i], row, &out);
        }
      }
      if (!csv) out += columns.empty() ? "{}" : "}";
      out.push_back('\n');
      if (out.size() >= kFlushBytes) SL_RETURN_IF_ERROR(Flush(&out));
    }
  }
  SL_RETURN_IF_ERROR(Flush(&out));
  if (std::fflush(stdout) != 0) return Status::IOError("cannot write to standard output");
  return Status::OK();
}

}  // namespace

int ParquetCatCommand(int argc, char** argv) {
  CLI::App app{
      "Print the rows of a Parquet file as NDJSON (default) or CSV: integers and exact "
      "decimals as numbers, timestamps as ISO 8601, binary as base64."};
  std::string uri;
  std::string columns;
  int64_t limit = -1;
  std::string format = "ndjson";
  app.add_option("FILE", uri, "a Parquet file: path, file://, s3://bucket/key or mem:// URI")
      ->required();
  app.add_option("--columns", columns, "comma-separated column names to print (default: all)");
  app.add_option("--limit", limit, "print at most this many rows")->check(CLI::NonNegativeNumber);
  AddFormatFlag(&app, &format, {"ndjson", "csv"});
  return RunCommand(
      app, "parquet cat",
      "saleslake parquet cat lake/main/sales/year=2026/month=11/day=26/part-0.parquet "
      "--columns transaction_id,total --limit 5",
      argc, argv, [&] { return Cat(uri, columns, limit, format); });
}

}  // namespace saleslake::parquet

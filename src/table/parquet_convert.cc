#include "table/parquet_convert.h"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "base/cli.h"
#include "base/json_writer.h"
#include "io/uri.h"
#include "parquet/writer/file_writer.h"
#include "table/sales_ndjson_reader.h"
#include "table/sales_schema.h"

namespace saleslake::table {
namespace {

constexpr size_t kBatchRows = 32768;  // rows handed to the writer at once

}  // namespace

Result<std::unique_ptr<SalesNdjsonReader>> MakeSalesNdjsonReader(std::FILE* file,
                                                                 std::string name) {
#ifdef SALESLAKE_SIMDJSON_AVX2
  // The parser's translation unit uses AVX2/BMI: never enter it on a CPU without them.
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi") ||
      !__builtin_cpu_supports("bmi2") || !__builtin_cpu_supports("popcnt")) {
    return Status::NotSupported(
        "this build parses JSON with AVX2, which this CPU lacks; rebuild with "
        "-DSALESLAKE_SIMDJSON_AVX2=OFF");
  }
#endif
  return internal::NewSimdjsonSalesReader(file, std::move(name));
}

Result<ConvertResult> ConvertSalesNdjson(const std::string& input, const std::string& output,
                                         const parquet::WriterOptions& options) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(nullptr, std::fclose);
  std::FILE* in = stdin;
  if (input != "-") {
    owned.reset(std::fopen(input.c_str(), "rb"));
    if (!owned) {
      return Status::NotFound(fmt::format("cannot open input {}: {}", input, std::strerror(errno)));
    }
    in = owned.get();
  }
  SL_ASSIGN_OR_RETURN(io::UriLocation out, io::ResolveUri(output));
  SL_ASSIGN_OR_RETURN(auto file, out.fs->OpenForWrite(out.path));
  SL_ASSIGN_OR_RETURN(auto writer, parquet::ParquetFileWriter::Open(
                                       std::move(file), SalesParquetColumns(), options));
  SL_ASSIGN_OR_RETURN(auto reader, MakeSalesNdjsonReader(in, input == "-" ? "stdin" : input));
  SalesColumns columns;
  columns.Reserve(kBatchRows);
  while (true) {
    SL_ASSIGN_OR_RETURN(bool more, reader->ReadChunk(&columns));
    if (!more) break;
    if (columns.rows() >= kBatchRows) {
      SL_RETURN_IF_ERROR(writer->Write(columns.columns()));
      columns.Clear();
    }
  }
  if (columns.rows() > 0) SL_RETURN_IF_ERROR(writer->Write(columns.columns()));
  SL_RETURN_IF_ERROR(writer->Close());
  ConvertResult result;
  result.rows = writer->rows_written();
  result.row_groups = static_cast<int64_t>(writer->metadata().row_groups.size());
  result.bytes = writer->file_size();
  return result;
}

int ParquetConvertCommand(int argc, char** argv) {
  CLI::App app{
      "Converts NDJSON sale records (one object per line, the 15 fields of a sale) into one typed "
      "Parquet file: money as DECIMAL(18,2), the timestamp as TIMESTAMP(MICROS, UTC), quantity as "
      "INT32, the rest as STRING. The file appears only when complete; a bad record stops the "
      "conversion with its line number. Prints a JSON summary."};
  std::string input;
  std::string output;
  std::string compression = "snappy";
  int64_t row_group_rows = 1 << 20;
  int page_version = 1;
  std::vector<std::string> bloom_columns;
  app.add_option("input", input, "NDJSON file of sale records, or - for stdin")->required();
  app.add_option("output", output,
                 "Parquet file to write: a path or a file://, s3:// or mem:// URI")
      ->required();
  app.add_option("--compression", compression, "page codec: snappy, zstd, gzip or none")
      ->check(CLI::IsMember({"snappy", "zstd", "gzip", "none", "uncompressed"}))
      ->default_val("snappy");
  app.add_option("--row-group-rows", row_group_rows, "rows per row group")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 31))
      ->default_val(int64_t{1} << 20);
  app.add_option("--page-version", page_version, "data page version: 1 (most compatible) or 2")
      ->check(CLI::IsMember({1, 2}))
      ->default_val(1);
  app.add_option("--bloom-filter", bloom_columns,
                 "add a split-block bloom filter to this column (repeatable)");
  const std::string example =
      "saleslake generate --records 100000 --seed 7 --format ndjson > sales.ndjson\n"
      "  saleslake parquet convert sales.ndjson sales.parquet --compression zstd "
      "--bloom-filter transaction_id";
  return RunCommand(app, "parquet convert", example, argc, argv, [&]() -> Status {
    SL_ASSIGN_OR_RETURN(compress::CodecType codec, compress::CodecTypeFromName(compression));
    parquet::WriterOptions::Builder builder;
    builder.Compression(codec)
        .RowGroupRows(row_group_rows)
        .PageVersion(page_version == 2 ? parquet::DataPageVersion::kV2
                                       : parquet::DataPageVersion::kV1);
    for (const std::string& column : bloom_columns) {
      if (!SalesFieldFromName(column)) {
        return Status::InvalidArgument(
            fmt::format("--bloom-filter {}: not a sales column", column));
      }
      builder.BloomFilter(column);
    }
    SL_ASSIGN_OR_RETURN(parquet::WriterOptions options, builder.Build());
    SL_ASSIGN_OR_RETURN(ConvertResult result, ConvertSalesNdjson(input, output, options));
    std::string line;
    JsonWriter json(&line);
    json.BeginObject();
    json.Field("output", output);
    json.Field("rows", result.rows);
    json.Field("row_groups", result.row_groups);
    json.Field("bytes", result.bytes);
    json.EndObject();
    line.push_back('\n');
    std::fputs(line.c_str(), stdout);
    return Status::OK();
  });
}

}  // namespace saleslake::table

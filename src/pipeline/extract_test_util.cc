#include "pipeline/extract_test_util.h"

#include "base/clock.h"
#include "base/json_writer.h"
#include "lake/lake_lock.h"
#include "lake/ledger.h"
#include "parquet/reader/file_reader.h"

namespace saleslake::pipeline::testing {

int64_t TestNow() { return *ParseIso8601Micros("2026-11-26T10:00:00Z"); }

std::string Generate(uint64_t records, uint64_t seed, double dirty, generator::OutputFormat format,
                     generator::Envelope envelope) {
  generator::GeneratorOptions o;
  o.records = records;
  o.seed = seed;
  o.now_micros = TestNow();
  o.dirty_rate = dirty;
  o.format = format;
  o.envelope = envelope;
  std::string out;
  Status st = generator::Generate(o, [&out](std::string_view chunk) {
    out.append(chunk);
    return true;
  });
  if (!st.ok()) return "generator failed: " + st.ToString();
  return out;
}

std::string EnvelopeWithStringBody(const std::string& array_json) {
  std::string out = "{\"statusCode\":200,\"body\":";
  AppendJsonString(&out, array_json);
  out += "}";
  return out;
}

Result<ExtractResult> ExtractBytes(std::shared_ptr<io::FileSystem> fs, const std::string& bytes,
                                   const std::string& source, ExtractOptions options) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::LakeLock> lock,
                      lake::LakeLock::Acquire(fs, "extract test"));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::Ledger> ledger,
                      lake::Ledger::Open(fs, /*recover=*/true));
  // A small memory limit, so that bigger inputs also exercise the spill file.
  SpooledInput input(source, /*memory_limit=*/64 << 10);
  SL_RETURN_IF_ERROR(input.Append(bytes));
  if (options.now_micros == 0) options.now_micros = TestNow();
  if (options.run_id.empty()) options.run_id = "test-run";
  return ExtractBatch(*fs, *ledger, input, options);
}

Result<std::vector<parquet::ColumnVector>> ReadAllColumns(io::FileSystem& fs,
                                                          const std::string& path) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<io::RandomAccessFile> file, fs.OpenForRead(path));
  SL_ASSIGN_OR_RETURN(auto reader, parquet::ParquetFileReader::Open(
                                       std::shared_ptr<io::RandomAccessFile>(std::move(file))));
  const int columns = static_cast<int>(reader->metadata().schema.size()) - 1;
  std::vector<int> all;
  for (int i = 0; i < columns; ++i) all.push_back(i);
  std::vector<parquet::ColumnVector> out(static_cast<size_t>(columns));
  for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
    SL_ASSIGN_OR_RETURN(std::vector<parquet::ColumnVector> part, reader->ReadRowGroup(rg, all));
    for (size_t c = 0; c < part.size(); ++c) {
      if (rg == 0) {
        out[c] = std::move(part[c]);
      } else {
        out[c].AppendSlice(part[c], 0, part[c].length);
      }
    }
  }
  return out;
}

std::vector<std::string> Lines(const std::string& ndjson) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < ndjson.size()) {
    size_t nl = ndjson.find('\n', start);
    if (nl == std::string::npos) nl = ndjson.size();
    if (nl > start) lines.push_back(ndjson.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

}  // namespace saleslake::pipeline::testing

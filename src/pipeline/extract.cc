#include "pipeline/extract.h"

#include <fmt/format.h>

#include "base/clock.h"
#include "base/hash.h"
#include "base/json_writer.h"
#include "base/logging.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/raw_batch_writer.h"

namespace saleslake::pipeline {
namespace {

constexpr size_t kBatchIdHexDigits = 32;

void StartBatchHash(Sha256Hasher* hasher, std::string_view source) {
  hasher->Update(source);
  hasher->Update(std::string_view("\0", 1));
}

std::string FinishBatchHash(Sha256Hasher* hasher) {
  return HexEncode(hasher->Finish()).substr(0, kBatchIdHexDigits);
}

// The commit's details: what a person or `status` wants to know about the batch.
std::string DetailsJson(const ExtractResult& r) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("source", r.source);
  w.Field("rows", r.rows);
  w.Field("bytes", r.bytes_in);
  w.Field("raw_records", r.raw_rows);
  w.Field("truncated_records", r.truncated_rows);
  w.Field("framing", FramingName(r.framing));
  w.Field("file_bytes", r.file_bytes);
  w.Field("ingested_at", FormatIso8601Micros(r.ingested_at_micros));
  w.Field("duration_ms", r.duration_micros / 1000);
  w.EndObject();
  return out;
}

// Steps 3 and 4 of extract, once the batch is known to be new.
Status WriteAndCommit(io::FileSystem& fs, Ledger& ledger, BatchInput& input,
                      const ExtractOptions& options, ExtractResult* r) {
  const CivilDate date = UtcDateOf(r->ingested_at_micros);
  r->path = RawBatchPath(date, r->batch_id);
  const std::string pending = PendingPath(r->path);
  SL_ASSIGN_OR_RETURN(std::unique_ptr<io::WritableFile> file, fs.OpenForWrite(pending));
  SL_ASSIGN_OR_RETURN(
      std::unique_ptr<RawBatchWriter> writer,
      RawBatchWriter::Open(std::move(file),
                           RawLineage{r->batch_id, r->ingested_at_micros, r->source},
                           options.flush_rows));
  // A response none of whose records even names a transaction_id (an error page, /healthz) holds
  // no sales: it lands nothing.
  uint64_t sales_like = 0;
  RecordSplitter splitter(
      [&writer, &sales_like](const SplitRecord& record) {
        if (record.text.find("\"transaction_id\"") != std::string_view::npos) ++sales_like;
        return writer->Add(record);
      },
      RecordSplitter::Options{.max_record_bytes = options.max_record_bytes});
  uint64_t bytes_read = 0;
  Status st = input.Read([&](std::string_view bytes) {
    bytes_read += bytes.size();
    return splitter.Feed(bytes);
  });
  if (st.ok()) st = splitter.Finish();
  if (st.ok() && splitter.framing() == Framing::kUnknown) {
    st = Status::InvalidArgument("the input is empty: there are no records to extract");
  }
  if (st.ok() && sales_like == 0) {
    st = Status::InvalidArgument(
        fmt::format("{} holds no sales records ({}, {} record(s), none with a transaction_id): "
                    "nothing landed",
                    r->source, FramingName(splitter.framing()), writer->rows()));
  }
  if (st.ok() && bytes_read != r->bytes_in) {
    st = Status::Aborted(fmt::format("{} changed while it was extracted ({} bytes, then {})",
                                     r->source, r->bytes_in, bytes_read));
  }
  if (!st.ok()) {
    writer->Abort().IgnoreError();
    return st;
  }
  SL_RETURN_IF_ERROR(writer->Close());
  r->framing = splitter.framing();
  r->rows = writer->rows();
  r->raw_rows = writer->raw_rows();
  r->truncated_rows = writer->truncated_rows();
  r->file_bytes = writer->file_bytes();

  LedgerCommit commit;
  commit.kind = "extract";
  commit.run_id = options.run_id;
  commit.added.push_back(LedgerFile{r->path, std::string(kRawSalesTable), PartitionName(date),
                                    r->rows, r->file_bytes});
  commit.landed_batches.push_back(r->batch_id);
  r->duration_micros = MonotonicMicros() - r->duration_micros;
  commit.details_json = DetailsJson(*r);
  SL_RETURN_IF_ERROR(ledger.Commit(&commit));
  r->commit_seq = commit.seq;
  return Status::OK();
}

}  // namespace

std::string BatchIdOf(std::string_view source, std::string_view bytes) {
  Sha256Hasher hasher;
  StartBatchHash(&hasher, source);
  hasher.Update(bytes);
  return FinishBatchHash(&hasher);
}

Result<std::string> ComputeBatchId(BatchInput& input) {
  Sha256Hasher hasher;
  StartBatchHash(&hasher, input.source());
  SL_RETURN_IF_ERROR(input.Read([&hasher](std::string_view bytes) {
    hasher.Update(bytes);
    return Status::OK();
  }));
  return FinishBatchHash(&hasher);
}

Result<ExtractResult> ExtractBatch(io::FileSystem& fs, Ledger& ledger, BatchInput& input,
                                   const ExtractOptions& options) {
  ExtractResult r;
  r.duration_micros = MonotonicMicros();  // the start, until the end is known
  r.source = input.source();
  r.ingested_at_micros = options.now_micros != 0 ? options.now_micros : NowMicros();
  r.bytes_in = input.size();
  SL_ASSIGN_OR_RETURN(r.batch_id, ComputeBatchId(input));

  auto known = ledger.state().batches.find(r.batch_id);
  if (known != ledger.state().batches.end()) {
    r.already_extracted = true;
    r.commit_seq = known->second.extract_seq;
    for (const LedgerFile& f : ledger.state().FilesOf(kRawSalesTable)) {
      if (f.path.ends_with("/" + BatchFileName(r.batch_id))) {
        r.path = f.path;
        r.rows = f.rows;
        r.file_bytes = f.bytes;
      }
    }
    r.duration_micros = MonotonicMicros() - r.duration_micros;
    log::Info("extract.skip", {{"run_id", options.run_id},
                               {"batch_id", r.batch_id},
                               {"commit", r.commit_seq},
                               {"source", r.source}});
    return r;
  }

  Status st = WriteAndCommit(fs, ledger, input, options, &r);
  if (!st.ok()) {
    return st.WithContext(
        fmt::format("extract of {} (batch {}) committed nothing", r.source, r.batch_id));
  }
  log::Info("extract.batch", {{"run_id", options.run_id},
                              {"batch_id", r.batch_id},
                              {"commit", r.commit_seq},
                              {"rows", r.rows},
                              {"raw_rows", r.raw_rows},
                              {"bytes", r.bytes_in},
                              {"file_bytes", r.file_bytes},
                              {"framing", FramingName(r.framing)},
                              {"duration_ms", r.duration_micros / 1000},
                              {"path", r.path}});
  return r;
}

std::string ExtractResultToJson(const ExtractResult& r) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("batch_id", r.batch_id);
  w.Field("status", r.already_extracted ? "already_extracted" : "extracted");
  w.Field("commit", r.commit_seq);
  w.Field("path", r.path);
  w.Field("source", r.source);
  w.Field("rows", r.rows);
  if (!r.already_extracted) {
    w.Field("raw_records", r.raw_rows);
    w.Field("truncated_records", r.truncated_rows);
    w.Field("bytes", r.bytes_in);
    w.Field("framing", FramingName(r.framing));
  }
  w.Field("file_bytes", r.file_bytes);
  w.Field("ingested_at", FormatIso8601Micros(r.ingested_at_micros));
  w.Field("duration_ms", r.duration_micros / 1000);
  w.EndObject();
  return out;
}

}  // namespace saleslake::pipeline

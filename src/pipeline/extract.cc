#include "pipeline/extract.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "base/clock.h"
#include "base/json_writer.h"
#include "base/logging.h"
#include "base/ordered_pipeline.h"
#include "base/parallel_for.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/raw_batch_parser.h"
#include "pipeline/raw_batch_writer.h"

namespace saleslake::pipeline {
namespace {

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

// One item of the typing pipeline: up to flush_rows records, then their rows.
struct ChunkSlot {
  RecordChunk chunk;
  table::ColumnBatch batch = NewRawSalesBatch();
  RawRowCounts counts;
};

// Steps 3 and 4 of extract, once the batch is known to be new. The splitter cuts the input into
// chunks of flush_rows records on this thread; the chunks are typed on `options.threads` threads
// and written in input order, so the file is the same for any number of threads.
Status WriteAndCommit(io::FileSystem& fs, lake::Ledger& ledger, BatchInput& input,
                      const ExtractOptions& options, ExtractResult* r) {
  const CivilDate date = UtcDateOf(r->ingested_at_micros);
  r->path = RawBatchPath(date, r->batch_id);
  const std::string pending = lake::PendingPath(r->path);
  const int threads = std::max(1, options.threads);
  // With more than one thread, the serial stage (the Parquet writer) encodes and compresses the
  // columns of each batch at once, so that it does not hold the parsing threads back.
  ParallelFor column_pool(threads);
  SL_ASSIGN_OR_RETURN(std::unique_ptr<io::WritableFile> file, fs.OpenForWrite(pending));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<RawBatchWriter> writer,
                      RawBatchWriter::Open(std::move(file)));
  if (threads > 1) {
    writer->set_column_runner([&column_pool](size_t n, const std::function<void(size_t)>& task) {
      column_pool.Run(n, task);
    });
  }
  const RawLineage lineage{r->batch_id, r->ingested_at_micros, r->source};
  const size_t flush_rows = std::max<size_t>(1, options.flush_rows);
  std::vector<std::unique_ptr<RawBatchParser>> parsers;
  for (int i = 0; i < threads; ++i) parsers.push_back(std::make_unique<RawBatchParser>(lineage));
  // One chunk filling, one being written, one being typed per thread: more slots would only
  // take memory (every chunk and batch is megabytes, and fresh memory costs a page fault a page).
  std::vector<ChunkSlot> slots(threads == 1 ? 1 : static_cast<size_t>(threads) + 2);
  // What a new chunk reserves: at first room for records of 1 KiB (a sale is about 450 bytes),
  // then an eighth more than the largest chunk so far. Room reserved and never written costs no
  // memory, while a chunk that outgrows its room copies itself into fresh pages.
  size_t chunk_bytes = static_cast<size_t>(std::min<uint64_t>(r->bytes_in, flush_rows << 10));
  RawRowCounts counts;
  OrderedPipeline pipeline(
      threads, slots.size(),
      [&](size_t slot, int worker) {
        ChunkSlot& s = slots[slot];
        s.batch.Clear();
        s.counts = RawRowCounts{};
        parsers[static_cast<size_t>(worker)]->Parse(s.chunk, &s.batch, &s.counts);
        return Status::OK();
      },
      [&](size_t slot) {
        counts += slots[slot].counts;
        return writer->Write(slots[slot].batch);
      });
  ChunkSlot* filling = nullptr;
  size_t filling_slot = 0;
  auto submit = [&]() {
    chunk_bytes = std::max(chunk_bytes, filling->chunk.bytes());
    filling->chunk.Seal();
    pipeline.Submit(filling_slot);
    filling = nullptr;
  };
  // A response none of whose records even names a transaction_id (an error page, /healthz) holds
  // no sales: it lands nothing.
  bool sales_like = false;
  RecordSplitter splitter(
      [&](const SplitRecord& record) {
        if (!sales_like) {  // one record is enough to know
          sales_like = record.text.find("\"transaction_id\"") != std::string_view::npos;
        }
        if (filling == nullptr) {
          SL_ASSIGN_OR_RETURN(filling_slot, pipeline.Acquire());
          filling = &slots[filling_slot];
          filling->chunk.Clear();
          filling->chunk.Reserve(flush_rows, chunk_bytes + chunk_bytes / 8);
        }
        filling->chunk.Add(record);
        if (filling->chunk.size() >= flush_rows) submit();
        return Status::OK();
      },
      RecordSplitter::Options{.max_record_bytes = options.max_record_bytes});
  uint64_t bytes_read = 0;
  Status st = input.Read([&](std::string_view bytes) {
    bytes_read += bytes.size();
    return splitter.Feed(bytes);
  });
  if (st.ok()) st = splitter.Finish();
  if (filling != nullptr) submit();
  Status finished = pipeline.Finish();
  if (st.ok()) st = finished;
  if (st.ok() && splitter.framing() == Framing::kUnknown) {
    st = Status::InvalidArgument("the input is empty: there are no records to extract");
  }
  if (st.ok() && !sales_like) {
    st = Status::InvalidArgument(
        fmt::format("{} holds no sales records ({}, {} record(s), none with a transaction_id): "
                    "nothing landed",
                    r->source, FramingName(splitter.framing()), counts.rows));
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
  r->rows = counts.rows;
  r->raw_rows = counts.raw_rows;
  r->truncated_rows = counts.truncated_rows;
  r->file_bytes = writer->file_bytes();

  lake::LedgerCommit commit;
  commit.kind = "extract";
  commit.run_id = options.run_id;
  commit.added.push_back(lake::LedgerFile{r->path, std::string(kRawSalesTable), PartitionName(date),
                                          r->rows, r->file_bytes});
  commit.landed_batches.push_back(r->batch_id);
  r->duration_micros = MonotonicMicros() - r->duration_micros;
  commit.details_json = DetailsJson(*r);
  SL_RETURN_IF_ERROR(ledger.Commit(&commit));
  r->commit_seq = commit.seq;
  return Status::OK();
}

}  // namespace

std::string BatchIdOf(std::string_view source, std::string_view bytes, BatchIdScheme scheme) {
  BatchIdHasher hasher(source, scheme);
  hasher.Update(bytes);
  return hasher.Finish();
}

Result<std::string> ComputeBatchId(BatchInput& input, BatchIdScheme scheme, int threads) {
  return input.BatchId(scheme, threads);
}

BatchIdScheme BatchIdSchemeOf(const lake::LedgerState& state) {
  for (const auto& [id, batch] : state.batches) {
    if (SchemeOfBatchId(id) == BatchIdScheme::kSha256) return BatchIdScheme::kSha256;
  }
  return BatchIdScheme::kXxh3;
}

Result<ExtractResult> ExtractBatch(io::FileSystem& fs, lake::Ledger& ledger, BatchInput& input,
                                   const ExtractOptions& options) {
  ExtractResult r;
  r.duration_micros = MonotonicMicros();  // the start, until the end is known
  r.source = input.source();
  r.ingested_at_micros = options.now_micros != 0 ? options.now_micros : NowMicros();
  r.bytes_in = input.size();
  SL_ASSIGN_OR_RETURN(r.batch_id,
                      ComputeBatchId(input, BatchIdSchemeOf(ledger.state()), options.threads));

  auto known = ledger.state().batches.find(r.batch_id);
  if (known != ledger.state().batches.end()) {
    r.already_extracted = true;
    r.commit_seq = known->second.extract_seq;
    for (const lake::LedgerFile& f : ledger.state().FilesOf(kRawSalesTable)) {
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

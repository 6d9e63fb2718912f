#include "pipeline/transform.h"

#include <algorithm>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "base/clock.h"
#include "base/hash.h"
#include "base/json_writer.h"
#include "base/logging.h"
#include "base/ordered_pipeline.h"
#include "lake/lake_lock.h"
#include "pipeline/compact.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/sale_columns.h"
#include "pipeline/transform_io.h"
#include "pipeline/transform_land.h"
#include "pipeline/transform_passes.h"
#include "pipeline/typed_row_judge.h"
#include "table/sales_validator.h"

namespace saleslake::pipeline {
namespace {

using table::ParsedSale;
using table::SalesField;

constexpr uint32_t kAllFields = (1u << table::kSalesFieldCount) - 1;

// Rebuilds the validator's view of a raw row from its typed columns (no copy: views).
void ParsedFromRaw(const std::vector<parquet::ColumnVector>& cols, int64_t i, ParsedSale* s) {
  s->valid = 0;
  s->reasons = 0;
  s->detail.clear();
  s->text.fill({});
  // Fields that are null stay 0, whatever row came before (a quarantined row's JSON shows them).
  s->timestamp_micros = s->retail_price_paise = s->quantity = s->mrp_paise = s->total_paise = 0;
  for (const auto& info : table::SalesFields()) {
    int f = static_cast<int>(info.field);
    if (cols[f].IsNull(i)) continue;
    s->valid |= 1u << f;
    switch (info.field) {
      case SalesField::kTimestamp:
        s->timestamp_micros = cols[f].int64s[i];
        break;
      case SalesField::kRetailPrice:
        s->retail_price_paise = cols[f].int64s[i];
        break;
      case SalesField::kQuantity:
        s->quantity = cols[f].int32s[i];
        break;
      case SalesField::kMrp:
        s->mrp_paise = cols[f].int64s[i];
        break;
      case SalesField::kTotal:
        s->total_paise = cols[f].int64s[i];
        break;
      default:
        s->text[f] = cols[f].BinaryAt(i);
    }
  }
}

// A row TypedRowJudge found clean (every field present) as the validator's view of it.
void CleanFromRaw(const std::vector<parquet::ColumnVector>& cols, int64_t i, ParsedSale* s) {
  const auto r = static_cast<size_t>(i);
  for (int f = 0; f < table::kSalesFieldCount; ++f) {
    if (SaleColumns::kSlotOf[f] >= 0) s->text[f] = cols[f].BinaryAt(i);
  }
  s->timestamp_micros = cols[static_cast<int>(SalesField::kTimestamp)].int64s[r];
  s->retail_price_paise = cols[static_cast<int>(SalesField::kRetailPrice)].int64s[r];
  s->quantity = cols[static_cast<int>(SalesField::kQuantity)].int32s[r];
  s->mrp_paise = cols[static_cast<int>(SalesField::kMrp)].int64s[r];
  s->total_paise = cols[static_cast<int>(SalesField::kTotal)].int64s[r];
}

// One raw row group in flight: which it is, and what typing and judging it gave.
struct RowGroupWork {
  std::shared_ptr<const parquet::ParquetFileReader> reader;
  int row_group = 0;
  uint32_t ordinal = 0;    // the batch's position in the run
  uint32_t batch_tag = 0;  // what its sales carry as their batch (ordinal, or a map's batch's)
  int64_t rows = 0;
  bool has_source = false;  // the first row with a _source, for the batch's lineage
  std::string source;
  int64_t ingested_at = 0;
  std::map<int64_t, SaleColumns> by_day;  // clean sales by business day
  std::string quarantine;                 // encoded QuarantineRows, in row order
  std::vector<uint32_t> quarantine_reasons;
  // The row group's columns and the reader's buffers, reused from one row group to the next.
  std::vector<parquet::ColumnVector> cols;
  parquet::ReadBuffers read_buffers;
};

// The parallel half of pass 1: reads a raw row group, types and judges every row, and sorts the
// clean ones into day columns and the rest into encoded quarantine rows.
Status TypeRowGroup(const std::vector<int>& projection, const TransformOptions& options,
                    table::SalesValidator& validator, TypedRowJudge& judge, RowGroupWork* w) {
  for (auto& [day, columns] : w->by_day) columns.Clear();
  w->quarantine.clear();
  w->quarantine_reasons.clear();
  w->has_source = false;
  SL_RETURN_IF_ERROR(w->reader->ReadRowGroup(w->row_group, projection, &w->cols, &w->read_buffers));
  const std::vector<parquet::ColumnVector>& cols = w->cols;
  const int64_t n = w->reader->row_group_rows(w->row_group);
  w->rows = n;
  judge.Prepare(cols);
  ParsedSale typed;
  ParsedSale clean;  // a row the judge passed: every field valid, no reason
  clean.valid = kAllFields;
  uint32_t store = 0, product = 0;
  SaleRow row;  // only for the JSON of a rejected typed row
  int64_t last_day = INT64_MIN;
  SaleColumns* last_bucket = nullptr;
  for (int64_t i = 0; i < n; ++i) {
    if (!w->has_source && !cols[kRawSource].IsNull(i)) {
      w->has_source = true;
      w->source = std::string(cols[kRawSource].BinaryAt(i));
      w->ingested_at = cols[kRawIngestedAt].int64s[i];
    }
    const bool has_raw = !cols[kRawText].IsNull(i);
    const int64_t record_index =
        cols[kRawRecordIndex].IsNull(i) ? i : cols[kRawRecordIndex].int64s[i];
    const ParsedSale* sale;
    const std::string_view raw_text = has_raw ? cols[kRawText].BinaryAt(i) : std::string_view();
    if (!has_raw && judge.Clean(cols, i, &store, &product)) {
      CleanFromRaw(cols, i, &clean);
      sale = &clean;
    } else if (has_raw && !cols[kRawTruncated].IsNull(i) && cols[kRawTruncated].bools[i] != 0) {
      // Only the first bytes of an over-long record were kept: it is oversized, not bad JSON.
      typed = ParsedSale();
      typed.reasons = table::kOversizedField;
      typed.detail = "the record is longer than the extractor's cap";
      sale = &typed;
    } else if (has_raw) {
      sale = &validator.Validate(raw_text);
    } else {
      ParsedFromRaw(cols, i, &typed);
      if (typed.valid != kAllFields) {
        typed.reasons |= table::kMissingField;
        typed.detail = "a field is missing or null in the raw row";
      }
      validator.Judge(&typed);
      sale = &typed;
    }
    if (sale->clean()) {
      const int64_t day = BusinessDay(sale->timestamp_micros, options.business_utc_offset_seconds);
      if (day != last_day || last_bucket == nullptr) {
        last_day = day;
        last_bucket = &w->by_day[day];
      }
      // With a reference catalog, the store and product go as their entries' indices.
      const table::ReferenceCatalog* ref = validator.options().reference;
      if (ref != nullptr && sale != &clean) {
        const table::Store* s = ref->FindStore(sale->text[static_cast<int>(SalesField::kStoreId)]);
        const table::Product* p =
            ref->FindProduct(sale->text[static_cast<int>(SalesField::kProductId)]);
        if (s == nullptr || p == nullptr) ref = nullptr;  // cannot be: the sale is clean
        if (ref != nullptr) {
          store = static_cast<uint32_t>(s - ref->stores().data());
          product = static_cast<uint32_t>(p - ref->products().data());
        }
      }
      last_bucket->AppendCoded(*sale, ref, store, product, w->batch_tag, record_index, raw_text);
    } else {
      QuarantineRow q;
      q.reason = table::ReasonsToString(sale->reasons);
      q.detail = sale->detail;
      if (has_raw) {
        q.raw.assign(raw_text);
      } else {
        SaleRowFromParsed(*sale, &row);
        q.raw = row.ToJson();
      }
      q.record_index = record_index;
      EncodeQuarantineRow(q, &w->quarantine);
      w->quarantine_reasons.push_back(sale->reasons);
    }
  }
  return Status::OK();
}

// The serial half of pass 1, in row-group order: the work's rows join the run's buckets.
Status CollectRowGroup(RowGroupWork& w, BatchInfo* batch, SaleSpill* sales, Spill* quarantine,
                       TransformResult* result, LandingCounts* counts) {
  result->rows_in += static_cast<uint64_t>(w.rows);
  if (batch->source.empty() && w.has_source) {
    batch->source = w.source;
    batch->ingested_at = w.ingested_at;
  }
  for (auto& [day, columns] : w.by_day) {
    if (!columns.empty()) SL_RETURN_IF_ERROR(sales->Add(day, columns));
  }
  if (w.quarantine.empty()) return Status::OK();
  quarantine->Buffer(w.ordinal)->append(w.quarantine);
  for (uint32_t reasons : w.quarantine_reasons) counts->CountQuarantined(reasons);
  return quarantine->Appended(w.quarantine.size());
}

// Pass 1 over the run's raw batches: row groups are typed and judged on `options.threads`
// threads and collected in file and row-group order, so the buckets (and so every output) are
// the same for any number of threads.
Status ReadBatches(io::FileSystem& fs, const std::vector<const lake::LedgerFile*>& raw_files,
                   const TransformOptions& options, const table::ValidationOptions& vopts,
                   std::vector<BatchInfo>* batches, SaleSpill* sales, Spill* quarantine,
                   TransformResult* result, LandingCounts* counts, uint32_t first_tag = 0) {
  const int threads = std::max(1, options.threads);
  std::vector<std::unique_ptr<table::SalesValidator>> validators;
  std::vector<std::unique_ptr<TypedRowJudge>> judges;
  for (int i = 0; i < threads; ++i) {
    validators.push_back(std::make_unique<table::SalesValidator>(vopts));
    judges.push_back(std::make_unique<TypedRowJudge>(vopts));
  }
  std::vector<std::string> names;
  for (const auto& c : RawSalesColumns()) names.push_back(c.name);
  std::vector<std::vector<int>> projections(raw_files.size());
  std::vector<RowGroupWork> slots(static_cast<size_t>(threads));
  OrderedPipeline pipeline(
      threads, slots.size(),
      [&](size_t slot, int worker) {
        RowGroupWork& w = slots[slot];
        return TypeRowGroup(projections[w.ordinal], options,
                            *validators[static_cast<size_t>(worker)],
                            *judges[static_cast<size_t>(worker)], &w);
      },
      [&](size_t slot) {
        RowGroupWork& w = slots[slot];
        Status s = CollectRowGroup(w, &(*batches)[w.ordinal], sales, quarantine, result, counts);
        w.reader.reset();
        return s;
      });
  for (uint32_t ordinal = 0; ordinal < raw_files.size(); ++ordinal) {
    (*batches)[ordinal].quarantine_partition = raw_files[ordinal]->partition;
    // The catalog columns stay in dictionary form: the judge reads their dictionaries once.
    parquet::ReaderOptions reader_options;
    reader_options.keep_dictionaries = true;
    SL_ASSIGN_OR_RETURN(std::unique_ptr<parquet::ParquetFileReader> opened,
                        OpenLakeFile(fs, raw_files[ordinal]->path, reader_options));
    std::shared_ptr<const parquet::ParquetFileReader> reader = std::move(opened);
    SL_ASSIGN_OR_RETURN(projections[ordinal], reader->schema().ResolveProjection(names));
    projections[ordinal][kRawBatchId] = -1;  // the run knows its batches: not read
    for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
      SL_ASSIGN_OR_RETURN(size_t slot, pipeline.Acquire());
      slots[slot].reader = reader;
      slots[slot].row_group = rg;
      slots[slot].ordinal = ordinal;
      slots[slot].batch_tag = first_tag + ordinal;
      pipeline.Submit(slot);
    }
  }
  return pipeline.Finish();
}

std::string BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace

Status TypeRawBatch(io::FileSystem& fs, const lake::LedgerFile& raw_file, uint32_t ordinal,
                    const TransformOptions& options, BatchInfo* batch, SaleSpill* sales,
                    Spill* quarantine, uint64_t* rows_in, LandingCounts* counts) {
  table::ValidationOptions vopts;
  vopts.now_micros = options.now_micros != 0 ? options.now_micros : NowMicros();
  vopts.reference = options.reference;
  std::vector<BatchInfo> batches(1);
  batches[0].id = batch->id;
  TransformResult result;
  SL_RETURN_IF_ERROR(ReadBatches(fs, {&raw_file}, options, vopts, &batches, sales, quarantine,
                                 &result, counts, ordinal));
  *batch = batches[0];
  *rows_in = result.rows_in;
  return Status::OK();
}

std::string TransformResult::ToJson() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("committed", committed);
  w.Field("seq", seq);
  w.Key("batches");
  w.BeginArray();
  for (const auto& b : batches) w.String(b);
  w.EndArray();
  w.Field("rows_in", rows_in);
  w.Field("rows_main", rows_main);
  w.Field("rows_quarantined", rows_quarantined);
  w.Field("dropped_duplicates", dropped_duplicates);
  w.Key("quarantine_by_reason");
  w.BeginObject();
  for (const auto& [reason, n] : quarantine_by_reason) w.Field(reason, n);
  w.EndObject();
  w.Field("partitions", partitions);
  w.Field("files_added", files_added);
  w.Field("files_removed", files_removed);
  w.Field("files_compacted", files_compacted);
  w.Field("reference", reference);
  w.EndObject();
  return out;
}

namespace {

Result<TransformResult> RunTransformStaging(std::shared_ptr<io::FileSystem> fs,
                                            lake::Ledger* ledger, const TransformOptions& options,
                                            lake::LedgerCommit& commit) {
  TransformResult result;
  result.reference = options.reference == nullptr ? "none" : options.reference_name;
  // A rebuild sees the lake without its derived files (main/*, quarantine/*), takes every raw
  // batch, and replaces the derived files in the same commit.
  lake::LedgerState without_derived;
  std::vector<std::string> derived;
  if (options.rebuild) {
    without_derived = ledger->state();
    for (auto it = without_derived.files.begin(); it != without_derived.files.end();) {
      const std::string& table = it->second.table;
      if (table.rfind("main/", 0) == 0 || table.rfind("quarantine/", 0) == 0) {
        derived.push_back(it->first);
        it = without_derived.files.erase(it);
      } else {
        ++it;
      }
    }
    for (auto& [id, b] : without_derived.batches) b.transform_seq = 0;
  }
  const lake::LedgerState& state = options.rebuild ? without_derived : ledger->state();
  result.batches = state.PendingBatches();
  if (result.batches.empty() && derived.empty()) return result;

  std::map<std::string, lake::LedgerFile> raw_by_name;
  for (lake::LedgerFile& f : state.FilesOf(kRawSalesTable)) raw_by_name[BaseName(f.path)] = f;

  table::ValidationOptions vopts;
  vopts.now_micros = options.now_micros != 0 ? options.now_micros : NowMicros();
  vopts.reference = options.reference;

  // Each thread of pass 1 holds a row group and its day columns besides the spill: the budget is
  // shared, so that more threads do not mean more memory.
  const size_t budget =
      options.spill_budget_bytes / static_cast<size_t>(std::max(1, options.threads));
  SaleSpill sales(budget);
  Spill quarantine(budget / 4);
  LandingCounts counts;
  std::vector<BatchInfo> batches(result.batches.size());
  std::vector<const lake::LedgerFile*> raw_files;
  std::string run_key = "transform";
  for (size_t i = 0; i < result.batches.size(); ++i) {
    const std::string& id = result.batches[i];
    run_key += "\n" + id;
    auto raw = raw_by_name.find(BatchFileName(id));
    if (raw == raw_by_name.end()) {
      return Status::NotFound("raw batch " + id +
                              " is in the ledger but its file is not; run 'saleslake status'");
    }
    batches[i].id = id;
    raw_files.push_back(&raw->second);
  }
  SL_RETURN_IF_ERROR(
      ReadBatches(*fs, raw_files, options, vopts, &batches, &sales, &quarantine, &result, &counts));
  // Options change the outcome, so they are part of what names the files.
  run_key += "\noffset=" + std::to_string(options.business_utc_offset_seconds);
  run_key += "\nreference=" + (options.reference == nullptr ? "none" : options.reference_name);
  // A rebuild's files must not take the names of the files it replaces.
  if (options.rebuild) run_key += "\nrebuild@" + std::to_string(ledger->state().last_seq);

  commit.kind = options.rebuild ? "rebuild" : "transform";
  commit.removed = derived;
  commit.run_id =
      !options.run_id.empty() ? options.run_id : "transform-" + Sha256Hex(run_key).substr(0, 16);
  commit.consumed_batches = result.batches;
  SL_RETURN_IF_ERROR(LandSales(*fs, state, run_key, batches, options.threads, &sales, &quarantine,
                               &counts, &commit, options.landing_budget_bytes));
  SL_RETURN_IF_ERROR(WriteQuarantineFiles(
      *fs, batches, &quarantine,
      options.rebuild ? "rebuild-" + Sha256Hex(run_key).substr(0, 8) : "", &commit));
  result.spilled_bytes = sales.spilled_bytes() + quarantine.spilled_bytes();

  CountsIntoResult(counts, commit, &result);
  result.days_in_parts = counts.days_in_parts;
  commit.details_json = TransformDetailsJson(result, options);
  SL_RETURN_IF_ERROR(ledger->Commit(&commit));
  result.committed = true;
  result.seq = commit.seq;
  // Small files merge in tiers, only in the days this run touched (see compact.h).
  TieredCompactOptions tiered;
  tiered.threads = options.threads;
  for (const lake::LedgerFile& f : commit.added) {
    if (f.table == kMainSalesTable) tiered.partitions.push_back(f.partition);
  }
  // The transform is committed: a failed merge (a full disk) leaves the small files as they
  // are, for the next run or `saleslake compact`, and does not fail the run.
  Result<CompactResult> compacted = RunTieredCompact(fs, ledger, tiered);
  if (compacted.ok()) {
    result.files_compacted = compacted->files_removed;
  } else {
    log::Warn("transform.compact_failed", {{"error", compacted.status().ToString()}});
  }
  log::Info("transform.committed",
            {{"run_id", commit.run_id},
             {"commit", static_cast<unsigned long long>(commit.seq)},
             {"rows_in", static_cast<unsigned long long>(result.rows_in)},
             {"rows_main", static_cast<unsigned long long>(result.rows_main)},
             {"rows_quarantined", static_cast<unsigned long long>(result.rows_quarantined)},
             {"files_compacted", static_cast<unsigned long long>(result.files_compacted)},
             {"reference", result.reference}});
  return result;
}

}  // namespace

void CountsIntoResult(const LandingCounts& counts, const lake::LedgerCommit& commit,
                      TransformResult* result) {
  result->rows_main = counts.rows_main;
  result->rows_quarantined = counts.rows_quarantined;
  result->dropped_duplicates = counts.dropped_duplicates;
  result->quarantine_by_reason = counts.quarantine_by_reason;
  result->partitions = counts.partitions;
  result->files_added = commit.added.size();
  result->files_removed = commit.removed.size();
}

std::string TransformDetailsJson(const TransformResult& r, const TransformOptions& options) {
  std::string details;
  JsonWriter w(&details);
  w.BeginObject();
  w.Field("rows_in", r.rows_in);
  w.Field("rows_main", r.rows_main);
  w.Field("rows_quarantined", r.rows_quarantined);
  w.Field("dropped_duplicates", r.dropped_duplicates);
  w.Key("quarantine_by_reason");
  w.BeginObject();
  for (const auto& [reason, n] : r.quarantine_by_reason) w.Field(reason, n);
  w.EndObject();
  w.Field("business_utc_offset_seconds", int64_t{options.business_utc_offset_seconds});
  w.Field("reference", options.reference == nullptr ? "none" : options.reference_name);
  w.Field("partitions", r.partitions);
  w.Field("rebuild", options.rebuild);
  w.EndObject();
  return details;
}

namespace {

// A transform allocates and frees buffers of megabytes over and over (a row group's columns,
// spill chunks, a day's sales and pages). Past glibc's mmap threshold each is mapped afresh, and
// every page of it faults and is zeroed again: on a virtual machine that was a sixth of the run.
// For the run, such buffers come from the heap and freed ones stay there for the next; the
// landing still gives freed memory back between passes (malloc_trim), so the peak is unchanged.
class HeapReuse {
 public:
  HeapReuse() {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, kBytes);
    mallopt(M_TRIM_THRESHOLD, kBytes);
#endif
  }
  ~HeapReuse() {
#if defined(__GLIBC__)
    // glibc's defaults (fixed from here on instead of adapting).
    mallopt(M_MMAP_THRESHOLD, 128 << 10);
    mallopt(M_TRIM_THRESHOLD, 128 << 10);
    malloc_trim(0);
#endif
  }
  HeapReuse(const HeapReuse&) = delete;
  HeapReuse& operator=(const HeapReuse&) = delete;

 private:
  static constexpr int kBytes = 256 << 20;
};

}  // namespace

Result<TransformResult> RunTransform(std::shared_ptr<io::FileSystem> fs, lake::Ledger* ledger,
                                     const TransformOptions& options) {
  HeapReuse heap_reuse;
  lake::LedgerCommit commit;
  Result<TransformResult> r = RunTransformStaging(fs, ledger, options, commit);
  if (!r.ok()) return DiscardStaged(*fs, ledger, commit, r.status());
  return r;
}

Result<TransformResult> TransformLake(const lake::Lake& lake, const TransformOptions& options) {
  SL_ASSIGN_OR_RETURN(auto lock, lake.Lock("saleslake transform"));
  SL_ASSIGN_OR_RETURN(auto ledger, lake.OpenLog(/*writer=*/true));
  return RunTransform(lake.fs(), ledger.get(), options);
}

}  // namespace saleslake::pipeline

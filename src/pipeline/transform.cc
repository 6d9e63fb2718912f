#include "pipeline/transform.h"

#include "base/clock.h"
#include "base/hash.h"
#include "base/json_writer.h"
#include "base/logging.h"
#include "lake/lake_lock.h"
#include "pipeline/compact.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/transform_io.h"
#include "pipeline/transform_land.h"
#include "table/sales_validator.h"

namespace saleslake::pipeline {
namespace {

using table::ParsedSale;
using table::SalesField;

constexpr uint32_t kAllFields = (1u << table::kSalesFieldCount) - 1;

// Rebuilds the validator's view of a raw row from its typed columns.
void ParsedFromRaw(const std::vector<parquet::ColumnVector>& cols, int64_t i, ParsedSale* s) {
  s->valid = 0;
  s->reasons = 0;
  s->detail.clear();
  s->text.fill({});
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
        s->text[f] = cols[f].binaries[i];
    }
  }
}

// Pass 1 over one raw batch: clean rows into `sales` by business day, the rest into `quarantine`.
Status ReadBatch(io::FileSystem& fs, const lake::LedgerFile& raw_file, uint32_t ordinal,
                 const TransformOptions& options, table::SalesValidator& validator,
                 BatchInfo* batch, Spill* sales, Spill* quarantine, TransformResult* result,
                 LandingCounts* counts) {
  SL_ASSIGN_OR_RETURN(auto reader, OpenLakeFile(fs, raw_file.path));
  std::vector<std::string> names;
  for (const auto& c : RawSalesColumns()) names.push_back(c.name);
  SL_ASSIGN_OR_RETURN(std::vector<int> projection, reader->schema().ResolveProjection(names));
  batch->quarantine_partition = raw_file.partition;
  ParsedSale typed;
  SaleRow row;
  row.batch = ordinal;
  for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
    SL_ASSIGN_OR_RETURN(auto cols, reader->ReadRowGroup(rg, projection));
    const int64_t n = reader->row_group_rows(rg);
    for (int64_t i = 0; i < n; ++i) {
      ++result->rows_in;
      if (batch->source.empty() && !cols[kRawSource].IsNull(i)) {
        batch->source = std::string(cols[kRawSource].binaries[i]);
        batch->ingested_at = cols[kRawIngestedAt].int64s[i];
      }
      const bool has_raw = !cols[kRawText].IsNull(i);
      const int64_t record_index =
          cols[kRawRecordIndex].IsNull(i) ? i : cols[kRawRecordIndex].int64s[i];
      const ParsedSale* sale;
      if (has_raw && !cols[kRawTruncated].IsNull(i) && cols[kRawTruncated].bools[i] != 0) {
        // Only the first bytes of an over-long record were kept: it is oversized, not bad JSON.
        typed = ParsedSale();
        typed.reasons = table::kOversizedField;
        typed.detail = "the record is longer than the extractor's cap";
        sale = &typed;
      } else if (has_raw) {
        sale = &validator.Validate(cols[kRawText].binaries[i]);
      } else {
        ParsedFromRaw(cols, i, &typed);
        if (typed.valid != kAllFields) {
          typed.reasons |= table::kMissingField;
          typed.detail = "a field is missing or null in the raw row";
        }
        validator.Judge(&typed);
        sale = &typed;
      }
      SaleRowFromParsed(*sale, &row);
      row.record_index = record_index;
      row.raw.clear();
      if (has_raw) row.raw.assign(cols[kRawText].binaries[i]);
      if (sale->clean()) {
        int64_t day = BusinessDay(row.timestamp_micros, options.business_utc_offset_seconds);
        std::string* out = sales->Buffer(day);
        size_t before = out->size();
        EncodeSaleRow(row, out);
        SL_RETURN_IF_ERROR(sales->Appended(out->size() - before));
      } else {
        QuarantineRow q;
        q.reason = table::ReasonsToString(sale->reasons);
        q.detail = sale->detail;
        q.raw = has_raw ? row.raw : row.ToJson();
        q.record_index = record_index;
        std::string* out = quarantine->Buffer(ordinal);
        size_t before = out->size();
        EncodeQuarantineRow(q, out);
        counts->CountQuarantined(sale->reasons);
        SL_RETURN_IF_ERROR(quarantine->Appended(out->size() - before));
      }
    }
  }
  return Status::OK();
}

std::string BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace

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
  table::SalesValidator validator(vopts);

  Spill sales(options.spill_budget_bytes);
  Spill quarantine(options.spill_budget_bytes / 4);
  LandingCounts counts;
  std::vector<BatchInfo> batches;
  std::string run_key = "transform";
  for (const std::string& id : result.batches) {
    run_key += "\n" + id;
    auto raw = raw_by_name.find(BatchFileName(id));
    if (raw == raw_by_name.end()) {
      return Status::NotFound("raw batch " + id +
                              " is in the ledger but its file is not; run 'saleslake status'");
    }
    BatchInfo& info = batches.emplace_back();
    info.id = id;
    SL_RETURN_IF_ERROR(ReadBatch(*fs, raw->second, static_cast<uint32_t>(batches.size() - 1),
                                 options, validator, &info, &sales, &quarantine, &result, &counts));
  }
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
  SL_RETURN_IF_ERROR(
      LandSales(*fs, state, run_key, batches, &sales, &quarantine, &counts, &commit));
  SL_RETURN_IF_ERROR(WriteQuarantineFiles(
      *fs, batches, &quarantine,
      options.rebuild ? "rebuild-" + Sha256Hex(run_key).substr(0, 8) : "", &commit));
  result.spilled_bytes = sales.spilled_bytes() + quarantine.spilled_bytes();

  result.rows_main = counts.rows_main;
  result.rows_quarantined = counts.rows_quarantined;
  result.dropped_duplicates = counts.dropped_duplicates;
  result.quarantine_by_reason = counts.quarantine_by_reason;
  result.partitions = counts.partitions;
  result.files_added = commit.added.size();
  result.files_removed = commit.removed.size();
  {
    std::string details;
    JsonWriter w(&details);
    w.BeginObject();
    w.Field("rows_in", result.rows_in);
    w.Field("rows_main", result.rows_main);
    w.Field("rows_quarantined", result.rows_quarantined);
    w.Field("dropped_duplicates", result.dropped_duplicates);
    w.Key("quarantine_by_reason");
    w.BeginObject();
    for (const auto& [reason, n] : result.quarantine_by_reason) w.Field(reason, n);
    w.EndObject();
    w.Field("business_utc_offset_seconds", int64_t{options.business_utc_offset_seconds});
    w.Field("reference", options.reference == nullptr ? "none" : options.reference_name);
    w.Field("partitions", result.partitions);
    w.Field("rebuild", options.rebuild);
    w.EndObject();
    commit.details_json = details;
  }
  SL_RETURN_IF_ERROR(ledger->Commit(&commit));
  result.committed = true;
  result.seq = commit.seq;
  // Small files merge in tiers, only in the days this run touched (see compact.h).
  TieredCompactOptions tiered;
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

Result<TransformResult> RunTransform(std::shared_ptr<io::FileSystem> fs, lake::Ledger* ledger,
                                     const TransformOptions& options) {
  lake::LedgerCommit commit;
  Result<TransformResult> r = RunTransformStaging(fs, ledger, options, commit);
  if (!r.ok()) return DiscardStaged(*fs, commit, r.status());
  return r;
}

Result<TransformResult> TransformLake(const std::string& lake_uri,
                                      const TransformOptions& options) {
  SL_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> fs, io::FileSystemFromUri(lake_uri));
  SL_ASSIGN_OR_RETURN(auto lock, lake::LakeLock::Acquire(fs, "saleslake transform"));
  SL_ASSIGN_OR_RETURN(auto ledger, lake::Ledger::Open(fs, /*recover=*/true));
  return RunTransform(fs, ledger.get(), options);
}

}  // namespace saleslake::pipeline

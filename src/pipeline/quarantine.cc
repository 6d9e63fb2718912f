#include "pipeline/quarantine.h"

#include "base/clock.h"
#include "base/hash.h"
#include "base/json_writer.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/transform_io.h"
#include "pipeline/transform_land.h"
#include "table/sales_validator.h"

namespace saleslake::pipeline {
namespace {

bool HasReason(std::string_view reasons, std::string_view reason) {
  if (reason.empty()) return true;
  while (!reasons.empty()) {
    size_t comma = reasons.find(',');
    if (reasons.substr(0, comma) == reason) return true;
    if (comma == std::string_view::npos) break;
    reasons.remove_prefix(comma + 1);
  }
  return false;
}

Status CheckReasonName(const std::string& reason) {
  if (reason.empty()) return Status::OK();
  for (int bit = 0; bit < table::kReasonCount; ++bit) {
    if (table::ReasonName(static_cast<table::Reason>(1u << bit)) == reason) return Status::OK();
  }
  return Status::InvalidArgument("unknown reason '" + reason +
                                 "': use a code such as bad_email, unknown_store, "
                                 "duplicate_conflict (see docs/pipeline.md)");
}

// Calls `each(record, ingested_at, source)` for every row of a quarantine file.
template <typename Fn>
Status ForEachRecord(io::FileSystem& fs, const lake::LedgerFile& file, Fn&& each) {
  SL_ASSIGN_OR_RETURN(auto reader, OpenLakeFile(fs, file.path));
  std::vector<std::string> names;
  for (const auto& c : QuarantineSalesColumns()) names.push_back(c.name);
  SL_ASSIGN_OR_RETURN(std::vector<int> projection, reader->schema().ResolveProjection(names));
  QuarantinedRecord r;
  r.path = file.path;
  for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
    SL_ASSIGN_OR_RETURN(auto cols, reader->ReadRowGroup(rg, projection));
    for (int64_t i = 0; i < cols[0].length; ++i) {
      r.reason.assign(cols[kQuarantineReason].binaries[i]);
      r.detail.assign(cols[kQuarantineDetail].binaries[i]);
      r.raw.assign(cols[kQuarantineRaw].binaries[i]);
      r.record_index = cols[kQuarantineRecordIndex].int64s[i];
      r.batch_id.assign(cols[kQuarantineBatchId].binaries[i]);
      int64_t ingested_at = cols[kQuarantineIngestedAt].int64s[i];
      std::string_view source = cols[kQuarantineSource].binaries[i];
      SL_RETURN_IF_ERROR(each(r, ingested_at, source));
    }
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<QuarantinedRecord>> ListQuarantine(io::FileSystem& fs,
                                                      const lake::LedgerState& state,
                                                      const std::string& reason, uint64_t limit) {
  SL_RETURN_IF_ERROR(CheckReasonName(reason));
  std::vector<QuarantinedRecord> out;
  for (const lake::LedgerFile& f : state.FilesOf(kQuarantineSalesTable)) {
    if (limit != 0 && out.size() >= limit) break;
    SL_RETURN_IF_ERROR(
        ForEachRecord(fs, f, [&](const QuarantinedRecord& r, int64_t, std::string_view) -> Status {
          if ((limit == 0 || out.size() < limit) && HasReason(r.reason, reason)) out.push_back(r);
          return Status::OK();
        }));
  }
  return out;
}

std::string ReplayResult::ToJson() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("committed", committed);
  w.Field("seq", seq);
  w.Field("run_id", run_id);
  w.Field("examined", examined);
  w.Field("moved_to_main", moved_to_main);
  w.Field("still_quarantined", still_quarantined);
  w.Field("dropped_duplicates", dropped_duplicates);
  w.Key("moved_by_batch");
  w.BeginObject();
  for (const auto& [b, n] : moved_by_batch) w.Field(b, n);
  w.EndObject();
  w.EndObject();
  return out;
}

Result<ReplayResult> RunReplay(std::shared_ptr<io::FileSystem> fs, lake::Ledger* ledger,
                               const ReplayOptions& options) {
  SL_RETURN_IF_ERROR(CheckReasonName(options.reason));
  const lake::LedgerState& state = ledger->state();
  table::ValidationOptions vopts;
  vopts.now_micros = options.now_micros != 0 ? options.now_micros : NowMicros();
  vopts.reference = options.reference;
  table::SalesValidator validator(vopts);

  ReplayResult result;
  SaleSpill sales(options.spill_budget_bytes);
  Spill kept(options.spill_budget_bytes / 4);  // quarantine rows that stay, by batch ordinal
  std::vector<BatchInfo> batches;
  std::map<std::pair<std::string, std::string>, uint32_t> ordinal;  // (file, batch) -> ordinal
  std::vector<std::string> touched;  // quarantine files that lose rows
  std::string run_key = "replay\n" + std::to_string(state.last_seq) + "\n" + options.reason;
  LandingCounts counts;

  for (const lake::LedgerFile& f : state.FilesOf(kQuarantineSalesTable)) {
    uint64_t moved_here = 0;
    std::string kept_bytes_before;
    Status s = ForEachRecord(
        *fs, f,
        [&](const QuarantinedRecord& r, int64_t ingested_at, std::string_view source) -> Status {
          auto [it, inserted] = ordinal.try_emplace(std::make_pair(f.path, r.batch_id),
                                                    static_cast<uint32_t>(batches.size()));
          if (inserted) {
            BatchInfo& b = batches.emplace_back();
            b.id = r.batch_id;
            b.source = std::string(source);
            b.ingested_at = ingested_at;
            b.quarantine_partition = f.partition;
          }
          const uint32_t batch = it->second;
          bool moves = false;
          if (HasReason(r.reason, options.reason)) {
            ++result.examined;
            const table::ParsedSale& sale = validator.Validate(r.raw);
            if (sale.clean()) {
              moves = true;
              SL_RETURN_IF_ERROR(sales.AddSale(
                  BusinessDay(sale.timestamp_micros, options.business_utc_offset_seconds), sale,
                  batch, r.record_index, r.raw));
            }
          }
          if (moves) {
            ++moved_here;
            return Status::OK();
          }
          QuarantineRow q{r.reason, r.detail, r.raw, r.record_index};
          std::string* out = kept.Buffer(batch);
          size_t before = out->size();
          EncodeQuarantineRow(q, out);
          return kept.Appended(out->size() - before);
        });
    SL_RETURN_IF_ERROR(s);
    if (moved_here > 0) {
      touched.push_back(f.path);
      run_key += "\n" + f.path;
    } else {
      // Nothing of this file moves: its rows stay where they are, not rewritten.
      for (const auto& [key, ord] : ordinal) {
        if (key.first != f.path) continue;
        SL_ASSIGN_OR_RETURN(std::string unchanged, kept.Take(ord));
      }
    }
  }
  if (touched.empty()) return result;

  lake::LedgerCommit commit;
  commit.kind = "replay";
  commit.run_id = "replay-" + Sha256Hex(run_key).substr(0, 16);
  result.run_id = commit.run_id;
  SL_RETURN_IF_ERROR(
      LandSales(*fs, state, run_key, batches, /*threads=*/1, &sales, &kept, &counts, &commit));
  SL_RETURN_IF_ERROR(
      WriteQuarantineFiles(*fs, batches, &kept, "r" + Sha256Hex(run_key).substr(0, 12), &commit));
  for (const std::string& path : touched) commit.removed.push_back(path);

  result.moved_to_main = counts.rows_main;
  result.dropped_duplicates = counts.dropped_duplicates;
  result.still_quarantined = result.examined - counts.rows_main - counts.dropped_duplicates;
  std::string details;
  JsonWriter w(&details);
  w.BeginObject();
  w.Field("reason", options.reason);
  w.Field("examined", result.examined);
  w.Field("rows_main", counts.rows_main);
  w.Field("dropped_duplicates", counts.dropped_duplicates);
  w.Field("still_quarantined", result.still_quarantined);
  w.Key("replayed_files");
  w.BeginArray();
  for (const std::string& p : touched) w.String(p);
  w.EndArray();
  w.EndObject();
  commit.details_json = details;
  SL_RETURN_IF_ERROR(ledger->Commit(&commit));
  result.committed = true;
  result.seq = commit.seq;
  // Per source batch: what moved (main rows carry _batch_id; count them from the commit's files).
  for (const lake::LedgerFile& f : commit.added) {
    if (f.table != kMainSalesTable) continue;
    SL_ASSIGN_OR_RETURN(auto reader, OpenLakeFile(*fs, f.path));
    for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
      SL_ASSIGN_OR_RETURN(auto cols, reader->ReadRowGroup(rg, {kMainBatchId}));
      for (int64_t i = 0; i < cols[0].length; ++i) {
        ++result.moved_by_batch[std::string(cols[0].binaries[i])];
      }
    }
  }
  return result;
}

}  // namespace saleslake::pipeline

#include "pipeline/transform_land.h"

#include <algorithm>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <set>
#include <unordered_map>

#include "base/clock.h"
#include "base/ordered_pipeline.h"
#include "parquet/bloom_filter.h"
#include "parquet/writer/file_writer.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/transform_io.h"
#include "pipeline/transform_passes.h"

namespace saleslake::pipeline {
namespace {

using parquet::ColumnBuffer;
using table::SalesField;

constexpr int64_t kMicrosPerDay = 86'400'000'000LL;
// What the days landing at once may take (see LandSales).
constexpr size_t kLandingBudgetBytes = 160 << 20;

// Gives the pages malloc keeps after a phase back to the system: what pass 1 freed would
// otherwise stay resident under the day being landed, and count in the peak.
void ReleaseFreedMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

// Whether row `r` of main/sales columns (read in MainSalesColumns() order) is sale `i`.
bool SameAsMain(const std::vector<parquet::ColumnVector>& cols, int64_t r, const SaleColumns& rows,
                size_t i) {
  for (const auto& info : table::SalesFields()) {
    const int f = static_cast<int>(info.field);
    switch (info.field) {
      case SalesField::kTimestamp:
        if (cols[f].int64s[r] != rows.timestamp(i)) return false;
        break;
      case SalesField::kRetailPrice:
        if (cols[f].int64s[r] != rows.retail_price(i)) return false;
        break;
      case SalesField::kQuantity:
        if (cols[f].int32s[r] != rows.quantity(i)) return false;
        break;
      case SalesField::kMrp:
        if (cols[f].int64s[r] != rows.mrp(i)) return false;
        break;
      case SalesField::kTotal:
        if (cols[f].int64s[r] != rows.total(i)) return false;
        break;
      default:
        if (cols[f].BinaryAt(r) != rows.text(info.field, i)) return false;
    }
  }
  return true;
}

std::string ConflictRow(const SaleColumns& rows, size_t i) {
  QuarantineRow q;
  q.reason = table::ReasonsToString(table::kDuplicateConflict);
  q.detail =
      "transaction_id " + std::string(rows.id(i)) + " is already kept with different content";
  q.raw = rows.raw(i).empty() ? rows.ToJson(i) : std::string(rows.raw(i));
  q.record_index = rows.record_index(i);
  std::string out;
  EncodeQuarantineRow(q, &out);
  return out;
}

// Marks candidates that main already holds: identical ones are dropped (1), different ones
// conflict (2). Only row groups whose bloom filter may hold an id are read, and of those only
// transaction_id unless an id is found.
Status CheckAgainstMain(io::FileSystem& fs, const std::vector<lake::LedgerFile>& files,
                        const SaleColumns& rows, const std::vector<uint32_t>& candidates,
                        const std::vector<uint64_t>& hashes, std::vector<int8_t>* verdict) {
  std::unordered_map<std::string_view, size_t> by_id;
  by_id.reserve(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) by_id.emplace(rows.id(candidates[i]), i);
  const std::vector<parquet::ColumnSpec> columns = MainSalesColumns();

  for (const lake::LedgerFile& file : files) {
    SL_ASSIGN_OR_RETURN(auto reader, OpenLakeFile(fs, file.path));
    SL_RETURN_IF_ERROR(CheckSchemaCompatible(*reader, columns));
    SL_ASSIGN_OR_RETURN(int id_col, reader->schema().FindColumn("transaction_id"));
    for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
      SL_ASSIGN_OR_RETURN(auto bitset, reader->ReadBloomFilter(rg, id_col));
      if (bitset.has_value()) {
        SL_ASSIGN_OR_RETURN(auto bloom, parquet::SplitBlockBloomFilter::FromBitset(*bitset));
        bool any = false;
        for (size_t i = 0; i < hashes.size() && !any; ++i) {
          any = (*verdict)[i] == 0 && bloom.MightContainHash(hashes[i]);
        }
        if (!any) continue;
      }
      SL_ASSIGN_OR_RETURN(auto ids, reader->ReadRowGroup(rg, {id_col}));
      std::vector<parquet::ColumnVector> full;
      for (int64_t r = 0; r < ids[0].length; ++r) {
        auto hit = by_id.find(ids[0].BinaryAt(r));
        if (hit == by_id.end() || (*verdict)[hit->second] != 0) continue;
        if (full.empty()) {
          std::vector<int> all;
          for (int c = 0; c < table::kSalesFieldCount; ++c) {
            SL_ASSIGN_OR_RETURN(int index, reader->schema().FindColumn(columns[c].name));
            all.push_back(index);
          }
          SL_ASSIGN_OR_RETURN(full, reader->ReadRowGroup(rg, all));
        }
        (*verdict)[hit->second] = SameAsMain(full, r, rows, candidates[hit->second]) ? 1 : 2;
      }
    }
  }
  return Status::OK();
}

// Writes rows `kept` of `rows` (in that order) as one main/sales file, gathering a row group's
// worth of rows at a time into the writer's column buffers.
Status WriteMainFile(io::FileSystem& fs, const std::string& path, const std::string& partition,
                     const SaleColumns& rows, const std::vector<uint32_t>& kept,
                     const std::vector<BatchInfo>& batches, lake::LedgerFile* file) {
  const std::vector<parquet::ColumnSpec> columns = MainSalesColumns();
  SL_ASSIGN_OR_RETURN(parquet::WriterOptions options, LakeWriterOptions(kMainSalesTable));
  SL_ASSIGN_OR_RETURN(auto out, fs.OpenForWrite(lake::PendingPath(path)));
  SL_ASSIGN_OR_RETURN(auto writer,
                      parquet::ParquetFileWriter::Open(std::move(out), columns, options));
  std::vector<ColumnBuffer> b = MakeBuffers(columns);
  const size_t chunk = static_cast<size_t>(kLakeRowGroupRows);
  for (size_t begin = 0; begin < kept.size(); begin += chunk) {
    const size_t end = std::min(kept.size(), begin + chunk);
    for (auto& buffer : b) {
      buffer.Clear();
      buffer.Reserve(end - begin);
    }
    for (const auto& info : table::SalesFields()) {
      const int f = static_cast<int>(info.field);
      ColumnBuffer& to = b[f];
      switch (info.field) {
        case SalesField::kTimestamp:
          for (size_t k = begin; k < end; ++k) to.AppendInt64(rows.timestamp(kept[k]));
          break;
        case SalesField::kRetailPrice:
          for (size_t k = begin; k < end; ++k) to.AppendInt64(rows.retail_price(kept[k]));
          break;
        case SalesField::kQuantity:
          for (size_t k = begin; k < end; ++k) {
            to.AppendInt32(static_cast<int32_t>(rows.quantity(kept[k])));
          }
          break;
        case SalesField::kMrp:
          for (size_t k = begin; k < end; ++k) to.AppendInt64(rows.mrp(kept[k]));
          break;
        case SalesField::kTotal:
          for (size_t k = begin; k < end; ++k) to.AppendInt64(rows.total(kept[k]));
          break;
        default:
          for (size_t k = begin; k < end; ++k) to.AppendBytes(rows.text(info.field, kept[k]));
      }
    }
    for (size_t k = begin; k < end; ++k) {
      b[kMainBatchId].AppendBytes(batches[rows.batch(kept[k])].id);
    }
    SL_RETURN_IF_ERROR(writer->Write(b));
  }
  SL_RETURN_IF_ERROR(writer->Close());
  file->path = path;
  file->table = std::string(kMainSalesTable);
  file->partition = partition;
  file->rows = static_cast<uint64_t>(writer->rows_written());
  file->bytes = static_cast<uint64_t>(writer->file_size());
  return Status::OK();
}

}  // namespace

Status LandDay(const LandingInputs& in, DayWork* w) {
  w->added.clear();
  w->removed.clear();
  w->daily.clear();
  w->conflicts.clear();
  w->dropped = w->kept = 0;
  const SaleColumns& rows = w->rows;
  const size_t n = rows.rows();
  const std::string partition = PartitionName(CivilFromDays(w->day));

  // Within the run: the first occurrence (batch order, then record order) is the candidate.
  // Sorted by a hash of the id first (equal ids meet; the groups' order does not matter), so
  // that most comparisons are of integers held in the key, not of strings.
  struct IdKey {
    uint64_t hash;
    uint32_t row;
  };
  std::vector<IdKey> order(n);
  for (size_t i = 0; i < n; ++i) {
    order[i] = {parquet::SplitBlockBloomFilter::Hash(rows.id(i)), static_cast<uint32_t>(i)};
  }
  std::sort(order.begin(), order.end(), [&rows](const IdKey& a, const IdKey& b) {
    if (a.hash != b.hash) return a.hash < b.hash;
    const std::string_view ia = rows.id(a.row), ib = rows.id(b.row);
    if (ia != ib) return ia < ib;
    if (rows.batch(a.row) != rows.batch(b.row)) return rows.batch(a.row) < rows.batch(b.row);
    return rows.record_index(a.row) < rows.record_index(b.row);
  });
  std::vector<uint32_t> candidates;
  std::vector<uint64_t> hashes;
  candidates.reserve(n);
  hashes.reserve(n);
  for (size_t i = 0; i < order.size();) {
    size_t j = i + 1;
    const uint32_t first = order[i].row;
    candidates.push_back(first);
    hashes.push_back(order[i].hash);
    for (; j < order.size() && order[j].hash == order[i].hash &&
           rows.id(order[j].row) == rows.id(first);
         ++j) {
      const uint32_t other = order[j].row;
      if (rows.SameContent(other, rows, first)) {
        ++w->dropped;
      } else {
        w->conflicts.emplace_back(rows.batch(other), ConflictRow(rows, other));
      }
    }
    i = j;
  }
  std::vector<IdKey>().swap(order);

  // Against main: 0 = new, 1 = identical to a kept sale, 2 = conflicts with one.
  std::vector<int8_t> verdict(candidates.size(), 0);
  if (auto it = in.main_files.find(partition); it != in.main_files.end()) {
    SL_RETURN_IF_ERROR(CheckAgainstMain(in.fs, it->second, rows, candidates, hashes, &verdict));
  }
  std::vector<uint64_t>().swap(hashes);
  std::vector<uint32_t> kept;
  kept.reserve(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (verdict[i] == 0) {
      kept.push_back(candidates[i]);
    } else if (verdict[i] == 1) {
      ++w->dropped;
    } else {
      w->conflicts.emplace_back(rows.batch(candidates[i]), ConflictRow(rows, candidates[i]));
    }
  }
  if (kept.empty()) return Status::OK();
  // By (timestamp, id), with the timestamp in the key.
  std::vector<std::pair<int64_t, uint32_t>> by_time(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) by_time[i] = {rows.timestamp(kept[i]), kept[i]};
  std::sort(by_time.begin(), by_time.end(), [&rows](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return rows.id(a.second) < rows.id(b.second);
  });
  for (size_t i = 0; i < kept.size(); ++i) kept[i] = by_time[i].second;
  std::vector<std::pair<int64_t, uint32_t>>().swap(by_time);

  const std::string dir = std::string(kMainSalesTable) + "/" + partition;
  lake::LedgerFile file;
  SL_RETURN_IF_ERROR(WriteMainFile(in.fs, dir + "/" + PartFileName(in.run_key + "\n" + partition),
                                   partition, rows, kept, in.batches, &file));
  w->added.push_back(std::move(file));
  w->kept = kept.size();

  // The day's rollup: what daily_sales held for the day plus the new sales.
  DailyRollup rollup;
  const int32_t date = static_cast<int32_t>(w->day);
  {
    // In row order, not sale order: the rollup's sums do not depend on it, and reading the
    // columns front to back is what keeps this off the cache misses of a gather.
    std::vector<uint8_t> is_kept(n, 0);
    for (uint32_t r : kept) is_kept[r] = 1;
    SaleRow scratch;
    for (size_t r = 0; r < n; ++r) {
      if (!is_kept[r]) continue;
      rows.ToRow(r, &scratch, /*with_raw=*/false);
      rollup.AddSale(date, scratch);
    }
  }
  if (auto it = in.daily_files.find(partition); it != in.daily_files.end()) {
    for (const lake::LedgerFile& old : it->second) {
      std::vector<DailyRow> old_rows;
      SL_RETURN_IF_ERROR(ReadDailyRows(in.fs, old.path, &old_rows));
      for (const DailyRow& d : old_rows) rollup.AddDaily(d);
      w->removed.push_back(old.path);
    }
  }
  w->daily = rollup.Rows();
  lake::LedgerFile daily_file;
  std::string daily_path = std::string(kDailySalesTable) + "/" + partition + "/" +
                           PartFileName(in.run_key + "\ndaily\n" + partition);
  SL_RETURN_IF_ERROR(WriteDailyRows(in.fs, daily_path, partition, w->daily, &daily_file));
  w->added.push_back(std::move(daily_file));
  return Status::OK();
}

void LandingCounts::CountQuarantined(uint32_t reasons) {
  ++rows_quarantined;
  for (int bit = 0; bit < table::kReasonCount; ++bit) {
    if (reasons & (1u << bit)) {
      ++quarantine_by_reason[std::string(table::ReasonName(static_cast<table::Reason>(1u << bit)))];
    }
  }
}

int64_t BusinessDay(int64_t micros, int32_t utc_offset_seconds) {
  int64_t local = micros + int64_t{utc_offset_seconds} * 1'000'000;
  int64_t day = local / kMicrosPerDay;
  if (local % kMicrosPerDay < 0) --day;
  return day;
}

Status LandSales(io::FileSystem& fs, const lake::LedgerState& state, const std::string& run_key,
                 const std::vector<BatchInfo>& batches, int threads, SaleSpill* sales,
                 Spill* quarantine, LandingCounts* counts, lake::LedgerCommit* commit) {
  std::map<std::string, std::vector<lake::LedgerFile>> main_files, daily_files;
  for (lake::LedgerFile& f : state.FilesOf(kMainSalesTable)) main_files[f.partition].push_back(f);
  for (lake::LedgerFile& f : state.FilesOf(kDailySalesTable)) daily_files[f.partition].push_back(f);
  std::set<std::string> rewritten_daily;
  AggregateTables aggregates;
  const LandingInputs in{fs, run_key, batches, main_files, daily_files};

  // Days land on `threads` threads; their results join the commit in day order. A day in flight
  // holds its sales about three times over (the columns, the writer's row group, its pages), so
  // fewer days land at once when the largest would not fit the budget that many times.
  SL_RETURN_IF_ERROR(sales->FinishAdding());
  ReleaseFreedMemory();
  const std::vector<int64_t> days = sales->Keys();
  size_t largest = 1;
  for (int64_t day : days) largest = std::max(largest, sales->Bytes(day));
  threads = static_cast<int>(std::clamp<size_t>(kLandingBudgetBytes / (3 * largest), 1,
                                                static_cast<size_t>(std::max(1, threads))));
  std::vector<DayWork> slots(static_cast<size_t>(threads));
  OrderedPipeline pipeline(
      threads, slots.size(), [&](size_t slot, int) { return LandDay(in, &slots[slot]); },
      [&](size_t slot) -> Status {
        DayWork& w = slots[slot];
        w.rows.Clear();
        counts->dropped_duplicates += w.dropped;
        for (auto& [batch, row] : w.conflicts) {
          quarantine->Buffer(batch)->append(row);
          counts->CountQuarantined(table::kDuplicateConflict);
          SL_RETURN_IF_ERROR(quarantine->Appended(row.size()));
        }
        if (w.kept == 0) return Status::OK();
        counts->rows_main += w.kept;
        ++counts->partitions;
        for (const DailyRow& d : w.daily) aggregates.Add(d);
        rewritten_daily.insert(PartitionName(CivilFromDays(w.day)));
        for (lake::LedgerFile& f : w.added) commit->added.push_back(std::move(f));
        for (std::string& p : w.removed) commit->removed.push_back(std::move(p));
        return Status::OK();
      });
  for (int64_t day : days) {
    SL_ASSIGN_OR_RETURN(size_t slot, pipeline.Acquire());
    slots[slot].day = day;
    SL_RETURN_IF_ERROR(sales->Take(day, &slots[slot].rows));
    pipeline.Submit(slot);
  }
  SL_RETURN_IF_ERROR(pipeline.Finish());

  // The untouched days still count in the aggregates over all of main.
  for (const auto& [partition, files] : daily_files) {
    if (rewritten_daily.count(partition)) continue;
    for (const lake::LedgerFile& f : files) {
      std::vector<DailyRow> rows;
      SL_RETURN_IF_ERROR(ReadDailyRows(fs, f.path, &rows));
      for (const DailyRow& d : rows) aggregates.Add(d);
    }
  }
  return aggregates.Write(fs, state, run_key, commit);
}

Status WriteQuarantineFiles(io::FileSystem& fs, const std::vector<BatchInfo>& batches,
                            Spill* quarantine, const std::string& name_suffix,
                            lake::LedgerCommit* commit) {
  const std::vector<parquet::ColumnSpec> columns = QuarantineSalesColumns();
  SL_ASSIGN_OR_RETURN(parquet::WriterOptions options, LakeWriterOptions(kQuarantineSalesTable));
  // Rejected records can be long (an oversized one is over 64 KiB): the writer gets them a few
  // MiB at a time, and a row group ends at 16 MiB of them, so a batch's quarantine is held about
  // once (its encoded bytes), not three times over.
  constexpr size_t kChunkBytes = 8 << 20;
  options.row_group_bytes = 16 << 20;
  ReleaseFreedMemory();
  std::vector<ColumnBuffer> b = MakeBuffers(columns);
  for (int64_t key : quarantine->Keys()) {
    const BatchInfo& batch = batches.at(static_cast<size_t>(key));
    SL_ASSIGN_OR_RETURN(std::string bytes, quarantine->Take(key));
    std::vector<QuarantineView> rows;
    SL_RETURN_IF_ERROR(DecodeQuarantineViews(bytes, &rows));
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return a.record_index < b.record_index; });
    std::string name = name_suffix.empty() ? BatchFileName(batch.id)
                                           : "batch-" + batch.id + "-" + name_suffix + ".parquet";
    std::string path =
        std::string(kQuarantineSalesTable) + "/" + batch.quarantine_partition + "/" + name;
    SL_ASSIGN_OR_RETURN(auto out, fs.OpenForWrite(lake::PendingPath(path)));
    SL_ASSIGN_OR_RETURN(auto writer,
                        parquet::ParquetFileWriter::Open(std::move(out), columns, options));
    size_t chunk_rows = 0, chunk_bytes = 0;
    auto flush = [&]() -> Status {
      if (chunk_rows == 0) return Status::OK();
      SL_RETURN_IF_ERROR(writer->Write(b));
      for (auto& buffer : b) buffer.Clear();
      chunk_rows = chunk_bytes = 0;
      return Status::OK();
    };
    for (const QuarantineView& r : rows) {
      b[kQuarantineReason].AppendBytes(r.reason);
      b[kQuarantineDetail].AppendBytes(r.detail);
      b[kQuarantineRaw].AppendBytes(r.raw);
      b[kQuarantineRecordIndex].AppendInt64(r.record_index);
      b[kQuarantineBatchId].AppendBytes(batch.id);
      b[kQuarantineIngestedAt].AppendInt64(batch.ingested_at);
      b[kQuarantineSource].AppendBytes(batch.source);
      ++chunk_rows;
      chunk_bytes += r.raw.size() + r.detail.size();
      if (chunk_bytes >= kChunkBytes || chunk_rows >= static_cast<size_t>(kLakeRowGroupRows)) {
        SL_RETURN_IF_ERROR(flush());
      }
    }
    SL_RETURN_IF_ERROR(flush());
    SL_RETURN_IF_ERROR(writer->Close());
    lake::LedgerFile file;
    file.path = path;
    file.table = std::string(kQuarantineSalesTable);
    file.partition = batch.quarantine_partition;
    file.rows = static_cast<uint64_t>(writer->rows_written());
    file.bytes = static_cast<uint64_t>(writer->file_size());
    commit->added.push_back(std::move(file));
  }
  return Status::OK();
}

}  // namespace saleslake::pipeline

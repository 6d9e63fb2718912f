#include "pipeline/transform_land.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "base/clock.h"
#include "parquet/bloom_filter.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/transform_io.h"

namespace saleslake::pipeline {
namespace {

using parquet::ColumnBuffer;
using table::SalesField;

constexpr int64_t kMicrosPerDay = 86'400'000'000LL;

// Fills a SaleRow from row `i` of main/sales columns read in MainSalesColumns() order.
void SaleRowFromMain(const std::vector<parquet::ColumnVector>& cols, int64_t i, SaleRow* row) {
  for (const auto& info : table::SalesFields()) {
    int f = static_cast<int>(info.field);
    switch (info.field) {
      case SalesField::kTimestamp:
        row->timestamp_micros = cols[f].int64s[i];
        break;
      case SalesField::kRetailPrice:
        row->retail_price = cols[f].int64s[i];
        break;
      case SalesField::kQuantity:
        row->quantity = cols[f].int32s[i];
        break;
      case SalesField::kMrp:
        row->mrp = cols[f].int64s[i];
        break;
      case SalesField::kTotal:
        row->total = cols[f].int64s[i];
        break;
      default:
        row->text[f].assign(cols[f].binaries[i]);
    }
  }
}

QuarantineRow ConflictRow(const SaleRow& row) {
  QuarantineRow q;
  q.reason = table::ReasonsToString(table::kDuplicateConflict);
  q.detail = "transaction_id " + row.id() + " is already kept with different content";
  q.raw = row.raw.empty() ? row.ToJson() : row.raw;
  q.record_index = row.record_index;
  return q;
}

// Marks candidates that main already holds: identical ones are dropped (`drop`), different ones
// conflict. Only row groups whose bloom filter may hold an id are read, and of those only
// transaction_id unless an id is found.
Status CheckAgainstMain(io::FileSystem& fs, const std::vector<lake::LedgerFile>& files,
                        const std::vector<SaleRow*>& candidates, std::vector<int8_t>* verdict) {
  std::unordered_map<std::string_view, size_t> by_id;
  for (size_t i = 0; i < candidates.size(); ++i) by_id.emplace(candidates[i]->id(), i);
  std::vector<uint64_t> hashes;
  hashes.reserve(candidates.size());
  for (SaleRow* c : candidates) hashes.push_back(parquet::SplitBlockBloomFilter::Hash(c->id()));
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
        auto hit = by_id.find(ids[0].binaries[r]);
        if (hit == by_id.end() || (*verdict)[hit->second] != 0) continue;
        if (full.empty()) {
          std::vector<int> all;
          for (int c = 0; c < table::kSalesFieldCount; ++c) {
            SL_ASSIGN_OR_RETURN(int index, reader->schema().FindColumn(columns[c].name));
            all.push_back(index);
          }
          SL_ASSIGN_OR_RETURN(full, reader->ReadRowGroup(rg, all));
        }
        SaleRow kept;
        SaleRowFromMain(full, r, &kept);
        (*verdict)[hit->second] = kept.SameContent(*candidates[hit->second]) ? 1 : 2;
      }
    }
  }
  return Status::OK();
}

Status WriteMainFile(io::FileSystem& fs, const std::string& path, const std::string& partition,
                     const std::vector<const SaleRow*>& rows, const std::vector<BatchInfo>& batches,
                     lake::LedgerFile* file) {
  std::vector<parquet::ColumnSpec> columns = MainSalesColumns();
  std::vector<ColumnBuffer> b = MakeBuffers(columns);
  for (auto& buffer : b) buffer.Reserve(rows.size());
  for (const SaleRow* r : rows) {
    for (const auto& info : table::SalesFields()) {
      int f = static_cast<int>(info.field);
      switch (info.field) {
        case SalesField::kTimestamp:
          b[f].AppendInt64(r->timestamp_micros);
          break;
        case SalesField::kRetailPrice:
          b[f].AppendInt64(r->retail_price);
          break;
        case SalesField::kQuantity:
          b[f].AppendInt32(static_cast<int32_t>(r->quantity));
          break;
        case SalesField::kMrp:
          b[f].AppendInt64(r->mrp);
          break;
        case SalesField::kTotal:
          b[f].AppendInt64(r->total);
          break;
        default:
          b[f].AppendBytes(r->text[f]);
      }
    }
    b[kMainBatchId].AppendBytes(batches[r->batch].id);
  }
  SL_ASSIGN_OR_RETURN(parquet::WriterOptions options, LakeWriterOptions(kMainSalesTable));
  SL_ASSIGN_OR_RETURN(*file,
                      WritePendingFile(fs, path, kMainSalesTable, partition, columns, options, b));
  return Status::OK();
}

}  // namespace

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
                 const std::vector<BatchInfo>& batches, Spill* sales, Spill* quarantine,
                 LandingCounts* counts, lake::LedgerCommit* commit) {
  std::map<std::string, std::vector<lake::LedgerFile>> main_files, daily_files;
  for (lake::LedgerFile& f : state.FilesOf(kMainSalesTable)) main_files[f.partition].push_back(f);
  for (lake::LedgerFile& f : state.FilesOf(kDailySalesTable)) daily_files[f.partition].push_back(f);
  std::set<std::string> rewritten_daily;
  AggregateTables aggregates;

  for (int64_t day : sales->Keys()) {
    SL_ASSIGN_OR_RETURN(std::string bytes, sales->Take(day));
    std::vector<SaleRow> rows;
    SL_RETURN_IF_ERROR(DecodeSaleRows(bytes, &rows));
    std::string().swap(bytes);
    const std::string partition = PartitionName(CivilFromDays(day));

    // Within the run: the first occurrence (batch order, then record order) is the candidate.
    // Sorted by a hash of the id first (equal ids meet; the groups' order does not matter), so
    // that most comparisons are of integers held in the key, not of strings behind pointers.
    struct IdKey {
      uint64_t hash;
      SaleRow* row;
    };
    std::vector<IdKey> order;
    order.reserve(rows.size());
    for (SaleRow& r : rows) order.push_back({parquet::SplitBlockBloomFilter::Hash(r.id()), &r});
    std::sort(order.begin(), order.end(), [](const IdKey& a, const IdKey& b) {
      if (a.hash != b.hash) return a.hash < b.hash;
      if (a.row->id() != b.row->id()) return a.row->id() < b.row->id();
      if (a.row->batch != b.row->batch) return a.row->batch < b.row->batch;
      return a.row->record_index < b.row->record_index;
    });
    std::vector<SaleRow*> candidates;
    for (size_t i = 0; i < order.size();) {
      size_t j = i + 1;
      const SaleRow& first = *order[i].row;
      candidates.push_back(order[i].row);
      for (; j < order.size() && order[j].hash == order[i].hash && order[j].row->id() == first.id();
           ++j) {
        const SaleRow& other = *order[j].row;
        if (other.SameContent(first)) {
          ++counts->dropped_duplicates;
        } else {
          EncodeQuarantineRow(ConflictRow(other), quarantine->Buffer(other.batch));
          counts->CountQuarantined(table::kDuplicateConflict);
        }
      }
      i = j;
    }

    // Against main: 0 = new, 1 = identical to a kept sale, 2 = conflicts with one.
    std::vector<int8_t> verdict(candidates.size(), 0);
    if (auto it = main_files.find(partition); it != main_files.end()) {
      SL_RETURN_IF_ERROR(CheckAgainstMain(fs, it->second, candidates, &verdict));
    }
    std::vector<const SaleRow*> kept;
    kept.reserve(candidates.size());
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (verdict[i] == 0) {
        kept.push_back(candidates[i]);
      } else if (verdict[i] == 1) {
        ++counts->dropped_duplicates;
      } else {
        EncodeQuarantineRow(ConflictRow(*candidates[i]), quarantine->Buffer(candidates[i]->batch));
        counts->CountQuarantined(table::kDuplicateConflict);
      }
    }
    SL_RETURN_IF_ERROR(quarantine->Appended(0));
    if (kept.empty()) continue;
    {
      // By (timestamp, id), with the timestamp in the key.
      std::vector<std::pair<int64_t, const SaleRow*>> by_time;
      by_time.reserve(kept.size());
      for (const SaleRow* r : kept) by_time.emplace_back(r->timestamp_micros, r);
      std::sort(by_time.begin(), by_time.end(), [](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first < b.first;
        return a.second->id() < b.second->id();
      });
      for (size_t i = 0; i < kept.size(); ++i) kept[i] = by_time[i].second;
    }
    const std::string dir = std::string(kMainSalesTable) + "/" + partition;
    lake::LedgerFile file;
    SL_RETURN_IF_ERROR(WriteMainFile(fs, dir + "/" + PartFileName(run_key + "\n" + partition),
                                     partition, kept, batches, &file));
    commit->added.push_back(std::move(file));
    counts->rows_main += kept.size();
    ++counts->partitions;

    // The day's rollup: what daily_sales held for the day plus the new sales.
    DailyRollup rollup;
    const int32_t date = static_cast<int32_t>(day);
    for (const SaleRow* r : kept) rollup.AddSale(date, *r);
    if (auto it = daily_files.find(partition); it != daily_files.end()) {
      for (const lake::LedgerFile& old : it->second) {
        std::vector<DailyRow> old_rows;
        SL_RETURN_IF_ERROR(ReadDailyRows(fs, old.path, &old_rows));
        for (const DailyRow& d : old_rows) rollup.AddDaily(d);
        commit->removed.push_back(old.path);
      }
    }
    std::vector<DailyRow> daily = rollup.Rows();
    for (const DailyRow& d : daily) aggregates.Add(d);
    lake::LedgerFile daily_file;
    std::string daily_path = std::string(kDailySalesTable) + "/" + partition + "/" +
                             PartFileName(run_key + "\ndaily\n" + partition);
    SL_RETURN_IF_ERROR(WriteDailyRows(fs, daily_path, partition, daily, &daily_file));
    commit->added.push_back(std::move(daily_file));
    rewritten_daily.insert(partition);
  }

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
  for (int64_t key : quarantine->Keys()) {
    const BatchInfo& batch = batches.at(static_cast<size_t>(key));
    SL_ASSIGN_OR_RETURN(std::string bytes, quarantine->Take(key));
    std::vector<QuarantineRow> rows;
    SL_RETURN_IF_ERROR(DecodeQuarantineRows(bytes, &rows));
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return a.record_index < b.record_index; });
    std::vector<ColumnBuffer> b = MakeBuffers(columns);
    for (const QuarantineRow& r : rows) {
      b[kQuarantineReason].AppendBytes(r.reason);
      b[kQuarantineDetail].AppendBytes(r.detail);
      b[kQuarantineRaw].AppendBytes(r.raw);
      b[kQuarantineRecordIndex].AppendInt64(r.record_index);
      b[kQuarantineBatchId].AppendBytes(batch.id);
      b[kQuarantineIngestedAt].AppendInt64(batch.ingested_at);
      b[kQuarantineSource].AppendBytes(batch.source);
    }
    std::string name = name_suffix.empty() ? BatchFileName(batch.id)
                                           : "batch-" + batch.id + "-" + name_suffix + ".parquet";
    std::string path =
        std::string(kQuarantineSalesTable) + "/" + batch.quarantine_partition + "/" + name;
    SL_ASSIGN_OR_RETURN(lake::LedgerFile file,
                        WritePendingFile(fs, path, kQuarantineSalesTable,
                                         batch.quarantine_partition, columns, options, b));
    commit->added.push_back(std::move(file));
  }
  return Status::OK();
}

}  // namespace saleslake::pipeline

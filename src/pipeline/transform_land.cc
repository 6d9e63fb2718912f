#include "pipeline/transform_land.h"

#include <algorithm>
#include <limits>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <memory>
#include <set>
#include <span>
#include <unordered_map>

#include "base/clock.h"
#include "base/ordered_pipeline.h"
#include "parquet/bloom_filter.h"
#include "parquet/writer/file_writer.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/transform_io.h"
#include "pipeline/transform_passes.h"
#include "table/column_batch.h"

namespace saleslake::pipeline {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000LL;

using parquet::ColumnBuffer;
using table::SalesField;

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

// Which dictionary index of a row group's column buffers each entry of a list (a catalog's
// stores, the run's batches) has, for the entries added so far; cleared per row group at the cost
// of the entries added, not of the list.
class DictionaryIndices {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t Find(uint32_t entry) const { return entry < at_.size() ? at_[entry] : kNone; }
  void Set(uint32_t entry, uint32_t index) {
    if (entry >= at_.size()) at_.resize(entry + 1, kNone);
    at_[entry] = index;
    added_.push_back(entry);
  }
  // The index of `entry` in `to`'s dictionary, adding text_of(entry) on its first use.
  template <typename TextOf>
  uint32_t IndexOf(uint32_t entry, ColumnBuffer& to, TextOf text_of) {
    uint32_t at = Find(entry);
    if (at == kNone) {
      at = to.AddDictionaryValue(text_of(entry));
      Set(entry, at);
    }
    return at;
  }
  void Clear() {
    for (uint32_t e : added_) at_[e] = kNone;
    added_.clear();
  }

 private:
  std::vector<uint32_t> at_;
  std::vector<uint32_t> added_;
};

// One main/sales file being written: rows are gathered a row group's worth at a time into the
// writer's column buffers, and each row group, once written, is rolled up into the day's
// daily_sales rows from those same buffers (DailyRollup::AddBatch).
class MainFileWriter {
 public:
  // `batch` holds a row group's rows on their way (its buffers' memory reused from day to day).
  MainFileWriter(const std::vector<BatchInfo>& batches, int32_t date, DailyRollup* rollup,
                 table::ColumnBatch* batch)
      : batches_(batches), date_(date), rollup_(rollup), batch_(*batch) {
    batch_.Clear();
  }

  Status Open(io::FileSystem& fs, const std::string& path) {
    path_ = path;
    SL_ASSIGN_OR_RETURN(parquet::WriterOptions options, LakeWriterOptions(kMainSalesTable));
    SL_ASSIGN_OR_RETURN(auto out, fs.OpenForWrite(lake::PendingPath(path)));
    SL_ASSIGN_OR_RETURN(writer_,
                        parquet::ParquetFileWriter::Open(std::move(out), batch_.schema(), options));
    return Status::OK();
  }

  // Appends rows `which` of `rows`, in that order. Row groups hold kLakeRowGroupRows rows (the
  // last one fewer), however the rows arrive.
  Status Append(const SaleColumns& rows, std::span<const uint32_t> which) {
    const size_t group = static_cast<size_t>(kLakeRowGroupRows);
    while (!which.empty()) {
      const size_t take = std::min(which.size(), group - batch_.rows());
      Gather(rows, which.first(take));
      which = which.subspan(take);
      if (batch_.rows() == group) SL_RETURN_IF_ERROR(Flush());
    }
    return Status::OK();
  }

  Status Close(const std::string& partition, lake::LedgerFile* file) {
    SL_RETURN_IF_ERROR(Flush());
    SL_RETURN_IF_ERROR(writer_->Close());
    file->path = path_;
    file->table = std::string(kMainSalesTable);
    file->partition = partition;
    file->rows = static_cast<uint64_t>(writer_->rows_written());
    file->bytes = static_cast<uint64_t>(writer_->file_size());
    return Status::OK();
  }

 private:
  void Gather(const SaleColumns& rows, std::span<const uint32_t> which) {
    const bool coded = rows.catalog() != nullptr;
    for (const auto& info : table::SalesFields()) {
      const int f = static_cast<int>(info.field);
      ColumnBuffer& to = batch_.column(static_cast<size_t>(f));
      switch (info.field) {
        case SalesField::kTimestamp:
          for (uint32_t r : which) to.AppendInt64(rows.timestamp(r));
          break;
        case SalesField::kRetailPrice:
          for (uint32_t r : which) to.AppendInt64(rows.retail_price(r));
          break;
        case SalesField::kQuantity:
          for (uint32_t r : which) to.AppendInt32(static_cast<int32_t>(rows.quantity(r)));
          break;
        case SalesField::kMrp:
          for (uint32_t r : which) to.AppendInt64(rows.mrp(r));
          break;
        case SalesField::kTotal:
          for (uint32_t r : which) to.AppendInt64(rows.total(r));
          break;
        default:
          if (coded && table::IsCatalogField(info.field)) break;  // below, in dictionary form
          if (to.is_dictionary()) {
            // A row group that began with coded rows: each further value is its own entry.
            for (uint32_t r : which)
              to.AppendIndex(to.AddDictionaryValue(rows.text(info.field, r)));
          } else {
            // `which` is in timestamp order, the rows in arrival order: each value is a cache
            // miss unless fetched a few rows ahead.
            constexpr size_t kAhead = 8;
            for (size_t i = 0; i < which.size(); ++i) {
              if (i + kAhead < which.size()) {
                __builtin_prefetch(rows.text(info.field, which[i + kAhead]).data());
              }
              to.AppendBytes(rows.text(info.field, which[i]));
            }
          }
      }
    }
    if (coded) GatherCatalogFields(rows, which);
    ColumnBuffer& ids = batch_.column(kMainBatchId);
    for (uint32_t r : which) {
      ids.AppendIndex(batch_ids_.IndexOf(
          rows.batch(r), ids, [this](uint32_t b) { return std::string_view(batches_[b].id); }));
    }
    // Coded rows name their rollup keys by their catalog indices (all of a row group's rows, or
    // none: then the rollup compares the names).
    if (coded && keys_coded_ && (catalog_ == nullptr || catalog_ == rows.catalog())) {
      catalog_ = rows.catalog();
      for (uint32_t r : which) keys_.push_back(rows.catalog_key(r));
    } else {
      keys_coded_ = false;
    }
  }

  // The seven catalog columns of coded rows, in dictionary form: a store's three names (a
  // product's four) are added to the row group's buffers on its first row there, and every row
  // is an index. Buffers a row group began in plain form (with rows held as strings) keep it.
  void GatherCatalogFields(const SaleColumns& rows, std::span<const uint32_t> which) {
    const table::ReferenceCatalog& catalog = *rows.catalog();
    static constexpr SalesField kStoreFields[] = {SalesField::kStoreId, SalesField::kStoreName,
                                                  SalesField::kStoreLocation};
    static constexpr SalesField kProductFields[] = {SalesField::kProductId,
                                                    SalesField::kProductName, SalesField::kCategory,
                                                    SalesField::kBrand};
    auto gather = [&](std::span<const SalesField> fields, DictionaryIndices& map, auto index_of,
                      auto text_of) {
      ColumnBuffer* cols[4];
      bool dictionary = true;
      for (size_t c = 0; c < fields.size(); ++c) {
        cols[c] = &batch_.column(static_cast<size_t>(fields[c]));
        dictionary = dictionary && (cols[c]->size() == 0 || cols[c]->is_dictionary());
      }
      if (!dictionary) {
        for (SalesField f : fields) {
          ColumnBuffer& to = batch_.column(static_cast<size_t>(f));
          for (uint32_t r : which) to.AppendBytes(rows.text(f, r));
        }
        return;
      }
      indices_.resize(which.size());
      for (size_t i = 0; i < which.size(); ++i) {
        const uint32_t entry = index_of(which[i]);
        uint32_t at = map.Find(entry);
        if (at == DictionaryIndices::kNone) {
          for (size_t c = 0; c < fields.size(); ++c) {
            at = cols[c]->AddDictionaryValue(text_of(entry, fields[c]));
          }
          map.Set(entry, at);
        }
        indices_[i] = at;
      }
      for (size_t c = 0; c < fields.size(); ++c) cols[c]->AppendIndices(indices_);
    };
    if (which.empty()) return;
    gather(
        kStoreFields, store_ids_, [&rows](uint32_t r) { return rows.store(r); },
        [&catalog](uint32_t s, SalesField f) { return table::StoreText(catalog.stores()[s], f); });
    gather(
        kProductFields, product_ids_, [&rows](uint32_t r) { return rows.product(r); },
        [&catalog](uint32_t p, SalesField f) {
          return table::ProductText(catalog.products()[p], f);
        });
  }

  Status Flush() {
    if (batch_.rows() == 0) return Status::OK();
    SL_RETURN_IF_ERROR(writer_->Write(batch_.columns()));
    all_.SelectAll(batch_.rows());
    if (keys_coded_ && catalog_ != nullptr) {
      rollup_->AddCodedBatch(date_, batch_, all_, *catalog_, keys_.data());
    } else {
      rollup_->AddBatch(date_, batch_, all_);
    }
    batch_.Clear();
    store_ids_.Clear();
    product_ids_.Clear();
    batch_ids_.Clear();
    keys_.clear();
    keys_coded_ = true;
    return Status::OK();
  }

  const std::vector<BatchInfo>& batches_;
  const int32_t date_;
  DailyRollup* rollup_;
  std::string path_;
  std::unique_ptr<parquet::ParquetFileWriter> writer_;
  table::ColumnBatch& batch_;
  table::SelectionVector all_;
  std::vector<uint64_t> keys_;  // per row of batch_, while keys_coded_
  bool keys_coded_ = true;
  const table::ReferenceCatalog* catalog_ = nullptr;  // of the coded rows so far
  // Per row group: the dictionary index of each catalog store, product and batch added so far.
  DictionaryIndices store_ids_, product_ids_, batch_ids_;
  std::vector<uint32_t> indices_;  // scratch: the rows being gathered's dictionary indices
};

// The rows `rows` of `cols` in order of their 64-bit keys: a least-significant-digit radix sort,
// 11 bits a pass over the bits the keys use, stable (equal keys keep their order). `keys` and
// `rows` are permuted together; `tmp_keys`/`tmp_rows` are scratch.
void RadixSortByKey(std::vector<uint64_t>* keys, std::vector<uint32_t>* rows,
                    std::vector<uint64_t>* tmp_keys, std::vector<uint32_t>* tmp_rows) {
  const size_t n = keys->size();
  uint64_t used = 0;
  for (uint64_t k : *keys) used |= k;
  constexpr int kBits = 11;
  constexpr size_t kBuckets = size_t{1} << kBits;
  tmp_keys->resize(n);
  tmp_rows->resize(n);
  std::vector<uint32_t> count(kBuckets);
  for (int shift = 0; shift < 64 && (used >> shift) != 0; shift += kBits) {
    std::fill(count.begin(), count.end(), 0);
    for (uint64_t k : *keys) ++count[(k >> shift) & (kBuckets - 1)];
    uint32_t sum = 0;
    for (uint32_t& c : count) {
      const uint32_t here = c;
      c = sum;
      sum += here;
    }
    for (size_t i = 0; i < n; ++i) {
      const uint32_t at = count[((*keys)[i] >> shift) & (kBuckets - 1)]++;
      (*tmp_keys)[at] = (*keys)[i];
      (*tmp_rows)[at] = (*rows)[i];
    }
    keys->swap(*tmp_keys);
    rows->swap(*tmp_rows);
  }
}

// Dedupes sales of one day (within the run, then against main), counting drops and conflicts in
// `w`, and returns the rows kept sorted by (timestamp, transaction_id): what main/sales gets.
// `rows` may be a part of the day, as long as every copy of a transaction_id is in it.
Status DedupeAndSort(const LandingInputs& in, const std::string& partition, const SaleColumns& rows,
                     DayWork* w, std::vector<uint32_t>* kept) {
  kept->clear();
  const size_t n = rows.rows();
  // Within the run: of the copies of a transaction_id, the first (batch order, then record order)
  // is the candidate. Ids meet in an open-addressing table keyed by a hash of the id (kept for
  // the bloom filters of main's files); `group[i]` is the table slot of row i's id, whose entry
  // ends up naming the id's candidate.
  std::vector<uint64_t> hashes(n);
  for (size_t i = 0; i < n; ++i) hashes[i] = parquet::SplitBlockBloomFilter::Hash(rows.id(i));
  size_t capacity = 16;
  while (capacity < 2 * n) capacity *= 2;
  constexpr uint32_t kEmpty = UINT32_MAX;
  std::vector<uint32_t> table(capacity, kEmpty);  // a row of the slot's id
  std::vector<uint32_t> group(n);
  auto earlier = [&rows](uint32_t a, uint32_t b) {
    if (rows.batch(a) != rows.batch(b)) return rows.batch(a) < rows.batch(b);
    return rows.record_index(a) < rows.record_index(b);
  };
  for (size_t i = 0; i < n; ++i) {
    const uint64_t h = hashes[i];
    size_t slot = (h ^ (h >> 32)) & (capacity - 1);
    while (true) {
      const uint32_t there = table[slot];
      if (there == kEmpty) {
        table[slot] = static_cast<uint32_t>(i);
        break;
      }
      if (hashes[there] == h && rows.id(there) == rows.id(i)) {
        if (earlier(static_cast<uint32_t>(i), there)) table[slot] = static_cast<uint32_t>(i);
        break;
      }
      slot = (slot + 1) & (capacity - 1);
    }
    group[i] = static_cast<uint32_t>(slot);
  }
  std::vector<uint32_t> candidates;
  candidates.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t first = table[group[i]];
    if (first == i) {
      candidates.push_back(static_cast<uint32_t>(i));
    } else if (rows.SameContent(i, rows, first)) {
      ++w->dropped;
    } else {
      w->conflicts.emplace_back(rows.batch(i), ConflictRow(rows, i));
    }
  }
  std::vector<uint32_t>().swap(table);
  std::vector<uint32_t>().swap(group);
  std::vector<uint64_t> candidate_hashes(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) candidate_hashes[i] = hashes[candidates[i]];
  std::vector<uint64_t>().swap(hashes);

  // Against main: 0 = new, 1 = identical to a kept sale, 2 = conflicts with one.
  std::vector<int8_t> verdict(candidates.size(), 0);
  if (auto it = in.main_files.find(partition); it != in.main_files.end()) {
    SL_RETURN_IF_ERROR(
        CheckAgainstMain(in.fs, it->second, rows, candidates, candidate_hashes, &verdict));
  }
  std::vector<uint64_t>().swap(candidate_hashes);
  kept->reserve(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (verdict[i] == 0) {
      kept->push_back(candidates[i]);
    } else if (verdict[i] == 1) {
      ++w->dropped;
    } else {
      w->conflicts.emplace_back(rows.batch(candidates[i]), ConflictRow(rows, candidates[i]));
    }
  }
  // By (timestamp, id): radix-sorted by the timestamp's distance from the day's first, then each
  // run of equal timestamps (rare) by id.
  const size_t m = kept->size();
  if (m == 0) return Status::OK();
  int64_t least = std::numeric_limits<int64_t>::max();
  for (uint32_t r : *kept) least = std::min(least, rows.timestamp(r));
  std::vector<uint64_t> keys(m), tmp_keys;
  std::vector<uint32_t> tmp_rows;
  for (size_t i = 0; i < m; ++i) {
    keys[i] = static_cast<uint64_t>(rows.timestamp((*kept)[i])) - static_cast<uint64_t>(least);
  }
  RadixSortByKey(&keys, kept, &tmp_keys, &tmp_rows);
  for (size_t i = 0; i < m;) {
    size_t j = i + 1;
    while (j < m && keys[j] == keys[i]) ++j;
    if (j - i > 1) {
      std::sort(kept->begin() + static_cast<std::ptrdiff_t>(i),
                kept->begin() + static_cast<std::ptrdiff_t>(j),
                [&rows](uint32_t a, uint32_t b) { return rows.id(a) < rows.id(b); });
    }
    i = j;
  }
  return Status::OK();
}

// A day too large to sort in memory: each part is deduplicated and sorted on its own and
// written to a temporary file as a sorted run, in blocks; the runs are then merged by
// (timestamp, transaction_id) into the main file. Kept ids are unique, so that order is total
// and the file is the same, byte for byte, as the one an in-memory sort writes.
Status LandDayInParts(const LandingInputs& in, const std::string& partition, DayWork* w,
                      MainFileWriter* out, bool* any) {
  SaleSpill runs(0);
  std::vector<uint32_t> kept;
  {
    SaleColumns part, block;
    for (size_t p = 0; p < w->num_parts; ++p) {
      SL_RETURN_IF_ERROR(w->parts->Take(static_cast<int64_t>(p), &part));
      SL_RETURN_IF_ERROR(DedupeAndSort(in, partition, part, w, &kept));
      if (kept.empty()) continue;
      // The merge holds a block of every run: together about one part's worth.
      const size_t row_bytes = std::max<size_t>(1, part.bytes() / std::max<size_t>(1, part.rows()));
      const size_t block_rows = std::max<size_t>(256, w->part_budget / w->num_parts / row_bytes);
      for (size_t i = 0; i < kept.size(); i += block_rows) {
        block.Clear();
        block.AppendRows(part, std::span<const uint32_t>(kept).subspan(
                                   i, std::min(block_rows, kept.size() - i)));
        SL_RETURN_IF_ERROR(runs.AddChunk(static_cast<int64_t>(p), block));
      }
      w->kept += kept.size();
    }
  }
  w->parts.reset();
  if (w->kept == 0) return Status::OK();
  *any = true;
  SL_RETURN_IF_ERROR(out->Open(in.fs, std::string(kMainSalesTable) + "/" + partition + "/" +
                                          PartFileName(in.run_key + "\n" + partition)));
  struct Cursor {
    SaleColumns block;
    uint32_t at = 0;
  };
  std::vector<Cursor> cursors(w->num_parts);
  // A min-heap of the runs by their next row's (timestamp, id).
  auto later = [&cursors](size_t a, size_t b) {
    const Cursor& x = cursors[a];
    const Cursor& y = cursors[b];
    const int64_t tx = x.block.timestamp(x.at), ty = y.block.timestamp(y.at);
    if (tx != ty) return tx > ty;
    return x.block.id(x.at) > y.block.id(y.at);
  };
  std::vector<size_t> heap;
  for (size_t p = 0; p < cursors.size(); ++p) {
    SL_RETURN_IF_ERROR(runs.TakeChunk(static_cast<int64_t>(p), &cursors[p].block));
    if (!cursors[p].block.empty()) heap.push_back(p);
  }
  std::make_heap(heap.begin(), heap.end(), later);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const size_t p = heap.back();
    Cursor& c = cursors[p];
    SL_RETURN_IF_ERROR(out->Append(c.block, std::span<const uint32_t>(&c.at, 1)));
    if (++c.at == c.block.rows()) {
      c.at = 0;
      SL_RETURN_IF_ERROR(runs.TakeChunk(static_cast<int64_t>(p), &c.block));
      if (c.block.empty()) {
        heap.pop_back();
        continue;
      }
    }
    std::push_heap(heap.begin(), heap.end(), later);
  }
  return Status::OK();
}

}  // namespace

Status LandDay(const LandingInputs& in, DayWork* w) {
  w->added.clear();
  w->removed.clear();
  w->daily.clear();
  w->coded_daily.clear();
  w->daily_catalog = nullptr;
  w->conflicts.clear();
  w->dropped = w->kept = 0;
  const std::string partition = PartitionName(CivilFromDays(w->day));

  // The day's rollup: the new sales, as they are written, plus what daily_sales held for the day.
  DailyRollup rollup;
  if (w->main_batch == nullptr)
    w->main_batch = std::make_unique<table::ColumnBatch>(MainSalesColumns());
  MainFileWriter out(in.batches, static_cast<int32_t>(w->day), &rollup, w->main_batch.get());
  if (w->parts != nullptr) {
    bool any = false;
    SL_RETURN_IF_ERROR(LandDayInParts(in, partition, w, &out, &any));
    if (!any) return Status::OK();
  } else {
    std::vector<uint32_t> kept;
    SL_RETURN_IF_ERROR(DedupeAndSort(in, partition, w->rows, w, &kept));
    if (kept.empty()) return Status::OK();
    SL_RETURN_IF_ERROR(out.Open(in.fs, std::string(kMainSalesTable) + "/" + partition + "/" +
                                           PartFileName(in.run_key + "\n" + partition)));
    SL_RETURN_IF_ERROR(out.Append(w->rows, kept));
    w->kept = kept.size();
  }
  lake::LedgerFile file;
  SL_RETURN_IF_ERROR(out.Close(partition, &file));
  w->added.push_back(std::move(file));

  if (auto it = in.daily_files.find(partition); it != in.daily_files.end()) {
    for (const lake::LedgerFile& old : it->second) {
      std::vector<DailyRow> old_rows;
      SL_RETURN_IF_ERROR(ReadDailyRows(in.fs, old.path, &old_rows));
      for (const DailyRow& d : old_rows) rollup.AddDaily(d);
      w->removed.push_back(old.path);
    }
  }
  lake::LedgerFile daily_file;
  std::string daily_path = std::string(kDailySalesTable) + "/" + partition + "/" +
                           PartFileName(in.run_key + "\ndaily\n" + partition);
  if (rollup.CodedRows(&w->coded_daily, &w->daily_catalog) && w->daily_catalog != nullptr) {
    SL_RETURN_IF_ERROR(WriteCodedDailyRows(in.fs, daily_path, partition, *w->daily_catalog,
                                           w->coded_daily, &daily_file));
  } else {
    w->daily_catalog = nullptr;
    w->daily = rollup.Rows();
    SL_RETURN_IF_ERROR(WriteDailyRows(in.fs, daily_path, partition, w->daily, &daily_file));
  }
  w->added.push_back(std::move(daily_file));
  return Status::OK();
}

namespace {

// Moves the day's sales from the run's spill into `parts` parts by a hash of transaction_id, a
// chunk at a time (a part's rows go to a temporary file past `budget`).
Status PartitionDay(SaleSpill* sales, int64_t day, size_t parts, size_t budget, DayWork* w) {
  w->rows.Clear();
  w->parts = std::make_unique<SaleSpill>(budget);
  w->num_parts = parts;
  w->part_budget = budget;
  SaleColumns chunk;
  std::vector<std::vector<uint32_t>> which(parts);
  while (true) {
    SL_RETURN_IF_ERROR(sales->TakeChunk(day, &chunk));
    if (chunk.empty()) break;
    for (auto& v : which) v.clear();
    for (size_t i = 0; i < chunk.rows(); ++i) {
      which[parquet::SplitBlockBloomFilter::Hash(chunk.id(i)) % parts].push_back(
          static_cast<uint32_t>(i));
    }
    for (size_t p = 0; p < parts; ++p) {
      if (!which[p].empty())
        SL_RETURN_IF_ERROR(w->parts->Add(static_cast<int64_t>(p), chunk, which[p]));
    }
  }
  return w->parts->FinishAdding();
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
                 const std::vector<BatchInfo>& batches, int threads, SaleSpill* sales,
                 Spill* quarantine, LandingCounts* counts, lake::LedgerCommit* commit,
                 size_t landing_budget_bytes) {
  std::map<std::string, std::vector<lake::LedgerFile>> main_files, daily_files;
  for (lake::LedgerFile& f : state.FilesOf(kMainSalesTable)) main_files[f.partition].push_back(f);
  for (lake::LedgerFile& f : state.FilesOf(kDailySalesTable)) daily_files[f.partition].push_back(f);
  std::set<std::string> rewritten_daily;
  AggregateTables aggregates;
  const LandingInputs in{fs, run_key, batches, main_files, daily_files};

  // Days land on `threads` threads; their results join the commit in day order. A day in flight
  // holds its sales about three times over (the columns, the writer's row group, its pages), so
  // a day larger than its share of the budget is split by transaction_id into parts that are
  // deduplicated and sorted one at a time and merged (LandDayInParts): a big day costs time and
  // temporary disk, not memory.
  SL_RETURN_IF_ERROR(sales->FinishAdding());
  ReleaseFreedMemory();
  threads = std::max(1, threads);
  const size_t part_budget =
      std::max<size_t>(landing_budget_bytes / (3 * static_cast<size_t>(threads)), 1);
  std::vector<DayWork> slots(static_cast<size_t>(threads));
  OrderedPipeline pipeline(
      threads, slots.size(), [&](size_t slot, int) { return LandDay(in, &slots[slot]); },
      [&](size_t slot) -> Status {
        DayWork& w = slots[slot];
        w.rows.Clear();
        w.parts.reset();
        counts->dropped_duplicates += w.dropped;
        for (auto& [batch, row] : w.conflicts) {
          quarantine->Buffer(kConflictKeys + batch)->append(row);
          counts->CountQuarantined(table::kDuplicateConflict);
          SL_RETURN_IF_ERROR(quarantine->Appended(row.size()));
        }
        if (w.kept == 0) return Status::OK();
        counts->rows_main += w.kept;
        ++counts->partitions;
        if (w.daily_catalog != nullptr) {
          aggregates.AddCoded(*w.daily_catalog, w.coded_daily);
        } else {
          aggregates.AddAll(w.daily);
        }
        rewritten_daily.insert(PartitionName(CivilFromDays(w.day)));
        for (lake::LedgerFile& f : w.added) commit->added.push_back(std::move(f));
        for (std::string& p : w.removed) commit->removed.push_back(std::move(p));
        w.added.clear();
        return Status::OK();
      });
  auto land_all = [&]() -> Status {
    for (int64_t day : sales->Keys()) {
      SL_ASSIGN_OR_RETURN(size_t slot, pipeline.Acquire());
      DayWork& w = slots[slot];
      w.day = day;
      const size_t bytes = sales->Bytes(day);
      if (bytes <= part_budget) {
        w.parts.reset();
        w.num_parts = 0;
        SL_RETURN_IF_ERROR(sales->Take(day, &w.rows));
      } else {
        ++counts->days_in_parts;
        SL_RETURN_IF_ERROR(
            PartitionDay(sales, day, (bytes + part_budget - 1) / part_budget, part_budget, &w));
      }
      pipeline.Submit(slot);
    }
    return pipeline.Finish();
  };
  if (Status landed = land_all(); !landed.ok()) {
    // Later days may have landed on other threads before the failure stopped collection: what
    // they staged joins the commit's list, for the caller to remove with the rest.
    (void)pipeline.Finish();
    for (DayWork& w : slots) {
      for (lake::LedgerFile& f : w.added) commit->added.push_back(std::move(f));
      w.added.clear();
    }
    return landed;
  }

  // The untouched days still count in the aggregates over all of main.
  for (const auto& [partition, files] : daily_files) {
    if (rewritten_daily.count(partition)) continue;
    for (const lake::LedgerFile& f : files) {
      std::vector<DailyRow> rows;
      SL_RETURN_IF_ERROR(ReadDailyRows(fs, f.path, &rows));
      aggregates.AddAll(rows);
    }
  }
  return aggregates.Write(fs, state, run_key, commit);
}

Status WriteQuarantineFiles(io::FileSystem& fs, const std::vector<BatchInfo>& batches,
                            Spill* quarantine, const std::string& name_suffix,
                            lake::LedgerCommit* commit) {
  const std::vector<parquet::ColumnSpec> columns = QuarantineSalesColumns();
  SL_ASSIGN_OR_RETURN(parquet::WriterOptions options, LakeWriterOptions(kQuarantineSalesTable));
  // Rejected records can be long (an oversized one is over 64 KiB): they are read back a spill
  // chunk at a time, the writer gets them a few MiB at a time, and a row group ends at 16 MiB of
  // them, so memory does not grow with a batch's quarantine.
  // What landing freed is given back first: kept, it would stay resident under these buffers
  // (glibc's arenas do not reuse it for them reliably) and raise the run's peak.
  constexpr size_t kChunkBytes = 8 << 20;
  options.row_group_bytes = 16 << 20;
  ReleaseFreedMemory();
  std::vector<ColumnBuffer> b = MakeBuffers(columns);
  std::string bytes;  // a spill chunk of rows, its memory reused from chunk to chunk
  std::set<int64_t> ordinals;
  for (int64_t key : quarantine->Keys()) {
    ordinals.insert(key >= kConflictKeys ? key - kConflictKeys : key);
  }
  for (int64_t key : ordinals) {
    const BatchInfo& batch = batches.at(static_cast<size_t>(key));
    // The batch's rows come in record order, a spill chunk at a time; its conflicts (few) are
    // sorted in memory and merged in, so a batch's quarantine is never held whole.
    SL_ASSIGN_OR_RETURN(std::string conflict_bytes, quarantine->Take(kConflictKeys + key));
    std::vector<QuarantineView> conflicts;
    SL_RETURN_IF_ERROR(DecodeQuarantineViews(conflict_bytes, &conflicts));
    std::stable_sort(conflicts.begin(), conflicts.end(),
                     [](const auto& x, const auto& y) { return x.record_index < y.record_index; });
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
    auto emit = [&](const QuarantineView& r) -> Status {
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
      return Status::OK();
    };
    size_t next_conflict = 0;
    int64_t last = std::numeric_limits<int64_t>::min();
    std::vector<QuarantineView> rows;
    while (true) {
      SL_RETURN_IF_ERROR(quarantine->TakeChunk(key, &bytes));
      if (bytes.empty()) break;
      rows.clear();
      SL_RETURN_IF_ERROR(DecodeQuarantineViews(bytes, &rows));
      for (const QuarantineView& r : rows) {
        if (r.record_index < last) {
          return Status::Internal("quarantine rows of batch " + batch.id +
                                  " are out of record order");
        }
        last = r.record_index;
        while (next_conflict < conflicts.size() &&
               conflicts[next_conflict].record_index < r.record_index) {
          SL_RETURN_IF_ERROR(emit(conflicts[next_conflict++]));
        }
        SL_RETURN_IF_ERROR(emit(r));
      }
      // The buffers hold copies: the chunk may go before the next is read.
    }
    while (next_conflict < conflicts.size()) SL_RETURN_IF_ERROR(emit(conflicts[next_conflict++]));
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

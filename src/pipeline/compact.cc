#include "pipeline/compact.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "base/json_writer.h"
#include "base/ordered_pipeline.h"
#include "lake/lake_lock.h"
#include "parquet/writer/file_writer.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/rollups.h"
#include "pipeline/transform_io.h"

namespace saleslake::pipeline {
namespace {

Result<std::vector<parquet::ColumnSpec>> ColumnsOf(std::string_view table) {
  if (table == kMainSalesTable) return MainSalesColumns();
  if (table == kQuarantineSalesTable) return QuarantineSalesColumns();
  if (table == kRawSalesTable) return RawSalesColumns();
  if (table == kDailySalesTable) return DailySalesColumns();
  return Status::InvalidArgument("cannot compact table '" + std::string(table) +
                                 "': use main/sales, main/daily_sales, quarantine/sales or "
                                 "raw/sales");
}

// Runs work(i) for i in [0, n) on `threads` threads and collect(i) in order of i (so what
// collect builds is the same for any number of threads). A failed work(i) is still collected
// (collect sees what it staged), then its error stops the rest.
Status ForEachInOrder(int threads, size_t n, const std::function<Status(size_t)>& work,
                      const std::function<Status(size_t)>& collect) {
  threads = std::max(1, threads);
  std::vector<size_t> item(threads == 1 ? 1 : static_cast<size_t>(threads) + 1);
  std::vector<Status> outcome(item.size());
  OrderedPipeline pipeline(
      threads, item.size(),
      [&](size_t slot, int) {
        outcome[slot] = work(item[slot]);
        return Status::OK();
      },
      [&](size_t slot) {
        Status collected = collect(item[slot]);
        return outcome[slot].ok() ? collected : outcome[slot];
      });
  for (size_t i = 0; i < n; ++i) {
    SL_ASSIGN_OR_RETURN(size_t slot, pipeline.Acquire());
    item[slot] = i;
    pipeline.Submit(slot);
  }
  return pipeline.Finish();
}

void AppendVector(const parquet::ColumnVector& v, parquet::ColumnBuffer* out) {
  for (int64_t i = 0; i < v.length; ++i) {
    if (v.IsNull(i)) {
      out->AppendNull();
      continue;
    }
    switch (v.physical_type) {
      case parquet::Type::kBoolean:
        out->AppendBool(v.bools[i] != 0);
        break;
      case parquet::Type::kInt32:
        out->AppendInt32(v.int32s[i]);
        break;
      case parquet::Type::kInt64:
        out->AppendInt64(v.int64s[i]);
        break;
      case parquet::Type::kFloat:
        out->AppendFloat(v.floats[i]);
        break;
      case parquet::Type::kDouble:
        out->AppendDouble(v.doubles[i]);
        break;
      default:
        out->AppendBytes(v.binaries[i]);
    }
  }
}

// Streams the rows of `inputs` (in order) into one pending file at `path`.
Result<lake::LedgerFile> MergeFiles(io::FileSystem& fs, const std::vector<lake::LedgerFile>& inputs,
                                    const std::string& path, std::string_view table,
                                    const std::vector<parquet::ColumnSpec>& columns) {
  SL_ASSIGN_OR_RETURN(parquet::WriterOptions options, LakeWriterOptions(table));
  SL_ASSIGN_OR_RETURN(auto out, fs.OpenForWrite(lake::PendingPath(path)));
  SL_ASSIGN_OR_RETURN(auto writer,
                      parquet::ParquetFileWriter::Open(std::move(out), columns, options));
  std::vector<std::string> names;
  for (const auto& c : columns) names.push_back(c.name);
  for (const lake::LedgerFile& in : inputs) {
    SL_ASSIGN_OR_RETURN(auto reader, OpenLakeFile(fs, in.path));
    SL_RETURN_IF_ERROR(CheckSchemaCompatible(*reader, columns));
    SL_ASSIGN_OR_RETURN(std::vector<int> projection, reader->schema().ResolveProjection(names));
    for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
      SL_ASSIGN_OR_RETURN(auto vectors, reader->ReadRowGroup(rg, projection));
      std::vector<parquet::ColumnBuffer> batch = MakeBuffers(columns);
      for (size_t c = 0; c < columns.size(); ++c) AppendVector(vectors[c], &batch[c]);
      SL_RETURN_IF_ERROR(writer->Write(batch));
    }
  }
  SL_RETURN_IF_ERROR(writer->Close());
  lake::LedgerFile file;
  file.path = path;
  file.table = std::string(table);
  file.partition = inputs.front().partition;
  file.rows = static_cast<uint64_t>(writer->rows_written());
  file.bytes = static_cast<uint64_t>(writer->file_size());
  return file;
}

}  // namespace

std::string CompactResult::ToJson() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("committed", committed);
  w.Field("seq", seq);
  w.Field("partitions", partitions);
  w.Field("files_removed", files_removed);
  w.Field("files_added", files_added);
  w.Field("rows", rows);
  w.EndObject();
  return out;
}

namespace {

// Names, describes and commits a compaction's staged merges (nothing when it staged none).
Status CommitCompaction(lake::Ledger* ledger, const std::string& table, const std::string& key,
                        bool tiered, lake::LedgerCommit& commit, CompactResult* result) {
  if (commit.added.empty()) return Status::OK();
  commit.run_id =
      "compact-" + PartFileName(key + std::to_string(ledger->state().last_seq)).substr(5, 16);
  std::string details;
  JsonWriter w(&details);
  w.BeginObject();
  w.Field("table", table);
  if (tiered) w.Field("tiered", true);
  w.Field("partitions", result->partitions);
  w.Field("rows", result->rows);
  w.EndObject();
  commit.details_json = details;
  result->files_added = commit.added.size();
  result->files_removed = commit.removed.size();
  SL_RETURN_IF_ERROR(ledger->Commit(&commit));
  result->committed = true;
  result->seq = commit.seq;
  return Status::OK();
}

Result<CompactResult> RunCompactStaging(std::shared_ptr<io::FileSystem> fs, lake::Ledger* ledger,
                                        const CompactOptions& options, lake::LedgerCommit& commit) {
  SL_ASSIGN_OR_RETURN(std::vector<parquet::ColumnSpec> columns, ColumnsOf(options.table));
  std::map<std::string, std::vector<lake::LedgerFile>> small;
  for (lake::LedgerFile& f : ledger->state().FilesOf(options.table)) {
    if (f.bytes < options.target_file_bytes) small[f.partition].push_back(std::move(f));
  }
  CompactResult result;
  commit.kind = "compact";
  std::string key = "compact\n" + options.table;
  struct Merge {
    std::string partition;
    std::vector<lake::LedgerFile> group;
    std::string path;
    Result<lake::LedgerFile> merged = Status::Internal("compact: the merge did not run");
    bool collected = false;
  };
  std::vector<Merge> merges;
  for (auto& [partition, files] : small) {
    // The smallest run of files, in path order, whose sizes add up to at most the target.
    std::vector<lake::LedgerFile> group;
    uint64_t bytes = 0;
    for (lake::LedgerFile& f : files) {
      if (!group.empty() && bytes + f.bytes > options.target_file_bytes) break;
      bytes += f.bytes;
      group.push_back(std::move(f));
    }
    if (group.size() < 2) continue;
    std::string names;
    for (const lake::LedgerFile& f : group) names += f.path + "\n";
    const std::string path = DirOf(group.front().path) + "/" + PartFileName(key + "\n" + names);
    Merge& m = merges.emplace_back();
    m.partition = partition;
    m.group = std::move(group);
    m.path = path;
  }
  // Partitions merge on `threads` threads and join the commit in partition order.
  Status merged_all = ForEachInOrder(
      options.threads, merges.size(),
      [&](size_t i) {
        Merge& m = merges[i];
        m.merged = MergeFiles(*fs, m.group, m.path, options.table, columns);
        return m.merged.status();
      },
      [&](size_t i) -> Status {
        Merge& m = merges[i];
        m.collected = true;
        if (!m.merged.ok()) return m.merged.status();
        lake::LedgerFile& merged = *m.merged;
        uint64_t rows_in = 0;
        for (const lake::LedgerFile& f : m.group) rows_in += f.rows;
        commit.added.push_back(merged);
        if (merged.rows != rows_in) {
          return Status::Internal("compact: " + m.partition + " has " + std::to_string(rows_in) +
                                  " rows in the ledger but its files hold " +
                                  std::to_string(merged.rows));
        }
        for (const lake::LedgerFile& f : m.group) commit.removed.push_back(f.path);
        result.rows += merged.rows;
        ++result.partitions;
        return Status::OK();
      });
  if (!merged_all.ok()) {
    // Later partitions may have merged on other threads before the failure stopped collection:
    // their staged files join the commit's list so that the caller removes them too.
    for (Merge& m : merges) {
      if (!m.collected && m.merged.ok()) commit.added.push_back(*m.merged);
    }
    return merged_all;
  }
  SL_RETURN_IF_ERROR(
      CommitCompaction(ledger, options.table, key, /*tiered=*/false, commit, &result));
  return result;
}

}  // namespace

Result<CompactResult> RunCompact(std::shared_ptr<io::FileSystem> fs, lake::Ledger* ledger,
                                 const CompactOptions& options) {
  lake::LedgerCommit commit;
  Result<CompactResult> r = RunCompactStaging(fs, ledger, options, commit);
  if (!r.ok()) return DiscardStaged(*fs, ledger, commit, r.status());
  return r;
}

namespace {

// The tier of a file: floor(log_fanout(rows)).
int TierOf(uint64_t rows, uint64_t fanout) {
  int tier = 0;
  for (uint64_t r = rows; r >= fanout; r /= fanout) ++tier;
  return tier;
}

// One partition of a tiered compaction: its small files, and what merging them staged.
struct PartitionTiers {
  std::string partition;
  std::vector<lake::LedgerFile> files;
  std::vector<lake::LedgerFile> added;  // merged files, pending
  std::vector<std::string> removed;
  uint64_t files_removed = 0;
  uint64_t rows = 0;
  bool merged = false;
  bool collected = false;
  Status status;  // a failure after some merges were staged (they are in `added`)
};

// Merges the lowest full tier of `p`, then sees whether the merged file fills the next one.
Status MergeTiers(io::FileSystem& fs, const TieredCompactOptions& options, const std::string& key,
                  const std::vector<parquet::ColumnSpec>& columns, PartitionTiers* p) {
  std::map<int, std::vector<lake::LedgerFile>> tiers;
  for (lake::LedgerFile& f : p->files)
    tiers[TierOf(f.rows, options.fanout)].push_back(std::move(f));
  auto staged = [p](const std::string& path) {
    return std::find_if(p->added.begin(), p->added.end(),
                        [&](const lake::LedgerFile& a) { return a.path == path; });
  };
  for (auto it = tiers.begin(); it != tiers.end(); ++it) {
    std::vector<lake::LedgerFile>& group = it->second;
    if (group.size() < options.fanout) continue;
    std::sort(group.begin(), group.end(),
              [](const lake::LedgerFile& a, const lake::LedgerFile& b) { return a.path < b.path; });
    std::string names;
    uint64_t rows_in = 0;
    for (const lake::LedgerFile& f : group) {
      names += f.path + "\n";
      rows_in += f.rows;
    }
    const std::string path = DirOf(group.front().path) + "/" + PartFileName(key + "\n" + names);
    // A file merged earlier in this commit is still under its pending name.
    std::vector<lake::LedgerFile> sources = group;
    for (lake::LedgerFile& f : sources) {
      if (staged(f.path) != p->added.end()) f.path = lake::PendingPath(f.path);
    }
    Result<lake::LedgerFile> merged = MergeFiles(fs, sources, path, options.table, columns);
    if (!merged.ok()) return p->status = merged.status();
    p->added.push_back(*merged);
    if (merged->rows != rows_in) {
      return p->status = Status::Internal(
                 "compact: " + p->partition + " has " + std::to_string(rows_in) +
                 " rows in the ledger but its files hold " + std::to_string(merged->rows));
    }
    for (const lake::LedgerFile& f : group) {
      // A file merged earlier in this same commit is replaced before it was ever committed.
      auto added = staged(f.path);
      if (added != p->added.end()) {
        if (Status s = fs.Delete(lake::PendingPath(f.path)); !s.ok()) return p->status = s;
        p->added.erase(added);
      } else {
        p->removed.push_back(f.path);
        ++p->files_removed;
      }
    }
    p->rows += merged->rows;
    p->merged = true;
    group.clear();
    if (merged->bytes < options.target_file_bytes) {
      tiers[TierOf(merged->rows, options.fanout)].push_back(*merged);
    }
  }
  return Status::OK();
}

// RunTieredCompact's work; `commit` collects what it stages, for the caller to discard on error.
Result<CompactResult> RunTieredCompactStaging(std::shared_ptr<io::FileSystem> fs,
                                              lake::Ledger* ledger,
                                              const TieredCompactOptions& options,
                                              lake::LedgerCommit& commit) {
  CompactResult result;
  if (options.fanout < 2) return Status::InvalidArgument("compaction fanout must be at least 2");
  SL_ASSIGN_OR_RETURN(std::vector<parquet::ColumnSpec> columns, ColumnsOf(options.table));
  std::map<std::string, std::vector<lake::LedgerFile>> by_partition;
  for (const std::string& p : options.partitions) by_partition[p];
  for (lake::LedgerFile& f : ledger->state().FilesOf(options.table)) {
    auto it = by_partition.find(f.partition);
    if (it != by_partition.end() && f.bytes < options.target_file_bytes) {
      it->second.push_back(std::move(f));
    }
  }
  commit.kind = "compact";
  const std::string key = "tiered\n" + options.table;
  std::vector<PartitionTiers> parts;
  for (auto& [partition, files] : by_partition) {
    PartitionTiers& p = parts.emplace_back();
    p.partition = partition;
    p.files = std::move(files);
  }
  // Partitions merge on `threads` threads and join the commit in partition order.
  Status merged_all = ForEachInOrder(
      options.threads, parts.size(),
      [&](size_t i) { return MergeTiers(*fs, options, key, columns, &parts[i]); },
      [&](size_t i) -> Status {
        PartitionTiers& p = parts[i];
        p.collected = true;
        for (lake::LedgerFile& f : p.added) commit.added.push_back(std::move(f));
        for (std::string& path : p.removed) commit.removed.push_back(std::move(path));
        result.files_removed += p.files_removed;
        result.rows += p.rows;
        if (p.merged) ++result.partitions;
        return p.status;
      });
  if (!merged_all.ok()) {
    // What later partitions staged before the failure stopped collection goes too.
    for (PartitionTiers& p : parts) {
      if (p.collected) continue;
      for (lake::LedgerFile& f : p.added) commit.added.push_back(std::move(f));
    }
    return merged_all;
  }
  SL_RETURN_IF_ERROR(
      CommitCompaction(ledger, options.table, key, /*tiered=*/true, commit, &result));
  return result;
}

}  // namespace

Result<CompactResult> RunTieredCompact(std::shared_ptr<io::FileSystem> fs, lake::Ledger* ledger,
                                       const TieredCompactOptions& options) {
  lake::LedgerCommit commit;
  Result<CompactResult> r = RunTieredCompactStaging(fs, ledger, options, commit);
  if (!r.ok()) return DiscardStaged(*fs, ledger, commit, r.status());
  return r;
}

Result<CompactResult> CompactLake(const lake::Lake& lake, const CompactOptions& options) {
  SL_ASSIGN_OR_RETURN(auto lock, lake.Lock("saleslake compact"));
  SL_ASSIGN_OR_RETURN(auto ledger, lake.OpenLog(/*writer=*/true));
  return RunCompact(lake.fs(), ledger.get(), options);
}

}  // namespace saleslake::pipeline

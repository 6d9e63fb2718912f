#include "pipeline/status_command.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <cstdio>
#include <set>

#include "base/cli.h"
#include "base/clock.h"
#include "base/json_writer.h"
#include "lake/lake_root.h"
#include "pipeline/distributed/worker_status.h"

namespace saleslake::pipeline {
namespace {

uint64_t RowsAdded(const lake::LedgerCommit& c) {
  uint64_t rows = 0;
  for (const lake::LedgerFile& f : c.added) rows += f.rows;
  return rows;
}

}  // namespace

void AddQuarantineCounts(std::string_view details_json, std::map<std::string, int64_t>* counts) {
  if (details_json.find("quarantine_by_reason") == std::string_view::npos) return;
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(details_json.data(), details_json.size()).get(root)) return;
  simdjson::dom::object reasons;
  if (root["quarantine_by_reason"].get_object().get(reasons)) return;
  for (simdjson::dom::key_value_pair kv : reasons) {
    int64_t n = 0;
    if (kv.value.get_int64().get(n)) continue;
    (*counts)[std::string(kv.key)] += n;
  }
}

Result<std::vector<CommittedFileProblem>> CheckCommittedFiles(io::FileSystem& fs,
                                                              const lake::LedgerState& state) {
  std::map<std::string, uint64_t> listed;
  std::set<std::string> layers;
  for (const auto& [path, file] : state.files) layers.insert(path.substr(0, path.find('/')));
  for (const std::string& layer : layers) {
    SL_ASSIGN_OR_RETURN(std::vector<io::FileInfo> infos, fs.List(layer, io::ListOptions{}));
    for (const io::FileInfo& info : infos) {
      if (info.type == io::FileType::kFile) listed[info.path] = info.size;
    }
  }
  std::vector<CommittedFileProblem> problems;
  for (const auto& [path, file] : state.files) {
    auto it = listed.find(path);
    if (it == listed.end()) {
      problems.push_back({path, "missing from storage"});
    } else if (file.bytes != 0 && it->second != file.bytes) {
      problems.push_back(
          {path, fmt::format("{} bytes, the ledger says {}", it->second, file.bytes)});
    }
  }
  return problems;
}

Result<LakeStatus> ReadLakeStatus(const lake::Ledger& ledger, std::string lake_uri, size_t recent) {
  const lake::LedgerState& state = ledger.state();
  LakeStatus s;
  s.lake = std::move(lake_uri);
  s.last_commit = state.last_seq;
  for (const auto& [id, batch] : state.batches) {
    ++s.batches_extracted;
    if (batch.transform_seq != 0) ++s.batches_transformed;
  }
  s.pending_batches = state.PendingBatches();
  std::map<std::string, TableStatus> tables;
  for (const auto& [path, file] : state.files) {
    TableStatus& t = tables[file.table];
    t.table = file.table;
    ++t.files;
    t.rows += file.rows;
    t.bytes += file.bytes;
  }
  for (auto& [name, t] : tables) s.tables.push_back(std::move(t));
  // The history left: `vacuum --older-than` may have expired the oldest commits.
  for (uint64_t seq = ledger.first_seq(); seq <= state.last_seq; ++seq) {
    SL_ASSIGN_OR_RETURN(lake::LedgerCommit c, ledger.ReadCommit(seq));
    AddQuarantineCounts(c.details_json, &s.quarantine_by_reason);
  }
  SL_ASSIGN_OR_RETURN(s.recent, ledger.RecentCommits(recent));
  return s;
}

std::string LakeStatusToJson(const LakeStatus& s) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("lake", s.lake);
  w.Field("last_commit", s.last_commit);
  w.Key("batches");
  w.BeginObject();
  w.Field("extracted", s.batches_extracted);
  w.Field("transformed", s.batches_transformed);
  w.Field("pending", static_cast<uint64_t>(s.pending_batches.size()));
  w.Key("pending_ids");
  w.BeginArray();
  for (const std::string& id : s.pending_batches) w.String(id);
  w.EndArray();
  w.EndObject();
  w.Key("tables");
  w.BeginArray();
  for (const TableStatus& t : s.tables) {
    w.BeginObject();
    w.Field("table", t.table);
    w.Field("files", t.files);
    w.Field("rows", t.rows);
    w.Field("bytes", t.bytes);
    w.EndObject();
  }
  w.EndArray();
  w.Key("quarantine_by_reason");
  w.BeginObject();
  for (const auto& [reason, n] : s.quarantine_by_reason) w.Field(reason, n);
  w.EndObject();
  w.Key("problems");
  w.BeginArray();
  for (const CommittedFileProblem& p : s.problems) {
    w.BeginObject();
    w.Field("path", p.path);
    w.Field("detail", p.detail);
    w.EndObject();
  }
  w.EndArray();
  w.Key("recent_commits");
  w.BeginArray();
  for (const lake::LedgerCommit& c : s.recent) {
    w.BeginObject();
    w.Field("seq", c.seq);
    w.Field("kind", c.kind);
    w.Field("run_id", c.run_id);
    w.Field("committed_at", FormatIso8601Millis(c.committed_at_micros));
    w.Field("files_added", static_cast<uint64_t>(c.added.size()));
    w.Field("rows_added", RowsAdded(c));
    w.Field("files_removed", static_cast<uint64_t>(c.removed.size()));
    w.Key("landed_batches");
    w.BeginArray();
    for (const std::string& b : c.landed_batches) w.String(b);
    w.EndArray();
    w.Key("consumed_batches");
    w.BeginArray();
    for (const std::string& b : c.consumed_batches) w.String(b);
    w.EndArray();
    w.Key("details");
    w.Raw(c.details_json.empty() ? "{}" : c.details_json);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out;
}

std::string LakeStatusToText(const LakeStatus& s) {
  std::string out = fmt::format("lake {} (last commit {})\n", s.lake, s.last_commit);
  out += fmt::format("batches: {} extracted, {} transformed, {} pending\n", s.batches_extracted,
                     s.batches_transformed, s.pending_batches.size());
  if (s.tables.empty()) {
    out += "tables: none yet\n";
  } else {
    out += fmt::format("{:<28} {:>6} {:>12} {:>14}\n", "table", "files", "rows", "bytes");
    for (const TableStatus& t : s.tables) {
      out += fmt::format("{:<28} {:>6} {:>12} {:>14}\n", t.table, t.files, t.rows, t.bytes);
    }
  }
  if (!s.quarantine_by_reason.empty()) {
    out += "quarantine by reason:\n";
    for (const auto& [reason, n] : s.quarantine_by_reason) {
      out += fmt::format("  {:<24} {:>10}\n", reason, n);
    }
  }
  if (!s.problems.empty()) {
    out += fmt::format(
        "problems: {} committed file(s) cannot be read; queries that need them fail (restore "
        "them from a backup):\n",
        s.problems.size());
    for (const CommittedFileProblem& p : s.problems) {
      out += fmt::format("  {}: {}\n", p.path, p.detail);
    }
  }
  if (!s.recent.empty()) {
    out += "recent commits:\n";
    for (const lake::LedgerCommit& c : s.recent) {
      std::string batches;
      const std::vector<std::string>& ids =
          c.landed_batches.empty() ? c.consumed_batches : c.landed_batches;
      if (!ids.empty()) {
        batches = fmt::format(", batch {}{}", ids.front(),
                              ids.size() > 1 ? fmt::format(" +{}", ids.size() - 1) : "");
      }
      out += fmt::format("  #{:<5} {}  {:<10} {} file(s), {} rows{}\n", c.seq,
                         FormatIso8601Millis(c.committed_at_micros), c.kind, c.added.size(),
                         RowsAdded(c), batches);
    }
  }
  return out;
}

namespace {

struct Flags {
  std::string lake;
  std::string format = "text";
  size_t recent = 10;
};

}  // namespace

int StatusCommand(int argc, char** argv) {
  CLI::App app(
      "Show what the lake holds, from its ledger: batches (extracted, transformed, pending), "
      "files, rows and bytes per table, quarantined rows by reason, and the last commits.");
  Flags flags;
  AddLakeFlag(&app, &flags.lake);
  AddFormatFlag(&app, &flags.format);
  app.add_option("--recent", flags.recent, "how many recent commits to show")->default_val(10);
  return RunCommand(
      app, "status", "saleslake status --lake ./lake --format json", argc, argv, [&]() -> Status {
        SL_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> fs, io::FileSystemFromUri(flags.lake));
        SL_RETURN_IF_ERROR(saleslake::lake::CheckLakeExists(*fs, flags.lake));
        SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::Ledger> ledger,
                            lake::Ledger::Open(fs, /*recover=*/false));
        SL_ASSIGN_OR_RETURN(LakeStatus s, ReadLakeStatus(*ledger, fs->root_uri(), flags.recent));
        SL_ASSIGN_OR_RETURN(s.problems, CheckCommittedFiles(*fs, ledger->state()));
        std::string text =
            flags.format == "json" ? LakeStatusToJson(s) + "\n" : LakeStatusToText(s);
        if (flags.format == "json") {
          SL_ASSIGN_OR_RETURN(std::string log, distributed::CommitLogStatusJson());
          if (!log.empty()) text.insert(text.rfind('}'), ",\"commit_log\":" + log);
        } else {
          SL_ASSIGN_OR_RETURN(std::string log, distributed::CommitLogStatusText());
          text += log;
        }
        std::fputs(text.c_str(), stdout);
        return Status::OK();
      });
}

}  // namespace saleslake::pipeline

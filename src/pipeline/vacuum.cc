#include "pipeline/vacuum.h"

#include <fmt/format.h>

#include <cstdio>
#include <map>

#include "base/cli.h"
#include "base/clock.h"
#include "base/json_writer.h"
#include "base/logging.h"
#include "io/path.h"
#include "lake/lake.h"
#include "lake/lake_lock.h"
#include "lake/lake_root.h"

namespace saleslake::pipeline {

Result<VacuumResult> Vacuum(io::FileSystem& fs, const lake::Ledger& ledger,
                            const VacuumOptions& options) {
  SL_ASSIGN_OR_RETURN(std::vector<std::string> orphans, ledger.FindOrphans());
  // Intermediate files of distributed transforms: a run's coordinator holds the lake lock that
  // vacuum holds now, so none is in use (the finalize of a run removes its own).
  SL_ASSIGN_OR_RETURN(std::vector<io::FileInfo> work, fs.List(lake::kWorkDir));
  for (const io::FileInfo& f : work) orphans.push_back(f.path);
  VacuumResult result;
  if (orphans.empty()) return result;
  // One listing gives the ages (and sees the temporaries that plain listings hide).
  io::ListOptions list;
  list.include_temporaries = true;
  SL_ASSIGN_OR_RETURN(std::vector<io::FileInfo> files, fs.List("", list));
  std::map<std::string, const io::FileInfo*> info;
  for (const io::FileInfo& f : files) info[f.path] = &f;
  const int64_t now = options.now_micros != 0 ? options.now_micros : NowMicros();
  for (const std::string& path : orphans) {
    auto it = info.find(path);
    const int64_t mtime = it == info.end() ? 0 : it->second->mtime_micros;
    // An unknown age (0) counts as old: the file was there before this listing. A pending file
    // is a saleslake writer's, and every writer holds the lock vacuum holds now: its run failed
    // or crashed, so it goes at once whatever its age (a full disk is freed by one vacuum).
    const bool pending = lake::IsPendingName(io::BaseName(path)) ||
                         path.rfind(std::string(lake::kWorkDir) + "/", 0) == 0;
    if (!pending && options.min_age_micros > 0 && mtime != 0 &&
        now - mtime < options.min_age_micros) {
      result.kept.push_back(path);
      continue;
    }
    result.removed.push_back(path);
    if (it != info.end()) result.removed_bytes += it->second->size;
  }
  if (!options.dry_run && !result.removed.empty()) {
    SL_RETURN_IF_ERROR(fs.DeleteMany(result.removed));
  }
  return result;
}

namespace {

struct Flags {
  std::string lake;
  bool dry_run = false;
  std::string min_age = "1h";
  std::string older_than;  // "" keeps every snapshot
  std::string format = "text";
};

Status Run(const Flags& flags) {
  VacuumOptions options;
  options.dry_run = flags.dry_run;
  Result<int64_t> min_age =
      flags.min_age == "0" ? Result<int64_t>(0) : ParseDurationMicros(flags.min_age);
  if (!min_age.ok()) return min_age.status().WithContext("--min-age");
  options.min_age_micros = *min_age;
  SL_ASSIGN_OR_RETURN(std::shared_ptr<lake::Lake> opened, lake::Lake::Open(flags.lake));
  SL_RETURN_IF_ERROR(lake::CheckLakeExists(*opened->fs(), flags.lake));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::LakeLock> lock, opened->Lock("saleslake vacuum"));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::Ledger> ledger, opened->OpenLog(/*writer=*/true));
  SL_ASSIGN_OR_RETURN(VacuumResult r, Vacuum(*opened->fs(), *ledger, options));
  // Old snapshots expire: commit records older than --older-than, behind a checkpoint.
  int64_t expired = -1;
  if (!flags.older_than.empty()) {
    Result<int64_t> older_than = ParseDurationMicros(flags.older_than);
    if (!older_than.ok()) return older_than.status().WithContext("--older-than");
    expired = 0;
    if (!options.dry_run) {
      SL_ASSIGN_OR_RETURN(uint64_t n, ledger->ExpireSnapshots(NowMicros() - *older_than));
      expired = static_cast<int64_t>(n);
    }
  }
  log::Info("vacuum.done", {{"removed", r.removed.size()},
                            {"kept", r.kept.size()},
                            {"bytes", r.removed_bytes},
                            {"dry_run", options.dry_run}});
  if (flags.format == "json") {
    std::string out;
    JsonWriter w(&out);
    w.BeginObject();
    w.Field("dry_run", options.dry_run);
    w.Key(options.dry_run ? "would_remove" : "removed");
    w.BeginArray();
    for (const std::string& p : r.removed) w.String(p);
    w.EndArray();
    w.Key("kept_younger_than_min_age");
    w.BeginArray();
    for (const std::string& p : r.kept) w.String(p);
    w.EndArray();
    w.Field("bytes", r.removed_bytes);
    if (expired >= 0) w.Field("expired_snapshots", expired);
    w.EndObject();
    std::printf("%s\n", out.c_str());
    return Status::OK();
  }
  for (const std::string& p : r.removed) {
    std::printf("%s %s\n", options.dry_run ? "would remove" : "removed", p.c_str());
  }
  for (const std::string& p : r.kept) {
    std::printf("kept %s (younger than --min-age %s)\n", p.c_str(), flags.min_age.c_str());
  }
  std::printf("%s %zu orphan file(s), %llu bytes%s\n", options.dry_run ? "would remove" : "removed",
              r.removed.size(), static_cast<unsigned long long>(r.removed_bytes),
              r.kept.empty() ? "" : fmt::format("; kept {} younger ones", r.kept.size()).c_str());
  if (expired >= 0 && !options.dry_run) {
    std::printf("expired %lld snapshot(s) older than %s\n", static_cast<long long>(expired),
                flags.older_than.c_str());
  }
  return Status::OK();
}

}  // namespace

int VacuumCommand(int argc, char** argv) {
  CLI::App app(
      "Remove orphans: data files no commit names (pending files of crashed writes, temporaries "
      "of interrupted uploads, strays). Takes the lake lock; committed files are never touched.");
  Flags flags;
  AddLakeFlag(&app, &flags.lake);
  app.add_flag("--dry-run", flags.dry_run, "list what would be removed, remove nothing");
  app.add_option("--min-age", flags.min_age,
                 "spare orphans younger than this (e.g. 30m, 1h; 0 removes them all)")
      ->default_val("1h");
  app.add_option("--older-than", flags.older_than,
                 "also expire snapshots older than this (e.g. 7d, 24h): their commit records "
                 "go, behind a checkpoint of the current state; the lake reads the same");
  AddFormatFlag(&app, &flags.format);
  return RunCommand(app, "vacuum", "saleslake vacuum --lake ./lake --dry-run --min-age 0", argc,
                    argv, [&]() { return Run(flags); });
}

}  // namespace saleslake::pipeline

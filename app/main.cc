// saleslake: one binary, many tools. This file is only the table of subcommands; each command
// parses its own flags (src/*/..._command.cc) and is also callable as a library function.
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "base/suggest.h"
#include "catalog/catalog_command.h"
#include "catalog/crawl_step.h"
#include "dashboard_pipeline.h"
#include "generator/generate_command.h"
#include "io/fs_command.h"
#include "lake/commit_log_move.h"
#include "lake/lake.h"
#include "lake/lake_lock.h"
#include "pipeline/distributed/worker.h"
#include "pipeline/extract_command.h"
#include "pipeline/run_command.h"
#include "pipeline/status_command.h"
#include "pipeline/transform_command.h"
#include "pipeline/vacuum.h"
#include "query_command.h"
#include "table/parquet_command.h"
#include "web/api_command.h"
#include "web/dashboard/serve_command.h"

namespace {

// `run` = extract -> transform -> crawl (the catalog is a layer above the pipeline).
int RunPipeline(int argc, char** argv) {
  return saleslake::pipeline::PipelineRunCommand(argc, argv, {saleslake::catalog::CrawlRunStep()});
}

struct Command {
  const char* name;
  const char* summary;
  int (*main)(int argc, char** argv);  // argv[0] is the command name
};

constexpr Command kCommands[] = {
    // {"generate", "...", saleslake::GenerateCommand},
    {"generate", "sales records as JSON/NDJSON: seeded, fast, optionally dirty",
     saleslake::generator::GenerateCommand},
    {"api", "the generator as an HTTP service: GET /v1/sales, /metrics, /openapi.json",
     saleslake::ApiCommand},
    {"parquet", "Parquet files: convert (NDJSON sales to Parquet), inspect (metadata), cat (rows)",
     saleslake::ParquetCommand},
    {"fs", "look at and copy files on local disk or S3: ls, stat, cat, put, cp, rm, mb, rb",
     saleslake::io::FsCommand},
    {"extract", "API responses, files or stdin -> raw Parquet batches, exactly once",
     saleslake::pipeline::ExtractCommand},
    {"transform", "raw batches -> main, quarantine, daily_sales and aggregates (one commit)",
     saleslake::pipeline::TransformCommand},
    {"run", "extract -> transform (-> crawl), once or --every interval; run records in _runs/",
     RunPipeline},
    {"compact", "merge the small files of each partition of a table, atomically",
     saleslake::pipeline::CompactCommand},
    {"quarantine", "list quarantined records; replay them into main once fixed",
     saleslake::pipeline::QuarantineCommand},
    {"status", "what the lake holds: batches, rows per table, quarantine by reason, last runs",
     saleslake::pipeline::StatusCommand},
    {"vacuum", "remove orphans (files of crashed writes that no commit names)",
     saleslake::pipeline::VacuumCommand},
    {"unlock", "break the lock of a writer that died on another machine (S3), in the ledger",
     saleslake::lake::UnlockCommand},
    {"migrate", "bring a lake written by an older saleslake to the current commit-log format",
     saleslake::lake::MigrateCommand},
    {"worker", "a stateless worker of a lake whose commit log is in PostgreSQL: claim, do, commit",
     saleslake::pipeline::distributed::WorkerCommand},
    {"commit-log", "the commit log: migrate its PostgreSQL schema, move it to/from PostgreSQL",
     saleslake::lake::CommitLogCommand},
    {"crawl", "read the lake's footers into the catalog: tables, columns, partitions, versions",
     saleslake::catalog::CrawlCommand},
    {"catalog", "the catalog: tables, describe, partitions, history, problems, ddl (5 dialects)",
     saleslake::catalog::CatalogCommand},
    {"query", "read-only SQL over the lake's tables (Athena/Trino dialect, Parquet pruned)",
     saleslake::QueryCommand},
    {"serve", "the dashboard, SQL console, catalog and pipeline pages, JSON API, /metrics",
     saleslake::web::ServeCommand},
    {"up",
     "the demo: generator API + a first run of 20 x 10k sales + the dashboard, then a run "
     "every minute",
     saleslake::web::UpCommand},
};

void PrintHelp() {
  std::printf(
      "saleslake %s: a sales-data lakehouse on one machine.\n\n"
      "Usage: saleslake <command> [flags]     saleslake <command> --help\n\nCommands:\n",
      SALESLAKE_VERSION);
  for (const Command& c : kCommands) std::printf("  %-10s %s\n", c.name, c.summary);
  std::printf(
      "\nEvery flag --foo-bar can also be set as SALESLAKE_FOO_BAR in the environment.\n"
      "Example:\n  saleslake generate --records 5 --seed 42 --format ndjson\n");
}

}  // namespace

int main(int argc, char** argv) {
  saleslake::InstallDashboardPipeline();  // the dashboard runs the pipeline through its port
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    PrintHelp();
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "version") == 0) {
    std::printf("saleslake %s\n", SALESLAKE_VERSION);
    return 0;
  }
  std::string_view name = argv[1];
  for (const Command& c : kCommands) {
    if (name == c.name) return c.main(argc - 1, argv + 1);
  }
  std::vector<std::string> names;
  for (const Command& c : kCommands) names.emplace_back(c.name);
  const std::string near = saleslake::NearestWord(name, names);
  std::fprintf(stderr, "saleslake: error: unknown command '%s'%s\nsee 'saleslake --help'\n",
               argv[1], near.empty() ? "" : ("; did you mean '" + near + "'?").c_str());
  return 2;
}

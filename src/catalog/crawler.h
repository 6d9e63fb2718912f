// The crawler: discovers the lake's tables (raw/, quarantine/, main/) and records them in the
// catalog — tables, columns with types, schema versions, partitions with rows, bytes and per-column
// min/max, and files — reading only Parquet footers.
//
// What counts: only files the ledger names (lake/ledger.h). Data-layer files no commit names
// are reported as orphans; a lake without any ledger commit (written by another tool) counts every
// published-looking .parquet file (no leading '_' or '.' in its path).
//
// Incremental: a file already in the catalog with the same path, size and modification time is
// not read again; removed files leave the catalog; only tables with a new, changed or removed file
// are recomputed.
//
// Schema versions: a table's first readable file gives version 1. A later file with a column the
// latest version lacks makes a new version (the old columns, then the new ones); a file with fewer
// columns is compatible. A column whose type differs from the table's is an incompatible change:
// the file is flagged (status "incompatible", a problem in the report), kept out of the table's
// files, and the crawl goes on. A file that is not valid Parquet is flagged "corrupt" the same way.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/json_writer.h"
#include "base/status.h"
#include "catalog/sqlite_db.h"
#include "io/file_system.h"

namespace saleslake::catalog {

struct CrawlOptions {
  std::string lake_uri;    // recorded in runs and catalog_info
  int64_t now_micros = 0;  // 0: the wall clock
  // Footers read at once: 0 picks 16 on S3 (each read is a round trip) and 2 elsewhere.
  int read_threads = 0;
  // With false, a crawl that finds nothing new (same ledger commit, no file read or dropped, the
  // same problems) writes nothing, not even a run: for callers that crawl before every use
  // (LoadLakeTables), so the runs table lists crawls that changed something.
  bool record_unchanged = true;
};

// kind: "corrupt_file", "incompatible_schema", "partition_mismatch", "missing_file" (the ledger
// names it, storage does not have it), "orphan" (storage has it, the ledger does not name it).
struct CrawlProblem {
  std::string kind;
  std::string table;  // catalog name, "" when not known
  std::string path;
  std::string detail;
};

// Writes problems (CrawlProblem, or the catalog's ProblemSummary: the same four fields) as a JSON
// array of {"kind", "table", "path", "detail"} objects.
template <typename Problem>
void WriteProblemsJson(JsonWriter& w, const std::vector<Problem>& problems) {
  w.BeginArray();
  for (const Problem& p : problems) {
    w.BeginObject();
    w.Field("kind", p.kind);
    w.Field("table", p.table);
    w.Field("path", p.path);
    w.Field("detail", p.detail);
    w.EndObject();
  }
  w.EndArray();
}

struct CrawlResult {
  int64_t run_id = 0;
  uint64_t ledger_seq = 0;
  bool ledger_present = false;
  int64_t tables = 0;
  int64_t files_committed = 0;  // data files that count (ledger-named and present)
  int64_t files_read = 0;       // footers read in this crawl
  int64_t files_reused = 0;     // unchanged since the last crawl: not read
  int64_t files_dropped = 0;    // in the catalog before, no longer committed
  int64_t new_versions = 0;     // schema versions created (first versions included)
  int64_t orphans = 0;
  std::vector<CrawlProblem> problems;  // orphans included
  int64_t duration_micros = 0;

  std::string ToJson() const;
  std::string ToText() const;
};

// Crawls the lake on `fs` into the catalog `db` (migrated), in one transaction: a failed crawl
// leaves the catalog as it was (and records a failed run).
Result<CrawlResult> Crawl(std::shared_ptr<io::FileSystem> fs, SqliteDb& db,
                          const CrawlOptions& options);

}  // namespace saleslake::catalog

// The lake's layout: every path of a lake is known here, and only here. Writers (the pipeline),
// the commit log, the crawler, SQL and the dashboard all take their paths from this file.
//
// How the catalog reads the lake's folders: which paths are data files of which table, the Hive
// partition in a path, and the catalog name of a table folder.
//
// A table is a folder under raw/, quarantine/ or main/ that holds Parquet files, directly or in
// Hive partition folders ("key=value"). Its location is the file's folder with the trailing
// key=value components removed: main/sales/year=2026/month=05/day=01/part-x.parquet belongs to
// main/sales, partition year=2026/month=05/day=01.
//
// Names (docs/catalog.md): main/<t> is `<t>`; raw/<t> is `raw_<t>`; quarantine/<t> is
// `quarantine_<t>`; deeper folders join their components with '_' (main/a/b is `a_b`). The seed's
// misspelling `higest_sold_product` is an alias of highest_sold_product.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "table/lake_table.h"

namespace saleslake::lake {

// ---- the lake's folders and the tables the pipeline writes -----------------------------------
//   raw/<table>/year=…/month=…/day=…/batch-<batch_id>.parquet   by ingestion date
//   quarantine/<table>/…/batch-<batch_id>.parquet                by ingestion date of the batch
//   main/<table>/…/part-<id>.parquet                             by sale date (business day)
//   main/daily_sales/…                                           the rollup day x store x product
//   _ledger/                                                     the commit log (ledger.h)
//   _runs/                                                       run records (pipeline/run.h)
//   _catalog/catalog.db                                          the SQLite catalog (local lakes)
inline constexpr std::string_view kRawSalesTable = "raw/sales";
inline constexpr std::string_view kQuarantineSalesTable = "quarantine/sales";
inline constexpr std::string_view kMainSalesTable = "main/sales";
inline constexpr std::string_view kDailySalesTable = "main/daily_sales";
inline constexpr std::string_view kLedgerDir = "_ledger";
inline constexpr std::string_view kRunsDir = "_runs";  // run records of `saleslake run`
inline constexpr std::string_view kCatalogDir = "_catalog";
// Intermediate files of distributed transforms (_work/<run_id>/…): map outputs and reduce
// conflicts, never named by a commit, removed by the run's finalize and by vacuum.
inline constexpr std::string_view kWorkDir = "_work";
inline constexpr std::string_view kCatalogFileName = "catalog.db";

// "year=2026/month=11/day=26" (zero-padded, like the seed).
std::string PartitionName(CivilDate date);
// "raw/sales" + 2026-11-26 -> "raw/sales/year=2026/month=11/day=26".
std::string PartitionPath(std::string_view table, CivilDate date);
// The partition of a UTC instant ("year=…/month=…/day=…" of its UTC date).
CivilDate UtcDateOf(int64_t micros);
// Parses "year=2026/month=11/day=26" (as written by PartitionName) back into a date.
Result<CivilDate> ParsePartitionName(std::string_view partition);
// "batch-<batch_id>.parquet": the file name of a raw or quarantine batch.
std::string BatchFileName(std::string_view batch_id);
// raw/sales/year=…/month=…/day=…/batch-<batch_id>.parquet for a batch ingested on `date`.
std::string RawBatchPath(CivilDate ingestion_date, std::string_view batch_id);

// "<dir>/_pending-<base>.pending" for "<dir>/<base>": where a data file is written before its
// commit (a leading '_' and no ".parquet": other engines skip it).
std::string PendingPath(std::string_view final_path);
bool IsPendingName(std::string_view base_name);
// "_ledger/00000000000000000042.json": commit record 42.
std::string CommitPath(uint64_t seq);
// 42 for "00000000000000000042.json" (a base name); 0 for anything else.
uint64_t SeqFromCommitName(std::string_view base_name);
// "_ledger/_checkpoint.json": the log's state after some commit.
std::string CheckpointPath();
// Whether `path` lies under one of the data layers (raw/, quarantine/, main/).
bool IsInDataLayer(std::string_view path);

// ---- how the catalog reads the folders --------------------------------------------------------

inline constexpr std::string_view kDataLayers[] = {"raw", "quarantine", "main"};
// The Hive name of a null partition value.
inline constexpr std::string_view kHiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

struct DataPath {
  std::string layer;      // "main"
  std::string location;   // "main/sales"
  std::string partition;  // "year=2026/month=05/day=01", "" when unpartitioned
  std::vector<std::pair<std::string, std::string>> partition_values;  // as in the path
};

// The table and partition of a data file path, or nullopt when the path is not a published data
// file: outside the data layers, not ending in ".parquet", or with a component that starts with
// '_' or '.' (pending files and temporaries, which engines skip too). Hive partition components
// must come after every plain folder component; a path that mixes them is nullopt.
std::optional<DataPath> ParseDataPath(std::string_view path);

// "main/sales" -> "sales", "raw/sales" -> "raw_sales", "main/a/b" -> "a_b".
std::string TableNameFor(std::string_view location);
// Other names that resolve to the table ("higest_sold_product" for "highest_sold_product").
std::vector<std::string> AliasesFor(std::string_view table_name);

// The catalog's text for a column type: "BOOLEAN", "INT32", "INT64", "FLOAT", "DOUBLE",
// "DECIMAL(18,2)", "STRING", "BINARY", "DATE", "TIMESTAMP".
std::string LakeTypeName(const table::LakeColumn& column);
// The inverse of LakeTypeName (sets type, precision and scale).
bool ParseLakeTypeName(std::string_view text, table::LakeColumn* column);

// "year=2026/month=05" -> {{"year","2026"},{"month","05"}}.
std::vector<std::pair<std::string, std::string>> SplitPartition(std::string_view partition);

}  // namespace saleslake::lake

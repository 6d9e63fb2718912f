// The crawler on lakes built by the real pipeline (raw batches from the generator, transform):
// tables, schema, partitions and counts match the ledger; incremental re-crawls read only new
// footers; schema evolution; corrupt files and orphans are reported while the rest is crawled.
#include "catalog/crawler.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include "catalog/catalog_store.h"
#include "catalog/lake_tables.h"
#include "generator/catalog.h"
#include "io/fault_injecting_file_system.h"
#include "io/test_temp_dir.h"
#include "lake/lake_lock.h"
#include "lake/layout.h"
#include "parquet/writer/file_writer.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/transform.h"
#include "pipeline/transform_io.h"
#include "pipeline/transform_test_util.h"

namespace saleslake::catalog {
namespace {

using pipeline::testing::GenerateNdjson;
using pipeline::testing::LandRawBatch;

constexpr int64_t kNow = 1'795'000'000'000'000LL;  // 2026-11-18

void Transform(std::shared_ptr<io::FileSystem> fs) {
  auto lock = lake::LakeLock::Acquire(fs, "test transform");
  ASSERT_TRUE(lock.ok()) << lock.status().ToString();
  auto ledger = lake::Ledger::Open(fs, true);
  ASSERT_TRUE(ledger.ok());
  static auto reference = generator::BuiltinCatalog();
  pipeline::TransformOptions options;
  options.now_micros = kNow + 100'000'000;
  options.reference = reference.get();
  auto result = pipeline::RunTransform(fs, ledger->get(), options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
}

lake::LedgerState LedgerOf(std::shared_ptr<io::FileSystem> fs) {
  auto ledger = lake::Ledger::Open(fs, false);
  EXPECT_TRUE(ledger.ok());
  return (*ledger)->state();
}

class CrawlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fs = io::FileSystemFromUri(dir_.path() + "/lake");
    ASSERT_TRUE(fs.ok());
    fs_ = *fs;
    auto store = CatalogStore::Open(dir_.path() + "/catalog.db", true);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }

  CrawlResult CrawlNow(std::shared_ptr<io::FileSystem> fs = nullptr) {
    CrawlOptions options;
    options.lake_uri = "file://" + dir_.path() + "/lake";
    options.now_micros = kNow;
    auto r = Crawl(fs ? fs : fs_, store_->db(), options);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : CrawlResult{};
  }

  // Two dirty batches landed and transformed: raw, quarantine, main and the rollups.
  void BuildLake(int batches, uint64_t seed) {
    for (int b = 0; b < batches; ++b) {
      std::string ndjson = GenerateNdjson(3000, seed + b, kNow, 0.02, nullptr, 20);
      LandRawBatch(fs_, ndjson, "batch" + std::to_string(seed + b), kNow + 1000 * (b + 1));
    }
    Transform(fs_);
  }

  io::TestTempDir dir_;
  std::shared_ptr<io::FileSystem> fs_;
  std::unique_ptr<CatalogStore> store_;
};

TEST_F(CrawlerTest, PipelineLakeMatchesTheLedger) {
  BuildLake(2, 1);
  CrawlResult r = CrawlNow();
  lake::LedgerState state = LedgerOf(fs_);
  EXPECT_EQ(r.files_committed, static_cast<int64_t>(state.files.size()));
  EXPECT_EQ(r.files_read, r.files_committed);
  EXPECT_EQ(r.files_reused, 0);
  EXPECT_TRUE(r.problems.empty()) << r.ToText();

  // Every table of the ledger, by its catalog name, with the ledger's files and rows.
  std::map<std::string, std::pair<int64_t, int64_t>> expected;  // name -> files, rows
  std::map<std::string, std::set<std::string>> partitions;
  for (const auto& [path, f] : state.files) {
    auto& e = expected[lake::TableNameFor(f.table)];
    ++e.first;
    e.second += static_cast<int64_t>(f.rows);
    partitions[lake::TableNameFor(f.table)].insert(f.partition);
  }
  for (const char* name : {"sales", "daily_sales", "brand_sales", "category_sales",
                           "profit_per_brand", "profit_per_category", "store_sales",
                           "highest_sold_product", "raw_sales", "quarantine_sales"}) {
    EXPECT_TRUE(expected.count(name)) << name;
  }
  auto tables = store_->Tables();
  ASSERT_TRUE(tables.ok());
  EXPECT_EQ(tables->size(), expected.size());
  EXPECT_EQ(r.tables, static_cast<int64_t>(expected.size()));
  for (const TableSummary& t : *tables) {
    ASSERT_TRUE(expected.count(t.name)) << t.name;
    EXPECT_EQ(t.files, expected[t.name].first) << t.name;
    EXPECT_EQ(t.rows, expected[t.name].second) << t.name;
    EXPECT_EQ(t.partitions, static_cast<int64_t>(partitions[t.name].size())) << t.name;
    EXPECT_EQ(t.schema_version, 1) << t.name;
    auto parts = store_->Partitions(t.name);
    ASSERT_TRUE(parts.ok());
    int64_t rows = 0;
    for (const PartitionSummary& p : *parts) rows += p.rows;
    EXPECT_EQ(rows, t.rows) << t.name;
  }

  // main/sales: the 15 fields and _batch_id, typed; year/month/day as INT32 keys.
  auto sales = store_->Describe("sales");
  ASSERT_TRUE(sales.ok()) << sales.status().ToString();
  std::map<std::string, std::string> types;
  for (const ColumnSummary& c : sales->columns) types[c.name] = c.type;
  EXPECT_EQ(sales->columns.size(), 16u + 3u);
  EXPECT_EQ(types["total"], "DECIMAL(18,2)");
  EXPECT_EQ(types["retail_price"], "DECIMAL(18,2)");
  EXPECT_EQ(types["timestamp"], "TIMESTAMP");
  EXPECT_EQ(types["quantity"], "INT32");
  EXPECT_EQ(types["transaction_id"], "STRING");
  EXPECT_EQ(types["year"], "INT32");
  EXPECT_EQ(types["month"], "INT32");
  EXPECT_TRUE(sales->columns.back().is_partition_key);
  for (const ColumnSummary& c : sales->columns) {
    if (c.name == "year") {
      EXPECT_EQ(c.min, "2026");
      EXPECT_EQ(c.max, "2026");
    }
    if (c.name == "month") {
      EXPECT_EQ(c.min, "10");  // 20 days before 2026-11-18
      EXPECT_EQ(c.max, "11");
    }
    if (c.name == "quantity") {
      EXPECT_EQ(c.min, "1");
      EXPECT_EQ(c.max, "3");
      EXPECT_EQ(c.null_count, 0);
    }
  }
  // Per partition, the timestamp range lies inside the day the partition names.
  auto parts = store_->Partitions("sales");
  ASSERT_TRUE(parts.ok());
  ASSERT_FALSE(parts->empty());
  for (const PartitionSummary& p : *parts) {
    auto kv = lake::SplitPartition(p.partition);
    ASSERT_EQ(kv.size(), 3u);
    std::string day = kv[0].second + "-" + kv[1].second + "-" + kv[2].second;
    bool seen = false;
    for (const PartitionColumnStats& c : p.columns) {
      if (c.column != "timestamp") continue;
      seen = true;
      ASSERT_TRUE(c.min && c.max) << p.partition;
      EXPECT_EQ(c.min->substr(0, 10), day);
      EXPECT_EQ(c.max->substr(0, 10), day);
    }
    EXPECT_TRUE(seen);
  }

  // The SQL engine's view: committed files with their partitions; the alias.
  auto lake_tables = store_->LakeTables();
  ASSERT_TRUE(lake_tables.ok());
  bool found_alias = false;
  for (const table::LakeTable& t : *lake_tables) {
    EXPECT_EQ(static_cast<int64_t>(t.files.size()), expected[t.name].first) << t.name;
    if (t.name == "sales") {
      ASSERT_EQ(t.partition_keys.size(), 3u);
      EXPECT_EQ(t.partition_keys[1].name, "month");
      EXPECT_EQ(t.partition_keys[1].type, table::LakeType::kInt32);
      EXPECT_EQ(t.columns.size(), 16u);
      EXPECT_EQ(t.location, "main/sales");
      ASSERT_FALSE(t.files.empty());
      EXPECT_EQ(t.files[0].partition.size(), 3u);
      EXPECT_EQ(t.files[0].partition[0].first, "year");
    }
    if (t.name == "highest_sold_product") {
      found_alias = t.aliases == std::vector<std::string>{"higest_sold_product"};
    }
    if (t.name == "brand_sales") {
      EXPECT_TRUE(t.partition_keys.empty());
    }
  }
  EXPECT_TRUE(found_alias);
  auto resolved = store_->ResolveName("higest_sold_product");
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(*resolved, "highest_sold_product");
  auto missing = store_->Describe("nope");
  EXPECT_TRUE(missing.status().IsNotFound());
  EXPECT_NE(missing.status().message().find("sales"), std::string::npos);
}

TEST_F(CrawlerTest, IncrementalCrawlReadsOnlyNewFooters) {
  auto counting = std::make_shared<io::FaultInjectingFileSystem>(fs_);
  BuildLake(1, 10);
  auto parquet_opens = [&]() {
    uint64_t n = 0;
    for (const std::string& line : counting->History()) {
      if (line.starts_with("open_for_read ") && line.ends_with(".parquet")) ++n;
    }
    return n;
  };
  counting->ResetCounters();
  CrawlResult first = CrawlNow(counting);
  std::set<std::string> before;
  for (const auto& [path, f] : LedgerOf(fs_).files) before.insert(path);
  EXPECT_EQ(parquet_opens(), before.size());
  EXPECT_EQ(first.files_read, static_cast<int64_t>(before.size()));

  counting->ResetCounters();
  CrawlResult again = CrawlNow(counting);
  EXPECT_EQ(parquet_opens(), 0u);
  EXPECT_EQ(again.files_read, 0);
  EXPECT_EQ(again.files_reused, first.files_committed);
  EXPECT_EQ(again.new_versions, 0);

  // A new batch: only the files it adds are read; the replaced ones leave the catalog.
  LandRawBatch(fs_, GenerateNdjson(2000, 99, kNow, 0.01, nullptr, 20), "batch-new", kNow + 50'000);
  Transform(fs_);
  std::set<std::string> after;
  for (const auto& [path, f] : LedgerOf(fs_).files) after.insert(path);
  uint64_t added = 0, removed = 0;
  for (const std::string& p : after) added += before.count(p) == 0;
  for (const std::string& p : before) removed += after.count(p) == 0;
  ASSERT_GT(added, 0u);
  counting->ResetCounters();
  CrawlResult third = CrawlNow(counting);
  EXPECT_EQ(parquet_opens(), added);
  EXPECT_EQ(third.files_read, static_cast<int64_t>(added));
  EXPECT_EQ(third.files_dropped, static_cast<int64_t>(removed));
  EXPECT_EQ(third.files_committed, static_cast<int64_t>(after.size()));
  auto sales = store_->Tables();
  ASSERT_TRUE(sales.ok());
  for (const TableSummary& t : *sales) {
    uint64_t rows = pipeline::testing::CommittedRows(fs_, t.location);
    EXPECT_EQ(t.rows, static_cast<int64_t>(rows)) << t.name;
  }
  // Runs are recorded for the dashboard.
  auto runs = store_->db().QueryInt("SELECT count(*) FROM runs WHERE status = 'ok'");
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(runs->value_or(0), 3);
}

// Writes a Parquet file straight into a ledger-less lake.
void WriteFile(io::FileSystem& fs, const std::string& path,
               const std::vector<parquet::ColumnSpec>& columns,
               const std::vector<parquet::ColumnBuffer>& data) {
  auto out = fs.OpenForWrite(path);
  ASSERT_TRUE(out.ok());
  auto writer = parquet::ParquetFileWriter::Open(std::move(*out), columns, {});
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Write(data).ok());
  ASSERT_TRUE((*writer)->Close().ok());
}

TEST_F(CrawlerTest, SchemaEvolutionNewColumnNewVersionIncompatibleFlagged) {
  using parquet::ColumnSpec;
  auto ints = [](std::vector<int64_t> v) {
    parquet::ColumnBuffer b(parquet::Type::kInt64);
    for (int64_t x : v) b.AppendInt64(x);
    return b;
  };
  auto strings = [](std::vector<std::string> v) {
    parquet::ColumnBuffer b(parquet::Type::kByteArray);
    for (const auto& x : v) b.AppendBytes(x);
    return b;
  };
  WriteFile(*fs_, "main/events/day=01/part-1.parquet",
            {ColumnSpec::Int64("id"), ColumnSpec::String("kind")},
            {ints({1, 2}), strings({"a", "b"})});
  CrawlResult r1 = CrawlNow();
  EXPECT_FALSE(r1.ledger_present);
  EXPECT_EQ(r1.new_versions, 1);
  EXPECT_TRUE(r1.problems.empty()) << r1.ToText();

  WriteFile(
      *fs_, "main/events/day=02/part-2.parquet",
      {ColumnSpec::Int64("id"), ColumnSpec::String("kind"), ColumnSpec::Decimal("amount", 18, 2)},
      {ints({3}), strings({"c"}), ints({1250})});
  CrawlResult r2 = CrawlNow();
  EXPECT_EQ(r2.files_read, 1);
  EXPECT_EQ(r2.new_versions, 1);
  auto history = store_->History("events");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].version, 2);
  EXPECT_EQ((*history)[1].change, "added: amount DECIMAL(18,2)");
  EXPECT_EQ((*history)[0].files, 1);
  EXPECT_EQ((*history)[1].files, 1);

  // id as a string: incompatible; flagged and reported, never a failure.
  WriteFile(*fs_, "main/events/day=03/part-3.parquet",
            {ColumnSpec::String("id"), ColumnSpec::String("kind")},
            {strings({"x"}), strings({"d"})});
  CrawlResult r3 = CrawlNow();
  ASSERT_EQ(r3.problems.size(), 1u) << r3.ToText();
  EXPECT_EQ(r3.problems[0].kind, "incompatible_schema");
  EXPECT_EQ(r3.problems[0].path, "main/events/day=03/part-3.parquet");
  EXPECT_NE(r3.problems[0].detail.find("column id is STRING in the file but INT64"),
            std::string::npos)
      << r3.problems[0].detail;
  // Reported again by the next crawl, without reading it again.
  CrawlResult r4 = CrawlNow();
  EXPECT_EQ(r4.files_read, 0);
  ASSERT_EQ(r4.problems.size(), 1u);
  EXPECT_EQ(r4.problems[0].kind, "incompatible_schema");

  auto tables = store_->LakeTables();
  ASSERT_TRUE(tables.ok());
  ASSERT_EQ(tables->size(), 1u);
  const table::LakeTable& t = (*tables)[0];
  EXPECT_EQ(t.name, "events");
  EXPECT_EQ(t.schema_version, 2);
  ASSERT_EQ(t.columns.size(), 3u);
  EXPECT_EQ(t.columns[2].name, "amount");
  EXPECT_EQ(t.columns[2].type, table::LakeType::kDecimal);
  EXPECT_TRUE(t.columns[2].nullable);
  EXPECT_EQ(t.files.size(), 2u);  // the incompatible file is left out
  ASSERT_EQ(t.partition_keys.size(), 1u);
  EXPECT_EQ(t.partition_keys[0].type, table::LakeType::kInt32);
  auto problems = store_->Problems();
  ASSERT_TRUE(problems.ok());
  EXPECT_EQ(problems->size(), 1u);
}

TEST_F(CrawlerTest, CorruptFileAndOrphanReportedOtherTablesCrawled) {
  BuildLake(1, 20);
  lake::LedgerState state = LedgerOf(fs_);
  std::string victim;
  std::string sales_file;
  for (const auto& [path, f] : state.files) {
    if (f.table == "main/brand_sales") victim = path;
    if (f.table == "main/sales" && sales_file.empty()) sales_file = path;
  }
  ASSERT_FALSE(victim.empty());
  // Same size, garbage footer.
  auto bytes = fs_->ReadFile(victim);
  ASSERT_TRUE(bytes.ok());
  std::string garbage(bytes->size(), 'x');
  ASSERT_TRUE(fs_->WriteFile(victim, garbage).ok());
  // A published-looking file no commit names, and a pending one.
  ASSERT_TRUE(fs_->WriteFile(sales_file.substr(0, sales_file.rfind('/')) + "/part-stray.parquet",
                             *fs_->ReadFile(sales_file))
                  .ok());
  ASSERT_TRUE(fs_->WriteFile("raw/sales/_pending-batch-x.parquet.pending", "half").ok());

  CrawlResult r = CrawlNow();
  std::map<std::string, int> kinds;
  for (const CrawlProblem& p : r.problems) ++kinds[p.kind];
  EXPECT_EQ(kinds["corrupt_file"], 1) << r.ToText();
  EXPECT_EQ(kinds["orphan"], 2) << r.ToText();
  EXPECT_EQ(r.orphans, 2);
  for (const CrawlProblem& p : r.problems) {
    if (p.kind == "corrupt_file") {
      EXPECT_EQ(p.path, victim);
      EXPECT_EQ(p.table, "brand_sales");
      EXPECT_NE(p.detail.find(victim), std::string::npos) << p.detail;
    }
  }
  auto tables = store_->LakeTables();
  ASSERT_TRUE(tables.ok());
  std::set<std::string> names;
  for (const auto& t : *tables) names.insert(t.name);
  EXPECT_EQ(names.count("brand_sales"), 0u);  // no readable file
  EXPECT_EQ(names.count("sales"), 1u);
  EXPECT_EQ(names.count("category_sales"), 1u);
  auto sales = store_->Tables();
  ASSERT_TRUE(sales.ok());
  for (const TableSummary& t : *sales) {
    if (t.name == "sales") {
      EXPECT_EQ(t.rows, static_cast<int64_t>(pipeline::testing::CommittedRows(fs_, "main/sales")));
    }
    if (t.name == "brand_sales") {
      EXPECT_EQ(t.problem_files, 1);
    }
  }
}

// Delegates to `base`, running `hook` once before the first listing of raw/: a writer committing
// while the crawl lists the lake's data layers.
class CommitDuringListFileSystem final : public io::FileSystem {
 public:
  CommitDuringListFileSystem(std::shared_ptr<io::FileSystem> base, std::function<void()> hook)
      : base_(std::move(base)), hook_(std::move(hook)) {}
  std::string_view scheme() const override { return base_->scheme(); }
  std::string root_uri() const override { return base_->root_uri(); }
  Result<io::FileInfo> GetFileInfo(std::string_view path) override {
    return base_->GetFileInfo(path);
  }
  Result<std::vector<io::FileInfo>> List(std::string_view prefix,
                                         const io::ListOptions& options) override {
    if (hook_ && prefix == "raw") std::exchange(hook_, nullptr)();
    return base_->List(prefix, options);
  }
  Result<std::unique_ptr<io::RandomAccessFile>> OpenForRead(std::string_view path) override {
    return base_->OpenForRead(path);
  }
  Result<std::unique_ptr<io::WritableFile>> OpenForWrite(std::string_view path) override {
    return base_->OpenForWrite(path);
  }
  Status Delete(std::string_view path) override { return base_->Delete(path); }
  Status DeleteMany(const std::vector<std::string>& paths) override {
    return base_->DeleteMany(paths);
  }
  Status Move(std::string_view from, std::string_view to) override { return base_->Move(from, to); }
  Status CreateDir(std::string_view path) override { return base_->CreateDir(path); }

 private:
  std::shared_ptr<io::FileSystem> base_;
  std::function<void()> hook_;
};

TEST_F(CrawlerTest, CommitDuringTheListingIsNotAnOrphan) {
  BuildLake(1, 30);
  auto racing = std::make_shared<CommitDuringListFileSystem>(fs_, [&]() {
    LandRawBatch(fs_, GenerateNdjson(500, 31, kNow, 0, nullptr, 20), "batch-racing", kNow + 9000);
  });
  CrawlResult r = CrawlNow(racing);
  EXPECT_TRUE(r.problems.empty()) << r.ToText();
  EXPECT_EQ(r.files_committed, static_cast<int64_t>(LedgerOf(fs_).files.size()));
  EXPECT_EQ(r.ledger_seq, LedgerOf(fs_).last_seq);
}

TEST_F(CrawlerTest, LoadLakeTablesRecordsOnlyCrawlsThatChangedSomething) {
  BuildLake(1, 40);
  const std::string lake = dir_.path() + "/lake";
  for (int i = 0; i < 3; ++i) {
    auto tables = LoadLakeTables(lake);
    ASSERT_TRUE(tables.ok()) << tables.status().ToString();
    EXPECT_EQ(tables->size(), 10u);
  }
  auto store = CatalogStore::Open(lake + "/_catalog/catalog.db", false);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto runs = (*store)->db().QueryInt("SELECT count(*) FROM runs");
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(runs->value_or(0), 1);
  // The explicit crawl command records every run.
  ASSERT_TRUE(CrawlLake(lake).ok());
  EXPECT_EQ((*store)->db().QueryInt("SELECT count(*) FROM runs")->value_or(0), 2);
  auto typo = CrawlLake(dir_.path() + "/no-such-lake");
  EXPECT_TRUE(typo.status().IsNotFound());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/no-such-lake"));
}

TEST_F(CrawlerTest, LoadLakeTablesWithoutAWritableCatalogCrawlsInMemory) {
  BuildLake(1, 50);
  const std::string lake = dir_.path() + "/lake";
  // A file where the catalog's folder would go: the catalog cannot be created.
  ASSERT_TRUE(fs_->WriteFile("_catalog", "in the way").ok());
  auto tables = LoadLakeTables(lake);
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  EXPECT_EQ(tables->size(), 10u);
  int64_t rows = 0;
  for (const table::LakeTable& t : *tables) {
    if (t.name != "sales") continue;
    for (const table::LakeFile& f : t.files) rows += f.rows;
  }
  EXPECT_EQ(rows, static_cast<int64_t>(pipeline::testing::CommittedRows(fs_, "main/sales")));
}

TEST(CatalogStoreTest, RefusesNewerSchemaAndMissingCatalog) {
  io::TestTempDir dir;
  auto missing = CatalogStore::Open(dir.path() + "/none.db", false);
  EXPECT_TRUE(missing.status().IsNotFound()) << missing.status().ToString();
  {
    auto store = CatalogStore::Open(dir.path() + "/c.db", true);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->db().Exec("PRAGMA user_version = 99").ok());
  }
  auto newer = CatalogStore::Open(dir.path() + "/c.db", true);
  EXPECT_EQ(newer.status().code(), StatusCode::kNotSupported);
  EXPECT_NE(newer.status().message().find("schema version 99"), std::string::npos);
}

}  // namespace
}  // namespace saleslake::catalog

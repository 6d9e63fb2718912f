// The crawler on a lake in S3 (moto on loopback): footers read with ranged GETs, the catalog on
// local disk (the default path under the cache directory), counts equal to the ledger's, and a
// re-crawl that reads no footer.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "catalog/catalog_store.h"
#include "catalog/crawler.h"
#include "catalog/lake_tables.h"
#include "generator/catalog.h"
#include "io/fault_injecting_file_system.h"
#include "io/s3/s3_factory.h"
#include "io/s3/s3_test_server.h"
#include "io/test_temp_dir.h"
#include "lake/lake_lock.h"
#include "lake/layout.h"
#include "pipeline/transform.h"
#include "pipeline/transform_test_util.h"

namespace saleslake::catalog {
namespace {

using io::s3::testing::S3ServerKind;

constexpr int64_t kNow = 1'795'000'000'000'000LL;

TEST(CrawlS3, LakeOnS3CatalogOnLocalDisk) {
  auto server = io::s3::testing::SharedS3TestServer(S3ServerKind::kMoto);
  if (!server.ok()) GTEST_SKIP() << server.status().ToString();
  const std::string bucket = io::s3::testing::UniqueBucketName();
  ASSERT_TRUE((*server)->CreateBucket(bucket).ok());
  const std::string uri = "s3://" + bucket + "/lake";
  auto s3 = io::s3::S3FileSystemFromUri(uri, (*server)->Config());
  ASSERT_TRUE(s3.ok()) << s3.status().ToString();
  std::shared_ptr<io::FileSystem> fs = *s3;

  pipeline::testing::LandRawBatch(
      fs, pipeline::testing::GenerateNdjson(2000, 5, kNow, 0.02, nullptr, 10), "b1", kNow + 1);
  {
    auto lock = lake::LakeLock::Acquire(fs, "test transform");
    ASSERT_TRUE(lock.ok()) << lock.status().ToString();
    auto ledger = lake::Ledger::Open(fs, true);
    ASSERT_TRUE(ledger.ok());
    auto reference = generator::BuiltinCatalog();
    pipeline::TransformOptions options;
    options.now_micros = kNow + 100'000'000;
    options.reference = reference.get();
    auto result = pipeline::RunTransform(fs, ledger->get(), options);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
  }

  io::TestTempDir dir;
  ASSERT_EQ(::setenv("XDG_CACHE_HOME", dir.path().c_str(), 1), 0);
  auto path = DefaultCatalogPath(uri);
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(*path, dir.path() + "/saleslake/catalogs/" + bucket + "/lake/catalog.db");
  auto store = CatalogStore::Open(*path, true);
  ASSERT_TRUE(store.ok()) << store.status().ToString();

  auto counting = std::make_shared<io::FaultInjectingFileSystem>(fs);
  CrawlOptions options;
  options.lake_uri = uri;
  auto first = Crawl(counting, (*store)->db(), options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->problems.empty()) << first->ToText();
  auto ledger = lake::Ledger::Open(fs, false);
  ASSERT_TRUE(ledger.ok());
  const auto& files = (*ledger)->state().files;
  EXPECT_EQ(first->files_read, static_cast<int64_t>(files.size()));
  // Footers only: at most a few ranged reads per file, never the whole data.
  EXPECT_LE(counting->OperationCount(io::fault::kRead), 3 * files.size());

  std::map<std::string, int64_t> rows;
  for (const auto& [p, f] : files)
    rows[lake::TableNameFor(f.table)] += static_cast<int64_t>(f.rows);
  auto tables = (*store)->Tables();
  ASSERT_TRUE(tables.ok());
  EXPECT_EQ(tables->size(), rows.size());
  for (const TableSummary& t : *tables) EXPECT_EQ(t.rows, rows[t.name]) << t.name;

  counting->ResetCounters();
  auto again = Crawl(counting, (*store)->db(), options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->files_read, 0);
  for (const std::string& line : counting->History()) {
    EXPECT_FALSE(line.starts_with("open_for_read ") && line.ends_with(".parquet")) << line;
  }
}

}  // namespace
}  // namespace saleslake::catalog

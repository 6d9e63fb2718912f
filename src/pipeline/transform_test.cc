// Transform end to end on real lakes (mem:// and local disk): raw batches from the generator with
// dirty records -> main, quarantine, rollups and aggregates; dedupe; idempotence; business day.
#include "pipeline/transform.h"

#include <gtest/gtest.h>

#include <set>

#include "base/clock.h"
#include "generator/catalog.h"
#include "io/mem_file_system.h"
#include "io/test_temp_dir.h"
#include "lake/lake_lock.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/rollups.h"
#include "pipeline/transform_io.h"
#include "pipeline/transform_test_util.h"

namespace saleslake::pipeline {
namespace {

using testing::CommittedFiles;
using testing::CommittedRows;
using testing::GenerateNdjson;
using testing::LandRawBatch;
using testing::ReadMainRows;

constexpr int64_t kNow = 1'795'000'000'000'000LL;  // 2026-11-18T...Z

Result<TransformResult> Transform(std::shared_ptr<io::FileSystem> fs, TransformOptions options) {
  SL_ASSIGN_OR_RETURN(auto lock, lake::LakeLock::Acquire(fs, "test transform"));
  SL_ASSIGN_OR_RETURN(auto ledger, lake::Ledger::Open(fs, true));
  return RunTransform(fs, ledger.get(), options);
}

std::string FirstLines(const std::string& text, size_t n) {
  size_t at = 0;
  for (size_t i = 0; i < n && at != std::string::npos; ++i) at = text.find('\n', at + 1);
  return text.substr(0, at == std::string::npos ? text.size() : at + 1);
}

// Sums of a table's int64 column by its string key column.
std::map<std::string, int64_t> SumBy(std::shared_ptr<io::FileSystem> fs, std::string_view table,
                                     const std::string& key, const std::string& value) {
  std::map<std::string, int64_t> out;
  auto ledger = lake::Ledger::Open(fs, false);
  EXPECT_TRUE(ledger.ok());
  for (const lake::LedgerFile& f : (*ledger)->state().FilesOf(table)) {
    auto reader = OpenLakeFile(*fs, f.path);
    EXPECT_TRUE(reader.ok());
    auto k = (*reader)->schema().FindColumn(key);
    auto v = (*reader)->schema().FindColumn(value);
    EXPECT_TRUE(k.ok() && v.ok()) << key << " " << value;
    for (int rg = 0; rg < (*reader)->num_row_groups(); ++rg) {
      auto cols = (*reader)->ReadRowGroup(rg, {*k, *v});
      EXPECT_TRUE(cols.ok());
      for (int64_t i = 0; i < (*cols)[0].length; ++i) {
        std::string name((*cols)[0].binaries[i]);
        out[name] += (*cols)[1].physical_type == parquet::Type::kInt32 ? (*cols)[1].int32s[i]
                                                                       : (*cols)[1].int64s[i];
      }
    }
  }
  return out;
}

class TransformEndToEnd : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      auto fs = io::FileSystemFromUri(dir_.path() + "/lake");
      ASSERT_TRUE(fs.ok());
      fs_ = *fs;
    } else {
      fs_ = io::MemFileSystem::Make();
    }
  }
  io::TestTempDir dir_;
  std::shared_ptr<io::FileSystem> fs_;
};

TEST_P(TransformEndToEnd, DirtyBatchesLandInMainAndQuarantineExactlyOnce) {
  std::map<std::string, uint64_t> dirty1, dirty2;
  std::string b1 = GenerateNdjson(6000, 11, kNow, 0.02, &dirty1);
  std::string b2 = GenerateNdjson(6000, 12, kNow, 0.02, &dirty2);
  LandRawBatch(fs_, b1, "batch0001", kNow + 1000);
  LandRawBatch(fs_, b2, "batch0002", kNow + 2000);
  // The same records again in a third batch: identical copies, all to be dropped or quarantined.
  LandRawBatch(fs_, FirstLines(b1, 500), "batch0003", kNow + 3000);

  auto catalog = generator::BuiltinCatalog();
  TransformOptions options;
  options.now_micros = kNow + 10'000'000;
  options.reference = catalog.get();
  auto result = Transform(fs_, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_TRUE(result->committed);
  EXPECT_EQ(result->rows_in, 12500u);
  EXPECT_EQ(result->rows_main + result->rows_quarantined + result->dropped_duplicates,
            result->rows_in);
  EXPECT_GE(result->dropped_duplicates, 450u);  // the third batch, less its dirty records
  EXPECT_EQ(CommittedRows(fs_, kMainSalesTable), result->rows_main);
  EXPECT_EQ(CommittedRows(fs_, kQuarantineSalesTable), result->rows_quarantined);

  std::vector<testing::MainRow> main = ReadMainRows(fs_);
  std::set<std::string> ids;
  for (const auto& r : main) EXPECT_TRUE(ids.insert(r.id).second) << "twice in main: " << r.id;

  // Every dirty kind the generator made is quarantined under its reason.
  const std::map<std::string, std::string> kind_to_reason = {
      {"missing_field", "missing_field"},
      {"null_value", "null_value"},
      {"wrong_type", "bad_type"},
      {"bad_timestamp", "bad_timestamp"},
      {"future_timestamp", "future_timestamp"},
      {"non_positive_quantity", "non_positive_quantity"},
      {"total_mismatch", "total_mismatch"},
      {"unknown_store", "unknown_store"},
      {"unknown_product", "unknown_product"},
      {"store_name_mismatch", "store_mismatch"},
      {"bad_email", "bad_email"},
      {"duplicate_conflict", "duplicate_conflict"},
      {"oversized_field", "oversized_field"},
      {"invalid_utf8", "invalid_utf8"},
      {"not_an_object", "not_an_object"},
      {"extra_field", "extra_field"}};
  for (const auto& [kind, reason] : kind_to_reason) {
    uint64_t made = dirty1[kind] + dirty2[kind];
    if (made == 0) continue;
    EXPECT_GE(result->quarantine_by_reason[reason], kind == "duplicate_conflict" ? 1 : made)
        << kind;
  }
  EXPECT_GT(dirty1["duplicate_identical"] + dirty2["duplicate_identical"], 0u);

  // Rollups equal a recomputation from main.
  std::map<std::string, int64_t> sales_by_brand, units_by_brand, orders_by_store, by_cat;
  auto ledger = lake::Ledger::Open(fs_, false);
  ASSERT_TRUE(ledger.ok());
  int64_t main_total = 0;
  for (const lake::LedgerFile& f : (*ledger)->state().FilesOf(kMainSalesTable)) {
    auto reader = OpenLakeFile(*fs_, f.path);
    ASSERT_TRUE(reader.ok());
    for (int rg = 0; rg < (*reader)->num_row_groups(); ++rg) {
      auto cols = (*reader)->ReadRowGroup(rg, {2, 8, 10, 12, 7});
      ASSERT_TRUE(cols.ok());
      for (int64_t i = 0; i < (*cols)[0].length; ++i) {
        std::string brand((*cols)[1].binaries[i]);
        sales_by_brand[brand] += (*cols)[3].int64s[i];
        units_by_brand[brand] += (*cols)[2].int32s[i];
        orders_by_store[std::string((*cols)[0].binaries[i])] += 1;
        main_total += (*cols)[3].int64s[i];
        by_cat[std::string((*cols)[4].binaries[i])] += (*cols)[3].int64s[i];
      }
    }
  }
  EXPECT_EQ(SumBy(fs_, "main/brand_sales", "brand", "total_sales"), sales_by_brand);
  EXPECT_EQ(SumBy(fs_, "main/brand_sales", "brand", "total_quantity"), units_by_brand);
  int64_t store_orders = 0, main_orders = 0;
  for (const auto& [s, n] : SumBy(fs_, "main/store_sales", "store_name", "orders")) {
    store_orders += n;
  }
  for (const auto& [s, n] : orders_by_store) main_orders += n;
  EXPECT_EQ(store_orders, main_orders);
  EXPECT_EQ(SumBy(fs_, "main/daily_sales", "brand", "sales"), sales_by_brand);
  auto by_category = SumBy(fs_, "main/category_sales", "category", "total_sales");
  EXPECT_EQ(by_category, by_cat);  // by category, not by brand
  int64_t category_total = 0;
  for (const auto& [c, v] : by_category) category_total += v;
  EXPECT_EQ(category_total, main_total);

  // Nothing pending: a second run commits nothing and changes nothing.
  auto before = CommittedFiles(fs_);
  auto again = Transform(fs_, options);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->committed);
  EXPECT_EQ(CommittedFiles(fs_), before);
}

TEST_P(TransformEndToEnd, LaterBatchesDedupeAgainstMain) {
  std::string b1 = GenerateNdjson(3000, 21, kNow, 0.0);
  LandRawBatch(fs_, b1, "batch0001", kNow);
  TransformOptions options;
  options.now_micros = kNow + 10'000'000;
  ASSERT_TRUE(Transform(fs_, options).ok());
  // Later: 200 identical copies, one changed copy, and 1000 new sales.
  std::string copies = FirstLines(b1, 200);
  std::string line = FirstLines(b1, 1);
  size_t at = line.find("\"customer_name\":\"");
  ASSERT_NE(at, std::string::npos);
  line.insert(at + 17, "X");
  LandRawBatch(fs_, copies + line + GenerateNdjson(1000, 22, kNow, 0.0), "batch0002", kNow + 1);
  auto second = Transform(fs_, options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->rows_in, 1201u);
  EXPECT_EQ(second->dropped_duplicates, 200u);
  EXPECT_EQ(second->rows_quarantined, 1u);
  EXPECT_EQ(second->quarantine_by_reason["duplicate_conflict"], 1u);
  EXPECT_EQ(second->rows_main, 1000u);
  EXPECT_EQ(CommittedRows(fs_, kMainSalesTable), 4000u);
  // daily_sales was rewritten, not appended to: orders over it equal main's rows.
  auto orders = SumBy(fs_, "main/store_sales", "store_name", "orders");
  int64_t total = 0;
  for (const auto& [s, n] : orders) total += n;
  EXPECT_EQ(total, 4000);
}

TEST_P(TransformEndToEnd, BusinessOffsetMovesSalesAcrossMidnight) {
  LandRawBatch(fs_, GenerateNdjson(2000, 31, kNow, 0.0), "batch0001", kNow);
  TransformOptions options;
  options.now_micros = kNow + 10'000'000;
  // Stores open 10:00-21:30 at +05:30 (04:30-16:00 UTC): at -06:00 early sales fall on the
  // previous day.
  options.business_utc_offset_seconds = -6 * 3600;
  ASSERT_TRUE(Transform(fs_, options).ok());
  int moved = 0;
  for (const auto& r : ReadMainRows(fs_)) {
    const int64_t local = r.timestamp_micros + options.business_utc_offset_seconds * 1'000'000LL;
    EXPECT_EQ(r.partition, PartitionName(UtcDateOf(local))) << r.id;
    if (PartitionName(UtcDateOf(r.timestamp_micros)) != r.partition) ++moved;
  }
  EXPECT_GT(moved, 0);  // sales before 06:00 UTC belong to the previous business day
}

INSTANTIATE_TEST_SUITE_P(Lakes, TransformEndToEnd, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Local" : "Mem"; });

}  // namespace
}  // namespace saleslake::pipeline

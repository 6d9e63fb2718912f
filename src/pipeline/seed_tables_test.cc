// The seed's six tables (names, grain, columns in order, DECIMAL money, rounding, order), the
// default reference catalog, `transform --rebuild`, and tiered compaction over many small runs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <tuple>

#include "io/mem_file_system.h"
#include "lake/lake_lock.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/rollups.h"
#include "pipeline/transform.h"
#include "pipeline/transform_io.h"
#include "pipeline/transform_test_util.h"

namespace saleslake::pipeline {
namespace {

using testing::CommittedRows;
using testing::GenerateNdjson;
using testing::LandRawBatch;

constexpr int64_t kNow = 1'795'000'000'000'000LL;  // 2026-11-18

Result<TransformResult> Transform(std::shared_ptr<io::FileSystem> fs, TransformOptions options) {
  options.now_micros = kNow + 10'000'000;
  SL_ASSIGN_OR_RETURN(auto lock, lake::LakeLock::Acquire(fs, "test transform"));
  SL_ASSIGN_OR_RETURN(auto ledger, lake::Ledger::Open(fs, true));
  return RunTransform(fs, ledger.get(), options);
}

std::vector<lake::LedgerFile> Files(std::shared_ptr<io::FileSystem> fs, std::string_view table) {
  auto ledger = lake::Ledger::Open(fs, false);
  EXPECT_TRUE(ledger.ok());
  return (*ledger)->state().FilesOf(table);
}

// Every cell of a one-file table, as text ("12.50" for DECIMAL(18,2) 1250).
std::vector<std::vector<std::string>> ReadTable(std::shared_ptr<io::FileSystem> fs,
                                                std::string_view table,
                                                std::vector<std::string>* header) {
  std::vector<std::vector<std::string>> rows;
  std::vector<lake::LedgerFile> files = Files(fs, table);
  EXPECT_EQ(files.size(), 1u) << table;
  if (files.size() != 1) return rows;
  auto reader = OpenLakeFile(*fs, files[0].path);
  EXPECT_TRUE(reader.ok());
  const auto& schema = (*reader)->schema();
  std::vector<int> all;
  header->clear();
  for (int c = 0; c < schema.num_columns(); ++c) {
    all.push_back(c);
    const auto& d = schema.column(c);
    std::string type = d.kind == parquet::ColumnKind::kDecimal
                           ? "DECIMAL(" + std::to_string(d.decimal_precision) + "," +
                                 std::to_string(d.decimal_scale) + ")"
                       : d.physical_type == parquet::Type::kInt64 ? "BIGINT"
                                                                  : "VARCHAR";
    header->push_back(d.name + " " + type);
  }
  for (int rg = 0; rg < (*reader)->num_row_groups(); ++rg) {
    auto cols = (*reader)->ReadRowGroup(rg, all);
    EXPECT_TRUE(cols.ok());
    for (int64_t i = 0; i < (*reader)->row_group_rows(rg); ++i) {
      auto& row = rows.emplace_back();
      for (int c = 0; c < schema.num_columns(); ++c) {
        const auto& d = schema.column(c);
        const auto& v = (*cols)[static_cast<size_t>(c)];
        if (d.kind == parquet::ColumnKind::kDecimal) {
          const int64_t x = v.int64s[i];
          row.push_back(std::to_string(x / 100) + "." + (x % 100 < 10 ? "0" : "") +
                        std::to_string(x % 100));
        } else if (d.physical_type == parquet::Type::kInt64) {
          row.push_back(std::to_string(v.int64s[i]));
        } else {
          row.push_back(std::string(v.binaries[i]));
        }
      }
    }
  }
  return rows;
}

TEST(SeedTablesTest, NamesGrainAndColumnsInTheSeedsOrder) {
  auto fs = io::MemFileSystem::Make();
  LandRawBatch(fs, GenerateNdjson(4000, 5, kNow, 0.0), "batch0001", kNow);
  auto result = Transform(fs, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->rows_main, 4000u) << "clean data against the seed catalog";

  const std::map<std::string, std::vector<std::string>> expected = {
      {"main/brand_sales",
       {"brand VARCHAR", "total_sales DECIMAL(18,2)", "total_quantity BIGINT",
        "sale_per_piece_avg DECIMAL(18,2)"}},
      {"main/category_sales",
       {"category VARCHAR", "total_sales DECIMAL(18,2)", "total_quantity BIGINT",
        "sale_per_piece_avg DECIMAL(18,2)"}},
      {"main/profit_per_brand",
       {"brand VARCHAR", "total_sales DECIMAL(18,2)", "total_retail_price DECIMAL(18,2)",
        "total_profit_per_brand DECIMAL(18,2)"}},
      {"main/profit_per_category",
       {"category VARCHAR", "total_sales DECIMAL(18,2)", "total_retail_price DECIMAL(18,2)",
        "total_profit_per_brand DECIMAL(18,2)"}},
      {"main/store_sales",
       {"store_name VARCHAR", "store_location VARCHAR", "total_sales DECIMAL(18,2)",
        "total_retail_price DECIMAL(18,2)", "total_profit_per_brand DECIMAL(18,2)"}},
      {"main/highest_sold_product",
       {"product_name VARCHAR", "brand VARCHAR", "store_name VARCHAR", "store_location VARCHAR",
        "total_sales DECIMAL(18,2)", "total_quantity BIGINT"}},
  };
  for (const auto& [table, seed_columns] : expected) {
    std::vector<std::string> header;
    auto rows = ReadTable(fs, table, &header);
    ASSERT_GE(header.size(), seed_columns.size()) << table;
    EXPECT_EQ(std::vector<std::string>(header.begin(), header.begin() + seed_columns.size()),
              seed_columns)
        << table << ": the seed's columns come first, in its order";
    EXPECT_FALSE(rows.empty()) << table;
  }

  // category_sales is by category (the seed wrote brand_sales there): 6 categories.
  std::vector<std::string> header;
  EXPECT_EQ(ReadTable(fs, "main/category_sales", &header).size(), 6u);
  EXPECT_EQ(ReadTable(fs, "main/store_sales", &header).size(), 25u);
}

TEST(SeedTablesTest, AveragesRoundHalfAwayFromZeroAndProfitIsPerUnitTimesQuantity) {
  auto fs = io::MemFileSystem::Make();
  LandRawBatch(fs, GenerateNdjson(3000, 6, kNow, 0.0), "batch0001", kNow);
  ASSERT_TRUE(Transform(fs, {}).ok());
  std::vector<std::string> header;
  auto parse = [](const std::string& money) {
    const size_t dot = money.find('.');
    return std::stoll(money.substr(0, dot)) * 100 + std::stoll(money.substr(dot + 1));
  };
  for (const auto& row : ReadTable(fs, "main/brand_sales", &header)) {
    const int64_t sales = parse(row[1]), quantity = std::stoll(row[2]), avg = parse(row[3]);
    // avg = round(sales / quantity) to the paisa, half away from zero: |avg*q - sales| <= q/2.
    EXPECT_LE(std::abs(avg * quantity - sales) * 2, quantity) << row[0];
    EXPECT_TRUE(avg * quantity - sales < 0 || (avg * quantity - sales) * 2 != quantity ||
                sales >= 0)
        << row[0];
  }
  for (const auto& row : ReadTable(fs, "main/profit_per_brand", &header)) {
    EXPECT_EQ(parse(row[1]) - parse(row[2]), parse(row[3])) << row[0];
    EXPECT_GT(parse(row[3]), 0) << row[0];
  }
}

TEST(SeedTablesTest, HighestSoldProductIsOrderedBySalesThenQuantityThenKeys) {
  auto fs = io::MemFileSystem::Make();
  LandRawBatch(fs, GenerateNdjson(3000, 7, kNow, 0.0), "batch0001", kNow);
  ASSERT_TRUE(Transform(fs, {}).ok());
  std::vector<std::string> header;
  auto rows = ReadTable(fs, "main/highest_sold_product", &header);
  ASSERT_GT(rows.size(), 100u);
  auto key = [](const std::vector<std::string>& r) {
    const size_t dot = r[4].find('.');
    const int64_t sales = std::stoll(r[4].substr(0, dot)) * 100 + std::stoll(r[4].substr(dot + 1));
    return std::make_tuple(-sales, -std::stoll(r[5]), r[0], r[1], r[2], r[3]);
  };
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_LT(key(rows[i - 1]), key(rows[i])) << "row " << i;
  }
}

TEST(SeedTablesTest, UnknownStoreGoesToQuarantineByDefaultAndNoneTurnsTheCheckOff) {
  std::string ndjson = GenerateNdjson(100, 8, kNow, 0.0);
  // One sale from a store the seed does not have.
  const size_t at = ndjson.find("\"store_id\":\"S0");
  ASSERT_NE(at, std::string::npos);
  ndjson.replace(at, 15, "\"store_id\":\"S9");
  for (bool check : {true, false}) {
    auto fs = io::MemFileSystem::Make();
    LandRawBatch(fs, ndjson, "batch0001", kNow);
    TransformOptions options;
    if (!check) options.reference = nullptr;
    auto result = Transform(fs, options);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    if (check) {
      EXPECT_EQ(result->rows_quarantined, 1u);
      EXPECT_EQ(result->quarantine_by_reason["unknown_store"], 1u);
      EXPECT_EQ(result->reference, "builtin:seed");
    } else {
      EXPECT_EQ(result->rows_quarantined, 0u);
      EXPECT_EQ(result->reference, "none");
    }
    auto ledger = lake::Ledger::Open(fs, false);
    ASSERT_TRUE(ledger.ok());
    auto commit = (*ledger)->ReadCommit((*ledger)->state().last_seq);
    ASSERT_TRUE(commit.ok());
    EXPECT_NE(commit->details_json.find(check ? "\"reference\":\"builtin:seed\""
                                              : "\"reference\":\"none\""),
              std::string::npos)
        << "the lake records which reference the run used: " << commit->details_json;
  }
}

TEST(SeedTablesTest, RebuildReDerivesEverythingFromRawInOneCommit) {
  std::string ndjson = GenerateNdjson(500, 9, kNow, 0.0);
  const size_t at = ndjson.find("\"store_id\":\"S0");
  ndjson.replace(at, 15, "\"store_id\":\"S9");
  auto fs = io::MemFileSystem::Make();
  LandRawBatch(fs, ndjson, "batch0001", kNow);
  LandRawBatch(fs, GenerateNdjson(500, 10, kNow, 0.0), "batch0002", kNow + 1);
  TransformOptions unchecked;
  unchecked.reference = nullptr;
  ASSERT_TRUE(Transform(fs, unchecked).ok());
  EXPECT_EQ(CommittedRows(fs, kMainSalesTable), 1000u);
  EXPECT_EQ(CommittedRows(fs, kQuarantineSalesTable), 0u);
  auto before = lake::Ledger::Open(fs, false);
  const uint64_t seq_before = (*before)->state().last_seq;

  // The reference changes (back to the seed catalog): rebuild from raw.
  TransformOptions rebuild;
  rebuild.rebuild = true;
  auto result = Transform(fs, rebuild);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->batches.size(), 2u);
  EXPECT_EQ(result->rows_in, 1000u);
  EXPECT_EQ(result->rows_main, 999u);
  EXPECT_EQ(result->rows_quarantined, 1u);
  EXPECT_EQ(CommittedRows(fs, kMainSalesTable), 999u) << "main replaced, not added to";
  EXPECT_EQ(CommittedRows(fs, kQuarantineSalesTable), 1u);
  auto after = lake::Ledger::Open(fs, false);
  EXPECT_EQ((*after)->state().last_seq, seq_before + 1) << "one commit";
  auto commit = (*after)->ReadCommit(seq_before + 1);
  ASSERT_TRUE(commit.ok());
  EXPECT_EQ(commit->kind, "rebuild");
  int64_t store_orders = 0;
  std::vector<std::string> header;
  for (const auto& row : ReadTable(fs, "main/store_sales", &header)) {
    store_orders += std::stoll(row[6]);
  }
  EXPECT_EQ(store_orders, 999) << "the six tables follow";
  // Rebuilding again changes nothing but names.
  auto again = Transform(fs, rebuild);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(CommittedRows(fs, kMainSalesTable), 999u);
  EXPECT_EQ(CommittedRows(fs, kQuarantineSalesTable), 1u);
}

TEST(SeedTablesTest, ManySmallRunsKeepABoundedNumberOfFilesPerPartition) {
  auto fs = io::MemFileSystem::Make();
  uint64_t rows = 0;
  // 16 runs of 300 sales over 3 days: every run touches every day.
  for (int run = 0; run < 16; ++run) {
    LandRawBatch(fs, GenerateNdjson(300, 100 + static_cast<uint64_t>(run), kNow, 0.0, nullptr, 3),
                 "batch" + std::to_string(1000 + run), kNow + run);
    auto result = Transform(fs, {});
    ASSERT_TRUE(result.ok()) << "run " << run << ": " << result.status().ToString();
    rows += result->rows_main;
    for (const lake::LedgerFile& f : Files(fs, kMainSalesTable)) {
      auto info = fs->GetFileInfo(f.path);
      ASSERT_TRUE(info.ok() && info->type == io::FileType::kFile)
          << "after run " << run << ": the ledger names " << f.path << " (" << f.rows
          << " rows) but it is not there";
    }
    std::map<std::string, int> per_partition;
    for (const lake::LedgerFile& f : Files(fs, kMainSalesTable)) ++per_partition[f.partition];
    for (const auto& [partition, n] : per_partition) {
      EXPECT_LE(n, 6) << "after run " << run << ": " << partition;
    }
  }
  EXPECT_EQ(CommittedRows(fs, kMainSalesTable), rows) << "every row kept, once";
  std::set<std::string> ids;
  for (const auto& r : testing::ReadMainRows(fs)) EXPECT_TRUE(ids.insert(r.id).second) << r.id;
  EXPECT_EQ(ids.size(), rows);
}

}  // namespace
}  // namespace saleslake::pipeline

#include "web/dashboard/dashboard_queries.h"

#include <gtest/gtest.h>

#include "base/clock.h"
#include "dashboard_pipeline.h"
#include "io/fault_injecting_file_system.h"
#include "io/file_system.h"
#include "io/mem_file_system.h"
#include "lake/lake.h"
#include "lake/lake_lock.h"
#include "lake/ledger.h"
#include "pipeline/rollups.h"
#include "pipeline/transform.h"
#include "pipeline/transform_test_util.h"
#include "web/dashboard/pipeline_port.h"

namespace saleslake::web {
namespace {

int32_t Day(int y, int m, int d) { return static_cast<int32_t>(DaysFromCivil({y, m, d})); }

pipeline::DailyRow Row(int32_t date, const std::string& store, const std::string& product,
                       const std::string& brand, int64_t orders, int64_t sales_paise,
                       int64_t profit_paise) {
  pipeline::DailyRow r;
  r.date = date;
  r.store_id = store;
  r.store_name = "Store " + store;
  r.store_location = store == "S1" ? "Mumbai" : "Pune";
  r.product_id = product;
  r.product_name = "Product " + product;
  r.brand = brand;
  r.category = brand == "Apple" ? "Phones" : "Laptops";
  r.orders = orders;
  r.units = orders * 2;
  r.sales = sales_paise;
  r.gross_profit = profit_paise;
  r.cost = sales_paise - profit_paise;
  return r;
}

// A mem:// lake whose daily_sales holds `days` (one file per day), committed to its ledger.
std::shared_ptr<io::FileSystem> LakeWith(const std::string& name,
                                         const std::vector<std::vector<pipeline::DailyRow>>& days) {
  auto fs = io::FileSystemFromUri("mem://" + name).value();
  auto ledger = lake::Ledger::Open(fs, true).value();
  lake::LedgerCommit c;
  c.kind = "transform";
  c.run_id = "r1";
  c.details_json = R"({"rows_main":10,"quarantine_by_reason":{"bad_email":2}})";
  for (const auto& rows : days) {
    CivilDate d = CivilFromDays(rows.front().date);
    char part[40];
    std::snprintf(part, sizeof(part), "year=%04d/month=%02d/day=%02d", d.year, d.month, d.day);
    const std::string path = std::string("main/daily_sales/") + part + "/part-x.parquet";
    lake::LedgerFile f;
    EXPECT_TRUE(pipeline::WriteDailyRows(*fs, path, part, rows, &f).ok());
    c.added.push_back(f);
  }
  EXPECT_TRUE(ledger->Commit(&c).ok());
  return fs;
}

class DashboardQueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InstallDashboardPipeline();  // the snapshot reads main/daily_sales through the port
    // March 1..3 and February 1..2 of 2026.
    fs_ = LakeWith("dashboard-queries",
                   {{Row(Day(2026, 2, 1), "S1", "P1", "Apple", 1, 10000, 2000)},
                    {Row(Day(2026, 2, 2), "S2", "P2", "Dell", 2, 30000, 3000)},
                    {Row(Day(2026, 3, 1), "S1", "P1", "Apple", 3, 60000, 12000),
                     Row(Day(2026, 3, 1), "S2", "P2", "Dell", 1, 25000, 2500)},
                    {Row(Day(2026, 3, 3), "S2", "P1", "Apple", 1, 20000, 4000)}});
    LakeSnapshotLoader loader(fs_);
    snap_ = loader.Load().value();
  }
  DashboardFilter Filter(QueryParams q, std::vector<std::string> extra = {}) {
    auto f = ParseDashboardFilter(q, *snap_, extra);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    return f.ok() ? *f : DashboardFilter{};
  }
  std::shared_ptr<io::FileSystem> fs_;
  std::shared_ptr<const LakeSnapshot> snap_;
};

TEST_F(DashboardQueriesTest, LoadsDailySalesSortedWithDimensions) {
  EXPECT_EQ(snap_->rows(), 5u);
  EXPECT_EQ(snap_->first_day, Day(2026, 2, 1));
  EXPECT_EQ(snap_->last_day, Day(2026, 3, 3));
  EXPECT_EQ(snap_->brands, (std::vector<std::string>{"Apple", "Dell"}));
  EXPECT_EQ(snap_->cities, (std::vector<std::string>{"Mumbai", "Pune"}));
  EXPECT_EQ(snap_->quarantine_by_reason.at("bad_email"), 2);
  auto [b, e] = snap_->DayRange(Day(2026, 3, 1), Day(2026, 3, 2));
  EXPECT_EQ(e - b, 2u);
}

TEST_F(DashboardQueriesTest, DefaultIsMonthToDateComparedWithTheSameDaysOfLastMonth) {
  DashboardFilter f = Filter({});
  EXPECT_EQ(f.from, Day(2026, 3, 1));
  EXPECT_EQ(f.to, Day(2026, 3, 3));
  const std::string json = SummaryJson(*snap_, f).value();
  // Current: 600 + 250 + 200 = 1050.00; previous (Feb 1..3): 100 + 300 = 400.00.
  EXPECT_NE(
      json.find(
          R"("previous":{"from":"2026-02-01","to":"2026-02-03","days":3,)"
          R"("start":"2026-02-01T00:00:00.000+00:00","end":"2026-02-04T00:00:00.000+00:00"})"),
      std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("sales":{"value":1050.00,"previous":400.00,"change_pct":162.50})"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("orders":{"value":5,"previous":3,"change_pct":66.67})"), std::string::npos)
      << json;
  // AOV 1050/5 = 210.00 vs 400/3 = 133.33; margin 185/1050 = 17.62% vs 50/400 = 12.50%.
  EXPECT_NE(json.find(R"("average_order_value":{"value":210.00,"previous":133.33)"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("margin_pct":{"value":17.62,"previous":12.50,"change_points":5.12})"),
            std::string::npos)
      << json;
}

TEST_F(DashboardQueriesTest, PreviousPeriodAlignsByDateAndClampsShortMonths) {
  EXPECT_EQ(PreviousPeriod(Day(2026, 3, 1), Day(2026, 3, 31), CompareMode::kAuto),
            std::make_pair(Day(2026, 2, 1), Day(2026, 2, 28)));
  EXPECT_EQ(PreviousPeriod(Day(2026, 3, 5), Day(2026, 3, 11), CompareMode::kAuto),
            std::make_pair(Day(2026, 2, 26), Day(2026, 3, 4)));
  EXPECT_EQ(PreviousPeriod(Day(2026, 1, 1), Day(2026, 1, 15), CompareMode::kAuto),
            std::make_pair(Day(2025, 12, 1), Day(2025, 12, 15)));
}

TEST_F(DashboardQueriesTest, FiltersApplyToEveryAnswer) {
  DashboardFilter f = Filter({{"range", "all"}, {"brand", "Apple"}});
  EXPECT_NE(SummaryJson(*snap_, f).value().find(R"("sales":{"value":900.00)"), std::string::npos);
  const std::string by_store = BreakdownJson(*snap_, f, "store", 10);
  EXPECT_NE(by_store.find(R"("key":"S1","label":"Store S1","city":"Mumbai","sales":700.00)"),
            std::string::npos)
      << by_store;
  f = Filter({{"range", "all"}, {"city", "Pune"}, {"category", "Laptops"}});
  EXPECT_NE(SummaryJson(*snap_, f).value().find(R"("sales":{"value":550.00)"), std::string::npos);
  const std::string top = TopProductsJson(*snap_, f, "sales", 5);
  EXPECT_NE(top.find(R"("rank":1,"product_id":"P2")"), std::string::npos) << top;
  EXPECT_EQ(top.find("\"P1\""), std::string::npos) << top;
}

TEST_F(DashboardQueriesTest, TimeseriesHasEveryBucketOfThePeriod) {
  DashboardFilter f = Filter({{"from", "2026-03-01"}, {"to", "2026-03-04"}});
  const std::string json = TimeseriesJson(*snap_, f, "day");
  EXPECT_NE(json.find(R"({"date":"2026-03-02","sales":0.00,"orders":0)"), std::string::npos)
      << json;
  EXPECT_NE(json.find(R"({"date":"2026-03-04")"), std::string::npos);
  const std::string months = TimeseriesJson(*snap_, Filter({{"range", "all"}}), "month");
  EXPECT_NE(months.find(R"({"date":"2026-02-01","sales":400.00)"), std::string::npos) << months;
  EXPECT_NE(months.find(R"({"date":"2026-03-01","sales":1050.00)"), std::string::npos) << months;
}

TEST_F(DashboardQueriesTest, BadParametersNameTheParameter) {
  auto bad = [&](QueryParams q) { return ParseDashboardFilter(q, *snap_, {}).status().message(); };
  EXPECT_EQ(bad({{"from", "2026-13-01"}}).rfind("from:", 0), 0u);
  EXPECT_EQ(bad({{"from", "2026-03-05"}, {"to", "2026-03-01"}}).rfind("from:", 0), 0u);
  EXPECT_EQ(bad({{"range", "forever"}}).rfind("range:", 0), 0u);
  EXPECT_EQ(bad({{"bogus", "1"}}).rfind("bogus: unknown parameter", 0), 0u);
  EXPECT_EQ(bad({{"range", "all"}, {"from", "2026-03-01"}}).rfind("range:", 0), 0u);
  EXPECT_EQ(bad({{"from", "1900-01-01"}, {"to", "2026-01-01"}}).rfind("to:", 0), 0u);
}

TEST(DashboardFormatTest, MoneyAndRatiosAreExact) {
  EXPECT_EQ(FormatMoney(0), "0.00");
  EXPECT_EQ(FormatMoney(5), "0.05");
  EXPECT_EQ(FormatMoney(-12345), "-123.45");
  EXPECT_EQ(FormatRatio(1, 3), "0.33");
  EXPECT_EQ(FormatRatio(2, 3), "0.67");
  EXPECT_EQ(FormatRatio(-1, 200), "-0.01");  // -0.005 rounds away from zero
  EXPECT_EQ(FormatRatio(-1, 1000), "0.00");
}

TEST(LakeSnapshotLoaderTest, AnEmptyLakeGivesAnEmptySnapshot) {
  InstallDashboardPipeline();
  auto fs = io::FileSystemFromUri("mem://dashboard-empty").value();
  LakeSnapshotLoader loader(fs);
  auto snap = loader.Load().value();
  EXPECT_TRUE(snap->empty());
  EXPECT_EQ(snap->last_seq, 0u);
  EXPECT_FALSE(loader.HasCommitAfter(0).value());
  DashboardFilter f = ParseDashboardFilter({}, *snap, {}).value();
  EXPECT_NE(SummaryJson(*snap, f).value().find(R"("sales":{"value":0.00)"), std::string::npos);
}

// Month to date at 13:20 (business offset +05:30) against last month up to 13:20 of the 20th:
// the previous period's figures are the sales of main/sales before that instant.
TEST(DashboardSameInstantTest, PreviousPeriodEndsAtTheSameTimeOfDay) {
  InstallDashboardPipeline();  // the snapshot reads main/daily_sales through the port
  const int64_t data_now = ParseIso8601Micros("2026-03-20T08:00:00Z").value();  // 13:30 IST
  auto fs = io::FileSystemFromUri("mem://dashboard-same-instant").value();
  pipeline::testing::LandRawBatch(fs, pipeline::testing::GenerateNdjson(4000, 7, data_now, 0.0),
                                  "batch0001", data_now);
  {
    auto lock = lake::LakeLock::Acquire(fs, "test transform").value();
    auto ledger = lake::Ledger::Open(fs, true).value();
    pipeline::TransformOptions options;
    options.business_utc_offset_seconds = 5 * 3600 + 30 * 60;
    options.now_micros = data_now;
    ASSERT_TRUE(pipeline::RunTransform(fs, ledger.get(), options).ok());
  }
  LakeSnapshotLoader loader(fs);
  auto snap = loader.Load().value();
  EXPECT_EQ(snap->business_utc_offset_seconds, 5 * 3600 + 30 * 60);
  DashboardFilter f = ParseDashboardFilter({}, *snap, {}).value();
  f.now_micros = ParseIso8601Micros("2026-03-20T13:20:00+05:30").value();
  ASSERT_EQ(f.to, Day(2026, 3, 20));
  const std::string json = SummaryJson(*snap, f).value();
  EXPECT_NE(
      json.find(
          R"("period":{"from":"2026-03-01","to":"2026-03-20","days":20,)"
          R"("start":"2026-03-01T00:00:00.000+05:30","end":"2026-03-20T13:20:00.000+05:30"})"),
      std::string::npos)
      << json;
  EXPECT_NE(
      json.find(
          R"("previous":{"from":"2026-02-01","to":"2026-02-20","days":20,)"
          R"("start":"2026-02-01T00:00:00.000+05:30","end":"2026-02-20T13:20:00.000+05:30"})"),
      std::string::npos)
      << json;
  // Count main/sales rows by their own timestamps.
  const int64_t start = ParseIso8601Micros("2026-02-01T00:00:00+05:30").value();
  const int64_t cut = ParseIso8601Micros("2026-02-20T13:20:00+05:30").value();
  const int64_t day_end = ParseIso8601Micros("2026-02-21T00:00:00+05:30").value();
  int64_t before = 0, rest_of_day = 0;
  for (const auto& row : pipeline::testing::ReadMainRows(fs)) {
    if (row.timestamp_micros >= start && row.timestamp_micros < cut) ++before;
    if (row.timestamp_micros >= cut && row.timestamp_micros < day_end) ++rest_of_day;
  }
  ASSERT_GT(rest_of_day, 0) << "the test needs sales after 13:20 on the boundary day";
  EXPECT_NE(json.find(R"("orders":{"value":)"), std::string::npos);
  EXPECT_NE(json.find(",\"previous\":" + std::to_string(before) + ",\"change_pct\""),
            std::string::npos)
      << "expected previous orders " << before << " in " << json;

  // A period ending on a past day compares whole days.
  f = ParseDashboardFilter({{"from", "2026-03-01"}, {"to", "2026-03-19"}}, *snap, {}).value();
  f.now_micros = ParseIso8601Micros("2026-03-20T13:20:00+05:30").value();
  EXPECT_NE(SummaryJson(*snap, f).value().find(R"("end":"2026-02-20T00:00:00.000+05:30"})"),
            std::string::npos);
}

// The two ways a view groups — pre-aggregates without a dimension filter, a selection of daily
// rows with one — give the same figures when the filter lets every row through (every brand
// listed), on a lake of 6000 generated sales over 100 days.
TEST(DashboardGroupingTest, PreAggregatesAndSelectedRowsAgree) {
  InstallDashboardPipeline();
  const int64_t data_now = ParseIso8601Micros("2026-03-20T08:00:00Z").value();
  auto fs = io::FileSystemFromUri("mem://dashboard-grouping").value();
  pipeline::testing::LandRawBatch(fs, pipeline::testing::GenerateNdjson(6000, 5, data_now, 0.0),
                                  "batch0001", data_now);
  {
    auto lock = lake::LakeLock::Acquire(fs, "test transform").value();
    auto ledger = lake::Ledger::Open(fs, true).value();
    pipeline::TransformOptions options;
    options.now_micros = data_now;
    ASSERT_TRUE(pipeline::RunTransform(fs, ledger.get(), options).ok());
  }
  LakeSnapshotLoader loader(fs);
  auto snap = loader.Load().value();
  ASSERT_GT(snap->rows(), 1000u);
  QueryParams every_brand = {{"range", "all"}};
  for (const std::string& b : snap->brands) every_brand.emplace("brand", b);
  const DashboardFilter all = ParseDashboardFilter({{"range", "all"}}, *snap, {}).value();
  const DashboardFilter listed = ParseDashboardFilter(every_brand, *snap, {}).value();
  // The answers past the echoed filter.
  auto figures = [](const std::string& json) { return json.substr(json.find("\"as_of\"")); };
  EXPECT_EQ(figures(SummaryJson(*snap, all).value()), figures(SummaryJson(*snap, listed).value()));
  for (const char* grain : {"day", "week", "month"}) {
    EXPECT_EQ(figures(TimeseriesJson(*snap, all, grain)),
              figures(TimeseriesJson(*snap, listed, grain)))
        << grain;
  }
  for (const char* by : {"brand", "category", "store", "city"}) {
    EXPECT_EQ(figures(BreakdownJson(*snap, all, by, 100)),
              figures(BreakdownJson(*snap, listed, by, 100)))
        << by;
  }
  for (const char* order : {"sales", "units"}) {
    EXPECT_EQ(figures(TopProductsJson(*snap, all, order, 500)),
              figures(TopProductsJson(*snap, listed, order, 500)))
        << order;
  }
  // And the unfiltered total is the sum of every daily_sales row.
  int64_t paise = 0;
  for (int64_t v : snap->sales) paise += v;
  EXPECT_NE(SummaryJson(*snap, all).value().find("\"sales\":{\"value\":" + FormatMoney(paise)),
            std::string::npos);
}

// "Run now" works on the lake handle the command opened and handed down: the transform and the
// crawl reach storage through it (a private store no URI names), and the figures show the rows.
TEST(DashboardRunTest, RunNowWorksOnTheLakeItIsHanded) {
  InstallDashboardPipeline();
  const int64_t now = NowMicros();
  std::shared_ptr<io::FileSystem> store = io::MemFileSystem::Make();
  pipeline::testing::LandRawBatch(store, pipeline::testing::GenerateNdjson(500, 11, now, 0.0),
                                  "batch0001", now);
  auto counting = std::make_shared<io::FaultInjectingFileSystem>(store);
  DashboardRunOptions options;
  options.lake = lake::Lake::OnFileSystem(counting);
  auto run = RunDashboardPipeline(options);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_GT(run->rows_main, 0u);
  EXPECT_GT(counting->OperationCount(io::fault::kPublish), 0u);
  LakeSnapshotLoader loader(store);
  auto snap = loader.Load();
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  int64_t orders = 0;
  for (int64_t o : (*snap)->orders) orders += o;
  EXPECT_EQ(static_cast<uint64_t>(orders), run->rows_main);
}

}  // namespace
}  // namespace saleslake::web

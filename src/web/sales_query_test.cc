#include "web/sales_query.h"

#include <gtest/gtest.h>

#include <set>

#include "base/clock.h"

namespace saleslake::web {
namespace {

constexpr uint64_t kMax = 1'000'000;
constexpr uint64_t kFreshSeed = 777;
const int64_t kWallNow = *ParseIso8601Micros("2026-11-26T10:20:00Z");

TEST(SalesQueryTest, DefaultsFillSeedAndNow) {
  generator::GeneratorOptions o;
  SalesQueryError e;
  ASSERT_TRUE(ParseSalesQuery({}, kMax, kFreshSeed, kWallNow, &o, &e));
  EXPECT_EQ(o.records, 10'000u);
  EXPECT_EQ(o.seed, kFreshSeed);
  EXPECT_EQ(o.now_micros, kWallNow);
  EXPECT_EQ(o.days, 100);
  EXPECT_EQ(o.dirty_rate, 0.0);
  EXPECT_EQ(o.format, generator::OutputFormat::kJson);
  EXPECT_EQ(o.envelope, generator::Envelope::kNone);
}

TEST(SalesQueryTest, ReadsEveryParameter) {
  QueryParams q = {{"records", "1000000"},
                   {"seed", "18446744073709551615"},
                   {"now", "2025-01-02T03:04:05+05:30"},
                   {"days", "7"},
                   {"dirty", "0.25"},
                   {"format", "json"},
                   {"envelope", "lambda"}};
  generator::GeneratorOptions o;
  SalesQueryError e;
  ASSERT_TRUE(ParseSalesQuery(q, kMax, kFreshSeed, kWallNow, &o, &e)) << e.message;
  EXPECT_EQ(o.records, 1'000'000u);
  EXPECT_EQ(o.seed, 18446744073709551615ull);
  EXPECT_EQ(o.now_micros, *ParseIso8601Micros("2025-01-01T21:34:05Z"));
  EXPECT_EQ(o.days, 7);
  EXPECT_EQ(o.dirty_rate, 0.25);
  EXPECT_EQ(o.envelope, generator::Envelope::kLambda);

  QueryParams nd = {{"format", "ndjson"}, {"records", "0"}, {"envelope", "none"}};
  ASSERT_TRUE(ParseSalesQuery(nd, kMax, kFreshSeed, kWallNow, &o, &e)) << e.message;
  EXPECT_EQ(o.format, generator::OutputFormat::kNdjson);
  EXPECT_EQ(o.records, 0u);
}

struct BadCase {
  QueryParams query;
  const char* parameter;
};

TEST(SalesQueryTest, EveryBadParameterIsNamed) {
  const std::vector<BadCase> cases = {
      {{{"records", "abc"}}, "records"},
      {{{"records", "-1"}}, "records"},
      {{{"records", "+5"}}, "records"},
      {{{"records", "1.5"}}, "records"},
      {{{"records", " 5"}}, "records"},
      {{{"records", "1000001"}}, "records"},
      {{{"records", "99999999999999999999999"}}, "records"},
      {{{"records", ""}}, "records"},
      {{{"records", "5"}, {"records", "6"}}, "records"},
      {{{"seed", "x"}}, "seed"},
      {{{"seed", "-3"}}, "seed"},
      {{{"seed", "18446744073709551616"}}, "seed"},
      {{{"now", "yesterday"}}, "now"},
      {{{"now", "2026-13-01T00:00:00Z"}}, "now"},
      {{{"now", "2026-02-30"}}, "now"},
      {{{"now", "1970-01-02T00:00:00Z"}}, "now"},  // now - 100 days is before 1970
      {{{"now", "9999-12-31T00:00:00Z"}}, "now"},
      {{{"days", "0"}}, "days"},
      {{{"days", "-1"}}, "days"},
      {{{"days", "36501"}}, "days"},
      {{{"days", "ten"}}, "days"},
      {{{"dirty", "1.5"}}, "dirty"},
      {{{"dirty", "-0.1"}}, "dirty"},
      {{{"dirty", "nan"}}, "dirty"},
      {{{"dirty", "inf"}}, "dirty"},
      {{{"dirty", "0x1p-2"}}, "dirty"},
      {{{"dirty", "5%"}}, "dirty"},
      {{{"format", "csv"}}, "format"},
      {{{"format", "JSON"}}, "format"},
      {{{"envelope", "apigw"}}, "envelope"},
      {{{"envelope", "lambda"}, {"format", "ndjson"}}, "envelope"},
      {{{"record", "5"}}, "record"},
      {{{"limit", "5"}, {"records", "5"}}, "limit"},
  };
  for (const BadCase& c : cases) {
    generator::GeneratorOptions o;
    SalesQueryError e;
    std::string shown;
    for (const auto& [k, v] : c.query) shown += k + "=" + v + "&";
    EXPECT_FALSE(ParseSalesQuery(c.query, kMax, kFreshSeed, kWallNow, &o, &e)) << shown;
    EXPECT_EQ(e.parameter, c.parameter) << shown;
    EXPECT_FALSE(e.message.empty()) << shown;
  }
}

TEST(SalesQueryTest, AnOffsetWhosePlusBecameASpaceStillParses) {
  generator::GeneratorOptions o;
  SalesQueryError e;
  // What "now=2026-11-26T15:50:00+05:30" becomes after URL decoding.
  ASSERT_TRUE(
      ParseSalesQuery({{"now", "2026-11-26T15:50:00 05:30"}}, kMax, kFreshSeed, kWallNow, &o, &e))
      << e.message;
  EXPECT_EQ(o.now_micros, kWallNow);
  ASSERT_TRUE(ParseSalesQuery({{"now", "2026-11-26 10:20"}}, kMax, kFreshSeed, kWallNow, &o, &e))
      << e.message;  // a space standing for 'T' is left alone
  EXPECT_EQ(o.now_micros, kWallNow);
}

TEST(SalesQueryTest, TheMaximumComesFromTheServer) {
  generator::GeneratorOptions o;
  SalesQueryError e;
  EXPECT_TRUE(ParseSalesQuery({{"records", "50"}}, 50, kFreshSeed, kWallNow, &o, &e));
  EXPECT_FALSE(ParseSalesQuery({{"records", "51"}}, 50, kFreshSeed, kWallNow, &o, &e));
  EXPECT_NE(e.message.find("50"), std::string::npos);
}

TEST(SalesQueryTest, UnknownParameterMessageListsTheKnownOnes) {
  generator::GeneratorOptions o;
  SalesQueryError e;
  ASSERT_FALSE(ParseSalesQuery({{"sed", "1"}}, kMax, kFreshSeed, kWallNow, &o, &e));
  for (const SalesParameter& p : SalesParameters()) {
    EXPECT_NE(e.message.find(p.name), std::string::npos) << p.name;
  }
}

TEST(SalesQueryTest, ParameterTableIsComplete) {
  std::set<std::string_view> names;
  for (const SalesParameter& p : SalesParameters()) {
    names.insert(p.name);
    EXPECT_FALSE(p.description.empty());
  }
  EXPECT_EQ(names, (std::set<std::string_view>{"records", "seed", "now", "days", "dirty", "format",
                                               "envelope"}));
}

}  // namespace
}  // namespace saleslake::web

#include "generator/dirty_records.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "base/clock.h"
#include "generator/generator.h"
#include "generator/sale_checks_for_test.h"

namespace saleslake::generator {
namespace {

using testing_support::RecordClassifier;
using testing_support::SplitRecords;

int64_t Now() { return *ParseIso8601Micros("2026-11-26T12:00:00"); }

struct Outcome {
  std::string output;
  DirtyCounts counts;
};

Outcome RunDirty(double rate, uint64_t records, uint64_t seed, OutputFormat format) {
  GeneratorOptions o;
  o.records = records;
  o.seed = seed;
  o.now_micros = Now();
  o.dirty_rate = rate;
  o.format = format;
  Outcome result;
  Status st = Generate(
      o,
      [&](std::string_view chunk) {
        result.output.append(chunk);
        return true;
      },
      &result.counts);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return result;
}

// Reads every record back with an independent classifier and compares with the reported counts.
std::map<std::string, uint64_t> Classify(const std::string& output) {
  RecordClassifier classifier(*BuiltinCatalog(), Now(), 100, kIndiaUtcOffsetSeconds);
  std::map<std::string, uint64_t> found;
  for (const std::string& record : SplitRecords(output)) {
    std::string problem;
    const std::string kind = classifier.Classify(record, &problem);
    EXPECT_EQ(problem, "") << kind << ": " << record.substr(0, 300);
    ++found[kind];
  }
  return found;
}

TEST(DirtyRecordsTest, KindNamesAreStableAndDistinct) {
  const auto names = DirtyKindNames();
  ASSERT_EQ(names.size(), static_cast<size_t>(kDirtyKindCount));
  EXPECT_GE(names.size(), 16u);
  const std::set<std::string_view> distinct(names.begin(), names.end());
  EXPECT_EQ(distinct.size(), names.size());
  for (std::string_view n :
       {"missing_field", "null_value", "wrong_type", "bad_timestamp", "future_timestamp",
        "non_positive_quantity", "total_mismatch", "unknown_store", "unknown_product",
        "store_name_mismatch", "bad_email", "duplicate_identical", "duplicate_conflict",
        "oversized_field", "invalid_utf8", "not_an_object", "extra_field"}) {
    EXPECT_TRUE(distinct.count(n)) << n;
  }
}

TEST(DirtyRecordsTest, EveryKindIsInjectedDetectedAndCounted) {
  const Outcome run = RunDirty(0.3, 20'000, 21, OutputFormat::kNdjson);
  const std::map<std::string, uint64_t> found = Classify(run.output);
  uint64_t dirty = 0;
  for (std::string_view name : DirtyKindNames()) {
    const std::string kind(name);
    ASSERT_TRUE(run.counts.count(kind)) << kind;
    EXPECT_GT(run.counts.at(kind), 100u) << kind;
    const uint64_t seen = found.count(kind) ? found.at(kind) : 0;
    EXPECT_EQ(seen, run.counts.at(kind)) << kind;
    dirty += run.counts.at(kind);
  }
  EXPECT_EQ(found.at("clean") + dirty, 20'000u);
  EXPECT_EQ(found.size(), run.counts.size() + 1) << "nothing but clean records and known kinds";
}

TEST(DirtyRecordsTest, RateIsHonoured) {
  for (double rate : {0.01, 0.1, 0.5}) {
    const Outcome run = RunDirty(rate, 40'000, 5, OutputFormat::kNdjson);
    uint64_t dirty = 0;
    for (const auto& [kind, n] : run.counts) dirty += n;
    // Binomial: the standard deviation is at most 100 here; allow five.
    EXPECT_NEAR(static_cast<double>(dirty), rate * 40'000, 500) << rate;
  }
  const Outcome all = RunDirty(1.0, 3'000, 5, OutputFormat::kNdjson);
  const std::map<std::string, uint64_t> found = Classify(all.output);
  EXPECT_EQ(found.count("clean"), 0u);
  const Outcome none = RunDirty(0.0, 3'000, 5, OutputFormat::kNdjson);
  EXPECT_TRUE(none.counts.empty());
  EXPECT_EQ(Classify(none.output).at("clean"), 3'000u);
}

TEST(DirtyRecordsTest, JsonArrayFramingSurvivesDirtyRecords) {
  const Outcome json = RunDirty(0.4, 3'000, 8, OutputFormat::kJson);
  const Outcome ndjson = RunDirty(0.4, 3'000, 8, OutputFormat::kNdjson);
  EXPECT_EQ(json.counts, ndjson.counts);
  const std::vector<std::string> records = SplitRecords(json.output);
  EXPECT_EQ(records, SplitRecords(ndjson.output));
  ASSERT_EQ(records.size(), 3'000u);
  EXPECT_EQ(json.output.front(), '[');
  EXPECT_EQ(json.output.substr(json.output.size() - 3), "\n]\n");
  // Each element is one JSON value on its own line; with the lone-surrogate records removed the
  // whole array parses strictly.
  std::string strict = "[";
  for (const std::string& r : records) {
    if (r.find("\\ud") != std::string::npos) continue;
    if (strict.size() > 1) strict += ",";
    strict += r;
  }
  strict += "]";
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  ASSERT_EQ(parser.parse(strict).get_array().get(array), simdjson::SUCCESS);
  EXPECT_EQ(array.size(), 3'000u - json.counts.at("invalid_utf8"));
}

TEST(DirtyRecordsTest, DeterministicWithDirt) {
  EXPECT_EQ(RunDirty(0.2, 2'000, 4, OutputFormat::kJson).output,
            RunDirty(0.2, 2'000, 4, OutputFormat::kJson).output);
}

TEST(DirtyRecordsTest, OversizedFieldIsBeyondA64KibCap) {
  EXPECT_GT(kOversizedFieldBytes, size_t{64} << 10);
}

}  // namespace
}  // namespace saleslake::generator

#include "generator/generator.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "base/clock.h"
#include "generator/sale_checks_for_test.h"
#include "table/sales_record.h"

namespace saleslake::generator {
namespace {

using testing_support::RecordClassifier;
using testing_support::SplitRecords;

constexpr char kNow[] = "2026-11-26T12:00:00";

int64_t Now() { return *ParseIso8601Micros(kNow); }

GeneratorOptions Seeded(uint64_t records, uint64_t seed = 42) {
  GeneratorOptions o;
  o.records = records;
  o.seed = seed;
  o.now_micros = Now();
  return o;
}

std::string RunGenerator(const GeneratorOptions& options, DirtyCounts* counts = nullptr,
                         size_t chunk_bytes = 1 << 16) {
  std::string out;
  Status st = Generate(
      options,
      [&](std::string_view chunk) {
        out.append(chunk);
        return true;
      },
      counts, chunk_bytes);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

TEST(BuiltinCatalogTest, IsTheSeedsCatalog) {
  const auto catalog = BuiltinCatalog();
  EXPECT_EQ(catalog->products().size(), 359u);
  EXPECT_EQ(catalog->stores().size(), 25u);
  std::set<std::string> brands, categories;
  for (const table::Product& p : catalog->products()) {
    brands.insert(p.brand);
    categories.insert(p.category);
    EXPECT_GT(p.retail_price_paise, 0);
    EXPECT_LT(p.retail_price_paise, p.mrp_rupees * 100) << p.product_name;
  }
  EXPECT_EQ(brands.size(), 26u);
  EXPECT_EQ(categories.size(), 6u);
  EXPECT_EQ(BuiltinCatalog().get(), catalog.get()) << "built once and shared";
}

TEST(GeneratorTest, JsonArrayHasFifteenTypedFieldsPerRecord) {
  const std::string out = RunGenerator(Seeded(500));
  simdjson::dom::parser parser;
  simdjson::dom::array records;
  ASSERT_EQ(parser.parse(out).get_array().get(records), simdjson::SUCCESS);
  ASSERT_EQ(records.size(), 500u);
  for (simdjson::dom::element e : records) {
    simdjson::dom::object r = e.get_object().value_unsafe();
    ASSERT_EQ(r.size(), 15u);
    size_t i = 0;
    for (auto [key, value] : r) {
      // Fields come in DESIGN.md order with its JSON types.
      const table::SalesFieldInfo& f = table::SalesFields()[i++];
      ASSERT_EQ(key, f.name);
      switch (f.json_type) {
        case table::SalesJsonType::kString:
          ASSERT_TRUE(value.is_string()) << key;
          break;
        case table::SalesJsonType::kInteger:
          ASSERT_TRUE(value.is_int64()) << key;
          break;
        case table::SalesJsonType::kDecimal:
          ASSERT_TRUE(value.is_number()) << key;
          break;
      }
    }
  }
  // retail_price always carries paise, as text: "118999.15", "1136.20".
  EXPECT_NE(out.find("\"retail_price\":"), std::string::npos);
  for (size_t at = out.find("\"retail_price\":"); at != std::string::npos;
       at = out.find("\"retail_price\":", at + 1)) {
    const size_t comma = out.find(',', at);
    const std::string value = out.substr(at + 15, comma - at - 15);
    ASSERT_EQ(value.size() - value.find('.'), 3u) << value;
  }
}

TEST(GeneratorTest, EveryRecordIsInRangeAndMatchesTheCatalog) {
  GeneratorOptions o = Seeded(20'000, 7);
  o.format = OutputFormat::kNdjson;
  const std::string out = RunGenerator(o);
  RecordClassifier classifier(*BuiltinCatalog(), Now(), o.days, o.store_utc_offset_seconds);
  std::array<int, 4> quantities{};
  std::array<int, 24> local_hours{};
  std::set<std::string> days, customers;
  for (const std::string& record : SplitRecords(out)) {
    std::string problem;
    ASSERT_EQ(classifier.Classify(record, &problem), "clean") << record;
    ASSERT_EQ(problem, "") << record;
    simdjson::dom::parser parser;
    simdjson::dom::object r = parser.parse(record).get_object().value_unsafe();
    ++quantities[r["quantity"].get_int64().value_unsafe()];
    const int64_t ts = *ParseIso8601Micros(r["timestamp"].get_string().value_unsafe());
    ++local_hours[((ts / 1'000'000 + 19'800) / 3600) % 24];
    days.insert(std::string(r["timestamp"].get_string().value_unsafe().substr(0, 10)));
    customers.insert(std::string(r["customer_name"].get_string().value_unsafe()));
  }
  EXPECT_EQ(quantities[0], 0);
  EXPECT_GT(quantities[1], quantities[2]);
  EXPECT_GT(quantities[2], quantities[3]);
  EXPECT_GT(quantities[3], 0);
  // Spread over the whole window, at varied times, busier in the evening than at opening.
  EXPECT_GE(days.size(), 95u);
  EXPECT_GT(local_hours[19], 2 * local_hours[10]);
  EXPECT_EQ(local_hours[9] + local_hours[22] + local_hours[3], 0);
  EXPECT_GT(customers.size(), 3'000u);
}

TEST(GeneratorTest, ShortWindowStaysInsideItAndInsideStoreHours) {
  for (const char* now : {"2026-11-26T03:00:00", "2026-11-26T10:00:00", "2026-11-26T23:59:59"}) {
    GeneratorOptions o = Seeded(2'000, 11);
    o.now_micros = *ParseIso8601Micros(now);
    o.days = 1;
    o.format = OutputFormat::kNdjson;
    RecordClassifier classifier(*BuiltinCatalog(), *o.now_micros, 1, o.store_utc_offset_seconds);
    for (const std::string& record : SplitRecords(RunGenerator(o))) {
      std::string problem;
      ASSERT_EQ(classifier.Classify(record, &problem), "clean") << now << " " << record;
      ASSERT_EQ(problem, "") << now << " " << record;
    }
  }
}

TEST(GeneratorTest, SameSeedSameBytesOtherSeedOtherBytes) {
  const std::string a = RunGenerator(Seeded(2'000, 5));
  EXPECT_EQ(a, RunGenerator(Seeded(2'000, 5)));
  EXPECT_NE(a, RunGenerator(Seeded(2'000, 6)));
  // Chunk size changes how output is cut, never what it is.
  EXPECT_EQ(a, RunGenerator(Seeded(2'000, 5), nullptr, 97));
  GeneratorOptions later = Seeded(2'000, 5);
  *later.now_micros += 86'400'000'000;
  EXPECT_NE(a, RunGenerator(later));
}

TEST(GeneratorTest, UnseededCallsDiffer) {
  GeneratorOptions o;
  o.records = 50;
  EXPECT_NE(RunGenerator(o), RunGenerator(o));
}

TEST(GeneratorTest, FormatsAndEnvelopeCarryTheSameRecords) {
  GeneratorOptions json = Seeded(300, 9);
  GeneratorOptions ndjson = json;
  ndjson.format = OutputFormat::kNdjson;
  GeneratorOptions lambda = json;
  lambda.envelope = Envelope::kLambda;
  const std::string a = RunGenerator(json), b = RunGenerator(ndjson), c = RunGenerator(lambda);
  EXPECT_EQ(SplitRecords(a), SplitRecords(b));
  EXPECT_EQ(SplitRecords(a), SplitRecords(c));
  EXPECT_EQ(SplitRecords(b).size(), 300u);
  EXPECT_EQ(b.back(), '\n');
  EXPECT_EQ(std::count(b.begin(), b.end(), '\n'), 300);

  simdjson::dom::parser parser;
  simdjson::dom::object envelope;
  ASSERT_EQ(parser.parse(c).get_object().get(envelope), simdjson::SUCCESS);
  EXPECT_EQ(envelope["statusCode"].get_int64().value_unsafe(), 200);
  EXPECT_EQ(envelope["body"].get_array().value_unsafe().size(), 300u);
}

TEST(GeneratorTest, ZeroRecords) {
  GeneratorOptions o = Seeded(0);
  EXPECT_EQ(RunGenerator(o), "[]\n");
  o.envelope = Envelope::kLambda;
  EXPECT_EQ(RunGenerator(o), "{\"statusCode\":200,\"body\":[]}\n");
  o.envelope = Envelope::kNone;
  o.format = OutputFormat::kNdjson;
  EXPECT_EQ(RunGenerator(o), "");
}

TEST(GeneratorTest, SinkRefusalAborts) {
  int calls = 0;
  Status st = Generate(Seeded(100'000), [&](std::string_view) { return ++calls < 3; });
  EXPECT_TRUE(st.Is(StatusCode::kAborted)) << st.ToString();
  EXPECT_EQ(calls, 3);
}

TEST(GeneratorTest, RefusesBadOptionsBeforeWriting) {
  auto refused = [](GeneratorOptions o) {
    bool wrote = false;
    Status st = Generate(o, [&](std::string_view) { return wrote = true; });
    EXPECT_FALSE(wrote);
    return st.Is(StatusCode::kInvalidArgument);
  };
  GeneratorOptions o = Seeded(10);
  o.dirty_rate = 2;
  EXPECT_TRUE(refused(o));
  o = Seeded(10);
  o.dirty_rate = std::nan("");
  EXPECT_TRUE(refused(o));
  o = Seeded(10);
  o.days = 0;
  EXPECT_TRUE(refused(o));
  o = Seeded(10);
  o.format = OutputFormat::kNdjson;
  o.envelope = Envelope::kLambda;
  EXPECT_TRUE(refused(o));
  o = Seeded(10);
  o.now_micros = 0;
  EXPECT_TRUE(refused(o));
}

TEST(GeneratorTest, UsesTheSeedCatalogsWhenGiven) {
  const char* shared = std::getenv("SALESLAKE_SHARED_DIR");
  const std::string dir = shared ? std::string(shared) + "/testdata/seed-catalogs" : "";
  if (dir.empty() || !std::filesystem::exists(dir + "/products.json")) {
    GTEST_SKIP() << "SALESLAKE_SHARED_DIR/testdata/seed-catalogs is not present";
  }
  Result<std::shared_ptr<const Catalog>> catalog =
      LoadCatalogFiles(dir + "/products.json", dir + "/stores.json");
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  GeneratorOptions o = Seeded(5'000, 3);
  o.catalog = *catalog;
  o.format = OutputFormat::kNdjson;
  RecordClassifier classifier(**catalog, Now(), o.days, o.store_utc_offset_seconds);
  std::set<std::string> products;
  for (const std::string& record : SplitRecords(RunGenerator(o))) {
    std::string problem;
    ASSERT_EQ(classifier.Classify(record, &problem), "clean") << record;
    ASSERT_EQ(problem, "") << record;
    products.insert(record.substr(record.find("\"product_id\":"), 20));
  }
  EXPECT_GT(products.size(), 300u) << "draws reach most of the seed's 359 products";
}

TEST(GeneratorTest, ValidUuidsAndEmails) {
  EXPECT_TRUE(testing_support::IsUuidV4("15780b2e-0c2e-4716-a104-d9866d113a7e"));
  EXPECT_FALSE(testing_support::IsUuidV4("15780b2e-0c2e-3716-a104-d9866d113a7e"));  // version 3
  EXPECT_FALSE(testing_support::IsUuidV4("15780b2e-0c2e-4716-c104-d9866d113a7e"));  // variant
  EXPECT_TRUE(testing_support::IsPlausibleEmail("aarav.sharma42@gmail.com"));
  EXPECT_FALSE(testing_support::IsPlausibleEmail("aarav..sharma@gmail.com"));
  EXPECT_FALSE(testing_support::IsPlausibleEmail("aarav@gmail"));
  // Every generated id is distinct and well formed (checked per record by the classifier).
  GeneratorOptions o = Seeded(50'000, 12);
  o.format = OutputFormat::kNdjson;
  std::set<std::string> ids;
  for (const std::string& record : SplitRecords(RunGenerator(o))) {
    ids.insert(record.substr(19, 36));
    ASSERT_TRUE(testing_support::IsUuidV4(record.substr(19, 36))) << record;
  }
  EXPECT_EQ(ids.size(), 50'000u);
}

}  // namespace
}  // namespace saleslake::generator

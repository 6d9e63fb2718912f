#include "table/parquet_convert.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

#include "base/clock.h"
#include "base/decimal.h"
#include "parquet/tools/parquet_tools.h"

namespace saleslake::table {
namespace {

const char* kRecord =
    R"({"transaction_id":"b358faf7-4ef9-465a-875c-3d964f482cd2","timestamp":"2026-10-15T15:07:58.865863",)"
    R"("store_id":"S027","store_name":"RS Puram Store","store_location":"Coimbatore",)"
    R"("product_id":"P0196","product_name":"Samsung Neo QLED 164 cm 65 inch","category":"Television",)"
    R"("brand":"Samsung","retail_price":221978.29,"quantity":1,"mrp":275990,"total":275990,)"
    R"("customer_name":"Rakesh Hegde","customer_email":"hegde.rakesh@gmail.com"})";

// Writes `text` to a temporary file and converts it into mem://convert-test/NAME.
Result<ConvertResult> Convert(const std::string& text, const std::string& name) {
  char path[] = "/tmp/sl-convert-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return Status::IOError("mkstemp");
  std::FILE* f = fdopen(fd, "w");
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  auto options = parquet::WriterOptions::Builder().Build();
  Result<ConvertResult> r = ConvertSalesNdjson(path, "mem://convert-test/" + name, *options);
  std::remove(path);
  return r;
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(ParquetConvertTest, ValuesArriveTypedAndExact) {
  // The second record has escapes, spaces, money without fraction, an exponent and a 'Z'.
  std::string second =
      R"({ "transaction_id" : "id-2", "timestamp":"2024-02-29 23:59:59Z", "store_id":"S\u0030\"1",)"
      R"("store_name":"caf\u00e9","store_location":"x","product_id":"p","product_name":"n",)"
      R"("category":"c","brand":"b","retail_price":1.5e2,"quantity":3,"mrp":-7,"total":0.10,)"
      R"("customer_name":"n","customer_email":"e" } )";
  auto r = Convert(std::string(kRecord) + "\n\n" + second + "\n", "values.parquet");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, 2);
  auto reader = parquet::OpenParquetFile("mem://convert-test/values.parquet");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto columns = (*reader)->ReadRowGroup(0, {0, 1, 2, 3, 9, 10, 11, 12});
  ASSERT_TRUE(columns.ok()) << columns.status().ToString();
  const auto& c = *columns;
  EXPECT_EQ(c[0].binaries[1], "id-2");
  EXPECT_EQ(c[1].int64s[0], *ParseIso8601Micros("2026-10-15T15:07:58.865863"));
  EXPECT_EQ(c[1].int64s[1], *ParseIso8601Micros("2024-02-29T23:59:59Z"));
  EXPECT_EQ(c[2].binaries[1], "S0\"1");
  EXPECT_EQ(c[3].binaries[1], "caf\xC3\xA9");
  EXPECT_EQ(c[4].int64s[0], 22197829);  // paise
  EXPECT_EQ(c[4].int64s[1], 15000);
  EXPECT_EQ(c[5].int32s[1], 3);
  EXPECT_EQ(c[6].int64s[1], -700);
  EXPECT_EQ(c[7].int64s[1], 10);
}

TEST(ParquetConvertTest, FastAndGeneralParsersAgree) {
  // Timestamps and money in many shapes: every one must equal base's parsers.
  std::mt19937_64 rng(5);
  std::string text;
  std::vector<std::string> times, prices;
  for (int i = 0; i < 2000; ++i) {
    const int64_t micros =
        static_cast<int64_t>(rng() % 4'000'000'000'000'000ull) - 1'000'000'000'000'000;
    std::string t = FormatIso8601Micros(micros);  // "...Z"
    if (i % 3 == 0) t.pop_back();                 // no Z
    if (i % 5 == 0) t = t.substr(0, 19);          // no fraction
    if (i % 7 == 0) t[10] = ' ';
    const int64_t paise = static_cast<int64_t>(rng() % 20'000'000'000ull) - 10'000'000'000;
    std::string p = FormatScaledDecimal(paise, 2);
    if (i % 4 == 0 && p.back() == '0') p.pop_back();  // one fraction digit
    times.push_back(t);
    prices.push_back(p);
    std::string rec = Replace(kRecord, "2026-10-15T15:07:58.865863", t);
    rec = Replace(rec, "221978.29", p);
    text += rec + "\n";
  }
  auto r = Convert(text, "agree.parquet");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto reader = parquet::OpenParquetFile("mem://convert-test/agree.parquet");
  ASSERT_TRUE(reader.ok());
  auto columns = (*reader)->ReadRowGroup(0, {1, 9});
  ASSERT_TRUE(columns.ok());
  for (size_t i = 0; i < times.size(); ++i) {
    ASSERT_EQ((*columns)[0].int64s[i], *ParseIso8601Micros(times[i])) << times[i];
    ASSERT_EQ((*columns)[1].int64s[i], *ParseScaledDecimal(prices[i], 2)) << prices[i];
  }
}

TEST(ParquetConvertTest, BadRecordsNameTheirLine) {
  struct Case {
    std::string record;
    const char* message;
  };
  const Case cases[] = {
      {Replace(kRecord, R"("quantity":1,)", ""), "line 3: missing field 'quantity'"},
      {Replace(kRecord, "221978.29", "221978.291"), "line 3: field 'retail_price'"},
      {Replace(kRecord, "221978.29", "\"221978.29\""),
       "line 3: field 'retail_price' must be a number"},
      {Replace(kRecord, R"("brand":"Samsung")", R"("brand":null)"),
       "line 3: field 'brand' is null"},
      {Replace(kRecord, R"("brand":"Samsung")", R"("brand":"a","brand":"b")"),
       "line 3: field 'brand' appears twice"},
      {Replace(kRecord, R"("brand")", R"("colour":"red","brand")"),
       "line 3: unknown field 'colour'"},
      {Replace(kRecord, "2026-10-15", "2026-02-30"), "line 3: field 'timestamp'"},
      {Replace(kRecord, R"("quantity":1)", R"("quantity":1.5)"), "line 3: field 'quantity'"},
      {"[1,2,3]", "line 3: not a JSON object"},
      {std::string(kRecord).substr(0, 100), "line 3"},
  };
  for (const Case& c : cases) {
    auto r =
        Convert(std::string(kRecord) + "\n" + kRecord + "\n" + c.record + "\n" + kRecord + "\n",
                "bad.parquet");
    ASSERT_FALSE(r.ok()) << c.record;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << r.status().ToString() << " wanted " << c.message;
  }
  // Nothing was published for the failed conversions.
  EXPECT_FALSE(parquet::OpenParquetFile("mem://convert-test/bad.parquet").ok());
}

TEST(ParquetConvertTest, LineNumbersSurviveChunkBoundaries) {
  // ~30 MB of records crosses several input chunks; the bad one is near the end.
  std::string text;
  const int good = 70'000;
  for (int i = 0; i < good; ++i) text.append(kRecord).push_back('\n');
  text += "{\"transaction_id\": 5}\n";
  auto r = Convert(text, "chunks.parquet");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line " + std::to_string(good + 1) + ":"), std::string::npos)
      << r.status().ToString();
}

}  // namespace
}  // namespace saleslake::table

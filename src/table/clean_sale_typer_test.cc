#include "table/clean_sale_typer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "base/clock.h"

namespace saleslake::table {
namespace {

const char* kGood =
    R"({"transaction_id":"b3f2af6d-0fc7-40c5-853b-559647364cea","timestamp":"2026-08-21T11:25:23.479716",)"
    R"("store_id":"S005","store_name":"Andheri East Megastore","store_location":"Mumbai",)"
    R"x("product_id":"P0185","product_name":"Samsung Crystal 4K Vista 108 cm (43 inch)",)x"
    R"("category":"Television","brand":"Samsung","retail_price":26002.66,"quantity":2,)"
    R"("mrp":32990,"total":65980,"customer_name":" Karan Qureshi ",)"
    R"("customer_email":"karan.qureshi41@gmail.com"})";

constexpr uint32_t kAll = (1u << kSalesFieldCount) - 1;
constexpr uint32_t kLossy = kBadJson | kNotAnObject | kInvalidUtf8 | kExtraField | kRepeatedField;

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

class CleanSaleTyperTest : public ::testing::Test {
 protected:
  CleanSaleTyperTest()
      : typer_(CleanSaleTyper::Make()),
        validator_({.now_micros = *ParseIso8601Micros("2026-11-26T10:00:00")}) {}

  // Types `record` both ways; whenever the fast path accepts, it must agree with the validator
  // exactly (every field valid, nothing lossy, the same values). Returns the fast path's answer.
  bool TypeAndCompare(const std::string& record) {
    std::string padded = record + std::string(64, 'x');  // padding with arbitrary content
    ParsedSale fast;
    const bool ok = typer_->Type(std::string_view(padded.data(), record.size()), 64, &fast);
    if (!ok) return false;
    const ParsedSale& slow = validator_.Validate(record);
    EXPECT_EQ(slow.valid, kAll) << record;
    EXPECT_EQ(slow.reasons & kLossy, 0u) << record;
    for (int i = 0; i < kSalesFieldCount; ++i) {
      if (SalesFields()[static_cast<size_t>(i)].json_type == SalesJsonType::kString) {
        EXPECT_EQ(fast.text[static_cast<size_t>(i)], slow.text[static_cast<size_t>(i)]) << record;
      }
    }
    EXPECT_EQ(fast.timestamp_micros, slow.timestamp_micros) << record;
    EXPECT_EQ(fast.retail_price_paise, slow.retail_price_paise) << record;
    EXPECT_EQ(fast.quantity, slow.quantity) << record;
    EXPECT_EQ(fast.mrp_paise, slow.mrp_paise) << record;
    EXPECT_EQ(fast.total_paise, slow.total_paise) << record;
    return true;
  }

  std::unique_ptr<CleanSaleTyper> typer_;
  SalesValidator validator_;
};

TEST_F(CleanSaleTyperTest, TypesTheCommonShape) {
  if (!typer_) GTEST_SKIP() << "this CPU has no AVX2: the fast path is off";
  ASSERT_TRUE(TypeAndCompare(kGood));
  ParsedSale sale;
  std::string padded = std::string(kGood) + std::string(64, ' ');
  ASSERT_TRUE(typer_->Type(std::string_view(padded.data(), std::strlen(kGood)), 64, &sale));
  EXPECT_EQ(sale.text[static_cast<size_t>(SalesField::kCustomerName)], "Karan Qureshi");
  EXPECT_EQ(sale.retail_price_paise, 2600266);
  EXPECT_EQ(sale.total_paise, 6598000);
  EXPECT_EQ(sale.quantity, 2);
  // Other orders, spaces, escapes in values, other timestamp layouts, one-digit fractions.
  EXPECT_TRUE(TypeAndCompare(Replace(kGood, R"({"transaction_id")", R"( { "transaction_id" )")));
  EXPECT_TRUE(TypeAndCompare(Replace(kGood, "Mumbai", R"(Mum\"bai\u00e9)")));
  EXPECT_TRUE(TypeAndCompare(Replace(kGood, "2026-08-21T11:25:23.479716", "2026-08-21 11:25:23")));
  EXPECT_TRUE(TypeAndCompare(Replace(kGood, "2026-08-21T11:25:23.479716", "2026-08-21T11:25Z")));
  EXPECT_TRUE(TypeAndCompare(Replace(kGood, "26002.66", "26002.6")));
  EXPECT_TRUE(TypeAndCompare(Replace(kGood, "26002.66", "-0")));
  EXPECT_TRUE(TypeAndCompare(Replace(Replace(kGood, R"("quantity":2,)", ""), R"("total":65980,)",
                                     R"("total":65980,"quantity":2,)")));
}

TEST_F(CleanSaleTyperTest, LeavesEverythingElseToTheValidator) {
  if (!typer_) GTEST_SKIP() << "this CPU has no AVX2: the fast path is off";
  for (const std::string& bad : {
           Replace(kGood, R"("mrp":32990,)", ""),                        // missing
           Replace(kGood, R"("mrp":32990)", R"("mrp":32990,"mrp":1)"),   // repeated
           Replace(kGood, R"("mrp":32990)", R"("mrp":32990,"x":1)"),     // extra
           Replace(kGood, R"("mrp")", R"("m\u0072p")"),                  // escaped key
           Replace(kGood, "32990", "null"),                              // null
           Replace(kGood, "32990", R"("32990")"),                        // wrong type
           Replace(kGood, "32990", "3.2990e4"),                          // not the plain form
           Replace(kGood, "32990", "32990.001"),                         // too many decimals
           Replace(kGood, "32990", "032990"),                            // not JSON
           Replace(kGood, "\"quantity\":2", "\"quantity\":2.0"),         // quantity as a double
           Replace(kGood, "\"quantity\":2", "\"quantity\":4294967296"),  // beyond INT32
           Replace(kGood, "2026-08-21T11", "2026-02-30T11"),             // no such date
           Replace(kGood, "Mumbai", "Mum\\xbai"),                        // bad escape
           Replace(kGood, "Mumbai", "Mum\tbai"),                         // control character
           Replace(kGood, "Mumbai",
                   "Mum\xff"
                   "bai"),                                 // invalid UTF-8
           Replace(kGood, R"(,"total")", R"(,,"total")"),  // not JSON
           std::string(kGood) + " {}",                     // trailing value
           std::string(kGood) + " x",                      // trailing junk
           std::string(kGood).substr(0, 200),              // truncated
           std::string("[") + kGood + "]",                 // not an object
       }) {
    EXPECT_FALSE(TypeAndCompare(bad)) << bad;
  }
}

// The compact shape (the generator's: schema order, no whitespace, plain ASCII) types without a
// parser; what follows the record in its buffer (quotes, backslashes, control bytes) is not read
// as part of it.
TEST_F(CleanSaleTyperTest, TheCompactShapeIgnoresWhatFollowsTheRecord) {
  if (!typer_) GTEST_SKIP() << "this CPU has no AVX2: the fast path is off";
  const std::string record = kGood;
  for (const char* padding : {"\"", "\\", "\x01", "\xff", "}"}) {
    std::string padded = record;
    while (padded.size() < record.size() + 64) padded += padding;
    ParsedSale sale;
    ASSERT_TRUE(typer_->Type(std::string_view(padded.data(), record.size()), 64, &sale));
    EXPECT_EQ(sale.text[static_cast<size_t>(SalesField::kCustomerEmail)],
              "karan.qureshi41@gmail.com");
    EXPECT_EQ(sale.mrp_paise, 3299000);
  }
  // Lengths around the 64-byte words of the masks.
  for (size_t extra = 0; extra < 130; ++extra) {
    EXPECT_TRUE(TypeAndCompare(Replace(kGood, "Mumbai", "Mumbai" + std::string(extra, 'm'))));
  }
  EXPECT_TRUE(TypeAndCompare(Replace(kGood, "Mumbai", std::string(2000, 'm'))));  // long: parsed
}

// Random byte edits of a good record: whatever the fast path accepts, the validator types the
// same way (TypeAndCompare checks it).
TEST_F(CleanSaleTyperTest, AgreesWithTheValidatorOnMutations) {
  if (!typer_) GTEST_SKIP() << "this CPU has no AVX2: the fast path is off";
  std::mt19937_64 rng(14);
  const std::string alphabet = "{}[]:,\"\\ .-+eE0123456789aZ\x7f\x80\xc3\xa9\t";
  const std::string good = kGood;
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string s = good;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const size_t at = rng() % s.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          s[at] = c;
          break;
        case 1:
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          s.erase(at, 1);
          break;
      }
    }
    accepted += TypeAndCompare(s);
  }
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace saleslake::table

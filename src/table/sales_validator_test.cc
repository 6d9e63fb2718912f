#include "table/sales_validator.h"

#include <gtest/gtest.h>

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

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

class SalesValidatorTest : public ::testing::Test {
 protected:
  SalesValidatorTest() : validator_({.now_micros = *ParseIso8601Micros("2026-11-26T10:00:00")}) {}
  uint32_t Reasons(const std::string& record) { return validator_.Validate(record).reasons; }
  SalesValidator validator_;
};

TEST_F(SalesValidatorTest, CleanRecordIsTypedExactly) {
  const ParsedSale& s = validator_.Validate(kGood);
  EXPECT_TRUE(s.clean()) << s.detail;
  EXPECT_EQ(s.valid, (1u << kSalesFieldCount) - 1);
  EXPECT_EQ(s.retail_price_paise, 2600266);
  EXPECT_EQ(s.mrp_paise, 3299000);
  EXPECT_EQ(s.total_paise, 6598000);
  EXPECT_EQ(s.quantity, 2);
  EXPECT_EQ(FormatIso8601Micros(s.timestamp_micros), "2026-08-21T11:25:23.479716Z");
  EXPECT_EQ(s.text[static_cast<size_t>(SalesField::kCustomerName)], "Karan Qureshi");  // trimmed
  EXPECT_EQ(s.text[static_cast<size_t>(SalesField::kStoreLocation)], "Mumbai");
}

TEST_F(SalesValidatorTest, EachRuleHasItsReason) {
  struct Case {
    std::string record;
    uint32_t reason;
  };
  const std::string g = kGood;
  const std::vector<Case> cases = {
      {"{\"transaction_id\":", kBadJson},
      {"[1,2]", kNotAnObject},
      {"42", kNotAnObject},
      {Replace(g, R"("store_id":"S005",)", ""), kMissingField},
      {Replace(g, R"("brand":"Samsung")", R"("brand":null)"), kNullValue},
      {Replace(g, R"("quantity":2)", R"("quantity":"2")"), kBadType},
      {Replace(g, R"("quantity":2)", R"("quantity":2.5)"), kBadType},
      {Replace(g, R"("retail_price":26002.66)", R"("retail_price":26002.665)"), kBadType},
      {Replace(g, R"("store_name":"Andheri East Megastore")", R"("store_name":7)"), kBadType},
      {Replace(g, "2026-08-21T11:25", "2026-02-30T11:25"), kBadTimestamp},
      {Replace(g, "2026-08-21T11:25", "2026-12-21T11:25"), kFutureTimestamp},
      {Replace(Replace(g, R"("quantity":2)", R"("quantity":0)"), R"("total":65980)",
               R"("total":0)"),
       kNonPositiveQuantity},
      {Replace(g, R"("total":65980)", R"("total":65981)"), kTotalMismatch},
      {Replace(g, "karan.qureshi41@gmail.com", "karan.qureshi41gmail.com"), kBadEmail},
      {Replace(g, "Karan Qureshi", std::string(70000, 'K')), kOversizedField},
      {Replace(g, "Karan Qureshi", "Karan \\ud800Qureshi"), kInvalidUtf8},
      {Replace(g, "Karan Qureshi", "Karan \xff Qureshi"), kInvalidUtf8},
      {Replace(g, R"("brand":"Samsung")", R"("brand":"Samsung","payment_mode":"UPI")"),
       kExtraField},
      {Replace(g, R"("brand":"Samsung")", R"("brand":"Samsung","brand":"LG")"), kRepeatedField},
  };
  for (const Case& c : cases) {
    const ParsedSale& s = validator_.Validate(c.record);
    EXPECT_TRUE(s.reasons & c.reason)
        << "want " << ReasonName(static_cast<Reason>(c.reason)) << ", got '"
        << ReasonsToString(s.reasons) << "' (" << s.detail << ") for " << c.record.substr(0, 200);
    EXPECT_FALSE(s.detail.empty());
  }
}

TEST_F(SalesValidatorTest, TypedWherePossibleEvenWhenRejected) {
  const ParsedSale& s =
      validator_.Validate(Replace(kGood, R"("total":65980)", R"("total":"lots")"));
  EXPECT_EQ(s.reasons, static_cast<uint32_t>(kBadType));
  EXPECT_FALSE(s.has(SalesField::kTotal));
  EXPECT_TRUE(s.has(SalesField::kMrp));
  EXPECT_EQ(s.mrp_paise, 3299000);
  EXPECT_NE(s.detail.find("'total'"), std::string::npos) << s.detail;
}

TEST_F(SalesValidatorTest, JudgeTypedRowsLikeRecords) {
  ParsedSale typed = validator_.Validate(kGood);  // a copy, as if read back from the raw layer
  ASSERT_TRUE(typed.clean());
  typed.total_paise += 100;
  typed.timestamp_micros = *ParseIso8601Micros("2027-01-01T00:00:00");
  validator_.Judge(&typed);
  EXPECT_EQ(typed.reasons, static_cast<uint32_t>(kTotalMismatch | kFutureTimestamp));
  EXPECT_NE(typed.detail.find("future"), std::string::npos) << typed.detail;
}

TEST(SalesValidatorReferenceTest, UnknownAndMismatched) {
  auto catalog =
      ReferenceCatalog::Create({Product{"P0185", "Samsung Crystal 4K Vista 108 cm (43 inch)",
                                        "Television", "Samsung", 2600266, 32990}},
                               {Store{"S005", "Andheri East Megastore", "Mumbai"}});
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  SalesValidator v(
      {.now_micros = *ParseIso8601Micros("2026-11-26T10:00:00"), .reference = &*catalog});
  EXPECT_TRUE(v.Validate(kGood).clean()) << v.Validate(kGood).detail;
  EXPECT_EQ(v.Validate(Replace(kGood, "S005", "S999")).reasons, kUnknownStore);
  EXPECT_EQ(v.Validate(Replace(kGood, "P0185", "P9999")).reasons, kUnknownProduct);
  EXPECT_EQ(v.Validate(Replace(kGood, "Andheri East", "Bandra")).reasons, kStoreMismatch);
  EXPECT_EQ(v.Validate(Replace(kGood, R"("brand":"Samsung")", R"("brand":"LG")")).reasons,
            kProductMismatch);
}

TEST(ReasonTest, Names) {
  EXPECT_EQ(ReasonName(kTotalMismatch), "total_mismatch");
  EXPECT_EQ(ReasonsToString(kMissingField | kBadEmail), "missing_field,bad_email");
  EXPECT_EQ(ReasonsToString(0), "");
}

TEST(EmailTest, Plausible) {
  for (const char* ok : {"a.b@example.com", "karan+x@mail.co.in", "x_y-z@sub.example.org"}) {
    EXPECT_TRUE(IsPlausibleEmail(ok)) << ok;
  }
  for (const char* bad : {"", "ab", "a@b", "a@@b.com", "a b@c.com", "a@b.c", "@b.com", "a@.com",
                          "a@b..com", "a.@b.com", "a@-b.com", "a@b.c0m"}) {
    EXPECT_FALSE(IsPlausibleEmail(bad)) << bad;
  }
}

}  // namespace
}  // namespace saleslake::table

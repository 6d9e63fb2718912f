#include "pipeline/sale_columns.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "generator/catalog.h"

namespace saleslake::pipeline {
namespace {

using table::SalesField;

// A clean sale naming entry `store` and `product` of the catalog.
table::ParsedSale SaleOf(const table::ReferenceCatalog& c, size_t store, size_t product,
                         const std::string& id) {
  static std::string ids[8];
  static size_t next = 0;
  std::string& held = ids[next++ % 8];
  held = id;
  table::ParsedSale s;
  auto set = [&s](SalesField f, std::string_view v) { s.text[static_cast<int>(f)] = v; };
  const table::Store& st = c.stores()[store];
  const table::Product& p = c.products()[product];
  set(SalesField::kTransactionId, held);
  set(SalesField::kStoreId, st.store_id);
  set(SalesField::kStoreName, st.store_name);
  set(SalesField::kStoreLocation, st.location);
  set(SalesField::kProductId, p.product_id);
  set(SalesField::kProductName, p.product_name);
  set(SalesField::kCategory, p.category);
  set(SalesField::kBrand, p.brand);
  set(SalesField::kCustomerName, "Asha Rao");
  set(SalesField::kCustomerEmail, "asha@example.com");
  s.timestamp_micros = 1'700'000'000'000'000LL + static_cast<int64_t>(store);
  s.quantity = 2;
  s.mrp_paise = p.mrp_rupees * 100;
  s.retail_price_paise = p.retail_price_paise;
  s.total_paise = s.mrp_paise * 2;
  s.valid = (1u << table::kSalesFieldCount) - 1;
  return s;
}

// Row `i` of `c` as JSON: every field, whichever way it is held.
std::vector<std::string> Json(const SaleColumns& c) {
  std::vector<std::string> out;
  for (size_t i = 0; i < c.rows(); ++i) out.push_back(c.ToJson(i));
  return out;
}

TEST(SaleColumns, CodedAndTextRowsHoldTheSameSales) {
  auto catalog = generator::BuiltinCatalog();
  const auto& cat = *catalog;
  SaleColumns coded, text;
  for (size_t i = 0; i < 5; ++i) {
    const auto sale = SaleOf(cat, i, 3 * i, "id-" + std::to_string(i));
    coded.AppendCoded(sale, &cat, static_cast<uint32_t>(i), static_cast<uint32_t>(3 * i), 1,
                      static_cast<int64_t>(i), "");
    text.Append(sale, 1, static_cast<int64_t>(i), "");
  }
  EXPECT_EQ(coded.catalog(), &cat);
  EXPECT_EQ(text.catalog(), nullptr);
  EXPECT_LT(coded.bytes(), text.bytes());
  EXPECT_EQ(Json(coded), Json(text));
  EXPECT_EQ(coded.text(SalesField::kBrand, 4), cat.products()[12].brand);
  EXPECT_TRUE(coded.SameContent(2, text, 2));
  EXPECT_FALSE(coded.SameContent(2, coded, 3));

  // Appending rows held the other way turns the columns into strings, the rows unchanged.
  SaleColumns mixed;
  mixed.AppendAll(coded);
  EXPECT_EQ(mixed.catalog(), &cat);
  const std::vector<uint32_t> which = {4, 0};
  mixed.AppendRows(text, which);
  EXPECT_EQ(mixed.catalog(), nullptr);
  ASSERT_EQ(mixed.rows(), 7u);
  EXPECT_EQ(mixed.ToJson(5), text.ToJson(4));
  EXPECT_EQ(mixed.ToJson(2), coded.ToJson(2));
  mixed.AppendCoded(SaleOf(cat, 7, 7, "id-7"), &cat, 7, 7, 2, 9, "");
  EXPECT_EQ(mixed.catalog(), nullptr);
  EXPECT_EQ(mixed.text(SalesField::kStoreName, 7), cat.stores()[7].store_name);
}

TEST(SaleColumns, CodedChunksRoundTripThroughAFile) {
  auto catalog = generator::BuiltinCatalog();
  const auto& cat = *catalog;
  SaleColumns coded, text;
  for (size_t i = 0; i < 4; ++i) {
    const auto sale = SaleOf(cat, i + 1, i + 2, "x" + std::to_string(i));
    coded.AppendCoded(sale, &cat, static_cast<uint32_t>(i + 1), static_cast<uint32_t>(i + 2), 0,
                      static_cast<int64_t>(i), "");
    text.Append(sale, 0, static_cast<int64_t>(i), "{}");
  }
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  auto a = coded.WriteTo(f);
  auto b = text.WriteTo(f);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_LT(*a, *b);
  std::rewind(f);
  SaleColumns back;
  ASSERT_TRUE(back.AppendFrom(f, *a, &cat).ok());
  EXPECT_EQ(back.catalog(), &cat);
  ASSERT_TRUE(back.AppendFrom(f, *b, &cat).ok());
  EXPECT_EQ(back.catalog(), nullptr);
  ASSERT_EQ(back.rows(), 8u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(back.SameContent(i, coded, i));
    EXPECT_TRUE(back.SameContent(4 + i, text, i));
    EXPECT_EQ(back.raw(4 + i), "{}");
  }
  // A coded chunk cannot be read without its catalog.
  std::rewind(f);
  SaleColumns none;
  EXPECT_FALSE(none.AppendFrom(f, *a, nullptr).ok());
  std::fclose(f);
}

}  // namespace
}  // namespace saleslake::pipeline

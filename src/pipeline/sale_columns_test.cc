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

TEST(SaleColumns, CompactChunkFormsRoundTrip) {
  // Each chunk takes its compact forms only when every row allows them: UUID ids, no raw text,
  // 32-bit quantities and record indices. Rows that do not are written as they are.
  auto catalog = generator::BuiltinCatalog();
  const auto& cat = *catalog;
  struct Case {
    std::string id;
    int64_t quantity;
    int64_t record_index;
    std::string raw;
  };
  const std::vector<std::vector<Case>> chunks = {
      {{"bbdc7068-2f4d-4d46-a0fe-9988be2a4972", 2, 0, ""},
       {"0426a2d7-9033-44e9-bf8d-ec3cffb3e660", 1, 7, ""}},
      {{"bbdc7068-2f4d-4d46-a0fe-9988be2a4972", 3, 1, ""},
       {"BBDC7068-2F4D-4D46-A0FE-9988BE2A4972", 1, 2, ""}},
      {{"0426a2d7-9033-44e9-bf8d-ec3cffb3e66", 1, int64_t{1} << 40, "{}"},
       {"0426a2d7x9033-44e9-bf8d-ec3cffb3e660", int64_t{1} << 33, 5, ""}},
  };
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  std::vector<uint64_t> lengths;
  std::vector<std::vector<std::string>> want;
  for (const auto& rows : chunks) {
    SaleColumns c;
    for (const Case& r : rows) {
      auto sale = SaleOf(cat, 1, 2, r.id);
      sale.quantity = r.quantity;
      sale.total_paise = sale.mrp_paise * r.quantity;
      c.Append(sale, 3, r.record_index, r.raw);
    }
    auto n = c.WriteTo(f);
    ASSERT_TRUE(n.ok());
    lengths.push_back(*n);
    want.push_back(Json(c));
  }
  std::rewind(f);
  SaleColumns all;
  std::vector<std::string> all_want;
  for (size_t i = 0; i < chunks.size(); ++i) {
    SaleColumns back;
    const long at = std::ftell(f);
    ASSERT_TRUE(back.AppendFrom(f, lengths[i]).ok());
    EXPECT_EQ(Json(back), want[i]);
    std::fseek(f, at, SEEK_SET);
    ASSERT_TRUE(all.AppendFrom(f, lengths[i]).ok());
    all_want.insert(all_want.end(), want[i].begin(), want[i].end());
  }
  EXPECT_EQ(Json(all), all_want);
  std::vector<Case> flat;
  for (const auto& rows : chunks) flat.insert(flat.end(), rows.begin(), rows.end());
  ASSERT_EQ(all.rows(), flat.size());
  for (size_t i = 0; i < all.rows(); ++i) {
    EXPECT_EQ(all.id(i), flat[i].id);
    EXPECT_EQ(all.quantity(i), flat[i].quantity);
    EXPECT_EQ(all.record_index(i), flat[i].record_index);
    EXPECT_EQ(all.raw(i), flat[i].raw);
  }
  std::fclose(f);
}

}  // namespace
}  // namespace saleslake::pipeline

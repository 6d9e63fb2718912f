// DailyRollup groups through table::GroupByKernel: row by row (AddSale), from a column batch
// (AddBatch) and from earlier daily rows (AddDaily) it gives the same rows, exact and in order;
// batches coded by a reference catalog (AddCodedBatch) give the rows their names would.
#include "pipeline/rollups.h"

#include <gtest/gtest.h>

#include "io/mem_file_system.h"
#include "lake/layout.h"
#include "pipeline/lake_schemas.h"
#include "table/reference_catalog.h"

namespace saleslake::pipeline {
namespace {

using table::SalesField;

SaleRow Sale(const char* store, const char* product, const char* brand, int64_t qty, int64_t mrp,
             int64_t retail) {
  SaleRow s;
  s.text[static_cast<int>(SalesField::kStoreId)] = store;
  s.text[static_cast<int>(SalesField::kStoreName)] = std::string("Store ") + store;
  s.text[static_cast<int>(SalesField::kStoreLocation)] = "Pune";
  s.text[static_cast<int>(SalesField::kProductId)] = product;
  s.text[static_cast<int>(SalesField::kProductName)] = std::string("Product ") + product;
  s.text[static_cast<int>(SalesField::kCategory)] = "Laptop";
  s.text[static_cast<int>(SalesField::kBrand)] = brand;
  s.quantity = qty;
  s.mrp = mrp;
  s.retail_price = retail;
  s.total = mrp * qty;
  return s;
}

std::vector<SaleRow> Sales() {
  std::vector<SaleRow> sales;
  for (int i = 0; i < 10000; ++i) {  // more than one flush of the rollup's buffer
    const char* stores[] = {"S001", "S002", "S003"};
    const char* products[] = {"P1", "P2"};
    // S003's products sometimes under another brand: variant rows of their own.
    const char* brand = (i % 97 == 0 && i % 3 == 2) ? "Other" : "Acme";
    sales.push_back(Sale(stores[i % 3], products[i % 2], brand, i % 3 + 1, 1000 + i % 7, 900));
  }
  return sales;
}

TEST(DailyRollup, SaleBatchAndDailyAgree) {
  const std::vector<SaleRow> sales = Sales();
  DailyRollup by_row;
  for (const SaleRow& s : sales) by_row.AddSale(20000, s);
  const std::vector<DailyRow> rows = by_row.Rows();

  // Exact totals of one group, by hand.
  int64_t orders = 0, units = 0, total = 0, cost = 0, profit = 0;
  for (const SaleRow& s : sales) {
    if (s.text[static_cast<int>(SalesField::kStoreId)] != "S001" ||
        s.text[static_cast<int>(SalesField::kProductId)] != "P1" ||
        s.text[static_cast<int>(SalesField::kBrand)] != "Acme") {
      continue;
    }
    ++orders;
    units += s.quantity;
    total += s.total;
    cost += s.retail_price * s.quantity;
    profit += (s.mrp - s.retail_price) * s.quantity;
  }
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0].store_id, "S001");
  EXPECT_EQ(rows[0].product_id, "P1");
  EXPECT_EQ(rows[0].date, 20000);
  EXPECT_EQ(rows[0].orders, orders);
  EXPECT_EQ(rows[0].units, units);
  EXPECT_EQ(rows[0].sales, total);
  EXPECT_EQ(rows[0].cost, cost);
  EXPECT_EQ(rows[0].gross_profit, profit);
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_LT(std::tie(rows[i - 1].store_id, rows[i - 1].product_id, rows[i - 1].brand),
              std::tie(rows[i].store_id, rows[i].product_id, rows[i].brand));
  }
  EXPECT_EQ(rows.size(), 8u);  // 3 stores x 2 products, and S003's two products as "Other"

  // The same sales as a column batch of main/sales' columns.
  table::ColumnBatch batch(MainSalesColumns());
  for (const SaleRow& s : sales) {
    for (size_t c = 0; c < batch.num_columns(); ++c) {
      const std::string& name = batch.schema()[c].name;
      parquet::ColumnBuffer& b = batch.column(c);
      if (name == "quantity") {
        if (b.type() == parquet::Type::kInt32) {
          b.AppendInt32(static_cast<int32_t>(s.quantity));
        } else {
          b.AppendInt64(s.quantity);
        }
      } else if (name == "mrp") {
        b.AppendInt64(s.mrp);
      } else if (name == "retail_price") {
        b.AppendInt64(s.retail_price);
      } else if (name == "total") {
        b.AppendInt64(s.total);
      } else if (b.type() == parquet::Type::kByteArray) {
        const char* fields[] = {"store_id",     "store_name", "store_location", "product_id",
                                "product_name", "category",   "brand"};
        const SalesField ids[] = {SalesField::kStoreId,       SalesField::kStoreName,
                                  SalesField::kStoreLocation, SalesField::kProductId,
                                  SalesField::kProductName,   SalesField::kCategory,
                                  SalesField::kBrand};
        std::string value;
        for (size_t f = 0; f < 7; ++f) {
          if (name == fields[f]) value = s.text[static_cast<int>(ids[f])];
        }
        b.AppendBytes(value);
      } else if (b.type() == parquet::Type::kInt32) {
        b.AppendInt32(0);
      } else {
        b.AppendInt64(0);
      }
    }
  }
  table::SelectionVector all;
  all.SelectAll(batch.rows());
  DailyRollup by_batch;
  by_batch.AddBatch(20000, batch, all);
  const std::vector<DailyRow> from_batch = by_batch.Rows();
  ASSERT_EQ(from_batch.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(from_batch[i].store_name, rows[i].store_name);
    EXPECT_EQ(from_batch[i].brand, rows[i].brand);
    EXPECT_EQ(from_batch[i].sales, rows[i].sales);
    EXPECT_EQ(from_batch[i].cost, rows[i].cost);
    EXPECT_EQ(from_batch[i].gross_profit, rows[i].gross_profit);
  }

  // Daily rows added back (a later run over the same day) double every total.
  DailyRollup again;
  for (const DailyRow& d : rows) again.AddDaily(d);
  for (const DailyRow& d : rows) again.AddDaily(d);
  const std::vector<DailyRow> doubled = again.Rows();
  ASSERT_EQ(doubled.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(doubled[i].orders, 2 * rows[i].orders);
    EXPECT_EQ(doubled[i].sales, 2 * rows[i].sales);
  }
}

void ExpectSameRows(const std::vector<DailyRow>& a, const std::vector<DailyRow>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].date, b[i].date);
    EXPECT_EQ(a[i].store_id, b[i].store_id);
    EXPECT_EQ(a[i].store_name, b[i].store_name);
    EXPECT_EQ(a[i].store_location, b[i].store_location);
    EXPECT_EQ(a[i].product_id, b[i].product_id);
    EXPECT_EQ(a[i].product_name, b[i].product_name);
    EXPECT_EQ(a[i].category, b[i].category);
    EXPECT_EQ(a[i].brand, b[i].brand);
    EXPECT_EQ(a[i].orders, b[i].orders);
    EXPECT_EQ(a[i].units, b[i].units);
    EXPECT_EQ(a[i].sales, b[i].sales);
    EXPECT_EQ(a[i].cost, b[i].cost);
    EXPECT_EQ(a[i].gross_profit, b[i].gross_profit);
  }
}

TEST(DailyRollup, CodedBatchesGiveTheRowsOfTheirNames) {
  // Catalog order is not id order, so the coded rows must be ordered by id, not by index.
  std::vector<table::Store> stores = {
      {"S010", "Store Ten", "Pune"}, {"S001", "Store One", "Delhi"}, {"S002", "Store Two", "Agra"}};
  std::vector<table::Product> products = {{"P2", "Phone", "Mobiles", "Acme", 90000, 1000},
                                          {"P10", "Laptop", "Laptops", "Zeta", 50000, 700},
                                          {"P1", "Tablet", "Tablets", "Acme", 20000, 300}};
  Result<table::ReferenceCatalog> catalog = table::ReferenceCatalog::Create(products, stores);
  ASSERT_TRUE(catalog.ok());

  table::ColumnBatch batch(MainSalesColumns());
  std::vector<uint64_t> keys;
  for (uint32_t i = 0; i < 5000; ++i) {
    const uint32_t s = (i * 7) % 3, p = (i * 5 + i / 3) % 3;
    if (i % 11 == 0 && p == 2) continue;  // one store and product pair is rarer
    keys.push_back((uint64_t{s} << 32) | p);
    const table::Store& store = stores[s];
    const table::Product& product = products[p];
    const int64_t qty = i % 3 + 1;
    for (size_t c = 0; c < batch.num_columns(); ++c) {
      const std::string& name = batch.schema()[c].name;
      parquet::ColumnBuffer& b = batch.column(c);
      if (name == "quantity") {
        b.AppendInt32(static_cast<int32_t>(qty));
      } else if (name == "mrp") {
        b.AppendInt64(product.mrp_rupees * 100);
      } else if (name == "retail_price") {
        b.AppendInt64(product.retail_price_paise);
      } else if (name == "total") {
        b.AppendInt64(product.mrp_rupees * 100 * qty);
      } else if (name == "timestamp") {
        b.AppendInt64(0);
      } else {
        const std::string* text = name == "store_id"         ? &store.store_id
                                  : name == "store_name"     ? &store.store_name
                                  : name == "store_location" ? &store.location
                                  : name == "product_id"     ? &product.product_id
                                  : name == "product_name"   ? &product.product_name
                                  : name == "category"       ? &product.category
                                  : name == "brand"          ? &product.brand
                                                             : nullptr;
        b.AppendBytes(text != nullptr ? *text : "x");
      }
    }
  }
  table::SelectionVector all, first, rest;
  all.SelectAll(batch.rows());
  for (uint32_t r = 0; r < batch.rows(); ++r) (r < 1234 ? first : rest).Add(r);

  DailyRollup by_name;
  by_name.AddBatch(20000, batch, all);
  const std::vector<DailyRow> named = by_name.Rows();
  ASSERT_EQ(named.size(), 9u);
  EXPECT_EQ(named.front().store_id, "S001");
  EXPECT_EQ(named.front().product_id, "P1");
  EXPECT_EQ(named.back().store_id, "S010");
  EXPECT_EQ(named.back().product_id, "P2");

  DailyRollup coded;
  coded.AddCodedBatch(20000, batch, first, *catalog, keys.data());
  coded.AddCodedBatch(20000, batch, rest, *catalog, keys.data());
  ExpectSameRows(coded.Rows(), named);

  // The daily_sales file from the coded rows is the file from the named rows, byte for byte.
  std::vector<DailyRollup::CodedRow> coded_rows;
  const table::ReferenceCatalog* coded_by = nullptr;
  ASSERT_TRUE(coded.CodedRows(&coded_rows, &coded_by));
  ASSERT_EQ(coded_by, &*catalog);
  ASSERT_EQ(coded_rows.size(), named.size());
  auto fs = io::MemFileSystem::Make();
  lake::LedgerFile from_names, from_codes;
  ASSERT_TRUE(WriteDailyRows(*fs, "a.parquet", "p", named, &from_names).ok());
  ASSERT_TRUE(WriteCodedDailyRows(*fs, "b.parquet", "p", *catalog, coded_rows, &from_codes).ok());
  Result<std::string> a = fs->ReadFile(lake::PendingPath("a.parquet"));
  Result<std::string> b = fs->ReadFile(lake::PendingPath("b.parquet"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);

  // With rows by name as well (a day's earlier daily rows), coded and named groups merge.
  DailyRollup mixed;
  mixed.AddCodedBatch(20000, batch, all, *catalog, keys.data());
  for (const DailyRow& d : named) mixed.AddDaily(d);
  DailyRollup twice;
  for (int k = 0; k < 2; ++k) {
    for (const DailyRow& d : named) twice.AddDaily(d);
  }
  std::vector<DailyRollup::CodedRow> none;
  EXPECT_FALSE(mixed.CodedRows(&none, &coded_by));
  ExpectSameRows(mixed.Rows(), twice.Rows());

  // The seed tables from coded daily rows are those from the same rows by name.
  AggregateTables by_names, by_codes;
  by_names.AddAll(named);
  by_codes.AddCoded(*catalog, coded_rows);
  lake::LedgerState state;
  lake::LedgerCommit names_commit, codes_commit;
  auto names_fs = io::MemFileSystem::Make();
  auto codes_fs = io::MemFileSystem::Make();
  ASSERT_TRUE(by_names.Write(*names_fs, state, "k", &names_commit).ok());
  ASSERT_TRUE(by_codes.Write(*codes_fs, state, "k", &codes_commit).ok());
  ASSERT_EQ(names_commit.added.size(), codes_commit.added.size());
  for (size_t i = 0; i < names_commit.added.size(); ++i) {
    const std::string pending = lake::PendingPath(names_commit.added[i].path);
    Result<std::string> x = names_fs->ReadFile(pending);
    Result<std::string> y = codes_fs->ReadFile(pending);
    ASSERT_TRUE(x.ok() && y.ok()) << pending;
    EXPECT_EQ(*x, *y) << pending;
  }
}

}  // namespace
}  // namespace saleslake::pipeline

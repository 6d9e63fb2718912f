#include "lake/layout.h"

#include <gtest/gtest.h>

namespace saleslake::lake {
namespace {

TEST(LakeLayout, ParsesPartitionedAndFlatTables) {
  auto p = ParseDataPath("main/sales/year=2026/month=05/day=01/part-ab.parquet");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->layer, "main");
  EXPECT_EQ(p->location, "main/sales");
  EXPECT_EQ(p->partition, "year=2026/month=05/day=01");
  ASSERT_EQ(p->partition_values.size(), 3u);
  EXPECT_EQ(p->partition_values[1], (std::pair<std::string, std::string>{"month", "05"}));

  auto flat = ParseDataPath("main/brand_sales/part-1.parquet");
  ASSERT_TRUE(flat.has_value());
  EXPECT_EQ(flat->location, "main/brand_sales");
  EXPECT_EQ(flat->partition, "");

  auto deep = ParseDataPath("raw/web/clicks/dt=2026-01-01/x.parquet");
  ASSERT_TRUE(deep.has_value());
  EXPECT_EQ(deep->location, "raw/web/clicks");
  EXPECT_EQ(TableNameFor(deep->location), "raw_web_clicks");
}

TEST(LakeLayout, SkipsWorkInProgressAndForeignPaths) {
  EXPECT_FALSE(ParseDataPath("main/sales/year=2026/_pending-part-a.parquet.pending"));
  EXPECT_FALSE(ParseDataPath("main/sales/year=2026/.tmp-0123-part.parquet"));
  EXPECT_FALSE(ParseDataPath("main/sales/_tmp/part.parquet"));
  EXPECT_FALSE(ParseDataPath("main/sales/part.csv"));
  EXPECT_FALSE(ParseDataPath("main/part.parquet"));  // no table folder
  EXPECT_FALSE(ParseDataPath("_ledger/00000000000000000001.json"));
  EXPECT_FALSE(ParseDataPath("other/sales/part.parquet"));
  // A plain folder below a partition folder is not a table layout.
  EXPECT_FALSE(ParseDataPath("main/sales/year=2026/extra/part.parquet"));
}

TEST(LakeLayout, NamesAndAliases) {
  EXPECT_EQ(TableNameFor("main/sales"), "sales");
  EXPECT_EQ(TableNameFor("main/daily_sales"), "daily_sales");
  EXPECT_EQ(TableNameFor("raw/sales"), "raw_sales");
  EXPECT_EQ(TableNameFor("quarantine/sales"), "quarantine_sales");
  EXPECT_EQ(AliasesFor("highest_sold_product"), std::vector<std::string>{"higest_sold_product"});
  EXPECT_TRUE(AliasesFor("sales").empty());
}

TEST(LakeLayout, TypeNamesRoundTrip) {
  for (const char* name : {"BOOLEAN", "INT32", "INT64", "FLOAT", "DOUBLE", "DECIMAL(18,2)",
                           "STRING", "BINARY", "DATE", "TIMESTAMP"}) {
    table::LakeColumn c;
    ASSERT_TRUE(ParseLakeTypeName(name, &c)) << name;
    EXPECT_EQ(LakeTypeName(c), name);
  }
  table::LakeColumn c;
  EXPECT_FALSE(ParseLakeTypeName("DECIMAL(18)", &c));
  EXPECT_FALSE(ParseLakeTypeName("VARCHAR", &c));
}

}  // namespace
}  // namespace saleslake::lake

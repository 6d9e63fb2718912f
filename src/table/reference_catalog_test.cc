#include "table/reference_catalog.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

namespace saleslake::table {
namespace {

std::string SeedCatalogDir() {
  const char* shared = std::getenv("SALESLAKE_SHARED_DIR");
  if (shared == nullptr) return "";
  std::string dir = std::string(shared) + "/testdata/seed-catalogs";
  return std::filesystem::exists(dir + "/products.json") ? dir : "";
}

TEST(ReferenceCatalogTest, LoadsTheSeedCatalogs) {
  const std::string dir = SeedCatalogDir();
  if (dir.empty()) GTEST_SKIP() << "SALESLAKE_SHARED_DIR/testdata/seed-catalogs is not present";
  Result<ReferenceCatalog> catalog =
      LoadReferenceCatalog(dir + "/products.json", dir + "/stores.json");
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_EQ(catalog->products().size(), 359u);
  EXPECT_EQ(catalog->stores().size(), 25u);
  std::set<std::string> brands, categories;
  for (const Product& p : catalog->products()) {
    brands.insert(p.brand);
    categories.insert(p.category);
    EXPECT_GT(p.mrp_rupees, 0);
    EXPECT_LT(p.retail_price_paise, p.mrp_rupees * 100) << p.product_id;
  }
  EXPECT_EQ(brands.size(), 26u);
  EXPECT_EQ(categories.size(), 6u);
  // The first entries, read exactly (money never passes through a double).
  const Product* p001 = catalog->FindProduct("P001");
  ASSERT_NE(p001, nullptr);
  EXPECT_EQ(p001->product_name, "Samsung Galaxy S24 Ultra");
  EXPECT_EQ(p001->category, "Mobile Phone");
  EXPECT_EQ(p001->brand, "Samsung");
  EXPECT_EQ(p001->mrp_rupees, 139999);
  EXPECT_EQ(p001->retail_price_paise, 11899915);
  const Store* s001 = catalog->FindStore("S001");
  ASSERT_NE(s001, nullptr);
  EXPECT_EQ(s001->store_name, "Connaught Place Store");
  EXPECT_EQ(s001->location, "New Delhi");
  EXPECT_EQ(catalog->FindStore("S999"), nullptr);
  EXPECT_EQ(catalog->FindProduct("p001"), nullptr);
}

TEST(ReferenceCatalogTest, ParsesIntegerAndDecimalPricesExactly) {
  Result<std::vector<Product>> products = ParseProductsJson(
      R"([{"product_id":"A","product_name":"N\u00e9o \"X\"","category":"C","brand":"B",
           "mrp":100,"retail_price":85},
          {"brand":"B","category":"C","product_name":"M","product_id":"B","extra":[1,{"k":2}],
           "retail_price":0.1,"mrp":1e3}])",
      "products.json");
  ASSERT_TRUE(products.ok()) << products.status().ToString();
  ASSERT_EQ(products->size(), 2u);
  EXPECT_EQ((*products)[0].product_name, "N\xc3\xa9o \"X\"");
  EXPECT_EQ((*products)[0].retail_price_paise, 8500);
  EXPECT_EQ((*products)[1].retail_price_paise, 10);
  EXPECT_EQ((*products)[1].mrp_rupees, 1000);
}

struct MalformedCase {
  const char* json;
  const char* expected;  // a substring of the error
};

class MalformedProductsTest : public testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedProductsTest, GivesAClearError) {
  Result<std::vector<Product>> products = ParseProductsJson(GetParam().json, "products.json");
  ASSERT_FALSE(products.ok()) << GetParam().json;
  EXPECT_TRUE(products.status().Is(StatusCode::kInvalidArgument));
  EXPECT_NE(products.status().message().find(GetParam().expected), std::string::npos)
      << "error was: " << products.status().message();
  EXPECT_EQ(products.status().message().rfind("products.json: ", 0), 0u)
      << "errors start with the file: " << products.status().message();
}

#define GOOD_PRODUCT \
  R"({"product_id":"P1","product_name":"N","category":"C","brand":"B","mrp":10,"retail_price":9.5})"

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedProductsTest,
    testing::Values(
        MalformedCase{"", "not valid JSON"}, MalformedCase{"[" GOOD_PRODUCT ",", "not valid JSON"},
        MalformedCase{"[" GOOD_PRODUCT "] trailing", "not valid JSON"},
        MalformedCase{"{\"products\":[]}", "expected a JSON array"},
        MalformedCase{"[]", "the array is empty"},
        MalformedCase{"[" GOOD_PRODUCT ",42]", "entry [1]: expected an object"},
        MalformedCase{
            R"([{"product_id":"P1","product_name":"N","category":"C","brand":"B","mrp":10}])",
            "entry [0], field \"retail_price\": missing"},
        MalformedCase{
            R"([{"product_id":"P1","product_name":"N","category":"C","brand":"B","mrp":"10","retail_price":9}])",
            "entry [0], field \"mrp\": must be a number, got a string"},
        MalformedCase{
            R"([{"product_id":"P1","product_name":"N","category":"C","brand":"B","mrp":10.5,"retail_price":9}])",
            "field \"mrp\": must be a whole number of rupees, got 10.5"},
        MalformedCase{
            R"([{"product_id":"P1","product_name":"N","category":"C","brand":"B","mrp":10,"retail_price":9.555}])",
            "field \"retail_price\": must be rupees with at most 2 decimals"},
        MalformedCase{
            R"([{"product_id":"P1","product_name":"N","category":"C","brand":"B","mrp":10,"retail_price":-1}])",
            "field \"retail_price\": must not be negative"},
        MalformedCase{
            R"([{"product_id":"P1","product_name":"N","category":"C","brand":"B","mrp":0,"retail_price":0}])",
            "field \"mrp\": must be between 1 and"},
        MalformedCase{
            R"([{"product_id":7,"product_name":"N","category":"C","brand":"B","mrp":10,"retail_price":9}])",
            "field \"product_id\": must be a string, got a number"},
        MalformedCase{
            R"([{"product_id":"","product_name":"N","category":"C","brand":"B","mrp":10,"retail_price":9}])",
            "field \"product_id\": must not be empty"},
        MalformedCase{
            R"([{"product_id":null,"product_name":"N","category":"C","brand":"B","mrp":10,"retail_price":9}])",
            "must be a string, got null"},
        MalformedCase{
            R"([{"product_id":"P","product_id":"Q","product_name":"N","category":"C","brand":"B","mrp":10,"retail_price":9}])",
            "field \"product_id\": appears twice"},
        MalformedCase{"[" GOOD_PRODUCT "," GOOD_PRODUCT ",{\"product_id\":\"P3\"}]",
                      "entry [2], field \"product_name\": missing"}));

TEST(ReferenceCatalogTest, MalformedStoresNameEntryAndField) {
  Result<std::vector<Store>> stores = ParseStoresJson(
      R"([{"store_id":"S1","store_name":"A","location":"Pune"},{"store_id":"S2","location":"Goa"}])",
      "stores.json");
  ASSERT_FALSE(stores.ok());
  EXPECT_EQ(stores.status().message(), "stores.json: entry [1], field \"store_name\": missing");
}

TEST(ReferenceCatalogTest, CreateRefusesDuplicateIdsAndEmptyLists) {
  std::vector<Product> products = {{"P1", "A", "C", "B", 900, 10}, {"P1", "B", "C", "B", 900, 10}};
  std::vector<Store> stores = {{"S1", "A", "Pune"}};
  Result<ReferenceCatalog> dup = ReferenceCatalog::Create(products, stores);
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("product_id P1 appears twice"), std::string::npos);
  EXPECT_FALSE(ReferenceCatalog::Create({}, stores).ok());
  EXPECT_FALSE(ReferenceCatalog::Create({products[0]}, {}).ok());
  std::vector<Store> dup_stores = {{"S1", "A", "Pune"}, {"S1", "B", "Goa"}};
  EXPECT_FALSE(ReferenceCatalog::Create({products[0]}, dup_stores).ok());
}

TEST(ReferenceCatalogTest, FileErrorsNameTheFile) {
  const std::string dir = testing::TempDir();
  Result<std::vector<Product>> missing = LoadProductsFile(dir + "/no-such-products.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound());
  EXPECT_NE(missing.status().message().find("no-such-products.json"), std::string::npos);

  const std::string bad = dir + "/bad-stores.json";
  std::ofstream(bad) << R"([{"store_id":"S1","store_name":"A","location":5}])";
  Result<std::vector<Store>> stores = LoadStoresFile(bad);
  ASSERT_FALSE(stores.ok());
  EXPECT_EQ(stores.status().message(),
            bad + ": entry [0], field \"location\": must be a string, got a number");
}

}  // namespace
}  // namespace saleslake::table

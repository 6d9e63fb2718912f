#include "table/seed_catalog.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace saleslake::table {
namespace {

TEST(SeedCatalogTest, IsTheSeedsCatalogs) {
  const auto catalog = SeedCatalog();
  EXPECT_EQ(catalog->products().size(), 359u);
  EXPECT_EQ(catalog->stores().size(), 25u);
  std::set<std::string> brands, categories;
  for (const Product& p : catalog->products()) {
    brands.insert(p.brand);
    categories.insert(p.category);
  }
  EXPECT_EQ(brands.size(), 26u);
  EXPECT_EQ(categories.size(), 6u);
  const Product* first = catalog->FindProduct("P001");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->product_name, "Samsung Galaxy S24 Ultra");
  EXPECT_EQ(first->mrp_rupees, 139999);
  EXPECT_EQ(first->retail_price_paise, 11899915);
  const Store* store = catalog->FindStore("S001");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->store_name, "Connaught Place Store");
  EXPECT_EQ(store->location, "New Delhi");
  EXPECT_EQ(SeedCatalog().get(), catalog.get()) << "parsed once and shared";
}

// The seed's catalog gives some product names two ids (and prices): the seed's tables group by
// name, so they merge there (docs/pipeline.md says so).
TEST(SeedCatalogTest, SomeProductNamesHaveTwoIds) {
  std::map<std::string, int> ids_per_name;
  for (const Product& p : SeedCatalog()->products()) ++ids_per_name[p.product_name];
  int shared = 0;
  for (const auto& [name, n] : ids_per_name) shared += n > 1;
  EXPECT_GT(shared, 0);
}

// The embedded bytes are the seed's files exactly (when ../shared is here to compare with).
TEST(SeedCatalogTest, EmbeddedBytesEqualTheSeedsFiles) {
  const char* shared = std::getenv("SALESLAKE_SHARED_DIR");
  const std::string dir = shared == nullptr ? "" : std::string(shared) + "/testdata/seed-catalogs";
  if (dir.empty() || !std::filesystem::exists(dir + "/products.json")) {
    GTEST_SKIP() << "SALESLAKE_SHARED_DIR/testdata/seed-catalogs is not present";
  }
  auto slurp = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  EXPECT_EQ(SeedProductsJson(), slurp(dir + "/products.json"));
  EXPECT_EQ(SeedStoresJson(), slurp(dir + "/stores.json"));
}

}  // namespace
}  // namespace saleslake::table

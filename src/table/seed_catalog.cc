#include "table/seed_catalog.h"

#include <cstdlib>

namespace saleslake::table {
namespace seed_catalog {
// Defined in the source generated at build time (seed_catalog/embed_json.cmake).
std::string_view ProductsJson();
std::string_view StoresJson();
}  // namespace seed_catalog

std::string_view SeedProductsJson() { return seed_catalog::ProductsJson(); }
std::string_view SeedStoresJson() { return seed_catalog::StoresJson(); }

std::shared_ptr<const ReferenceCatalog> SeedCatalog() {
  static const std::shared_ptr<const ReferenceCatalog> catalog = [] {
    Result<std::vector<Product>> products = ParseProductsJson(SeedProductsJson(), "products.json");
    Result<std::vector<Store>> stores = ParseStoresJson(SeedStoresJson(), "stores.json");
    if (!products.ok() || !stores.ok()) std::abort();
    Result<ReferenceCatalog> built =
        ReferenceCatalog::Create(std::move(products).value(), std::move(stores).value());
    if (!built.ok()) std::abort();
    return std::make_shared<const ReferenceCatalog>(std::move(built).value());
  }();
  return catalog;
}

}  // namespace saleslake::table

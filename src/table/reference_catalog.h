// The reference catalog: the products and stores a sale may name. The generator draws sales from
// it and the pipeline validates sales against it (unknown_store, unknown_product, names that do
// not match their id).
//
// Files use the seed project's JSON format:
//   products.json  [{"product_id":"P001","product_name":"...","category":"...","brand":"...",
//                    "mrp":139999,"retail_price":118999.15}, ...]
//   stores.json    [{"store_id":"S001","store_name":"...","location":"New Delhi"}, ...]
// Money is exact: retail_price is held in paise, mrp in whole rupees.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "table/sales_record.h"

namespace saleslake::table {

struct Product {
  std::string product_id;
  std::string product_name;
  std::string category;
  std::string brand;
  int64_t retail_price_paise = 0;  // the store's cost per unit, e.g. 11899915 for 118999.15
  int64_t mrp_rupees = 0;          // the price the customer pays per unit
};

struct Store {
  std::string store_id;
  std::string store_name;
  std::string location;  // a city; the sale record calls it store_location
};

// The seven sale fields a reference catalog fixes: store_id, store_name and store_location by the
// store; product_id, product_name, category and brand by the product.
constexpr bool IsCatalogField(SalesField f) {
  return f >= SalesField::kStoreId && f <= SalesField::kBrand;
}
constexpr bool IsStoreField(SalesField f) {
  return f >= SalesField::kStoreId && f <= SalesField::kStoreLocation;
}
// A store's text for one of its three fields (any other field: its location).
inline std::string_view StoreText(const Store& s, SalesField f) {
  return f == SalesField::kStoreId     ? s.store_id
         : f == SalesField::kStoreName ? s.store_name
                                       : s.location;
}
// A product's text for one of its four fields (any other field: its brand).
inline std::string_view ProductText(const Product& p, SalesField f) {
  return f == SalesField::kProductId     ? p.product_id
         : f == SalesField::kProductName ? p.product_name
         : f == SalesField::kCategory    ? p.category
                                         : p.brand;
}

// Caps that keep a hostile or mistaken file from costing unbounded memory.
constexpr size_t kMaxCatalogFileBytes = 64 << 20;
constexpr size_t kMaxCatalogEntries = 1'000'000;
constexpr size_t kMaxCatalogStringBytes = 1024;
// Largest mrp accepted: keeps mrp x quantity x 100 far inside int64.
constexpr int64_t kMaxMrpRupees = 1'000'000'000'000;

// Products and stores with lookup by id. Ids are unique, lists are non-empty.
class ReferenceCatalog {
 public:
  // Checks the invariants (non-empty lists, unique ids, non-empty strings, prices in range).
  static Result<ReferenceCatalog> Create(std::vector<Product> products, std::vector<Store> stores);

  const std::vector<Product>& products() const { return products_; }
  const std::vector<Store>& stores() const { return stores_; }

  // nullptr when the id is not in the catalog.
  const Product* FindProduct(std::string_view product_id) const;
  const Store* FindStore(std::string_view store_id) const;

 private:
  std::vector<Product> products_;
  std::vector<Store> stores_;
  // Heterogeneous lookup: find by string_view without building a std::string.
  struct IdHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using IdIndex = std::unordered_map<std::string, size_t, IdHash, std::equal_to<>>;
  IdIndex product_index_;
  IdIndex store_index_;
};

// Parse the seed's JSON catalog formats. `source` names the input in error messages
// ("products.json: entry 12: field \"mrp\": must be a whole number of rupees, got 99.5").
Result<std::vector<Product>> ParseProductsJson(std::string_view json, std::string_view source);
Result<std::vector<Store>> ParseStoresJson(std::string_view json, std::string_view source);

// Read and parse files from the local file system.
Result<std::vector<Product>> LoadProductsFile(const std::string& path);
Result<std::vector<Store>> LoadStoresFile(const std::string& path);
Result<ReferenceCatalog> LoadReferenceCatalog(const std::string& products_path,
                                              const std::string& stores_path);

}  // namespace saleslake::table

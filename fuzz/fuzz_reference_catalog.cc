// Catalog files are user input: the products.json / stores.json parsers must return a catalog or
// a clear error for any bytes, never crash. Whatever they accept must also build a catalog that
// the generator can draw from.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "table/reference_catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto products = saleslake::table::ParseProductsJson(input, "products.json");
  auto stores = saleslake::table::ParseStoresJson(input, "stores.json");
  if (products.ok()) {
    for (const auto& p : *products) {
      if (p.mrp_rupees <= 0 || p.retail_price_paise < 0 || p.product_id.empty()) __builtin_trap();
    }
    std::vector<saleslake::table::Store> one_store = {{"S1", "Store", "Pune"}};
    auto catalog = saleslake::table::ReferenceCatalog::Create(*products, one_store);
    if (catalog.ok() && catalog->FindProduct((*products)[0].product_id) == nullptr)
      __builtin_trap();
  }
  if (stores.ok() && stores->empty()) __builtin_trap();
  return 0;
}

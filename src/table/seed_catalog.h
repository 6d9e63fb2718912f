// The seed project's catalogs — products.json (359 products, 26 brands, 6 categories) and
// stores.json (25 stores) — built into the binary from the copies in src/table/seed_catalog/.
// They are the generator's default catalog and the pipeline's default reference catalog, so a
// fresh lake looks like the seed's and nothing outside the binary is read at run time.
#pragma once

#include <memory>
#include <string_view>

#include "table/reference_catalog.h"

namespace saleslake::table {

// The seed's JSON, byte for byte as checked in.
std::string_view SeedProductsJson();
std::string_view SeedStoresJson();

// Parsed once and shared. The files are ours and fixed: a parse failure is a bug the unit
// tests catch, and aborts.
std::shared_ptr<const ReferenceCatalog> SeedCatalog();

// The name a run records for the reference it checked against when it is the built-in one.
inline constexpr std::string_view kSeedCatalogName = "builtin:seed";

}  // namespace saleslake::table

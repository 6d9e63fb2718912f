// The catalog the generator draws sales from: the table layer's ReferenceCatalog (so that the
// pipeline validates against exactly the same products and stores), plus our built-in one.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "table/reference_catalog.h"

namespace saleslake::generator {

using Catalog = table::ReferenceCatalog;

// The built-in catalog: the seed's products.json (359 products, 26 brands, 6 categories) and
// stores.json (25 stores), built into the binary. Parsed once, shared, the same in every build
// (the generator's determinism depends on it).
std::shared_ptr<const Catalog> BuiltinCatalog();

// Loads products.json + stores.json in the seed project's format.
Result<std::shared_ptr<const Catalog>> LoadCatalogFiles(const std::string& products_path,
                                                        const std::string& stores_path);

}  // namespace saleslake::generator

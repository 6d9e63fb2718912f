// The catalog the generator draws sales from: the table layer's ReferenceCatalog (so that the
// pipeline validates against exactly the same products and stores), plus our built-in one.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "table/reference_catalog.h"

namespace saleslake::generator {

using Catalog = table::ReferenceCatalog;

// The built-in catalog: a few hundred products across ~25 brands and 8 categories of Indian
// electronics and appliance retail, and ~30 stores in Indian cities. Built once, shared, and the
// same in every build (the generator's determinism depends on it).
std::shared_ptr<const Catalog> BuiltinCatalog();

// Loads products.json + stores.json in the seed project's format.
Result<std::shared_ptr<const Catalog>> LoadCatalogFiles(const std::string& products_path,
                                                        const std::string& stores_path);

}  // namespace saleslake::generator

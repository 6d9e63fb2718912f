// The generator's default catalog is the seed's (table/seed_catalog.h): the same products and
// stores the seed's Lambda drew from, so that the pipeline's default reference agrees with it.
#include "generator/catalog.h"
#include "table/seed_catalog.h"

namespace saleslake::generator {

std::shared_ptr<const Catalog> BuiltinCatalog() { return table::SeedCatalog(); }

Result<std::shared_ptr<const Catalog>> LoadCatalogFiles(const std::string& products_path,
                                                        const std::string& stores_path) {
  SL_ASSIGN_OR_RETURN(Catalog catalog, table::LoadReferenceCatalog(products_path, stores_path));
  return std::make_shared<const Catalog>(std::move(catalog));
}

}  // namespace saleslake::generator

#include "pipeline/reference_flags.h"

#include "table/seed_catalog.h"

namespace saleslake::pipeline {

void ReferenceFlags::Add(CLI::App* app) {
  app->add_option("--reference-products", products_,
                  "products.json to check sales against (default: the built-in seed catalog; "
                  "none: no check)");
  app->add_option("--reference-stores", stores_,
                  "stores.json to check sales against (default: the built-in seed catalog; "
                  "none: no check)");
}

Status ReferenceFlags::Resolve(const table::ReferenceCatalog** reference, std::string* name) {
  if (products_.empty() && stores_.empty()) {
    *reference = table::SeedCatalog().get();
    *name = std::string(table::kSeedCatalogName);
    return Status::OK();
  }
  if (products_ == "none" || stores_ == "none") {
    if (products_ != stores_ && !(products_.empty() || stores_.empty())) {
      return Status::InvalidArgument(
          "--reference-products none and --reference-stores none go together: the check is "
          "either on or off");
    }
    *reference = nullptr;
    *name = "none";
    return Status::OK();
  }
  if (products_.empty() != stores_.empty()) {
    return Status::InvalidArgument(
        "--reference-products and --reference-stores go together: give both or neither");
  }
  SL_ASSIGN_OR_RETURN(loaded_, table::LoadReferenceCatalog(products_, stores_));
  *reference = &*loaded_;
  *name = products_ + " + " + stores_;
  return Status::OK();
}

}  // namespace saleslake::pipeline

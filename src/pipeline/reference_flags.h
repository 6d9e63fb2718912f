// --reference-products FILE / --reference-stores FILE, shared by transform, run and quarantine
// replay. Default (neither given): the built-in seed catalog. `none` for both turns the check
// off. Files: the seed's JSON format (table/reference_catalog.h).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "base/status.h"
#include "table/reference_catalog.h"

namespace saleslake::pipeline {

class ReferenceFlags {
 public:
  void Add(CLI::App* app);
  // Resolves the flags: *reference is the catalog to check against (null: no check), *name what
  // the lake records ("builtin:seed", "none", or "products.json + stores.json" as given).
  // The catalog stays owned by this object.
  Status Resolve(const table::ReferenceCatalog** reference, std::string* name);
  // The files as given ("" when not), for handing to worker processes.
  void Paths(std::string* products, std::string* stores) const {
    *products = products_;
    *stores = stores_;
  }

 private:
  std::string products_, stores_;
  std::optional<table::ReferenceCatalog> loaded_;
};

}  // namespace saleslake::pipeline

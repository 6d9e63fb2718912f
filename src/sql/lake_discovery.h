// Describing lake tables from their files, for when no catalog is at hand (tests, a lake that was
// never crawled): DescribeLakeTable reads the footers of given files; DiscoverLakeTables lists
// the folders under main/, raw/ and quarantine/. The catalog (`saleslake crawl`) is the normal
// source of table::LakeTable: it knows which files the ledger committed, while discovery takes
// every published *.parquet file it finds (skipping the '_'- and '.'-prefixed names that work in
// progress uses), as other engines reading the lake do.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "table/lake_table.h"

namespace saleslake::sql {

// A table named `name` at `location` made of `paths` (relative to the lake root, under
// `location`): columns from the first file's footer, partition keys and values from the
// key=value folders between `location` and each file, rows and bytes from each footer.
Result<table::LakeTable> DescribeLakeTable(io::FileSystem& fs, const std::string& name,
                                           const std::string& location,
                                           const std::vector<std::string>& paths);

// Every table of the lake: main/<t> as "<t>", raw/<t> as "raw_<t>", quarantine/<t> as
// "quarantine_<t>"; the seed's misspelt "higest_sold_product" is an alias of
// highest_sold_product. Folders without Parquet files are left out.
Result<std::vector<table::LakeTable>> DiscoverLakeTables(io::FileSystem& fs);

}  // namespace saleslake::sql

// How the catalog reads the lake's folders: which paths are data files of which table, the Hive
// partition in a path, and the catalog name of a table folder.
//
// A table is a folder under raw/, quarantine/ or main/ that holds Parquet files, directly or in
// Hive partition folders ("key=value"). Its location is the file's folder with the trailing
// key=value components removed: main/sales/year=2026/month=05/day=01/part-x.parquet belongs to
// main/sales, partition year=2026/month=05/day=01.
//
// Names (docs/catalog.md): main/<t> is `<t>`; raw/<t> is `raw_<t>`; quarantine/<t> is
// `quarantine_<t>`; deeper folders join their components with '_' (main/a/b is `a_b`). The seed's
// misspelling `higest_sold_product` is an alias of highest_sold_product.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "table/lake_table.h"

namespace saleslake::catalog {

inline constexpr std::string_view kDataLayers[] = {"raw", "quarantine", "main"};
// The Hive name of a null partition value.
inline constexpr std::string_view kHiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

struct DataPath {
  std::string layer;      // "main"
  std::string location;   // "main/sales"
  std::string partition;  // "year=2026/month=05/day=01", "" when unpartitioned
  std::vector<std::pair<std::string, std::string>> partition_values;  // as in the path
};

// The table and partition of a data file path, or nullopt when the path is not a published data
// file: outside the data layers, not ending in ".parquet", or with a component that starts with
// '_' or '.' (pending files and temporaries, which engines skip too). Hive partition components
// must come after every plain folder component; a path that mixes them is nullopt.
std::optional<DataPath> ParseDataPath(std::string_view path);

// "main/sales" -> "sales", "raw/sales" -> "raw_sales", "main/a/b" -> "a_b".
std::string TableNameFor(std::string_view location);
// Other names that resolve to the table ("higest_sold_product" for "highest_sold_product").
std::vector<std::string> AliasesFor(std::string_view table_name);

// The catalog's text for a column type: "BOOLEAN", "INT32", "INT64", "FLOAT", "DOUBLE",
// "DECIMAL(18,2)", "STRING", "BINARY", "DATE", "TIMESTAMP".
std::string LakeTypeName(const table::LakeColumn& column);
// The inverse of LakeTypeName (sets type, precision and scale).
bool ParseLakeTypeName(std::string_view text, table::LakeColumn* column);

// "year=2026/month=05" -> {{"year","2026"},{"month","05"}}.
std::vector<std::pair<std::string, std::string>> SplitPartition(std::string_view partition);

}  // namespace saleslake::catalog

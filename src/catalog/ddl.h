// DDL export: the catalog's tables as statements that Athena, Trino (Hive connector), Spark,
// Hive and DuckDB run to read the same lake in place.
//
//   athena  CREATE EXTERNAL TABLE ... STORED AS PARQUET with partition projection (no partition
//           registration ever: projection.<key>.type integer, range, digits 2 for the zero-padded
//           month and day, storage.location.template).
//   hive    CREATE EXTERNAL TABLE ... STORED AS PARQUET, then ALTER TABLE ADD PARTITION with each
//           partition's LOCATION (so month=05 is the INT partition 5 at the folder month=05).
//   spark   CREATE TABLE ... USING PARQUET PARTITIONED BY ... LOCATION, then MSCK REPAIR TABLE
//           (Spark casts the folder's "05" to the declared INT).
//   trino   CREATE TABLE ... WITH (external_location, format = 'PARQUET', partitioned_by), then
//           CALL system.sync_partition_metadata(...).
//   duckdb  CREATE OR REPLACE VIEW ... AS SELECT * FROM read_parquet(glob, hive_partitioning,
//           hive_types, union_by_name).
// Partition keys are declared INT when the catalog found only digits in them (year, month, day),
// so every engine reads month=05 as 5. DECIMAL(p,s) stays DECIMAL(p,s) (money is (18,2));
// timestamps are TIMESTAMP. Aliases (higest_sold_product) become views.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "table/lake_table.h"

namespace saleslake::catalog {

enum class DdlDialect { kAthena, kTrino, kSpark, kHive, kDuckDb };

Result<DdlDialect> ParseDdlDialect(std::string_view name);

struct DdlOptions {
  DdlDialect dialect = DdlDialect::kAthena;
  // The lake's root as the engine sees it: "s3://bucket/prefix", "file:///data/lake" or a path.
  // A trailing '/' is ignored. DuckDB takes file:// locations as plain paths.
  std::string location;
  // Qualifies table names ("lake.sales"); for trino it is also the schema given to
  // sync_partition_metadata ("default" when empty).
  std::string database;
};

// Statements separated by blank lines, each ending in ';', with a comment line per table.
Result<std::string> GenerateDdl(const std::vector<table::LakeTable>& tables,
                                const DdlOptions& options);

}  // namespace saleslake::catalog

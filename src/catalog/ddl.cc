#include "catalog/ddl.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "base/strings.h"

namespace saleslake::catalog {
namespace {

using table::LakeColumn;
using table::LakeTable;
using table::LakeType;

bool IsHiveFamily(DdlDialect d) {
  return d == DdlDialect::kAthena || d == DdlDialect::kHive || d == DdlDialect::kSpark;
}

std::string Quote(DdlDialect d, std::string_view name) {
  if (IsHiveFamily(d)) {
    std::string out = "`";
    for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
    return out + "`";
  }
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string StringLiteral(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string TypeName(DdlDialect d, const LakeColumn& c) {
  const bool trino = d == DdlDialect::kTrino;
  const bool duck = d == DdlDialect::kDuckDb;
  const bool upper = d == DdlDialect::kSpark || duck;
  std::string t;
  switch (c.type) {
    case LakeType::kBoolean:
      t = "boolean";
      break;
    case LakeType::kInt32:
      t = trino || duck ? "integer" : "int";
      break;
    case LakeType::kInt64:
      t = "bigint";
      break;
    case LakeType::kFloat:
      t = trino ? "real" : "float";
      break;
    case LakeType::kDouble:
      t = "double";
      break;
    case LakeType::kDecimal:
      t = fmt::format("decimal({},{})", c.precision, c.scale);
      break;
    case LakeType::kString:
      t = trino || duck ? "varchar" : "string";
      break;
    case LakeType::kBinary:
      t = trino ? "varbinary" : duck ? "blob" : "binary";
      break;
    case LakeType::kDate:
      t = "date";
      break;
    case LakeType::kTimestamp:
      t = "timestamp";
      break;
  }
  return upper ? Upper(t) : t;
}

// The lake root without a trailing '/'; DuckDB gets a plain path for file:// roots.
std::string Root(const DdlOptions& o) {
  std::string root = o.location;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  if (o.dialect == DdlDialect::kDuckDb && root.starts_with("file://")) root = root.substr(7);
  return root;
}

std::string TableLocation(const DdlOptions& o, const LakeTable& t) {
  return Root(o) + "/" + t.location + "/";
}

std::string QualifiedName(const DdlOptions& o, std::string_view name) {
  if (o.database.empty()) return Quote(o.dialect, name);
  return Quote(o.dialect, o.database) + "." + Quote(o.dialect, name);
}

// The distinct partitions of a table, in path order: (key=value path, values).
std::map<std::string, std::vector<std::pair<std::string, std::string>>> PartitionsOf(
    const LakeTable& t) {
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> out;
  for (const table::LakeFile& f : t.files) {
    std::string path;
    for (const auto& [k, v] : f.partition) path += (path.empty() ? "" : "/") + k + "=" + v;
    out.emplace(path, f.partition);
  }
  return out;
}

std::string ColumnLines(const DdlOptions& o, const std::vector<LakeColumn>& columns) {
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) {
    out += fmt::format("  {} {}{}\n", Quote(o.dialect, columns[i].name),
                       TypeName(o.dialect, columns[i]), i + 1 < columns.size() ? "," : "");
  }
  return out;
}

// 1 to 9 digits: an INT partition value the catalog vouches for.
bool IsDigits(std::string_view s) {
  return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string::npos;
}

// A partition value as a literal of the key's type: INT keys lose their zero padding.
std::string PartitionLiteral(const LakeColumn& key, const std::string& value) {
  if (key.type == LakeType::kInt32 && IsDigits(value)) {
    size_t first = value.find_first_not_of('0');
    return first == std::string::npos ? "0" : value.substr(first);
  }
  return StringLiteral(value);
}

// Athena partition projection for each key: integer keys by their range (month 1..12 and day
// 1..31 always, so later months need no new DDL), zero-padded keys with `digits`; year as a date
// projection from the first year seen to NOW, so that years to come need no new DDL either;
// string keys as an enum of the values seen.
std::string AthenaProjection(const DdlOptions& o, const LakeTable& t) {
  auto partitions = PartitionsOf(t);
  std::string props = "  'projection.enabled' = 'true'";
  std::string templ = TableLocation(o, t);
  for (size_t i = 0; i < t.partition_keys.size(); ++i) {
    const LakeColumn& key = t.partition_keys[i];
    const std::string p = "projection." + key.name;
    std::set<std::string> values;
    for (const auto& [path, kv] : partitions) {
      if (i < kv.size()) values.insert(kv[i].second);
    }
    templ += (i == 0 ? "" : "/") + key.name + "=${" + key.name + "}";
    if (key.type != LakeType::kInt32) {
      std::string list;
      for (const std::string& v : values) list += (list.empty() ? "" : ",") + v;
      props += fmt::format(",\n  '{}.type' = 'enum',\n  '{}.values' = '{}'", p, p, list);
      continue;
    }
    int64_t lo = std::numeric_limits<int64_t>::max(), hi = 0;
    size_t digits = 0;
    for (const std::string& v : values) {
      if (!IsDigits(v)) continue;  // __HIVE_DEFAULT_PARTITION__
      int64_t n = std::stoll(v);
      lo = std::min(lo, n);
      hi = std::max(hi, n);
      if (v.size() > 1 && v[0] == '0') digits = std::max(digits, v.size());
    }
    if (values.empty()) lo = hi = 0;
    if (key.name == "year") {
      props += fmt::format(
          ",\n  '{}.type' = 'date',\n  '{}.format' = 'yyyy',\n  '{}.range' = '{},NOW',"
          "\n  '{}.interval' = '1',\n  '{}.interval.unit' = 'YEARS'",
          p, p, p, values.empty() ? 1970 : lo, p, p);
      continue;
    }
    if (key.name == "month") lo = 1, hi = 12;
    if (key.name == "day") lo = 1, hi = 31;
    if ((key.name == "month" || key.name == "day") && digits == 0) digits = 2;
    props += fmt::format(",\n  '{}.type' = 'integer',\n  '{}.range' = '{},{}'", p, p, lo, hi);
    if (digits > 0) props += fmt::format(",\n  '{}.digits' = '{}'", p, digits);
  }
  props += fmt::format(",\n  'storage.location.template' = {}", StringLiteral(templ + "/"));
  return props;
}

std::string HiveFamilyTable(const DdlOptions& o, const LakeTable& t) {
  const DdlDialect d = o.dialect;
  std::string out;
  const std::string name = QualifiedName(o, t.name);
  if (d == DdlDialect::kSpark) {
    std::vector<LakeColumn> all = t.columns;
    all.insert(all.end(), t.partition_keys.begin(), t.partition_keys.end());
    out += fmt::format("CREATE TABLE IF NOT EXISTS {} (\n{})\nUSING PARQUET\n", name,
                       ColumnLines(o, all));
    if (!t.partition_keys.empty()) {
      std::string keys;
      for (const LakeColumn& k : t.partition_keys) {
        keys += (keys.empty() ? "" : ", ") + Quote(d, k.name);
      }
      out += "PARTITIONED BY (" + keys + ")\n";
    }
    out += "LOCATION " + StringLiteral(TableLocation(o, t)) + ";\n";
    if (!t.partition_keys.empty()) out += "\nMSCK REPAIR TABLE " + name + ";\n";
    return out;
  }
  out += fmt::format("CREATE EXTERNAL TABLE IF NOT EXISTS {} (\n{})\n", name,
                     ColumnLines(o, t.columns));
  if (!t.partition_keys.empty()) {
    out += "PARTITIONED BY (\n" + ColumnLines(o, t.partition_keys) + ")\n";
  }
  out += "STORED AS PARQUET\nLOCATION " + StringLiteral(TableLocation(o, t));
  if (d == DdlDialect::kAthena && !t.partition_keys.empty()) {
    out += "\nTBLPROPERTIES (\n" + AthenaProjection(o, t) + "\n)";
  }
  out += ";\n";
  if (d == DdlDialect::kHive && !t.partition_keys.empty()) {
    auto partitions = PartitionsOf(t);
    if (!partitions.empty()) {
      out += "\nALTER TABLE " + name + " ADD IF NOT EXISTS";
      for (const auto& [path, kv] : partitions) {
        std::string spec;
        for (size_t i = 0; i < kv.size() && i < t.partition_keys.size(); ++i) {
          spec += fmt::format("{}{}={}", spec.empty() ? "" : ", ", Quote(d, kv[i].first),
                              PartitionLiteral(t.partition_keys[i], kv[i].second));
        }
        out += fmt::format("\n  PARTITION ({}) LOCATION {}", spec,
                           StringLiteral(TableLocation(o, t) + path + "/"));
      }
      out += ";\n";
    }
  }
  return out;
}

std::string TrinoTable(const DdlOptions& o, const LakeTable& t) {
  std::vector<LakeColumn> all = t.columns;
  all.insert(all.end(), t.partition_keys.begin(), t.partition_keys.end());
  std::string out = fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (\n{})\nWITH (\n  format = 'PARQUET',\n  external_location = "
      "{}",
      QualifiedName(o, t.name), ColumnLines(o, all), StringLiteral(TableLocation(o, t)));
  if (!t.partition_keys.empty()) {
    std::string keys;
    for (const LakeColumn& k : t.partition_keys) {
      keys += (keys.empty() ? "" : ", ") + StringLiteral(k.name);
    }
    out += ",\n  partitioned_by = ARRAY[" + keys + "]";
  }
  out += "\n);\n";
  if (!t.partition_keys.empty()) {
    out += fmt::format("\nCALL system.sync_partition_metadata({}, {}, 'ADD');\n",
                       StringLiteral(o.database.empty() ? "default" : o.database),
                       StringLiteral(t.name));
  }
  return out;
}

std::string DuckDbTable(const DdlOptions& o, const LakeTable& t) {
  std::string glob = TableLocation(o, t);
  for (const LakeColumn& k : t.partition_keys) glob += k.name + "=*/";
  glob += "*.parquet";
  std::string args = StringLiteral(glob);
  if (t.partition_keys.empty()) {
    args += ", hive_partitioning = false";
  } else {
    std::string types;
    for (const LakeColumn& k : t.partition_keys) {
      types += fmt::format("{}{}: {}", types.empty() ? "" : ", ", StringLiteral(k.name),
                           k.type == LakeType::kInt32 ? "INTEGER" : "VARCHAR");
    }
    args += ", hive_partitioning = true, hive_types = {" + types + "}";
  }
  args += ", union_by_name = true";
  return fmt::format("CREATE OR REPLACE VIEW {} AS\nSELECT * FROM read_parquet({});\n",
                     QualifiedName(o, t.name), args);
}

std::string AliasView(const DdlOptions& o, const std::string& alias, const std::string& target) {
  // Views in Athena are Presto SQL: double quotes, not backticks.
  DdlOptions presto = o;
  if (o.dialect == DdlDialect::kAthena) presto.dialect = DdlDialect::kTrino;
  const char* create =
      o.dialect == DdlDialect::kHive ? "CREATE VIEW IF NOT EXISTS" : "CREATE OR REPLACE VIEW";
  return fmt::format("{} {} AS SELECT * FROM {};\n", create, QualifiedName(presto, alias),
                     QualifiedName(presto, target));
}

}  // namespace

Result<DdlDialect> ParseDdlDialect(std::string_view name) {
  if (name == "athena") return DdlDialect::kAthena;
  if (name == "trino") return DdlDialect::kTrino;
  if (name == "spark") return DdlDialect::kSpark;
  if (name == "hive") return DdlDialect::kHive;
  if (name == "duckdb") return DdlDialect::kDuckDb;
  return Status::InvalidArgument(
      fmt::format("unknown DDL dialect '{}': use athena, trino, spark, hive or duckdb", name));
}

Result<std::string> GenerateDdl(const std::vector<LakeTable>& tables, const DdlOptions& options) {
  if (options.location.empty()) {
    return Status::InvalidArgument(
        "the DDL needs the lake's location (--location s3://bucket/lake)");
  }
  std::string out;
  for (const LakeTable& t : tables) {
    int64_t rows = 0;
    for (const table::LakeFile& f : t.files) rows += f.rows;
    if (!out.empty()) out += "\n";
    out += fmt::format("-- {} ({}): {} file{}, {} rows, schema version {}\n", t.name, t.location,
                       t.files.size(), t.files.size() == 1 ? "" : "s", rows, t.schema_version);
    switch (options.dialect) {
      case DdlDialect::kAthena:
      case DdlDialect::kHive:
      case DdlDialect::kSpark:
        out += HiveFamilyTable(options, t);
        break;
      case DdlDialect::kTrino:
        out += TrinoTable(options, t);
        break;
      case DdlDialect::kDuckDb:
        out += DuckDbTable(options, t);
        break;
    }
    for (const std::string& alias : t.aliases) out += "\n" + AliasView(options, alias, t.name);
  }
  return out;
}

}  // namespace saleslake::catalog

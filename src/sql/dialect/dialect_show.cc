// SHOW and DESCRIBE in the Trino dialect, answered from the registered tables as a SELECT over
// VALUES (so every client of the engine gets them, with the column names Athena/Trino use).
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "sql/dialect/dialect_internal.h"

namespace saleslake::sql::dialect {
namespace {

std::string TrinoType(const table::LakeColumn& c) {
  switch (c.type) {
    case table::LakeType::kBoolean:
      return "boolean";
    case table::LakeType::kInt32:
      return "integer";
    case table::LakeType::kInt64:
      return "bigint";
    case table::LakeType::kFloat:
      return "real";
    case table::LakeType::kDouble:
      return "double";
    case table::LakeType::kDecimal:
      return fmt::format("decimal({},{})", c.precision, c.scale);
    case table::LakeType::kString:
      return "varchar";
    case table::LakeType::kBinary:
      return "varbinary";
    case table::LakeType::kDate:
      return "date";
    case table::LakeType::kTimestamp:
      return "timestamp";
  }
  return "varbinary";
}

// SELECT column1 AS "a", column2 AS "b" FROM (VALUES (…), (…)); rows of strings.
std::string ValuesQuery(const std::vector<std::string>& names,
                        const std::vector<std::vector<std::string>>& rows) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < names.size(); ++i) {
    sql += fmt::format("{}column{} AS \"{}\"", i ? ", " : "", i + 1, names[i]);
  }
  if (rows.empty()) {
    sql += " FROM (SELECT ";
    for (size_t i = 0; i < names.size(); ++i)
      sql += fmt::format("{}NULL AS column{}", i ? ", " : "", i + 1);
    return sql + " WHERE 0)";
  }
  sql += " FROM (VALUES ";
  for (size_t r = 0; r < rows.size(); ++r) {
    sql += r ? ", (" : "(";
    for (size_t i = 0; i < rows[r].size(); ++i) sql += (i ? ", " : "") + QuoteString(rows[r][i]);
    sql += ")";
  }
  return sql + ")";
}

std::string NameOf(const SqlNode& n) {
  if (n.kind == SqlNode::kQuoted) return n.text.substr(1, n.text.size() - 2);
  if (n.kind == SqlNode::kString) return StringValue(n);
  return n.text;
}

bool SameName(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

Result<const table::LakeTable*> FindTable(const std::vector<table::LakeTable>& tables,
                                          const SqlNodes& nodes, size_t at) {
  if (at >= nodes.size() || nodes[at].kind == SqlNode::kRaw) {
    return Status::InvalidArgument("a table name is missing: e.g. DESCRIBE sales");
  }
  // db.table: the database part is ignored (one database).
  size_t i = at;
  while (i + 2 < nodes.size() && nodes[i + 1].IsOp(".")) i += 2;
  const std::string name = NameOf(nodes[i]);
  for (const auto& t : tables) {
    if (SameName(t.name, name)) return &t;
    for (const auto& a : t.aliases) {
      if (SameName(a, name)) return &t;
    }
  }
  return Status::InvalidArgument(
      fmt::format("Table '{}' does not exist: SHOW TABLES lists the tables", name));
}

}  // namespace

Result<std::string> TranslateShow(const SqlNodes& nodes, size_t first,
                                  const std::vector<table::LakeTable>& tables) {
  auto word = [&](size_t k, const char* w) { return k < nodes.size() && nodes[k].IsWord(w); };
  size_t k = first + 1;
  if (word(first, "describe") || word(first, "desc") ||
      (word(k, "columns") && (word(k + 1, "from") || word(k + 1, "in")))) {
    const size_t at = word(first, "show") ? k + 2 : k;
    SL_ASSIGN_OR_RETURN(const table::LakeTable* t, FindTable(tables, nodes, at));
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : t->columns) rows.push_back({c.name, TrinoType(c), "", ""});
    for (const auto& c : t->partition_keys)
      rows.push_back({c.name, TrinoType(c), "partition key", ""});
    return ValuesQuery({"Column", "Type", "Extra", "Comment"}, rows);
  }
  if (word(k, "tables") || word(k, "views")) {
    std::set<std::string> names;
    if (word(k, "tables")) {
      for (const auto& t : tables) {
        names.insert(t.name);
        for (const auto& a : t.aliases) names.insert(a);
      }
    }
    std::string sql = ValuesQuery({"Table"}, [&] {
      std::vector<std::vector<std::string>> rows;
      for (const auto& n : names) rows.push_back({n});
      return rows;
    }());
    // SHOW TABLES [FROM db] [LIKE 'pattern']
    for (size_t i = k + 1; i < nodes.size(); ++i) {
      if (nodes[i].IsWord("like") && i + 1 < nodes.size() &&
          nodes[i + 1].kind == SqlNode::kString) {
        sql = fmt::format("SELECT * FROM ({}) WHERE \"Table\" LIKE {}", sql, nodes[i + 1].text);
      }
    }
    return sql + " ORDER BY 1";
  }
  if (word(k, "partitions")) {
    SL_ASSIGN_OR_RETURN(const table::LakeTable* t, FindTable(tables, nodes, k + 1));
    std::set<std::string> parts;
    for (const auto& f : t->files) {
      std::string p;
      for (const auto& [key, value] : f.partition) p += (p.empty() ? "" : "/") + key + "=" + value;
      if (!p.empty()) parts.insert(p);
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : parts) rows.push_back({p});
    return ValuesQuery({"partition"}, rows) + " ORDER BY 1";
  }
  if (word(k, "create") && (word(k + 1, "table") || word(k + 1, "view"))) {
    SL_ASSIGN_OR_RETURN(const table::LakeTable* t, FindTable(tables, nodes, k + 2));
    std::string ddl = fmt::format("CREATE EXTERNAL TABLE `{}`(\n", t->name);
    for (size_t i = 0; i < t->columns.size(); ++i) {
      ddl += fmt::format("  `{}` {}{}\n", t->columns[i].name, TrinoType(t->columns[i]),
                         i + 1 < t->columns.size() ? "," : "");
    }
    ddl += ")\n";
    if (!t->partition_keys.empty()) {
      ddl += "PARTITIONED BY (\n";
      for (size_t i = 0; i < t->partition_keys.size(); ++i) {
        ddl +=
            fmt::format("  `{}` {}{}\n", t->partition_keys[i].name, TrinoType(t->partition_keys[i]),
                        i + 1 < t->partition_keys.size() ? "," : "");
      }
      ddl += ")\n";
    }
    ddl += fmt::format("STORED AS PARQUET\nLOCATION '{}'", t->location);
    return ValuesQuery({"createtab_stmt"}, {{ddl}});
  }
  return Status::InvalidArgument(
      fmt::format("{} is not supported: the SHOW statements are SHOW TABLES, SHOW COLUMNS FROM t, "
                  "SHOW PARTITIONS t, SHOW CREATE TABLE t (and DESCRIBE t)",
                  PrintNodes(nodes, first, std::min(nodes.size(), first + 3))));
}

}  // namespace saleslake::sql::dialect

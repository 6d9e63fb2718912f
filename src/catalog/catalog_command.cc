#include "catalog/catalog_command.h"

#include <fmt/format.h>

#include <iostream>

#include "base/cli.h"
#include "base/clock.h"
#include "base/json_writer.h"
#include "base/strings.h"
#include "catalog/catalog_store.h"
#include "catalog/crawler.h"
#include "catalog/ddl.h"
#include "catalog/lake_tables.h"
#include "io/uri.h"
#include "lake/lake_root.h"

namespace saleslake::catalog {
namespace {

// Left-aligned columns, numbers right-aligned; a header line and a rule.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string Render() const {
    std::vector<size_t> width(rows_[0].size(), 0);
    for (const auto& r : rows_) {
      for (size_t i = 0; i < r.size() && i < width.size(); ++i)
        width[i] = std::max(width[i], r[i].size());
    }
    std::string out;
    for (size_t n = 0; n < rows_.size(); ++n) {
      std::string line;
      for (size_t i = 0; i < rows_[n].size() && i < width.size(); ++i) {
        if (i > 0) line += "  ";
        line += fmt::format("{:<{}}", rows_[n][i], i + 1 < width.size() ? width[i] : 0);
      }
      out += line + "\n";
      if (n == 0) {
        size_t total = 0;
        for (size_t w : width) total += w + 2;
        out += std::string(total > 2 ? total - 2 : 0, '-') + "\n";
      }
    }
    return out;
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

std::string Optional(const std::optional<std::string>& s) { return s.value_or(""); }
std::string Optional(const std::optional<int64_t>& n) {
  return n.has_value() ? std::to_string(*n) : "";
}

void OptionalField(JsonWriter& w, std::string_view key, const std::optional<std::string>& v) {
  w.Key(key);
  if (v) {
    w.String(*v);
  } else {
    w.Null();
  }
}
void OptionalField(JsonWriter& w, std::string_view key, const std::optional<int64_t>& v) {
  w.Key(key);
  if (v) {
    w.Int(*v);
  } else {
    w.Null();
  }
}

void WriteColumns(JsonWriter& w, const std::vector<ColumnSummary>& columns) {
  w.Key("columns");
  w.BeginArray();
  for (const ColumnSummary& c : columns) {
    w.BeginObject();
    w.Field("name", c.name);
    w.Field("type", c.type);
    w.Field("nullable", c.nullable);
    w.Field("partition_key", c.is_partition_key);
    OptionalField(w, "null_count", c.null_count);
    OptionalField(w, "min", c.min);
    OptionalField(w, "max", c.max);
    w.EndObject();
  }
  w.EndArray();
}

void WriteTableFields(JsonWriter& w, const TableSummary& t) {
  w.Field("name", t.name);
  w.Field("layer", t.layer);
  w.Field("location", t.location);
  w.Key("aliases");
  w.BeginArray();
  for (const std::string& a : t.aliases) w.String(a);
  w.EndArray();
  w.Key("partition_keys");
  w.BeginArray();
  for (const std::string& k : t.partition_keys) w.String(k);
  w.EndArray();
  w.Field("schema_version", t.schema_version);
  w.Field("files", t.files);
  w.Field("rows", t.rows);
  w.Field("bytes", t.bytes);
  w.Field("partitions", t.partitions);
  w.Field("problem_files", t.problem_files);
  w.Field("updated_at", FormatIso8601Micros(t.updated_at));
}

Result<std::string> CatalogPathFor(const lake::Lake& lake, const std::string& catalog,
                                   bool create_dirs) {
  if (!catalog.empty()) return catalog;
  return DefaultCatalogPath(lake, create_dirs);
}

Result<std::string> RenderTables(CatalogStore& store, bool json) {
  SL_ASSIGN_OR_RETURN(auto tables, store.Tables());
  std::string out;
  if (json) {
    JsonWriter w(&out);
    w.BeginArray();
    for (const TableSummary& t : tables) {
      w.BeginObject();
      WriteTableFields(w, t);
      w.EndObject();
    }
    w.EndArray();
    return out + "\n";
  }
  TextTable text({"table", "location", "partitioned by", "version", "files", "rows", "bytes",
                  "partitions", "problems"});
  for (const TableSummary& t : tables) {
    text.Add({t.name + (t.aliases.empty() ? "" : " (" + Join(t.aliases, ", ") + ")"), t.location,
              Join(t.partition_keys, ","), std::to_string(t.schema_version),
              std::to_string(t.files), std::to_string(t.rows), std::to_string(t.bytes),
              std::to_string(t.partitions), std::to_string(t.problem_files)});
  }
  return text.Render();
}

Result<std::string> RenderDescribe(CatalogStore& store, const std::string& name, bool json) {
  SL_ASSIGN_OR_RETURN(TableDescription d, store.Describe(name));
  std::string out;
  if (json) {
    JsonWriter w(&out);
    w.BeginObject();
    WriteTableFields(w, d.table);
    WriteColumns(w, d.columns);
    w.EndObject();
    return out + "\n";
  }
  out = fmt::format("{} ({}): schema version {}, {} files, {} rows, {} bytes, {} partitions\n\n",
                    d.table.name, d.table.location, d.table.schema_version, d.table.files,
                    d.table.rows, d.table.bytes, d.table.partitions);
  TextTable text({"column", "type", "nullable", "nulls", "min", "max"});
  for (const ColumnSummary& c : d.columns) {
    text.Add({c.name + (c.is_partition_key ? " (partition)" : ""), c.type,
              c.nullable ? "yes" : "no", Optional(c.null_count), Optional(c.min), Optional(c.max)});
  }
  return out + text.Render();
}

Result<std::string> RenderPartitions(CatalogStore& store, const std::string& name, bool json) {
  SL_ASSIGN_OR_RETURN(auto partitions, store.Partitions(name));
  std::string out;
  if (json) {
    JsonWriter w(&out);
    w.BeginArray();
    for (const PartitionSummary& p : partitions) {
      w.BeginObject();
      w.Field("partition", p.partition);
      w.Field("files", p.files);
      w.Field("rows", p.rows);
      w.Field("bytes", p.bytes);
      w.Key("columns");
      w.BeginArray();
      for (const PartitionColumnStats& c : p.columns) {
        w.BeginObject();
        w.Field("name", c.column);
        OptionalField(w, "null_count", c.null_count);
        OptionalField(w, "min", c.min);
        OptionalField(w, "max", c.max);
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    return out + "\n";
  }
  TextTable text({"partition", "files", "rows", "bytes"});
  for (const PartitionSummary& p : partitions) {
    text.Add({p.partition.empty() ? "(unpartitioned)" : p.partition, std::to_string(p.files),
              std::to_string(p.rows), std::to_string(p.bytes)});
  }
  return text.Render();
}

Result<std::string> RenderHistory(CatalogStore& store, const std::string& name, bool json) {
  SL_ASSIGN_OR_RETURN(auto versions, store.History(name));
  std::string out;
  if (json) {
    JsonWriter w(&out);
    w.BeginArray();
    for (const SchemaVersionSummary& v : versions) {
      w.BeginObject();
      w.Field("version", v.version);
      w.Field("created_at", FormatIso8601Micros(v.created_at));
      w.Field("run_id", v.run_id);
      w.Field("change", v.change);
      w.Field("first_file", v.first_file);
      w.Field("files", v.files);
      WriteColumns(w, v.columns);
      w.EndObject();
    }
    w.EndArray();
    return out + "\n";
  }
  TextTable text({"version", "created", "files", "change"});
  for (const SchemaVersionSummary& v : versions) {
    text.Add({std::to_string(v.version), FormatIso8601Micros(v.created_at), std::to_string(v.files),
              v.change});
  }
  return text.Render();
}

Result<std::string> RenderProblems(CatalogStore& store, bool json) {
  SL_ASSIGN_OR_RETURN(auto problems, store.Problems());
  std::string out;
  if (json) {
    JsonWriter w(&out);
    WriteProblemsJson(w, problems);
    return out + "\n";
  }
  TextTable text({"kind", "table", "path", "detail"});
  for (const ProblemSummary& p : problems) text.Add({p.kind, p.table, p.path, p.detail});
  return text.Render();
}

}  // namespace

int CrawlCommand(int argc, char** argv) {
  CLI::App app{
      "Discover the lake's tables (raw/, quarantine/, main/) into the catalog: columns, schema "
      "versions, partitions with rows, bytes and min/max, files. Reads only Parquet footers, "
      "only of new or changed files; only committed files count; orphans and bad files are "
      "reported."};
  std::string lake, catalog, format = "text", now;
  AddLakeFlag(&app, &lake);
  AddCatalogFlag(&app, &catalog);
  AddFormatFlag(&app, &format);
  app.add_option("--now", now, "record this ISO 8601 instant as the crawl's time (tests)");
  return RunCommand(app, "crawl", "saleslake crawl --lake ./lake", argc, argv, [&]() -> Status {
    SL_ASSIGN_OR_RETURN(std::shared_ptr<saleslake::lake::Lake> opened,
                        saleslake::lake::Lake::Open(lake));
    SL_RETURN_IF_ERROR(saleslake::lake::CheckLakeExists(*opened->fs(), lake));
    CrawlOptions options;
    if (!now.empty()) {
      SL_ASSIGN_OR_RETURN(options.now_micros, ParseIso8601Micros(now));
    }
    SL_ASSIGN_OR_RETURN(CrawlResult result, CrawlLake(*opened, catalog, options));
    std::cout << (format == "json" ? result.ToJson() + "\n" : result.ToText());
    return Status::OK();
  });
}

int CatalogCommand(int argc, char** argv) {
  CLI::App app{"Look at the lake's catalog (written by 'saleslake crawl'), and export it as DDL."};
  app.require_subcommand(1);
  app.fallthrough();  // --lake, --catalog and the log flags may follow the subcommand
  std::string lake, catalog, format = "text", table, dialect, location, database;
  AddLakeFlag(&app, &lake);
  AddCatalogFlag(&app, &catalog);
  auto add_format = [&](CLI::App* sub) { AddFormatFlag(sub, &format); };
  CLI::App* tables =
      app.add_subcommand("tables", "every table: location, partitioning, files, rows");
  add_format(tables);
  CLI::App* describe =
      app.add_subcommand("describe", "a table's columns with types, nulls, min/max");
  describe->add_option("table", table, "table name (or alias)")->required();
  add_format(describe);
  CLI::App* partitions =
      app.add_subcommand("partitions", "a table's partitions: files, rows, bytes, min/max");
  partitions->add_option("table", table, "table name (or alias)")->required();
  add_format(partitions);
  CLI::App* history = app.add_subcommand("history", "a table's schema versions");
  history->add_option("table", table, "table name (or alias)")->required();
  add_format(history);
  CLI::App* problems = app.add_subcommand(
      "problems", "what the last crawl flagged: corrupt and incompatible files, orphans");
  add_format(problems);
  CLI::App* ddl =
      app.add_subcommand("ddl", "CREATE statements for athena, trino, spark, hive or duckdb");
  ddl->add_option("--dialect", dialect, "athena, trino, spark, hive or duckdb")
      ->required()
      ->check(CLI::IsMember({"athena", "trino", "spark", "hive", "duckdb"}));
  ddl->add_option("--location", location,
                  "the lake's root as the engine sees it, e.g. s3://bucket/lake (default: the "
                  "lake's URI)");
  ddl->add_option("--database", database, "qualify table names with this database/schema");
  ddl->add_option("--table", table, "only this table");
  return RunCommand(app, "catalog",
                    "saleslake catalog tables --lake ./lake\n"
                    "  saleslake catalog describe sales --format json\n"
                    "  saleslake catalog ddl --dialect athena --location s3://my-bucket/lake",
                    argc, argv, [&]() -> Status {
                      SL_ASSIGN_OR_RETURN(std::shared_ptr<saleslake::lake::Lake> opened,
                                          saleslake::lake::Lake::Open(lake));
                      SL_RETURN_IF_ERROR(saleslake::lake::CheckLakeExists(*opened->fs(), lake));
                      SL_ASSIGN_OR_RETURN(std::string path,
                                          CatalogPathFor(*opened, catalog, false));
                      SL_ASSIGN_OR_RETURN(auto store, CatalogStore::Open(path, /*create=*/false));
                      const bool json = format == "json";
                      std::string out;
                      if (tables->parsed()) {
                        SL_ASSIGN_OR_RETURN(out, RenderTables(*store, json));
                      } else if (describe->parsed()) {
                        SL_ASSIGN_OR_RETURN(out, RenderDescribe(*store, table, json));
                      } else if (partitions->parsed()) {
                        SL_ASSIGN_OR_RETURN(out, RenderPartitions(*store, table, json));
                      } else if (history->parsed()) {
                        SL_ASSIGN_OR_RETURN(out, RenderHistory(*store, table, json));
                      } else if (problems->parsed()) {
                        SL_ASSIGN_OR_RETURN(out, RenderProblems(*store, json));
                      } else {
                        DdlOptions options;
                        SL_ASSIGN_OR_RETURN(options.dialect, ParseDdlDialect(dialect));
                        options.database = database;
                        options.location = location;
                        if (options.location.empty()) options.location = opened->fs()->root_uri();
                        SL_ASSIGN_OR_RETURN(auto all, store->LakeTables());
                        std::vector<table::LakeTable> chosen;
                        if (!table.empty()) {
                          SL_ASSIGN_OR_RETURN(std::string name, store->ResolveName(table));
                          for (auto& t : all) {
                            if (t.name == name) chosen.push_back(std::move(t));
                          }
                        } else {
                          chosen = std::move(all);
                        }
                        SL_ASSIGN_OR_RETURN(out, GenerateDdl(chosen, options));
                      }
                      std::cout << out;
                      return Status::OK();
                    });
}

}  // namespace saleslake::catalog

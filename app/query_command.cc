// `saleslake query`: SQL over the lake's tables. It lives in app/ because it joins two layers
// that sit side by side: the table list comes from the catalog (src/catalog) when the lake has
// been crawled, and the engine is src/sql; neither layer depends on the other.
#include "query_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "base/cli.h"
#include "catalog/lake_tables.h"
#include "io/file_system.h"
#include "lake/lake.h"
#include "sql/lake_discovery.h"
#include "sql/query_engine.h"
#include "sql/query_format.h"

namespace saleslake {
namespace {

struct Flags {
  std::string lake;
  std::string catalog;
  bool discover = false;
  bool row_engine = false;
  std::string dialect = "athena";
  std::string sql;
  std::string format = "table";
  int64_t max_rows = 10000;
  double timeout = 60;
  int threads = 1;
};

// "  WHERE nope = 1\n        ^" under an error that knows its line and column.
std::string Caret(const std::string& sql, const sql::QueryError& where) {
  if (where.line <= 0) return "";
  size_t start = 0;
  for (int l = 1; l < where.line; ++l) {
    start = sql.find('\n', start);
    if (start == std::string::npos) return "";
    ++start;
  }
  const size_t end = sql.find('\n', start);
  const std::string line = sql.substr(start, end == std::string::npos ? end : end - start);
  return "  " + line + "\n  " + std::string(static_cast<size_t>(where.column - 1), ' ') + "^\n";
}

Status RunOne(sql::QueryEngine& engine, const std::string& text, const Flags& flags,
              sql::ResultFormat format) {
  sql::QueryOptions options;
  options.max_rows = flags.max_rows;
  options.timeout_seconds = flags.timeout;
  options.columnar_aggregates = !flags.row_engine;
  options.threads = flags.threads;
  SL_ASSIGN_OR_RETURN(options.dialect, sql::ParseDialect(flags.dialect));
  sql::QueryError where;
  Result<sql::QueryResult> result = engine.Execute(text, options, &where);
  if (!result.ok()) {
    std::fputs(Caret(text, where).c_str(), stderr);
    return result.status();
  }
  const std::string out = sql::FormatResult(*result, format);
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (result->truncated && format != sql::ResultFormat::kTable) {
    std::fprintf(stderr, "saleslake query: truncated at %lld rows (raise --max-rows)\n",
                 static_cast<long long>(flags.max_rows));
  }
  return Status::OK();
}

// A lake has at least one of its layers; a mistyped --lake would otherwise get an empty catalog.
Status CheckLakeExists(io::FileSystem& fs, const std::string& uri) {
  io::ListOptions top;
  top.recursive = false;
  top.include_directories = true;
  for (const char* layer : {"_ledger", "main", "raw", "quarantine"}) {
    SL_ASSIGN_OR_RETURN(std::vector<io::FileInfo> entries, fs.List(layer, top));
    if (!entries.empty()) return Status::OK();
  }
  return Status::NotFound(fmt::format(
      "no lake at {}: no _ledger/, main/, raw/ or quarantine/ there (give --lake URI, or create "
      "one with 'saleslake run' or 'saleslake up')",
      uri));
}

bool EndsStatement(const std::string& buffer) {
  size_t i = buffer.find_last_not_of(" \t\r\n");
  return i != std::string::npos && buffer[i] == ';';
}

// Reads statements ending in ';' from stdin and runs each; errors are printed, not fatal.
Status Interactive(sql::QueryEngine& engine, const Flags& flags, sql::ResultFormat format) {
  const bool tty = isatty(STDIN_FILENO) != 0;
  if (tty) {
    std::printf(
        "saleslake SQL (%s dialect, read-only). End statements with ';'. "
        ".tables lists the tables, .quit leaves.\n",
        flags.dialect == "sqlite"     ? "SQLite"
        : flags.dialect == "postgres" ? "PostgreSQL/Trino"
                                      : "Athena/Trino");
  }
  std::string buffer, line;
  int failures = 0;
  while (true) {
    if (tty) {
      std::fputs(buffer.empty() ? "saleslake> " : "      ...> ", stdout);
      std::fflush(stdout);
    }
    if (!std::getline(std::cin, line)) break;
    // A line starting with '.' between statements is a dot-command, whole: it never becomes the
    // start of the statement on the lines after it.
    const size_t first = line.find_first_not_of(" \t\r");
    if (buffer.empty() && first != std::string::npos && line[first] == '.') {
      std::string command = line.substr(first);
      command.erase(command.find_last_not_of(" \t\r;") + 1);
      if (command == ".quit" || command == ".exit") break;
      if (command == ".tables") {
        for (const auto& t : engine.tables()) {
          std::string aliases;
          for (const auto& a : t.aliases) aliases += " (alias " + a + ")";
          std::printf("%s%s: %zu files\n", t.name.c_str(), aliases.c_str(), t.files.size());
        }
      } else {
        ++failures;
        PrintCommandError(
            "query", Status::InvalidArgument("unknown command " + command + " (.tables, .quit)"));
      }
      continue;
    }
    buffer += line;
    buffer += '\n';
    if (!EndsStatement(buffer)) continue;
    Status s = RunOne(engine, buffer, flags, format);
    if (!s.ok()) {
      ++failures;
      PrintCommandError("query", s);
    }
    buffer.clear();
  }
  if (buffer.find_first_not_of(" \t\r\n") != std::string::npos) {
    Status s = RunOne(engine, buffer, flags, format);
    if (!s.ok()) {
      ++failures;
      PrintCommandError("query", s);
    }
  }
  if (tty) std::printf("\n");
  if (failures > 0 && !tty) {
    return Status::InvalidArgument(fmt::format("{} statement(s) failed", failures));
  }
  return Status::OK();
}

}  // namespace

int QueryCommand(int argc, char** argv) {
  CLI::App app(
      "Run read-only SQL (Athena/Trino's dialect by default, see --dialect) over the lake's "
      "tables: main tables by name (sales, "
      "daily_sales, brand_sales, ...), raw_sales and quarantine_sales. With no SQL argument, "
      "reads statements ending in ';' from stdin (an interactive prompt on a terminal).");
  Flags flags;
  AddLakeFlag(&app, &flags.lake);
  AddCatalogFlag(&app, &flags.catalog, "brought up to date by an incremental crawl first");
  app.add_flag("--discover", flags.discover,
               "take the tables from the lake's folders instead of the catalog (every published "
               "*.parquet file, as other engines see them; no catalog is written)");
  app.add_flag("--row-engine", flags.row_engine,
               "run every statement through SQLite's virtual tables, also the aggregates the "
               "columnar path would answer (to compare the two)");
  app.add_option("--dialect", flags.dialect,
                 "athena (Athena/Trino SQL, SQLite syntax passing through), postgres (athena plus "
                 "x::type casts and BEGIN/SET as no-ops: what serve --pg-listen speaks) or sqlite "
                 "(as written; docs/sql.md)")
      ->check(CLI::IsMember({"athena", "trino", "postgres", "sqlite"}))
      ->default_val("athena");
  app.add_option("sql", flags.sql, "the SQL statement (omit for the prompt)");
  AddFormatFlag(&app, &flags.format, {"table", "csv", "json", "ndjson"});
  AddThreadsFlag(&app, &flags.threads);
  app.add_option("--max-rows", flags.max_rows, "rows to print at most (0: no cap)")
      ->default_val(10000)
      ->check(CLI::NonNegativeNumber);
  app.add_option("--timeout", flags.timeout, "seconds a statement may run (0: no limit)")
      ->default_val(60)
      ->check(CLI::NonNegativeNumber);
  return RunCommand(
      app, "query",
      "saleslake query --lake ./lake \"SELECT brand, SUM(total) FROM sales GROUP BY brand "
      "ORDER BY 2 DESC\"",
      argc, argv, [&]() -> Status {
        SL_ASSIGN_OR_RETURN(sql::ResultFormat format, sql::ParseResultFormat(flags.format));
        // The lake is opened once; the catalog's crawl and the engine read through this handle.
        SL_ASSIGN_OR_RETURN(std::shared_ptr<lake::Lake> opened, lake::Lake::Open(flags.lake));
        const std::shared_ptr<io::FileSystem>& fs = opened->fs();
        SL_RETURN_IF_ERROR(CheckLakeExists(*fs, flags.lake));
        std::vector<table::LakeTable> tables;
        if (flags.discover) {
          SL_ASSIGN_OR_RETURN(tables, sql::DiscoverLakeTables(*fs));
        } else {
          SL_ASSIGN_OR_RETURN(tables, catalog::LoadLakeTables(*opened, flags.catalog));
        }
        SL_ASSIGN_OR_RETURN(std::unique_ptr<sql::QueryEngine> engine,
                            sql::QueryEngine::Open(fs, std::move(tables)));
        if (flags.sql.empty()) return Interactive(*engine, flags, format);
        return RunOne(*engine, flags.sql, flags, format);
      });
}

}  // namespace saleslake

#include "table/parquet_command.h"

#include <cstdio>
#include <cstring>
#include <string_view>

#include "base/cli.h"
#include "parquet/tools/parquet_tools.h"
#include "table/parquet_convert.h"

namespace saleslake {
namespace {

struct Subcommand {
  const char* name;
  const char* summary;
  int (*main)(int argc, char** argv);  // argv[0] is the subcommand's name
};

// The `parquet` subcommands. Add a row here for a new one.
constexpr Subcommand kSubcommands[] = {
    {"convert", "NDJSON sale records to a typed Parquet file (DECIMAL money, UTC timestamps)",
     table::ParquetConvertCommand},
    {"inspect", "a file's metadata as JSON: schema, row groups, encodings, statistics",
     parquet::ParquetInspectCommand},
    {"cat", "a file's rows as NDJSON or CSV", parquet::ParquetCatCommand},
};

void PrintHelp(std::FILE* out) {
  std::fprintf(out,
               "Usage: saleslake parquet <subcommand> [flags]     saleslake parquet <subcommand> "
               "--help\n\nSubcommands:\n");
  for (const Subcommand& s : kSubcommands) std::fprintf(out, "  %-9s %s\n", s.name, s.summary);
  std::fprintf(out,
               "\nExample:\n  saleslake parquet convert sales.ndjson sales.parquet\n"
               "  saleslake parquet inspect sales.parquet\n");
}

}  // namespace

int ParquetCommand(int argc, char** argv) {
  if (argc < 2) {
    PrintHelp(stderr);
    return kExitUsage;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintHelp(stdout);
    return kExitOk;
  }
  for (const Subcommand& s : kSubcommands) {
    if (name == s.name) return s.main(argc - 1, argv + 1);
  }
  std::fprintf(
      stderr, "saleslake parquet: error: unknown subcommand '%s'\nsee 'saleslake parquet --help'\n",
      argv[1]);
  return kExitUsage;
}

}  // namespace saleslake

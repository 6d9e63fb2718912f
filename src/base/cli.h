// Command-line plumbing shared by every subcommand (ClickHouse-style: each tool parses its own
// flags with CLI11, and main only dispatches).
//
// RunCommand gives every command the same behaviour:
//   - every long option --foo-bar also reads SALESLAKE_FOO_BAR from the environment;
//   - --log-format text|json and --log-level configure logging;
//   - a usage mistake prints one line plus "see 'saleslake CMD --help'" and exits 2;
//   - a failed Status prints one line "saleslake CMD: error: ..." and exits 1;
//   - exceptions never escape: they become an Internal error line.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"

namespace saleslake {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// The lake URI flag, defaulting to ./lake (SALESLAKE_LAKE overrides, as for every flag), and
// with it the S3 flags (AddS3Flags) and --commit-log (AddCommitLogFlag): every command that
// takes a lake can reach one on S3 whose commit log is in PostgreSQL.
void AddLakeFlag(CLI::App* app, std::string* lake);

// --commit-log URI: where the lake's commit log is: "embedded" (the default, `_ledger/` in the
// lake) or postgresql://user@host:port/db. Recorded as a setting (base/storage_flags.h) that the
// lake layer reads when it opens the log; `value`, when given, receives it too.
void AddCommitLogFlag(CLI::App* app, std::string* value = nullptr);

// --s3-endpoint URL, --s3-region NAME and --s3-no-verify-tls. The values are handed to the S3
// layer as settings (base/storage_flags.h), which it reads before SALESLAKE_S3_ENDPOINT /
// SALESLAKE_S3_REGION / SALESLAKE_S3_NO_VERIFY_TLS; the environment is never changed
// (docs/s3.md has the full configuration).
void AddS3Flags(CLI::App* app);

// --format: how a command prints its result. `choices` are the accepted values, the first one the
// default; `what` says what one value prints (the help text lists the choices before it).
CLI::Option* AddFormatFlag(CLI::App* app, std::string* format,
                           const std::vector<std::string>& choices = {"text", "json"},
                           const std::string& what = "");

// --catalog FILE: the SQLite catalog of the lake; "" means the default place for the lake
// (DefaultCatalogPath in catalog/lake_tables.h).
CLI::Option* AddCatalogFlag(CLI::App* app, std::string* catalog, const std::string& what = "");

// --threads N: the cores a command uses (default: all of this machine's; SALESLAKE_THREADS
// overrides, as for every flag). The one definition for extract, transform, run, compact and
// query; outputs never depend on it.
void AddThreadsFlag(CLI::App* app, int* threads);

// Parses argv (argv[0] is ignored), then runs `body`. `name` is the subcommand ("generate").
// `example` is appended to --help.
int RunCommand(CLI::App& app, const std::string& name, const std::string& example, int argc,
               char** argv, const std::function<Status()>& body);

// Prints "saleslake <name>: error: <message>" on stderr (the one error line format).
void PrintCommandError(const std::string& name, const Status& status);

}  // namespace saleslake

#include "base/cli.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string_view>
#include <vector>

#include "base/logging.h"
#include "base/ordered_pipeline.h"
#include "base/storage_flags.h"
#include "base/suggest.h"

namespace saleslake {
namespace {

std::string EnvNameFor(const std::string& long_name) {
  std::string env = "SALESLAKE_";
  for (char c : long_name) {
    env.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return env;
}

// Gives every long option of `app` an environment variable, unless it already has one.
void BindEnvironment(CLI::App* app) {
  for (CLI::Option* opt : app->get_options()) {
    if (!opt->get_envname().empty() || opt->get_lnames().empty()) continue;
    const std::string& lname = opt->get_lnames().front();
    if (lname == "help" || lname == "version") continue;
    opt->envname(EnvNameFor(lname));
  }
}

void CollectNames(const CLI::App* app, std::vector<std::string>* flags,
                  std::vector<std::string>* subcommands) {
  for (const CLI::Option* opt : app->get_options()) {
    for (const std::string& l : opt->get_lnames()) flags->push_back(l);
  }
  for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
    subcommands->push_back(sub->get_name());
    CollectNames(sub, flags, subcommands);
  }
}

// " (did you mean --lake?)" for the first unknown flag or subcommand in argv, or "".
std::string DidYouMean(const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> flags, subcommands;
  CollectNames(&app, &flags, &subcommands);
  bool first_positional = true;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg.size() > 2 && arg.substr(0, 2) == "--") {
      std::string_view name = arg.substr(
          2, arg.find('=') == std::string_view::npos ? std::string_view::npos : arg.find('=') - 2);
      if (std::find(flags.begin(), flags.end(), name) != flags.end()) continue;
      std::string near = NearestWord(name, flags);
      if (!near.empty()) return "did you mean --" + near + "?";
      return "";
    }
    if (!arg.empty() && arg[0] != '-' && first_positional && !subcommands.empty()) {
      first_positional = false;
      if (std::find(subcommands.begin(), subcommands.end(), arg) != subcommands.end()) continue;
      std::string near = NearestWord(arg, subcommands);
      if (!near.empty()) return "did you mean '" + near + "'?";
    }
  }
  return "";
}

}  // namespace

void AddLakeFlag(CLI::App* app, std::string* lake) {
  app->add_option("--lake", *lake, "lake root URI: a path, file://, s3://bucket/prefix or mem://")
      ->default_val("./lake");
  AddS3Flags(app);
  AddCommitLogFlag(app);
}

void AddCommitLogFlag(CLI::App* app, std::string* value) {
  app->add_option_function<std::string>(
      "--commit-log",
      [value](const std::string& v) {
        SetCommitLogFlag(v == "embedded" ? std::string() : v);
        if (value != nullptr) *value = v;
      },
      "where the lake's commit log is: embedded (default: _ledger/ in the lake) or "
      "postgresql://user@host:port/db[?schema=NAME] for many writers (password: ~/.pgpass or "
      "PGPASSWORD)");
}

void AddThreadsFlag(CLI::App* app, int* threads) {
  app->add_option("--threads", *threads,
                  "cores to use (default: all of this machine's); the output is the same for any "
                  "number")
      ->default_val(HardwareThreads())
      ->check(CLI::Range(1, 1024));
}

void AddS3Flags(CLI::App* app) {
  app->add_option_function<std::string>(
      "--s3-endpoint",
      [](const std::string& v) {
        SetStorageFlags({v, "", false});
      },
      "S3 endpoint URL for s3:// lakes, e.g. http://127.0.0.1:9000 (default: AWS)");
  app->add_option_function<std::string>(
      "--s3-region",
      [](const std::string& v) {
        SetStorageFlags({"", v, false});
      },
      "S3 region (default: AWS_REGION, the profile's region, else us-east-1)");
  app->add_flag_function(
      "--s3-no-verify-tls",
      [](int64_t count) {
        if (count > 0) SetStorageFlags({"", "", true});
      },
      "do not verify the S3 endpoint's TLS certificate (test servers only)");
}

CLI::Option* AddFormatFlag(CLI::App* app, std::string* format,
                           const std::vector<std::string>& choices, const std::string& what) {
  std::string help = "output: ";
  for (size_t i = 0; i < choices.size(); ++i) {
    help += i == 0 ? "" : (i + 1 == choices.size() ? " or " : ", ");
    help += choices[i];
  }
  if (!what.empty()) help += " (" + what + ")";
  return app->add_option("--format", *format, help)
      ->check(CLI::IsMember(choices))
      ->default_val(choices.empty() ? std::string() : choices.front());
}

CLI::Option* AddCatalogFlag(CLI::App* app, std::string* catalog, const std::string& what) {
  std::string help =
      "the catalog file (default: <lake>/_catalog/catalog.db for a local lake, "
      "~/.cache/saleslake/catalogs/<bucket>/<prefix>/catalog.db for S3)";
  if (!what.empty()) help += "; " + what;
  return app->add_option("--catalog", *catalog, help);
}

void PrintCommandError(const std::string& name, const Status& status) {
  std::string msg = status.message().empty() ? status.ToString() : status.message();
  std::fprintf(stderr, "saleslake %s: error: %s\n", name.c_str(), msg.c_str());
}

int RunCommand(CLI::App& app, const std::string& name, const std::string& example, int argc,
               char** argv, const std::function<Status()>& body) {
  std::string log_format = "text";
  std::string log_level = "info";
  app.add_option("--log-format", log_format, "log lines as text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_val("text");
  app.add_option("--log-level", log_level, "debug, info, warn, error or off")
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}))
      ->default_val("info");
  if (!example.empty()) app.footer("Example:\n  " + example);
  app.name("saleslake " + name);
  BindEnvironment(&app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    const std::string hint = DidYouMean(app, argc, argv);
    std::fprintf(stderr, "saleslake %s: error: %s%s%s\nsee 'saleslake %s --help'\n", name.c_str(),
                 e.what(), hint.empty() ? "" : ": ", hint.c_str(), name.c_str());
    return kExitUsage;
  }
  log::Configure(*log::ParseFormat(log_format), *log::ParseLevel(log_level));
  Status st;
  try {
    st = body();
  } catch (const std::exception& e) {
    st = Status::Internal(std::string("unexpected exception: ") + e.what());
  } catch (...) {
    st = Status::Internal("unexpected exception");
  }
  if (!st.ok()) {
    PrintCommandError(name, st);
    return st.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  return kExitOk;
}

namespace {
std::mutex storage_flags_mu;
StorageFlags* storage_flags = new StorageFlags();
}  // namespace

void SetStorageFlags(const StorageFlags& flags) {
  std::lock_guard lock(storage_flags_mu);
  if (!flags.s3_endpoint.empty()) storage_flags->s3_endpoint = flags.s3_endpoint;
  if (!flags.s3_region.empty()) storage_flags->s3_region = flags.s3_region;
  if (flags.s3_no_verify_tls) storage_flags->s3_no_verify_tls = true;
}

StorageFlags GetStorageFlags() {
  std::lock_guard lock(storage_flags_mu);
  return *storage_flags;
}

namespace {
std::string* commit_log_flag = new std::string();
}  // namespace

void SetCommitLogFlag(const std::string& uri) {
  std::lock_guard lock(storage_flags_mu);
  *commit_log_flag = uri;
}

std::string GetCommitLogFlag() {
  std::lock_guard lock(storage_flags_mu);
  return *commit_log_flag;
}

}  // namespace saleslake

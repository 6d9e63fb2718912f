#include "generator/generate_command.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "base/cli.h"
#include "base/clock.h"
#include "base/logging.h"
#include "generator/dirty_records.h"
#include "generator/generator.h"

namespace saleslake::generator {
namespace {

struct Flags {
  uint64_t records = 10'000;
  std::optional<uint64_t> seed;
  std::string now;
  int days = 100;
  std::string format = "json";
  std::string envelope = "none";
  double dirty = 0.0;
  std::string products;
  std::string stores;
  std::string store_utc_offset = "+05:30";
  std::string out;
};

// Writes everything to `fd`, retrying short writes.
bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

Result<GeneratorOptions> OptionsFromFlags(const Flags& f) {
  GeneratorOptions o;
  o.records = f.records;
  o.seed = f.seed;
  if (!f.now.empty()) {
    Result<int64_t> now = ParseIso8601Micros(f.now);
    if (!now.ok()) return now.status().WithContext("--now");
    o.now_micros = *now;
  }
  o.days = f.days;
  o.format = f.format == "ndjson" ? OutputFormat::kNdjson : OutputFormat::kJson;
  o.envelope = f.envelope == "lambda" ? Envelope::kLambda : Envelope::kNone;
  o.dirty_rate = f.dirty;
  Result<int32_t> offset = ParseUtcOffset(f.store_utc_offset);
  if (!offset.ok()) return offset.status().WithContext("--store-utc-offset");
  o.store_utc_offset_seconds = *offset;
  if (f.products.empty() != f.stores.empty()) {
    return Status::InvalidArgument(
        "--products and --stores go together: give both catalog files, or neither for the "
        "built-in catalog");
  }
  if (!f.products.empty()) {
    SL_ASSIGN_OR_RETURN(o.catalog, LoadCatalogFiles(f.products, f.stores));
  }
  if (Status st = ValidateOptions(o); !st.ok()) {
    // Name the flag the person typed rather than the library's option.
    std::string message = st.message();
    if (message.starts_with("dirty rate")) message = "--dirty: " + message;
    if (message.starts_with("days")) message = "--days: " + message;
    if (message.starts_with("records")) message = "--records: " + message;
    if (message.starts_with("the lambda envelope")) message = "--envelope: " + message;
    if (message.starts_with("now")) message = "--now: " + message;
    return Status::InvalidArgument(message);
  }
  return o;
}

void LogDirtyCounts(const DirtyCounts& counts, uint64_t records) {
  uint64_t dirty = 0;
  for (const auto& [kind, n] : counts) dirty += n;
  const auto names = DirtyKindNames();
  static_assert(kDirtyKindCount == 17, "list every kind in the log line below");
  auto c = [&](size_t i) { return log::Field(names[i], counts.at(std::string(names[i]))); };
  log::Info("generate.dirty", {{"records", records},
                               {"dirty", dirty},
                               c(0),
                               c(1),
                               c(2),
                               c(3),
                               c(4),
                               c(5),
                               c(6),
                               c(7),
                               c(8),
                               c(9),
                               c(10),
                               c(11),
                               c(12),
                               c(13),
                               c(14),
                               c(15),
                               c(16)});
}

Status Run(const Flags& flags) {
  SL_ASSIGN_OR_RETURN(GeneratorOptions options, OptionsFromFlags(flags));
  if (!options.seed) options.seed = FreshSeed();  // so that the run can be reproduced from the log
  const int64_t started = MonotonicMicros();
  uint64_t bytes = 0;
  DirtyCounts counts;
  Status status;
  if (flags.out.empty()) {
    status = Generate(
        options,
        [&](std::string_view chunk) {
          bytes += chunk.size();
          return WriteAll(STDOUT_FILENO, chunk);
        },
        &counts);
    if (status.Is(StatusCode::kAborted)) {
      return Status::IOError(fmt::format("writing to stdout failed: {}", std::strerror(errno)));
    }
    SL_RETURN_IF_ERROR(status);
  } else {
    // Atomic: readers see the old file or the whole new one, never a part.
    const std::string temp = fmt::format("{}.tmp-{}", flags.out, ::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      return Status::IOError(
          fmt::format("--out {}: cannot create {}: {}", flags.out, temp, std::strerror(errno)));
    }
    int write_errno = 0;
    status = Generate(
        options,
        [&](std::string_view chunk) {
          bytes += chunk.size();
          if (WriteAll(fd, chunk)) return true;
          write_errno = errno;
          return false;
        },
        &counts);
    if (status.ok() && ::fsync(fd) != 0) write_errno = errno;
    if (::close(fd) != 0 && write_errno == 0) write_errno = errno;
    if (status.ok() && write_errno == 0 && ::rename(temp.c_str(), flags.out.c_str()) != 0) {
      write_errno = errno;
    }
    if (!status.ok() || write_errno != 0) {
      ::unlink(temp.c_str());
      if (write_errno != 0) {
        return Status::IOError(
            fmt::format("--out {}: write failed: {}", flags.out, std::strerror(write_errno)));
      }
      return status;
    }
  }
  const int64_t elapsed = std::max<int64_t>(MonotonicMicros() - started, 1);
  log::Debug("generate.done",
             {{"records", options.records},
              {"seed", *options.seed},
              {"bytes", bytes},
              {"ms", static_cast<double>(elapsed) / 1e3},
              {"records_per_second", static_cast<double>(options.records) * 1e6 / elapsed}});
  if (options.dirty_rate > 0) LogDirtyCounts(counts, options.records);
  return Status::OK();
}

}  // namespace

int GenerateCommand(int argc, char** argv) {
  CLI::App app(
      "Generates sales records (the 15 fields of a sale) as JSON or NDJSON: seeded and "
      "deterministic, or fresh on every call when no seed is given.");
  Flags f;
  app.add_option("--records,-n", f.records, "how many records")->default_val(10'000);
  app.add_option("--seed", f.seed, "seed: the same seed, --now and options give identical bytes");
  app.add_option("--now", f.now, "the generator's clock, ISO 8601 UTC (default: the wall clock)");
  app.add_option("--days", f.days, "timestamps fall in [now - days, now]")->default_val(100);
  AddFormatFlag(&app, &f.format, {"json", "ndjson"},
                "json: one array; ndjson: one record per line");
  app.add_option("--envelope", f.envelope,
                 "none, or lambda: {\"statusCode\":200,\"body\":[...]} like the seed's API")
      ->check(CLI::IsMember({"none", "lambda"}))
      ->default_val("none");
  app.add_option("--dirty", f.dirty,
                 "share of malformed records, 0..1 (counts per kind are logged to stderr)")
      ->default_val(0.0);
  app.add_option("--products", f.products, "products.json in the seed's format (with --stores)");
  app.add_option("--stores", f.stores, "stores.json in the seed's format (with --products)");
  app.add_option("--store-utc-offset", f.store_utc_offset,
                 "the stores' local time for store hours 10:00-21:30; timestamps stay UTC")
      ->default_val("+05:30");
  app.add_option("--out,-o", f.out, "write to this file (atomically) instead of stdout");
  return RunCommand(app, "generate",
                    "saleslake generate --records 5 --seed 42 --now 2026-11-26T12:00:00 "
                    "--format ndjson\n  saleslake generate --records 10000 --dirty 0.05 "
                    "--envelope lambda --out sales.json",
                    argc, argv, [&] { return Run(f); });
}

}  // namespace saleslake::generator

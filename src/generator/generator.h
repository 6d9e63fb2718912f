// The sales record generator: seeded, fast, deterministic.
//
// Same options (seed, now, days, dirty rate, catalogs) => byte-identical output. Records follow
// DESIGN.md section 1 (15 fields). Output is produced in chunks so that callers (stdout, a file,
// a chunked HTTP response) never hold more than one chunk.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"
#include "generator/catalog.h"

namespace saleslake::generator {

enum class OutputFormat { kJson, kNdjson };  // kJson: one JSON array
enum class Envelope { kNone, kLambda };      // kLambda: {"statusCode":200,"body":[...]}

struct GeneratorOptions {
  uint64_t records = 10'000;
  // nullopt: a fresh random seed per call (like the seed project's Lambda).
  std::optional<uint64_t> seed;
  // "now" in UTC micros; nullopt: the wall clock at the start of the call.
  std::optional<int64_t> now_micros;
  int days = 100;  // timestamps fall in [now - days, now]; at least 1
  // The stores' local time, for store hours (10:00-21:30 local). Timestamps stay UTC.
  int32_t store_utc_offset_seconds = 5 * 3600 + 30 * 60;  // India, +05:30
  double dirty_rate = 0.0;  // 0..1: share of records made malformed (see DirtyKindNames)
  OutputFormat format = OutputFormat::kJson;
  Envelope envelope = Envelope::kNone;
  std::shared_ptr<const Catalog> catalog;  // null: the built-in catalog
};

// Counts per dirty kind name ("missing_field", "null_value", ...), for --dirty reports and tests.
// When dirty_rate > 0 every kind is present, zero or not.
using DirtyCounts = std::map<std::string, uint64_t>;

// The stable names of the kinds of malformed record --dirty injects (docs/generator.md).
std::span<const std::string_view> DirtyKindNames();

// Largest accepted GeneratorOptions::records and days.
constexpr uint64_t kMaxRecords = uint64_t{1} << 40;
constexpr int kMaxDays = 36'500;

// A seed from the operating system's entropy, for callers that want to report the seed of an
// unseeded run (set options.seed to it, then log or return it).
uint64_t FreshSeed();

// Checks options without generating anything (what Generate would refuse, and why).
Status ValidateOptions(const GeneratorOptions& options);

// Writes the records described by `options` through `sink`, in chunks of roughly `chunk_bytes`.
// A sink returning false stops generation (client went away) and Generate returns Aborted.
// Invalid options give InvalidArgument before the sink is called. Envelope kLambda requires kJson.
Status Generate(const GeneratorOptions& options, const std::function<bool(std::string_view)>& sink,
                DirtyCounts* dirty_counts = nullptr, size_t chunk_bytes = 1 << 16);

}  // namespace saleslake::generator

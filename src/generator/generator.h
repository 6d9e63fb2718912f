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
#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake::generator {

class Catalog;  // products + stores (catalog.h)

enum class OutputFormat { kJson, kNdjson };  // kJson: one JSON array
enum class Envelope { kNone, kLambda };      // kLambda: {"statusCode":200,"body":[...]}

struct GeneratorOptions {
  uint64_t records = 10'000;
  // nullopt: a fresh random seed per call (like the seed project's Lambda).
  std::optional<uint64_t> seed;
  // "now" in UTC micros; nullopt: the wall clock at the start of the call.
  std::optional<int64_t> now_micros;
  int days = 100;            // timestamps fall in [now - days, now]
  double dirty_rate = 0.0;   // 0..1: share of records made malformed (see DirtyKind)
  OutputFormat format = OutputFormat::kJson;
  Envelope envelope = Envelope::kNone;
  std::shared_ptr<const Catalog> catalog;  // null: the built-in catalog
};

// Counts per dirty kind name ("missing_field", "null_value", ...), for --dirty reports and tests.
using DirtyCounts = std::map<std::string, uint64_t>;

// Writes the records described by `options` through `sink`, in chunks of roughly `chunk_bytes`.
// A sink returning false stops generation (client went away) and Generate returns Aborted.
Status Generate(const GeneratorOptions& options, const std::function<bool(std::string_view)>& sink,
                DirtyCounts* dirty_counts = nullptr, size_t chunk_bytes = 1 << 16);

}  // namespace saleslake::generator

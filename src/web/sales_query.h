// The query parameters of GET /v1/sales, parsed and checked into generator options. Every problem
// is reported against the parameter that caused it, so a client can fix its call.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"
#include "generator/generator.h"
#include "web/http_exchange.h"

namespace saleslake::web {

// One documented parameter; the list drives both the parser's "unknown parameter" check and the
// OpenAPI document, so the two cannot drift apart.
struct SalesParameter {
  std::string_view name;
  std::string_view type;    // OpenAPI schema type: "integer", "number", "string"
  std::string_view format;  // OpenAPI format ("uint64", "date-time") or ""
  std::string_view description;
  std::string_view example;  // as it would appear in a URL
};
std::span<const SalesParameter> SalesParameters();

constexpr uint64_t kDefaultSalesRecords = 10'000;

struct SalesQueryError {
  std::string parameter;
  std::string message;
};

// Parses `params` into `options`. Defaults: 10,000 records (or `max_records` when lower), days 100,
// no dirt, JSON without an envelope. The seed and now always come out set: to the request's values,
// or to `fresh_seed` and `wall_now_micros`, so that the response can say which ones it used.
// Returns false and fills `error` when a parameter is unknown, repeated, empty or out of range.
bool ParseSalesQuery(const QueryParams& params, uint64_t max_records, uint64_t fresh_seed,
                     int64_t wall_now_micros, generator::GeneratorOptions* options,
                     SalesQueryError* error);

}  // namespace saleslake::web

#include "web/sales_query.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "base/clock.h"

namespace saleslake::web {
namespace {

constexpr int64_t kMicrosPerDay = int64_t{86'400} * 1'000'000;
// The generator keeps four-digit years, with a month to spare for its future_timestamp records.
constexpr int64_t kLatestNowMicros = 253'402'300'800'000'000 - 31 * kMicrosPerDay;

constexpr SalesParameter kParameters[] = {
    {"records", "integer", "int64",
     "Number of sale records to return, from 0 to the server's --max-records (default 10000, or "
     "the maximum when lower).",
     "10000"},
    {"seed", "integer", "uint64",
     "Seed of the generator, 0 to 18446744073709551615. The same seed, now, days, dirty and "
     "format give byte-identical responses. Without it every call draws a fresh seed; the "
     "X-Saleslake-Seed response header says which.",
     "42"},
    {"now", "string", "date-time",
     "The generator's clock, ISO 8601 (2026-11-26T10:20:00Z; without an offset the time is UTC). "
     "Timestamps fall in [now - days, now]. Default: the server's clock, echoed in the "
     "X-Saleslake-Now response header.",
     "2026-11-26T10:20:00Z"},
    {"days", "integer", "int32",
     "How many days of history the timestamps span, 1 to 36500 (default 100).", "100"},
    {"dirty", "number", "double",
     "Share of records made malformed on purpose (missing fields, bad types, duplicates, ...), "
     "0 to 1 (default 0).",
     "0.05"},
    {"format", "string", "", "json (one JSON array, the default) or ndjson (one record per line).",
     "json"},
    {"envelope", "string", "",
     "none (the default) or lambda: {\"statusCode\":200,\"body\":[...]}, the shape of the "
     "original Lambda function. Needs format=json.",
     "none"},
};

bool Fail(SalesQueryError* error, std::string_view parameter, std::string message) {
  error->parameter = std::string(parameter);
  error->message = std::move(message);
  return false;
}

// Plain decimal digits only: no sign, no spaces, no hex. Fails on overflow.
bool ParseUnsigned(std::string_view text, uint64_t* value) {
  if (text.empty() || text.size() > 20) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

bool ParseRate(std::string_view text, double* value) {
  if (text.empty() || text.size() > 32) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) {
      return false;  // rejects "nan", "inf" and hex floats
    }
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(*value);
}

// A '+' in a query string decodes to a space, so "now=2026-11-26T15:50:00+05:30" typed into a URL
// arrives as "...T15:50:00 05:30". A space before a final HH:MM, after a 'T' time, can only have
// been that plus sign.
std::string RestorePlusOffset(std::string text) {
  const size_t n = text.size();
  const auto digit = [&](size_t i) { return std::isdigit(static_cast<unsigned char>(text[i])); };
  if (n > 6 && text[n - 6] == ' ' && text.find('T') < n - 6 && digit(n - 5) && digit(n - 4) &&
      text[n - 3] == ':' && digit(n - 2) && digit(n - 1)) {
    text[n - 6] = '+';
  }
  return text;
}

std::string KnownNames() {
  std::string names;
  for (const SalesParameter& p : kParameters) {
    if (!names.empty()) names += ", ";
    names += p.name;
  }
  return names;
}

bool IsKnown(std::string_view name) {
  for (const SalesParameter& p : kParameters) {
    if (p.name == name) return true;
  }
  return false;
}

}  // namespace

std::span<const SalesParameter> SalesParameters() { return kParameters; }

bool ParseSalesQuery(const QueryParams& params, uint64_t max_records, uint64_t fresh_seed,
                     int64_t wall_now_micros, generator::GeneratorOptions* options,
                     SalesQueryError* error) {
  *options = generator::GeneratorOptions{};
  options->records = std::min(kDefaultSalesRecords, max_records);
  for (auto it = params.begin(); it != params.end(); ++it) {
    const std::string& name = it->first;
    if (!IsKnown(name)) {
      return Fail(error, name, "unknown parameter '" + name + "'; known: " + KnownNames());
    }
    if (params.count(name) > 1) return Fail(error, name, "given more than once");
    if (it->second.empty()) return Fail(error, name, "empty value");
  }

  const auto value = [&](std::string_view name) -> const std::string* {
    auto it = params.find(std::string(name));
    return it == params.end() ? nullptr : &it->second;
  };

  if (const std::string* v = value("records")) {
    uint64_t n = 0;
    if (!ParseUnsigned(*v, &n) || n > max_records) {
      return Fail(error, "records",
                  "'" + *v + "' is not a whole number from 0 to " + std::to_string(max_records) +
                      " (the server's maximum per call; page with several calls for more)");
    }
    options->records = n;
  }
  options->seed = fresh_seed;
  if (const std::string* v = value("seed")) {
    uint64_t seed = 0;
    if (!ParseUnsigned(*v, &seed)) {
      return Fail(error, "seed",
                  "'" + *v + "' is not a whole number from 0 to 18446744073709551615");
    }
    options->seed = seed;
  }
  if (const std::string* v = value("days")) {
    uint64_t days = 0;
    if (!ParseUnsigned(*v, &days) || days < 1 || days > generator::kMaxDays) {
      return Fail(error, "days",
                  "'" + *v + "' is not a whole number of days from 1 to " +
                      std::to_string(generator::kMaxDays));
    }
    options->days = static_cast<int>(days);
  }
  options->now_micros = wall_now_micros;
  if (const std::string* v = value("now")) {
    Result<int64_t> now = ParseIso8601Micros(RestorePlusOffset(*v));
    if (!now.ok()) {
      return Fail(error, "now",
                  "'" + *v + "' is not an ISO 8601 date-time such as 2026-11-26T10:20:00Z (" +
                      now.status().message() + ")");
    }
    options->now_micros = *now;
  }
  if (*options->now_micros < int64_t{options->days} * kMicrosPerDay) {
    return Fail(error, "now", "now minus days reaches before 1970-01-01; choose a later now");
  }
  if (*options->now_micros > kLatestNowMicros) {
    return Fail(error, "now", "now must be before 9999-11-30");
  }
  if (const std::string* v = value("dirty")) {
    double rate = 0;
    if (!ParseRate(*v, &rate) || rate < 0 || rate > 1) {
      return Fail(error, "dirty", "'" + *v + "' is not a rate from 0 to 1, such as 0.05");
    }
    options->dirty_rate = rate;
  }
  if (const std::string* v = value("format")) {
    if (*v == "json") {
      options->format = generator::OutputFormat::kJson;
    } else if (*v == "ndjson") {
      options->format = generator::OutputFormat::kNdjson;
    } else {
      return Fail(error, "format", "'" + *v + "' is not a format: use json or ndjson");
    }
  }
  if (const std::string* v = value("envelope")) {
    if (*v == "none") {
      options->envelope = generator::Envelope::kNone;
    } else if (*v == "lambda") {
      if (options->format != generator::OutputFormat::kJson) {
        return Fail(error, "envelope",
                    "envelope=lambda wraps a JSON array: use it with format=json");
      }
      options->envelope = generator::Envelope::kLambda;
    } else {
      return Fail(error, "envelope", "'" + *v + "' is not an envelope: use none or lambda");
    }
  }
  return true;
}

}  // namespace saleslake::web

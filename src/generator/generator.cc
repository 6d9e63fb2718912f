#include "generator/generator.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <random>

#include "base/clock.h"
#include "generator/dirty_records.h"
#include "generator/sale_time.h"
#include "generator/sale_writer.h"

namespace saleslake::generator {
namespace {

// The bytes around the records for each output shape.
struct Framing {
  std::string_view begin;      // before the first record
  std::string_view separator;  // between records
  std::string_view end;        // after the last record
  std::string_view empty;      // the whole output when there are no records
};

Framing FramingFor(const GeneratorOptions& options) {
  if (options.format == OutputFormat::kNdjson) return {"", "\n", "\n", ""};
  if (options.envelope == Envelope::kLambda) {
    return {"{\"statusCode\":200,\"body\":[\n", ",\n", "\n]}\n",
            "{\"statusCode\":200,\"body\":[]}\n"};
  }
  return {"[\n", ",\n", "\n]\n", "[]\n"};
}

// Collects output into chunks of about `chunk_bytes` and hands them to the sink.
class ChunkedOutput {
 public:
  ChunkedOutput(const std::function<bool(std::string_view)>& sink, size_t chunk_bytes,
                size_t max_record_bytes)
      : sink_(sink),
        chunk_bytes_(std::max<size_t>(chunk_bytes, 1)),
        buffer_(chunk_bytes_ + max_record_bytes + 64, '\0') {}

  // Room for one clean record plus a separator, flushing first if needed. Returns false when the
  // sink refused a chunk.
  bool Reserve() { return used_ < chunk_bytes_ || Flush(); }
  char* cursor() { return buffer_.data() + used_; }
  void Advance(char* end) { used_ = static_cast<size_t>(end - buffer_.data()); }

  bool Append(std::string_view bytes) {
    if (bytes.empty()) return true;  // an empty view may have a null data() memcpy must not see
    if (used_ + bytes.size() > buffer_.size()) {
      if (!Flush()) return false;
      if (bytes.size() > buffer_.size()) return sink_(bytes);
    }
    std::memcpy(buffer_.data() + used_, bytes.data(), bytes.size());
    used_ += bytes.size();
    return true;
  }

  bool Flush() {
    if (used_ == 0) return true;
    const bool ok = sink_(std::string_view(buffer_.data(), used_));
    used_ = 0;
    return ok;
  }

 private:
  const std::function<bool(std::string_view)>& sink_;
  size_t chunk_bytes_;
  std::string buffer_;
  size_t used_ = 0;
};

char* Copy(std::string_view s, char* out) {
  if (!s.empty()) std::memcpy(out, s.data(), s.size());  // memcpy from an empty view's null: UB
  return out + s.size();
}

}  // namespace

std::span<const std::string_view> DirtyKindNames() { return AllDirtyKindNames(); }

uint64_t FreshSeed() {
  std::random_device device;
  const uint64_t entropy = (uint64_t{device()} << 32) ^ device();
  return SplitMix64(entropy ^ static_cast<uint64_t>(NowMicros())).Next();
}

Status ValidateOptions(const GeneratorOptions& options) {
  if (options.records > kMaxRecords) {
    return Status::InvalidArgument(
        fmt::format("records must be at most {} (got {})", kMaxRecords, options.records));
  }
  if (options.days < 1 || options.days > kMaxDays) {
    return Status::InvalidArgument(
        fmt::format("days must be between 1 and {} (got {})", kMaxDays, options.days));
  }
  if (!(options.dirty_rate >= 0.0 && options.dirty_rate <= 1.0)) {
    return Status::InvalidArgument(fmt::format(
        "dirty rate must be between 0 and 1, e.g. 0.05 for 5% (got {})", options.dirty_rate));
  }
  if (options.store_utc_offset_seconds < -14 * 3600 ||
      options.store_utc_offset_seconds > 14 * 3600) {
    return Status::InvalidArgument("store UTC offset must be within -14:00..+14:00");
  }
  if (options.envelope == Envelope::kLambda && options.format != OutputFormat::kJson) {
    return Status::InvalidArgument(
        "the lambda envelope wraps a JSON array: use format json with envelope lambda");
  }
  // Timestamps keep four year digits, and the window (plus a month of future_timestamp) stays
  // after 1970-01-01 so that every date is a plain positive day number.
  constexpr int64_t kMicrosPerDay = 86'400'000'000;
  constexpr int64_t kLatestNow = 253'402'300'800'000'000 - 31 * kMicrosPerDay;  // ~9999-11-30
  if (options.now_micros && (*options.now_micros - options.days * kMicrosPerDay < 0 ||
                             *options.now_micros > kLatestNow)) {
    return Status::InvalidArgument(fmt::format(
        "now minus {} days must be after 1970-01-01 and now before 9999-11-30", options.days));
  }
  return Status::OK();
}

Status Generate(const GeneratorOptions& options, const std::function<bool(std::string_view)>& sink,
                DirtyCounts* dirty_counts, size_t chunk_bytes) {
  SL_RETURN_IF_ERROR(ValidateOptions(options));
  const std::shared_ptr<const Catalog> catalog =
      options.catalog ? options.catalog : BuiltinCatalog();
  const int64_t now = options.now_micros.value_or(NowMicros());
  SL_ASSIGN_OR_RETURN(SaleTimeSampler times,
                      SaleTimeSampler::Create(now, options.days, options.store_utc_offset_seconds));
  Rng rng(options.seed ? *options.seed : FreshSeed());
  const SaleSampler sampler(*catalog, times);
  const SaleWriter writer(*catalog);
  DirtyRecordMaker dirty(writer, sampler, now);
  std::array<uint64_t, kDirtyKindCount> counts{};
  // A record is dirty when the top 32 bits of a draw fall below this (rate 1 makes them all dirty).
  const uint64_t dirty_threshold =
      static_cast<uint64_t>(std::llround(options.dirty_rate * 4294967296.0));
  const bool any_dirty = dirty_threshold > 0;
  const Framing framing = FramingFor(options);
  ChunkedOutput output(sink, chunk_bytes, writer.max_record_bytes() + framing.separator.size());
  auto aborted = [] { return Status::Aborted("the output sink stopped accepting data"); };

  if (options.records == 0) {
    if (!output.Append(framing.empty) || !output.Flush()) return aborted();
  } else if (!output.Append(framing.begin)) {
    return aborted();
  }
  std::string dirty_record;
  for (uint64_t i = 0; i < options.records; ++i) {
    const std::string_view separator = i == 0 ? std::string_view() : framing.separator;
    if (any_dirty && (rng.Next() >> 32) < dirty_threshold) {
      const DirtyKind kind = dirty.Make(rng, &dirty_record);
      ++counts[static_cast<int>(kind)];
      if (!output.Append(separator) || !output.Append(dirty_record)) return aborted();
      continue;
    }
    const Sale sale = sampler.Draw(rng);
    if (any_dirty) dirty.Remember(sale);
    if (!output.Reserve()) return aborted();
    char* out = Copy(separator, output.cursor());
    output.Advance(writer.Write(sale, out));
  }
  if (options.records > 0 && !output.Append(framing.end)) return aborted();
  if (!output.Flush()) return aborted();
  if (dirty_counts != nullptr) {
    dirty_counts->clear();
    if (any_dirty) {
      for (int k = 0; k < kDirtyKindCount; ++k) {
        (*dirty_counts)[std::string(AllDirtyKindNames()[k])] = counts[k];
      }
    }
  }
  return Status::OK();
}

}  // namespace saleslake::generator

// The On-Demand fast path of sale typing. On x86-64 this file alone is compiled for AVX2 (see
// CMakeLists.txt and clean_sale_typer.h): keep other code out of it.
#include "table/clean_sale_typer.h"

#include <simdjson.h>

#include <array>
#include <cstring>

#ifdef __AVX2__
#include <immintrin.h>
#endif

#include "base/clock.h"
#include "base/strings.h"

namespace saleslake::table {
namespace {

namespace od = simdjson::ondemand;

constexpr uint32_t kAllFields = (1u << kSalesFieldCount) - 1;

// A field name as raw key bytes followed by the closing quote, compared 16 bytes at a time (the
// longest name has 14 characters; the input's padding makes the 16-byte read safe).
struct KeyPattern {
  uint64_t lo = 0, hi = 0, mask_lo = 0, mask_hi = 0;

  void Set(std::string_view name) {
    char bytes[16] = {};
    char mask[16] = {};
    std::memcpy(bytes, name.data(), name.size());
    bytes[name.size()] = '"';
    std::memset(mask, 0xFF, name.size() + 1);
    std::memcpy(&lo, bytes, 8);
    std::memcpy(&hi, bytes + 8, 8);
    std::memcpy(&mask_lo, mask, 8);
    std::memcpy(&mask_hi, mask + 8, 8);
  }
  bool Matches(const char* raw) const {
    uint64_t a, b;
    std::memcpy(&a, raw, 8);
    std::memcpy(&b, raw + 8, 8);
    return ((a ^ lo) & mask_lo) == 0 && ((b ^ hi) & mask_hi) == 0;
  }
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A JSON number token in the plainest form: -?(0|[1-9][0-9]*)(.[0-9]{1,2})?, scaled by 10^scale.
// At most 13 integer digits with a fraction (so it is an exact double the validator would
// accept) or 16 without (so x100 cannot overflow); quantity (scale 0) takes no fraction.
bool PlainScaled(std::string_view t, int scale, int64_t* out) {
  size_t i = 0;
  const bool negative = !t.empty() && t[0] == '-';
  i += negative;
  const size_t start = i;
  int64_t v = 0;
  while (i < t.size() && IsDigit(t[i])) v = v * 10 + (t[i++] - '0');
  const size_t digits = i - start;
  if (digits == 0 || (digits > 1 && t[start] == '0')) return false;
  int fraction = 0;
  if (i < t.size() && t[i] == '.') {
    if (scale == 0 || digits > 13) return false;
    ++i;
    while (i < t.size() && IsDigit(t[i])) {
      if (++fraction > scale) return false;
      v = v * 10 + (t[i++] - '0');
    }
    if (fraction == 0) return false;
  } else if (digits > 16) {
    return false;
  }
  if (i != t.size()) return false;
  for (int k = fraction; k < scale; ++k) v *= 10;
  *out = negative ? -v : v;
  return true;
}

// "YYYY-MM-DDTHH:MM:SS[.f{1,6}]" (or ' ' for 'T'), the generator's layout, giving exactly what
// ParseIso8601Micros gives; other layouts go to ParseIso8601Micros itself.
bool PlainTimestamp(std::string_view t, int64_t* micros) {
  if (t.size() < 19 || t.size() > 26) return false;
  auto num = [&t](size_t at, size_t n, int* out) {
    int v = 0;
    for (size_t k = at; k < at + n; ++k) {
      if (!IsDigit(t[k])) return false;
      v = v * 10 + (t[k] - '0');
    }
    *out = v;
    return true;
  };
  int y, mo, d, h, mi, sec;
  if (!num(0, 4, &y) || t[4] != '-' || !num(5, 2, &mo) || t[7] != '-' || !num(8, 2, &d) ||
      (t[10] != 'T' && t[10] != ' ') || !num(11, 2, &h) || t[13] != ':' || !num(14, 2, &mi) ||
      t[16] != ':' || !num(17, 2, &sec)) {
    return false;
  }
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] + (mo == 2 && leap) || h > 23 || mi > 59 ||
      sec > 59) {
    return false;
  }
  int64_t fraction = 0;
  if (t.size() > 19) {
    if (t[19] != '.' || t.size() == 20) return false;
    int64_t scale = 100000;
    for (size_t k = 20; k < t.size(); ++k) {
      if (!IsDigit(t[k])) return false;
      fraction += (t[k] - '0') * scale;
      scale /= 10;
    }
  }
  const int64_t days = DaysFromCivil(CivilDate{y, mo, d});
  *micros = days * 86'400'000'000LL + (h * 3600LL + mi * 60LL + sec) * 1'000'000LL + fraction;
  return true;
}

// The longest record the compact path takes (its masks live on the stack).
constexpr size_t kCompactMaxBytes = 1024;

// Bit i of quotes[i / 64]: record[i] is '"'. Returns false when a byte of the record is a
// backslash, a control character or not ASCII (the compact path takes none of them). Reads up to
// 63 bytes past the end (the caller's padding).
bool QuoteMasks(const char* p, size_t n, uint64_t* quotes) {
  const size_t words = (n + 63) / 64;
#ifdef __AVX2__
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i backslash = _mm256_set1_epi8('\\');
  const __m256i space = _mm256_set1_epi8(0x20);
  for (size_t w = 0; w < words; ++w) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 64 * w));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 64 * w + 32));
    // Signed bytes: below 0x20 is a control character or (negative) not ASCII.
    const __m256i bad_a =
        _mm256_or_si256(_mm256_cmpgt_epi8(space, a), _mm256_cmpeq_epi8(a, backslash));
    const __m256i bad_b =
        _mm256_or_si256(_mm256_cmpgt_epi8(space, b), _mm256_cmpeq_epi8(b, backslash));
    uint64_t bad = static_cast<uint32_t>(_mm256_movemask_epi8(bad_a)) |
                   static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(bad_b))) << 32;
    uint64_t q = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, quote))) |
                 static_cast<uint64_t>(
                     static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, quote))))
                     << 32;
    const size_t left = n - 64 * w;
    if (left < 64) {
      const uint64_t keep = (uint64_t{1} << left) - 1;
      bad &= keep;
      q &= keep;
    }
    if (bad != 0) return false;
    quotes[w] = q;
  }
#else
  for (size_t w = 0; w < words; ++w) quotes[w] = 0;
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c >= 0x80 || c == '\\') return false;
    if (c == '"') quotes[i / 64] |= uint64_t{1} << (i % 64);
  }
#endif
  return true;
}

// The position of the first '"' at or after `from` in a record of `words` mask words, or SIZE_MAX.
size_t NextQuote(const uint64_t* quotes, size_t words, size_t from) {
  size_t w = from / 64;
  if (w >= words) return SIZE_MAX;
  uint64_t bits = quotes[w] & (~uint64_t{0} << (from % 64));
  while (bits == 0) {
    if (++w >= words) return SIZE_MAX;
    bits = quotes[w];
  }
  return 64 * w + static_cast<size_t>(__builtin_ctzll(bits));
}

class OnDemandSaleTyper final : public CleanSaleTyper {
 public:
  explicit OnDemandSaleTyper(size_t max_field_bytes) : max_field_bytes_(max_field_bytes) {
    for (const SalesFieldInfo& f : SalesFields()) {
      keys_[static_cast<size_t>(f.field)].Set(f.name);
      key_sizes_[static_cast<size_t>(f.field)] = f.name.size();
      types_[static_cast<size_t>(f.field)] = f.json_type;
    }
#ifdef SIMDJSON_THREADS_ENABLED
    parser_.threaded = false;
#endif
  }

  bool Type(std::string_view record, size_t padded_bytes, ParsedSale* sale) override {
    if (padded_bytes < simdjson::SIMDJSON_PADDING) return false;
    if (TypeCompact(record, sale)) return true;
    od::document doc;
    if (parser_.iterate(record.data(), record.size(), record.size() + padded_bytes).get(doc)) {
      return false;
    }
    od::object object;
    if (doc.get_object().get(object)) return false;
    uint32_t seen = 0;
    size_t expected = 0;
    for (auto field_result : object) {
      od::field field;
      if (std::move(field_result).get(field)) return false;
      const int index = FieldIndex(field.key().raw(), expected);
      if (index < 0 || (seen >> index) & 1u) return false;
      seen |= 1u << index;
      expected = static_cast<size_t>(index) + 1;
      if (!TypeValue(static_cast<SalesField>(index), field.value(), sale)) return false;
    }
    if (seen != kAllFields) return false;
    // Nothing may follow the object (the validator's DOM parse calls that bad JSON).
    const char* after = nullptr;
    if (doc.current_location().get(after) != simdjson::OUT_OF_BOUNDS) return false;
    sale->valid = kAllFields;
    sale->reasons = 0;
    return true;
  }

 private:
  // The shape the generator writes, without a parser: {"transaction_id":"…",…} with the 15 fields
  // in schema order, no whitespace between tokens, every string printable ASCII without escapes,
  // every number plain. Such a record is valid JSON whose values are exactly the ones the
  // On-Demand path below gives (the same PlainScaled, PlainTimestamp and trimming); anything
  // else returns false and goes that way.
  bool TypeCompact(std::string_view record, ParsedSale* sale) {
    const size_t n = record.size();
    if (n < 2 || n > kCompactMaxBytes || record[0] != '{' || record[n - 1] != '}') return false;
    const char* p = record.data();
    uint64_t quotes[kCompactMaxBytes / 64];
    if (!QuoteMasks(p, n, quotes)) return false;
    const size_t words = (n + 63) / 64;
    // The walk accounts for every byte: a key (matched with its quotes), ':', a string value (up
    // to the next quote, so none inside), a number (digits, checked by PlainScaled), ',' or '}'.
    // So the record has no quote the shape does not place.
    size_t at = 1;  // where the next key's opening quote must be
    for (size_t i = 0; i < keys_.size(); ++i) {
      const size_t colon = at + 1 + key_sizes_[i] + 1;
      if (colon + 2 >= n || p[at] != '"' || !keys_[i].Matches(p + at + 1) || p[colon] != ':') {
        return false;
      }
      size_t end;  // the byte after the value
      if (types_[i] == SalesJsonType::kString) {
        if (p[colon + 1] != '"') return false;
        end = NextQuote(quotes, words, colon + 2);
        if (end >= n) return false;
        const std::string_view s(p + colon + 2, end - colon - 2);
        if (static_cast<SalesField>(i) == SalesField::kTimestamp) {
          if (!TypeString(SalesField::kTimestamp, s, sale)) return false;
        } else {
          // TypeString's work for a plain string (no control characters here: only ' ' trims).
          if (s.size() > max_field_bytes_) return false;
          sale->text[i] = !s.empty() && (s.front() == ' ' || s.back() == ' ') ? Trim(s) : s;
        }
        ++end;
      } else {
        // A number runs to the ',' before the next key (numbers are never the last field).
        end = colon + 1;
        while (end < n && p[end] != ',') ++end;
        if (end == n || !TypeNumber(static_cast<SalesField>(i),
                                    std::string_view(p + colon + 1, end - colon - 1), sale)) {
          return false;
        }
      }
      const bool last = i + 1 == keys_.size();
      if (p[end] != (last ? '}' : ',')) return false;
      at = end + 1;
    }
    if (at != n) return false;
    sale->valid = kAllFields;
    sale->reasons = 0;
    return true;
  }

  // A string value's bytes as they stand between its quotes (no escapes in them).
  bool TypeString(SalesField f, std::string_view s, ParsedSale* sale) {
    if (s.size() > max_field_bytes_) return false;
    if (!s.empty() && (IsSpace(s.front()) || IsSpace(s.back()))) s = Trim(s);
    sale->text[static_cast<size_t>(f)] = s;
    if (f != SalesField::kTimestamp) return true;
    if (PlainTimestamp(s, &sale->timestamp_micros)) return true;
    Result<int64_t> micros = ParseIso8601Micros(s);
    if (!micros.ok()) return false;
    sale->timestamp_micros = *micros;
    return true;
  }

  // A number token, without surrounding whitespace.
  static bool TypeNumber(SalesField f, std::string_view token, ParsedSale* sale) {
    switch (f) {
      case SalesField::kQuantity: {
        int64_t q;
        if (!PlainScaled(token, 0, &q) || q < INT32_MIN || q > INT32_MAX) return false;
        sale->quantity = q;
        return true;
      }
      case SalesField::kRetailPrice:
        return PlainScaled(token, 2, &sale->retail_price_paise);
      case SalesField::kMrp:
        return PlainScaled(token, 2, &sale->mrp_paise);
      case SalesField::kTotal:
        return PlainScaled(token, 2, &sale->total_paise);
      default:
        return false;
    }
  }

  int FieldIndex(const char* raw_key, size_t expected) const {
    if (expected < keys_.size() && keys_[expected].Matches(raw_key)) {
      return static_cast<int>(expected);
    }
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i].Matches(raw_key)) return static_cast<int>(i);
    }
    return -1;
  }

  bool TypeValue(SalesField f, od::value& value, ParsedSale* sale) {
    const size_t i = static_cast<size_t>(f);
    std::string_view token = value.raw_json_token();
    while (!token.empty() && IsSpace(token.back())) token.remove_suffix(1);
    if (types_[i] == SalesJsonType::kString) {
      if (token.size() < 2 || token.front() != '"' || token.back() != '"') return false;
      std::string_view s = token.substr(1, token.size() - 2);
      if (std::memchr(s.data(), '\\', s.size()) != nullptr) {
        // Escapes: let simdjson unescape (and check) them into its own buffer.
        if (value.get_string().get(s)) return false;
      }
      return TypeString(f, s, sale);
    }
    return TypeNumber(f, token, sale);
  }

  size_t max_field_bytes_;
  std::array<KeyPattern, kSalesFieldCount> keys_;
  std::array<size_t, kSalesFieldCount> key_sizes_{};
  std::array<SalesJsonType, kSalesFieldCount> types_{};
  od::parser parser_;
};

}  // namespace

namespace internal {

std::unique_ptr<CleanSaleTyper> NewOnDemandSaleTyper(size_t max_field_bytes) {
  return std::make_unique<OnDemandSaleTyper>(max_field_bytes);
}

}  // namespace internal
}  // namespace saleslake::table

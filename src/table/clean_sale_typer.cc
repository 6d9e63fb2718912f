// The On-Demand fast path of sale typing. On x86-64 this file alone is compiled for AVX2 (see
// CMakeLists.txt and clean_sale_typer.h): keep other code out of it.
#include "table/clean_sale_typer.h"

#include <simdjson.h>

#include <array>
#include <cstring>

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

class OnDemandSaleTyper final : public CleanSaleTyper {
 public:
  explicit OnDemandSaleTyper(size_t max_field_bytes) : max_field_bytes_(max_field_bytes) {
    for (const SalesFieldInfo& f : SalesFields()) {
      keys_[static_cast<size_t>(f.field)].Set(f.name);
      types_[static_cast<size_t>(f.field)] = f.json_type;
    }
#ifdef SIMDJSON_THREADS_ENABLED
    parser_.threaded = false;
#endif
  }

  bool Type(std::string_view record, size_t padded_bytes, ParsedSale* sale) override {
    if (padded_bytes < simdjson::SIMDJSON_PADDING) return false;
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
      if (s.size() > max_field_bytes_) return false;
      s = Trim(s);
      sale->text[i] = s;
      if (f != SalesField::kTimestamp) return true;
      if (PlainTimestamp(s, &sale->timestamp_micros)) return true;
      Result<int64_t> micros = ParseIso8601Micros(s);
      if (!micros.ok()) return false;
      sale->timestamp_micros = *micros;
      return true;
    }
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

  size_t max_field_bytes_;
  std::array<KeyPattern, kSalesFieldCount> keys_;
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

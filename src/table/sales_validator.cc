#include "table/sales_validator.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "base/clock.h"
#include "base/decimal.h"
#include "base/strings.h"

namespace saleslake::table {
namespace {

constexpr std::array<std::string_view, kReasonCount> kReasonNames = {
    "bad_json",         "not_an_object",  "missing_field",     "null_value",
    "bad_type",         "bad_timestamp",  "future_timestamp",  "non_positive_quantity",
    "total_mismatch",   "unknown_store",  "unknown_product",   "store_mismatch",
    "product_mismatch", "bad_email",      "oversized_field",   "invalid_utf8",
    "extra_field",      "repeated_field", "duplicate_conflict"};

constexpr uint32_t Bit(SalesField f) { return 1u << static_cast<int>(f); }

bool IsEmailLocalChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '%' || c == '+' || c == '-';
}

bool IsDomainChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

}  // namespace

std::string_view ReasonName(Reason reason) {
  for (int i = 0; i < kReasonCount; ++i) {
    if (reason == (1u << i)) return kReasonNames[static_cast<size_t>(i)];
  }
  return "unknown";
}

std::string ReasonsToString(uint32_t reasons) {
  std::string out;
  for (int i = 0; i < kReasonCount; ++i) {
    if ((reasons >> i) & 1u) {
      if (!out.empty()) out.push_back(',');
      out += kReasonNames[static_cast<size_t>(i)];
    }
  }
  return out;
}

bool IsPlausibleEmail(std::string_view email) {
  if (email.size() < 6 || email.size() > 254) return false;
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  std::string_view local = email.substr(0, at), domain = email.substr(at + 1);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : local) {
    if (!IsEmailLocalChar(c)) return false;
  }
  // domain: labels of [A-Za-z0-9-], not starting or ending with '-', at least two, TLD letters.
  size_t labels = 0, start = 0;
  while (start <= domain.size()) {
    size_t dot = domain.find('.', start);
    std::string_view label =
        domain.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!IsDomainChar(c)) return false;
    }
    ++labels;
    if (dot == std::string_view::npos) {
      if (label.size() < 2) return false;
      for (char c : label) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
      }
      break;
    }
    start = dot + 1;
  }
  return labels >= 2;
}

struct SalesValidator::Impl {
  // The DOM parser dispatches at run time to the best kernels of this CPU (the On-Demand API
  // would be compiled for the baseline target only, several times slower here).
  simdjson::dom::parser parser;
  std::string buffer;  // the record plus simdjson's padding
  ParsedSale result;
};

namespace {

// Converts a JSON number to an exact scaled integer (scale 0 or 2). A double is accepted only
// when it is exactly the double of a decimal with at most `scale` places, checked by dividing
// back: IEEE division of two exact integers rounds the true quotient once, as parsing the
// original text did, so the two doubles agree exactly when the text had no further digits.
bool ToScaled(simdjson::dom::element e, int scale, int64_t* out) {
  int64_t i;
  if (!e.get_int64().get(i)) {
    const int64_t factor = scale == 2 ? 100 : 1;
    if (i > INT64_MAX / factor || i < INT64_MIN / factor) return false;
    *out = i * factor;
    return true;
  }
  double d;
  if (scale == 0 || e.get_double().get(d)) return false;
  if (!(d > -9.0e13 && d < 9.0e13)) return false;  // beyond exact paise in a double
  const double scaled = d * 100.0;
  const int64_t paise = static_cast<int64_t>(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
  if (static_cast<double>(paise) / 100.0 != d) return false;
  *out = paise;
  return true;
}

}  // namespace

SalesValidator::SalesValidator(ValidationOptions options)
    : options_(options), impl_(std::make_unique<Impl>()) {}

SalesValidator::~SalesValidator() = default;

const ParsedSale& SalesValidator::Validate(std::string_view record) {
  ParsedSale& r = impl_->result;
  r.valid = 0;
  r.reasons = 0;
  r.text.fill(std::string_view());  // views into the last document die with this parse
  r.timestamp_micros = r.retail_price_paise = r.quantity = r.mrp_paise = r.total_paise = 0;
  r.detail.clear();
  auto fail = [&r](Reason reason, std::string detail) {
    if (r.detail.empty()) r.detail = std::move(detail);
    r.reasons |= reason;
  };

  std::string& buf = impl_->buffer;
  buf.assign(record);
  buf.append(simdjson::SIMDJSON_PADDING, '\0');
  simdjson::dom::element root;
  auto err = impl_->parser.parse(buf.data(), record.size(), false).get(root);
  if (err) {
    if (err == simdjson::UTF8_ERROR) {
      fail(kInvalidUtf8, "the record is not valid UTF-8");
    } else if (err == simdjson::STRING_ERROR) {
      fail(kInvalidUtf8, "the record holds an invalid string escape (an unpaired surrogate?)");
    } else {
      fail(kBadJson, fmt::format("not valid JSON ({})", simdjson::error_message(err)));
    }
    return r;
  }
  simdjson::dom::object obj;
  if (root.get_object().get(obj)) {
    fail(kNotAnObject, "the record is a JSON value but not an object");
    return r;
  }

  uint32_t seen = 0;
  for (simdjson::dom::key_value_pair kv : obj) {
    std::optional<SalesField> f = SalesFieldFromName(kv.key);
    if (!f) {
      fail(kExtraField, fmt::format("unknown field '{}'", kv.key.substr(0, 64)));
      continue;
    }
    const uint32_t bit = Bit(*f);
    const std::string_view name = SalesFieldName(*f);
    if (seen & bit) fail(kRepeatedField, fmt::format("field '{}' appears twice", name));
    seen |= bit;
    simdjson::dom::element value = kv.value;
    if (value.is_null()) {
      fail(kNullValue, fmt::format("field '{}' is null", name));
      continue;
    }
    const SalesJsonType want = SalesFields()[static_cast<size_t>(*f)].json_type;
    if (want == SalesJsonType::kString) {
      std::string_view s;
      if (value.get_string().get(s)) {
        fail(kBadType, fmt::format("field '{}' must be a string", name));
        continue;
      }
      if (s.size() > options_.max_field_bytes) {
        fail(kOversizedField, fmt::format("field '{}' is {} bytes, more than the {} allowed", name,
                                          s.size(), options_.max_field_bytes));
        continue;
      }
      r.text[static_cast<size_t>(*f)] = Trim(s);
      r.valid |= bit;
      continue;
    }
    if (!value.is_number()) {
      fail(kBadType, fmt::format("field '{}' must be a number", name));
      continue;
    }
    const bool whole = *f == SalesField::kQuantity;
    int64_t v = 0;
    if (!ToScaled(value, whole ? 0 : 2, &v)) {
      fail(kBadType, fmt::format("field '{}' is {}: {}", name, simdjson::to_string(value),
                                 whole ? "must be a whole number"
                                       : "must be money (at most 2 decimal places)"));
      continue;
    }
    switch (*f) {
      case SalesField::kRetailPrice:
        r.retail_price_paise = v;
        break;
      case SalesField::kQuantity:
        r.quantity = v;
        break;
      case SalesField::kMrp:
        r.mrp_paise = v;
        break;
      case SalesField::kTotal:
        r.total_paise = v;
        break;
      default:
        break;
    }
    r.valid |= bit;
  }
  if (r.reasons & kBadJson) return r;

  constexpr uint32_t kAll = (1u << kSalesFieldCount) - 1;
  if ((seen & kAll) != kAll) {
    for (const SalesFieldInfo& info : SalesFields()) {
      if (!(seen & Bit(info.field))) {
        fail(kMissingField, fmt::format("field '{}' is missing", info.name));
        break;
      }
    }
  }

  // Timestamp: typed only when it parses.
  if (r.has(SalesField::kTimestamp)) {
    Result<int64_t> ts = ParseIso8601Micros(r.text[static_cast<size_t>(SalesField::kTimestamp)]);
    if (!ts.ok()) {
      r.valid &= ~Bit(SalesField::kTimestamp);
      fail(kBadTimestamp, fmt::format("field 'timestamp': {}", ts.status().message()));
    } else {
      r.timestamp_micros = *ts;
    }
  }
  Judge(&r);
  return r;
}

void SalesValidator::Judge(ParsedSale* sale) const {
  ParsedSale& r = *sale;
  auto fail = [&r](Reason reason, std::string detail) {
    if (r.detail.empty()) r.detail = std::move(detail);
    r.reasons |= reason;
  };
  if (r.has(SalesField::kTimestamp) &&
      r.timestamp_micros > options_.now_micros + options_.future_tolerance_micros) {
    fail(kFutureTimestamp, fmt::format("field 'timestamp' {} is in the future (now is {})",
                                       FormatIso8601Local(r.timestamp_micros),
                                       FormatIso8601Local(options_.now_micros)));
  }
  if (r.has(SalesField::kQuantity) && r.quantity <= 0) {
    fail(kNonPositiveQuantity,
         fmt::format("field 'quantity' is {}: must be at least 1", r.quantity));
  }
  if (r.has(SalesField::kQuantity) && r.has(SalesField::kMrp) && r.has(SalesField::kTotal)) {
    __int128 want = static_cast<__int128>(r.mrp_paise) * r.quantity;
    if (want != r.total_paise) {
      fail(kTotalMismatch, fmt::format("total {} is not mrp {} x quantity {}",
                                       FormatScaledDecimal(r.total_paise, 2),
                                       FormatScaledDecimal(r.mrp_paise, 2), r.quantity));
    }
  }
  if (r.has(SalesField::kCustomerEmail) &&
      !IsPlausibleEmail(r.text[static_cast<size_t>(SalesField::kCustomerEmail)])) {
    fail(kBadEmail,
         fmt::format("customer_email '{}' is not a valid address",
                     r.text[static_cast<size_t>(SalesField::kCustomerEmail)].substr(0, 80)));
  }
  if (const ReferenceCatalog* ref = options_.reference) {
    auto text = [&r](SalesField f) { return r.text[static_cast<size_t>(f)]; };
    if (r.has(SalesField::kStoreId)) {
      const Store* s = ref->FindStore(text(SalesField::kStoreId));
      if (s == nullptr) {
        fail(kUnknownStore, fmt::format("store_id '{}' is not in the reference catalog",
                                        text(SalesField::kStoreId).substr(0, 64)));
      } else if ((r.has(SalesField::kStoreName) && text(SalesField::kStoreName) != s->store_name) ||
                 (r.has(SalesField::kStoreLocation) &&
                  text(SalesField::kStoreLocation) != s->location)) {
        fail(kStoreMismatch, fmt::format("store_name/store_location do not match store_id '{}' "
                                         "('{}', {})",
                                         s->store_id, s->store_name, s->location));
      }
    }
    if (r.has(SalesField::kProductId)) {
      const Product* p = ref->FindProduct(text(SalesField::kProductId));
      if (p == nullptr) {
        fail(kUnknownProduct, fmt::format("product_id '{}' is not in the reference catalog",
                                          text(SalesField::kProductId).substr(0, 64)));
      } else if ((r.has(SalesField::kProductName) &&
                  text(SalesField::kProductName) != p->product_name) ||
                 (r.has(SalesField::kCategory) && text(SalesField::kCategory) != p->category) ||
                 (r.has(SalesField::kBrand) && text(SalesField::kBrand) != p->brand) ||
                 (r.has(SalesField::kMrp) && r.mrp_paise != p->mrp_rupees * 100) ||
                 (r.has(SalesField::kRetailPrice) &&
                  r.retail_price_paise != p->retail_price_paise)) {
        fail(kProductMismatch, fmt::format("product fields do not match product_id '{}' ('{}')",
                                           p->product_id, p->product_name));
      }
    }
  }
}

}  // namespace saleslake::table

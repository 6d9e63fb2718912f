#include "generator/dirty_records.h"

#include <fmt/format.h>

#include "base/clock.h"
#include "base/decimal.h"
#include "base/json_writer.h"
#include "generator/sale_time.h"

namespace saleslake::generator {
namespace {

constexpr std::array<std::string_view, kDirtyKindCount> kNames = {
    "missing_field",       "null_value",       "wrong_type",
    "bad_timestamp",       "future_timestamp", "non_positive_quantity",
    "total_mismatch",      "unknown_store",    "unknown_product",
    "store_name_mismatch", "bad_email",        "duplicate_identical",
    "duplicate_conflict",  "oversized_field",  "invalid_utf8",
    "not_an_object",       "extra_field",
};

std::string Quote(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

// The text of a JSON string value we wrote ourselves (no escapes in names, ids or e-mails).
std::string_view Unquote(std::string_view json) {
  return json.size() >= 2 ? json.substr(1, json.size() - 2) : json;
}

template <size_t N>
std::string_view Pick(Rng& rng, const std::array<std::string_view, N>& options) {
  return options[rng.Below(N)];
}

int64_t MicrosOfDay(int64_t micros) {
  constexpr int64_t kDay = 86'400'000'000;
  return ((micros % kDay) + kDay) % kDay;
}

}  // namespace

std::string_view DirtyKindName(DirtyKind kind) { return kNames[static_cast<int>(kind)]; }
const std::array<std::string_view, kDirtyKindCount>& AllDirtyKindNames() { return kNames; }

DirtyRecordMaker::DirtyRecordMaker(const SaleWriter& writer, const SaleSampler& sampler,
                                   int64_t now_micros)
    : writer_(writer), sampler_(sampler), now_micros_(now_micros) {}

std::string* DirtyRecordMaker::Value(Fields* fields, std::string_view name) {
  for (auto& [key, value] : *fields) {
    if (key == name) return &value;
  }
  return nullptr;  // unreachable: Fields() always has all 15
}

DirtyKind DirtyRecordMaker::Make(Rng& rng, std::string* out) {
  auto kind = static_cast<DirtyKind>(rng.Below(kDirtyKindCount));
  const bool is_duplicate =
      kind == DirtyKind::kDuplicateIdentical || kind == DirtyKind::kDuplicateConflict;
  if (is_duplicate && remembered_ == 0) {
    // Nothing to repeat yet: the first records cannot be duplicates. Take another kind.
    kind = static_cast<DirtyKind>(rng.Below(kDirtyKindCount - 2));
    if (kind >= DirtyKind::kDuplicateIdentical) {
      kind = static_cast<DirtyKind>(static_cast<int>(kind) + 2);
    }
  }
  out->clear();
  if (kind == DirtyKind::kDuplicateIdentical || kind == DirtyKind::kDuplicateConflict) {
    const uint64_t available = std::min<uint64_t>(remembered_, kRecent);
    Sale sale = recent_[rng.Below(available)];
    if (kind == DirtyKind::kDuplicateConflict) {
      // Same id and sale time (so it meets its original in the same day partition), other content.
      if (rng.Below(2) == 0) {
        sale.quantity = static_cast<uint8_t>(sale.quantity % 3 + 1);
      } else {
        sale.customer.first =
            static_cast<uint16_t>((sale.customer.first + 1) % FirstNames().size());
      }
    }
    out->resize(writer_.max_record_bytes());
    char* end = writer_.Write(sale, out->data());
    out->resize(static_cast<size_t>(end - out->data()));
    return kind;
  }
  const Sale sale = sampler_.Draw(rng);
  Fields fields = writer_.Fields(sale);
  if (kind == DirtyKind::kNotAnObject) {
    static constexpr std::array<std::string_view, 4> kScalars = {"null", "42", "true", "\"N/A\""};
    switch (rng.Below(3)) {
      case 0: {  // the record double-encoded: a JSON string holding JSON
        std::string record = "{";
        for (const auto& [key, value] : fields) {
          if (record.size() > 1) record.push_back(',');
          AppendJsonString(&record, key);
          record.push_back(':');
          record += value;
        }
        record.push_back('}');
        AppendJsonString(out, record);
        break;
      }
      case 1: {  // the values without their names
        out->push_back('[');
        for (const auto& [key, value] : fields) {
          if (out->size() > 1) out->push_back(',');
          *out += value;
        }
        out->push_back(']');
        break;
      }
      default:
        *out = Pick(rng, kScalars);
        break;
    }
    return kind;
  }
  Damage(kind, sale, rng, &fields);
  out->push_back('{');
  for (const auto& [key, value] : fields) {
    if (out->size() > 1) out->push_back(',');
    AppendJsonString(out, key);
    out->push_back(':');
    *out += value;
  }
  out->push_back('}');
  return kind;
}

void DirtyRecordMaker::Damage(DirtyKind kind, const Sale& sale, Rng& rng, Fields* fields) {
  const Catalog& catalog = writer_.catalog();
  const table::Product& product = catalog.products()[sale.product];
  const table::Store& store = catalog.stores()[sale.store];
  const CivilDate date = CivilFromDays(sale.timestamp_micros / 86'400'000'000);
  switch (kind) {
    case DirtyKind::kMissingField:
      fields->erase(fields->begin() + static_cast<long>(rng.Below(fields->size())));
      break;
    case DirtyKind::kNullValue:
      (*fields)[rng.Below(fields->size())].second = "null";
      break;
    case DirtyKind::kWrongType: {
      const std::string number_as_text = Quote(*Value(fields, "quantity"));
      switch (rng.Below(8)) {
        case 0:
          *Value(fields, "quantity") = number_as_text;
          break;
        case 1:
          *Value(fields, "mrp") = Quote(*Value(fields, "mrp"));
          break;
        case 2:
          *Value(fields, "total") = Quote(*Value(fields, "total"));
          break;
        case 3:
          *Value(fields, "retail_price") = Quote(*Value(fields, "retail_price"));
          break;
        case 4:
          *Value(fields, "timestamp") = std::to_string(sale.timestamp_micros / 1'000'000);
          break;
        case 5:
          *Value(fields, "store_id") = std::to_string(sale.store + 1);
          break;
        case 6:
          *Value(fields, "quantity") = "true";
          break;
        default: {
          const Customer& c = sale.customer;
          *Value(fields, "customer_name") =
              fmt::format("[{},{}]", Quote(FirstNames()[c.first]), Quote(LastNames()[c.last]));
          break;
        }
      }
      break;
    }
    case DirtyKind::kBadTimestamp: {
      const int64_t tod = MicrosOfDay(sale.timestamp_micros) / 1'000'000;
      const int hh = static_cast<int>(tod / 3600), mm = static_cast<int>(tod / 60 % 60);
      std::string text;
      switch (rng.Below(7)) {
        case 0:
          text = fmt::format("{:04}-02-30T{:02}:{:02}:00", date.year, hh, mm);
          break;
        case 1:
          text =
              fmt::format("{:02}/{:02}/{:04} {:02}:{:02}", date.day, date.month, date.year, hh, mm);
          break;
        case 2:
          text = fmt::format("{:04}-{:02}-{:02}T25:{:02}:00", date.year, date.month, date.day, mm);
          break;
        case 3:
          text = fmt::format("{:04}-13-{:02}T{:02}:{:02}:00", date.year, date.day, hh, mm);
          break;
        case 4:
          text = std::to_string(sale.timestamp_micros / 1'000'000);
          break;
        case 5:
          text = "yesterday evening";
          break;
        default:
          text = "";
          break;
      }
      *Value(fields, "timestamp") = Quote(text);
      break;
    }
    case DirtyKind::kFutureTimestamp: {
      // A clock set wrong at a till: minutes to a month ahead.
      const int64_t ahead = rng.Between(60'000'000, 30LL * 86'400'000'000);
      char buffer[kTimestampMaxBytes];
      char* end = WriteIsoTimestamp(now_micros_ + ahead, buffer);
      *Value(fields, "timestamp") = Quote(std::string_view(buffer, end - buffer));
      break;
    }
    case DirtyKind::kNonPositiveQuantity: {
      const int64_t quantity = -static_cast<int64_t>(rng.Below(4));  // 0, -1, -2, -3
      *Value(fields, "quantity") = std::to_string(quantity);
      *Value(fields, "total") = std::to_string(product.mrp_rupees * quantity);
      break;
    }
    case DirtyKind::kTotalMismatch: {
      const int64_t right_paise = product.mrp_rupees * sale.quantity * 100;
      int64_t wrong_paise = 0;
      switch (rng.Below(4)) {
        case 0:
          wrong_paise = right_paise + rng.Between(1, 999) * 100;
          break;  // a typo
        case 1:
          wrong_paise = product.retail_price_paise * sale.quantity;
          break;  // wrong price
        case 2:
          wrong_paise = product.mrp_rupees * (sale.quantity + 1) * 100;
          break;
        default:
          wrong_paise = right_paise + 50;
          break;  // stray paise
      }
      if (wrong_paise == right_paise) wrong_paise += 100;
      *Value(fields, "total") = wrong_paise % 100 == 0 ? std::to_string(wrong_paise / 100)
                                                       : FormatScaledDecimal(wrong_paise, 2);
      break;
    }
    case DirtyKind::kUnknownStore: {
      std::string id = fmt::format("S9{:03}", rng.Below(1000));
      while (catalog.FindStore(id) != nullptr) id += 'X';
      *Value(fields, "store_id") = Quote(id);
      *Value(fields, "store_name") = Quote(fmt::format("Pop-up Kiosk {}", rng.Below(100) + 1));
      break;
    }
    case DirtyKind::kUnknownProduct: {
      std::string id = fmt::format("P9{:04}", rng.Below(10000));
      while (catalog.FindProduct(id) != nullptr) id += 'X';
      *Value(fields, "product_id") = Quote(id);
      *Value(fields, "product_name") =
          Quote(fmt::format("{} Clearance Lot {}", product.brand, rng.Below(100) + 1));
      break;
    }
    case DirtyKind::kStoreNameMismatch: {
      const auto& stores = catalog.stores();
      std::string name = store.store_name + " Annexe";  // when no other store has another name
      for (size_t tries = 0; tries < 8; ++tries) {
        const table::Store& other = stores[rng.Below(stores.size())];
        if (other.store_name != store.store_name) {
          name = other.store_name;
          break;
        }
      }
      *Value(fields, "store_name") = Quote(name);
      break;
    }
    case DirtyKind::kBadEmail: {
      std::string email(Unquote(*Value(fields, "customer_email")));
      const size_t at = email.find('@');
      const std::string local = email.substr(0, at), domain = email.substr(at + 1);
      switch (rng.Below(7)) {
        case 0:
          email = local + domain;
          break;  // '@' lost
        case 1:
          email = local + "@";
          break;  // no domain
        case 2:
          email = "@" + domain;
          break;  // no local part
        case 3:
          email = local + "@@" + domain;
          break;  // doubled '@'
        case 4:
          email = local.substr(0, 1) + " " + local.substr(1) + "@" + domain;
          break;
        case 5:
          email = local + "@" + domain.substr(0, domain.find('.'));
          break;  // no TLD
        default:
          email = local.substr(0, 1) + ".." + local.substr(1) + "@" + domain;
          break;
      }
      *Value(fields, "customer_email") = Quote(email);
      break;
    }
    case DirtyKind::kOversizedField: {
      const std::string name(Unquote(*Value(fields, "customer_name")));
      std::string big;
      big.reserve(kOversizedFieldBytes + name.size() + 1);
      while (big.size() < kOversizedFieldBytes) big += name + " ";
      big.resize(kOversizedFieldBytes);
      *Value(fields, "customer_name") = Quote(big);
      break;
    }
    case DirtyKind::kInvalidUtf8: {
      // Escapes a strict decoder must refuse: UTF-16 surrogates that do not form a pair.
      static constexpr std::array<std::string_view, 3> kBroken = {"\\ud800", "\\udc00",
                                                                  "\\ud83d\\u0041"};
      const Customer& c = sale.customer;
      *Value(fields, "customer_name") = fmt::format("\"{} {}{}\"", FirstNames()[c.first],
                                                    Pick(rng, kBroken), LastNames()[c.last]);
      break;
    }
    case DirtyKind::kExtraField: {
      static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kExtras = {{
          {"discount_code", "\"FESTIVE10\""},
          {"loyalty_points", "120"},
          {"payment_mode", "\"UPI\""},
          {"salesperson_id", "\"E0417\""},
      }};
      const auto& [key, value] = kExtras[rng.Below(kExtras.size())];
      fields->emplace_back(std::string(key), std::string(value));
      break;
    }
    case DirtyKind::kDuplicateIdentical:
    case DirtyKind::kDuplicateConflict:
    case DirtyKind::kNotAnObject:
      break;  // handled in Make
  }
}

}  // namespace saleslake::generator

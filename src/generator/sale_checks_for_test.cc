#include "generator/sale_checks_for_test.h"

#include <array>
#include <cmath>

#include "base/clock.h"
#include "table/sales_record.h"

namespace saleslake::generator::testing_support {
namespace {

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool IsLocalChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+' ||
         c == '-';
}

}  // namespace

std::vector<std::string> SplitRecords(std::string_view output) {
  std::vector<std::string> records;
  size_t start = 0;
  while (start < output.size()) {
    size_t end = output.find('\n', start);
    if (end == std::string_view::npos) end = output.size();
    std::string_view line = output.substr(start, end - start);
    start = end + 1;
    if (line == "[" || line == "]" || line == "]}" || line == "{\"statusCode\":200,\"body\":[" ||
        line == "[]" || line == "{\"statusCode\":200,\"body\":[]}" || line.empty()) {
      continue;
    }
    if (line.back() == ',') line.remove_suffix(1);
    records.emplace_back(line);
  }
  return records;
}

bool IsUuidV4(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!IsHex(s[i])) {
      return false;
    }
  }
  return s[14] == '4' && (s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b');
}

bool IsPlausibleEmail(std::string_view s) {
  const size_t at = s.find('@');
  if (at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) return false;
  const std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
  if (local.empty() || local.front() == '.' || local.back() == '.') return false;
  if (local.find("..") != std::string_view::npos) return false;
  for (char c : local) {
    if (!IsLocalChar(c)) return false;
  }
  const size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) return false;
  if (domain.find("..") != std::string_view::npos || domain.front() == '.') return false;
  for (char c : domain) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  }
  return true;
}

std::string RecordClassifier::Classify(const std::string& record, std::string* problem) {
  simdjson::dom::element root;
  if (auto error = parser_.parse(record).get(root); error) {
    // Lone surrogates are the one defect that stops a strict parser inside a string.
    if (error == simdjson::STRING_ERROR && record.find("\\ud") != std::string::npos) {
      return "invalid_utf8";
    }
    *problem = std::string("does not parse: ") + simdjson::error_message(error);
    return "unparseable";
  }
  simdjson::dom::object object;
  if (root.get_object().get(object)) return "not_an_object";
  std::string_view id;
  if (!object["transaction_id"].get_string().get(id)) {
    auto [it, inserted] = seen_.emplace(std::string(id), record);
    if (!inserted) return it->second == record ? "duplicate_identical" : "duplicate_conflict";
  }
  return ClassifyObject(object, problem);
}

std::string RecordClassifier::ClassifyObject(simdjson::dom::object object, std::string* problem) {
  size_t known = 0, total = 0;
  for (auto [key, value] : object) {
    ++total;
    if (table::SalesFieldFromName(key)) ++known;
  }
  if (known < total) return "extra_field";
  if (known < table::kSalesFieldCount) return "missing_field";
  for (auto [key, value] : object) {
    if (value.is_null()) return "null_value";
  }
  for (const table::SalesFieldInfo& f : table::SalesFields()) {
    simdjson::dom::element v = object[f.name].value_unsafe();
    const bool ok = f.json_type == table::SalesJsonType::kString    ? v.is_string()
                    : f.json_type == table::SalesJsonType::kInteger ? v.is_int64()
                                                                    : v.is_number();
    if (!ok) return "wrong_type";
    if (v.is_string() && v.get_string().value_unsafe().size() > 65'536) return "oversized_field";
  }
  auto str = [&](const char* name) { return object[name].get_string().value_unsafe(); };
  auto num = [&](const char* name) { return object[name].get_double().value_unsafe(); };
  Result<int64_t> ts = ParseIso8601Micros(str("timestamp"));
  if (!ts.ok()) return "bad_timestamp";
  if (*ts > now_) return "future_timestamp";
  const int64_t quantity = object["quantity"].get_int64().value_unsafe();
  if (quantity <= 0) return "non_positive_quantity";
  const int64_t mrp = object["mrp"].get_int64().value_unsafe();
  if (num("total") != static_cast<double>(mrp * quantity)) return "total_mismatch";
  const table::Store* store = catalog_.FindStore(str("store_id"));
  if (store == nullptr) return "unknown_store";
  const table::Product* product = catalog_.FindProduct(str("product_id"));
  if (product == nullptr) return "unknown_product";
  if (store->store_name != str("store_name")) return "store_name_mismatch";
  if (!IsPlausibleEmail(str("customer_email"))) return "bad_email";

  // Clean: everything else must hold.
  auto fail = [&](std::string why) {
    *problem = std::move(why);
    return std::string("clean");
  };
  if (!IsUuidV4(str("transaction_id"))) return fail("transaction_id is not a UUID v4");
  if (*ts < now_ - days_ * int64_t{86'400'000'000}) return fail("timestamp before the window");
  const int64_t local_minute =
      (((*ts + int64_t{offset_} * 1'000'000) / 60'000'000) % 1440 + 1440) % 1440;
  if (local_minute < 600 || local_minute >= 1290) return fail("timestamp outside store hours");
  if (quantity > 3) return fail("quantity above 3");
  if (store->location != str("store_location")) return fail("store_location does not match");
  if (product->product_name != str("product_name") || product->category != str("category") ||
      product->brand != str("brand")) {
    return fail("product fields do not match the catalog");
  }
  if (product->mrp_rupees != mrp) return fail("mrp does not match the catalog");
  if (std::llround(num("retail_price") * 100) != product->retail_price_paise) {
    return fail("retail_price does not match the catalog");
  }
  if (product->retail_price_paise >= mrp * 100) return fail("retail_price not below mrp");
  const std::string_view name = str("customer_name");
  if (name.size() < 5 || name.find(' ') == std::string_view::npos) {
    return fail("customer_name is not 'First Last'");
  }
  return "clean";
}

}  // namespace saleslake::generator::testing_support

#include "table/reference_catalog.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <array>
#include <cstdio>
#include <memory>
#include <optional>

#include "base/decimal.h"
#include "base/strings.h"

namespace saleslake::table {
namespace {

namespace od = simdjson::ondemand;

// One field of a catalog entry: where the parsed value goes, and how to read it.
enum class FieldKind { kString, kPaise, kRupees };
struct FieldSpec {
  std::string_view name;
  FieldKind kind;
};

// Builds "<source>: entry [i], field "f": what" — the one shape of every catalog error.
class EntryErrors {
 public:
  explicit EntryErrors(std::string_view source) : source_(source) {}
  Status File(std::string_view what) const {
    return Status::InvalidArgument(fmt::format("{}: {}", source_, what));
  }
  Status Entry(size_t index, std::string_view what) const {
    return Status::InvalidArgument(fmt::format("{}: entry [{}]: {}", source_, index, what));
  }
  Status Field(size_t index, std::string_view field, std::string_view what) const {
    return Status::InvalidArgument(
        fmt::format("{}: entry [{}], field \"{}\": {}", source_, index, field, what));
  }

 private:
  std::string_view source_;
};

std::string_view JsonTypeName(od::json_type t) {
  switch (t) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "an unknown value";
}

// Walks a top-level JSON array of flat objects, handing each entry's wanted fields (as strings,
// or as exact scaled integers for money) to `on_entry`. Unknown keys are ignored; duplicate and
// missing keys are errors.
template <size_t N, typename OnEntry>
Status ParseEntries(std::string_view json, std::string_view source,
                    const std::array<FieldSpec, N>& specs, OnEntry on_entry) {
  EntryErrors err(source);
  if (json.size() > kMaxCatalogFileBytes) {
    return err.File(fmt::format("file is larger than {} bytes", kMaxCatalogFileBytes));
  }
  simdjson::padded_string padded(json);
  {
    // On-demand parsing validates only what it visits; a full DOM pass first catches every
    // syntax error (including trailing garbage) before we read any value.
    simdjson::dom::parser validator;
    simdjson::dom::element ignored;
    if (auto e = validator.parse(padded).get(ignored); e) {
      return err.File(fmt::format("not valid JSON: {}", simdjson::error_message(e)));
    }
  }
  od::parser parser;
  od::document doc;
  if (auto e = parser.iterate(padded).get(doc); e) {
    return err.File(fmt::format("not valid JSON: {}", simdjson::error_message(e)));
  }
  od::array entries;
  if (auto e = doc.get_array().get(entries); e) {
    return err.File("expected a JSON array of objects at the top level");
  }
  size_t index = 0;
  for (auto element : entries) {
    od::value value;
    if (auto e = std::move(element).get(value); e) {
      return err.Entry(index, fmt::format("not valid JSON: {}", simdjson::error_message(e)));
    }
    od::object object;
    if (value.get_object().get(object)) return err.Entry(index, "expected an object");
    if (index >= kMaxCatalogEntries) {
      return err.File(fmt::format("more than {} entries", kMaxCatalogEntries));
    }
    std::array<std::optional<std::string>, N> strings;
    std::array<int64_t, N> numbers{};
    std::array<bool, N> seen{};
    for (auto member : object) {
      od::field field;
      std::string_view key;
      if (std::move(member).get(field) || field.unescaped_key().get(key)) {
        return err.Entry(index, "malformed key (not valid JSON)");
      }
      size_t k = 0;
      while (k < N && specs[k].name != key) ++k;
      if (k == N) continue;  // not ours: on-demand iteration skips the value
      if (seen[k]) return err.Field(index, key, "appears twice");
      seen[k] = true;
      od::json_type type;
      if (field.value().type().get(type)) return err.Field(index, key, "value is not valid JSON");
      if (specs[k].kind == FieldKind::kString) {
        std::string_view text;
        if (type != od::json_type::string) {
          return err.Field(index, key, fmt::format("must be a string, got {}", JsonTypeName(type)));
        }
        if (field.value().get_string().get(text)) {
          return err.Field(index, key, "string is not valid (bad escape or UTF-8)");
        }
        if (text.empty()) return err.Field(index, key, "must not be empty");
        if (text.size() > kMaxCatalogStringBytes) {
          return err.Field(index, key, fmt::format("longer than {} bytes", kMaxCatalogStringBytes));
        }
        strings[k] = std::string(text);
        continue;
      }
      if (type != od::json_type::number) {
        return err.Field(index, key, fmt::format("must be a number, got {}", JsonTypeName(type)));
      }
      // The number's own text, so that money is read exactly (never through a double).
      const std::string_view token = TrimRight(field.value().raw_json_token());
      const bool paise = specs[k].kind == FieldKind::kPaise;
      Result<int64_t> scaled = ParseScaledDecimal(token, paise ? 2 : 0);
      if (!scaled.ok()) {
        return err.Field(index, key,
                         fmt::format("{}, got {}",
                                     paise ? "must be rupees with at most 2 decimals (paise)"
                                           : "must be a whole number of rupees",
                                     token.substr(0, 40)));
      }
      if (*scaled < 0)
        return err.Field(index, key, fmt::format("must not be negative, got {}", token));
      numbers[k] = *scaled;
    }
    for (size_t k = 0; k < N; ++k) {
      if (!seen[k]) return err.Field(index, specs[k].name, "missing");
    }
    SL_RETURN_IF_ERROR(on_entry(index, strings, numbers));
    ++index;
  }
  if (index == 0) return err.File("the array is empty");
  return Status::OK();
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    return Status::NotFound(fmt::format("{}: cannot open (does the file exist?)", path));
  }
  std::string data;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    data.append(buffer, n);
    if (data.size() > kMaxCatalogFileBytes) {
      return Status::InvalidArgument(
          fmt::format("{}: file is larger than {} bytes", path, kMaxCatalogFileBytes));
    }
  }
  if (std::ferror(file.get())) return Status::IOError(fmt::format("{}: read failed", path));
  return data;
}

}  // namespace

Result<std::vector<Product>> ParseProductsJson(std::string_view json, std::string_view source) {
  static constexpr std::array<FieldSpec, 6> kSpecs = {{{"product_id", FieldKind::kString},
                                                       {"product_name", FieldKind::kString},
                                                       {"category", FieldKind::kString},
                                                       {"brand", FieldKind::kString},
                                                       {"retail_price", FieldKind::kPaise},
                                                       {"mrp", FieldKind::kRupees}}};
  EntryErrors err(source);
  std::vector<Product> products;
  SL_RETURN_IF_ERROR(
      ParseEntries(json, source, kSpecs, [&](size_t index, auto& strings, auto& numbers) -> Status {
        Product p{std::move(*strings[0]),
                  std::move(*strings[1]),
                  std::move(*strings[2]),
                  std::move(*strings[3]),
                  numbers[4],
                  numbers[5]};
        if (p.mrp_rupees == 0 || p.mrp_rupees > kMaxMrpRupees) {
          return err.Field(
              index, "mrp",
              fmt::format("must be between 1 and {} rupees, got {}", kMaxMrpRupees, p.mrp_rupees));
        }
        products.push_back(std::move(p));
        return Status::OK();
      }));
  return products;
}

Result<std::vector<Store>> ParseStoresJson(std::string_view json, std::string_view source) {
  static constexpr std::array<FieldSpec, 3> kSpecs = {{{"store_id", FieldKind::kString},
                                                       {"store_name", FieldKind::kString},
                                                       {"location", FieldKind::kString}}};
  std::vector<Store> stores;
  SL_RETURN_IF_ERROR(
      ParseEntries(json, source, kSpecs, [&](size_t, auto& strings, auto&) -> Status {
        stores.push_back(
            Store{std::move(*strings[0]), std::move(*strings[1]), std::move(*strings[2])});
        return Status::OK();
      }));
  return stores;
}

Result<std::vector<Product>> LoadProductsFile(const std::string& path) {
  SL_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(path));
  return ParseProductsJson(data, path);
}

Result<std::vector<Store>> LoadStoresFile(const std::string& path) {
  SL_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(path));
  return ParseStoresJson(data, path);
}

Result<ReferenceCatalog> LoadReferenceCatalog(const std::string& products_path,
                                              const std::string& stores_path) {
  SL_ASSIGN_OR_RETURN(std::vector<Product> products, LoadProductsFile(products_path));
  SL_ASSIGN_OR_RETURN(std::vector<Store> stores, LoadStoresFile(stores_path));
  Result<ReferenceCatalog> catalog =
      ReferenceCatalog::Create(std::move(products), std::move(stores));
  if (!catalog.ok()) {
    return catalog.status().WithContext(fmt::format("{} + {}", products_path, stores_path));
  }
  return catalog;
}

Result<ReferenceCatalog> ReferenceCatalog::Create(std::vector<Product> products,
                                                  std::vector<Store> stores) {
  if (products.empty()) return Status::InvalidArgument("the catalog has no products");
  if (stores.empty()) return Status::InvalidArgument("the catalog has no stores");
  ReferenceCatalog c;
  for (size_t i = 0; i < products.size(); ++i) {
    const Product& p = products[i];
    if (p.product_id.empty() || p.product_name.empty() || p.category.empty() || p.brand.empty()) {
      return Status::InvalidArgument(fmt::format("product [{}] has an empty field", i));
    }
    if (p.mrp_rupees <= 0 || p.mrp_rupees > kMaxMrpRupees || p.retail_price_paise < 0) {
      return Status::InvalidArgument(
          fmt::format("product {} has prices out of range", p.product_id));
    }
    if (!c.product_index_.emplace(p.product_id, i).second) {
      return Status::InvalidArgument(
          fmt::format("product_id {} appears twice (entries [{}] and [{}])", p.product_id,
                      c.product_index_.find(p.product_id)->second, i));
    }
  }
  for (size_t i = 0; i < stores.size(); ++i) {
    const Store& s = stores[i];
    if (s.store_id.empty() || s.store_name.empty() || s.location.empty()) {
      return Status::InvalidArgument(fmt::format("store [{}] has an empty field", i));
    }
    if (!c.store_index_.emplace(s.store_id, i).second) {
      return Status::InvalidArgument(
          fmt::format("store_id {} appears twice (entries [{}] and [{}])", s.store_id,
                      c.store_index_.find(s.store_id)->second, i));
    }
  }
  c.products_ = std::move(products);
  c.stores_ = std::move(stores);
  return c;
}

const Product* ReferenceCatalog::FindProduct(std::string_view product_id) const {
  auto it = product_index_.find(product_id);
  return it == product_index_.end() ? nullptr : &products_[it->second];
}

const Store* ReferenceCatalog::FindStore(std::string_view store_id) const {
  auto it = store_index_.find(store_id);
  return it == store_index_.end() ? nullptr : &stores_[it->second];
}

}  // namespace saleslake::table

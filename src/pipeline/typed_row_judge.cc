#include "pipeline/typed_row_judge.h"

namespace saleslake::pipeline {
namespace {

using table::SalesField;

constexpr std::array<SalesField, 7> kCatalogFields = {
    SalesField::kStoreId,   SalesField::kStoreName,   SalesField::kStoreLocation,
    SalesField::kProductId, SalesField::kProductName, SalesField::kCategory,
    SalesField::kBrand};
enum CatalogColumn {
  kStoreId,
  kStoreName,
  kStoreLocation,
  kProductId,
  kProductName,
  kCategory,
  kBrand
};

constexpr int Col(SalesField f) { return static_cast<int>(f); }

// The number of `value` among the distinct values of `ids`, numbering it when it is new.
int32_t Intern(std::unordered_map<std::string_view, int32_t>* ids, std::string_view value) {
  return ids->emplace(value, static_cast<int32_t>(ids->size())).first->second;
}

}  // namespace

TypedRowJudge::TypedRowJudge(const table::ValidationOptions& options)
    : catalog_(options.reference),
      latest_micros_(options.now_micros + options.future_tolerance_micros) {
  if (catalog_ == nullptr) return;
  const auto& stores = catalog_->stores();
  for (size_t s = 0; s < stores.size(); ++s) {
    ids_[kStoreId].emplace(stores[s].store_id, static_cast<int32_t>(s));
    store_name_.push_back(Intern(&ids_[kStoreName], stores[s].store_name));
    store_location_.push_back(Intern(&ids_[kStoreLocation], stores[s].location));
  }
  const auto& products = catalog_->products();
  for (size_t p = 0; p < products.size(); ++p) {
    ids_[kProductId].emplace(products[p].product_id, static_cast<int32_t>(p));
    product_name_.push_back(Intern(&ids_[kProductName], products[p].product_name));
    category_.push_back(Intern(&ids_[kCategory], products[p].category));
    brand_.push_back(Intern(&ids_[kBrand], products[p].brand));
    mrp_paise_.push_back(products[p].mrp_rupees * 100);
    retail_paise_.push_back(products[p].retail_price_paise);
  }
}

void TypedRowJudge::Prepare(const std::vector<parquet::ColumnVector>& cols) {
  if (catalog_ != nullptr) {
    for (int k = 0; k < kCatalogColumns; ++k) {
      const parquet::ColumnVector& col = cols[static_cast<size_t>(Col(kCatalogFields[k]))];
      std::vector<int32_t>& codes = codes_[static_cast<size_t>(k)];
      codes.clear();
      if (!col.is_dictionary()) continue;
      const Ids& ids = ids_[static_cast<size_t>(k)];
      for (std::string_view value : col.dictionary->binaries) {
        auto it = ids.find(value);
        codes.push_back(it == ids.end() ? -1 : it->second);
      }
    }
  }
  email_ok_.clear();
  const parquet::ColumnVector& email = cols[Col(SalesField::kCustomerEmail)];
  if (email.is_dictionary()) {
    for (std::string_view value : email.dictionary->binaries) {
      email_ok_.push_back(table::IsPlausibleEmail(value) ? 1 : 0);
    }
  }
}

int32_t TypedRowJudge::Code(int k, const parquet::ColumnVector& col, int64_t i) const {
  if (col.is_dictionary()) {
    const std::vector<int32_t>& codes = codes_[static_cast<size_t>(k)];
    const uint32_t index = col.indices[static_cast<size_t>(i)];
    return index < codes.size() ? codes[index] : -1;
  }
  const Ids& ids = ids_[static_cast<size_t>(k)];
  auto it = ids.find(col.binaries[static_cast<size_t>(i)]);
  return it == ids.end() ? -1 : it->second;
}

bool TypedRowJudge::Clean(const std::vector<parquet::ColumnVector>& cols, int64_t i,
                          uint32_t* store, uint32_t* product) const {
  for (int f = 0; f < table::kSalesFieldCount; ++f) {
    if (cols[static_cast<size_t>(f)].IsNull(i)) return false;
  }
  const size_t r = static_cast<size_t>(i);
  const int64_t quantity = cols[Col(SalesField::kQuantity)].int32s[r];
  const int64_t mrp = cols[Col(SalesField::kMrp)].int64s[r];
  if (cols[Col(SalesField::kTimestamp)].int64s[r] > latest_micros_ || quantity <= 0 ||
      static_cast<__int128>(mrp) * quantity != cols[Col(SalesField::kTotal)].int64s[r]) {
    return false;
  }
  const parquet::ColumnVector& email = cols[Col(SalesField::kCustomerEmail)];
  if (email.is_dictionary()) {
    const uint32_t index = email.indices[r];
    if (index >= email_ok_.size() || email_ok_[index] == 0) return false;
  } else if (!table::IsPlausibleEmail(email.binaries[r])) {
    return false;
  }
  *store = *product = 0;
  if (catalog_ == nullptr) return true;
  auto code = [&](int k) { return Code(k, cols[static_cast<size_t>(Col(kCatalogFields[k]))], i); };
  const int32_t s = code(kStoreId);
  if (s < 0 || code(kStoreName) != store_name_[static_cast<size_t>(s)] ||
      code(kStoreLocation) != store_location_[static_cast<size_t>(s)]) {
    return false;
  }
  const int32_t p = code(kProductId);
  if (p < 0) return false;
  const size_t pi = static_cast<size_t>(p);
  if (code(kProductName) != product_name_[pi] || code(kCategory) != category_[pi] ||
      code(kBrand) != brand_[pi] || mrp != mrp_paise_[pi] ||
      cols[Col(SalesField::kRetailPrice)].int64s[r] != retail_paise_[pi]) {
    return false;
  }
  *store = static_cast<uint32_t>(s);
  *product = static_cast<uint32_t>(p);
  return true;
}

}  // namespace saleslake::pipeline

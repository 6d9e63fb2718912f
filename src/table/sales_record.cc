#include "table/sales_record.h"

namespace saleslake::table {

const std::array<SalesFieldInfo, kSalesFieldCount>& SalesFields() {
  static constexpr std::array<SalesFieldInfo, kSalesFieldCount> kFields = {{
      {SalesField::kTransactionId, "transaction_id", SalesJsonType::kString},
      {SalesField::kTimestamp, "timestamp", SalesJsonType::kString},
      {SalesField::kStoreId, "store_id", SalesJsonType::kString},
      {SalesField::kStoreName, "store_name", SalesJsonType::kString},
      {SalesField::kStoreLocation, "store_location", SalesJsonType::kString},
      {SalesField::kProductId, "product_id", SalesJsonType::kString},
      {SalesField::kProductName, "product_name", SalesJsonType::kString},
      {SalesField::kCategory, "category", SalesJsonType::kString},
      {SalesField::kBrand, "brand", SalesJsonType::kString},
      {SalesField::kRetailPrice, "retail_price", SalesJsonType::kDecimal},
      {SalesField::kQuantity, "quantity", SalesJsonType::kInteger},
      {SalesField::kMrp, "mrp", SalesJsonType::kInteger},
      {SalesField::kTotal, "total", SalesJsonType::kDecimal},
      {SalesField::kCustomerName, "customer_name", SalesJsonType::kString},
      {SalesField::kCustomerEmail, "customer_email", SalesJsonType::kString},
  }};
  return kFields;
}

std::string_view SalesFieldName(SalesField field) {
  return SalesFields()[static_cast<size_t>(field)].name;
}

std::optional<SalesField> SalesFieldFromName(std::string_view name) {
  for (const SalesFieldInfo& f : SalesFields()) {
    if (f.name == name) return f.field;
  }
  return std::nullopt;
}

}  // namespace saleslake::table

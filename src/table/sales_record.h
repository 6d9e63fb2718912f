// The sale record of DESIGN.md section 1: 15 fields, in this order, with these JSON names.
// The generator writes them, `parquet convert` and the pipeline read them.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace saleslake::table {

enum class SalesField : int {
  kTransactionId = 0,
  kTimestamp,
  kStoreId,
  kStoreName,
  kStoreLocation,
  kProductId,
  kProductName,
  kCategory,
  kBrand,
  kRetailPrice,
  kQuantity,
  kMrp,
  kTotal,
  kCustomerName,
  kCustomerEmail,
};

constexpr int kSalesFieldCount = 15;

// What the JSON value of a field is.
enum class SalesJsonType { kString, kDecimal, kInteger };

struct SalesFieldInfo {
  SalesField field;
  std::string_view name;
  SalesJsonType json_type;
};

// All fields in record order.
const std::array<SalesFieldInfo, kSalesFieldCount>& SalesFields();
std::string_view SalesFieldName(SalesField field);
std::optional<SalesField> SalesFieldFromName(std::string_view name);

}  // namespace saleslake::table

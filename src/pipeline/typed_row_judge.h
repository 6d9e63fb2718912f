// The judging of the raw layer's typed rows on transform's hot path.
//
// SalesValidator::Judge takes one sale at a time: it hashes the store and product ids to find
// them in the reference catalog and compares five names as strings. The raw layer's catalog
// columns are dictionary-encoded (a row group names a few hundred stores and products), so here
// they are judged once per distinct value of a row group's dictionaries, and a row costs a few
// array reads and integer compares.
//
// Only "clean" is decided here: a row this does not pass goes through Judge, which gives its
// reasons and its detail, so what is quarantined, and why, is Judge's alone.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "parquet/reader/column_vector.h"
#include "table/reference_catalog.h"
#include "table/sales_validator.h"

namespace saleslake::pipeline {

class TypedRowJudge {
 public:
  explicit TypedRowJudge(const table::ValidationOptions& options);

  // Maps the dictionaries of a row group's columns (raw/sales columns, RawSalesColumns() order,
  // as ReadRowGroup gave them, in dictionary form or not) to catalog entries.
  void Prepare(const std::vector<parquet::ColumnVector>& cols);

  // Whether row `i` is clean as Judge finds it: all 15 fields present and every rule met. With a
  // reference catalog, *store and *product are then the indices of its store and product in the
  // catalog's lists (0 without one).
  bool Clean(const std::vector<parquet::ColumnVector>& cols, int64_t i, uint32_t* store,
             uint32_t* product) const;

 private:
  // The catalog columns, in SalesField order.
  static constexpr int kCatalogColumns = 7;
  using Ids = std::unordered_map<std::string_view, int32_t>;

  int32_t Code(int k, const parquet::ColumnVector& col, int64_t i) const;

  const table::ReferenceCatalog* catalog_;
  int64_t latest_micros_;  // later timestamps are in the future
  // Per catalog column: its distinct catalog values, numbered (store_id and product_id by their
  // entry's index).
  std::array<Ids, kCatalogColumns> ids_;
  // What each entry holds, as those numbers.
  std::vector<int32_t> store_name_, store_location_;
  std::vector<int32_t> product_name_, category_, brand_;
  std::vector<int64_t> mrp_paise_, retail_paise_;
  // Per catalog column of the row group in dictionary form: the number of each dictionary value
  // (-1: not a catalog value); empty for a column in plain form.
  std::array<std::vector<int32_t>, kCatalogColumns> codes_;
  // customer_email in dictionary form: whether each dictionary value is a plausible address.
  std::vector<uint8_t> email_ok_;
};

}  // namespace saleslake::pipeline

// A sale as drawn (indices and numbers, 48 bytes) and its JSON text. Everything about a catalog
// entry that a record repeats is formatted once per Generate call into a fragment, so writing a
// record is a handful of memcpy calls plus the UUID, timestamp and customer.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "generator/catalog.h"
#include "generator/people.h"
#include "generator/random.h"
#include "generator/sale_time.h"

namespace saleslake::generator {

struct Sale {
  uint64_t id_high = 0;  // the 128 bits of the UUID v4, version and variant bits already set
  uint64_t id_low = 0;
  int64_t timestamp_micros = 0;
  uint32_t store = 0;    // index into the catalog's stores
  uint32_t product = 0;  // index into the catalog's products
  uint8_t quantity = 1;  // 1..3
  Customer customer;
};

// Draws clean sales from a catalog: which store, which product (cheaper items sell more often),
// how many, when, who.
class SaleSampler {
 public:
  SaleSampler(const Catalog& catalog, const SaleTimeSampler& times);
  Sale Draw(Rng& rng) const;

 private:
  const SaleTimeSampler& times_;
  AliasTable products_;
  uint32_t store_count_;
};

// Sets the version (4) and variant (10xx) bits of a random 128-bit value.
void MakeUuidV4(uint64_t* high, uint64_t* low);
// Writes the 36-character 8-4-4-4-12 lower-case hex form.
char* WriteUuid(uint64_t high, uint64_t low, char* out);

class SaleWriter {
 public:
  explicit SaleWriter(const Catalog& catalog);

  // Upper bound of Write's output for any sale of this catalog.
  size_t max_record_bytes() const { return max_record_bytes_; }

  // Writes the record as one JSON object (no trailing separator). REQUIRES: room for
  // max_record_bytes() at `out`.
  char* Write(const Sale& sale, char* out) const;

  // The record's 15 fields as (name, JSON value text), in record order: the slow path that dirty
  // records start from before they are damaged.
  std::vector<std::pair<std::string, std::string>> Fields(const Sale& sale) const;

  const Catalog& catalog() const { return catalog_; }

 private:
  const Catalog& catalog_;
  // "store_id":"S001","store_name":"...","store_location":"..."
  std::vector<std::string> store_fragments_;
  // "product_id":...,"retail_price":118999.15,"quantity":q,"mrp":139999,"total":...  for q=1..3
  std::vector<std::string> product_fragments_;  // index product * 3 + (q - 1)
  size_t max_record_bytes_ = 0;
};

}  // namespace saleslake::generator

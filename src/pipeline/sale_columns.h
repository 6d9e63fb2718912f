// Clean sales between transform's two passes, column by column, and the spill that holds them.
//
// Pass 1 types and judges raw row groups (on several threads) and appends each clean sale to the
// SaleColumns of its business day; pass 2 takes one day at a time. A SaleColumns holds a dense
// vector per numeric field and one byte arena with end offsets per string field, so appending a
// sale is a few memcpys and no allocation of its own, and a day's rows are compared, sorted by
// index and gathered straight into the Parquet writer's column buffers.
//
// With a reference catalog, a clean sale's store and product fields are those of its catalog
// entries (SalesValidator::Judge checks it), so SaleColumns may hold them as the entries' indices
// instead of seven strings ("coded"): less to copy, to spill and to read back. Their retail price
// and mrp are then the product's, and their total mrp x quantity (the rules a clean sale meets),
// so coded rows hold none of the three. All rows of one SaleColumns are held one way; appending
// rows held the other way turns it into strings.
//
// SaleSpill keeps the days' columns in memory up to a budget, then appends them, one chunk per
// day, to an anonymous temporary file (the column arrays as they are, so a chunk is written and
// read back with a few large copies). Memory is bounded by the budget plus the day being landed,
// never by the data size or the number of partitions.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "pipeline/transform_rows.h"
#include "table/reference_catalog.h"
#include "table/sales_record.h"
#include "table/sales_validator.h"

namespace saleslake::pipeline {

class SaleColumns {
 public:
  // How many rows and string bytes some columns hold: what to reserve for them.
  struct Shape {
    size_t rows = 0;
    size_t coded_rows = 0;                // of them, with catalog indices
    std::array<size_t, 11> text_bytes{};  // the 10 string fields, then raw
    void Add(const Shape& other);
    // What the rows take in memory, used (not allocated) bytes.
    size_t MemoryBytes() const;
  };

  size_t rows() const { return timestamp_.size(); }
  Shape shape() const;
  // Room for `more` beyond what is held, exactly (a day taken from many chunks grows once).
  void Reserve(const Shape& more);
  bool empty() const { return timestamp_.empty(); }
  // Bytes held (what the spill's budget counts).
  size_t bytes() const;

  // Appends a clean sale (every field valid) with its lineage; `raw` is the record's text when
  // the raw row kept one ("" otherwise).
  void Append(const table::ParsedSale& sale, uint32_t batch, int64_t record_index,
              std::string_view raw);
  // The same for a clean sale whose store and product are entries `store` and `product` of
  // `catalog` (same id and names): held coded when the columns are empty or coded by `catalog`.
  void AppendCoded(const table::ParsedSale& sale, const table::ReferenceCatalog* catalog,
                   uint32_t store, uint32_t product, uint32_t batch, int64_t record_index,
                   std::string_view raw);
  // The catalog the store and product fields are held as indices into; nullptr: as strings.
  const table::ReferenceCatalog* catalog() const { return catalog_; }
  // Holds every row's fields as strings.
  void Uncode();
  // Appends every row of `other`, in its order.
  void AppendAll(const SaleColumns& other);
  // Appends rows `which` of `other`, in that order (a gather, column by column).
  void AppendRows(const SaleColumns& other, std::span<const uint32_t> which);
  void Clear();

  // The string field `f` (REQUIRES: a string field) of `row`.
  std::string_view text(table::SalesField f, size_t row) const {
    const int slot = kSlotOf[static_cast<int>(f)];
    if (catalog_ != nullptr && slot >= kFirstCatalogSlot && slot <= kLastCatalogSlot) {
      return CatalogText(slot, row);
    }
    return text_[static_cast<size_t>(slot)].At(row);
  }
  std::string_view id(size_t row) const { return text_[0].At(row); }
  int64_t timestamp(size_t row) const { return timestamp_[row]; }
  int64_t retail_price(size_t row) const {
    return catalog_ != nullptr ? catalog_->products()[product_[row]].retail_price_paise
                               : retail_price_[row];
  }
  int64_t quantity(size_t row) const { return quantity_[row]; }
  int64_t mrp(size_t row) const {
    return catalog_ != nullptr ? catalog_->products()[product_[row]].mrp_rupees * 100 : mrp_[row];
  }
  int64_t total(size_t row) const {
    return catalog_ != nullptr ? mrp(row) * quantity_[row] : total_[row];
  }
  uint32_t batch(size_t row) const { return batch_[row]; }
  int64_t record_index(size_t row) const { return record_index_[row]; }
  std::string_view raw(size_t row) const { return raw_.At(row); }
  // REQUIRES: coded. The row's store and product: their indices in catalog(), and as one integer.
  uint32_t store(size_t row) const { return store_[row]; }
  uint32_t product(size_t row) const { return product_[row]; }
  uint64_t catalog_key(size_t row) const { return (uint64_t{store_[row]} << 32) | product_[row]; }

  // Same sale: the 15 fields equal (lineage ignored).
  bool SameContent(size_t row, const SaleColumns& other, size_t other_row) const;
  // Row `row` into a SaleRow (reusing its strings' memory): what the rollups take. Without
  // `with_raw`, out->raw is left empty.
  void ToRow(size_t row, SaleRow* out, bool with_raw = true) const;
  // The record as JSON (the seed's field names, money as exact decimals).
  std::string ToJson(size_t row) const;

  // Writes the columns to `file` at its position as one spill chunk; returns its length.
  Result<uint64_t> WriteTo(std::FILE* file) const;
  // Appends the rows of the chunk of `length` bytes at `file`'s position. A coded chunk needs the
  // catalog it was coded with.
  Status AppendFrom(std::FILE* file, uint64_t length,
                    const table::ReferenceCatalog* catalog = nullptr);

  // Which string slot (0..9) a SalesField has; -1 for the typed fields.
  static const std::array<int8_t, table::kSalesFieldCount> kSlotOf;

 private:
  // The raw text, the typed fields and the lineage of a sale being appended (both forms).
  void AppendRest(const table::ParsedSale& sale, uint32_t batch, int64_t record_index,
                  std::string_view raw);

  struct Strings {
    std::string bytes;
    std::vector<uint32_t> ends;
    std::string_view At(size_t row) const {
      const uint32_t begin = row == 0 ? 0 : ends[row - 1];
      return std::string_view(bytes.data() + begin, ends[row] - begin);
    }
    void Add(std::string_view s) {
      bytes.append(s);
      ends.push_back(static_cast<uint32_t>(bytes.size()));
    }
  };

  // Slots of store_id ... brand, held as catalog indices when coded.
  static constexpr int kFirstCatalogSlot = 1;
  static constexpr int kLastCatalogSlot = 7;
  std::string_view CatalogText(int slot, size_t row) const {
    // Slot i holds the string field after i - 1 others, transaction_id first: SalesField i + 1.
    const auto field = static_cast<table::SalesField>(slot + 1);
    return table::IsStoreField(field)
               ? table::StoreText(catalog_->stores()[store_[row]], field)
               : table::ProductText(catalog_->products()[product_[row]], field);
  }
  // Appends rows `which` of `other` field by field as strings (the columns hold strings).
  void AppendAsText(const SaleColumns& other, std::span<const uint32_t> which);
  // Appends a chunk's arrays (after its flag), held as the columns hold theirs.
  Status AppendBody(std::FILE* file, uint64_t length, uint64_t forms);

  std::array<Strings, 10> text_;  // the string fields, in SalesField order
  Strings raw_;
  const table::ReferenceCatalog* catalog_ = nullptr;
  std::vector<uint32_t> store_, product_;  // catalog indices, when coded
  std::vector<int64_t> timestamp_, quantity_, record_index_;
  std::vector<int64_t> retail_price_, mrp_, total_;  // empty when coded
  std::vector<uint32_t> batch_;
};

// Day buckets of clean sales, spilled to a temporary file past a budget.
class SaleSpill {
 public:
  explicit SaleSpill(size_t memory_budget_bytes) : budget_(memory_budget_bytes) {}
  ~SaleSpill();
  SaleSpill(const SaleSpill&) = delete;
  SaleSpill& operator=(const SaleSpill&) = delete;

  // Appends `rows` to the day's bucket (after what it holds), then spills if over the budget.
  Status Add(int64_t day, const SaleColumns& rows);
  // Appends rows `which` of `rows` to the bucket of `key` (then spills if over the budget).
  Status Add(int64_t key, const SaleColumns& rows, std::span<const uint32_t> which);
  // Appends `rows` to the temporary file as the next chunk of `key`, holding nothing in memory.
  Status AddChunk(int64_t key, const SaleColumns& rows);
  // Appends one clean sale to the day's bucket (then spills if over the budget).
  Status AddSale(int64_t day, const table::ParsedSale& sale, uint32_t batch, int64_t record_index,
                 std::string_view raw);
  // Days that have rows, ascending.
  std::vector<int64_t> Keys() const;
  // Ends pass 1: once anything went to the temporary file, the rest goes too, so that pass 2
  // holds only the days it lands, not a budget's worth of others as well.
  Status FinishAdding();
  // About the memory the day's rows take once taken.
  size_t Bytes(int64_t day) const;
  // Every row added under `day`, in the order added; the bucket is emptied.
  Status Take(int64_t day, SaleColumns* out);
  // The oldest rows added under `key` not yet taken: its next chunk of the temporary file, then
  // what memory holds. `out` is empty when nothing is left. So a day far larger than memory is
  // read a chunk at a time.
  Status TakeChunk(int64_t key, SaleColumns* out);
  uint64_t spilled_bytes() const { return file_bytes_; }

 private:
  Status Grew(size_t before, size_t after);
  Status SpillAll();
  Status OpenFile();
  Status ReadChunk(uint64_t offset, uint64_t length, SaleColumns* out);
  void Note(const SaleColumns& rows) {
    if (rows.catalog() != nullptr) catalog_ = rows.catalog();
  }

  size_t budget_;
  const table::ReferenceCatalog* catalog_ = nullptr;  // of the coded chunks
  size_t in_memory_ = 0;
  std::map<int64_t, SaleColumns> memory_;
  struct Chunk {
    uint64_t offset = 0;
    uint64_t length = 0;
    SaleColumns::Shape shape;
  };
  std::map<int64_t, std::vector<Chunk>> chunks_;  // per key, oldest first
  std::map<int64_t, size_t> taken_;               // per key, chunks TakeChunk has read
  std::FILE* file_ = nullptr;
  uint64_t file_bytes_ = 0;
};

}  // namespace saleslake::pipeline

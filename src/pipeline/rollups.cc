#include "pipeline/rollups.h"

#include <algorithm>
#include <unordered_map>

#define XXH_INLINE_ALL  // short keys: an inlined hash is several times faster than a call
#include <xxhash.h>

#include "base/hash.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/transform_io.h"

namespace saleslake::pipeline {
namespace {

using parquet::ColumnBuffer;
using parquet::ColumnSpec;
using table::SalesField;

ColumnSpec Money(std::string name) {
  return ColumnSpec::Decimal(std::move(name), kMoneyPrecision, kMoneyScale).Required();
}
ColumnSpec Str(std::string name) { return ColumnSpec::String(std::move(name)).Required(); }
ColumnSpec Count(std::string name) { return ColumnSpec::Int64(std::move(name)).Required(); }

const std::string& Field(const SaleRow& s, SalesField f) { return s.text[static_cast<int>(f)]; }

// num / den rounded half away from zero (0 when den is 0): averages and percentages of DECIMAL
// values, e.g. 12.345 -> 12.35 and -12.345 -> -12.35.
int64_t DivideRounded(__int128 num, int64_t den) {
  if (den == 0) return 0;
  __int128 q = num / den, r = num % den;
  if (2 * (r < 0 ? -r : r) >= (den < 0 ? -static_cast<__int128>(den) : den)) {
    q += (num < 0) != (den < 0) ? -1 : 1;
  }
  return static_cast<int64_t>(q);
}

Result<parquet::WriterOptions> AggregateOptions() {
  return parquet::WriterOptions::Builder().RowGroupRows(kLakeRowGroupRows).Build();
}

}  // namespace

std::string PartFileName(std::string_view key) {
  return "part-" + Sha256Hex(key).substr(0, 32) + ".parquet";
}

std::vector<ColumnSpec> DailySalesColumns() {
  return {ColumnSpec::Date("date").Required(),
          Str("store_id"),
          Str("store_name"),
          Str("store_location"),
          Str("product_id"),
          Str("product_name"),
          Str("category"),
          Str("brand"),
          Count("orders"),
          Count("units"),
          Money("sales"),
          Money("cost"),
          Money("gross_profit")};
}

namespace {

// Rows a rollup holds back before grouping them.
constexpr size_t kFlushRows = 4096;

std::vector<table::AggSpec> Sums(size_t n) {
  return std::vector<table::AggSpec>(n, table::AggSpec{table::AggOp::kSum});
}

// A sum of paise or units that passed 64 bits cannot come from real sales (that is 9.2e16
// rupees); it is kept as its low 64 bits, as the int64 sums before the kernel were.
int64_t SumOf(const table::GroupByKernel& k, size_t agg, uint32_t g) {
  return static_cast<int64_t>(k.Sum(agg, g));
}

// The number columns of a batch of main/sales a sale's rollup sums come from (INT32 or INT64; 0
// for every row when the batch has no such column).
class SaleNumbers {
 public:
  explicit SaleNumbers(const table::ColumnBatch& batch)
      : quantity_(Of(batch, "quantity")),
        total_(Of(batch, "total")),
        retail_(Of(batch, "retail_price")),
        mrp_(Of(batch, "mrp")) {}
  // Row r's orders, units, sales, cost and profit, wrapping like the low 64 bits of exact sums.
  void Sums(uint32_t r, uint64_t (&out)[5]) const {
    const uint64_t q = static_cast<uint64_t>(quantity_(r));
    const uint64_t rp = static_cast<uint64_t>(retail_(r));
    out[0] = 1;
    out[1] = q;
    out[2] = static_cast<uint64_t>(total_(r));
    out[3] = rp * q;
    out[4] = (static_cast<uint64_t>(mrp_(r)) - rp) * q;
  }

 private:
  struct Numbers {
    const int32_t* i32 = nullptr;
    const int64_t* i64 = nullptr;
    int64_t operator()(uint32_t r) const {
      return i64 != nullptr ? i64[r] : i32 != nullptr ? i32[r] : 0;
    }
  };
  static Numbers Of(const table::ColumnBatch& batch, const char* name) {
    Numbers out;
    const int c = batch.ColumnIndex(name);
    if (c < 0) return out;
    const parquet::ColumnBuffer& b = batch.column(static_cast<size_t>(c));
    if (b.type() == parquet::Type::kInt32) {
      out.i32 = b.int32s();
    } else {
      out.i64 = b.int64s();
    }
    return out;
  }
  Numbers quantity_, total_, retail_, mrp_;
};

}  // namespace

DailyRollup::DailyRollup()
    : kernel_(std::vector<table::KeyKind>(kKeys, table::KeyKind::kString), Sums(5)) {}

void DailyRollup::Add(int32_t date, const std::string_view (&keys)[kKeys], int64_t orders,
                      int64_t units, int64_t sales, int64_t cost, int64_t gross_profit) const {
  for (size_t k = 0; k < kKeys; ++k) {
    if (keys_[k].size() <= pending_) {
      keys_[k].emplace_back(keys[k]);
    } else {
      keys_[k][pending_].assign(keys[k]);
    }
  }
  const int64_t totals[] = {orders, units, sales, cost, gross_profit};
  for (size_t a = 0; a < totals_.size(); ++a) {
    totals_[a].resize(pending_ + 1);
    totals_[a][pending_] = totals[a];
  }
  dates_.resize(pending_ + 1);
  dates_[pending_] = date;
  if (++pending_ == kFlushRows) Flush();
}

void DailyRollup::Flush() const {
  if (pending_ == 0) return;
  std::vector<std::vector<std::string_view>> views(kKeys);
  std::vector<table::KeyColumn> keys;
  for (size_t k = 0; k < kKeys; ++k) {
    views[k].assign(keys_[k].begin(), keys_[k].begin() + static_cast<std::ptrdiff_t>(pending_));
    keys.push_back(table::KeyColumn::Strings(views[k].data()));
  }
  std::vector<uint32_t> groups;
  kernel_.FindGroups(keys, {}, pending_, &groups);
  for (size_t a = 0; a < totals_.size(); ++a) {
    kernel_.Update(a, groups, {}, table::AggInput::Int64(totals_[a].data()));
  }
  for (size_t i = 0; i < pending_; ++i) {
    if (groups[i] == group_dates_.size()) group_dates_.push_back(dates_[i]);
  }
  pending_ = 0;
}

void DailyRollup::AddSale(int32_t date, const SaleRow& s) {
  const std::string_view keys[kKeys] = {
      Field(s, SalesField::kStoreId),     Field(s, SalesField::kProductId),
      Field(s, SalesField::kStoreName),   Field(s, SalesField::kStoreLocation),
      Field(s, SalesField::kProductName), Field(s, SalesField::kCategory),
      Field(s, SalesField::kBrand)};
  Add(date, keys, 1, s.quantity, s.total, s.retail_price * s.quantity,
      (s.mrp - s.retail_price) * s.quantity);
}

void DailyRollup::AddBatch(int32_t date, const table::ColumnBatch& batch,
                           const table::SelectionVector& rows) {
  static const char* const kNames[kKeys] = {"store_id",       "product_id",   "store_name",
                                            "store_location", "product_name", "category",
                                            "brand"};
  // Rows added one at a time go first, so that groups are numbered in arrival order.
  Flush();
  const size_t n = rows.size();
  if (n == 0) return;
  const parquet::ColumnBuffer* key[kKeys];
  for (size_t k = 0; k < kKeys; ++k) {
    const int c = batch.ColumnIndex(kNames[k]);
    key[k] = c < 0 ? nullptr : &batch.column(static_cast<size_t>(c));
  }
  auto text = [&key](size_t k, uint32_t row) {
    if (key[k] == nullptr) return std::string_view();
    return key[k]->is_dictionary() ? key[k]->dictionary_value(key[k]->indices()[row])
                                   : key[k]->bytes(row);
  };
  const SaleNumbers numbers(batch);

  // The batch is summed by its keys first (a batch of a day holds a few thousand of them), in a
  // table keyed by a hash of store_id and product_id whose entries compare all seven keys; only
  // one row per key then goes through the kernel. Sums wrap like the low 64 bits of the kernel's
  // exact sums, which is what Rows() keeps.
  std::vector<uint32_t> first;                // per local key: the batch row that named it
  std::array<std::vector<uint64_t>, 5> sums;  // per local key: orders, units, sales, cost, profit
  size_t capacity = 64;
  while (capacity < 2 * n) capacity *= 2;
  capacity = std::min<size_t>(capacity, 1 << 16);
  std::vector<uint32_t> slots(capacity, 0);  // local key + 1, 0 = empty
  const size_t mask = capacity - 1;
  auto same = [&](uint32_t a, uint32_t b) {
    for (size_t k = 0; k < kKeys; ++k) {
      if (text(k, a) != text(k, b)) return false;
    }
    return true;
  };
  for (size_t i = 0; i < n; ++i) {
    const uint32_t r = rows[i];
    const std::string_view store = text(0, r), product = text(1, r);
    uint64_t h = XXH3_64bits(store.data(), store.size());
    h = (h * 0x9E3779B97F4A7C15ULL) ^ XXH3_64bits(product.data(), product.size());
    size_t slot = (h ^ (h >> 29)) & mask;
    uint32_t local;
    while (true) {
      if (slots[slot] == 0) {
        local = static_cast<uint32_t>(first.size());
        first.push_back(r);
        for (auto& v : sums) v.push_back(0);
        // Full: more distinct keys than slots (a batch of every key different) rehashes nothing;
        // it just stops pre-summing by sending each further new key on its own.
        if (first.size() * 2 <= capacity) slots[slot] = local + 1;
        break;
      }
      if (same(first[slots[slot] - 1], r)) {
        local = slots[slot] - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
    uint64_t add[5];
    numbers.Sums(r, add);
    for (size_t a = 0; a < 5; ++a) sums[a][local] += add[a];
  }

  const size_t m = first.size();
  std::array<std::vector<std::string_view>, kKeys> views;
  std::vector<table::KeyColumn> keys;
  for (size_t k = 0; k < kKeys; ++k) {
    views[k].resize(m);
    for (size_t g = 0; g < m; ++g) views[k][g] = text(k, first[g]);
    keys.push_back(table::KeyColumn::Strings(views[k].data()));
  }
  std::vector<uint32_t> groups;
  kernel_.FindGroups(keys, {}, m, &groups);
  std::vector<int64_t> values(m);
  for (size_t a = 0; a < totals_.size(); ++a) {
    for (size_t g = 0; g < m; ++g) values[g] = static_cast<int64_t>(sums[a][g]);
    kernel_.Update(a, groups, {}, table::AggInput::Int64(values.data()));
  }
  for (size_t g = 0; g < m; ++g) {
    if (groups[g] == group_dates_.size()) group_dates_.push_back(date);
  }
}

void DailyRollup::AddDaily(const DailyRow& d) {
  const std::string_view keys[kKeys] = {d.store_id,       d.product_id,   d.store_name,
                                        d.store_location, d.product_name, d.category,
                                        d.brand};
  Add(d.date, keys, d.orders, d.units, d.sales, d.cost, d.gross_profit);
}

void DailyRollup::AddCodedBatch(int32_t date, const table::ColumnBatch& batch,
                                const table::SelectionVector& rows,
                                const table::ReferenceCatalog& catalog,
                                const uint64_t* catalog_keys) {
  catalog_ = &catalog;
  const SaleNumbers numbers(batch);
  // A catalog of few stores x products (the seed's: 25 x 359) indexes its groups by the pair
  // directly; a larger one through an open-addressing table.
  const size_t num_products = catalog.products().size();
  const bool dense = catalog.stores().size() * num_products <= kDenseCodedKeys;
  if (dense && coded_slots_.size() != catalog.stores().size() * num_products) {
    coded_slots_.assign(catalog.stores().size() * num_products, 0);
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const uint32_t r = rows[i];
    const uint64_t key = catalog_keys[r];
    uint32_t* slot;
    if (dense) {
      slot = &coded_slots_[(key >> 32) * num_products + (key & 0xffffffffu)];
    } else {
      if (2 * (coded_.size() + 1) > coded_slots_.size()) {
        // Grow the table to four times the groups, rehashing them.
        size_t capacity = 64;
        while (capacity < 4 * (coded_.size() + 1)) capacity *= 2;
        coded_slots_.assign(capacity, 0);
        for (size_t g = 0; g < coded_.size(); ++g) {
          size_t at = (coded_[g].key * 0x9E3779B97F4A7C15ULL >> 20) & (capacity - 1);
          while (coded_slots_[at] != 0) at = (at + 1) & (capacity - 1);
          coded_slots_[at] = static_cast<uint32_t>(g + 1);
        }
      }
      const size_t mask = coded_slots_.size() - 1;
      size_t at = (key * 0x9E3779B97F4A7C15ULL >> 20) & mask;
      while (coded_slots_[at] != 0 && coded_[coded_slots_[at] - 1].key != key) {
        at = (at + 1) & mask;
      }
      slot = &coded_slots_[at];
    }
    if (*slot == 0) {
      coded_.push_back(CodedGroup{key, date, {}});
      *slot = static_cast<uint32_t>(coded_.size());
    }
    CodedGroup& g = coded_[*slot - 1];
    uint64_t add[5];
    numbers.Sums(r, add);
    for (size_t a = 0; a < 5; ++a) g.sums[a] += add[a];
  }
}

void DailyRollup::FlushCoded() const {
  if (coded_.empty()) return;
  Flush();
  for (const CodedGroup& g : coded_) {
    const table::Store& s = catalog_->stores()[g.key >> 32];
    const table::Product& p = catalog_->products()[g.key & 0xffffffffu];
    const std::string_view keys[kKeys] = {s.store_id,     p.product_id, s.store_name, s.location,
                                          p.product_name, p.category,   p.brand};
    Add(g.date, keys, static_cast<int64_t>(g.sums[0]), static_cast<int64_t>(g.sums[1]),
        static_cast<int64_t>(g.sums[2]), static_cast<int64_t>(g.sums[3]),
        static_cast<int64_t>(g.sums[4]));
  }
  coded_.clear();
  std::fill(coded_slots_.begin(), coded_slots_.end(), 0);
}

bool DailyRollup::CodedRows(std::vector<CodedRow>* out,
                            const table::ReferenceCatalog** catalog) const {
  out->clear();
  *catalog = catalog_;
  if (pending_ != 0 || kernel_.num_groups() != 0) return false;
  if (coded_.empty()) return true;
  // Catalog ids are unique, so (store_id, product_id) orders the groups as the kernel's seven
  // keys would: rank the stores and products the groups name by id, then sort by the ranks.
  std::vector<uint32_t> stores, products;
  for (const CodedGroup& g : coded_) {
    stores.push_back(static_cast<uint32_t>(g.key >> 32));
    products.push_back(static_cast<uint32_t>(g.key & 0xffffffffu));
  }
  auto rank = [](std::vector<uint32_t>& used, auto id_of) {
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    std::vector<uint32_t> by_id = used;
    std::sort(by_id.begin(), by_id.end(),
              [&id_of](uint32_t a, uint32_t b) { return id_of(a) < id_of(b); });
    std::vector<uint32_t> rank_of(used.size());  // by position in `used`
    for (size_t i = 0; i < by_id.size(); ++i) {
      rank_of[static_cast<size_t>(std::lower_bound(used.begin(), used.end(), by_id[i]) -
                                  used.begin())] = static_cast<uint32_t>(i);
    }
    return rank_of;
  };
  const table::ReferenceCatalog& c = *catalog_;
  const std::vector<uint32_t> store_rank =
      rank(stores, [&c](uint32_t s) -> std::string_view { return c.stores()[s].store_id; });
  const std::vector<uint32_t> product_rank =
      rank(products, [&c](uint32_t p) -> std::string_view { return c.products()[p].product_id; });
  auto rank_in = [](const std::vector<uint32_t>& used, const std::vector<uint32_t>& ranks,
                    uint32_t index) {
    return ranks[static_cast<size_t>(std::lower_bound(used.begin(), used.end(), index) -
                                     used.begin())];
  };
  std::vector<std::pair<uint64_t, uint32_t>> order(coded_.size());
  for (size_t g = 0; g < coded_.size(); ++g) {
    const uint64_t s = rank_in(stores, store_rank, static_cast<uint32_t>(coded_[g].key >> 32));
    const uint64_t p =
        rank_in(products, product_rank, static_cast<uint32_t>(coded_[g].key & 0xffffffffu));
    order[g] = {(s << 32) | p, static_cast<uint32_t>(g)};
  }
  std::sort(order.begin(), order.end());
  out->resize(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    const CodedGroup& g = coded_[order[i].second];
    CodedRow& r = (*out)[i];
    r.key = g.key;
    r.date = g.date;
    r.orders = static_cast<int64_t>(g.sums[0]);
    r.units = static_cast<int64_t>(g.sums[1]);
    r.sales = static_cast<int64_t>(g.sums[2]);
    r.cost = static_cast<int64_t>(g.sums[3]);
    r.gross_profit = static_cast<int64_t>(g.sums[4]);
  }
  return true;
}

namespace {

// A coded daily row with its names, as DailyRow holds them.
DailyRow NamedRow(const table::ReferenceCatalog& c, const DailyRollup::CodedRow& g) {
  const table::Store& s = c.stores()[g.key >> 32];
  const table::Product& p = c.products()[g.key & 0xffffffffu];
  DailyRow r;
  r.date = g.date;
  r.store_id = s.store_id;
  r.store_name = s.store_name;
  r.store_location = s.location;
  r.product_id = p.product_id;
  r.product_name = p.product_name;
  r.category = p.category;
  r.brand = p.brand;
  r.orders = g.orders;
  r.units = g.units;
  r.sales = g.sales;
  r.cost = g.cost;
  r.gross_profit = g.gross_profit;
  return r;
}

}  // namespace

std::vector<DailyRow> DailyRollup::Rows() const {
  std::vector<CodedRow> coded;
  const table::ReferenceCatalog* catalog = nullptr;
  if (CodedRows(&coded, &catalog)) {
    std::vector<DailyRow> out;
    out.reserve(coded.size());
    for (const CodedRow& g : coded) out.push_back(NamedRow(*catalog, g));
    return out;
  }
  FlushCoded();
  Flush();
  std::vector<DailyRow> out;
  out.reserve(kernel_.num_groups());
  // The kernel's order is the keys' (store_id, product_id, then the names), bytewise.
  for (uint32_t g : kernel_.SortedGroups()) {
    DailyRow& r = out.emplace_back();
    r.date = group_dates_[g];
    std::string* strings[kKeys] = {&r.store_id,     &r.product_id, &r.store_name, &r.store_location,
                                   &r.product_name, &r.category,   &r.brand};
    for (size_t k = 0; k < kKeys; ++k) strings[k]->assign(kernel_.KeyText(g, k));
    r.orders = SumOf(kernel_, 0, g);
    r.units = SumOf(kernel_, 1, g);
    r.sales = SumOf(kernel_, 2, g);
    r.cost = SumOf(kernel_, 3, g);
    r.gross_profit = SumOf(kernel_, 4, g);
  }
  return out;
}

Status ReadDailyRows(io::FileSystem& fs, const std::string& path, std::vector<DailyRow>* rows) {
  SL_ASSIGN_OR_RETURN(auto reader, OpenLakeFile(fs, path));
  std::vector<std::string> names;
  for (const auto& c : DailySalesColumns()) names.push_back(c.name);
  SL_ASSIGN_OR_RETURN(std::vector<int> projection, reader->schema().ResolveProjection(names));
  for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
    SL_ASSIGN_OR_RETURN(auto cols, reader->ReadRowGroup(rg, projection));
    for (int64_t i = 0; i < reader->row_group_rows(rg); ++i) {
      DailyRow& r = rows->emplace_back();
      r.date = cols[0].int32s[i];
      std::string* strings[] = {&r.store_id,     &r.store_name, &r.store_location, &r.product_id,
                                &r.product_name, &r.category,   &r.brand};
      for (int c = 0; c < 7; ++c) strings[c]->assign(cols[1 + c].binaries[i]);
      r.orders = cols[8].int64s[i];
      r.units = cols[9].int64s[i];
      r.sales = cols[10].int64s[i];
      r.cost = cols[11].int64s[i];
      r.gross_profit = cols[12].int64s[i];
    }
  }
  return Status::OK();
}

namespace {

// A daily row's five measures, after its date and seven names (by value or by catalog index).
template <typename Row>
void AppendDailyMeasures(const Row& r, std::vector<ColumnBuffer>* b) {
  (*b)[8].AppendInt64(r.orders);
  (*b)[9].AppendInt64(r.units);
  (*b)[10].AppendInt64(r.sales);
  (*b)[11].AppendInt64(r.cost);
  (*b)[12].AppendInt64(r.gross_profit);
}

Status WriteDailyBuffers(io::FileSystem& fs, const std::string& path, const std::string& partition,
                         const std::vector<ColumnSpec>& columns, const std::vector<ColumnBuffer>& b,
                         lake::LedgerFile* file) {
  SL_ASSIGN_OR_RETURN(parquet::WriterOptions options, AggregateOptions());
  SL_ASSIGN_OR_RETURN(*file,
                      WritePendingFile(fs, path, kDailySalesTable, partition, columns, options, b));
  return Status::OK();
}

}  // namespace

Status WriteDailyRows(io::FileSystem& fs, const std::string& path, const std::string& partition,
                      const std::vector<DailyRow>& rows, lake::LedgerFile* file) {
  std::vector<ColumnSpec> columns = DailySalesColumns();
  std::vector<ColumnBuffer> b = MakeBuffers(columns);
  for (const DailyRow& r : rows) {
    b[0].AppendInt32(r.date);
    const std::string* strings[] = {&r.store_id,   &r.store_name,   &r.store_location,
                                    &r.product_id, &r.product_name, &r.category,
                                    &r.brand};
    for (int c = 0; c < 7; ++c) b[1 + c].AppendBytes(*strings[c]);
    AppendDailyMeasures(r, &b);
  }
  return WriteDailyBuffers(fs, path, partition, columns, b, file);
}

Status WriteCodedDailyRows(io::FileSystem& fs, const std::string& path,
                           const std::string& partition, const table::ReferenceCatalog& catalog,
                           std::span<const DailyRollup::CodedRow> rows, lake::LedgerFile* file) {
  std::vector<ColumnSpec> columns = DailySalesColumns();
  std::vector<ColumnBuffer> b = MakeBuffers(columns);
  // Columns 1-3 name the store, 4-7 the product; each entry is added to them once.
  std::unordered_map<uint32_t, uint32_t> store_at, product_at;
  for (const DailyRollup::CodedRow& r : rows) {
    b[0].AppendInt32(r.date);
    const uint32_t s = static_cast<uint32_t>(r.key >> 32);
    const uint32_t p = static_cast<uint32_t>(r.key & 0xffffffffu);
    auto [st, new_store] = store_at.emplace(s, 0);
    if (new_store) {
      const table::Store& store = catalog.stores()[s];
      const std::string* names[] = {&store.store_id, &store.store_name, &store.location};
      for (int c = 0; c < 3; ++c) st->second = b[1 + c].AddDictionaryValue(*names[c]);
    }
    auto [pt, new_product] = product_at.emplace(p, 0);
    if (new_product) {
      const table::Product& product = catalog.products()[p];
      const std::string* names[] = {&product.product_id, &product.product_name, &product.category,
                                    &product.brand};
      for (int c = 0; c < 4; ++c) pt->second = b[4 + c].AddDictionaryValue(*names[c]);
    }
    for (int c = 0; c < 3; ++c) b[1 + c].AppendIndex(st->second);
    for (int c = 0; c < 4; ++c) b[4 + c].AppendIndex(pt->second);
    AppendDailyMeasures(r, &b);
  }
  return WriteDailyBuffers(fs, path, partition, columns, b, file);
}

const std::vector<std::string>& AggregateTables::TableNames() {
  static const std::vector<std::string> names = {
      "main/brand_sales",         "main/category_sales", "main/profit_per_brand",
      "main/profit_per_category", "main/store_sales",    "main/highest_sold_product"};
  return names;
}

AggregateTables::AggregateTables() {
  using table::KeyKind;
  const std::vector<KeyKind> one = {KeyKind::kString};
  grains_.emplace_back(one, Sums(4));
  grains_.emplace_back(one, Sums(4));
  grains_.emplace_back(std::vector<KeyKind>(2, KeyKind::kString), Sums(4));
  grains_.emplace_back(std::vector<KeyKind>(4, KeyKind::kString), Sums(4));
}

void AggregateTables::Add(const DailyRow& r) {
  pending_.push_back(r);
  if (pending_.size() == kFlushRows) Flush();
}

void AggregateTables::AddAll(std::span<const DailyRow> rows) {
  if (!pending_.empty()) {
    Group(pending_);
    pending_.clear();
  }
  for (size_t i = 0; i < rows.size(); i += kFlushRows) {
    Group(rows.subspan(i, std::min(kFlushRows, rows.size() - i)));
  }
}

void AggregateTables::AddCoded(const table::ReferenceCatalog& catalog,
                               std::span<const DailyRollup::CodedRow> rows) {
  catalog_ = &catalog;
  for (const DailyRollup::CodedRow& r : rows) {
    std::array<uint64_t, 4>& sums = coded_[r.key];
    sums[0] += static_cast<uint64_t>(r.sales);
    sums[1] += static_cast<uint64_t>(r.cost);
    sums[2] += static_cast<uint64_t>(r.orders);
    sums[3] += static_cast<uint64_t>(r.units);
  }
}

void AggregateTables::Flush() const {
  if (!coded_.empty()) {
    // Each catalog key once, by its names (the grains' order does not depend on arrival).
    for (const auto& [key, sums] : coded_) {
      DailyRollup::CodedRow g;
      g.key = key;
      g.sales = static_cast<int64_t>(sums[0]);
      g.cost = static_cast<int64_t>(sums[1]);
      g.orders = static_cast<int64_t>(sums[2]);
      g.units = static_cast<int64_t>(sums[3]);
      pending_.push_back(NamedRow(*catalog_, g));
      if (pending_.size() == kFlushRows) {
        Group(pending_);
        pending_.clear();
      }
    }
    coded_.clear();
  }
  if (pending_.empty()) return;
  Group(pending_);
  pending_.clear();
}

void AggregateTables::Group(std::span<const DailyRow> rows) const {
  const size_t n = rows.size();
  // Columns of the rows: the key texts each grain reads, and the four sums.
  std::vector<std::string_view> brand(n), category(n), store_name(n), location(n), product(n);
  std::vector<int64_t> sums[4];
  for (auto& v : sums) v.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const DailyRow& r = rows[i];
    brand[i] = r.brand;
    category[i] = r.category;
    store_name[i] = r.store_name;
    location[i] = r.store_location;
    product[i] = r.product_name;
    sums[0][i] = r.sales;
    sums[1][i] = r.cost;
    sums[2][i] = r.orders;
    sums[3][i] = r.units;
  }
  using table::KeyColumn;
  const std::vector<KeyColumn> keys[kGrains] = {
      {KeyColumn::Strings(brand.data())},
      {KeyColumn::Strings(category.data())},
      {KeyColumn::Strings(store_name.data()), KeyColumn::Strings(location.data())},
      {KeyColumn::Strings(product.data()), KeyColumn::Strings(brand.data()),
       KeyColumn::Strings(store_name.data()), KeyColumn::Strings(location.data())}};
  std::vector<uint32_t> groups;
  for (size_t g = 0; g < kGrains; ++g) {
    grains_[g].FindGroups(keys[g], {}, n, &groups);
    for (size_t a = 0; a < 4; ++a) {
      grains_[g].Update(a, groups, {}, table::AggInput::Int64(sums[a].data()));
    }
  }
}

Status AggregateTables::Write(io::FileSystem& fs, const lake::LedgerState& state,
                              const std::string& key, lake::LedgerCommit* commit) const {
  SL_ASSIGN_OR_RETURN(parquet::WriterOptions options, AggregateOptions());
  auto emit = [&](const std::string& table, const std::vector<ColumnSpec>& columns,
                  std::vector<ColumnBuffer>& b) -> Status {
    for (const lake::LedgerFile& old : state.FilesOf(table)) commit->removed.push_back(old.path);
    std::string path = table + "/" + PartFileName(key + "\n" + table);
    SL_ASSIGN_OR_RETURN(lake::LedgerFile file,
                        WritePendingFile(fs, path, table, "", columns, options, b));
    commit->added.push_back(std::move(file));
    return Status::OK();
  };

  Flush();
  // Sums of every grain: 0 sales, 1 cost, 2 orders, 3 units. Groups in key order (bytewise).
  enum { kSales, kCost, kOrders, kUnits };
  auto sum = [](const table::GroupByKernel& k, size_t agg, uint32_t g) { return SumOf(k, agg, g); };

  // brand_sales / category_sales: the seed's (name, total_sales, total_quantity,
  // sale_per_piece_avg), then ours: orders.
  auto sales_by = [&](const std::string& table, const std::string& name_column,
                      const table::GroupByKernel& k) -> Status {
    std::vector<ColumnSpec> columns = {Str(name_column), Money("total_sales"),
                                       Count("total_quantity"), Money("sale_per_piece_avg"),
                                       Count("orders")};
    std::vector<ColumnBuffer> b = MakeBuffers(columns);
    for (uint32_t g : k.SortedGroups()) {
      b[0].AppendBytes(k.KeyText(g, 0));
      b[1].AppendInt64(sum(k, kSales, g));
      b[2].AppendInt64(sum(k, kUnits, g));
      b[3].AppendInt64(DivideRounded(sum(k, kSales, g), sum(k, kUnits, g)));
      b[4].AppendInt64(sum(k, kOrders, g));
    }
    return emit(table, columns, b);
  };
  // profit_per_*: the seed's (name, total_sales, total_retail_price, total_profit_per_brand),
  // then ours: margin_pct.
  auto profit_by = [&](const std::string& table, const std::string& name_column,
                       const table::GroupByKernel& k) -> Status {
    std::vector<ColumnSpec> columns = {Str(name_column), Money("total_sales"),
                                       Money("total_retail_price"), Money("total_profit_per_brand"),
                                       Money("margin_pct")};
    std::vector<ColumnBuffer> b = MakeBuffers(columns);
    for (uint32_t g : k.SortedGroups()) {
      const int64_t sales = sum(k, kSales, g), cost = sum(k, kCost, g);
      b[0].AppendBytes(k.KeyText(g, 0));
      b[1].AppendInt64(sales);
      b[2].AppendInt64(cost);
      b[3].AppendInt64(sales - cost);
      b[4].AppendInt64(DivideRounded(static_cast<__int128>(sales - cost) * 10000, sales));
    }
    return emit(table, columns, b);
  };
  SL_RETURN_IF_ERROR(sales_by("main/brand_sales", "brand", grains_[kBrand]));
  SL_RETURN_IF_ERROR(sales_by("main/category_sales", "category", grains_[kCategory]));
  SL_RETURN_IF_ERROR(profit_by("main/profit_per_brand", "brand", grains_[kBrand]));
  SL_RETURN_IF_ERROR(profit_by("main/profit_per_category", "category", grains_[kCategory]));

  {
    // The seed's (store_name, store_location, total_sales, total_retail_price,
    // total_profit_per_brand), then ours: total_quantity, orders.
    const table::GroupByKernel& k = grains_[kStore];
    std::vector<ColumnSpec> columns = {Str("store_name"),
                                       Str("store_location"),
                                       Money("total_sales"),
                                       Money("total_retail_price"),
                                       Money("total_profit_per_brand"),
                                       Count("total_quantity"),
                                       Count("orders")};
    std::vector<ColumnBuffer> b = MakeBuffers(columns);
    for (uint32_t g : k.SortedGroups()) {
      const int64_t sales = sum(k, kSales, g), cost = sum(k, kCost, g);
      b[0].AppendBytes(k.KeyText(g, 0));
      b[1].AppendBytes(k.KeyText(g, 1));
      b[2].AppendInt64(sales);
      b[3].AppendInt64(cost);
      b[4].AppendInt64(sales - cost);
      b[5].AppendInt64(sum(k, kUnits, g));
      b[6].AppendInt64(sum(k, kOrders, g));
    }
    SL_RETURN_IF_ERROR(emit("main/store_sales", columns, b));
  }
  {
    // The seed's (product_name, brand, store_name, store_location, total_sales, total_quantity),
    // then ours: orders; by total_sales desc, total_quantity desc, then the four keys (the
    // kernel's key order, kept by the stable sort).
    const table::GroupByKernel& k = grains_[kProduct];
    std::vector<uint32_t> ranked = k.SortedGroups();
    std::stable_sort(ranked.begin(), ranked.end(), [&](uint32_t a, uint32_t b) {
      if (sum(k, kSales, a) != sum(k, kSales, b)) return sum(k, kSales, a) > sum(k, kSales, b);
      return sum(k, kUnits, a) > sum(k, kUnits, b);
    });
    std::vector<ColumnSpec> columns = {Str("product_name"),  Str("brand"),
                                       Str("store_name"),    Str("store_location"),
                                       Money("total_sales"), Count("total_quantity"),
                                       Count("orders")};
    std::vector<ColumnBuffer> b = MakeBuffers(columns);
    for (uint32_t g : ranked) {
      for (size_t c = 0; c < 4; ++c) b[c].AppendBytes(k.KeyText(g, c));
      b[4].AppendInt64(sum(k, kSales, g));
      b[5].AppendInt64(sum(k, kUnits, g));
      b[6].AppendInt64(sum(k, kOrders, g));
    }
    SL_RETURN_IF_ERROR(emit("main/highest_sold_product", columns, b));
  }
  return Status::OK();
}

}  // namespace saleslake::pipeline

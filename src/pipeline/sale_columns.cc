#include "pipeline/sale_columns.h"

#include <cstring>
#include <limits>

#include "base/clock.h"
#include "base/decimal.h"
#include "base/json_writer.h"

namespace saleslake::pipeline {
namespace {

using table::SalesField;

// Spill chunks are the arrays as they are, each after its length in elements: written and read
// straight from and into the vectors, with no copy in between.
class ChunkWriter {
 public:
  explicit ChunkWriter(std::FILE* file) : file_(file) {}
  template <typename T>
  void Array(const T* data, uint64_t n) {
    ok_ = ok_ && std::fwrite(&n, sizeof n, 1, file_) == 1 &&
          (n == 0 || std::fwrite(data, sizeof(T), n, file_) == n);
    bytes_ += sizeof n + n * sizeof(T);
  }
  template <typename T>
  void Vector(const std::vector<T>& v) {
    Array(v.data(), v.size());
  }
  void String(const std::string& s) { Array(s.data(), s.size()); }
  bool ok() const { return ok_; }
  uint64_t bytes() const { return bytes_; }

 private:
  std::FILE* file_;
  bool ok_ = true;
  uint64_t bytes_ = 0;
};

class ChunkReader {
 public:
  ChunkReader(std::FILE* file, uint64_t length) : file_(file), left_(length) {}
  // Appends an array to `v`; `base` is added to each value (the string ends of a later chunk).
  template <typename T>
  bool Vector(std::vector<T>* v, T base = 0) {
    uint64_t n;
    if (!Read(&n, sizeof n) || n > left_ / sizeof(T)) return false;
    const size_t at = v->size();
    v->resize(at + n);
    if (!Read(v->data() + at, n * sizeof(T))) return false;
    if (base != 0) {
      for (size_t i = at; i < v->size(); ++i) (*v)[i] += base;
    }
    return true;
  }
  bool String(std::string* s) {
    uint64_t n;
    if (!Read(&n, sizeof n) || n > left_) return false;
    const size_t at = s->size();
    s->resize(at + n);
    return Read(s->data() + at, n);
  }
  bool done() const { return left_ == 0; }

 private:
  bool Read(void* to, uint64_t n) {
    if (n > left_) return false;
    left_ -= n;
    return n == 0 || std::fread(to, 1, n, file_) == n;
  }
  std::FILE* file_;
  uint64_t left_;
};

template <typename T>
void AppendVector(std::vector<T>* to, const std::vector<T>& from) {
  to->insert(to->end(), from.begin(), from.end());
}

// How a chunk holds some of its columns (bits of its second head word), each only when every row
// allows it: transaction ids that are UUIDs as their 16 bytes, no raw text as no ends at all,
// quantities and record indices in 32 bits.
constexpr uint64_t kPackedIds = 1;
constexpr uint64_t kNoRaw = 2;
constexpr uint64_t kQuantity32 = 4;
constexpr uint64_t kRecordIndex32 = 8;

constexpr size_t kUuidChars = 36;
constexpr size_t kUuidBytes = 16;

// Hex digit values (lower case only), 0x80 for any other byte.
constexpr std::array<uint8_t, 256> kHexValue = [] {
  std::array<uint8_t, 256> t{};
  t.fill(0x80);
  for (int c = 0; c < 10; ++c) t['0' + c] = static_cast<uint8_t>(c);
  for (int c = 0; c < 6; ++c) t['a' + c] = static_cast<uint8_t>(10 + c);
  return t;
}();

// A canonical lower-case UUID ("8-4-4-4-12" hex digits) as its 16 bytes. Branch-free over the
// digits: this runs for every sale that goes through the spill.
bool PackUuid(std::string_view id, uint8_t* out) {
  if (id.size() != kUuidChars || id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-') {
    return false;
  }
  static constexpr uint8_t kPairs[kUuidBytes] = {0,  2,  4,  6,  9,  11, 14, 16,
                                                 19, 21, 24, 26, 28, 30, 32, 34};
  const auto* p = reinterpret_cast<const uint8_t*>(id.data());
  uint8_t bad = 0;
  for (size_t b = 0; b < kUuidBytes; ++b) {
    const uint8_t hi = kHexValue[p[kPairs[b]]], lo = kHexValue[p[kPairs[b] + 1]];
    bad |= hi | lo;
    out[b] = static_cast<uint8_t>(hi << 4 | (lo & 15));
  }
  return (bad & 0x80) == 0;
}

// Each byte's two lower-case hex digits.
constexpr std::array<std::array<char, 2>, 256> kHexPair = [] {
  constexpr char kHex[] = "0123456789abcdef";
  std::array<std::array<char, 2>, 256> t{};
  for (int i = 0; i < 256; ++i) t[static_cast<size_t>(i)] = {kHex[i >> 4], kHex[i & 15]};
  return t;
}();

void UnpackUuid(const uint8_t* in, char* out) {
  static constexpr uint8_t kPairs[kUuidBytes] = {0,  2,  4,  6,  9,  11, 14, 16,
                                                 19, 21, 24, 26, 28, 30, 32, 34};
  for (size_t b = 0; b < kUuidBytes; ++b) std::memcpy(out + kPairs[b], kHexPair[in[b]].data(), 2);
  out[8] = out[13] = out[18] = out[23] = '-';
}

template <typename Narrow>
bool AllFit(const std::vector<int64_t>& v) {
  for (int64_t x : v) {
    if (x < std::numeric_limits<Narrow>::min() || x > std::numeric_limits<Narrow>::max()) {
      return false;
    }
  }
  return true;
}

}  // namespace

const std::array<int8_t, table::kSalesFieldCount> SaleColumns::kSlotOf = {
    0,   // transaction_id
    -1,  // timestamp
    1,   // store_id
    2,   // store_name
    3,   // store_location
    4,   // product_id
    5,   // product_name
    6,   // category
    7,   // brand
    -1,  // retail_price
    -1,  // quantity
    -1,  // mrp
    -1,  // total
    8,   // customer_name
    9,   // customer_email
};

void SaleColumns::Shape::Add(const Shape& other) {
  rows += other.rows;
  coded_rows += other.coded_rows;
  for (size_t i = 0; i < text_bytes.size(); ++i) text_bytes[i] += other.text_bytes[i];
}

size_t SaleColumns::Shape::MemoryBytes() const {
  size_t n = 0;
  for (size_t b : text_bytes) n += b;
  const size_t plain_rows = rows - coded_rows;
  // Ends of 4 strings (id, customer name and email, raw) of every row and 7 more of a plain one;
  // time, quantity, record index and batch; store and product, or the three prices.
  n += rows * (4 * 4 + 3 * 8 + 4) + plain_rows * (7 * 4 + 3 * 8) + coded_rows * 2 * 4;
  return n;
}

SaleColumns::Shape SaleColumns::shape() const {
  Shape s;
  s.rows = rows();
  s.coded_rows = catalog_ != nullptr ? rows() : 0;
  for (size_t i = 0; i < text_.size(); ++i) s.text_bytes[i] = text_[i].bytes.size();
  s.text_bytes[text_.size()] = raw_.bytes.size();
  return s;
}

void SaleColumns::Reserve(const Shape& more) {
  const size_t n = rows() + more.rows;
  for (size_t i = 0; i < text_.size(); ++i) {
    text_[i].bytes.reserve(text_[i].bytes.size() + more.text_bytes[i]);
    text_[i].ends.reserve(n);
  }
  raw_.bytes.reserve(raw_.bytes.size() + more.text_bytes[text_.size()]);
  raw_.ends.reserve(n);
  if (more.coded_rows > 0) {
    store_.reserve(store_.size() + more.coded_rows);
    product_.reserve(product_.size() + more.coded_rows);
  }
  if (more.rows > more.coded_rows) {
    const size_t prices = retail_price_.size() + more.rows - more.coded_rows;
    for (auto* v : {&retail_price_, &mrp_, &total_}) v->reserve(prices);
  }
  for (auto* v : {&timestamp_, &quantity_, &record_index_}) v->reserve(n);
  batch_.reserve(n);
}

size_t SaleColumns::bytes() const {
  // What is allocated, not what is used: vectors grow by doubling.
  size_t n = raw_.bytes.capacity() + raw_.ends.capacity() * 4;
  for (const Strings& s : text_) n += s.bytes.capacity() + s.ends.capacity() * 4;
  n += (store_.capacity() + product_.capacity() + batch_.capacity()) * 4;
  for (const auto* v : {&timestamp_, &quantity_, &record_index_, &retail_price_, &mrp_, &total_}) {
    n += v->capacity() * 8;
  }
  return n;
}

void SaleColumns::Append(const table::ParsedSale& sale, uint32_t batch, int64_t record_index,
                         std::string_view raw) {
  if (catalog_ != nullptr) {
    if (empty()) {
      catalog_ = nullptr;
    } else {
      Uncode();
    }
  }
  for (int f = 0; f < table::kSalesFieldCount; ++f) {
    if (kSlotOf[f] >= 0) text_[kSlotOf[f]].Add(sale.text[f]);
  }
  retail_price_.push_back(sale.retail_price_paise);
  mrp_.push_back(sale.mrp_paise);
  total_.push_back(sale.total_paise);
  AppendRest(sale, batch, record_index, raw);
}

void SaleColumns::AppendRest(const table::ParsedSale& sale, uint32_t batch, int64_t record_index,
                             std::string_view raw) {
  raw_.Add(raw);
  timestamp_.push_back(sale.timestamp_micros);
  quantity_.push_back(sale.quantity);
  record_index_.push_back(record_index);
  batch_.push_back(batch);
}

void SaleColumns::AppendCoded(const table::ParsedSale& sale, const table::ReferenceCatalog* catalog,
                              uint32_t store, uint32_t product, uint32_t batch,
                              int64_t record_index, std::string_view raw) {
  if (empty()) catalog_ = catalog;
  // The prices must be the product's for the row to be held coded (a clean sale's are).
  if (catalog == nullptr || catalog_ != catalog ||
      sale.retail_price_paise != catalog->products()[product].retail_price_paise ||
      sale.mrp_paise != catalog->products()[product].mrp_rupees * 100 ||
      static_cast<__int128>(sale.mrp_paise) * sale.quantity != sale.total_paise) {
    Append(sale, batch, record_index, raw);
    return;
  }
  text_[0].Add(sale.text[static_cast<int>(SalesField::kTransactionId)]);
  text_[8].Add(sale.text[static_cast<int>(SalesField::kCustomerName)]);
  text_[9].Add(sale.text[static_cast<int>(SalesField::kCustomerEmail)]);
  store_.push_back(store);
  product_.push_back(product);
  AppendRest(sale, batch, record_index, raw);
}

void SaleColumns::Uncode() {
  if (catalog_ == nullptr) return;
  const size_t n = rows();
  for (int slot = kFirstCatalogSlot; slot <= kLastCatalogSlot; ++slot) {
    Strings& to = text_[static_cast<size_t>(slot)];
    to.bytes.clear();
    to.ends.clear();
    to.ends.reserve(n);
    for (size_t r = 0; r < n; ++r) to.Add(CatalogText(slot, r));
  }
  retail_price_.resize(n);
  mrp_.resize(n);
  total_.resize(n);
  for (size_t r = 0; r < n; ++r) {
    retail_price_[r] = retail_price(r);
    mrp_[r] = mrp(r);
    total_[r] = total(r);
  }
  std::vector<uint32_t>().swap(store_);
  std::vector<uint32_t>().swap(product_);
  catalog_ = nullptr;
}

void SaleColumns::AppendAsText(const SaleColumns& other, std::span<const uint32_t> which) {
  Uncode();
  for (int f = 0; f < table::kSalesFieldCount; ++f) {
    if (kSlotOf[f] < 0) continue;
    Strings& to = text_[static_cast<size_t>(kSlotOf[f])];
    for (uint32_t r : which) to.Add(other.text(static_cast<SalesField>(f), r));
  }
  for (uint32_t r : which) {
    raw_.Add(other.raw(r));
    timestamp_.push_back(other.timestamp_[r]);
    retail_price_.push_back(other.retail_price(r));
    quantity_.push_back(other.quantity_[r]);
    mrp_.push_back(other.mrp(r));
    total_.push_back(other.total(r));
    record_index_.push_back(other.record_index_[r]);
    batch_.push_back(other.batch_[r]);
  }
}

void SaleColumns::AppendAll(const SaleColumns& other) {
  if (other.empty()) return;
  if (empty()) catalog_ = other.catalog_;
  if (catalog_ != other.catalog_) {
    std::vector<uint32_t> all(other.rows());
    for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint32_t>(i);
    AppendAsText(other, all);
    return;
  }
  auto append = [](Strings* to, const Strings& from) {
    const uint32_t base = static_cast<uint32_t>(to->bytes.size());
    to->bytes += from.bytes;
    const size_t at = to->ends.size();
    AppendVector(&to->ends, from.ends);
    for (size_t i = at; i < to->ends.size(); ++i) to->ends[i] += base;
  };
  for (size_t s = 0; s < text_.size(); ++s) append(&text_[s], other.text_[s]);
  append(&raw_, other.raw_);
  AppendVector(&store_, other.store_);
  AppendVector(&product_, other.product_);
  AppendVector(&timestamp_, other.timestamp_);
  AppendVector(&retail_price_, other.retail_price_);
  AppendVector(&quantity_, other.quantity_);
  AppendVector(&mrp_, other.mrp_);
  AppendVector(&total_, other.total_);
  AppendVector(&record_index_, other.record_index_);
  AppendVector(&batch_, other.batch_);
}

void SaleColumns::AppendRows(const SaleColumns& other, std::span<const uint32_t> which) {
  if (which.empty()) return;
  if (empty()) catalog_ = other.catalog_;
  if (catalog_ != other.catalog_) {
    AppendAsText(other, which);
    return;
  }
  auto gather_strings = [&which](Strings* to, const Strings& from) {
    size_t bytes = to->bytes.size();
    for (uint32_t r : which) bytes += from.ends[r] - (r == 0 ? 0 : from.ends[r - 1]);
    to->bytes.reserve(bytes);
    to->ends.reserve(to->ends.size() + which.size());
    for (uint32_t r : which) to->Add(from.At(r));
  };
  for (size_t s = 0; s < text_.size(); ++s) {
    if (!other.text_[s].ends.empty()) gather_strings(&text_[s], other.text_[s]);
  }
  gather_strings(&raw_, other.raw_);
  auto gather = [&which](auto* to, const auto& from) {
    const size_t at = to->size();
    to->resize(at + which.size());
    for (size_t i = 0; i < which.size(); ++i) (*to)[at + i] = from[which[i]];
  };
  gather(&timestamp_, other.timestamp_);
  gather(&quantity_, other.quantity_);
  gather(&record_index_, other.record_index_);
  gather(&batch_, other.batch_);
  if (catalog_ != nullptr) {
    gather(&store_, other.store_);
    gather(&product_, other.product_);
  } else {
    gather(&retail_price_, other.retail_price_);
    gather(&mrp_, other.mrp_);
    gather(&total_, other.total_);
  }
}

void SaleColumns::Clear() {
  for (Strings& s : text_) {
    s.bytes.clear();
    s.ends.clear();
  }
  raw_.bytes.clear();
  raw_.ends.clear();
  for (auto* v : {&timestamp_, &retail_price_, &quantity_, &mrp_, &total_, &record_index_}) {
    v->clear();
  }
  batch_.clear();
  store_.clear();
  product_.clear();
  catalog_ = nullptr;
}

bool SaleColumns::SameContent(size_t row, const SaleColumns& o, size_t orow) const {
  if (timestamp_[row] != o.timestamp_[orow] || quantity_[row] != o.quantity_[orow]) return false;
  if (catalog_ != nullptr && catalog_ == o.catalog_) {
    // The same product and quantity: the same prices and total.
    if (store_[row] != o.store_[orow] || product_[row] != o.product_[orow]) return false;
    for (size_t s : {size_t{0}, size_t{8}, size_t{9}}) {
      if (text_[s].At(row) != o.text_[s].At(orow)) return false;
    }
    return true;
  }
  if (retail_price(row) != o.retail_price(orow) || mrp(row) != o.mrp(orow) ||
      total(row) != o.total(orow)) {
    return false;
  }
  for (int f = 0; f < table::kSalesFieldCount; ++f) {
    if (kSlotOf[f] < 0) continue;
    const auto field = static_cast<SalesField>(f);
    if (text(field, row) != o.text(field, orow)) return false;
  }
  return true;
}

void SaleColumns::ToRow(size_t row, SaleRow* out, bool with_raw) const {
  for (int f = 0; f < table::kSalesFieldCount; ++f) {
    if (kSlotOf[f] >= 0) out->text[f].assign(text(static_cast<SalesField>(f), row));
  }
  out->timestamp_micros = timestamp_[row];
  out->retail_price = retail_price(row);
  out->quantity = quantity_[row];
  out->mrp = mrp(row);
  out->total = total(row);
  out->batch = batch_[row];
  out->record_index = record_index_[row];
  if (with_raw) {
    out->raw.assign(raw_.At(row));
  } else {
    out->raw.clear();
  }
}

std::string SaleColumns::ToJson(size_t row) const {
  SaleRow r;
  ToRow(row, &r);
  return r.ToJson();
}

Result<uint64_t> SaleColumns::WriteTo(std::FILE* file) const {
  ChunkWriter w(file);
  const size_t n = rows();
  // What is smaller on disk is less for the kernel to copy there and back.
  std::string ids(n * kUuidBytes, '\0');
  uint64_t forms = kPackedIds;
  for (size_t r = 0; r < n && forms & kPackedIds; ++r) {
    if (!PackUuid(text_[0].At(r), reinterpret_cast<uint8_t*>(ids.data()) + r * kUuidBytes)) {
      forms = 0;
    }
  }
  if (raw_.bytes.empty()) forms |= kNoRaw;
  if (AllFit<int32_t>(quantity_)) forms |= kQuantity32;
  if (AllFit<uint32_t>(record_index_)) forms |= kRecordIndex32;
  const uint64_t head[2] = {catalog_ != nullptr ? 1u : 0u, forms};
  w.Array(head, 2);
  for (size_t slot = 0; slot < text_.size(); ++slot) {
    if (slot == 0 && (forms & kPackedIds)) {
      w.String(ids);
      continue;
    }
    w.String(text_[slot].bytes);
    w.Vector(text_[slot].ends);
  }
  w.String(raw_.bytes);
  if (!(forms & kNoRaw)) w.Vector(raw_.ends);
  w.Vector(timestamp_);
  auto narrow = [&w](const std::vector<int64_t>& v, bool to32) {
    if (!to32) return w.Vector(v);
    std::vector<uint32_t> low(v.size());
    for (size_t i = 0; i < v.size(); ++i) low[i] = static_cast<uint32_t>(v[i]);
    w.Vector(low);
  };
  narrow(quantity_, forms & kQuantity32);
  narrow(record_index_, forms & kRecordIndex32);
  for (const auto* v : {&retail_price_, &mrp_, &total_}) w.Vector(*v);
  w.Vector(batch_);
  w.Vector(store_);
  w.Vector(product_);
  if (!w.ok()) return Status::IOError("transform: writing the spill file failed (disk full?)");
  return w.bytes();
}

Status SaleColumns::AppendFrom(std::FILE* file, uint64_t length,
                               const table::ReferenceCatalog* catalog) {
  // The head: an array of two elements, 1 when the chunk is coded, then its forms.
  uint64_t head[3] = {0, 0, 0};
  if (length < sizeof head || std::fread(head, sizeof head, 1, file) != 1 || head[0] != 2 ||
      head[1] > 1 || (head[1] == 1 && catalog == nullptr) || head[2] > 15) {
    return Status::Internal("transform spill: a chunk of the temporary file is not readable");
  }
  const table::ReferenceCatalog* mode = head[1] == 1 ? catalog : nullptr;
  if (empty()) catalog_ = mode;
  if (catalog_ == mode) return AppendBody(file, length - sizeof head, head[2]);
  SaleColumns other;
  other.catalog_ = mode;
  SL_RETURN_IF_ERROR(other.AppendBody(file, length - sizeof head, head[2]));
  AppendAll(other);
  return Status::OK();
}

Status SaleColumns::AppendBody(std::FILE* file, uint64_t length, uint64_t forms) {
  ChunkReader r(file, length);
  const size_t rows_before = rows();
  auto strings = [&](Strings* s) {
    const size_t base = s->bytes.size();
    return r.String(&s->bytes) && r.Vector(&s->ends, static_cast<uint32_t>(base)) &&
           s->bytes.size() <= std::numeric_limits<uint32_t>::max();
  };
  bool ok = true;
  std::string packed_ids;
  for (size_t slot = 0; slot < text_.size(); ++slot) {
    if (slot == 0 && (forms & kPackedIds)) {
      ok = ok && r.String(&packed_ids) && packed_ids.size() % kUuidBytes == 0;
    } else {
      ok = ok && strings(&text_[slot]);
    }
  }
  const size_t raw_base = raw_.bytes.size();
  ok = ok && r.String(&raw_.bytes);
  if (!(forms & kNoRaw)) ok = ok && r.Vector(&raw_.ends, static_cast<uint32_t>(raw_base));
  ok = ok && r.Vector(&timestamp_);
  auto widen = [&r](std::vector<int64_t>* v, bool from32, bool is_signed) {
    if (!from32) return r.Vector(v);
    std::vector<uint32_t> low;
    if (!r.Vector(&low)) return false;
    v->reserve(v->size() + low.size());
    for (uint32_t x : low) {
      v->push_back(is_signed ? int64_t{static_cast<int32_t>(x)} : int64_t{x});
    }
    return true;
  };
  ok = ok && widen(&quantity_, forms & kQuantity32, true) &&
       widen(&record_index_, forms & kRecordIndex32, false);
  for (auto* v : {&retail_price_, &mrp_, &total_}) ok = ok && r.Vector(v);
  ok = ok && r.Vector(&batch_) && r.Vector(&store_) && r.Vector(&product_) && r.done();
  const size_t n = rows();
  if (ok && (forms & kPackedIds)) {
    ok = packed_ids.size() / kUuidBytes == n - rows_before;
    Strings& ids = text_[0];
    const size_t at = ids.bytes.size();
    ok = ok && at + (n - rows_before) * kUuidChars <= std::numeric_limits<uint32_t>::max();
    if (ok) {
      ids.bytes.resize(at + (n - rows_before) * kUuidChars);
      ids.ends.reserve(n);
      for (size_t i = 0; i < n - rows_before; ++i) {
        UnpackUuid(reinterpret_cast<const uint8_t*>(packed_ids.data()) + i * kUuidBytes,
                   ids.bytes.data() + at + i * kUuidChars);
        ids.ends.push_back(static_cast<uint32_t>(at + (i + 1) * kUuidChars));
      }
    }
  }
  if (ok && (forms & kNoRaw)) {
    ok = raw_.bytes.size() == raw_base;
    raw_.ends.resize(n, static_cast<uint32_t>(raw_base));
  }
  const bool coded = catalog_ != nullptr;
  for (size_t s = 0; s < text_.size(); ++s) {
    const bool catalog_slot =
        s >= static_cast<size_t>(kFirstCatalogSlot) && s <= static_cast<size_t>(kLastCatalogSlot);
    ok = ok && text_[s].ends.size() == (coded && catalog_slot ? 0 : n);
  }
  ok = ok && store_.size() == (coded ? n : 0) && product_.size() == store_.size();
  for (const auto* v : {&retail_price_, &mrp_, &total_}) ok = ok && v->size() == (coded ? 0 : n);
  ok = ok && quantity_.size() == n && record_index_.size() == n;
  if (ok && coded) {
    for (size_t i = rows_before; i < n && ok; ++i) {
      ok = store_[i] < catalog_->stores().size() && product_[i] < catalog_->products().size();
    }
  }
  ok = ok && raw_.ends.size() == n && batch_.size() == n && rows() >= rows_before;
  if (!ok) {
    return Status::Internal(
        "transform spill: reading a chunk of the temporary file failed, or a day holds more than "
        "4 GiB of text");
  }
  return Status::OK();
}

SaleSpill::~SaleSpill() {
  if (file_ != nullptr) std::fclose(file_);
}

Status SaleSpill::Add(int64_t day, const SaleColumns& rows) {
  // Once the temporary file is in use, rows go straight there as a chunk of their own (where
  // FinishAdding would send them anyway), not through a copy in memory first. Not while memory
  // holds older rows of the day: a day's chunks are read back in the order they were written.
  Note(rows);
  if (file_ != nullptr) {
    auto it = memory_.find(day);
    if (it == memory_.end() || it->second.empty()) return AddChunk(day, rows);
  }
  SaleColumns& bucket = memory_[day];
  const size_t before = bucket.bytes();
  bucket.AppendAll(rows);
  return Grew(before, bucket.bytes());
}

Status SaleSpill::Add(int64_t key, const SaleColumns& rows, std::span<const uint32_t> which) {
  Note(rows);
  SaleColumns& bucket = memory_[key];
  const size_t before = bucket.bytes();
  bucket.AppendRows(rows, which);
  return Grew(before, bucket.bytes());
}

Status SaleSpill::AddChunk(int64_t key, const SaleColumns& rows) {
  if (rows.empty()) return Status::OK();
  Note(rows);
  SL_RETURN_IF_ERROR(OpenFile());
  SL_ASSIGN_OR_RETURN(uint64_t length, rows.WriteTo(file_));
  chunks_[key].push_back({file_bytes_, length, rows.shape()});
  file_bytes_ += length;
  return Status::OK();
}

Status SaleSpill::AddSale(int64_t day, const table::ParsedSale& sale, uint32_t batch,
                          int64_t record_index, std::string_view raw) {
  SaleColumns& bucket = memory_[day];
  const size_t before = bucket.bytes();
  bucket.Append(sale, batch, record_index, raw);
  return Grew(before, bucket.bytes());
}

Status SaleSpill::Grew(size_t before, size_t after) {
  in_memory_ += after - before;
  if (in_memory_ <= budget_) return Status::OK();
  return SpillAll();
}

Status SaleSpill::OpenFile() {
  if (file_ == nullptr) {
    file_ = std::tmpfile();  // unlinked at once: nothing is left behind, even after kill -9
    if (file_ == nullptr) return Status::IOError("transform: cannot create a temporary spill file");
  }
  // Chunks are read back from anywhere in the file; new ones go at its end.
  if (std::fseek(file_, 0, SEEK_END) != 0) {
    return Status::IOError("transform: seeking in the spill file failed");
  }
  return Status::OK();
}

Status SaleSpill::ReadChunk(uint64_t offset, uint64_t length, SaleColumns* out) {
  if (std::fflush(file_) != 0) return Status::IOError("transform: writing the spill file failed");
  if (std::fseek(file_, static_cast<long>(offset), SEEK_SET) != 0) {
    return Status::IOError("transform: reading the spill file failed");
  }
  return out->AppendFrom(file_, length, catalog_);
}

Status SaleSpill::SpillAll() {
  SL_RETURN_IF_ERROR(OpenFile());
  for (auto& [day, columns] : memory_) {
    if (columns.empty()) continue;
    SL_ASSIGN_OR_RETURN(uint64_t length, columns.WriteTo(file_));
    chunks_[day].push_back({file_bytes_, length, columns.shape()});
    file_bytes_ += length;
  }
  memory_.clear();
  in_memory_ = 0;
  return Status::OK();
}

Status SaleSpill::FinishAdding() {
  if (file_ == nullptr) return Status::OK();
  return SpillAll();
}

std::vector<int64_t> SaleSpill::Keys() const {
  std::map<int64_t, bool> keys;
  for (const auto& [day, columns] : memory_) {
    if (!columns.empty()) keys[day] = true;
  }
  for (const auto& [day, chunks] : chunks_) {
    if (!chunks.empty()) keys[day] = true;
  }
  std::vector<int64_t> out;
  for (const auto& [day, _] : keys) out.push_back(day);
  return out;
}

size_t SaleSpill::Bytes(int64_t day) const {
  size_t n = 0;
  if (auto it = memory_.find(day); it != memory_.end()) n += it->second.bytes();
  if (auto it = chunks_.find(day); it != chunks_.end()) {
    // The file holds rows in less than memory will.
    for (const Chunk& c : it->second) n += c.shape.MemoryBytes();
  }
  return n;
}

Status SaleSpill::Take(int64_t day, SaleColumns* out) {
  out->Clear();
  auto chunks = chunks_.find(day);
  auto memory = memory_.find(day);
  size_t first = 0;
  if (auto t = taken_.find(day); t != taken_.end()) {
    first = t->second;
    taken_.erase(t);
  }
  SaleColumns::Shape shape;
  if (chunks != chunks_.end()) {
    for (size_t i = first; i < chunks->second.size(); ++i) shape.Add(chunks->second[i].shape);
  }
  if (memory != memory_.end()) shape.Add(memory->second.shape());
  out->Reserve(shape);
  if (auto it = chunks; it != chunks_.end()) {
    for (size_t i = first; i < it->second.size(); ++i) {
      SL_RETURN_IF_ERROR(ReadChunk(it->second[i].offset, it->second[i].length, out));
    }
    chunks_.erase(it);
  }
  if (auto it = memory; it != memory_.end()) {
    in_memory_ -= it->second.bytes();
    out->AppendAll(it->second);
    memory_.erase(it);
  }
  return Status::OK();
}

Status SaleSpill::TakeChunk(int64_t key, SaleColumns* out) {
  out->Clear();
  if (auto it = chunks_.find(key); it != chunks_.end()) {
    size_t& next = taken_[key];
    if (next < it->second.size()) {
      const Chunk& c = it->second[next++];
      out->Reserve(c.shape);
      SL_RETURN_IF_ERROR(ReadChunk(c.offset, c.length, out));
      if (next == it->second.size()) {
        chunks_.erase(it);
        taken_.erase(key);
      }
      return Status::OK();
    }
  }
  if (auto it = memory_.find(key); it != memory_.end()) {
    in_memory_ -= it->second.bytes();
    *out = std::move(it->second);
    memory_.erase(it);
  }
  return Status::OK();
}

}  // namespace saleslake::pipeline

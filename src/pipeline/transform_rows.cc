#include "pipeline/transform_rows.h"

#include <cstring>

#include "base/clock.h"
#include "base/decimal.h"
#include "base/json_writer.h"

namespace saleslake::pipeline {
namespace {

using table::SalesField;

constexpr std::array<SalesField, 10> kStringFields = {
    SalesField::kTransactionId, SalesField::kStoreId,   SalesField::kStoreName,
    SalesField::kStoreLocation, SalesField::kProductId, SalesField::kProductName,
    SalesField::kCategory,      SalesField::kBrand,     SalesField::kCustomerName,
    SalesField::kCustomerEmail};

void PutU64(std::string* out, uint64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  out->append(b, 8);
}
void PutBytes(std::string* out, std::string_view s) {
  uint32_t n = static_cast<uint32_t>(s.size());
  char b[4];
  std::memcpy(b, &n, 4);
  out->append(b, 4);
  out->append(s);
}

class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : p_(bytes) {}
  bool done() const { return p_.empty(); }
  bool U64(uint64_t* v) {
    if (p_.size() < 8) return false;
    std::memcpy(v, p_.data(), 8);
    p_.remove_prefix(8);
    return true;
  }
  bool I64(int64_t* v) {
    uint64_t u;
    if (!U64(&u)) return false;
    *v = static_cast<int64_t>(u);
    return true;
  }
  bool Bytes(std::string* s) {
    uint32_t n;
    if (p_.size() < 4) return false;
    std::memcpy(&n, p_.data(), 4);
    p_.remove_prefix(4);
    if (p_.size() < n) return false;
    s->assign(p_.data(), n);
    p_.remove_prefix(n);
    return true;
  }

 private:
  std::string_view p_;
};

Status Truncated() { return Status::Internal("transform spill: truncated row"); }

}  // namespace

bool SaleRow::SameContent(const SaleRow& o) const {
  return text == o.text && timestamp_micros == o.timestamp_micros &&
         retail_price == o.retail_price && quantity == o.quantity && mrp == o.mrp &&
         total == o.total;
}

std::string SaleRow::ToJson() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  for (const auto& info : table::SalesFields()) {
    w.Key(info.name);
    switch (info.field) {
      case SalesField::kTimestamp:
        w.String(FormatIso8601Micros(timestamp_micros));
        break;
      case SalesField::kRetailPrice:
        w.Raw(FormatScaledDecimal(retail_price, 2));
        break;
      case SalesField::kMrp:
        w.Raw(FormatScaledDecimal(mrp, 2));
        break;
      case SalesField::kTotal:
        w.Raw(FormatScaledDecimal(total, 2));
        break;
      case SalesField::kQuantity:
        w.Int(quantity);
        break;
      default:
        w.String(text[static_cast<int>(info.field)]);
    }
  }
  w.EndObject();
  return out;
}

void SaleRowFromParsed(const table::ParsedSale& sale, SaleRow* row) {
  for (SalesField f : kStringFields) {
    // Only fields that parsed hold views worth copying; the rest are empty.
    if (sale.has(f)) {
      row->text[static_cast<int>(f)].assign(sale.text[static_cast<int>(f)]);
    } else {
      row->text[static_cast<int>(f)].clear();
    }
  }
  row->timestamp_micros = sale.timestamp_micros;
  row->retail_price = sale.retail_price_paise;
  row->quantity = sale.quantity;
  row->mrp = sale.mrp_paise;
  row->total = sale.total_paise;
}

void EncodeQuarantineRow(const QuarantineRow& row, std::string* out) {
  PutBytes(out, row.reason);
  PutBytes(out, row.detail);
  PutBytes(out, row.raw);
  PutU64(out, static_cast<uint64_t>(row.record_index));
}

Status DecodeQuarantineRows(std::string_view bytes, std::vector<QuarantineRow>* rows) {
  Cursor c(bytes);
  while (!c.done()) {
    QuarantineRow& r = rows->emplace_back();
    if (!c.Bytes(&r.reason) || !c.Bytes(&r.detail) || !c.Bytes(&r.raw) || !c.I64(&r.record_index)) {
      return Truncated();
    }
  }
  return Status::OK();
}

Status DecodeQuarantineViews(std::string_view bytes, std::vector<QuarantineView>* rows) {
  auto view = [&bytes](std::string_view* out) {
    uint32_t n;
    if (bytes.size() < 4) return false;
    std::memcpy(&n, bytes.data(), 4);
    bytes.remove_prefix(4);
    if (bytes.size() < n) return false;
    *out = bytes.substr(0, n);
    bytes.remove_prefix(n);
    return true;
  };
  while (!bytes.empty()) {
    QuarantineView& r = rows->emplace_back();
    if (!view(&r.reason) || !view(&r.detail) || !view(&r.raw) || bytes.size() < 8) {
      return Truncated();
    }
    std::memcpy(&r.record_index, bytes.data(), 8);
    bytes.remove_prefix(8);
  }
  return Status::OK();
}

Spill::~Spill() {
  if (file_ != nullptr) std::fclose(file_);
}

Status Spill::Appended(size_t bytes) {
  in_memory_ += bytes;
  if (in_memory_ <= budget_) return Status::OK();
  return SpillAll();
}

Status Spill::SpillAll() {
  if (file_ == nullptr) {
    file_ = std::tmpfile();  // unlinked at once: nothing is left behind, even after kill -9
    if (file_ == nullptr) return Status::IOError("transform: cannot create a temporary spill file");
  }
  if (codec_ == nullptr) {
    SL_ASSIGN_OR_RETURN(codec_, compress::MakeCodec(compress::CodecType::kLz4Raw));
  }
  for (auto& [key, bytes] : memory_) {
    if (bytes.empty()) continue;
    scratch_.clear();
    SL_RETURN_IF_ERROR(codec_->Compress(bytes, &scratch_));
    if (std::fseek(file_, 0, SEEK_END) != 0 ||
        std::fwrite(scratch_.data(), 1, scratch_.size(), file_) != scratch_.size()) {
      return Status::IOError("transform: writing the spill file failed (disk full?)");
    }
    chunks_[key].push_back({file_bytes_, scratch_.size(), bytes.size()});
    file_bytes_ += scratch_.size();
    std::string().swap(bytes);
  }
  std::string().swap(scratch_);
  in_memory_ = 0;
  return Status::OK();
}

Status Spill::ReadChunk(const Chunk& chunk, std::string* out) {
  scratch_.resize(chunk.stored);
  if (std::fseek(file_, static_cast<long>(chunk.offset), SEEK_SET) != 0 ||
      std::fread(scratch_.data(), 1, chunk.stored, file_) != chunk.stored) {
    return Status::IOError("transform: reading the spill file failed");
  }
  const size_t at = out->size();
  out->resize(at + chunk.size);
  Status s = codec_->Decompress(scratch_, out->data() + at, chunk.size);
  if (!s.ok())
    return Status::Internal("transform spill: a chunk does not decompress: " + s.message());
  return Status::OK();
}

std::vector<int64_t> Spill::Keys() const {
  std::vector<int64_t> keys;
  auto a = memory_.begin();
  auto b = chunks_.begin();
  while (a != memory_.end() || b != chunks_.end()) {
    int64_t k;
    if (b == chunks_.end() || (a != memory_.end() && a->first < b->first)) {
      k = a->first;
    } else {
      k = b->first;
    }
    bool has = false;
    if (a != memory_.end() && a->first == k) {
      has = has || !a->second.empty();
      ++a;
    }
    if (b != chunks_.end() && b->first == k) {
      has = true;
      ++b;
    }
    if (has) keys.push_back(k);
  }
  return keys;
}

Result<std::string> Spill::Take(int64_t key) {
  std::string out;
  if (auto it = chunks_.find(key); it != chunks_.end()) {
    size_t size = 0;
    for (const Chunk& c : it->second) size += c.size;
    out.reserve(size + (memory_.count(key) ? memory_[key].size() : 0));
    for (const Chunk& c : it->second) SL_RETURN_IF_ERROR(ReadChunk(c, &out));
    chunks_.erase(it);
  }
  if (auto it = memory_.find(key); it != memory_.end()) {
    out += it->second;
    in_memory_ -= it->second.size();
    memory_.erase(it);
  }
  return out;
}

Status Spill::TakeChunk(int64_t key, std::string* out) {
  if (auto it = chunks_.find(key); it != chunks_.end() && !it->second.empty()) {
    const Chunk c = it->second.front();
    it->second.erase(it->second.begin());
    if (it->second.empty()) chunks_.erase(it);
    // The chunk is decompressed into the caller's buffer, whose pages stay between chunks.
    out->clear();
    SL_RETURN_IF_ERROR(ReadChunk(c, out));
    return Status::OK();
  }
  out->clear();
  if (auto it = memory_.find(key); it != memory_.end()) {
    out->swap(it->second);
    in_memory_ -= out->size();
    memory_.erase(it);
  }
  return Status::OK();
}

}  // namespace saleslake::pipeline

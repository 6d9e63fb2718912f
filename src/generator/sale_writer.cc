#include "generator/sale_writer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <string_view>

#include "base/decimal.h"
#include "base/json_writer.h"

namespace saleslake::generator {
namespace {

// Two lower-case hex digits per byte value: a UUID is 16 table lookups.
constexpr std::array<std::array<char, 2>, 256> MakeHexPairs() {
  constexpr char kHex[] = "0123456789abcdef";
  std::array<std::array<char, 2>, 256> t{};
  for (int i = 0; i < 256; ++i) t[i] = {kHex[i >> 4], kHex[i & 15]};
  return t;
}
constexpr auto kHexPairs = MakeHexPairs();

char* PutHexBytes(uint64_t word, int first_byte, int count, char* out) {
  for (int i = first_byte; i < first_byte + count; ++i) {
    std::memcpy(out, kHexPairs[(word >> (56 - 8 * i)) & 0xff].data(), 2);
    out += 2;
  }
  return out;
}

char* Copy(std::string_view s, char* out) {
  std::memcpy(out, s.data(), s.size());
  return out + s.size();
}

void AppendField(std::string* out, std::string_view name, std::string_view value) {
  if (!out->empty()) out->push_back(',');
  AppendJsonString(out, name);
  out->push_back(':');
  AppendJsonString(out, value);
}

void AppendRawField(std::string* out, std::string_view name, std::string_view json) {
  if (!out->empty()) out->push_back(',');
  AppendJsonString(out, name);
  out->push_back(':');
  out->append(json);
}

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

}  // namespace

void MakeUuidV4(uint64_t* high, uint64_t* low) {
  *high = (*high & ~uint64_t{0xf000}) | 0x4000;                    // version 4 (byte 6)
  *low = (*low & ~(uint64_t{0xc} << 60)) | (uint64_t{0x8} << 60);  // variant 10xx (byte 8)
}

char* WriteUuid(uint64_t high, uint64_t low, char* out) {
  // 8-4-4-4-12 hex digits: bytes 0-3, 4-5, 6-7 of `high`, then 0-1, 2-7 of `low`.
  out = PutHexBytes(high, 0, 4, out);
  *out++ = '-';
  out = PutHexBytes(high, 4, 2, out);
  *out++ = '-';
  out = PutHexBytes(high, 6, 2, out);
  *out++ = '-';
  out = PutHexBytes(low, 0, 2, out);
  *out++ = '-';
  return PutHexBytes(low, 2, 6, out);
}

SaleSampler::SaleSampler(const Catalog& catalog, const SaleTimeSampler& times)
    : times_(times), store_count_(static_cast<uint32_t>(catalog.stores().size())) {
  // Cheap things sell more often: weight ~ 1 / sqrt(price), so earphones outsell OLED TVs ~13:1.
  std::vector<uint64_t> weights;
  weights.reserve(catalog.products().size());
  for (const table::Product& p : catalog.products()) {
    const double w = 1e7 / std::sqrt(static_cast<double>(std::max<int64_t>(p.mrp_rupees, 1)));
    weights.push_back(static_cast<uint64_t>(std::llround(w)) + 1);
  }
  products_ = AliasTable(weights);
}

Sale SaleSampler::Draw(Rng& rng) const {
  Sale s;
  s.id_high = rng.Next();
  s.id_low = rng.Next();
  MakeUuidV4(&s.id_high, &s.id_low);
  s.timestamp_micros = times_.Sample(rng);
  s.store = static_cast<uint32_t>(rng.Below(store_count_));
  s.product = products_.Sample(rng);
  // Most baskets hold one unit: 70% one, 22% two, 8% three.
  const uint64_t q = rng.Below(100);
  s.quantity = q < 70 ? 1 : q < 92 ? 2 : 3;
  s.customer = DrawCustomer(rng);
  return s;
}

SaleWriter::SaleWriter(const Catalog& catalog) : catalog_(catalog) {
  size_t longest_store = 0;
  for (const table::Store& s : catalog.stores()) {
    std::string f;
    AppendField(&f, "store_id", s.store_id);
    AppendField(&f, "store_name", s.store_name);
    AppendField(&f, "store_location", s.location);
    longest_store = std::max(longest_store, f.size());
    store_fragments_.push_back(std::move(f));
  }
  size_t longest_product = 0;
  product_fragments_.reserve(catalog.products().size() * 3);
  for (const table::Product& p : catalog.products()) {
    for (int q = 1; q <= 3; ++q) {
      std::string f;
      AppendField(&f, "product_id", p.product_id);
      AppendField(&f, "product_name", p.product_name);
      AppendField(&f, "category", p.category);
      AppendField(&f, "brand", p.brand);
      std::string price;
      AppendScaledDecimal(&price, p.retail_price_paise, 2);
      AppendRawField(&f, "retail_price", price);
      AppendRawField(&f, "quantity", std::to_string(q));
      AppendRawField(&f, "mrp", std::to_string(p.mrp_rupees));
      AppendRawField(&f, "total", std::to_string(p.mrp_rupees * q));
      longest_product = std::max(longest_product, f.size());
      product_fragments_.push_back(std::move(f));
    }
  }
  max_record_bytes_ = 128 + 36 + kTimestampMaxBytes + longest_store + longest_product +
                      kMaxCustomerNameBytes + kMaxCustomerEmailBytes;
}

char* SaleWriter::Write(const Sale& sale, char* out) const {
  out = Copy("{\"transaction_id\":\"", out);
  out = WriteUuid(sale.id_high, sale.id_low, out);
  out = Copy("\",\"timestamp\":\"", out);
  out = WriteIsoTimestamp(sale.timestamp_micros, out);
  out = Copy("\",", out);
  out = Copy(store_fragments_[sale.store], out);
  *out++ = ',';
  out = Copy(product_fragments_[sale.product * 3 + sale.quantity - 1], out);
  out = Copy(",\"customer_name\":\"", out);
  out = WriteCustomerName(sale.customer, out);
  out = Copy("\",\"customer_email\":\"", out);
  out = WriteCustomerEmail(sale.customer, out);
  return Copy("\"}", out);
}

std::vector<std::pair<std::string, std::string>> SaleWriter::Fields(const Sale& sale) const {
  const table::Store& store = catalog_.stores()[sale.store];
  const table::Product& product = catalog_.products()[sale.product];
  char buffer[128];
  std::vector<std::pair<std::string, std::string>> fields;
  fields.reserve(16);
  auto text = [&](char* end) { return JsonString(std::string_view(buffer, end - buffer)); };
  fields.emplace_back("transaction_id", text(WriteUuid(sale.id_high, sale.id_low, buffer)));
  fields.emplace_back("timestamp", text(WriteIsoTimestamp(sale.timestamp_micros, buffer)));
  fields.emplace_back("store_id", JsonString(store.store_id));
  fields.emplace_back("store_name", JsonString(store.store_name));
  fields.emplace_back("store_location", JsonString(store.location));
  fields.emplace_back("product_id", JsonString(product.product_id));
  fields.emplace_back("product_name", JsonString(product.product_name));
  fields.emplace_back("category", JsonString(product.category));
  fields.emplace_back("brand", JsonString(product.brand));
  fields.emplace_back("retail_price", FormatScaledDecimal(product.retail_price_paise, 2));
  fields.emplace_back("quantity", std::to_string(sale.quantity));
  fields.emplace_back("mrp", std::to_string(product.mrp_rupees));
  fields.emplace_back("total", std::to_string(product.mrp_rupees * sale.quantity));
  fields.emplace_back("customer_name", text(WriteCustomerName(sale.customer, buffer)));
  fields.emplace_back("customer_email", text(WriteCustomerEmail(sale.customer, buffer)));
  return fields;
}

}  // namespace saleslake::generator

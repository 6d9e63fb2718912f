// The simdjson on-demand parse of NDJSON sale records. This file alone is compiled for AVX2 on
// x86-64 (see CMakeLists.txt and sales_ndjson_reader.h): keep other code out of it.
#include "table/sales_ndjson_reader.h"

#include <fmt/format.h>
#include <simdjson.h>

#ifdef __AVX2__
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include "base/clock.h"
#include "base/decimal.h"
#include "base/strings.h"

namespace saleslake::table {
namespace {

namespace od = simdjson::ondemand;

constexpr size_t kChunkBytes = 8 << 20;      // input read per step
constexpr size_t kMaxRecordBytes = 1 << 20;  // simdjson's window: no record may be longer

// A record's values, held until the whole record has parsed, so a bad record adds nothing.
struct PendingRecord {
  std::array<std::string_view, kSalesFieldCount> text;  // views into the parser's buffers
  std::array<int64_t, kSalesFieldCount> number{};
  uint32_t seen = 0;
};

// A field name as raw key bytes followed by the closing quote, compared 16 bytes at a time (keys
// are at most 14 characters; simdjson's padding makes the 16-byte read safe).
struct KeyPattern {
  uint64_t lo = 0, hi = 0, mask_lo = 0, mask_hi = 0;

  explicit KeyPattern(std::string_view name) {
    char bytes[16] = {};
    char mask[16] = {};
    std::memcpy(bytes, name.data(), name.size());
    bytes[name.size()] = '"';
    std::memset(mask, 0xFF, name.size() + 1);
    std::memcpy(&lo, bytes, 8);
    std::memcpy(&hi, bytes + 8, 8);
    std::memcpy(&mask_lo, mask, 8);
    std::memcpy(&mask_hi, mask + 8, 8);
  }
  bool Matches(const char* raw) const {
    uint64_t a, b;
    std::memcpy(&a, raw, 8);
    std::memcpy(&b, raw + 8, 8);
    return ((a ^ lo) & mask_lo) == 0 && ((b ^ hi) & mask_hi) == 0;
  }
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Whether [p, p + n) holds byte `c`. May read up to 31 bytes past the end (the input buffer has
// simdjson's padding there).
bool HasByte(const char* p, size_t n, char c) {
#ifdef __AVX2__
  const __m256i needle = _mm256_set1_epi8(c);
  for (size_t i = 0; i < n; i += 32) {
    const __m256i block = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    uint32_t mask = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(block, needle)));
    if (n - i < 32) mask &= (1u << (n - i)) - 1;
    if (mask != 0) return true;
  }
  return false;
#else
  return std::memchr(p, c, n) != nullptr;
#endif
}

// Number of '\n' in [p, p + n).
int64_t CountNewlines(const char* p, size_t n) {
  int64_t count = 0;
  size_t i = 0;
#ifdef __AVX2__
  const __m256i newline = _mm256_set1_epi8('\n');
  for (; i + 32 <= n; i += 32) {
    const __m256i block = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    count += __builtin_popcount(
        static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(block, newline))));
  }
#endif
  for (; i < n; ++i) count += p[i] == '\n';
  return count;
}

// The common shape of a JSON number with at most `scale` (0..2) fraction digits and at most 15
// integer digits, scaled to an integer. Anything else (exponents, more digits, leading zeros)
// returns false and goes through ParseScaledDecimal, which also words the errors.
bool FastScaled(std::string_view t, int scale, int64_t* out) {
  size_t i = 0;
  const bool negative = !t.empty() && t[0] == '-';
  i += negative;
  const size_t start = i;
  int64_t v = 0;
  while (i < t.size() && IsDigit(t[i])) v = v * 10 + (t[i++] - '0');
  const size_t digits = i - start;
  if (digits == 0 || digits > 15 || (digits > 1 && t[start] == '0')) return false;
  int fraction_digits = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && IsDigit(t[i]) && fraction_digits < scale) {
      v = v * 10 + (t[i++] - '0');
      ++fraction_digits;
    }
    if (fraction_digits == 0) return false;
  }
  if (i != t.size()) return false;
  for (int k = fraction_digits; k < scale; ++k) v *= 10;
  *out = negative ? -v : v;
  return true;
}

// "YYYY-MM-DDTHH:MM:SS[.f{1,9}][Z]" (the generator's layout, 'T' or ' '), checked field by
// field; other layouts and odd values (leap seconds, offsets) go through ParseIso8601Micros.
bool FastTimestamp(std::string_view t, int64_t* micros) {
  if (t.size() < 19) return false;
  auto num = [&](size_t at, size_t n, int* out) {
    int v = 0;
    for (size_t k = at; k < at + n; ++k) {
      if (!IsDigit(t[k])) return false;
      v = v * 10 + (t[k] - '0');
    }
    *out = v;
    return true;
  };
  int y, mo, d, h, mi, sec;
  if (!num(0, 4, &y) || t[4] != '-' || !num(5, 2, &mo) || t[7] != '-' || !num(8, 2, &d) ||
      (t[10] != 'T' && t[10] != ' ') || !num(11, 2, &h) || t[13] != ':' || !num(14, 2, &mi) ||
      t[16] != ':' || !num(17, 2, &sec)) {
    return false;
  }
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[mo - 1] + (mo == 2 && leap)) return false;
  size_t i = 19;
  int64_t fraction = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    const size_t start = i;
    int64_t scale = 100000;
    while (i < t.size() && IsDigit(t[i]) && i - start < 9) {
      if (scale > 0) fraction += (t[i] - '0') * scale;  // digits past micros are truncated
      scale /= 10;
      ++i;
    }
    if (i == start) return false;
  }
  if (i < t.size() && t[i] == 'Z') ++i;
  if (i != t.size()) return false;
  const int64_t days = DaysFromCivil(CivilDate{y, mo, d});
  *micros = ((days * 24 + h) * 60 + mi) * 60'000'000LL + sec * 1'000'000LL + fraction;
  return true;
}

// A string value's text. Without escapes it is a view of the input itself (no copy); with
// escapes simdjson unescapes it into the parser's buffer. Fails when the value is not a string.
bool StringValue(od::value& value, std::string_view token, std::string_view* out) {
  if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
    std::string_view inner = token.substr(1, token.size() - 2);
    if (!HasByte(inner.data(), inner.size(), '\\')) {
      *out = inner;
      return true;
    }
  }
  return !value.get_string().get(*out);
}

// Parses sale records, with the field table copied in once (names as key patterns, JSON types).
class RecordParser {
 public:
  RecordParser() {
    for (const SalesFieldInfo& f : SalesFields()) {
      keys_.emplace_back(f.name);
      fields_.push_back(f);
    }
  }

  // Parses one document into *record; errors say what is wrong, without the line.
  Status Parse(od::document_reference doc, PendingRecord* record) const {
    od::object object;
    if (doc.get_object().get(object)) return Status::InvalidArgument("not a JSON object");
    record->seen = 0;
    int expected = 0;
    for (auto field_result : object) {
      od::field field;
      if (std::move(field_result).get(field)) return Status::InvalidArgument("malformed JSON");
      const int index = FieldIndex(field.key().raw(), expected);
      if (index < 0) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return Status::InvalidArgument("malformed field name");
        return Status::InvalidArgument(
            fmt::format("unknown field '{}' (a sale has exactly the 15 fields of DESIGN.md)", key));
      }
      const SalesFieldInfo& info = fields_[static_cast<size_t>(index)];
      if (record->seen & (1u << index)) {
        return Status::InvalidArgument(fmt::format("field '{}' appears twice", info.name));
      }
      record->seen |= 1u << index;
      expected = index + 1;
      SL_RETURN_IF_ERROR(ParseValue(info, field.value(), record));
    }
    if (record->seen != (1u << kSalesFieldCount) - 1) {
      for (int i = 0; i < kSalesFieldCount; ++i) {
        if (!(record->seen & (1u << i))) {
          return Status::InvalidArgument(
              fmt::format("missing field '{}'", fields_[static_cast<size_t>(i)].name));
        }
      }
    }
    return Status::OK();
  }

 private:
  // The field's index, trying the one that usually comes next first (records from one writer
  // keep one order). An escaped key never matches, and so is reported unknown.
  int FieldIndex(const char* raw_key, int expected) const {
    if (expected < kSalesFieldCount && keys_[static_cast<size_t>(expected)].Matches(raw_key)) {
      return expected;
    }
    for (int i = 0; i < kSalesFieldCount; ++i) {
      if (keys_[static_cast<size_t>(i)].Matches(raw_key)) return i;
    }
    return -1;
  }

  static Status ParseValue(const SalesFieldInfo& info, od::value& value, PendingRecord* record) {
    const size_t index = static_cast<size_t>(info.field);
    const std::string_view token = TrimRight(value.raw_json_token());
    if (token == "null") {
      return Status::InvalidArgument(fmt::format("field '{}' is null", info.name));
    }
    if (info.json_type == SalesJsonType::kString) {
      std::string_view s;
      if (!StringValue(value, token, &s)) {
        return Status::InvalidArgument(fmt::format("field '{}' must be a string", info.name));
      }
      if (info.field != SalesField::kTimestamp) {
        record->text[index] = s;
        return Status::OK();
      }
      if (FastTimestamp(s, &record->number[index])) return Status::OK();
      Result<int64_t> micros = ParseIso8601Micros(s);
      if (!micros.ok()) {
        return Status::InvalidArgument(
            fmt::format("field 'timestamp': {}", micros.status().message()));
      }
      record->number[index] = *micros;
      return Status::OK();
    }
    if (token.empty() || !(token.front() == '-' || IsDigit(token.front()))) {
      return Status::InvalidArgument(fmt::format("field '{}' must be a number", info.name));
    }
    // Numbers go from their own text to integers, exactly (no double on the way). Quantity is
    // parsed the same way at scale 0, so 2.0 is 2 and 2.5 is an error.
    const int scale = info.field == SalesField::kQuantity ? 0 : kMoneyScale;
    if (!FastScaled(token, scale, &record->number[index])) {
      Result<int64_t> v = ParseScaledDecimal(token, scale);
      if (!v.ok()) {
        return Status::InvalidArgument(
            fmt::format("field '{}': {}", info.name, v.status().message()));
      }
      record->number[index] = *v;
    }
    if (info.field == SalesField::kQuantity &&
        (record->number[index] < INT32_MIN || record->number[index] > INT32_MAX)) {
      return Status::InvalidArgument("field 'quantity' does not fit 32 bits");
    }
    return Status::OK();
  }

  std::vector<KeyPattern> keys_;
  std::vector<SalesFieldInfo> fields_;
};

void AppendRecord(const PendingRecord& r, SalesColumns* columns) {
  for (int i = 0; i < kSalesFieldCount; ++i) {
    parquet::ColumnBuffer& c = columns->column(static_cast<SalesField>(i));
    switch (static_cast<SalesField>(i)) {
      case SalesField::kTimestamp:
      case SalesField::kRetailPrice:
      case SalesField::kMrp:
      case SalesField::kTotal:
        c.AppendInt64(r.number[static_cast<size_t>(i)]);
        break;
      case SalesField::kQuantity:
        c.AppendInt32(static_cast<int32_t>(r.number[static_cast<size_t>(i)]));
        break;
      default:
        c.AppendBytes(r.text[static_cast<size_t>(i)]);
        break;
    }
  }
}

// Reads the input in chunks that end at a line break, keeping simdjson's padding after them.
class ChunkReader {
 public:
  explicit ChunkReader(std::FILE* file) : file_(file) {
    buffer_.resize(kChunkBytes + simdjson::SIMDJSON_PADDING);
  }

  // The next chunk of whole lines (the last chunk may lack a final newline); empty at the end.
  // *first_line is the 1-based line number of its first byte.
  Result<std::string_view> Next(int64_t* first_line) {
    // Move the unparsed tail of the previous chunk to the front.
    if (consumed_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + consumed_, filled_ - consumed_);
      filled_ -= consumed_;
      line_ += lines_in_chunk_;
      consumed_ = 0;
    }
    *first_line = line_;
    while (true) {
      const size_t capacity = buffer_.size() - simdjson::SIMDJSON_PADDING;
      if (!eof_ && filled_ < capacity) {
        const size_t n = std::fread(buffer_.data() + filled_, 1, capacity - filled_, file_);
        filled_ += n;
        if (n == 0) {
          if (std::ferror(file_)) {
            return Status::IOError(fmt::format("reading input: {}", std::strerror(errno)));
          }
          eof_ = true;
        }
      }
      size_t end = filled_;
      if (!eof_) {
        const void* nl = memrchr(buffer_.data(), '\n', filled_);
        if (nl == nullptr) {
          if (filled_ >= capacity) {
            return Status::InvalidArgument(
                fmt::format("line {}: a record longer than {} bytes", line_, capacity));
          }
          continue;  // read more
        }
        end = static_cast<size_t>(static_cast<const char*>(nl) - buffer_.data()) + 1;
      }
      consumed_ = end;
      lines_in_chunk_ = CountNewlines(buffer_.data(), end);
      // simdjson may read up to SIMDJSON_PADDING bytes past `end` (whatever they hold): the
      // buffer always has them.
      return std::string_view(buffer_.data(), end);
    }
  }

 private:
  std::FILE* file_;
  std::vector<char> buffer_;
  size_t filled_ = 0;
  size_t consumed_ = 0;
  int64_t line_ = 1;
  int64_t lines_in_chunk_ = 0;
  bool eof_ = false;
};

int64_t LineAt(std::string_view chunk, size_t offset, int64_t first_line) {
  int64_t line = first_line;
  for (size_t i = 0; i < offset && i < chunk.size(); ++i) line += chunk[i] == '\n';
  return line;
}

class SimdjsonSalesReader final : public SalesNdjsonReader {
 public:
  SimdjsonSalesReader(std::FILE* file, std::string name) : chunks_(file), name_(std::move(name)) {
#ifdef SIMDJSON_THREADS_ENABLED
    // One thread: no stage-1 worker running ahead (convert's speed is quoted per thread).
    parser_.threaded = false;
#endif
  }

  Result<bool> ReadChunk(SalesColumns* columns) override {
    int64_t first_line = 0;
    Result<std::string_view> next = chunks_.Next(&first_line);
    if (!next.ok()) return next.status().WithContext(name_);
    const std::string_view chunk = *next;
    if (chunk.empty()) return false;
    od::document_stream stream;
    if (parser_.iterate_many(chunk.data(), chunk.size(), kMaxRecordBytes).get(stream)) {
      return Status::InvalidArgument(
          fmt::format("{}: line {}: cannot parse JSON", name_, first_line));
    }
    for (auto it = stream.begin(); it != stream.end(); ++it) {
      od::document_reference doc;
      Status s;
      if (auto error = (*it).get(doc)) {
        // A syntax error found while indexing a whole window has no exact position: find the
        // first line that does not parse on its own.
        return LocateSyntaxError(chunk, first_line, error);
      } else {
        s = parser_records_.Parse(doc, &record_);
      }
      if (!s.ok()) {
        return Status::InvalidArgument(fmt::format(
            "{}: line {}: {}", name_, LineAt(chunk, it.current_index(), first_line), s.message()));
      }
      AppendRecord(record_, columns);
    }
    if (stream.truncated_bytes() > 0) {
      const size_t at = chunk.size() - stream.truncated_bytes();
      return Status::InvalidArgument(fmt::format("{}: line {}: an incomplete JSON record", name_,
                                                 LineAt(chunk, at, first_line)));
    }
    return true;
  }

 private:
  Status LocateSyntaxError(std::string_view chunk, int64_t first_line,
                           simdjson::error_code error) const {
    simdjson::dom::parser line_parser;
    int64_t line = first_line;
    for (size_t start = 0; start < chunk.size(); ++line) {
      size_t end = chunk.find('\n', start);
      if (end == std::string_view::npos) end = chunk.size();
      const simdjson::padded_string text(chunk.substr(start, end - start));
      simdjson::dom::element ignored;
      const bool blank =
          chunk.substr(start, end - start).find_first_not_of(" \t\r") == std::string_view::npos;
      if (!blank) {
        if (auto e = line_parser.parse(text).get(ignored)) {
          return Status::InvalidArgument(
              fmt::format("{}: line {}: {}", name_, line, simdjson::error_message(e)));
        }
      }
      start = end + 1;
    }
    return Status::InvalidArgument(fmt::format("{}: lines {}..{}: {}", name_, first_line, line - 1,
                                               simdjson::error_message(error)));
  }

  ChunkReader chunks_;
  std::string name_;
  od::parser parser_;
  RecordParser parser_records_;
  PendingRecord record_;
};

}  // namespace

namespace internal {

std::unique_ptr<SalesNdjsonReader> NewSimdjsonSalesReader(std::FILE* file, std::string name) {
  return std::make_unique<SimdjsonSalesReader>(file, std::move(name));
}

}  // namespace internal
}  // namespace saleslake::table

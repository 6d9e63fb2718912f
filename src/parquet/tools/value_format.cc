#include "parquet/tools/value_format.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>

#include "base/hash.h"
#include "base/json_writer.h"
#include "parquet/reader/logical_value.h"

namespace saleslake::parquet {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto c = static_cast<uint8_t>(s[i]);
  if (c < 0x80) return 1;
  size_t n;
  uint32_t min;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    n = 2, min = 0x80, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, min = 0x800, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<uint8_t>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string ToValidUtf8(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// The value as text, and whether JSON needs it quoted.
struct Text {
  std::string text;
  bool quoted = false;
};

std::string FloatText(double v, bool is_float) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return is_float ? fmt::format("{}", static_cast<float>(v)) : fmt::format("{}", v);
}

Text ValueText(const ColumnDescriptor& c, const ColumnVector& v, int64_t row) {
  const auto r = static_cast<size_t>(row);
  int64_t integer = 0;
  std::string_view bytes;
  switch (c.physical_type) {
    case Type::kBoolean:
      return {v.bools[r] ? "true" : "false", false};
    case Type::kInt32:
      integer = v.int32s[r];
      break;
    case Type::kInt64:
      integer = v.int64s[r];
      break;
    case Type::kFloat: {
      Text t{FloatText(v.floats[r], true), false};
      t.quoted = !std::isfinite(v.floats[r]);
      return t;
    }
    case Type::kDouble: {
      Text t{FloatText(v.doubles[r], false), false};
      t.quoted = !std::isfinite(v.doubles[r]);
      return t;
    }
    default:
      bytes = v.BinaryAt(row);
      break;
  }
  switch (c.kind) {
    case ColumnKind::kInt:
      return {fmt::format("{}", integer), false};
    case ColumnKind::kUInt:
      return {c.physical_type == Type::kInt32 ? fmt::format("{}", static_cast<uint32_t>(integer))
                                              : fmt::format("{}", static_cast<uint64_t>(integer)),
              false};
    case ColumnKind::kDecimal:
      return {DecimalText(c, integer, bytes), false};
    case ColumnKind::kDate:
      return {FormatDate(integer), true};
    case ColumnKind::kTime:
      return {FormatTimeOfDay(integer, c.time_unit), true};
    case ColumnKind::kTimestamp:
      if (c.is_int96) return {FormatTimestamp(Int96ToTime(bytes), TimeUnit::kNanos, true), true};
      return {FormatTimestamp(SplitTime(integer, c.time_unit), c.time_unit, c.utc_adjusted), true};
    case ColumnKind::kUuid:
      return {FormatUuid(bytes), true};
    case ColumnKind::kFloat16: {
      uint16_t h = 0;
      std::memcpy(&h, bytes.data(), std::min<size_t>(bytes.size(), 2));
      const float f = HalfToFloat(h);
      return {FloatText(f, true), !std::isfinite(f)};
    }
    case ColumnKind::kString:
      return {IsValidUtf8(bytes) ? std::string(bytes) : ToValidUtf8(bytes), true};
    case ColumnKind::kBinary:
      return {Base64Encode(bytes), true};
    default:  // kBoolean, kFloat, kDouble handled by physical type above
      return {fmt::format("{}", integer), false};
  }
}

}  // namespace

void AppendJsonText(std::string* out, std::string_view s) {
  if (IsValidUtf8(s)) {
    AppendJsonString(out, s);
  } else {
    AppendJsonString(out, ToValidUtf8(s));
  }
}

void AppendJsonValue(const ColumnDescriptor& column, const ColumnVector& values, int64_t row,
                     std::string* out) {
  if (values.IsNull(row)) {
    out->append("null");
    return;
  }
  Text t = ValueText(column, values, row);
  if (t.quoted) {
    AppendJsonString(out, t.text);  // already valid UTF-8
  } else {
    out->append(t.text);
  }
}

void AppendCsvValue(const ColumnDescriptor& column, const ColumnVector& values, int64_t row,
                    std::string* out) {
  if (values.IsNull(row)) return;
  Text t = ValueText(column, values, row);
  if (t.text.find_first_of(",\"\r\n") == std::string::npos) {
    out->append(t.text);
    return;
  }
  out->push_back('"');
  for (char ch : t.text) {
    if (ch == '"') out->push_back('"');
    out->push_back(ch);
  }
  out->push_back('"');
}

Result<ColumnVector> DecodeStatisticsValue(const ColumnDescriptor& column, std::string_view plain) {
  ColumnVector v;
  v.physical_type = column.physical_type;
  v.Resize(1, false);
  auto need = [&](size_t n) -> Status {
    if (plain.size() != n) {
      return Status::Corruption(fmt::format("a statistics value of {} bytes for a {} column",
                                            plain.size(), TypeName(column.physical_type)));
    }
    return Status::OK();
  };
  switch (column.physical_type) {
    case Type::kBoolean:
      SL_RETURN_IF_ERROR(need(1));
      v.bools[0] = plain[0] != 0;
      break;
    case Type::kInt32:
      SL_RETURN_IF_ERROR(need(4));
      std::memcpy(&v.int32s[0], plain.data(), 4);
      break;
    case Type::kInt64:
      SL_RETURN_IF_ERROR(need(8));
      std::memcpy(&v.int64s[0], plain.data(), 8);
      break;
    case Type::kFloat:
      SL_RETURN_IF_ERROR(need(4));
      std::memcpy(&v.floats[0], plain.data(), 4);
      break;
    case Type::kDouble:
      SL_RETURN_IF_ERROR(need(8));
      std::memcpy(&v.doubles[0], plain.data(), 8);
      break;
    case Type::kInt96:
      SL_RETURN_IF_ERROR(need(12));
      [[fallthrough]];
    default: {
      if (column.physical_type == Type::kFixedLenByteArray) {
        SL_RETURN_IF_ERROR(need(static_cast<size_t>(column.type_length)));
      }
      auto owned = std::make_shared<std::string>(plain);
      v.binaries[0] = *owned;
      v.buffers.push_back(std::move(owned));
      break;
    }
  }
  return v;
}

}  // namespace saleslake::parquet

// Names of metadata enums and the LogicalType helpers.
#include "parquet/metadata.h"

#include <fmt/format.h>

namespace saleslake::parquet {
namespace {

template <size_t N>
std::string NameOrUnknown(const char* const (&names)[N], int32_t v) {
  if (v >= 0 && static_cast<size_t>(v) < N && names[v] != nullptr) return names[v];
  return fmt::format("UNKNOWN({})", v);
}

const char* TimeUnitName(TimeUnit u) {
  switch (u) {
    case TimeUnit::kMillis:
      return "MILLIS";
    case TimeUnit::kMicros:
      return "MICROS";
    case TimeUnit::kNanos:
      return "NANOS";
  }
  return "UNKNOWN";
}

}  // namespace

std::string TypeName(Type t) {
  static const char* const kNames[] = {"BOOLEAN", "INT32",  "INT64",      "INT96",
                                       "FLOAT",   "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
  return NameOrUnknown(kNames, static_cast<int32_t>(t));
}

std::string ConvertedTypeName(ConvertedType t) {
  static const char* const kNames[] = {"UTF8",
                                       "MAP",
                                       "MAP_KEY_VALUE",
                                       "LIST",
                                       "ENUM",
                                       "DECIMAL",
                                       "DATE",
                                       "TIME_MILLIS",
                                       "TIME_MICROS",
                                       "TIMESTAMP_MILLIS",
                                       "TIMESTAMP_MICROS",
                                       "UINT_8",
                                       "UINT_16",
                                       "UINT_32",
                                       "UINT_64",
                                       "INT_8",
                                       "INT_16",
                                       "INT_32",
                                       "INT_64",
                                       "JSON",
                                       "BSON",
                                       "INTERVAL"};
  return NameOrUnknown(kNames, static_cast<int32_t>(t));
}

std::string RepetitionName(FieldRepetitionType t) {
  static const char* const kNames[] = {"REQUIRED", "OPTIONAL", "REPEATED"};
  return NameOrUnknown(kNames, static_cast<int32_t>(t));
}

std::string EncodingName(Encoding e) {
  static const char* const kNames[] = {"PLAIN",
                                       nullptr,
                                       "PLAIN_DICTIONARY",
                                       "RLE",
                                       "BIT_PACKED",
                                       "DELTA_BINARY_PACKED",
                                       "DELTA_LENGTH_BYTE_ARRAY",
                                       "DELTA_BYTE_ARRAY",
                                       "RLE_DICTIONARY",
                                       "BYTE_STREAM_SPLIT"};
  return NameOrUnknown(kNames, static_cast<int32_t>(e));
}

std::string CodecName(CompressionCodec c) {
  static const char* const kNames[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                       "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
  return NameOrUnknown(kNames, static_cast<int32_t>(c));
}

std::string PageTypeName(PageType t) {
  static const char* const kNames[] = {"DATA_PAGE", "INDEX_PAGE", "DICTIONARY_PAGE",
                                       "DATA_PAGE_V2"};
  return NameOrUnknown(kNames, static_cast<int32_t>(t));
}

std::string BoundaryOrderName(BoundaryOrder b) {
  static const char* const kNames[] = {"UNORDERED", "ASCENDING", "DESCENDING"};
  return NameOrUnknown(kNames, static_cast<int32_t>(b));
}

LogicalType LogicalType::Decimal(int32_t precision, int32_t scale) {
  LogicalType t = Simple(Kind::kDecimal);
  t.precision = precision;
  t.scale = scale;
  return t;
}

LogicalType LogicalType::Timestamp(bool is_adjusted_to_utc, TimeUnit unit) {
  LogicalType t = Simple(Kind::kTimestamp);
  t.is_adjusted_to_utc = is_adjusted_to_utc;
  t.unit = unit;
  return t;
}

LogicalType LogicalType::Time(bool is_adjusted_to_utc, TimeUnit unit) {
  LogicalType t = Timestamp(is_adjusted_to_utc, unit);
  t.kind = Kind::kTime;
  return t;
}

LogicalType LogicalType::Integer(int8_t bit_width, bool is_signed) {
  LogicalType t = Simple(Kind::kInteger);
  t.bit_width = bit_width;
  t.is_signed = is_signed;
  return t;
}

std::string LogicalType::ToString() const {
  switch (kind) {
    case Kind::kString:
      return "STRING";
    case Kind::kMap:
      return "MAP";
    case Kind::kList:
      return "LIST";
    case Kind::kEnum:
      return "ENUM";
    case Kind::kDecimal:
      return fmt::format("DECIMAL({},{})", precision, scale);
    case Kind::kDate:
      return "DATE";
    case Kind::kTime:
    case Kind::kTimestamp:
      return fmt::format("{}({},{})", kind == Kind::kTime ? "TIME" : "TIMESTAMP",
                         TimeUnitName(unit), is_adjusted_to_utc ? "UTC" : "local");
    case Kind::kInteger:
      return fmt::format("INTEGER({},{})", bit_width, is_signed ? "signed" : "unsigned");
    case Kind::kNull:
      return "NULL";
    case Kind::kJson:
      return "JSON";
    case Kind::kBson:
      return "BSON";
    case Kind::kUuid:
      return "UUID";
    case Kind::kFloat16:
      return "FLOAT16";
    case Kind::kVariant:
      return "VARIANT";
    case Kind::kGeometry:
      return "GEOMETRY";
    case Kind::kGeography:
      return "GEOGRAPHY";
    case Kind::kUnknown:
      break;
  }
  return fmt::format("UNKNOWN({})", union_field_id);
}

}  // namespace saleslake::parquet

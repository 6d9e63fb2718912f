#include "parquet/writer/column_spec.h"

#include <fmt/format.h>

namespace saleslake::parquet {
namespace {

using Kind = LogicalType::Kind;

ColumnSpec Make(std::string name, Type type, std::optional<LogicalType> logical = std::nullopt) {
  ColumnSpec c;
  c.name = std::move(name);
  c.type = type;
  c.logical_type = std::move(logical);
  return c;
}

std::optional<ConvertedType> ConvertedTypeFor(const ColumnSpec& c) {
  if (!c.logical_type) return std::nullopt;
  const LogicalType& t = *c.logical_type;
  switch (t.kind) {
    case Kind::kString:
      return ConvertedType::kUtf8;
    case Kind::kEnum:
      return ConvertedType::kEnum;
    case Kind::kJson:
      return ConvertedType::kJson;
    case Kind::kDecimal:
      return ConvertedType::kDecimal;
    case Kind::kDate:
      return ConvertedType::kDate;
    case Kind::kTimestamp:
      // The legacy TIMESTAMP_* types mean UTC-adjusted; local and NANOS timestamps have none.
      if (!t.is_adjusted_to_utc) return std::nullopt;
      if (t.unit == TimeUnit::kMillis) return ConvertedType::kTimestampMillis;
      if (t.unit == TimeUnit::kMicros) return ConvertedType::kTimestampMicros;
      return std::nullopt;
    case Kind::kInteger: {
      const bool s = t.is_signed;
      switch (t.bit_width) {
        case 8:
          return s ? ConvertedType::kInt8 : ConvertedType::kUint8;
        case 16:
          return s ? ConvertedType::kInt16 : ConvertedType::kUint16;
        case 32:
          return s ? ConvertedType::kInt32 : ConvertedType::kUint32;
        default:
          return s ? ConvertedType::kInt64 : ConvertedType::kUint64;
      }
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

ColumnSpec ColumnSpec::Boolean(std::string name) { return Make(std::move(name), Type::kBoolean); }
ColumnSpec ColumnSpec::Int32(std::string name) { return Make(std::move(name), Type::kInt32); }
ColumnSpec ColumnSpec::Int64(std::string name) { return Make(std::move(name), Type::kInt64); }
ColumnSpec ColumnSpec::Float(std::string name) { return Make(std::move(name), Type::kFloat); }
ColumnSpec ColumnSpec::Double(std::string name) { return Make(std::move(name), Type::kDouble); }
ColumnSpec ColumnSpec::Binary(std::string name) { return Make(std::move(name), Type::kByteArray); }
ColumnSpec ColumnSpec::FixedLenByteArray(std::string name, int32_t width) {
  ColumnSpec c = Make(std::move(name), Type::kFixedLenByteArray);
  c.type_length = width;
  return c;
}
ColumnSpec ColumnSpec::String(std::string name) {
  return Make(std::move(name), Type::kByteArray, LogicalType::String());
}
ColumnSpec ColumnSpec::Enum(std::string name) {
  return Make(std::move(name), Type::kByteArray, LogicalType::Enum());
}
ColumnSpec ColumnSpec::Json(std::string name) {
  return Make(std::move(name), Type::kByteArray, LogicalType::Json());
}
ColumnSpec ColumnSpec::Decimal(std::string name, int32_t precision, int32_t scale) {
  return Make(std::move(name), precision <= 9 ? Type::kInt32 : Type::kInt64,
              LogicalType::Decimal(precision, scale));
}
ColumnSpec ColumnSpec::Timestamp(std::string name, TimeUnit unit, bool is_adjusted_to_utc) {
  return Make(std::move(name), Type::kInt64, LogicalType::Timestamp(is_adjusted_to_utc, unit));
}
ColumnSpec ColumnSpec::Date(std::string name) {
  return Make(std::move(name), Type::kInt32, LogicalType::Date());
}
ColumnSpec ColumnSpec::Uuid(std::string name) {
  ColumnSpec c = Make(std::move(name), Type::kFixedLenByteArray, LogicalType::Uuid());
  c.type_length = 16;
  return c;
}
ColumnSpec ColumnSpec::Integer(std::string name, int bit_width, bool is_signed) {
  return Make(std::move(name), bit_width == 64 ? Type::kInt64 : Type::kInt32,
              LogicalType::Integer(static_cast<int8_t>(bit_width), is_signed));
}

Status ValidateColumn(const ColumnSpec& c) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("column '{}': {}", c.name, why));
  };
  if (c.name.empty()) return Status::InvalidArgument("a column has an empty name");
  switch (c.type) {
    case Type::kBoolean:
    case Type::kInt32:
    case Type::kInt64:
    case Type::kFloat:
    case Type::kDouble:
    case Type::kByteArray:
      break;
    case Type::kFixedLenByteArray:
      if (c.type_length <= 0) return bad("FIXED_LEN_BYTE_ARRAY needs a positive width");
      break;
    case Type::kInt96:
      return bad("INT96 is deprecated and never written; use TIMESTAMP(MICROS) on INT64");
    default:
      return bad(fmt::format("unknown physical type {}", static_cast<int>(c.type)));
  }
  if (!c.logical_type) return Status::OK();
  const LogicalType& t = *c.logical_type;
  const std::string type_name = TypeName(c.type);
  auto wrong = [&]() {
    return bad(fmt::format("logical type {} is not allowed on {}", t.ToString(), type_name));
  };
  switch (t.kind) {
    case Kind::kString:
    case Kind::kEnum:
    case Kind::kJson:
      return c.type == Type::kByteArray ? Status::OK() : wrong();
    case Kind::kDecimal:
      if (c.type != Type::kInt32 && c.type != Type::kInt64) {
        return bad(
            "DECIMAL is written on INT32 (precision <= 9) or INT64 (precision <= 18), "
            "never as floating point");
      }
      if (t.precision < 1 || t.precision > (c.type == Type::kInt32 ? 9 : 18)) {
        return bad(fmt::format("DECIMAL precision {} does not fit {}", t.precision, type_name));
      }
      if (t.scale < 0 || t.scale > t.precision) {
        return bad(fmt::format("DECIMAL scale {} must be within 0..{}", t.scale, t.precision));
      }
      return Status::OK();
    case Kind::kDate:
      return c.type == Type::kInt32 ? Status::OK() : wrong();
    case Kind::kTimestamp:
      return c.type == Type::kInt64 ? Status::OK() : wrong();
    case Kind::kUuid:
      return c.type == Type::kFixedLenByteArray && c.type_length == 16 ? Status::OK() : wrong();
    case Kind::kInteger:
      if (t.bit_width == 64) return c.type == Type::kInt64 ? Status::OK() : wrong();
      if (t.bit_width == 8 || t.bit_width == 16 || t.bit_width == 32) {
        return c.type == Type::kInt32 ? Status::OK() : wrong();
      }
      return bad(fmt::format("INTEGER bit width {} is not 8, 16, 32 or 64", t.bit_width));
    default:
      return bad(fmt::format("logical type {} is not supported by the writer", t.ToString()));
  }
}

SortOrder SortOrderOf(const ColumnSpec& c) {
  if (c.logical_type) {
    switch (c.logical_type->kind) {
      case Kind::kInteger:
        return c.logical_type->is_signed ? SortOrder::kSigned : SortOrder::kUnsigned;
      case Kind::kDecimal:
      case Kind::kDate:
      case Kind::kTimestamp:
        return SortOrder::kSigned;
      case Kind::kString:
      case Kind::kEnum:
      case Kind::kJson:
      case Kind::kUuid:
        return SortOrder::kUnsigned;
      default:
        return SortOrder::kUndefined;
    }
  }
  switch (c.type) {
    case Type::kBoolean:
    case Type::kInt32:
    case Type::kInt64:
    case Type::kFloat:
    case Type::kDouble:
      return SortOrder::kSigned;
    case Type::kByteArray:
    case Type::kFixedLenByteArray:
      return SortOrder::kUnsigned;
    default:
      return SortOrder::kUndefined;
  }
}

std::vector<SchemaElement> ToSchemaElements(const std::vector<ColumnSpec>& columns) {
  std::vector<SchemaElement> out;
  out.reserve(columns.size() + 1);
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(columns.size());
  out.push_back(std::move(root));
  for (const ColumnSpec& c : columns) {
    SchemaElement e;
    e.name = c.name;
    e.type = c.type;
    if (c.type == Type::kFixedLenByteArray) e.type_length = c.type_length;
    e.repetition_type =
        c.required ? FieldRepetitionType::kRequired : FieldRepetitionType::kOptional;
    e.converted_type = ConvertedTypeFor(c);
    if (c.logical_type && c.logical_type->kind == Kind::kDecimal) {
      e.scale = c.logical_type->scale;
      e.precision = c.logical_type->precision;
    }
    e.logical_type = c.logical_type;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace saleslake::parquet

#include "parquet/reader/schema.h"

#include <fmt/format.h>

namespace saleslake::parquet {
namespace {

constexpr int kMaxSchemaDepth = 64;
constexpr int32_t kMaxFixedLength = 1 << 24;  // 16 MiB per value is far beyond any real use

struct Frame {
  int children_left;
  int16_t definition;
  int16_t repetition;
  size_t path_size;  // the path's length outside this group (restored when it ends)
};

// The meaning of a leaf without (usable) annotations.
void SetPhysicalKind(ColumnDescriptor* c) {
  switch (c->physical_type) {
    case Type::kBoolean:
      c->kind = ColumnKind::kBoolean;
      break;
    case Type::kInt32:
      c->kind = ColumnKind::kInt;
      c->bit_width = 32;
      break;
    case Type::kInt64:
      c->kind = ColumnKind::kInt;
      c->bit_width = 64;
      break;
    case Type::kInt96:
      c->kind = ColumnKind::kTimestamp;
      c->time_unit = TimeUnit::kNanos;
      c->is_int96 = true;
      break;
    case Type::kFloat:
      c->kind = ColumnKind::kFloat;
      break;
    case Type::kDouble:
      c->kind = ColumnKind::kDouble;
      break;
    default:
      c->kind = ColumnKind::kBinary;
      break;
  }
}

bool IsIntegerType(Type t) { return t == Type::kInt32 || t == Type::kInt64; }

bool SetDecimal(ColumnDescriptor* c, int32_t precision, int32_t scale) {
  const Type t = c->physical_type;
  if (!(IsIntegerType(t) || t == Type::kFixedLenByteArray || t == Type::kByteArray)) return false;
  if (precision <= 0 || scale < 0 || scale > precision) return false;
  c->kind = ColumnKind::kDecimal;
  c->decimal_precision = precision;
  c->decimal_scale = scale;
  return true;
}

void ResolveLogical(const LogicalType& lt, ColumnDescriptor* c) {
  using Kind = LogicalType::Kind;
  const Type t = c->physical_type;
  switch (lt.kind) {
    case Kind::kString:
    case Kind::kEnum:
    case Kind::kJson:
      if (t == Type::kByteArray || t == Type::kFixedLenByteArray) c->kind = ColumnKind::kString;
      return;
    case Kind::kDecimal:
      SetDecimal(c, lt.precision, lt.scale);
      return;
    case Kind::kDate:
      if (t == Type::kInt32) c->kind = ColumnKind::kDate;
      return;
    case Kind::kTime:
      if ((t == Type::kInt32 && lt.unit == TimeUnit::kMillis) ||
          (t == Type::kInt64 && lt.unit != TimeUnit::kMillis)) {
        c->kind = ColumnKind::kTime;
        c->time_unit = lt.unit;
        c->utc_adjusted = lt.is_adjusted_to_utc;
      }
      return;
    case Kind::kTimestamp:
      if (t == Type::kInt64) {
        c->kind = ColumnKind::kTimestamp;
        c->time_unit = lt.unit;
        c->utc_adjusted = lt.is_adjusted_to_utc;
      }
      return;
    case Kind::kInteger:
      if (IsIntegerType(t) &&
          (lt.bit_width == 8 || lt.bit_width == 16 || lt.bit_width == 32 || lt.bit_width == 64)) {
        c->kind = lt.is_signed ? ColumnKind::kInt : ColumnKind::kUInt;
        c->bit_width = lt.bit_width;
      }
      return;
    case Kind::kUuid:
      if (t == Type::kFixedLenByteArray && c->type_length == 16) c->kind = ColumnKind::kUuid;
      return;
    case Kind::kFloat16:
      if (t == Type::kFixedLenByteArray && c->type_length == 2) c->kind = ColumnKind::kFloat16;
      return;
    default:  // NULL, BSON, VARIANT, GEOMETRY, ... and unknown: the physical meaning
      return;
  }
}

void ResolveConverted(const SchemaElement& e, ColumnDescriptor* c) {
  const Type t = c->physical_type;
  switch (*e.converted_type) {
    case ConvertedType::kUtf8:
    case ConvertedType::kEnum:
    case ConvertedType::kJson:
      if (t == Type::kByteArray || t == Type::kFixedLenByteArray) c->kind = ColumnKind::kString;
      return;
    case ConvertedType::kDecimal:
      SetDecimal(c, e.precision.value_or(0), e.scale.value_or(0));
      return;
    case ConvertedType::kDate:
      if (t == Type::kInt32) c->kind = ColumnKind::kDate;
      return;
    case ConvertedType::kTimeMillis:
    case ConvertedType::kTimeMicros: {
      const bool millis = *e.converted_type == ConvertedType::kTimeMillis;
      if (t == (millis ? Type::kInt32 : Type::kInt64)) {
        c->kind = ColumnKind::kTime;
        c->time_unit = millis ? TimeUnit::kMillis : TimeUnit::kMicros;
        c->utc_adjusted = true;
      }
      return;
    }
    case ConvertedType::kTimestampMillis:
    case ConvertedType::kTimestampMicros:
      if (t == Type::kInt64) {
        c->kind = ColumnKind::kTimestamp;
        c->time_unit = *e.converted_type == ConvertedType::kTimestampMillis ? TimeUnit::kMillis
                                                                            : TimeUnit::kMicros;
        c->utc_adjusted = true;  // the converted types were defined as UTC instants
      }
      return;
    case ConvertedType::kUint8:
    case ConvertedType::kUint16:
    case ConvertedType::kUint32:
    case ConvertedType::kUint64:
    case ConvertedType::kInt8:
    case ConvertedType::kInt16:
    case ConvertedType::kInt32:
    case ConvertedType::kInt64: {
      if (!IsIntegerType(t)) return;
      const int v = static_cast<int>(*e.converted_type);
      const bool is_unsigned = v <= static_cast<int>(ConvertedType::kUint64);
      const int step = is_unsigned ? v - static_cast<int>(ConvertedType::kUint8)
                                   : v - static_cast<int>(ConvertedType::kInt8);
      c->kind = is_unsigned ? ColumnKind::kUInt : ColumnKind::kInt;
      c->bit_width = 8 << step;
      return;
    }
    default:
      return;
  }
}

}  // namespace

std::string_view ColumnKindName(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kBoolean:
      return "boolean";
    case ColumnKind::kInt:
      return "int";
    case ColumnKind::kUInt:
      return "uint";
    case ColumnKind::kFloat:
      return "float";
    case ColumnKind::kDouble:
      return "double";
    case ColumnKind::kFloat16:
      return "float16";
    case ColumnKind::kString:
      return "string";
    case ColumnKind::kBinary:
      return "binary";
    case ColumnKind::kDecimal:
      return "decimal";
    case ColumnKind::kDate:
      return "date";
    case ColumnKind::kTime:
      return "time";
    case ColumnKind::kTimestamp:
      return "timestamp";
    case ColumnKind::kUuid:
      return "uuid";
  }
  return "unknown";
}

std::string ColumnDescriptor::TypeDescription() const {
  std::string physical = TypeName(physical_type);
  if (physical_type == Type::kFixedLenByteArray) physical += fmt::format("({})", type_length);
  if (logical_type) return logical_type->ToString() + " on " + physical;
  if (converted_type) return ConvertedTypeName(*converted_type) + " on " + physical;
  return physical;
}

Result<FileSchema> FileSchema::Make(const std::vector<SchemaElement>& elements) {
  if (elements.empty()) return Status::Corruption("schema: the footer has no schema elements");
  FileSchema schema;
  const SchemaElement& root = elements[0];
  schema.root_name_ = root.name;
  const int32_t root_children = root.num_children.value_or(0);
  if (root.type.has_value() || root_children < 0 ||
      static_cast<size_t>(root_children) > elements.size() - 1) {
    return Status::Corruption(
        fmt::format("schema: the root element '{}' is not a group of at most {} children",
                    root.name, elements.size() - 1));
  }
  std::vector<Frame> stack = {{root_children, 0, 0, 0}};
  std::vector<std::string> path;
  size_t i = 1;
  while (!stack.empty()) {
    if (stack.back().children_left == 0) {
      path.resize(stack.back().path_size);
      stack.pop_back();
      continue;
    }
    if (i >= elements.size()) {
      return Status::Corruption("schema: a group declares more children than there are elements");
    }
    --stack.back().children_left;
    const SchemaElement& e = elements[i++];
    const Frame& parent = stack.back();
    const auto repetition = e.repetition_type.value_or(FieldRepetitionType::kRequired);
    if (static_cast<int32_t>(repetition) < 0 || static_cast<int32_t>(repetition) > 2) {
      return Status::Corruption(fmt::format("schema: element '{}' has unknown repetition {}",
                                            e.name, static_cast<int32_t>(repetition)));
    }
    const int16_t definition = static_cast<int16_t>(
        parent.definition + (repetition != FieldRepetitionType::kRequired ? 1 : 0));
    const int16_t rep_level = static_cast<int16_t>(
        parent.repetition + (repetition == FieldRepetitionType::kRepeated ? 1 : 0));
    if (e.num_children.has_value() && !e.type.has_value()) {  // a group
      if (*e.num_children < 0 || static_cast<size_t>(*e.num_children) > elements.size() - i) {
        return Status::Corruption(
            fmt::format("schema: group '{}' declares {} children", e.name, *e.num_children));
      }
      if (stack.size() >= kMaxSchemaDepth) {
        return Status::Corruption(
            fmt::format("schema: groups nested deeper than {}", kMaxSchemaDepth));
      }
      const size_t path_size = path.size();
      path.push_back(e.name);
      stack.push_back({*e.num_children, definition, rep_level, path_size});
      continue;
    }
    if (!e.type.has_value()) {
      return Status::Corruption(fmt::format("schema: leaf '{}' has no physical type", e.name));
    }
    ColumnDescriptor c;
    c.index = static_cast<int>(schema.columns_.size());
    c.path = path;
    c.path.push_back(e.name);
    for (size_t k = 0; k < c.path.size(); ++k) c.name += (k ? "." : "") + c.path[k];
    c.physical_type = *e.type;
    if (static_cast<int32_t>(c.physical_type) < 0 ||
        static_cast<int32_t>(c.physical_type) > static_cast<int32_t>(Type::kFixedLenByteArray)) {
      return Status::Corruption(fmt::format("schema: column '{}' has unknown physical type {}",
                                            c.name, static_cast<int32_t>(c.physical_type)));
    }
    if (c.physical_type == Type::kFixedLenByteArray) {
      c.type_length = e.type_length.value_or(0);
      if (c.type_length <= 0 || c.type_length > kMaxFixedLength) {
        return Status::Corruption(fmt::format(
            "schema: FIXED_LEN_BYTE_ARRAY column '{}' has width {}", c.name, c.type_length));
      }
    } else if (c.physical_type == Type::kInt96) {
      c.type_length = 12;
    }
    c.repetition = repetition;
    c.max_definition_level = definition;
    c.max_repetition_level = rep_level;
    c.logical_type = e.logical_type;
    c.converted_type = e.converted_type;
    SetPhysicalKind(&c);
    if (e.logical_type) {
      ResolveLogical(*e.logical_type, &c);
    } else if (e.converted_type) {
      ResolveConverted(e, &c);
    }
    if (stack.size() > 1 || rep_level > 0) {
      c.unsupported_reason = fmt::format(
          "unsupported nested column {} (inside a group, list or map; saleslake reads flat "
          "columns only)",
          c.name);
    }
    schema.columns_.push_back(std::move(c));
  }
  if (i != elements.size()) {
    return Status::Corruption(
        fmt::format("schema: {} elements are not reachable from the root", elements.size() - i));
  }
  return schema;
}

Result<int> FileSchema::FindColumn(std::string_view name) const {
  for (const ColumnDescriptor& c : columns_) {
    if (c.name == name) return c.index;
  }
  std::string names;
  for (const ColumnDescriptor& c : columns_) names += (names.empty() ? "" : ", ") + c.name;
  return Status::NotFound(fmt::format("no column '{}' in the file (columns: {})", name, names));
}

Result<std::vector<int>> FileSchema::ResolveProjection(
    const std::vector<std::string>& names) const {
  std::vector<int> out;
  if (names.empty()) {
    for (const ColumnDescriptor& c : columns_) out.push_back(c.index);
  } else {
    for (const std::string& n : names) {
      SL_ASSIGN_OR_RETURN(int index, FindColumn(n));
      out.push_back(index);
    }
  }
  for (int index : out) {
    const ColumnDescriptor& c = column(index);
    if (!c.supported()) {
      return Status::NotSupported(
          c.unsupported_reason +
          (names.empty() ? "; name the flat columns to read (parquet cat: --columns)" : ""));
    }
  }
  return out;
}

}  // namespace saleslake::parquet

#include "parquet/writer/column_writer.h"

#include <fmt/format.h>

#include "parquet/writer/typed_column_writer.h"

namespace saleslake::parquet {
namespace {

int64_t Pow10(int n) {
  int64_t v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

template <typename T>
Status CheckRange(const ColumnSpec& spec, const ColumnBuffer& values, size_t offset, size_t count,
                  int64_t lo, int64_t hi, const char* what) {
  const T* v = values.values<T>();
  for (size_t i = offset; i < offset + count; ++i) {
    if ((v[i] < lo || v[i] > hi) && values.IsValid(i)) {
      return Status::InvalidArgument(
          fmt::format("column '{}' row {}: {} does not fit {}", spec.name, i, v[i], what));
    }
  }
  return Status::OK();
}

}  // namespace

Status ColumnWriter::CheckValues(const ColumnBuffer& values, size_t offset, size_t count) const {
  if (values.type() != spec_.type) {
    return Status::InvalidArgument(fmt::format("column '{}' is {} but its values are {}",
                                               spec_.name, TypeName(spec_.type),
                                               TypeName(values.type())));
  }
  if (offset + count > values.size()) {
    return Status::InvalidArgument(fmt::format("column '{}': rows {}..{} of a vector of {}",
                                               spec_.name, offset, offset + count, values.size()));
  }
  if (spec_.required && values.null_count() > 0) {
    const uint8_t* validity = values.validity();
    for (size_t i = offset; i < offset + count; ++i) {
      if (!validity[i]) {
        return Status::InvalidArgument(
            fmt::format("column '{}' is REQUIRED but row {} is null", spec_.name, i));
      }
    }
  }
  if (values.is_dictionary()) {
    const size_t size = values.dictionary_size();
    const uint32_t* indices = values.indices();
    for (size_t i = offset; i < offset + count; ++i) {
      if (indices[i] >= size && values.IsValid(i)) {
        return Status::InvalidArgument(
            fmt::format("column '{}' row {}: index {} into a dictionary of {} values", spec_.name,
                        i, indices[i], size));
      }
    }
    if (spec_.type == Type::kFixedLenByteArray) {
      for (uint32_t id = 0; id < size; ++id) {
        if (values.dictionary_value(id).size() != static_cast<size_t>(spec_.type_length)) {
          return Status::InvalidArgument(fmt::format(
              "column '{}' dictionary value {}: a FIXED_LEN_BYTE_ARRAY({}) value of {} bytes",
              spec_.name, id, spec_.type_length, values.dictionary_value(id).size()));
        }
      }
    }
  } else if (spec_.type == Type::kFixedLenByteArray) {
    for (size_t i = offset; i < offset + count; ++i) {
      if (values.IsValid(i) && values.bytes(i).size() != static_cast<size_t>(spec_.type_length)) {
        return Status::InvalidArgument(
            fmt::format("column '{}' row {}: a FIXED_LEN_BYTE_ARRAY({}) value of {} bytes",
                        spec_.name, i, spec_.type_length, values.bytes(i).size()));
      }
    }
  }
  if (!spec_.logical_type) return Status::OK();
  const LogicalType& t = *spec_.logical_type;
  if (t.kind == LogicalType::Kind::kInteger && t.bit_width < 32) {
    const int64_t lo = t.is_signed ? -(int64_t{1} << (t.bit_width - 1)) : 0;
    const int64_t hi =
        t.is_signed ? (int64_t{1} << (t.bit_width - 1)) - 1 : (int64_t{1} << t.bit_width) - 1;
    return CheckRange<int32_t>(spec_, values, offset, count, lo, hi, t.ToString().c_str());
  }
  if (t.kind == LogicalType::Kind::kDecimal) {
    const int64_t bound = Pow10(t.precision) - 1;
    const std::string what = t.ToString();
    if (spec_.type == Type::kInt32) {
      return CheckRange<int32_t>(spec_, values, offset, count, -bound, bound, what.c_str());
    }
    return CheckRange<int64_t>(spec_, values, offset, count, -bound, bound, what.c_str());
  }
  return Status::OK();
}

Result<std::unique_ptr<ColumnWriter>> ColumnWriter::Make(const ColumnSpec& spec,
                                                         const WriterOptions& options) {
  const ColumnWriteOptions& column = options.ForColumn(spec.name);
  const bool integer = spec.type == Type::kInt32 || spec.type == Type::kInt64;
  if (column.encoding == ColumnEncoding::kDeltaBinaryPacked && !integer) {
    return Status::InvalidArgument(
        fmt::format("column '{}': DELTA_BINARY_PACKED is for INT32/INT64 columns, not {}",
                    spec.name, TypeName(spec.type)));
  }
  if (column.bloom_filter && spec.type == Type::kBoolean) {
    return Status::InvalidArgument(
        fmt::format("column '{}': a bloom filter on a BOOLEAN column cannot help", spec.name));
  }
  const compress::CodecType codec_type = column.compression.value_or(options.compression);
  std::unique_ptr<compress::Codec> codec;
  if (codec_type != compress::CodecType::kUncompressed) {
    compress::CodecOptions codec_options;
    codec_options.level = options.compression_level;
    SL_ASSIGN_OR_RETURN(codec, compress::MakeCodec(codec_type, codec_options));
  }
  auto pages =
      std::make_unique<PageWriter>(std::move(codec), static_cast<CompressionCodec>(codec_type),
                                   options.data_page_version, options.page_crc);
  switch (spec.type) {
    case Type::kBoolean:
      return MakeTypedColumnWriter<Type::kBoolean>(spec, options, std::move(pages));
    case Type::kInt32:
      return MakeTypedColumnWriter<Type::kInt32>(spec, options, std::move(pages));
    case Type::kInt64:
      return MakeTypedColumnWriter<Type::kInt64>(spec, options, std::move(pages));
    case Type::kFloat:
      return MakeTypedColumnWriter<Type::kFloat>(spec, options, std::move(pages));
    case Type::kDouble:
      return MakeTypedColumnWriter<Type::kDouble>(spec, options, std::move(pages));
    case Type::kByteArray:
      return MakeTypedColumnWriter<Type::kByteArray>(spec, options, std::move(pages));
    case Type::kFixedLenByteArray:
      return MakeTypedColumnWriter<Type::kFixedLenByteArray>(spec, options, std::move(pages));
    default:
      return Status::InvalidArgument(
          fmt::format("column '{}': the writer does not write {}", spec.name, TypeName(spec.type)));
  }
}

}  // namespace saleslake::parquet

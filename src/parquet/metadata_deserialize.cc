// Bounded compact-thrift decoding of the metadata structs. Each struct has a field table (id,
// wire type, name, required); thrift::ReadStruct does the dispatch, skipping and checking.
#include <fmt/format.h>

#include "parquet/metadata.h"
#include "parquet/thrift/struct_reader.h"

namespace saleslake::parquet {
namespace {

using thrift::CompactReader;
using thrift::CType;
using thrift::FieldSpec;
using thrift::ReadEnum;
using thrift::ReadList;
using thrift::ReadStruct;

constexpr CType kBool = CType::kBoolTrue;

// One reader per struct (declared up front: the list and optional helpers call them).
Status Read(CompactReader* r, LogicalType* out);
Status Read(CompactReader* r, Statistics* out);
Status Read(CompactReader* r, SchemaElement* out);
Status Read(CompactReader* r, KeyValue* out);
Status Read(CompactReader* r, SizeStatistics* out);
Status Read(CompactReader* r, PageEncodingStats* out);
Status Read(CompactReader* r, SortingColumn* out);
Status Read(CompactReader* r, ColumnMetaData* out);
Status Read(CompactReader* r, ColumnChunk* out);
Status Read(CompactReader* r, RowGroup* out);
Status Read(CompactReader* r, ColumnOrder* out);
Status Read(CompactReader* r, FileMetaData* out);
Status Read(CompactReader* r, DataPageHeader* out);
Status Read(CompactReader* r, DictionaryPageHeader* out);
Status Read(CompactReader* r, DataPageHeaderV2* out);
Status Read(CompactReader* r, PageHeader* out);
Status Read(CompactReader* r, PageLocation* out);
Status Read(CompactReader* r, OffsetIndex* out);
Status Read(CompactReader* r, ColumnIndex* out);
Status Read(CompactReader* r, BloomFilterHeader* out);
Status Read(CompactReader* r, TimeUnit* out);

template <typename T>
Status ReadOpt(CompactReader* r, std::optional<T>* out) {
  return Read(r, &out->emplace());
}
template <typename T>
Status ReadStructs(CompactReader* r, std::vector<T>* out) {
  return ReadList(r, CType::kStruct, out, [&](T* e) { return Read(r, e); });
}
Status ReadI64s(CompactReader* r, std::vector<int64_t>* out) {
  return ReadList(r, CType::kI64, out, [&](int64_t* e) { return r->ReadI64(e); });
}
template <typename T>
Status ReadOptI32(CompactReader* r, std::optional<T>* out) {
  int32_t v;
  SL_RETURN_IF_ERROR(r->ReadI32(&v));
  *out = static_cast<T>(v);
  return Status::OK();
}
Status ReadOptI64(CompactReader* r, std::optional<int64_t>* out) {
  return r->ReadI64(&out->emplace());
}
Status ReadOptBinary(CompactReader* r, std::optional<std::string>* out) {
  return r->ReadBinary(&out->emplace());
}
Status ReadOptBool(CompactReader* r, std::optional<bool>* out) {
  return r->ReadBool(&out->emplace());
}

// A union whose members are all empty structs: returns the id of the member that is set.
Status ReadEmptyUnion(CompactReader* r, const char* name, int16_t* member) {
  SL_RETURN_IF_ERROR(r->BeginStruct().WithContext(name));
  int members = 0;
  while (true) {
    int16_t id;
    CType type;
    SL_RETURN_IF_ERROR(r->ReadFieldHeader(&id, &type).WithContext(name));
    if (type == CType::kStop) break;
    SL_RETURN_IF_ERROR(r->Skip(type).WithContext(name));
    *member = id;
    ++members;
  }
  r->EndStruct();
  if (members != 1) {
    return Status::Corruption(
        fmt::format("{}: a union has {} members set, expected 1", name, members));
  }
  return Status::OK();
}

Status Read(CompactReader* r, TimeUnit* out) {
  int16_t member = 0;
  SL_RETURN_IF_ERROR(ReadEmptyUnion(r, "TimeUnit", &member));
  if (member < 1 || member > 3) {
    return Status::Corruption(fmt::format("TimeUnit: unknown unit {}", member));
  }
  *out = static_cast<TimeUnit>(member);
  return Status::OK();
}

Status ReadTimeFields(CompactReader* r, const char* name, LogicalType* t) {
  static constexpr FieldSpec kFields[] = {{1, kBool, "isAdjustedToUTC", true},
                                          {2, CType::kStruct, "unit", true}};
  return ReadStruct(r, name, kFields, [&](int16_t id) -> Status {
    if (id == 1) return r->ReadBool(&t->is_adjusted_to_utc);
    return Read(r, &t->unit);
  });
}

Status Read(CompactReader* r, LogicalType* out) {
  using Kind = LogicalType::Kind;
  SL_RETURN_IF_ERROR(r->BeginStruct().WithContext("LogicalType"));
  int members = 0;
  while (true) {
    int16_t id;
    CType type;
    SL_RETURN_IF_ERROR(r->ReadFieldHeader(&id, &type).WithContext("LogicalType"));
    if (type == CType::kStop) break;
    ++members;
    if (type != CType::kStruct) {
      return Status::Corruption(
          fmt::format("LogicalType member {} has thrift type {}", id, thrift::CTypeName(type)));
    }
    *out = LogicalType{};
    switch (id) {
      case 5: {
        out->kind = Kind::kDecimal;
        static constexpr FieldSpec kFields[] = {{1, CType::kI32, "scale", true},
                                                {2, CType::kI32, "precision", true}};
        SL_RETURN_IF_ERROR(ReadStruct(r, "DecimalType", kFields, [&](int16_t f) {
          return r->ReadI32(f == 1 ? &out->scale : &out->precision);
        }));
        break;
      }
      case 7:
      case 8:
        out->kind = id == 7 ? Kind::kTime : Kind::kTimestamp;
        SL_RETURN_IF_ERROR(ReadTimeFields(r, id == 7 ? "TimeType" : "TimestampType", out));
        break;
      case 10: {
        out->kind = Kind::kInteger;
        static constexpr FieldSpec kFields[] = {{1, CType::kByte, "bitWidth", true},
                                                {2, kBool, "isSigned", true}};
        SL_RETURN_IF_ERROR(ReadStruct(r, "IntType", kFields, [&](int16_t f) {
          return f == 1 ? r->ReadI8(&out->bit_width) : r->ReadBool(&out->is_signed);
        }));
        break;
      }
      case 1:
      case 2:
      case 3:
      case 4:
      case 6:
      case 11:
      case 12:
      case 13:
      case 14:
      case 15:
        out->kind = static_cast<Kind>(id);  // an empty struct, whatever fields it may grow
        SL_RETURN_IF_ERROR(r->Skip(CType::kStruct).WithContext("LogicalType"));
        break;
      default: {
        out->kind = (id >= 16 && id <= 18) ? static_cast<Kind>(id) : Kind::kUnknown;
        out->union_field_id = id;
        std::string_view raw;
        SL_RETURN_IF_ERROR(r->SkipCapture(&raw).WithContext("LogicalType"));
        out->raw.assign(raw);
        break;
      }
    }
  }
  r->EndStruct();
  if (members != 1) {
    return Status::Corruption(
        fmt::format("LogicalType: a union has {} members set, expected 1", members));
  }
  return Status::OK();
}

Status Read(CompactReader* r, SchemaElement* out) {
  static constexpr FieldSpec kFields[] = {{1, CType::kI32, "type", false},
                                          {2, CType::kI32, "type_length", false},
                                          {3, CType::kI32, "repetition_type", false},
                                          {4, CType::kBinary, "name", true},
                                          {5, CType::kI32, "num_children", false},
                                          {6, CType::kI32, "converted_type", false},
                                          {7, CType::kI32, "scale", false},
                                          {8, CType::kI32, "precision", false},
                                          {9, CType::kI32, "field_id", false},
                                          {10, CType::kStruct, "logicalType", false}};
  return ReadStruct(r, "SchemaElement", kFields, [&](int16_t id) -> Status {
    switch (id) {
      case 1:
        return ReadOptI32(r, &out->type);
      case 2:
        return ReadOptI32(r, &out->type_length);
      case 3:
        return ReadOptI32(r, &out->repetition_type);
      case 4:
        return r->ReadBinary(&out->name);
      case 5:
        return ReadOptI32(r, &out->num_children);
      case 6:
        return ReadOptI32(r, &out->converted_type);
      case 7:
        return ReadOptI32(r, &out->scale);
      case 8:
        return ReadOptI32(r, &out->precision);
      case 9:
        return ReadOptI32(r, &out->field_id);
      default:
        return ReadOpt(r, &out->logical_type);
    }
  });
}

Status Read(CompactReader* r, KeyValue* out) {
  static constexpr FieldSpec kFields[] = {{1, CType::kBinary, "key", true},
                                          {2, CType::kBinary, "value", false}};
  return ReadStruct(r, "KeyValue", kFields, [&](int16_t id) {
    return id == 1 ? r->ReadBinary(&out->key) : ReadOptBinary(r, &out->value);
  });
}

Status Read(CompactReader* r, Statistics* out) {
  static constexpr FieldSpec kFields[] = {
      {1, CType::kBinary, "max", false},       {2, CType::kBinary, "min", false},
      {3, CType::kI64, "null_count", false},   {4, CType::kI64, "distinct_count", false},
      {5, CType::kBinary, "max_value", false}, {6, CType::kBinary, "min_value", false},
      {7, kBool, "is_max_value_exact", false}, {8, kBool, "is_min_value_exact", false},
      {9, CType::kI64, "nan_count", false}};
  return ReadStruct(r, "Statistics", kFields, [&](int16_t id) -> Status {
    switch (id) {
      case 1:
        return ReadOptBinary(r, &out->max);
      case 2:
        return ReadOptBinary(r, &out->min);
      case 3:
        return ReadOptI64(r, &out->null_count);
      case 4:
        return ReadOptI64(r, &out->distinct_count);
      case 5:
        return ReadOptBinary(r, &out->max_value);
      case 6:
        return ReadOptBinary(r, &out->min_value);
      case 7:
        return ReadOptBool(r, &out->is_max_value_exact);
      case 8:
        return ReadOptBool(r, &out->is_min_value_exact);
      default:
        return ReadOptI64(r, &out->nan_count);
    }
  });
}

Status Read(CompactReader* r, SizeStatistics* out) {
  static constexpr FieldSpec kFields[] = {
      {1, CType::kI64, "unencoded_byte_array_data_bytes", false},
      {2, CType::kList, "repetition_level_histogram", false},
      {3, CType::kList, "definition_level_histogram", false}};
  return ReadStruct(r, "SizeStatistics", kFields, [&](int16_t id) -> Status {
    if (id == 1) return ReadOptI64(r, &out->unencoded_byte_array_data_bytes);
    return ReadI64s(r,
                    id == 2 ? &out->repetition_level_histogram : &out->definition_level_histogram);
  });
}

Status Read(CompactReader* r, PageEncodingStats* out) {
  static constexpr FieldSpec kFields[] = {{1, CType::kI32, "page_type", true},
                                          {2, CType::kI32, "encoding", true},
                                          {3, CType::kI32, "count", true}};
  return ReadStruct(r, "PageEncodingStats", kFields, [&](int16_t id) -> Status {
    if (id == 1) return ReadEnum(r, &out->page_type);
    if (id == 2) return ReadEnum(r, &out->encoding);
    return r->ReadI32(&out->count);
  });
}

Status Read(CompactReader* r, SortingColumn* out) {
  static constexpr FieldSpec kFields[] = {{1, CType::kI32, "column_idx", true},
                                          {2, kBool, "descending", true},
                                          {3, kBool, "nulls_first", true}};
  return ReadStruct(r, "SortingColumn", kFields, [&](int16_t id) -> Status {
    if (id == 1) return r->ReadI32(&out->column_idx);
    return r->ReadBool(id == 2 ? &out->descending : &out->nulls_first);
  });
}

Status Read(CompactReader* r, ColumnMetaData* out) {
  static constexpr FieldSpec kFields[] = {{1, CType::kI32, "type", true},
                                          {2, CType::kList, "encodings", true},
                                          {3, CType::kList, "path_in_schema", true},
                                          {4, CType::kI32, "codec", true},
                                          {5, CType::kI64, "num_values", true},
                                          {6, CType::kI64, "total_uncompressed_size", true},
                                          {7, CType::kI64, "total_compressed_size", true},
                                          {8, CType::kList, "key_value_metadata", false},
                                          {9, CType::kI64, "data_page_offset", true},
                                          {10, CType::kI64, "index_page_offset", false},
                                          {11, CType::kI64, "dictionary_page_offset", false},
                                          {12, CType::kStruct, "statistics", false},
                                          {13, CType::kList, "encoding_stats", false},
                                          {14, CType::kI64, "bloom_filter_offset", false},
                                          {15, CType::kI32, "bloom_filter_length", false},
                                          {16, CType::kStruct, "size_statistics", false}};
  return ReadStruct(r, "ColumnMetaData", kFields, [&](int16_t id) -> Status {
    switch (id) {
      case 1:
        return ReadEnum(r, &out->type);
      case 2:
        return ReadList(r, CType::kI32, &out->encodings,
                        [&](Encoding* e) { return ReadEnum(r, e); });
      case 3:
        return ReadList(r, CType::kBinary, &out->path_in_schema,
                        [&](std::string* s) { return r->ReadBinary(s); });
      case 4:
        return ReadEnum(r, &out->codec);
      case 5:
        return r->ReadI64(&out->num_values);
      case 6:
        return r->ReadI64(&out->total_uncompressed_size);
      case 7:
        return r->ReadI64(&out->total_compressed_size);
      case 8:
        return ReadStructs(r, &out->key_value_metadata);
      case 9:
        return r->ReadI64(&out->data_page_offset);
      case 10:
        return ReadOptI64(r, &out->index_page_offset);
      case 11:
        return ReadOptI64(r, &out->dictionary_page_offset);
      case 12:
        return ReadOpt(r, &out->statistics);
      case 13:
        return ReadStructs(r, &out->encoding_stats);
      case 14:
        return ReadOptI64(r, &out->bloom_filter_offset);
      case 15:
        return ReadOptI32(r, &out->bloom_filter_length);
      default:
        return ReadOpt(r, &out->size_statistics);
    }
  });
}

Status Read(CompactReader* r, ColumnChunk* out) {
  static constexpr FieldSpec kFields[] = {{1, CType::kBinary, "file_path", false},
                                          {2, CType::kI64, "file_offset", true},
                                          {3, CType::kStruct, "meta_data", false},
                                          {4, CType::kI64, "offset_index_offset", false},
                                          {5, CType::kI32, "offset_index_length", false},
                                          {6, CType::kI64, "column_index_offset", false},
                                          {7, CType::kI32, "column_index_length", false},
                                          {8, CType::kStruct, "crypto_metadata", false},
                                          {9, CType::kBinary, "encrypted_column_metadata", false}};
  return ReadStruct(r, "ColumnChunk", kFields, [&](int16_t id) -> Status {
    switch (id) {
      case 1:
        return ReadOptBinary(r, &out->file_path);
      case 2:
        return r->ReadI64(&out->file_offset);
      case 3:
        return ReadOpt(r, &out->meta_data);
      case 4:
        return ReadOptI64(r, &out->offset_index_offset);
      case 5:
        return ReadOptI32(r, &out->offset_index_length);
      case 6:
        return ReadOptI64(r, &out->column_index_offset);
      case 7:
        return ReadOptI32(r, &out->column_index_length);
      case 8:
        out->has_crypto_metadata = true;
        return r->Skip(CType::kStruct);
      default:
        return ReadOptBinary(r, &out->encrypted_column_metadata);
    }
  });
}

Status Read(CompactReader* r, RowGroup* out) {
  static constexpr FieldSpec kFields[] = {
      {1, CType::kList, "columns", true},     {2, CType::kI64, "total_byte_size", true},
      {3, CType::kI64, "num_rows", true},     {4, CType::kList, "sorting_columns", false},
      {5, CType::kI64, "file_offset", false}, {6, CType::kI64, "total_compressed_size", false},
      {7, CType::kI16, "ordinal", false}};
  return ReadStruct(r, "RowGroup", kFields, [&](int16_t id) -> Status {
    switch (id) {
      case 1:
        return ReadStructs(r, &out->columns);
      case 2:
        return r->ReadI64(&out->total_byte_size);
      case 3:
        return r->ReadI64(&out->num_rows);
      case 4:
        return ReadStructs(r, &out->sorting_columns);
      case 5:
        return ReadOptI64(r, &out->file_offset);
      case 6:
        return ReadOptI64(r, &out->total_compressed_size);
      default:
        return r->ReadI16(&out->ordinal.emplace());
    }
  });
}

Status Read(CompactReader* r, ColumnOrder* out) {
  return ReadEmptyUnion(r, "ColumnOrder", &out->union_field_id);
}

Status Read(CompactReader* r, FileMetaData* out) {
  static constexpr FieldSpec kFields[] = {{1, CType::kI32, "version", true},
                                          {2, CType::kList, "schema", true},
                                          {3, CType::kI64, "num_rows", true},
                                          {4, CType::kList, "row_groups", true},
                                          {5, CType::kList, "key_value_metadata", false},
                                          {6, CType::kBinary, "created_by", false},
                                          {7, CType::kList, "column_orders", false},
                                          {8, CType::kStruct, "encryption_algorithm", false}};
  return ReadStruct(r, "FileMetaData", kFields, [&](int16_t id) -> Status {
    switch (id) {
      case 1:
        return r->ReadI32(&out->version);
      case 2:
        return ReadStructs(r, &out->schema);
      case 3:
        return r->ReadI64(&out->num_rows);
      case 4:
        return ReadStructs(r, &out->row_groups);
      case 5:
        return ReadStructs(r, &out->key_value_metadata);
      case 6:
        return ReadOptBinary(r, &out->created_by);
      case 7:
        return ReadStructs(r, &out->column_orders);
      default:
        out->has_encryption_algorithm = true;
        return r->Skip(CType::kStruct);
    }
  });
}

Status Read(CompactReader* r, DataPageHeader* out) {
  static constexpr FieldSpec kFields[] = {{1, CType::kI32, "num_values", true},
                                          {2, CType::kI32, "encoding", true},
                                          {3, CType::kI32, "definition_level_encoding", true},
                                          {4, CType::kI32, "repetition_level_encoding", true},
                                          {5, CType::kStruct, "statistics", false}};
  return ReadStruct(r, "DataPageHeader", kFields, [&](int16_t id) -> Status {
    switch (id) {
      case 1:
        return r->ReadI32(&out->num_values);
      case 2:
        return ReadEnum(r, &out->encoding);
      case 3:
        return ReadEnum(r, &out->definition_level_encoding);
      case 4:
        return ReadEnum(r, &out->repetition_level_encoding);
      default:
        return ReadOpt(r, &out->statistics);
    }
  });
}

Status Read(CompactReader* r, DictionaryPageHeader* out) {
  static constexpr FieldSpec kFields[] = {{1, CType::kI32, "num_values", true},
                                          {2, CType::kI32, "encoding", true},
                                          {3, kBool, "is_sorted", false}};
  return ReadStruct(r, "DictionaryPageHeader", kFields, [&](int16_t id) -> Status {
    if (id == 1) return r->ReadI32(&out->num_values);
    if (id == 2) return ReadEnum(r, &out->encoding);
    return ReadOptBool(r, &out->is_sorted);
  });
}

Status Read(CompactReader* r, DataPageHeaderV2* out) {
  static constexpr FieldSpec kFields[] = {{1, CType::kI32, "num_values", true},
                                          {2, CType::kI32, "num_nulls", true},
                                          {3, CType::kI32, "num_rows", true},
                                          {4, CType::kI32, "encoding", true},
                                          {5, CType::kI32, "definition_levels_byte_length", true},
                                          {6, CType::kI32, "repetition_levels_byte_length", true},
                                          {7, kBool, "is_compressed", false},
                                          {8, CType::kStruct, "statistics", false}};
  return ReadStruct(r, "DataPageHeaderV2", kFields, [&](int16_t id) -> Status {
    switch (id) {
      case 1:
        return r->ReadI32(&out->num_values);
      case 2:
        return r->ReadI32(&out->num_nulls);
      case 3:
        return r->ReadI32(&out->num_rows);
      case 4:
        return ReadEnum(r, &out->encoding);
      case 5:
        return r->ReadI32(&out->definition_levels_byte_length);
      case 6:
        return r->ReadI32(&out->repetition_levels_byte_length);
      case 7:
        return ReadOptBool(r, &out->is_compressed);
      default:
        return ReadOpt(r, &out->statistics);
    }
  });
}

Status Read(CompactReader* r, PageHeader* out) {
  static constexpr FieldSpec kFields[] = {{1, CType::kI32, "type", true},
                                          {2, CType::kI32, "uncompressed_page_size", true},
                                          {3, CType::kI32, "compressed_page_size", true},
                                          {4, CType::kI32, "crc", false},
                                          {5, CType::kStruct, "data_page_header", false},
                                          {6, CType::kStruct, "index_page_header", false},
                                          {7, CType::kStruct, "dictionary_page_header", false},
                                          {8, CType::kStruct, "data_page_header_v2", false}};
  return ReadStruct(r, "PageHeader", kFields, [&](int16_t id) -> Status {
    switch (id) {
      case 1:
        return ReadEnum(r, &out->type);
      case 2:
        return r->ReadI32(&out->uncompressed_page_size);
      case 3:
        return r->ReadI32(&out->compressed_page_size);
      case 4:
        return ReadOptI32(r, &out->crc);
      case 5:
        return ReadOpt(r, &out->data_page_header);
      case 6:
        out->has_index_page_header = true;
        return r->Skip(CType::kStruct);
      case 7:
        return ReadOpt(r, &out->dictionary_page_header);
      default:
        return ReadOpt(r, &out->data_page_header_v2);
    }
  });
}

Status Read(CompactReader* r, PageLocation* out) {
  static constexpr FieldSpec kFields[] = {{1, CType::kI64, "offset", true},
                                          {2, CType::kI32, "compressed_page_size", true},
                                          {3, CType::kI64, "first_row_index", true}};
  return ReadStruct(r, "PageLocation", kFields, [&](int16_t id) -> Status {
    if (id == 1) return r->ReadI64(&out->offset);
    if (id == 2) return r->ReadI32(&out->compressed_page_size);
    return r->ReadI64(&out->first_row_index);
  });
}

Status Read(CompactReader* r, OffsetIndex* out) {
  static constexpr FieldSpec kFields[] = {
      {1, CType::kList, "page_locations", true},
      {2, CType::kList, "unencoded_byte_array_data_bytes", false}};
  return ReadStruct(r, "OffsetIndex", kFields, [&](int16_t id) -> Status {
    if (id == 1) return ReadStructs(r, &out->page_locations);
    return ReadI64s(r, &out->unencoded_byte_array_data_bytes);
  });
}

Status Read(CompactReader* r, ColumnIndex* out) {
  static constexpr FieldSpec kFields[] = {{1, CType::kList, "null_pages", true},
                                          {2, CType::kList, "min_values", true},
                                          {3, CType::kList, "max_values", true},
                                          {4, CType::kI32, "boundary_order", true},
                                          {5, CType::kList, "null_counts", false},
                                          {6, CType::kList, "repetition_level_histograms", false},
                                          {7, CType::kList, "definition_level_histograms", false},
                                          {8, CType::kList, "nan_counts", false}};
  auto binaries = [&](std::vector<std::string>* v) {
    return ReadList(r, CType::kBinary, v, [&](std::string* s) { return r->ReadBinary(s); });
  };
  return ReadStruct(r, "ColumnIndex", kFields, [&](int16_t id) -> Status {
    switch (id) {
      case 1:
        return ReadList(r, kBool, &out->null_pages, [&](bool* b) { return r->ReadBool(b); });
      case 2:
        return binaries(&out->min_values);
      case 3:
        return binaries(&out->max_values);
      case 4:
        return ReadEnum(r, &out->boundary_order);
      case 5:
        return ReadI64s(r, &out->null_counts.emplace());
      case 6:
        return ReadI64s(r, &out->repetition_level_histograms);
      case 7:
        return ReadI64s(r, &out->definition_level_histograms);
      default:
        return ReadI64s(r, &out->nan_counts.emplace());
    }
  });
}

Status Read(CompactReader* r, BloomFilterHeader* out) {
  static constexpr FieldSpec kFields[] = {{1, CType::kI32, "numBytes", true},
                                          {2, CType::kStruct, "algorithm", true},
                                          {3, CType::kStruct, "hash", true},
                                          {4, CType::kStruct, "compression", true}};
  return ReadStruct(r, "BloomFilterHeader", kFields, [&](int16_t id) -> Status {
    switch (id) {
      case 1:
        return r->ReadI32(&out->num_bytes);
      case 2:
        return ReadEmptyUnion(r, "BloomFilterAlgorithm", &out->algorithm);
      case 3:
        return ReadEmptyUnion(r, "BloomFilterHash", &out->hash);
      default:
        return ReadEmptyUnion(r, "BloomFilterCompression", &out->compression);
    }
  });
}

template <typename T>
Status TopLevel(std::string_view bytes, T* out, size_t* consumed,
                const thrift::DecodeLimits& limits) {
  CompactReader r(bytes, limits);
  *out = T{};
  SL_RETURN_IF_ERROR(Read(&r, out));
  if (consumed != nullptr) *consumed = r.position();
  return Status::OK();
}

}  // namespace

Status Deserialize(std::string_view bytes, FileMetaData* out, size_t* consumed,
                   const thrift::DecodeLimits& limits) {
  return TopLevel(bytes, out, consumed, limits);
}
Status Deserialize(std::string_view bytes, PageHeader* out, size_t* consumed,
                   const thrift::DecodeLimits& limits) {
  return TopLevel(bytes, out, consumed, limits);
}
Status Deserialize(std::string_view bytes, ColumnIndex* out, size_t* consumed,
                   const thrift::DecodeLimits& limits) {
  return TopLevel(bytes, out, consumed, limits);
}
Status Deserialize(std::string_view bytes, OffsetIndex* out, size_t* consumed,
                   const thrift::DecodeLimits& limits) {
  return TopLevel(bytes, out, consumed, limits);
}
Status Deserialize(std::string_view bytes, BloomFilterHeader* out, size_t* consumed,
                   const thrift::DecodeLimits& limits) {
  return TopLevel(bytes, out, consumed, limits);
}
Status Deserialize(std::string_view bytes, ColumnMetaData* out, size_t* consumed,
                   const thrift::DecodeLimits& limits) {
  return TopLevel(bytes, out, consumed, limits);
}
Status Deserialize(std::string_view bytes, Statistics* out, size_t* consumed,
                   const thrift::DecodeLimits& limits) {
  return TopLevel(bytes, out, consumed, limits);
}
Status Deserialize(std::string_view bytes, SchemaElement* out, size_t* consumed,
                   const thrift::DecodeLimits& limits) {
  return TopLevel(bytes, out, consumed, limits);
}

}  // namespace saleslake::parquet

// Compact-thrift encoding of the metadata structs. Field ids are those of parquet.thrift; fields
// are written in increasing id order, optional ones only when present.
//
// Each Fields() overload writes the fields of one struct; the caller opens and closes the struct
// (BeginStruct/EndStruct for a list element or the top level, FieldStructBegin/EndStruct for a
// struct-valued field), which is what keeps field-id deltas per struct right.
#include "parquet/metadata.h"

namespace saleslake::parquet {
namespace {

using thrift::CompactWriter;
using thrift::CType;

template <typename E>
int32_t I32(E e) {
  return static_cast<int32_t>(e);
}
uint32_t Count(size_t n) { return static_cast<uint32_t>(n); }

template <typename T>
void StructField(CompactWriter& w, int16_t id, const T& v);
template <typename T>
void StructElements(CompactWriter& w, int16_t id, const std::vector<T>& v);

void EmptyStructField(CompactWriter& w, int16_t id) {
  w.FieldStructBegin(id);
  w.EndStruct();
}

void I64List(CompactWriter& w, int16_t id, const std::vector<int64_t>& v) {
  w.FieldListBegin(id, CType::kI64, Count(v.size()));
  for (int64_t x : v) w.ElementI64(x);
}

void Fields(CompactWriter& w, const LogicalType& t) {
  using Kind = LogicalType::Kind;
  int16_t id = static_cast<int16_t>(t.kind);
  switch (t.kind) {
    case Kind::kDecimal:
      w.FieldStructBegin(id);
      w.FieldI32(1, t.scale);
      w.FieldI32(2, t.precision);
      w.EndStruct();
      return;
    case Kind::kTime:
    case Kind::kTimestamp:
      w.FieldStructBegin(id);
      w.FieldBool(1, t.is_adjusted_to_utc);
      w.FieldStructBegin(2);  // the TimeUnit union
      EmptyStructField(w, static_cast<int16_t>(t.unit));
      w.EndStruct();
      w.EndStruct();
      return;
    case Kind::kInteger:
      w.FieldStructBegin(id);
      w.FieldI8(1, t.bit_width);
      w.FieldBool(2, t.is_signed);
      w.EndStruct();
      return;
    case Kind::kVariant:
    case Kind::kGeometry:
    case Kind::kGeography:
    case Kind::kUnknown: {
      int16_t member = t.kind == Kind::kUnknown ? t.union_field_id : id;
      if (t.raw.empty()) {
        EmptyStructField(w, member);
      } else {
        w.FieldRawStruct(member, t.raw);
      }
      return;
    }
    default:  // variants whose struct is empty
      EmptyStructField(w, id);
      return;
  }
}

void Fields(CompactWriter& w, const SchemaElement& e) {
  if (e.type) w.FieldI32(1, I32(*e.type));
  if (e.type_length) w.FieldI32(2, *e.type_length);
  if (e.repetition_type) w.FieldI32(3, I32(*e.repetition_type));
  w.FieldBinary(4, e.name);
  if (e.num_children) w.FieldI32(5, *e.num_children);
  if (e.converted_type) w.FieldI32(6, I32(*e.converted_type));
  if (e.scale) w.FieldI32(7, *e.scale);
  if (e.precision) w.FieldI32(8, *e.precision);
  if (e.field_id) w.FieldI32(9, *e.field_id);
  if (e.logical_type) StructField(w, 10, *e.logical_type);
}

void Fields(CompactWriter& w, const KeyValue& kv) {
  w.FieldBinary(1, kv.key);
  if (kv.value) w.FieldBinary(2, *kv.value);
}

void Fields(CompactWriter& w, const Statistics& s) {
  if (s.max) w.FieldBinary(1, *s.max);
  if (s.min) w.FieldBinary(2, *s.min);
  if (s.null_count) w.FieldI64(3, *s.null_count);
  if (s.distinct_count) w.FieldI64(4, *s.distinct_count);
  if (s.max_value) w.FieldBinary(5, *s.max_value);
  if (s.min_value) w.FieldBinary(6, *s.min_value);
  if (s.is_max_value_exact) w.FieldBool(7, *s.is_max_value_exact);
  if (s.is_min_value_exact) w.FieldBool(8, *s.is_min_value_exact);
  if (s.nan_count) w.FieldI64(9, *s.nan_count);
}

void Fields(CompactWriter& w, const SizeStatistics& s) {
  if (s.unencoded_byte_array_data_bytes) w.FieldI64(1, *s.unencoded_byte_array_data_bytes);
  if (!s.repetition_level_histogram.empty()) I64List(w, 2, s.repetition_level_histogram);
  if (!s.definition_level_histogram.empty()) I64List(w, 3, s.definition_level_histogram);
}

void Fields(CompactWriter& w, const PageEncodingStats& s) {
  w.FieldI32(1, I32(s.page_type));
  w.FieldI32(2, I32(s.encoding));
  w.FieldI32(3, s.count);
}

void Fields(CompactWriter& w, const SortingColumn& s) {
  w.FieldI32(1, s.column_idx);
  w.FieldBool(2, s.descending);
  w.FieldBool(3, s.nulls_first);
}

void Fields(CompactWriter& w, const ColumnMetaData& m) {
  w.FieldI32(1, I32(m.type));
  w.FieldListBegin(2, CType::kI32, Count(m.encodings.size()));
  for (Encoding e : m.encodings) w.ElementI32(I32(e));
  w.FieldListBegin(3, CType::kBinary, Count(m.path_in_schema.size()));
  for (const std::string& p : m.path_in_schema) w.ElementBinary(p);
  w.FieldI32(4, I32(m.codec));
  w.FieldI64(5, m.num_values);
  w.FieldI64(6, m.total_uncompressed_size);
  w.FieldI64(7, m.total_compressed_size);
  if (!m.key_value_metadata.empty()) StructElements(w, 8, m.key_value_metadata);
  w.FieldI64(9, m.data_page_offset);
  if (m.index_page_offset) w.FieldI64(10, *m.index_page_offset);
  if (m.dictionary_page_offset) w.FieldI64(11, *m.dictionary_page_offset);
  if (m.statistics) StructField(w, 12, *m.statistics);
  if (!m.encoding_stats.empty()) StructElements(w, 13, m.encoding_stats);
  if (m.bloom_filter_offset) w.FieldI64(14, *m.bloom_filter_offset);
  if (m.bloom_filter_length) w.FieldI32(15, *m.bloom_filter_length);
  if (m.size_statistics) StructField(w, 16, *m.size_statistics);
}

void Fields(CompactWriter& w, const ColumnChunk& c) {
  if (c.file_path) w.FieldBinary(1, *c.file_path);
  w.FieldI64(2, c.file_offset);
  if (c.meta_data) StructField(w, 3, *c.meta_data);
  if (c.offset_index_offset) w.FieldI64(4, *c.offset_index_offset);
  if (c.offset_index_length) w.FieldI32(5, *c.offset_index_length);
  if (c.column_index_offset) w.FieldI64(6, *c.column_index_offset);
  if (c.column_index_length) w.FieldI32(7, *c.column_index_length);
  // Encryption fields (8, 9) are never written: saleslake does not encrypt.
}

void Fields(CompactWriter& w, const RowGroup& g) {
  StructElements(w, 1, g.columns);
  w.FieldI64(2, g.total_byte_size);
  w.FieldI64(3, g.num_rows);
  if (!g.sorting_columns.empty()) StructElements(w, 4, g.sorting_columns);
  if (g.file_offset) w.FieldI64(5, *g.file_offset);
  if (g.total_compressed_size) w.FieldI64(6, *g.total_compressed_size);
  if (g.ordinal) w.FieldI16(7, *g.ordinal);
}

void Fields(CompactWriter& w, const ColumnOrder& o) { EmptyStructField(w, o.union_field_id); }

void Fields(CompactWriter& w, const FileMetaData& f) {
  w.FieldI32(1, f.version);
  StructElements(w, 2, f.schema);
  w.FieldI64(3, f.num_rows);
  StructElements(w, 4, f.row_groups);
  if (!f.key_value_metadata.empty()) StructElements(w, 5, f.key_value_metadata);
  if (f.created_by) w.FieldBinary(6, *f.created_by);
  if (!f.column_orders.empty()) StructElements(w, 7, f.column_orders);
}

void Fields(CompactWriter& w, const DataPageHeader& h) {
  w.FieldI32(1, h.num_values);
  w.FieldI32(2, I32(h.encoding));
  w.FieldI32(3, I32(h.definition_level_encoding));
  w.FieldI32(4, I32(h.repetition_level_encoding));
  if (h.statistics) StructField(w, 5, *h.statistics);
}

void Fields(CompactWriter& w, const DictionaryPageHeader& h) {
  w.FieldI32(1, h.num_values);
  w.FieldI32(2, I32(h.encoding));
  if (h.is_sorted) w.FieldBool(3, *h.is_sorted);
}

void Fields(CompactWriter& w, const DataPageHeaderV2& h) {
  w.FieldI32(1, h.num_values);
  w.FieldI32(2, h.num_nulls);
  w.FieldI32(3, h.num_rows);
  w.FieldI32(4, I32(h.encoding));
  w.FieldI32(5, h.definition_levels_byte_length);
  w.FieldI32(6, h.repetition_levels_byte_length);
  if (h.is_compressed) w.FieldBool(7, *h.is_compressed);
  if (h.statistics) StructField(w, 8, *h.statistics);
}

void Fields(CompactWriter& w, const PageHeader& h) {
  w.FieldI32(1, I32(h.type));
  w.FieldI32(2, h.uncompressed_page_size);
  w.FieldI32(3, h.compressed_page_size);
  if (h.crc) w.FieldI32(4, *h.crc);
  if (h.data_page_header) StructField(w, 5, *h.data_page_header);
  if (h.has_index_page_header) EmptyStructField(w, 6);
  if (h.dictionary_page_header) StructField(w, 7, *h.dictionary_page_header);
  if (h.data_page_header_v2) StructField(w, 8, *h.data_page_header_v2);
}

void Fields(CompactWriter& w, const PageLocation& p) {
  w.FieldI64(1, p.offset);
  w.FieldI32(2, p.compressed_page_size);
  w.FieldI64(3, p.first_row_index);
}

void Fields(CompactWriter& w, const OffsetIndex& o) {
  StructElements(w, 1, o.page_locations);
  if (!o.unencoded_byte_array_data_bytes.empty()) {
    I64List(w, 2, o.unencoded_byte_array_data_bytes);
  }
}

void Fields(CompactWriter& w, const ColumnIndex& c) {
  w.FieldListBegin(1, CType::kBoolTrue, Count(c.null_pages.size()));
  for (bool b : c.null_pages) w.ElementBool(b);
  w.FieldListBegin(2, CType::kBinary, Count(c.min_values.size()));
  for (const std::string& v : c.min_values) w.ElementBinary(v);
  w.FieldListBegin(3, CType::kBinary, Count(c.max_values.size()));
  for (const std::string& v : c.max_values) w.ElementBinary(v);
  w.FieldI32(4, I32(c.boundary_order));
  if (c.null_counts) I64List(w, 5, *c.null_counts);
  if (!c.repetition_level_histograms.empty()) I64List(w, 6, c.repetition_level_histograms);
  if (!c.definition_level_histograms.empty()) I64List(w, 7, c.definition_level_histograms);
  if (c.nan_counts) I64List(w, 8, *c.nan_counts);
}

void Fields(CompactWriter& w, const BloomFilterHeader& h) {
  w.FieldI32(1, h.num_bytes);
  // Three unions, each holding one empty struct: algorithm, hash, compression.
  const int16_t members[] = {h.algorithm, h.hash, h.compression};
  for (int16_t i = 0; i < 3; ++i) {
    w.FieldStructBegin(static_cast<int16_t>(i + 2));
    EmptyStructField(w, members[i]);
    w.EndStruct();
  }
}

template <typename T>
void StructField(CompactWriter& w, int16_t id, const T& v) {
  w.FieldStructBegin(id);
  Fields(w, v);
  w.EndStruct();
}

template <typename T>
void StructElements(CompactWriter& w, int16_t id, const std::vector<T>& v) {
  w.FieldListBegin(id, CType::kStruct, Count(v.size()));
  for (const T& x : v) {
    w.BeginStruct();
    Fields(w, x);
    w.EndStruct();
  }
}

template <typename T>
void TopLevel(const T& v, std::string* out) {
  CompactWriter w(out);
  w.BeginStruct();
  Fields(w, v);
  w.EndStruct();
}

}  // namespace

void Serialize(const FileMetaData& v, std::string* out) { TopLevel(v, out); }
void Serialize(const PageHeader& v, std::string* out) { TopLevel(v, out); }
void Serialize(const ColumnIndex& v, std::string* out) { TopLevel(v, out); }
void Serialize(const OffsetIndex& v, std::string* out) { TopLevel(v, out); }
void Serialize(const BloomFilterHeader& v, std::string* out) { TopLevel(v, out); }
void Serialize(const ColumnMetaData& v, std::string* out) { TopLevel(v, out); }
void Serialize(const Statistics& v, std::string* out) { TopLevel(v, out); }
void Serialize(const SchemaElement& v, std::string* out) { TopLevel(v, out); }

}  // namespace saleslake::parquet

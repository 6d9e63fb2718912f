// Parquet metadata as C++ structs, mirroring parquet.thrift (apache/parquet-format), with
// Serialize (append compact-thrift bytes) and Deserialize (bounded, for untrusted bytes).
//
// Field names follow the thrift names in snake_case; thrift `optional` fields are std::optional
// (or an empty vector for optional lists), `required` ones are plain members. Enum values read
// from a file are kept even when this code does not know them (a newer encoding or codec), so the
// reader can refuse them with a clear message instead of the decoder failing.
//
// Deserialize fails with Status::Corruption naming the struct and field when bytes are truncated,
// a field has the wrong wire type, or a required field is missing; caps from thrift::DecodeLimits
// give ResourceExhausted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "parquet/thrift/compact_protocol.h"

namespace saleslake::parquet {

// ---- enums (values as in parquet.thrift) ----

enum class Type : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,  // deprecated; read only, never written
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

enum class FieldRepetitionType : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };

enum class Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

enum class CompressionCodec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,  // the deprecated Hadoop-framed LZ4
  kZstd = 6,
  kLz4Raw = 7,
};

enum class PageType : int32_t {
  kDataPage = 0,
  kIndexPage = 1,
  kDictionaryPage = 2,
  kDataPageV2 = 3,
};

enum class BoundaryOrder : int32_t { kUnordered = 0, kAscending = 1, kDescending = 2 };

// Upper-case thrift names ("INT64", "RLE_DICTIONARY", "SNAPPY"); "UNKNOWN(n)" for other values.
std::string TypeName(Type t);
std::string ConvertedTypeName(ConvertedType t);
std::string RepetitionName(FieldRepetitionType t);
std::string EncodingName(Encoding e);
std::string CodecName(CompressionCodec c);
std::string PageTypeName(PageType t);
std::string BoundaryOrderName(BoundaryOrder b);

// ---- logical types ----

enum class TimeUnit : int16_t { kMillis = 1, kMicros = 2, kNanos = 3 };  // union field ids

struct LogicalType {
  // Values are the field ids of the thrift LogicalType union.
  enum class Kind : int16_t {
    kString = 1,
    kMap = 2,
    kList = 3,
    kEnum = 4,
    kDecimal = 5,
    kDate = 6,
    kTime = 7,
    kTimestamp = 8,
    kInteger = 10,
    kNull = 11,  // "UNKNOWN" in parquet.thrift: a column that only holds nulls
    kJson = 12,
    kBson = 13,
    kUuid = 14,
    kFloat16 = 15,
    kVariant = 16,
    kGeometry = 17,
    kGeography = 18,
    // Any variant this code does not model (including future ones): `union_field_id` and `raw`
    // keep it so that serializing gives the same bytes back.
    kUnknown = -1,
  };
  Kind kind = Kind::kString;
  int32_t scale = 0;                  // kDecimal
  int32_t precision = 0;              // kDecimal
  bool is_adjusted_to_utc = false;    // kTime, kTimestamp
  TimeUnit unit = TimeUnit::kMillis;  // kTime, kTimestamp
  int8_t bit_width = 0;               // kInteger: 8, 16, 32, 64
  bool is_signed = true;              // kInteger
  // For kVariant, kGeometry, kGeography and kUnknown: the encoded body of the member's struct,
  // re-emitted as it came; for kUnknown also the union member's field id.
  int16_t union_field_id = 0;
  std::string raw;

  static LogicalType String() { return LogicalType{}; }
  static LogicalType Enum() { return Simple(Kind::kEnum); }
  static LogicalType Json() { return Simple(Kind::kJson); }
  static LogicalType Uuid() { return Simple(Kind::kUuid); }
  static LogicalType Date() { return Simple(Kind::kDate); }
  static LogicalType Decimal(int32_t precision, int32_t scale);
  static LogicalType Timestamp(bool is_adjusted_to_utc, TimeUnit unit);
  static LogicalType Time(bool is_adjusted_to_utc, TimeUnit unit);
  static LogicalType Integer(int8_t bit_width, bool is_signed);

  // "STRING", "DECIMAL(18,2)", "TIMESTAMP(MICROS,UTC)", "INTEGER(16,unsigned)", "UNKNOWN(20)".
  std::string ToString() const;
  bool operator==(const LogicalType&) const = default;

 private:
  static LogicalType Simple(Kind k) {
    LogicalType t;
    t.kind = k;
    return t;
  }
};

// ---- schema and file metadata ----

struct SchemaElement {
  std::optional<Type> type;            // absent for group nodes (the root)
  std::optional<int32_t> type_length;  // FIXED_LEN_BYTE_ARRAY width
  std::optional<FieldRepetitionType> repetition_type;
  std::string name;
  std::optional<int32_t> num_children;
  std::optional<ConvertedType> converted_type;
  std::optional<int32_t> scale;
  std::optional<int32_t> precision;
  std::optional<int32_t> field_id;
  std::optional<LogicalType> logical_type;
  bool operator==(const SchemaElement&) const = default;
};

struct KeyValue {
  std::string key;
  std::optional<std::string> value;
  bool operator==(const KeyValue&) const = default;
};

// Min/max are the plain-encoded values (little-endian numbers, raw bytes for byte arrays).
// `min_value`/`max_value` follow the column's sort order; the deprecated `min`/`max` are signed
// byte-wise and are only read, never written.
struct Statistics {
  std::optional<std::string> max;
  std::optional<std::string> min;
  std::optional<int64_t> null_count;
  std::optional<int64_t> distinct_count;
  std::optional<std::string> max_value;
  std::optional<std::string> min_value;
  std::optional<bool> is_max_value_exact;
  std::optional<bool> is_min_value_exact;
  std::optional<int64_t> nan_count;
  bool operator==(const Statistics&) const = default;
};

struct SizeStatistics {
  std::optional<int64_t> unencoded_byte_array_data_bytes;
  std::vector<int64_t> repetition_level_histogram;
  std::vector<int64_t> definition_level_histogram;
  bool operator==(const SizeStatistics&) const = default;
};

struct PageEncodingStats {
  PageType page_type = PageType::kDataPage;
  Encoding encoding = Encoding::kPlain;
  int32_t count = 0;
  bool operator==(const PageEncodingStats&) const = default;
};

struct SortingColumn {
  int32_t column_idx = 0;
  bool descending = false;
  bool nulls_first = false;
  bool operator==(const SortingColumn&) const = default;
};

struct ColumnMetaData {
  Type type = Type::kBoolean;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  CompressionCodec codec = CompressionCodec::kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  std::vector<KeyValue> key_value_metadata;
  int64_t data_page_offset = 0;
  std::optional<int64_t> index_page_offset;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
  std::vector<PageEncodingStats> encoding_stats;
  std::optional<int64_t> bloom_filter_offset;
  std::optional<int32_t> bloom_filter_length;
  std::optional<SizeStatistics> size_statistics;
  bool operator==(const ColumnMetaData&) const = default;
};

struct ColumnChunk {
  std::optional<std::string> file_path;  // another file holds the data (we never write this)
  int64_t file_offset = 0;
  std::optional<ColumnMetaData> meta_data;
  std::optional<int64_t> offset_index_offset;
  std::optional<int32_t> offset_index_length;
  std::optional<int64_t> column_index_offset;
  std::optional<int32_t> column_index_length;
  // Column encryption is not supported; these say that it was present.
  bool has_crypto_metadata = false;
  std::optional<std::string> encrypted_column_metadata;
  bool operator==(const ColumnChunk&) const = default;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;  // uncompressed size of all column data
  int64_t num_rows = 0;
  std::vector<SortingColumn> sorting_columns;
  std::optional<int64_t> file_offset;
  std::optional<int64_t> total_compressed_size;
  std::optional<int16_t> ordinal;
  bool operator==(const RowGroup&) const = default;
};

// The ColumnOrder union: TYPE_ORDER is the only order in the spec we write; others are kept as
// their union field id.
struct ColumnOrder {
  int16_t union_field_id = 1;  // 1 = TYPE_ORDER
  bool is_type_defined_order() const { return union_field_id == 1; }
  bool operator==(const ColumnOrder&) const = default;
};

struct FileMetaData {
  int32_t version = 2;
  std::vector<SchemaElement> schema;  // depth-first; schema[0] is the root group
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<KeyValue> key_value_metadata;
  std::optional<std::string> created_by;
  std::vector<ColumnOrder> column_orders;
  // Encrypted footers are not supported; this says that the file claimed one.
  bool has_encryption_algorithm = false;
  bool operator==(const FileMetaData&) const = default;
};

// ---- pages ----

struct DataPageHeader {
  int32_t num_values = 0;  // including nulls
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;
  Encoding repetition_level_encoding = Encoding::kRle;
  std::optional<Statistics> statistics;
  bool operator==(const DataPageHeader&) const = default;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  std::optional<bool> is_sorted;
  bool operator==(const DictionaryPageHeader&) const = default;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  Encoding encoding = Encoding::kPlain;
  int32_t definition_levels_byte_length = 0;  // levels are never compressed in v2
  int32_t repetition_levels_byte_length = 0;
  std::optional<bool> is_compressed;  // absent means true
  std::optional<Statistics> statistics;
  bool operator==(const DataPageHeaderV2&) const = default;
};

struct PageHeader {
  PageType type = PageType::kDataPage;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  std::optional<int32_t> crc;  // CRC32 of the page bytes after the header (compressed)
  std::optional<DataPageHeader> data_page_header;
  bool has_index_page_header = false;
  std::optional<DictionaryPageHeader> dictionary_page_header;
  std::optional<DataPageHeaderV2> data_page_header_v2;
  bool operator==(const PageHeader&) const = default;
};

// ---- page index and bloom filter ----

struct PageLocation {
  int64_t offset = 0;                // file offset of the page header
  int32_t compressed_page_size = 0;  // header included
  int64_t first_row_index = 0;
  bool operator==(const PageLocation&) const = default;
};

struct OffsetIndex {
  std::vector<PageLocation> page_locations;
  std::vector<int64_t> unencoded_byte_array_data_bytes;  // optional; empty when absent
  bool operator==(const OffsetIndex&) const = default;
};

struct ColumnIndex {
  std::vector<bool> null_pages;
  std::vector<std::string> min_values;  // empty string for a null page
  std::vector<std::string> max_values;
  BoundaryOrder boundary_order = BoundaryOrder::kUnordered;
  std::optional<std::vector<int64_t>> null_counts;
  std::vector<int64_t> repetition_level_histograms;
  std::vector<int64_t> definition_level_histograms;
  std::optional<std::vector<int64_t>> nan_counts;
  bool operator==(const ColumnIndex&) const = default;
};

// Only the split-block algorithm, xxHash64 and no compression exist in the spec; other union
// members are kept by field id so the reader can refuse them.
struct BloomFilterHeader {
  int32_t num_bytes = 0;
  int16_t algorithm = 1;    // 1 = BLOCK (split block)
  int16_t hash = 1;         // 1 = XXHASH (xxHash64, seed 0)
  int16_t compression = 1;  // 1 = UNCOMPRESSED
  bool operator==(const BloomFilterHeader&) const = default;
};

// ---- serialization ----

// Each Serialize appends the compact-thrift encoding of one top-level struct to *out.
void Serialize(const FileMetaData& v, std::string* out);
void Serialize(const PageHeader& v, std::string* out);
void Serialize(const ColumnIndex& v, std::string* out);
void Serialize(const OffsetIndex& v, std::string* out);
void Serialize(const BloomFilterHeader& v, std::string* out);
void Serialize(const ColumnMetaData& v, std::string* out);
void Serialize(const Statistics& v, std::string* out);
void Serialize(const SchemaElement& v, std::string* out);

// Each Deserialize decodes one top-level struct from the start of `bytes`. Bytes after the struct
// are allowed; *consumed (when not null) receives the length of the struct's encoding, which is
// how a page header's size is learned.
Status Deserialize(std::string_view bytes, FileMetaData* out, size_t* consumed = nullptr,
                   const thrift::DecodeLimits& limits = {});
Status Deserialize(std::string_view bytes, PageHeader* out, size_t* consumed = nullptr,
                   const thrift::DecodeLimits& limits = {});
Status Deserialize(std::string_view bytes, ColumnIndex* out, size_t* consumed = nullptr,
                   const thrift::DecodeLimits& limits = {});
Status Deserialize(std::string_view bytes, OffsetIndex* out, size_t* consumed = nullptr,
                   const thrift::DecodeLimits& limits = {});
Status Deserialize(std::string_view bytes, BloomFilterHeader* out, size_t* consumed = nullptr,
                   const thrift::DecodeLimits& limits = {});
Status Deserialize(std::string_view bytes, ColumnMetaData* out, size_t* consumed = nullptr,
                   const thrift::DecodeLimits& limits = {});
Status Deserialize(std::string_view bytes, Statistics* out, size_t* consumed = nullptr,
                   const thrift::DecodeLimits& limits = {});
Status Deserialize(std::string_view bytes, SchemaElement* out, size_t* consumed = nullptr,
                   const thrift::DecodeLimits& limits = {});

}  // namespace saleslake::parquet

// `saleslake parquet inspect FILE`: the file's metadata as one JSON document (schema with logical
// types, row groups, per column chunk encodings, codec, sizes, statistics decoded per logical
// type, page index and bloom filter locations, key-value metadata).
#include <cstdio>
#include <string>

#include "base/cli.h"
#include "base/hash.h"
#include "base/json_writer.h"
#include "parquet/tools/parquet_tools.h"
#include "parquet/tools/value_format.h"

namespace saleslake::parquet {
namespace {

void WriteKeyValues(JsonWriter* w, const std::vector<KeyValue>& kvs) {
  w->BeginArray();
  for (const KeyValue& kv : kvs) {
    w->BeginObject();
    std::string key;
    AppendJsonText(&key, kv.key);
    w->Key("key");
    w->Raw(key);
    w->Key("value");
    if (kv.value) {
      std::string value;
      AppendJsonText(&value, *kv.value);
      w->Raw(value);
    } else {
      w->Null();
    }
    w->EndObject();
  }
  w->EndArray();
}

// A statistics value decoded per the column's logical type; raw base64 when it does not decode.
void WriteStatValue(JsonWriter* w, const ColumnDescriptor& column, const std::string& plain) {
  auto value = DecodeStatisticsValue(column, plain);
  if (!value.ok()) {
    w->BeginObject();
    w->Field("undecodable_base64", Base64Encode(plain));
    w->EndObject();
    return;
  }
  std::string json;
  AppendJsonValue(column, *value, 0, &json);
  w->Raw(json);
}

void WriteStatistics(JsonWriter* w, const ColumnDescriptor& column, const Statistics& s) {
  w->BeginObject();
  if (s.null_count) w->Field("null_count", *s.null_count);
  if (s.distinct_count) w->Field("distinct_count", *s.distinct_count);
  if (s.nan_count) w->Field("nan_count", *s.nan_count);
  // min_value/max_value follow the column's sort order. The deprecated min/max were written with
  // signed byte comparison, so they are shown but marked.
  const bool modern = s.min_value.has_value() || s.max_value.has_value();
  const std::optional<std::string>& min = modern ? s.min_value : s.min;
  const std::optional<std::string>& max = modern ? s.max_value : s.max;
  if (min) {
    w->Key("min");
    WriteStatValue(w, column, *min);
  }
  if (max) {
    w->Key("max");
    WriteStatValue(w, column, *max);
  }
  if (!modern && (min || max)) w->Field("deprecated_min_max", true);
  if (s.is_min_value_exact) w->Field("min_exact", *s.is_min_value_exact);
  if (s.is_max_value_exact) w->Field("max_exact", *s.is_max_value_exact);
  w->EndObject();
}

void WriteSchema(JsonWriter* w, const FileSchema& schema) {
  w->BeginObject();
  w->Key("root");
  std::string root;
  AppendJsonText(&root, schema.root_name());
  w->Raw(root);
  w->Key("columns");
  w->BeginArray();
  for (const ColumnDescriptor& c : schema.columns()) {
    w->BeginObject();
    std::string name;
    AppendJsonText(&name, c.name);
    w->Key("name");
    w->Raw(name);
    w->Field("physical_type", TypeName(c.physical_type));
    if (c.physical_type == Type::kFixedLenByteArray) w->Field("type_length", c.type_length);
    w->Field("repetition", RepetitionName(c.repetition));
    if (c.logical_type) w->Field("logical_type", c.logical_type->ToString());
    if (c.converted_type) w->Field("converted_type", ConvertedTypeName(*c.converted_type));
    w->Field("kind", std::string(ColumnKindName(c.kind)));
    if (c.kind == ColumnKind::kDecimal) {
      w->Field("precision", c.decimal_precision);
      w->Field("scale", c.decimal_scale);
    }
    w->Field("max_definition_level", static_cast<int>(c.max_definition_level));
    w->Field("max_repetition_level", static_cast<int>(c.max_repetition_level));
    if (!c.supported()) w->Field("unsupported", c.unsupported_reason);
    w->EndObject();
  }
  w->EndArray();
  w->EndObject();
}

void WriteChunk(JsonWriter* w, const ParquetFileReader& reader, int rg, int col) {
  const ColumnDescriptor& c = reader.schema().column(col);
  const ColumnChunk& cc =
      reader.metadata().row_groups[static_cast<size_t>(rg)].columns[static_cast<size_t>(col)];
  w->BeginObject();
  std::string name;
  AppendJsonText(&name, c.name);
  w->Key("column");
  w->Raw(name);
  if (!cc.meta_data) {
    w->Field("error", "the column chunk has no metadata");
    w->EndObject();
    return;
  }
  const ColumnMetaData& m = *cc.meta_data;
  w->Field("codec", CodecName(m.codec));
  w->Key("encodings");
  w->BeginArray();
  for (Encoding e : m.encodings) w->String(EncodingName(e));
  w->EndArray();
  if (!m.encoding_stats.empty()) {
    w->Key("encoding_stats");
    w->BeginArray();
    for (const PageEncodingStats& s : m.encoding_stats) {
      w->BeginObject();
      w->Field("page_type", PageTypeName(s.page_type));
      w->Field("encoding", EncodingName(s.encoding));
      w->Field("count", s.count);
      w->EndObject();
    }
    w->EndArray();
  }
  w->Field("num_values", m.num_values);
  w->Field("compressed_bytes", m.total_compressed_size);
  w->Field("uncompressed_bytes", m.total_uncompressed_size);
  w->Field("data_page_offset", m.data_page_offset);
  if (m.dictionary_page_offset) w->Field("dictionary_page_offset", *m.dictionary_page_offset);
  if (m.statistics) {
    w->Key("statistics");
    WriteStatistics(w, c, *m.statistics);
  }
  if (cc.column_index_offset) {
    w->Key("column_index");
    w->BeginObject();
    w->Field("offset", *cc.column_index_offset);
    w->Field("length", static_cast<int64_t>(cc.column_index_length.value_or(0)));
    w->EndObject();
  }
  if (cc.offset_index_offset) {
    w->Key("offset_index");
    w->BeginObject();
    w->Field("offset", *cc.offset_index_offset);
    w->Field("length", static_cast<int64_t>(cc.offset_index_length.value_or(0)));
    w->EndObject();
  }
  if (m.bloom_filter_offset) {
    w->Key("bloom_filter");
    w->BeginObject();
    w->Field("offset", *m.bloom_filter_offset);
    if (m.bloom_filter_length) w->Field("length", static_cast<int64_t>(*m.bloom_filter_length));
    w->EndObject();
  }
  if (!m.key_value_metadata.empty()) {
    w->Key("key_value_metadata");
    WriteKeyValues(w, m.key_value_metadata);
  }
  w->EndObject();
}

}  // namespace

std::string InspectJson(const ParquetFileReader& reader) {
  const FileMetaData& md = reader.metadata();
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("file", reader.path());
  w.Field("file_bytes", reader.file_size());
  w.Field("format_version", md.version);
  if (md.created_by) {
    std::string created;
    AppendJsonText(&created, *md.created_by);
    w.Key("created_by");
    w.Raw(created);
  }
  w.Field("num_rows", md.num_rows);
  w.Field("num_row_groups", reader.num_row_groups());
  w.Key("schema");
  WriteSchema(&w, reader.schema());
  w.Key("key_value_metadata");
  WriteKeyValues(&w, md.key_value_metadata);
  w.Key("row_groups");
  w.BeginArray();
  for (int rg = 0; rg < reader.num_row_groups(); ++rg) {
    const RowGroup& group = md.row_groups[static_cast<size_t>(rg)];
    w.BeginObject();
    w.Field("index", rg);
    w.Field("num_rows", group.num_rows);
    w.Field("total_byte_size", group.total_byte_size);
    if (group.total_compressed_size) w.Field("total_compressed_size", *group.total_compressed_size);
    w.Key("columns");
    w.BeginArray();
    for (int col = 0; col < reader.schema().num_columns(); ++col) WriteChunk(&w, reader, rg, col);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out.push_back('\n');
  return out;
}

int ParquetInspectCommand(int argc, char** argv) {
  CLI::App app{
      "Print a Parquet file's metadata as JSON: schema with logical types, row groups, "
      "per column chunk encodings, codec, sizes, statistics and key-value metadata."};
  std::string uri;
  app.add_option("FILE", uri, "a Parquet file: path, file://, s3://bucket/key or mem:// URI")
      ->required();
  return RunCommand(app, "parquet inspect",
                    "saleslake parquet inspect lake/raw/sales/year=2026/month=11/day=26/"
                    "batch-1.parquet | jq .schema",
                    argc, argv, [&]() -> Status {
                      SL_ASSIGN_OR_RETURN(auto reader, OpenParquetFile(uri));
                      const std::string json = InspectJson(*reader);
                      if (std::fwrite(json.data(), 1, json.size(), stdout) != json.size()) {
                        return Status::IOError("cannot write to standard output");
                      }
                      return Status::OK();
                    });
}

}  // namespace saleslake::parquet

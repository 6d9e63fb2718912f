// parquet_write_matrix OUT_DIR: a test-only tool (not a saleslake command). Writes one Parquet
// file per encoding x codec x page version with every column type the writer supports, and
// OUT_DIR/expected.json describing the files and every value in a canonical text form, for the
// node tests that read the files back with DuckDB and polars.
//
// Values are the same in every file: OPTIONAL columns have ~10% nulls; the first half of the rows
// repeats few distinct values (dictionary pages) and the second half many (so a small dictionary
// limit forces the fallback within a chunk); edge values (integer extremes, empty and non-ASCII
// strings, negative decimals) are included.
#include <fmt/format.h>

#include <cinttypes>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/decimal.h"
#include "base/json_writer.h"
#include "io/uri.h"
#include "parquet/writer/file_writer.h"

namespace saleslake::parquet {
namespace {

constexpr size_t kRows = 2500;

// How the node test turns a column back into canonical text (see parquet_interop.test.mjs).
struct MatrixColumn {
  ColumnSpec spec;
  const char* kind;         // bool, int, float, string, hex, uuid, decimal, ts_ms, ts_us, date
  const char* duckdb_type;  // what DuckDB's DESCRIBE must say
};

std::vector<MatrixColumn> Columns() {
  return {
      {ColumnSpec::Boolean("bool_col"), "bool", "BOOLEAN"},
      {ColumnSpec::Int32("i32").Required(), "int", "INTEGER"},
      {ColumnSpec::Int64("i64"), "int", "BIGINT"},
      {ColumnSpec::Float("f32"), "float", "FLOAT"},
      {ColumnSpec::Double("f64"), "float", "DOUBLE"},
      {ColumnSpec::String("str"), "string", "VARCHAR"},
      {ColumnSpec::Binary("bin"), "hex", "BLOB"},
      {ColumnSpec::FixedLenByteArray("flba", 5), "hex", "BLOB"},
      {ColumnSpec::Uuid("uuid"), "uuid", "UUID"},
      {ColumnSpec::Decimal("dec9", 9, 3), "decimal", "DECIMAL(9,3)"},
      {ColumnSpec::Decimal("dec18", 18, 2).Required(), "decimal", "DECIMAL(18,2)"},
      {ColumnSpec::Timestamp("ts_ms", TimeUnit::kMillis), "ts_ms", "TIMESTAMP WITH TIME ZONE"},
      {ColumnSpec::Timestamp("ts_us", TimeUnit::kMicros), "ts_us", "TIMESTAMP WITH TIME ZONE"},
      {ColumnSpec::Timestamp("ts_local", TimeUnit::kMicros, false), "ts_us", "TIMESTAMP"},
      {ColumnSpec::Date("date_col"), "date", "DATE"},
      {ColumnSpec::Integer("i8", 8, true), "int", "TINYINT"},
      {ColumnSpec::Integer("i16", 16, true), "int", "SMALLINT"},
      {ColumnSpec::Integer("u8", 8, false), "int", "UTINYINT"},
      {ColumnSpec::Integer("u16", 16, false), "int", "USMALLINT"},
      {ColumnSpec::Integer("u32", 32, false), "int", "UINTEGER"},
      {ColumnSpec::Integer("u64", 64, false), "int", "UBIGINT"},
      {ColumnSpec::Enum("enum_col"), "string", "VARCHAR"},
  };
}

std::string Hex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) out += fmt::format("{:02X}", c);
  return out;
}

std::string UuidText(std::string_view b) {
  std::string h = Hex(b);
  for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

// Fills `buffer` with the column's values and writes their canonical forms to `json`.
void Generate(const MatrixColumn& column, uint32_t seed, ColumnBuffer* buffer, JsonWriter* json) {
  std::mt19937_64 rng(seed);
  const ColumnSpec& spec = column.spec;
  const LogicalType* logical = spec.logical_type ? &*spec.logical_type : nullptr;
  json->BeginArray();
  for (size_t row = 0; row < kRows; ++row) {
    if (!spec.required && rng() % 10 == 0) {
      buffer->AppendNull();
      json->Null();
      continue;
    }
    // Few distinct values in the first half, many in the second.
    const uint64_t r = row < kRows / 2 ? rng() % 17 : rng();
    const bool edge = row % 97 == 5;
    switch (spec.type) {
      case Type::kBoolean:
        buffer->AppendBool(r & 1);
        json->String((r & 1) ? "true" : "false");
        break;
      case Type::kInt32: {
        int32_t v = static_cast<int32_t>(r);
        if (logical && logical->kind == LogicalType::Kind::kInteger && logical->bit_width < 32) {
          const int bits = logical->bit_width;
          v = static_cast<int32_t>(r % (uint64_t{1} << bits));
          if (logical->is_signed) v -= 1 << (bits - 1);
          if (edge) v = logical->is_signed ? -(1 << (bits - 1)) : (1 << bits) - 1;
        } else if (logical && logical->kind == LogicalType::Kind::kDecimal) {
          v = static_cast<int32_t>(r % 1'999'999'999) - 999'999'999;
          if (edge) v = -999'999'999;
        } else if (logical && logical->kind == LogicalType::Kind::kDate) {
          v = static_cast<int32_t>(r % 40'000) - 5000;  // 1956..2079
        } else if (edge) {
          v = row % 2 ? INT32_MIN : INT32_MAX;
        }
        buffer->AppendInt32(v);
        if (logical && logical->kind == LogicalType::Kind::kDecimal) {
          json->String(FormatScaledDecimal(v, logical->scale));
        } else if (logical && logical->kind == LogicalType::Kind::kInteger && !logical->is_signed) {
          json->String(std::to_string(static_cast<uint32_t>(v)));
        } else {
          json->String(std::to_string(v));
        }
        break;
      }
      case Type::kInt64: {
        int64_t v = static_cast<int64_t>(r);
        if (logical && logical->kind == LogicalType::Kind::kDecimal) {
          v = static_cast<int64_t>(r % 1'999'999'999'999'999'999ull) - 999'999'999'999'999'999;
          if (edge) v = 999'999'999'999'999'999;
        } else if (logical && logical->kind == LogicalType::Kind::kTimestamp) {
          // Around 2026, in the column's unit; ms and us columns step differently.
          const int64_t base =
              logical->unit == TimeUnit::kMillis ? 1'790'000'000'000 : 1'790'000'000'000'000;
          v = base + static_cast<int64_t>(r % 8'640'000'000);
        } else if (edge) {
          v = row % 2 ? INT64_MIN : INT64_MAX;
        }
        buffer->AppendInt64(v);
        if (logical && logical->kind == LogicalType::Kind::kDecimal) {
          json->String(FormatScaledDecimal(v, logical->scale));
        } else if (logical && logical->kind == LogicalType::Kind::kInteger && !logical->is_signed) {
          json->String(std::to_string(static_cast<uint64_t>(v)));
        } else {
          json->String(std::to_string(v));
        }
        break;
      }
      case Type::kFloat: {
        const float v =
            edge ? -0.0f : static_cast<float>(static_cast<int64_t>(r % 200'000) - 100'000) / 64.0f;
        buffer->AppendFloat(v);
        json->Double(v);
        break;
      }
      case Type::kDouble: {
        const double v = edge ? 1e300 : static_cast<double>(static_cast<int64_t>(r)) / 1e6;
        buffer->AppendDouble(v);
        json->Double(v);
        break;
      }
      case Type::kByteArray: {
        std::string v;
        if (spec.logical_type && spec.logical_type->kind == LogicalType::Kind::kEnum) {
          static const char* kNames[] = {"ELECTRONICS", "FASHION", "HOME", "SPORTS"};
          v = kNames[r % 4];
        } else if (edge) {
          v = row % 2 ? ""
                      : "caf\xC3\xA9 "
                        "\xE0\xA4\xA8\xE0\xA4\xAE\xE0\xA4\xB8\xE0\xA5\x8D\xE0\xA4\xA4\xE0\xA5\x87";
        } else {
          v = fmt::format("value-{}", r);
          if (!spec.logical_type) v += std::string(1, static_cast<char>(r & 0xFF));
        }
        buffer->AppendBytes(v);
        json->String(spec.logical_type ? v : Hex(v));
        break;
      }
      case Type::kFixedLenByteArray: {
        std::string v(static_cast<size_t>(spec.type_length), '\0');
        uint64_t x = r * 0x9E3779B97F4A7C15ull + 1;
        for (size_t k = 0; k < v.size(); ++k) {
          v[k] = static_cast<char>(x >> (8 * (k % 8)));
          if (k % 8 == 7) x = x * 0x9E3779B97F4A7C15ull + 7;
        }
        buffer->AppendBytes(v);
        json->String(spec.logical_type ? UuidText(v) : Hex(v));
        break;
      }
      default:
        break;
    }
  }
  json->EndArray();
}

struct Variant {
  const char* encoding;
  const char* codec;
  int page_version;
};

Result<WriterOptions> OptionsFor(const Variant& v, const std::vector<MatrixColumn>& columns) {
  WriterOptions::Builder b;
  SL_ASSIGN_OR_RETURN(compress::CodecType codec, compress::CodecTypeFromName(v.codec));
  b.Compression(codec)
      .PageVersion(v.page_version == 2 ? DataPageVersion::kV2 : DataPageVersion::kV1)
      .RowGroupRows(1000)
      .DataPageRows(300)
      .DictionaryPageBytes(2048)
      .BloomFilter("str")
      .BloomFilter("i64")
      .BloomFilter("uuid")
      .Metadata("matrix.variant", fmt::format("{}/{}/v{}", v.encoding, v.codec, v.page_version));
  const std::string e = v.encoding;
  if (e == "plain") b.DefaultEncoding(ColumnEncoding::kPlain);
  if (e == "dictionary") b.DefaultEncoding(ColumnEncoding::kDictionary);
  if (e == "delta") {
    b.DefaultEncoding(ColumnEncoding::kPlain);
    for (const MatrixColumn& c : columns) {
      if (c.spec.type == Type::kInt32 || c.spec.type == Type::kInt64) {
        b.EncodingFor(c.spec.name, ColumnEncoding::kDeltaBinaryPacked);
      }
    }
  }
  return b.Build();
}

Status Run(const std::string& out_dir) {
  const std::vector<MatrixColumn> columns = Columns();
  std::vector<ColumnSpec> specs;
  std::vector<ColumnBuffer> batch;
  std::string json_text;
  JsonWriter json(&json_text);
  json.BeginObject();
  json.Key("rows");
  json.Int(static_cast<int64_t>(kRows));
  json.Key("row_group_rows");
  json.Int(1000);
  json.Key("bloom_columns");
  json.BeginArray();
  for (const char* c : {"str", "i64", "uuid"}) json.String(c);
  json.EndArray();
  json.Key("columns");
  json.BeginArray();
  for (const MatrixColumn& c : columns) {
    json.BeginObject();
    json.Field("name", c.spec.name);
    json.Field("kind", c.kind);
    json.Field("duckdb_type", c.duckdb_type);
    json.Field("required", c.spec.required);
    json.EndObject();
  }
  json.EndArray();
  json.Key("values");
  json.BeginObject();
  uint32_t seed = 11;
  for (const MatrixColumn& c : columns) {
    specs.push_back(c.spec);
    batch.emplace_back(c.spec.type, c.spec.type_length);
    json.Key(c.spec.name);
    Generate(c, seed++, &batch.back(), &json);
  }
  json.EndObject();

  json.Key("files");
  json.BeginArray();
  SL_ASSIGN_OR_RETURN(io::UriLocation dir, io::ResolveUri(out_dir));
  for (const char* encoding : {"auto", "plain", "dictionary", "delta"}) {
    for (const char* codec : {"none", "snappy", "zstd", "gzip"}) {
      for (int version : {1, 2}) {
        const Variant v{encoding, codec, version};
        SL_ASSIGN_OR_RETURN(WriterOptions options, OptionsFor(v, columns));
        const std::string name = fmt::format("matrix-{}-{}-v{}.parquet", encoding, codec, version);
        SL_ASSIGN_OR_RETURN(auto file, dir.fs->OpenForWrite(dir.path + "/" + name));
        SL_ASSIGN_OR_RETURN(auto writer,
                            ParquetFileWriter::Open(std::move(file), specs, std::move(options)));
        // Two batches, so batch boundaries fall inside pages and row groups.
        std::vector<ColumnBuffer> first, second;
        for (size_t c = 0; c < batch.size(); ++c) {
          first.emplace_back(specs[c].type, specs[c].type_length);
          second.emplace_back(specs[c].type, specs[c].type_length);
          for (size_t r = 0; r < kRows; ++r) {
            ColumnBuffer& to = r < 1234 ? first.back() : second.back();
            const ColumnBuffer& from = batch[c];
            if (!from.IsValid(r)) {
              to.AppendNull();
              continue;
            }
            switch (specs[c].type) {
              case Type::kBoolean:
                to.AppendBool(from.bools()[r]);
                break;
              case Type::kInt32:
                to.AppendInt32(from.int32s()[r]);
                break;
              case Type::kInt64:
                to.AppendInt64(from.int64s()[r]);
                break;
              case Type::kFloat:
                to.AppendFloat(from.floats()[r]);
                break;
              case Type::kDouble:
                to.AppendDouble(from.doubles()[r]);
                break;
              default:
                to.AppendBytes(from.bytes(r));
                break;
            }
          }
        }
        SL_RETURN_IF_ERROR(writer->Write(first));
        SL_RETURN_IF_ERROR(writer->Write(second));
        SL_RETURN_IF_ERROR(writer->Close());
        json.BeginObject();
        json.Field("path", name);
        json.Field("encoding", encoding);
        json.Field("codec", codec);
        json.Field("page_version", version);
        json.EndObject();
      }
    }
  }
  json.EndArray();
  json.EndObject();
  return dir.fs->WriteFile(dir.path + "/expected.json", json_text);
}

}  // namespace
}  // namespace saleslake::parquet

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: parquet_write_matrix OUT_DIR\n");
    return 2;
  }
  saleslake::Status s = saleslake::parquet::Run(argv[1]);
  if (!s.ok()) {
    std::fprintf(stderr, "parquet_write_matrix: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}

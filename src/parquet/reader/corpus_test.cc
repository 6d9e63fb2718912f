// The parquet-testing corpus (testdata/parquet-testing): every flat column of every file with an
// expected/NAME.json (DuckDB's reading, one JSON object per row, then the schema) must read back
// the same values; files with corrupt page CRCs must fail naming column, row group and page;
// nested columns must be refused by name; LZ4 files DuckDB refuses must read too.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "io/uri.h"
#include "parquet/reader/file_reader.h"
#include "parquet/reader/logical_value.h"
#include "parquet/tools/parquet_tools.h"

namespace saleslake::parquet {
namespace {

namespace fs = std::filesystem;

fs::path CorpusDir() {
  const char* shared = std::getenv("SALESLAKE_SHARED_DIR");
  return fs::path(shared ? shared : "../shared") / "testdata" / "parquet-testing";
}

// DuckDB renders a BLOB as text with printable ASCII kept and other bytes as \xHH.
std::string DuckDbBlobText(std::string_view bytes) {
  std::string out;
  static const char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : bytes) {
    if (c >= 32 && c <= 126 && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// DuckDB's TIMESTAMP text: "2009-01-13 01:02:05.41" (microseconds, trailing zeros dropped).
std::string DuckDbTimestampText(SecondsAndNanos t) {
  std::string iso = FormatTimestamp({t.seconds, t.nanos / 1000 * 1000}, TimeUnit::kMicros, false);
  iso[iso.find('T')] = ' ';
  while (iso.back() == '0') iso.pop_back();
  if (iso.back() == '.') iso.pop_back();
  return iso;
}

// Our value at `row` in the form DuckDB's JSON gives it (strings compare as text).
std::string OurText(const ColumnDescriptor& c, const ColumnVector& v, int64_t row) {
  if (v.IsNull(row)) return "null";
  const auto r = static_cast<size_t>(row);
  int64_t integer = 0;
  std::string_view bytes;
  switch (c.physical_type) {
    case Type::kBoolean:
      return v.bools[r] ? "true" : "false";
    case Type::kInt32:
      integer = v.int32s[r];
      break;
    case Type::kInt64:
      integer = v.int64s[r];
      break;
    case Type::kFloat:
      return std::to_string(v.floats[r]);
    case Type::kDouble:
      return std::to_string(v.doubles[r]);
    default:
      bytes = v.BinaryAt(row);
      break;
  }
  switch (c.kind) {
    case ColumnKind::kUInt:
      return c.physical_type == Type::kInt32 ? std::to_string(static_cast<uint32_t>(integer))
                                             : std::to_string(static_cast<uint64_t>(integer));
    case ColumnKind::kDecimal:
      return DecimalText(c, integer, bytes);
    case ColumnKind::kDate:
      return FormatDate(integer);
    case ColumnKind::kTimestamp:
      return DuckDbTimestampText(c.is_int96 ? Int96ToTime(bytes) : SplitTime(integer, c.time_unit));
    case ColumnKind::kString:
      return std::string(bytes);
    case ColumnKind::kBinary:
      return DuckDbBlobText(bytes);
    case ColumnKind::kUuid:
      return FormatUuid(bytes);
    default:
      return std::to_string(integer);
  }
}

// Compares one value; returns an empty string when equal, else a description.
std::string Compare(const ColumnDescriptor& c, const ColumnVector& v, int64_t row,
                    simdjson::dom::element expected) {
  if (expected.is_null() || v.IsNull(row)) {
    if (expected.is_null() && v.IsNull(row)) return "";
    return "expected " + simdjson::to_string(expected) + ", got " + OurText(c, v, row);
  }
  if (c.physical_type == Type::kFloat || c.physical_type == Type::kDouble) {
    const double ours = c.physical_type == Type::kFloat ? v.floats[row] : v.doubles[row];
    double want;
    if (expected.is_string()) {
      std::string_view s = expected.get_string().value();
      want = s == "NaN" ? NAN : s == "Infinity" ? INFINITY : s == "-Infinity" ? -INFINITY : 0.5;
    } else {
      want = expected.get_double().value();
    }
    const bool equal = std::isnan(want)
                           ? std::isnan(ours)
                           : (c.physical_type == Type::kFloat
                                  ? static_cast<float>(want) == static_cast<float>(ours)
                                  : want == ours);
    return equal ? ""
                 : "expected " + simdjson::to_string(expected) + ", got " + std::to_string(ours);
  }
  std::string want;
  if (expected.is_string()) {
    want = std::string(expected.get_string().value());
  } else {
    want = simdjson::to_string(expected);
  }
  const std::string ours = OurText(c, v, row);
  return ours == want ? "" : "expected " + want + ", got " + ours;
}

// Values where saleslake deliberately reads something other than DuckDB, and why.
struct KnownDifference {
  const char* file;
  int64_t row;
  const char* column;
  const char* duckdb;
  const char* ours;
};
constexpr KnownDifference kKnownDifferences[] = {
    // Spark overflowed 290000-12-31 when converting it to INT96; decoding in wrapping 64-bit
    // microseconds (as Spark encodes) gives the original value back, DuckDB's decoding does not.
    {"int96_from_spark.parquet", 5, "a", "226414-01-07 (BC) 22:21:39.416064",
     "290000-12-30 23:00:00"},
};

struct Expected {
  std::vector<std::string> lines;                           // rows as JSON text
  std::vector<std::pair<std::string, std::string>> schema;  // name, physical type or "null"
};

Expected LoadExpected(const fs::path& path) {
  Expected e;
  std::ifstream in(path);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  simdjson::dom::parser parser;
  simdjson::dom::element schema = parser.parse(lines.back())["__schema__"];
  for (simdjson::dom::element el : schema.get_array()) {
    e.schema.emplace_back(
        std::string(el["name"].get_string().value()),
        el["type"].is_null() ? "null" : std::string(el["type"].get_string().value()));
  }
  lines.pop_back();
  e.lines = std::move(lines);
  return e;
}

std::unique_ptr<ParquetFileReader> Open(const fs::path& path, const ReaderOptions& options = {}) {
  auto reader = OpenParquetFile(path.string(), options);
  EXPECT_TRUE(reader.ok()) << path << ": " << reader.status().ToString();
  return reader.ok() ? std::move(reader).value() : nullptr;
}

// Reads every flat column and compares it with the expected rows. Returns the number of values
// compared.
int64_t CompareFile(const fs::path& path, const Expected& expected, const ReaderOptions& options) {
  auto reader = Open(path, options);
  if (!reader) return 0;
  const FileSchema& schema = reader->schema();
  EXPECT_EQ(reader->num_rows(), static_cast<int64_t>(expected.lines.size())) << path;
  // The expected schema lists every element after the root; our flat leaves must match by name
  // and physical type.
  for (const ColumnDescriptor& c : schema.columns()) {
    if (!c.supported()) continue;
    bool found = false;
    for (const auto& [name, type] : expected.schema) {
      if (name == c.name) {
        found = true;
        EXPECT_EQ(type, TypeName(c.physical_type)) << path << " column " << c.name;
      }
    }
    EXPECT_TRUE(found) << path << ": column " << c.name << " is not in DuckDB's schema";
  }
  simdjson::dom::parser parser;
  int64_t compared = 0;
  int64_t row_base = 0;
  int failures = 0;
  for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
    std::vector<int> flat;
    for (const ColumnDescriptor& c : schema.columns()) {
      if (c.supported()) flat.push_back(c.index);
    }
    auto columns = reader->ReadRowGroup(rg, flat);
    if (!columns.ok()) {
      ADD_FAILURE() << path << ": " << columns.status().ToString();
      return compared;
    }
    const int64_t rows = reader->row_group_rows(rg);
    for (int64_t row = 0; row < rows; ++row) {
      const size_t line = static_cast<size_t>(row_base + row);
      if (line >= expected.lines.size()) break;
      simdjson::dom::element obj = parser.parse(expected.lines[line]);
      for (size_t i = 0; i < flat.size(); ++i) {
        const ColumnDescriptor& c = schema.column(flat[i]);
        simdjson::dom::element value;
        if (obj[c.name].get(value) != simdjson::SUCCESS) {
          ADD_FAILURE() << path << ": row " << line << " has no key " << c.name;
          continue;
        }
        std::string diff = Compare(c, (*columns)[i], row, value);
        for (const KnownDifference& k : kKnownDifferences) {
          if (path.filename() == k.file && static_cast<int64_t>(line) == k.row &&
              c.name == k.column) {
            EXPECT_EQ(simdjson::to_string(value), std::string("\"") + k.duckdb + "\"");
            diff = OurText(c, (*columns)[i], row) == k.ours
                       ? ""
                       : "known difference changed: got " + OurText(c, (*columns)[i], row);
          }
        }
        ++compared;
        if (!diff.empty() && ++failures <= 5) {
          ADD_FAILURE() << path.filename() << " row " << line << " column " << c.name << ": "
                        << diff;
        }
      }
    }
    row_base += rows;
  }
  return compared;
}

bool IsCorruptChecksumFile(const std::string& name) {
  return name.find("corrupt-checksum") != std::string::npos;
}

TEST(ParquetTestingCorpus, EveryFileWithExpectedValuesReadsTheSame) {
  const fs::path dir = CorpusDir();
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no corpus at " << dir << " (testdata not present)";
  int files = 0;
  int64_t values = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const fs::path path = entry.path();
    if (path.extension() != ".parquet") continue;
    const std::string name = path.filename().string();
    const fs::path expected_path = dir / "expected" / (name + ".json");
    if (!fs::exists(expected_path)) continue;
    SCOPED_TRACE(name);
    Expected expected = LoadExpected(expected_path);
    for (bool keep_dictionaries : {false, true}) {
      ReaderOptions options;
      options.keep_dictionaries = keep_dictionaries;
      if (IsCorruptChecksumFile(name)) options.verify_checksums = false;  // see the next test
      values += CompareFile(path, expected, options);
    }
    ++files;
  }
  EXPECT_GT(files, 30);
  std::printf("corpus: %d files, %lld values compared\n", files, static_cast<long long>(values));
}

TEST(ParquetTestingCorpus, CorruptPageChecksumsAreErrorsNamingThePage) {
  const fs::path dir = CorpusDir();
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no corpus at " << dir << " (testdata not present)";
  for (const char* name :
       {"datapage_v1-corrupt-checksum.parquet", "rle-dict-uncompressed-corrupt-checksum.parquet"}) {
    auto reader = Open(dir / name);
    ASSERT_NE(reader, nullptr);
    Status first_error;
    for (int rg = 0; rg < reader->num_row_groups() && first_error.ok(); ++rg) {
      for (int col = 0; col < reader->schema().num_columns() && first_error.ok(); ++col) {
        ColumnVector v;
        first_error = reader->ReadColumnChunk(rg, col, &v);
      }
    }
    ASSERT_FALSE(first_error.ok()) << name << " read without a checksum error";
    EXPECT_EQ(first_error.code(), StatusCode::kCorruption);
    const std::string& msg = first_error.message();
    EXPECT_NE(msg.find(name), std::string::npos) << msg;
    EXPECT_NE(msg.find("checksum mismatch"), std::string::npos) << msg;
    EXPECT_NE(msg.find("column '"), std::string::npos) << msg;
    EXPECT_NE(msg.find("row group 0"), std::string::npos) << msg;
    EXPECT_NE(msg.find(", page "), std::string::npos) << msg;
  }
}

TEST(ParquetTestingCorpus, FilesWithValidChecksumsVerify) {
  const fs::path dir = CorpusDir();
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no corpus at " << dir << " (testdata not present)";
  for (const char* name :
       {"datapage_v1-uncompressed-checksum.parquet",
        "datapage_v1-snappy-compressed-checksum.parquet",
        "plain-dict-uncompressed-checksum.parquet", "rle-dict-snappy-checksum.parquet"}) {
    auto reader = Open(dir / name);
    ASSERT_NE(reader, nullptr);
    for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
      auto all = reader->schema().ResolveProjection({});
      ASSERT_TRUE(all.ok());
      auto columns = reader->ReadRowGroup(rg, *all);
      EXPECT_TRUE(columns.ok()) << name << ": " << columns.status().ToString();
    }
  }
}

TEST(ParquetTestingCorpus, NestedColumnsAreRefusedByName) {
  const fs::path dir = CorpusDir();
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no corpus at " << dir << " (testdata not present)";
  const std::map<std::string, std::string> nested = {
      {"datapage_v2.snappy.parquet", "e.list.element"},
      {"nested_lists.snappy.parquet", ""},
      {"nonnullable.impala.parquet", "Int_Array.list.element"},
      {"nullable.impala.parquet", "int_array.list.element"},
      {"nulls.snappy.parquet", "b_struct.b_c_int"}};
  for (const auto& [file, column] : nested) {
    if (column.empty() || !fs::exists(dir / file)) continue;
    auto reader = Open(dir / file);
    ASSERT_NE(reader, nullptr);
    auto all = reader->schema().ResolveProjection({});
    ASSERT_FALSE(all.ok()) << file;
    EXPECT_EQ(all.status().code(), StatusCode::kNotSupported);
    EXPECT_NE(all.status().message().find("unsupported nested column"), std::string::npos);
    auto index = reader->schema().FindColumn(column);
    ASSERT_TRUE(index.ok()) << file << ": " << index.status().ToString();
    ColumnVector v;
    Status s = reader->ReadColumnChunk(0, *index, &v);
    EXPECT_EQ(s.code(), StatusCode::kNotSupported) << s.ToString();
    EXPECT_NE(s.message().find("unsupported nested column " + column), std::string::npos)
        << s.message();
  }
}

// DuckDB refuses the deprecated LZ4 codec, so these have no expected file; they hold the same
// rows as lz4_raw_compressed.parquet.
TEST(ParquetTestingCorpus, LegacyLz4FilesReadLikeLz4Raw) {
  const fs::path dir = CorpusDir();
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no corpus at " << dir << " (testdata not present)";
  Expected expected = LoadExpected(dir / "expected" / "lz4_raw_compressed.parquet.json");
  for (const char* name : {"hadoop_lz4_compressed.parquet", "non_hadoop_lz4_compressed.parquet"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(CompareFile(dir / name, expected, {}), 12);
  }
}

}  // namespace
}  // namespace saleslake::parquet

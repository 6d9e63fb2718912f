// Pruning: MayMatch on hand-made bounds, then scans of parquet-testing files with statistics and
// page indexes, checked against a full read: every matching row must come back (pruning may keep
// extra rows, never drop one), and the pruned scans must actually skip rows or row groups.
#include "parquet/reader/scanner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>

#include "parquet/tools/parquet_tools.h"

namespace saleslake::parquet {
namespace {

namespace fs = std::filesystem;

fs::path CorpusDir() {
  const char* shared = std::getenv("SALESLAKE_SHARED_DIR");
  return fs::path(shared ? shared : "../shared") / "testdata" / "parquet-testing";
}

template <typename T>
std::string Plain(T v) {
  return std::string(reinterpret_cast<const char*>(&v), sizeof(v));
}

ColumnDescriptor Column(Type type, ColumnKind kind) {
  ColumnDescriptor c;
  c.name = "c";
  c.physical_type = type;
  c.kind = kind;
  return c;
}

bool May(const ColumnDescriptor& c, CompareOp op, std::vector<Literal> values,
         const ValueBounds& b) {
  auto r = MayMatch(c, {"c", op, std::move(values)}, b);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() && *r;
}

TEST(PredicateTest, SignedIntegers) {
  ColumnDescriptor c = Column(Type::kInt32, ColumnKind::kInt);
  ValueBounds b{Plain<int32_t>(-5), Plain<int32_t>(10), false};
  EXPECT_TRUE(May(c, CompareOp::kEq, {int64_t{-5}}, b));
  EXPECT_FALSE(May(c, CompareOp::kEq, {int64_t{11}}, b));
  EXPECT_FALSE(May(c, CompareOp::kLt, {int64_t{-5}}, b));
  EXPECT_TRUE(May(c, CompareOp::kLe, {int64_t{-5}}, b));
  EXPECT_FALSE(May(c, CompareOp::kGt, {int64_t{10}}, b));
  EXPECT_TRUE(May(c, CompareOp::kGe, {int64_t{10}}, b));
  EXPECT_FALSE(May(c, CompareOp::kIn, {int64_t{-9}, int64_t{20}}, b));
  EXPECT_TRUE(May(c, CompareOp::kIn, {int64_t{-9}, int64_t{0}}, b));
  EXPECT_TRUE(May(c, CompareOp::kBetween, {int64_t{10}, int64_t{20}}, b));
  EXPECT_FALSE(May(c, CompareOp::kBetween, {int64_t{11}, int64_t{20}}, b));
  EXPECT_FALSE(May(c, CompareOp::kBetween, {int64_t{5}, int64_t{1}}, b));  // empty range
  // No bounds: anything may match; all nulls: nothing does.
  EXPECT_TRUE(May(c, CompareOp::kEq, {int64_t{99}}, ValueBounds{}));
  EXPECT_FALSE(May(c, CompareOp::kEq, {int64_t{0}}, ValueBounds{std::nullopt, std::nullopt, true}));
}

TEST(PredicateTest, UnsignedIntegersCompareUnsigned) {
  ColumnDescriptor c = Column(Type::kInt32, ColumnKind::kUInt);
  // 3_000_000_000 is negative as int32; as UINT_32 it is the max.
  ValueBounds b{Plain<uint32_t>(1), Plain<uint32_t>(3000000000u), false};
  EXPECT_TRUE(May(c, CompareOp::kEq, {int64_t{2999999999}}, b));
  EXPECT_FALSE(May(c, CompareOp::kGt, {int64_t{3000000000}}, b));
  EXPECT_FALSE(May(c, CompareOp::kLt, {int64_t{0}}, b));
}

TEST(PredicateTest, FloatsIgnoreNaNBounds) {
  ColumnDescriptor c = Column(Type::kDouble, ColumnKind::kDouble);
  ValueBounds b{Plain<double>(1.5), Plain<double>(2.5), false};
  EXPECT_FALSE(May(c, CompareOp::kGt, {2.5}, b));
  EXPECT_TRUE(May(c, CompareOp::kGe, {2.5}, b));
  EXPECT_TRUE(May(c, CompareOp::kEq, {std::nan("")}, b));  // NaN literal: cannot decide
  ValueBounds nan{Plain<double>(std::nan("")), Plain<double>(2.5), false};
  EXPECT_TRUE(May(c, CompareOp::kEq, {100.0}, nan));
}

TEST(PredicateTest, BytesCompareUnsignedAndDecimalsSigned) {
  ColumnDescriptor s = Column(Type::kByteArray, ColumnKind::kString);
  ValueBounds b{std::string("apple"), std::string("\xC3\xA9t\xC3\xA9"), false};  // "été" > ASCII
  EXPECT_TRUE(May(s, CompareOp::kEq, {std::string("banana")}, b));
  EXPECT_FALSE(May(s, CompareOp::kLt, {std::string("apple")}, b));
  EXPECT_FALSE(May(s, CompareOp::kEq, {std::string("aa")}, b));

  ColumnDescriptor d = Column(Type::kFixedLenByteArray, ColumnKind::kDecimal);
  d.type_length = 2;
  d.decimal_scale = 2;
  // [-2.56, 1.00] as big-endian two's complement: 0xFF00 = -256, 0x0064 = 100.
  ValueBounds db{std::string("\xFF\x00", 2), std::string("\x00\x64", 2), false};
  EXPECT_TRUE(May(d, CompareOp::kEq, {int64_t{-256}}, db));
  EXPECT_TRUE(May(d, CompareOp::kEq, {int64_t{0}}, db));
  EXPECT_FALSE(May(d, CompareOp::kEq, {int64_t{-257}}, db));
  EXPECT_FALSE(May(d, CompareOp::kGt, {int64_t{100}}, db));
}

TEST(PredicateTest, LiteralsMustFitTheColumn) {
  ColumnDescriptor c = Column(Type::kInt64, ColumnKind::kInt);
  auto r = MayMatch(c, {"c", CompareOp::kEq, {std::string("x")}}, ValueBounds{});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(ValidatePredicate(c, {"c", CompareOp::kBetween, {int64_t{1}}}).ok());
}

TEST(PredicateTest, ParseLiteralPerLogicalType) {
  ColumnDescriptor d = Column(Type::kInt64, ColumnKind::kDecimal);
  d.decimal_scale = 2;
  EXPECT_EQ(std::get<int64_t>(*ParseLiteral(d, "118999.15")), 11899915);
  EXPECT_FALSE(ParseLiteral(d, "1.234").ok());
  ColumnDescriptor t = Column(Type::kInt64, ColumnKind::kTimestamp);
  t.time_unit = TimeUnit::kMillis;
  EXPECT_EQ(std::get<int64_t>(*ParseLiteral(t, "1970-01-01T00:00:01.5Z")), 1500);
  ColumnDescriptor date = Column(Type::kInt32, ColumnKind::kDate);
  EXPECT_EQ(std::get<int64_t>(*ParseLiteral(date, "1969-12-31")), -1);
  ColumnDescriptor u = Column(Type::kFixedLenByteArray, ColumnKind::kUuid);
  EXPECT_EQ(std::get<std::string>(*ParseLiteral(u, "00112233-4455-6677-8899-aabbccddeeff")).size(),
            16u);
}

// The rows (row numbers) a scan returns, and the values of `column` there.
struct Scanned {
  std::set<int64_t> rows;
  ScanStats stats;
};

Scanned Scan(const ParquetFileReader& reader, const ColumnPredicate& p) {
  ScanOptions options;
  options.predicates.push_back(p);
  auto scanner = ParquetScanner::Make(&reader, options);
  EXPECT_TRUE(scanner.ok()) << scanner.status().ToString();
  Scanned out;
  if (!scanner.ok()) return out;
  ScanBatch batch;
  int64_t base = 0;
  int last_rg = 0;
  while (true) {
    auto more = (*scanner)->Next(&batch);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    for (; last_rg < batch.row_group; ++last_rg) base += reader.row_group_rows(last_rg);
    for (const RowRange& r : batch.rows.ranges()) {
      for (int64_t row = r.begin; row < r.end; ++row) out.rows.insert(base + row);
    }
    for (const ColumnVector& v : batch.columns) EXPECT_EQ(v.length, batch.num_rows);
  }
  out.stats = (*scanner)->stats();
  return out;
}

// Rows whose int column value satisfies `keep`, from a full read.
template <typename Keep>
std::set<int64_t> Matching(const ParquetFileReader& reader, const std::string& column, Keep keep) {
  std::set<int64_t> rows;
  const int index = *reader.schema().FindColumn(column);
  int64_t base = 0;
  for (int rg = 0; rg < reader.num_row_groups(); ++rg) {
    ColumnVector v;
    EXPECT_TRUE(reader.ReadColumnChunk(rg, index, &v).ok());
    for (int64_t i = 0; i < v.length; ++i) {
      if (v.IsNull(i)) continue;
      const int64_t value = v.physical_type == Type::kInt32 ? v.int32s[i] : v.int64s[i];
      if (keep(value)) rows.insert(base + i);
    }
    base += v.length;
  }
  return rows;
}

TEST(ScannerTest, PageIndexSkipsPagesButKeepsEveryMatch) {
  const fs::path file = CorpusDir() / "alltypes_tiny_pages.parquet";
  if (!fs::exists(file)) GTEST_SKIP() << "no corpus at " << CorpusDir();
  auto reader = OpenParquetFile(file.string());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  struct Case {
    CompareOp op;
    std::vector<Literal> values;
    bool (*keep)(int64_t);
  };
  const Case cases[] = {
      {CompareOp::kEq, {int64_t{3000}}, [](int64_t v) { return v == 3000; }},
      {CompareOp::kLt, {int64_t{100}}, [](int64_t v) { return v < 100; }},
      {CompareOp::kLe, {int64_t{100}}, [](int64_t v) { return v <= 100; }},
      {CompareOp::kGt, {int64_t{7000}}, [](int64_t v) { return v > 7000; }},
      {CompareOp::kGe, {int64_t{7000}}, [](int64_t v) { return v >= 7000; }},
      {CompareOp::kIn, {int64_t{5}, int64_t{4000}}, [](int64_t v) { return v == 5 || v == 4000; }},
      {CompareOp::kBetween,
       {int64_t{1000}, int64_t{1100}},
       [](int64_t v) { return v >= 1000 && v <= 1100; }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(CompareOpName(c.op)));
    const std::set<int64_t> want = Matching(**reader, "id", c.keep);
    ASSERT_FALSE(want.empty());
    Scanned got = Scan(**reader, {"id", c.op, c.values});
    for (int64_t row : want) ASSERT_TRUE(got.rows.count(row)) << "row " << row << " was pruned";
    EXPECT_LT(got.rows.size(), 7300u / 2) << "the page index pruned too little";
    EXPECT_GT(got.stats.rows_skipped_by_page_index, 0);
  }
  // Values read through the page selection are the same as in a full read.
  ScanOptions options;
  options.columns = {"id", "string_col", "bigint_col"};
  options.predicates.push_back({"id", CompareOp::kBetween, {int64_t{2000}, int64_t{2010}}});
  auto scanner = ParquetScanner::Make(reader->get(), options);
  ASSERT_TRUE(scanner.ok());
  ScanBatch batch;
  ASSERT_TRUE(*(*scanner)->Next(&batch));
  ColumnVector full_id, full_str;
  ASSERT_TRUE((*reader)->ReadColumnChunk(0, 0, &full_id).ok());
  ASSERT_TRUE((*reader)->ReadColumnChunk(0, 9, &full_str).ok());
  int64_t k = 0;
  for (const RowRange& r : batch.rows.ranges()) {
    for (int64_t row = r.begin; row < r.end; ++row, ++k) {
      ASSERT_EQ(batch.columns[0].int32s[k], full_id.int32s[row]);
      ASSERT_EQ(batch.columns[1].BinaryAt(k), full_str.BinaryAt(row));
    }
  }
  EXPECT_EQ(k, batch.num_rows);

  // The same selection in dictionary form gives the same strings.
  ReaderOptions keep;
  keep.keep_dictionaries = true;
  auto dict_reader = OpenParquetFile(file.string(), keep);
  ASSERT_TRUE(dict_reader.ok());
  auto dict_scanner = ParquetScanner::Make(dict_reader->get(), options);
  ASSERT_TRUE(dict_scanner.ok());
  ScanBatch dict_batch;
  ASSERT_TRUE(*(*dict_scanner)->Next(&dict_batch));
  EXPECT_TRUE(dict_batch.columns[1].is_dictionary());
  ASSERT_EQ(dict_batch.num_rows, batch.num_rows);
  for (int64_t i = 0; i < batch.num_rows; ++i) {
    ASSERT_EQ(dict_batch.columns[1].BinaryAt(i), batch.columns[1].BinaryAt(i));
  }
  ColumnVector plain = dict_batch.columns[1];
  plain.Materialize();
  EXPECT_FALSE(plain.is_dictionary());
  for (int64_t i = 0; i < batch.num_rows; ++i)
    ASSERT_EQ(plain.binaries[i], batch.columns[1].binaries[i]);
}

TEST(ScannerTest, NullPagesArePrunedForComparisons) {
  const fs::path file = CorpusDir() / "int32_with_null_pages.parquet";
  if (!fs::exists(file)) GTEST_SKIP() << "no corpus at " << CorpusDir();
  auto reader = OpenParquetFile(file.string());
  ASSERT_TRUE(reader.ok());
  const std::set<int64_t> want = Matching(**reader, "int32_field", [](int64_t v) { return v > 0; });
  Scanned got = Scan(**reader, {"int32_field", CompareOp::kGt, {int64_t{0}}});
  for (int64_t row : want) ASSERT_TRUE(got.rows.count(row)) << "row " << row << " was pruned";
  EXPECT_GT(got.stats.rows_skipped_by_page_index, 0);
}

TEST(ScannerTest, StatisticsPruneRowGroups) {
  const fs::path file = CorpusDir() / "sort_columns.parquet";
  if (!fs::exists(file)) GTEST_SKIP() << "no corpus at " << CorpusDir();
  auto reader = OpenParquetFile(file.string());
  ASSERT_TRUE(reader.ok());
  Scanned none = Scan(**reader, {"a", CompareOp::kGt, {int64_t{2}}});
  EXPECT_TRUE(none.rows.empty());
  EXPECT_EQ(none.stats.pruned_by_statistics, 2);
  Scanned strings = Scan(**reader, {"b", CompareOp::kEq, {std::string("zzz")}});
  EXPECT_TRUE(strings.rows.empty());
  Scanned all = Scan(**reader, {"b", CompareOp::kIn, {std::string("b"), std::string("q")}});
  EXPECT_EQ(all.rows.size(), 6u);
  EXPECT_EQ(all.stats.row_groups_read, 2);
}

TEST(ScannerTest, UnknownColumnsAndBadLiteralsAreErrors) {
  const fs::path file = CorpusDir() / "sort_columns.parquet";
  if (!fs::exists(file)) GTEST_SKIP() << "no corpus at " << CorpusDir();
  auto reader = OpenParquetFile(file.string());
  ASSERT_TRUE(reader.ok());
  ScanOptions options;
  options.predicates.push_back({"nope", CompareOp::kEq, {int64_t{1}}});
  EXPECT_EQ(ParquetScanner::Make(reader->get(), options).status().code(), StatusCode::kNotFound);
  options.predicates = {{"a", CompareOp::kEq, {std::string("x")}}};
  EXPECT_EQ(ParquetScanner::Make(reader->get(), options).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace saleslake::parquet

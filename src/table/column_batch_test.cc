#include "table/column_batch.h"

#include <gtest/gtest.h>

namespace saleslake::table {
namespace {

using parquet::ColumnSpec;

std::vector<ColumnSpec> Schema() {
  return {ColumnSpec::String("id").Required(), ColumnSpec::Decimal("price", 18, 2),
          ColumnSpec::Int32("quantity"), ColumnSpec::Boolean("flag")};
}

void AddRow(ColumnBatch* b, std::string_view id, int64_t paise, std::optional<int32_t> q,
            bool flag) {
  b->column(0).AppendBytes(id);
  b->column(1).AppendInt64(paise);
  if (q) {
    b->column(2).AppendInt32(*q);
  } else {
    b->column(2).AppendNull();
  }
  b->column(3).AppendBool(flag);
}

TEST(ColumnBatchTest, HoldsTypedColumns) {
  ColumnBatch b(Schema());
  EXPECT_EQ(b.num_columns(), 4u);
  EXPECT_EQ(b.ColumnIndex("price"), 1);
  EXPECT_EQ(b.ColumnIndex("nope"), -1);
  EXPECT_EQ(b.decimal_scale(1), 2);
  EXPECT_EQ(b.decimal_scale(2), 0);
  AddRow(&b, "a", 11899915, 2, true);
  AddRow(&b, "bb", -5, std::nullopt, false);
  EXPECT_EQ(b.rows(), 2u);
  EXPECT_TRUE(b.CheckShape().ok());
  EXPECT_EQ(b.column(0).bytes(1), "bb");
  EXPECT_EQ(b.column(1).int64s()[0], 11899915);
  EXPECT_EQ(b.column(2).null_count(), 1u);
  EXPECT_FALSE(b.column(2).IsValid(1));
  EXPECT_TRUE(b.column(2).IsValid(0));
  b.Clear();
  EXPECT_EQ(b.rows(), 0u);
  EXPECT_EQ(b.column(2).null_count(), 0u);
}

TEST(ColumnBatchTest, CheckShapeFindsRaggedAndNullRequiredColumns) {
  ColumnBatch b(Schema());
  AddRow(&b, "a", 1, 1, true);
  b.column(1).AppendInt64(2);
  EXPECT_FALSE(b.CheckShape().ok());
  ColumnBatch c(Schema());
  c.column(0).AppendNull();
  c.column(1).AppendInt64(1);
  c.column(2).AppendInt32(1);
  c.column(3).AppendBool(false);
  EXPECT_FALSE(c.CheckShape().ok());
}

TEST(ColumnBatchTest, VerdictSelectsAndAppendSelectedMaterialises) {
  ColumnBatch b(Schema());
  for (int i = 0; i < 6; ++i) {
    AddRow(&b, std::string(static_cast<size_t>(i + 1), 'x'), i * 100,
           i % 2 ? std::optional<int32_t>(i) : std::nullopt, i % 3 == 0);
  }
  BatchVerdict verdict;
  verdict.Reset(b.rows());
  verdict.Reject(1, 4);
  verdict.Reject(4, 1);
  verdict.Reject(4, 2);
  verdict.Finish();
  EXPECT_EQ(verdict.reasons(4), 3u);
  ASSERT_EQ(verdict.accepted().size(), 4u);
  ASSERT_EQ(verdict.rejected().size(), 2u);
  EXPECT_EQ(verdict.rejected()[1], 4u);

  ColumnBatch kept(Schema());
  kept.AppendSelected(b, verdict.accepted());
  ASSERT_TRUE(kept.CheckShape().ok());
  ASSERT_EQ(kept.rows(), 4u);
  EXPECT_EQ(kept.column(0).bytes(1), "xxx");    // row 2
  EXPECT_EQ(kept.column(1).int64s()[3], 500);   // row 5
  EXPECT_EQ(kept.column(2).int32s()[2], 3);     // row 3
  EXPECT_FALSE(kept.column(2).IsValid(0));      // row 0 was null
  EXPECT_TRUE(kept.column(3).bools()[2] != 0);  // row 3

  SelectionVector all;
  all.SelectAll(3);
  EXPECT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2], 2u);
}

}  // namespace
}  // namespace saleslake::table

#include "pipeline/lake_schemas.h"

#include <gtest/gtest.h>

namespace saleslake::pipeline {
namespace {

TEST(LakeSchemas, RawHasTypedFieldsThenLineageAllOptional) {
  std::vector<parquet::ColumnSpec> raw = RawSalesColumns();
  ASSERT_EQ(raw.size(), static_cast<size_t>(kRawColumnCount));
  for (const parquet::ColumnSpec& c : raw) {
    EXPECT_FALSE(c.required) << c.name;
    EXPECT_TRUE(parquet::ValidateColumn(c).ok()) << c.name;
  }
  EXPECT_EQ(raw[0].name, "transaction_id");
  EXPECT_EQ(raw[static_cast<int>(table::SalesField::kQuantity)].type, parquet::Type::kInt32);
  const parquet::ColumnSpec& total = raw[static_cast<int>(table::SalesField::kTotal)];
  EXPECT_EQ(total.type, parquet::Type::kInt64);
  ASSERT_TRUE(total.logical_type.has_value());
  EXPECT_EQ(total.logical_type->scale, 2);
  EXPECT_EQ(total.logical_type->precision, 18);
  EXPECT_EQ(raw[kRawText].name, "_raw");
  EXPECT_EQ(raw[kRawText].type, parquet::Type::kByteArray);
  EXPECT_FALSE(raw[kRawText].logical_type.has_value());
  EXPECT_EQ(raw[kRawRecordIndex].name, "_record_index");
  EXPECT_EQ(raw[kRawBatchId].name, "_batch_id");
  EXPECT_EQ(raw[kRawIngestedAt].name, "_ingested_at");
  EXPECT_EQ(raw[kRawSource].name, "_source");
  EXPECT_EQ(raw[kRawTruncated].name, "_truncated");
  EXPECT_EQ(raw[kRawTruncated].type, parquet::Type::kBoolean);
}

TEST(LakeSchemas, MainIsRequiredWithBatchIdAndQuarantineHasReasons) {
  std::vector<parquet::ColumnSpec> main = MainSalesColumns();
  ASSERT_EQ(main.size(), static_cast<size_t>(kMainColumnCount));
  for (const parquet::ColumnSpec& c : main) EXPECT_TRUE(c.required) << c.name;
  EXPECT_EQ(main[kMainBatchId].name, "_batch_id");
  std::vector<parquet::ColumnSpec> q = QuarantineSalesColumns();
  ASSERT_EQ(q.size(), static_cast<size_t>(kQuarantineColumnCount));
  EXPECT_EQ(q[kQuarantineReason].name, "reason");
  EXPECT_EQ(q[kQuarantineDetail].name, "detail");
  EXPECT_EQ(q[kQuarantineRaw].name, "_raw");
  EXPECT_EQ(q[kQuarantineSource].name, "_source");
}

TEST(LakeSchemas, PartitionPathsAreZeroPadded) {
  EXPECT_EQ(PartitionPath("raw/sales", CivilDate{2026, 11, 26}),
            "raw/sales/year=2026/month=11/day=26");
  EXPECT_EQ(PartitionName(CivilDate{2026, 5, 3}), "year=2026/month=05/day=03");
  EXPECT_EQ(RawBatchPath(CivilDate{2026, 1, 2}, "ab12"),
            "raw/sales/year=2026/month=01/day=02/batch-ab12.parquet");
  Result<CivilDate> d = ParsePartitionName("year=2026/month=05/day=03");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->year, 2026);
  EXPECT_EQ(d->month, 5);
  EXPECT_EQ(d->day, 3);
  EXPECT_FALSE(ParsePartitionName("year=2026/month=02/day=30").ok());
  EXPECT_FALSE(ParsePartitionName("year=2026/month=5/day=03").ok());
  EXPECT_FALSE(ParsePartitionName("2026/05/03").ok());
}

TEST(LakeSchemas, UtcDateOfFloorsBeforeTheEpoch) {
  Result<int64_t> t = ParseIso8601Micros("2026-11-26T23:59:59.999999Z");
  ASSERT_TRUE(t.ok());
  CivilDate d = UtcDateOf(*t);
  EXPECT_EQ(d.day, 26);
  d = UtcDateOf(-1);
  EXPECT_EQ(d.year, 1969);
  EXPECT_EQ(d.month, 12);
  EXPECT_EQ(d.day, 31);
}

TEST(LakeSchemas, WriterOptionsAreSnappyWithBloomFilterOnMain) {
  Result<parquet::WriterOptions> main = LakeWriterOptions(kMainSalesTable);
  ASSERT_TRUE(main.ok());
  EXPECT_EQ(main->compression, compress::CodecType::kSnappy);
  EXPECT_EQ(main->row_group_rows, kLakeRowGroupRows);
  EXPECT_TRUE(main->ForColumn("transaction_id").bloom_filter);
  Result<parquet::WriterOptions> raw = LakeWriterOptions(kRawSalesTable);
  ASSERT_TRUE(raw.ok());
  EXPECT_FALSE(raw->ForColumn("transaction_id").bloom_filter);
  // Random UUID text is not worth snappy's time in raw; main keeps it compressed.
  EXPECT_EQ(raw->ForColumn("transaction_id").compression, compress::CodecType::kUncompressed);
  EXPECT_FALSE(raw->ForColumn("customer_email").compression.has_value());
  // Nearly distinct values skip the dictionary in raw.
  EXPECT_EQ(raw->ForColumn("transaction_id").encoding, parquet::ColumnEncoding::kPlain);
  EXPECT_EQ(raw->ForColumn("customer_email").encoding, parquet::ColumnEncoding::kPlain);
  EXPECT_EQ(raw->ForColumn("_record_index").encoding, parquet::ColumnEncoding::kDeltaBinaryPacked);
  EXPECT_EQ(raw->ForColumn("store_id").encoding, parquet::ColumnEncoding::kAuto);
  EXPECT_EQ(main->ForColumn("transaction_id").encoding, parquet::ColumnEncoding::kAuto);
  // ...and keep no min/max that could never prune.
  EXPECT_FALSE(raw->ForColumn("transaction_id").statistics);
  EXPECT_FALSE(raw->ForColumn("customer_email").statistics);
  EXPECT_TRUE(raw->ForColumn("timestamp").statistics);
  EXPECT_TRUE(main->ForColumn("transaction_id").statistics);
  EXPECT_FALSE(main->ForColumn("transaction_id").compression.has_value());
}

}  // namespace
}  // namespace saleslake::pipeline

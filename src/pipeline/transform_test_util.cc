#include "pipeline/transform_test_util.h"

#include <gtest/gtest.h>

#include "generator/generator.h"
#include "parquet/writer/file_writer.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/transform_io.h"
#include "table/sales_validator.h"

namespace saleslake::pipeline::testing {

using table::SalesField;

void LandRawBatch(std::shared_ptr<io::FileSystem> fs, const std::string& ndjson,
                  const std::string& batch_id, int64_t ingested_at) {
  auto columns = RawSalesColumns();
  auto b = MakeBuffers(columns);
  table::ValidationOptions vo;
  vo.now_micros = ingested_at;
  table::SalesValidator validator(vo);
  constexpr uint32_t kJudged = table::kFutureTimestamp | table::kNonPositiveQuantity |
                               table::kTotalMismatch | table::kBadEmail;
  int64_t index = 0;
  size_t start = 0;
  while (start < ndjson.size()) {
    size_t end = ndjson.find('\n', start);
    if (end == std::string::npos) end = ndjson.size();
    std::string_view line(ndjson.data() + start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    const table::ParsedSale& s = validator.Validate(line);
    for (const auto& info : table::SalesFields()) {
      int f = static_cast<int>(info.field);
      if (!s.has(info.field)) {
        b[f].AppendNull();
        continue;
      }
      switch (info.field) {
        case SalesField::kTimestamp:
          b[f].AppendInt64(s.timestamp_micros);
          break;
        case SalesField::kRetailPrice:
          b[f].AppendInt64(s.retail_price_paise);
          break;
        case SalesField::kQuantity:
          b[f].AppendInt32(static_cast<int32_t>(s.quantity));
          break;
        case SalesField::kMrp:
          b[f].AppendInt64(s.mrp_paise);
          break;
        case SalesField::kTotal:
          b[f].AppendInt64(s.total_paise);
          break;
        default:
          b[f].AppendBytes(s.text[f]);
      }
    }
    if ((s.reasons & ~kJudged) != 0) {
      b[kRawText].AppendBytes(line);
    } else {
      b[kRawText].AppendNull();
    }
    b[kRawRecordIndex].AppendInt64(index++);
    b[kRawBatchId].AppendBytes(batch_id);
    b[kRawIngestedAt].AppendInt64(ingested_at);
    b[kRawSource].AppendBytes("test:" + batch_id);
    b[kRawTruncated].AppendBool(false);
  }
  auto lock = lake::LakeLock::Acquire(fs, "test extract");
  ASSERT_TRUE(lock.ok()) << lock.status().ToString();
  auto ledger = lake::Ledger::Open(fs, true);
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  auto options = LakeWriterOptions(kRawSalesTable);
  ASSERT_TRUE(options.ok());
  CivilDate date = UtcDateOf(ingested_at);
  auto file = WritePendingFile(*fs, RawBatchPath(date, batch_id), kRawSalesTable,
                               PartitionName(date), columns, *options, b);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  lake::LedgerCommit commit;
  commit.kind = "extract";
  commit.run_id = "test-" + batch_id;
  commit.added.push_back(*file);
  commit.landed_batches.push_back(batch_id);
  ASSERT_TRUE((*ledger)->Commit(&commit).ok());
}

std::string GenerateNdjson(uint64_t records, uint64_t seed, int64_t now_micros, double dirty,
                           std::map<std::string, uint64_t>* dirty_counts, int days) {
  generator::GeneratorOptions o;
  o.records = records;
  o.seed = seed;
  o.now_micros = now_micros;
  o.dirty_rate = dirty;
  o.days = days;
  o.format = generator::OutputFormat::kNdjson;
  std::string out;
  generator::DirtyCounts counts;
  Status s = generator::Generate(
      o,
      [&](std::string_view chunk) {
        out.append(chunk);
        return true;
      },
      &counts);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (dirty_counts != nullptr) *dirty_counts = counts;
  return out;
}

std::vector<MainRow> ReadMainRows(std::shared_ptr<io::FileSystem> fs) {
  std::vector<MainRow> rows;
  auto ledger = lake::Ledger::Open(fs, false);
  EXPECT_TRUE(ledger.ok());
  if (!ledger.ok()) return rows;
  for (const lake::LedgerFile& f : (*ledger)->state().FilesOf(kMainSalesTable)) {
    auto reader = OpenLakeFile(*fs, f.path);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) continue;
    std::vector<int> all;
    for (int c = 0; c < kMainColumnCount; ++c) all.push_back(c);
    for (int rg = 0; rg < (*reader)->num_row_groups(); ++rg) {
      auto cols = (*reader)->ReadRowGroup(rg, all);
      EXPECT_TRUE(cols.ok());
      for (int64_t i = 0; i < (*reader)->row_group_rows(rg); ++i) {
        MainRow r;
        r.id = std::string((*cols)[0].binaries[i]);
        r.partition = f.partition;
        r.timestamp_micros = (*cols)[1].int64s[i];
        for (int c = 0; c < table::kSalesFieldCount; ++c) {
          const auto& v = (*cols)[c];
          if (v.physical_type == parquet::Type::kByteArray) {
            r.content += std::string(v.binaries[i]);
          } else if (v.physical_type == parquet::Type::kInt32) {
            r.content += std::to_string(v.int32s[i]);
          } else {
            r.content += std::to_string(v.int64s[i]);
          }
          r.content += "|";
        }
        rows.push_back(std::move(r));
      }
    }
  }
  return rows;
}

uint64_t CommittedRows(std::shared_ptr<io::FileSystem> fs, std::string_view table) {
  auto ledger = lake::Ledger::Open(fs, false);
  EXPECT_TRUE(ledger.ok());
  uint64_t n = 0;
  for (const lake::LedgerFile& f : (*ledger)->state().FilesOf(table)) {
    auto reader = OpenLakeFile(*fs, f.path);
    EXPECT_TRUE(reader.ok()) << f.path;
    if (reader.ok()) n += static_cast<uint64_t>((*reader)->num_rows());
  }
  return n;
}

std::map<std::string, std::string> CommittedFiles(std::shared_ptr<io::FileSystem> fs) {
  std::map<std::string, std::string> out;
  auto ledger = lake::Ledger::Open(fs, false);
  EXPECT_TRUE(ledger.ok());
  for (const auto& [path, f] : (*ledger)->state().files) {
    auto bytes = fs->ReadFile(path);
    EXPECT_TRUE(bytes.ok()) << path;
    if (bytes.ok()) out[path] = *bytes;
  }
  return out;
}

}  // namespace saleslake::pipeline::testing

// Extract with real parts: generator output in every framing, the real Parquet writer and reader,
// the ledger and the lake lock on memory and local file systems, and crashes injected at every
// mutating storage step.
#include "pipeline/extract.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "io/fault_injecting_file_system.h"
#include "io/mem_file_system.h"
#include "io/test_temp_dir.h"
#include "lake/lake_lock.h"
#include "lake/ledger.h"
#include "pipeline/extract_command.h"
#include "pipeline/extract_test_util.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/sanitized_build.h"
#include "table/sales_validator.h"

namespace saleslake::pipeline {
namespace {

using generator::Envelope;
using generator::OutputFormat;
using table::SalesField;
using testing::ExtractBytes;
using testing::Generate;
using testing::Lines;
using testing::ReadAllColumns;
using testing::TestNow;

constexpr int Col(SalesField f) { return static_cast<int>(f); }

std::unique_ptr<lake::Ledger> OpenLedger(std::shared_ptr<io::FileSystem> fs) {
  auto ledger = lake::Ledger::Open(std::move(fs), /*recover=*/false);
  EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
  return ledger.ok() ? std::move(*ledger) : nullptr;
}

// Files a directory-listing engine would read: every *.parquet under the data layers.
std::vector<std::string> VisibleParquetFiles(io::FileSystem& fs) {
  std::vector<std::string> out;
  auto all = fs.List("");
  EXPECT_TRUE(all.ok());
  if (!all.ok()) return out;
  for (const io::FileInfo& f : *all) {
    if (f.path.ends_with(".parquet")) out.push_back(f.path);
  }
  return out;
}

// Checks every row of the raw file against what the validator makes of the record on its own.
void ExpectRowsMatchRecords(io::FileSystem& fs, const ExtractResult& r,
                            const std::vector<std::string>& records, const std::string& source) {
  auto columns = ReadAllColumns(fs, r.path);
  ASSERT_TRUE(columns.ok()) << columns.status().ToString();
  ASSERT_EQ(columns->size(), static_cast<size_t>(kRawColumnCount));
  const auto& c = *columns;
  ASSERT_EQ(c[0].length, static_cast<int64_t>(records.size()));
  table::SalesValidator validator(table::ValidationOptions{.now_micros = TestNow()});
  uint64_t raw_rows = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    const int64_t row = static_cast<int64_t>(i);
    const table::ParsedSale& sale = validator.Validate(records[i]);
    SCOPED_TRACE("record " + std::to_string(i) + ": " + records[i].substr(0, 200));
    for (int f = 0; f < table::kSalesFieldCount; ++f) {
      EXPECT_EQ(!c[static_cast<size_t>(f)].IsNull(row), sale.has(static_cast<SalesField>(f)))
          << "field " << f;
    }
    if (sale.has(SalesField::kTransactionId)) {
      EXPECT_EQ(c[Col(SalesField::kTransactionId)].binaries[i],
                sale.text[Col(SalesField::kTransactionId)]);
    }
    if (sale.has(SalesField::kCustomerEmail)) {
      EXPECT_EQ(c[Col(SalesField::kCustomerEmail)].binaries[i],
                sale.text[Col(SalesField::kCustomerEmail)]);
    }
    if (sale.has(SalesField::kTimestamp)) {
      EXPECT_EQ(c[Col(SalesField::kTimestamp)].int64s[i], sale.timestamp_micros);
    }
    if (sale.has(SalesField::kTotal)) {
      EXPECT_EQ(c[Col(SalesField::kTotal)].int64s[i], sale.total_paise);
    }
    if (sale.has(SalesField::kRetailPrice)) {
      EXPECT_EQ(c[Col(SalesField::kRetailPrice)].int64s[i], sale.retail_price_paise);
    }
    if (sale.has(SalesField::kQuantity)) {
      EXPECT_EQ(c[Col(SalesField::kQuantity)].int32s[i], sale.quantity);
    }
    const bool typed_fully = sale.valid == (1u << table::kSalesFieldCount) - 1 &&
                             !(sale.reasons & (table::kExtraField | table::kRepeatedField));
    EXPECT_EQ(c[kRawText].IsNull(row), typed_fully);
    if (!c[kRawText].IsNull(row)) {
      EXPECT_EQ(c[kRawText].binaries[i], records[i]);
      ++raw_rows;
    }
    EXPECT_EQ(c[kRawRecordIndex].int64s[i], row);
    EXPECT_EQ(c[kRawBatchId].binaries[i], r.batch_id);
    EXPECT_EQ(c[kRawIngestedAt].int64s[i], TestNow());
    EXPECT_EQ(c[kRawSource].binaries[i], source);
    EXPECT_EQ(c[kRawTruncated].bools[i], 0);
  }
  EXPECT_EQ(raw_rows, r.raw_rows);
}

struct FramingCase {
  const char* name;
  OutputFormat format;
  Envelope envelope;
  bool string_body;
  Framing framing;
};

class ExtractFramingTest : public ::testing::TestWithParam<FramingCase> {};

TEST_P(ExtractFramingTest, LandsEveryRecordTypedWithLineage) {
  const FramingCase& fc = GetParam();
  const std::vector<std::string> records = Lines(Generate(3000, 7, 0.05));
  std::string bytes =
      Generate(3000, 7, 0.05, fc.format, fc.string_body ? Envelope::kNone : fc.envelope);
  if (fc.string_body) bytes = testing::EnvelopeWithStringBody(bytes);
  auto fs = io::MemFileSystem::Make();
  ExtractOptions options;
  options.flush_rows = 700;  // several writer batches per file
  auto r = ExtractBytes(fs, bytes, "http://api/v1/sales", options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->already_extracted);
  EXPECT_EQ(r->framing, fc.framing);
  EXPECT_EQ(r->rows, 3000u);
  EXPECT_GT(r->raw_rows, 0u);  // the 5% dirty records keep their text
  EXPECT_EQ(r->batch_id, BatchIdOf("http://api/v1/sales", bytes));
  EXPECT_EQ(r->path, "raw/sales/year=2026/month=11/day=26/batch-" + r->batch_id + ".parquet");
  EXPECT_EQ(r->commit_seq, 1u);
  ExpectRowsMatchRecords(*fs, *r, records, "http://api/v1/sales");

  auto ledger = OpenLedger(fs);
  ASSERT_NE(ledger, nullptr);
  ASSERT_EQ(ledger->state().files.count(r->path), 1u);
  const lake::LedgerFile& f = ledger->state().files.at(r->path);
  EXPECT_EQ(f.table, "raw/sales");
  EXPECT_EQ(f.partition, "year=2026/month=11/day=26");
  EXPECT_EQ(f.rows, 3000u);
  EXPECT_EQ(ledger->state().batches.count(r->batch_id), 1u);
  EXPECT_EQ(ledger->state().PendingBatches(), std::vector<std::string>{r->batch_id});
  auto commit = ledger->ReadCommit(1);
  ASSERT_TRUE(commit.ok());
  EXPECT_EQ(commit->kind, "extract");
  EXPECT_NE(commit->details_json.find("\"rows\":3000"), std::string::npos) << commit->details_json;
  EXPECT_NE(commit->details_json.find("\"source\":\"http://api/v1/sales\""), std::string::npos);
  EXPECT_EQ(VisibleParquetFiles(*fs), std::vector<std::string>{r->path});
}

INSTANTIATE_TEST_SUITE_P(
    Framings, ExtractFramingTest,
    ::testing::Values(
        FramingCase{"ndjson", OutputFormat::kNdjson, Envelope::kNone, false, Framing::kNdjson},
        FramingCase{"array", OutputFormat::kJson, Envelope::kNone, false, Framing::kArray},
        FramingCase{"envelope", OutputFormat::kJson, Envelope::kLambda, false, Framing::kEnvelope},
        FramingCase{"string_body", OutputFormat::kJson, Envelope::kNone, true,
                    Framing::kEnvelopeStringBody}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Extract, SameBytesAgainIsANoOp) {
  auto fs = io::MemFileSystem::Make();
  const std::string bytes = Generate(500, 1, 0);
  auto first = ExtractBytes(fs, bytes);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = ExtractBytes(fs, bytes);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->already_extracted);
  EXPECT_EQ(second->batch_id, first->batch_id);
  EXPECT_EQ(second->commit_seq, first->commit_seq);
  EXPECT_EQ(second->path, first->path);
  EXPECT_EQ(second->rows, 500u);
  auto ledger = OpenLedger(fs);
  EXPECT_EQ(ledger->state().last_seq, 1u);
  EXPECT_EQ(VisibleParquetFiles(*fs).size(), 1u);
  // The same bytes from another source are another batch.
  auto other = ExtractBytes(fs, bytes, "other-source");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->already_extracted);
  EXPECT_NE(other->batch_id, first->batch_id);
}

void ExpectNothingCommitted(std::shared_ptr<io::FileSystem> fs) {
  auto ledger = OpenLedger(fs);
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->state().last_seq, 0u);
  EXPECT_TRUE(VisibleParquetFiles(*fs).empty());
  auto orphans = ledger->FindOrphans();
  ASSERT_TRUE(orphans.ok());
  EXPECT_TRUE(orphans->empty()) << orphans->front();
}

TEST(Extract, TruncatedInputCommitsNothing) {
  for (OutputFormat format : {OutputFormat::kJson}) {
    std::string bytes = Generate(2000, 3, 0, format);
    bytes.resize(bytes.size() / 2);
    auto fs = io::MemFileSystem::Make();
    auto r = ExtractBytes(fs, bytes);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().ToString();
    EXPECT_NE(r.status().message().find("committed nothing"), std::string::npos);
    ExpectNothingCommitted(fs);
  }
}

TEST(Extract, FailedEnvelopeCommitsNothing) {
  auto fs = io::MemFileSystem::Make();
  auto r = ExtractBytes(fs, R"({"statusCode":500,"body":"{\"error\":\"boom\"}"})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("statusCode 500"), std::string::npos)
      << r.status().ToString();
  ExpectNothingCommitted(fs);
  auto garbage = ExtractBytes(fs, "<html>502 Bad Gateway</html>");
  ASSERT_FALSE(garbage.ok());
  ExpectNothingCommitted(fs);
  auto empty = ExtractBytes(fs, "  \n");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("empty"), std::string::npos);
  ExpectNothingCommitted(fs);
}

TEST(Extract, OversizedRecordsAreKeptTruncatedAndFlagged) {
  const std::vector<std::string> records = Lines(Generate(20, 5, 0));
  std::string big = records[3];
  big.insert(big.size() - 1, ",\"note\":\"" + std::string(5000, 'x') + "\"");
  std::string bytes;
  for (size_t i = 0; i < records.size(); ++i) bytes += (i == 3 ? big : records[i]) + "\n";
  auto fs = io::MemFileSystem::Make();
  ExtractOptions options;
  options.max_record_bytes = 1000;
  auto r = ExtractBytes(fs, bytes, "test", options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, 20u);
  EXPECT_EQ(r->truncated_rows, 1u);
  auto c = ReadAllColumns(*fs, r->path);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)[kRawTruncated].bools[3], 1);
  EXPECT_EQ((*c)[kRawText].binaries[3], big.substr(0, 1000));
  EXPECT_TRUE((*c)[Col(SalesField::kTransactionId)].IsNull(3));
  EXPECT_EQ((*c)[kRawTruncated].bools[4], 0);
  EXPECT_TRUE((*c)[kRawText].IsNull(4));
}

TEST(Extract, SameBytesAndClockGiveByteIdenticalFiles) {
  const std::string bytes = Generate(5000, 11, 0.02, OutputFormat::kJson, Envelope::kLambda);
  auto a = io::MemFileSystem::Make();
  auto b = io::MemFileSystem::Make();
  auto ra = ExtractBytes(a, bytes);
  auto rb = ExtractBytes(b, bytes);
  ASSERT_TRUE(ra.ok() && rb.ok());
  ASSERT_EQ(ra->path, rb->path);
  auto fa = a->ReadFile(ra->path);
  auto fb = b->ReadFile(rb->path);
  ASSERT_TRUE(fa.ok() && fb.ok());
  EXPECT_EQ(*fa, *fb);
  // Another clock: another partition and other _ingested_at values.
  auto c = io::MemFileSystem::Make();
  ExtractOptions later;
  later.now_micros = TestNow() + 86'400'000'000LL;
  auto rc = ExtractBytes(c, bytes, "test", later);
  ASSERT_TRUE(rc.ok());
  EXPECT_EQ(rc->batch_id, ra->batch_id);
  EXPECT_EQ(rc->path, "raw/sales/year=2026/month=11/day=27/batch-" + ra->batch_id + ".parquet");
}

TEST(Extract, RefusesWhileAnotherWriterHoldsTheLock) {
  auto named = io::FileSystemFromUri("mem://extract-lock-test");
  ASSERT_TRUE(named.ok());
  auto held = lake::LakeLock::Acquire(*named, "saleslake transform");
  ASSERT_TRUE(held.ok());
  auto r = ExtractBytes(*named, Generate(10, 1, 0));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("locked by"), std::string::npos) << r.status().ToString();
  // The command refuses the same way, with exit code 1.
  io::TestTempDir dir;
  const std::string input = dir.path() + "/in.ndjson";
  std::ofstream(input) << Generate(10, 1, 0);
  std::vector<std::string> args = {
      "extract", "--from", input, "--lake", "mem://extract-lock-test", "--log-level", "off"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  EXPECT_EQ(ExtractCommand(static_cast<int>(argv.size()), argv.data()), 1);
  held->reset();
  EXPECT_EQ(ExtractCommand(static_cast<int>(argv.size()), argv.data()), 0);
  auto ledger = OpenLedger(*named);
  EXPECT_EQ(ledger->state().last_seq, 1u);
}

TEST(Extract, LocalLakeFromAFileTwice) {
  io::TestTempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string input = dir.path() + "/sales.json";
  const std::string bytes = Generate(4000, 21, 0.05, OutputFormat::kJson);
  std::ofstream(input, std::ios::binary) << bytes;
  auto fs = io::FileSystemFromUri(dir.path() + "/lake");
  ASSERT_TRUE(fs.ok());
  for (int run = 0; run < 2; ++run) {
    auto lock = lake::LakeLock::Acquire(*fs, "test");
    ASSERT_TRUE(lock.ok()) << lock.status().ToString();
    auto ledger = lake::Ledger::Open(*fs, true);
    ASSERT_TRUE(ledger.ok());
    auto in = OpenFileInput(input);
    ASSERT_TRUE(in.ok());
    EXPECT_EQ((*in)->source(), "file:" + input);
    ExtractOptions options;
    options.now_micros = TestNow();
    auto r = ExtractBatch(**fs, **ledger, **in, options);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->already_extracted, run == 1);
    EXPECT_EQ(r->batch_id, BatchIdOf("file:" + input, bytes));
    EXPECT_EQ(r->rows, 4000u);
    std::ifstream on_disk(dir.path() + "/lake/" + r->path);
    EXPECT_TRUE(on_disk.good()) << r->path;
  }
  EXPECT_EQ(VisibleParquetFiles(**fs).size(), 1u);
}

// A lake extracted into before XXH3 ids: one extract commit, as the earlier binary wrote it
// (commit-log format 2, the batch id the first 32 hex digits of SHA-256).
std::shared_ptr<io::MemFileSystem> Sha256Lake(const std::string& batch_id, std::string* path) {
  auto fs = io::MemFileSystem::Make();
  lake::LedgerCommit c;
  c.seq = 1;
  c.kind = "extract";
  c.run_id = "old-run";
  c.committed_at_micros = TestNow();
  *path = "raw/sales/year=2026/month=11/day=26/batch-" + batch_id + ".parquet";
  c.added.push_back(lake::LedgerFile{*path, "raw/sales", "year=2026/month=11/day=26", 500, 4});
  c.landed_batches = {batch_id};
  std::string record = lake::CommitToJson(c);
  const size_t at = record.find("\"format\":");
  EXPECT_NE(at, std::string::npos);
  record.replace(at, record.find(',', at) - at, "\"format\":2");
  EXPECT_TRUE(fs->WriteFile(lake::CommitPath(1), record).ok());
  EXPECT_TRUE(fs->WriteFile(*path, "data").ok());
  return fs;
}

TEST(ExtractBatchIds, AnOldLakeKeepsSha256IdsSoItsBatchesAreStillRecognised) {
  const std::string bytes = Generate(500, 5, 0.05);
  const std::string sha = BatchIdOf("http://api/v1/sales", bytes, BatchIdScheme::kSha256);
  ASSERT_EQ(sha.size(), 32u);
  std::string path;
  auto fs = Sha256Lake(sha, &path);
  // The same response again: recognised by its SHA-256 id, nothing written.
  auto again = ExtractBytes(fs, bytes, "http://api/v1/sales");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->already_extracted);
  EXPECT_EQ(again->batch_id, sha);
  EXPECT_EQ(again->commit_seq, 1u);
  EXPECT_EQ(again->path, path);
  // A new response in that lake gets a SHA-256 id too, and is recognised in turn.
  const std::string other = Generate(300, 6, 0.05);
  auto landed = ExtractBytes(fs, other, "http://api/v1/sales");
  ASSERT_TRUE(landed.ok()) << landed.status().ToString();
  EXPECT_FALSE(landed->already_extracted);
  EXPECT_EQ(landed->batch_id, BatchIdOf("http://api/v1/sales", other, BatchIdScheme::kSha256));
  EXPECT_EQ(landed->rows, 300u);
  auto twice = ExtractBytes(fs, other, "http://api/v1/sales");
  ASSERT_TRUE(twice.ok()) << twice.status().ToString();
  EXPECT_TRUE(twice->already_extracted);
  EXPECT_EQ(twice->batch_id, landed->batch_id);
  auto ledger = OpenLedger(fs);
  EXPECT_EQ(ledger->state().batches.size(), 2u);
  EXPECT_EQ(BatchIdSchemeOf(ledger->state()), BatchIdScheme::kSha256);
}

TEST(ExtractBatchIds, ANewLakeUsesXxh3Ids) {
  const std::string bytes = Generate(500, 5, 0.05);
  auto fs = io::MemFileSystem::Make();
  auto first = ExtractBytes(fs, bytes, "http://api/v1/sales");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->batch_id, BatchIdOf("http://api/v1/sales", bytes, BatchIdScheme::kXxh3));
  EXPECT_EQ(first->batch_id.size(), 33u);
  EXPECT_EQ(first->batch_id[0], 'x');
  EXPECT_EQ(SchemeOfBatchId(first->batch_id), BatchIdScheme::kXxh3);
  auto again = ExtractBytes(fs, bytes, "http://api/v1/sales");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->already_extracted);
  EXPECT_EQ(again->batch_id, first->batch_id);
  // The same bytes under another label are another batch.
  auto relabelled = ExtractBytes(fs, bytes, "file:/data/sales.ndjson");
  ASSERT_TRUE(relabelled.ok()) << relabelled.status().ToString();
  EXPECT_FALSE(relabelled->already_extracted);
  EXPECT_EQ(BatchIdSchemeOf(OpenLedger(fs)->state()), BatchIdScheme::kXxh3);
}

// The data files and the ledger's view of them: what must be the same after a crash and a re-run
// as after a clean run.
std::map<std::string, std::string> DataFiles(io::FileSystem& fs) {
  std::map<std::string, std::string> out;
  auto all = fs.List("");
  EXPECT_TRUE(all.ok());
  for (const io::FileInfo& f : *all) {
    if (f.path.starts_with("_ledger/")) continue;
    out[f.path] = *fs.ReadFile(f.path);
  }
  return out;
}

TEST(Extract, CrashAtEveryStepThenRerunGivesTheCleanLake) {
  const std::string first = Generate(1500, 31, 0.05, OutputFormat::kJson, Envelope::kLambda);
  const std::string second = Generate(1200, 32, 0.05);
  ExtractOptions options;
  options.flush_rows = 500;
  // The scenario: two batches, so the second one runs on a lake with a committed batch.
  auto scenario = [&](std::shared_ptr<io::FileSystem> fs) -> Status {
    SL_RETURN_IF_ERROR(ExtractBytes(fs, first, "api", options).status());
    return ExtractBytes(fs, second, "api", options).status();
  };
  auto clean = io::MemFileSystem::Make();
  auto counting = std::make_shared<io::FaultInjectingFileSystem>(clean);
  ASSERT_TRUE(scenario(counting).ok());
  const uint64_t steps = counting->OperationCount(io::fault::kMutatingOps);
  ASSERT_GT(steps, 6u);
  const std::map<std::string, std::string> want = DataFiles(*clean);
  ASSERT_EQ(want.size(), 2u);
  const lake::LedgerState want_state = OpenLedger(clean)->state();

  // Every step; every third (and the last) in the sanitized build, which runs ~10x slower.
  constexpr uint64_t kStride = testing::kSanitizedBuild ? 3 : 1;
  for (uint64_t n = 1; n <= steps; n = n == steps ? n + 1 : std::min(steps, n + kStride)) {
    SCOPED_TRACE("crash before mutating step " + std::to_string(n));
    auto disk = io::MemFileSystem::Make();
    auto faulty = std::make_shared<io::FaultInjectingFileSystem>(disk);
    faulty->CrashAtOperation(n, io::fault::kMutatingOps);
    EXPECT_FALSE(scenario(faulty).ok());
    ASSERT_TRUE(faulty->crashed());
    // After the crash no engine sees an uncommitted file.
    {
      auto ledger = OpenLedger(disk);
      for (const std::string& p : VisibleParquetFiles(*disk)) {
        EXPECT_EQ(ledger->state().files.count(p), 1u) << "visible uncommitted file " << p;
      }
    }
    ASSERT_TRUE(scenario(disk).ok());
    EXPECT_EQ(DataFiles(*disk), want);
    auto ledger = OpenLedger(disk);
    EXPECT_EQ(ledger->state().files, want_state.files);
    EXPECT_EQ(ledger->state().PendingBatches(), want_state.PendingBatches());
    auto orphans = ledger->FindOrphans();
    ASSERT_TRUE(orphans.ok());
    EXPECT_TRUE(orphans->empty()) << orphans->front();
  }
}

}  // namespace
}  // namespace saleslake::pipeline

namespace saleslake::pipeline {
namespace {

// Chunks typed on several threads are written in input order: the raw file is byte-identical for
// any --threads, in every framing, with dirty records (the validator's path) among clean ones.
TEST(ExtractThreadsTest, AnyThreadCountWritesTheSameFile) {
  for (const auto& [format, envelope] : {std::pair{OutputFormat::kNdjson, Envelope::kNone},
                                         std::pair{OutputFormat::kJson, Envelope::kLambda}}) {
    const std::string bytes = Generate(5000, 11, 0.1, format, envelope);
    std::string first;
    for (int threads : {1, 2, 3}) {
      auto fs = io::MemFileSystem::Make();
      ExtractOptions options;
      options.flush_rows = 300;  // many chunks in flight
      options.threads = threads;
      auto r = ExtractBytes(fs, bytes, "http://api/v1/sales", options);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r->rows, 5000u);
      EXPECT_GT(r->raw_rows, 0u);
      auto file = fs->ReadFile(r->path);
      ASSERT_TRUE(file.ok());
      if (threads == 1) {
        first = *file;
      } else {
        EXPECT_TRUE(*file == first) << threads << " threads wrote a different file";
      }
    }
  }
}

}  // namespace
}  // namespace saleslake::pipeline

// Extract from the real generator API: the HTTP server on a loopback ephemeral port, libcurl on
// the client side, a memory lake and a local lake.
#include <gtest/gtest.h>

#include <thread>

#include "io/mem_file_system.h"
#include "io/test_temp_dir.h"
#include "lake/lake_lock.h"
#include "lake/ledger.h"
#include "pipeline/extract.h"
#include "pipeline/extract_test_util.h"
#include "pipeline/lake_schemas.h"
#include "web/http_server.h"
#include "web/sales_api.h"

namespace saleslake::pipeline {
namespace {

class ApiServer {
 public:
  ApiServer() : server_(Options()) {
    web::AddSalesApi(&server_, web::SalesApiOptions{});
    listening_ = server_.Listen();
    if (listening_.ok()) thread_ = std::thread([this] { server_.Run().IgnoreError(); });
  }
  ~ApiServer() {
    server_.Shutdown();
    if (thread_.joinable()) thread_.join();
  }
  const Status& listening() const { return listening_; }
  std::string url() const { return server_.url(); }

 private:
  static web::ServerOptions Options() {
    web::ServerOptions o;
    o.listen = web::ListenAddress{"127.0.0.1", 0};
    o.shutdown_grace_seconds = 1;
    return o;
  }
  web::HttpServer server_;
  Status listening_;
  std::thread thread_;
};

// Extracts `batches` GETs of `url` into the lake on `fs`, as the extract command does.
Result<std::vector<ExtractResult>> ExtractFromApi(std::shared_ptr<io::FileSystem> fs,
                                                  const std::string& url, int batches) {
  SL_ASSIGN_OR_RETURN(auto lock, lake::LakeLock::Acquire(fs, "saleslake extract"));
  SL_ASSIGN_OR_RETURN(auto ledger, lake::Ledger::Open(fs, /*recover=*/true));
  std::vector<ExtractResult> out;
  for (int i = 0; i < batches; ++i) {
    SL_ASSIGN_OR_RETURN(std::unique_ptr<BatchInput> input, FetchInput(url, HttpFetchOptions{}));
    ExtractOptions options;
    options.now_micros = testing::TestNow();
    SL_ASSIGN_OR_RETURN(ExtractResult r, ExtractBatch(*fs, *ledger, *input, options));
    out.push_back(std::move(r));
  }
  return out;
}

void CheckLake(std::shared_ptr<io::FileSystem> fs, const std::string& url) {
  // A seeded request gives the same bytes each time: the second batch is a no-op.
  const std::string seeded =
      url + "/v1/sales?records=2500&seed=42&dirty=0.05&now=2026-11-26T09:00:00";
  auto runs = ExtractFromApi(fs, seeded, 2);
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_FALSE((*runs)[0].already_extracted);
  EXPECT_EQ((*runs)[0].rows, 2500u);
  EXPECT_GT((*runs)[0].raw_rows, 0u);
  EXPECT_EQ((*runs)[0].source, seeded);
  EXPECT_EQ((*runs)[0].framing, Framing::kArray);
  EXPECT_TRUE((*runs)[1].already_extracted);
  EXPECT_EQ((*runs)[1].batch_id, (*runs)[0].batch_id);

  // The body must be exactly what the API served: hash a plain fetch of it.
  auto direct = FetchInput(seeded, HttpFetchOptions{});
  ASSERT_TRUE(direct.ok());
  auto id = ComputeBatchId(**direct);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, (*runs)[0].batch_id);

  // Unseeded requests give fresh data: two batches.
  auto fresh = ExtractFromApi(fs, url + "/v1/sales?records=1000&format=ndjson", 2);
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_FALSE((*fresh)[1].already_extracted);
  EXPECT_NE((*fresh)[0].batch_id, (*fresh)[1].batch_id);
  EXPECT_EQ((*fresh)[1].framing, Framing::kNdjson);

  auto ledger = lake::Ledger::Open(fs, false);
  ASSERT_TRUE(ledger.ok());
  uint64_t rows = 0;
  for (const lake::LedgerFile& f : (*ledger)->state().FilesOf(kRawSalesTable)) {
    auto columns = testing::ReadAllColumns(*fs, f.path);
    ASSERT_TRUE(columns.ok()) << columns.status().ToString();
    EXPECT_EQ(static_cast<uint64_t>((*columns)[0].length), f.rows);
    rows += f.rows;
  }
  EXPECT_EQ(rows, 4500u);
  EXPECT_EQ((*ledger)->state().batches.size(), 3u);
}

TEST(ExtractFromApi, MemoryLake) {
  ApiServer api;
  ASSERT_TRUE(api.listening().ok()) << api.listening().ToString();
  CheckLake(io::MemFileSystem::Make(), api.url());
}

TEST(ExtractFromApi, LocalLake) {
  ApiServer api;
  ASSERT_TRUE(api.listening().ok()) << api.listening().ToString();
  io::TestTempDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto fs = io::FileSystemFromUri(dir.path() + "/lake");
  ASSERT_TRUE(fs.ok());
  CheckLake(*fs, api.url());
}

TEST(ExtractFromApi, ServerErrorsCommitNothing) {
  ApiServer api;
  ASSERT_TRUE(api.listening().ok());
  auto fs = io::MemFileSystem::Make();
  // records=-1 is refused with 400: not retried, nothing committed.
  auto r = ExtractFromApi(fs, api.url() + "/v1/sales?records=-1", 1);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("400"), std::string::npos) << r.status().ToString();
  auto ledger = lake::Ledger::Open(fs, false);
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ((*ledger)->state().last_seq, 0u);
}

}  // namespace
}  // namespace saleslake::pipeline

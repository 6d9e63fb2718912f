// GET /v1/sales and /openapi.json over real sockets: the real generator behind a real HttpServer
// on 127.0.0.1, called with libcurl, answers parsed with simdjson.
#include "web/sales_api.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "generator/generator.h"
#include "table/sales_record.h"
#include "web/sales_query.h"
#include "web/testing/http_test_client.h"
#include "web/testing/running_server.h"

namespace saleslake::web {
namespace {

using testing::HttpTestClient;
using testing::HttpTestResponse;
using testing::RunningServer;

constexpr char kNow[] = "2026-11-26T10:20:00Z";

std::function<void(HttpServer*)> WithSalesApi(uint64_t max_records = 1'000'000) {
  return [max_records](HttpServer* server) {
    SalesApiOptions options;
    options.max_records = max_records;
    AddSalesApi(server, options);
  };
}

HttpTestResponse MustGet(HttpTestClient& client, const std::string& url,
                         const std::vector<std::string>& headers = {}) {
  auto r = client.Get(url, headers);
  EXPECT_TRUE(r.ok()) << url << ": " << r.status().ToString();
  return r.ok() ? *r : HttpTestResponse{};
}

// What the generator itself writes for these options: the API must add nothing and drop nothing.
std::string DirectlyGenerated(generator::GeneratorOptions options) {
  std::string out;
  Status st = generator::Generate(options, [&](std::string_view piece) {
    out.append(piece);
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

// Checks that `record` has exactly the 15 fields of a sale, with their JSON types.
void ExpectSaleShape(simdjson::dom::element record) {
  simdjson::dom::object object;
  ASSERT_EQ(record.get(object), simdjson::SUCCESS);
  EXPECT_EQ(object.size(), static_cast<size_t>(table::kSalesFieldCount));
  for (const auto& field : table::SalesFields()) {
    simdjson::dom::element value;
    ASSERT_EQ(object[field.name].get(value), simdjson::SUCCESS) << field.name;
    switch (field.json_type) {
      case table::SalesJsonType::kString:
        EXPECT_TRUE(value.is_string()) << field.name;
        break;
      case table::SalesJsonType::kInteger:
        EXPECT_TRUE(value.is_int64()) << field.name;
        break;
      case table::SalesJsonType::kDecimal:
        EXPECT_TRUE(value.is_number()) << field.name;
        break;
    }
  }
}

// Parses a JSON array of sales, checking each record's shape; returns the count.
size_t CountSales(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::array records;
  EXPECT_EQ(parser.parse(body).get(records), simdjson::SUCCESS);
  size_t count = 0;
  for (simdjson::dom::element record : records) {
    if (count < 200) ExpectSaleShape(record);  // every record is checked in the smaller calls
    ++count;
  }
  return count;
}

std::pair<std::string, std::string> ErrorOf(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  EXPECT_EQ(parser.parse(body).get(doc), simdjson::SUCCESS) << body;
  std::string_view parameter, message;
  EXPECT_EQ(doc["error"]["parameter"].get(parameter), simdjson::SUCCESS) << body;
  EXPECT_EQ(doc["error"]["message"].get(message), simdjson::SUCCESS) << body;
  return {std::string(parameter), std::string(message)};
}

double SampleValue(const std::string& metrics, const std::string& series) {
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(series + " ")) return std::stod(line.substr(series.size() + 1));
  }
  return 0;  // a series not yet created has counted nothing
}

TEST(SalesApiTest, DefaultCallIsTenThousandRecordsAsAJsonArray) {
  RunningServer running(WithSalesApi());
  HttpTestClient client;
  HttpTestResponse r = MustGet(client, running.Url("/v1/sales?seed=1"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(r.Header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(r.Header("X-Saleslake-Seed"), "1");
  EXPECT_EQ(r.Header("X-Saleslake-Records"), "10000");
  EXPECT_EQ(CountSales(r.body), 10'000u);
}

TEST(SalesApiTest, EveryRecordHasTheFifteenFields) {
  RunningServer running(WithSalesApi());
  HttpTestClient client;
  HttpTestResponse r = MustGet(client, running.Url("/v1/sales?records=150&seed=9"));
  EXPECT_EQ(CountSales(r.body), 150u);
}

TEST(SalesApiTest, LambdaEnvelopeHasTheSeedsShape) {
  RunningServer running(WithSalesApi());
  HttpTestClient client;
  HttpTestResponse r = MustGet(client, running.Url("/v1/sales?records=50&seed=3&envelope=lambda"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  simdjson::dom::parser parser;
  simdjson::dom::object doc;
  ASSERT_EQ(parser.parse(r.body).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(doc.size(), 2u);
  int64_t status_code = 0;
  ASSERT_EQ(doc["statusCode"].get(status_code), simdjson::SUCCESS);
  EXPECT_EQ(status_code, 200);
  simdjson::dom::array body;
  ASSERT_EQ(doc["body"].get(body), simdjson::SUCCESS);
  EXPECT_EQ(body.size(), 50u);
  for (simdjson::dom::element record : body) ExpectSaleShape(record);
}

TEST(SalesApiTest, NdjsonIsOneRecordPerLine) {
  RunningServer running(WithSalesApi());
  HttpTestClient client;
  HttpTestResponse r = MustGet(client, running.Url("/v1/sales?records=120&seed=4&format=ndjson"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type"), "application/x-ndjson");
  std::istringstream lines(r.body);
  simdjson::dom::parser parser;
  size_t count = 0;
  for (std::string line; std::getline(lines, line);) {
    simdjson::dom::element record;
    ASSERT_EQ(parser.parse(line).get(record), simdjson::SUCCESS) << line;
    ExpectSaleShape(record);
    ++count;
  }
  EXPECT_EQ(count, 120u);
}

TEST(SalesApiTest, ZeroRecordsIsAnEmptyArray) {
  RunningServer running(WithSalesApi());
  HttpTestClient client;
  HttpTestResponse r = MustGet(client, running.Url("/v1/sales?records=0"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(CountSales(r.body), 0u);
}

TEST(SalesApiTest, TheSameSeedGivesTheSameBytesAsTheGenerator) {
  RunningServer running(WithSalesApi());
  HttpTestClient client;
  const std::string query = std::string("/v1/sales?records=3000&seed=42&days=30&now=") + kNow;
  HttpTestResponse a = MustGet(client, running.Url(query));
  HttpTestResponse b = MustGet(client, running.Url(query));
  EXPECT_EQ(a.body, b.body);
  generator::GeneratorOptions options;
  options.records = 3000;
  options.seed = 42;
  options.days = 30;
  options.now_micros = *ParseIso8601Micros(kNow);
  EXPECT_EQ(a.body, DirectlyGenerated(options));

  HttpTestResponse other = MustGet(
      client, running.Url(std::string("/v1/sales?records=3000&seed=43&days=30&now=") + kNow));
  EXPECT_NE(a.body, other.body);
}

TEST(SalesApiTest, AnUnseededCallCanBeRepeatedFromItsHeaders) {
  RunningServer running(WithSalesApi());
  HttpTestClient client;
  HttpTestResponse first = MustGet(client, running.Url("/v1/sales?records=500"));
  HttpTestResponse second = MustGet(client, running.Url("/v1/sales?records=500"));
  ASSERT_FALSE(first.Header("X-Saleslake-Seed").empty());
  ASSERT_FALSE(first.Header("X-Saleslake-Now").empty());
  EXPECT_NE(first.body, second.body);  // fresh data each call, like the original Lambda
  HttpTestResponse again =
      MustGet(client, running.Url("/v1/sales?records=500&seed=" + first.Header("X-Saleslake-Seed") +
                                  "&now=" + first.Header("X-Saleslake-Now")));
  EXPECT_EQ(again.body, first.body);
}

TEST(SalesApiTest, LargeResponsesStreamInChunks) {
  RunningServer running(WithSalesApi());
  HttpTestClient client;
  HttpTestResponse r = MustGet(client, running.Url("/v1/sales?records=200000&seed=11"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(r.Header("Content-Length"), "");
  EXPECT_EQ(CountSales(r.body), 200'000u);
}

TEST(SalesApiTest, GzipDecompressesToTheSameBytes) {
  RunningServer running(WithSalesApi());
  HttpTestClient client;
  for (const char* format : {"json", "ndjson"}) {
    const std::string url = running.Url(std::string("/v1/sales?records=20000&seed=5&now=") + kNow +
                                        "&format=" + format);
    HttpTestResponse plain = MustGet(client, url);
    HttpTestResponse zipped = MustGet(client, url, {"Accept-Encoding: gzip"});
    EXPECT_EQ(plain.Header("Content-Encoding"), "");
    EXPECT_EQ(zipped.Header("Content-Encoding"), "gzip") << format;
    EXPECT_EQ(zipped.Header("Transfer-Encoding"), "chunked") << format;
    EXPECT_LT(zipped.body.size(), plain.body.size() / 3) << format;
    auto unzipped = testing::Gunzip(zipped.body);
    ASSERT_TRUE(unzipped.ok()) << unzipped.status().ToString();
    EXPECT_EQ(*unzipped, plain.body) << format;
  }
}

TEST(SalesApiTest, EveryBadParameterIsA400NamingIt) {
  RunningServer running(WithSalesApi());
  HttpTestClient client;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"records=ten", "records"},
      {"records=-5", "records"},
      {"records=1000001", "records"},
      {"records=", "records"},
      {"records=1&records=2", "records"},
      {"seed=abc", "seed"},
      {"seed=-1", "seed"},
      {"now=not-a-date", "now"},
      {"now=2026-02-30T00:00:00Z", "now"},
      {"days=0", "days"},
      {"days=99999", "days"},
      {"dirty=2", "dirty"},
      {"dirty=nan", "dirty"},
      {"format=xml", "format"},
      {"envelope=apigateway", "envelope"},
      {"format=ndjson&envelope=lambda", "envelope"},
      {"color=blue", "color"},
  };
  for (const auto& [query, parameter] : cases) {
    HttpTestResponse r = MustGet(client, running.Url("/v1/sales?" + query));
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(r.Header("Content-Type"), "application/json") << query;
    auto [named, message] = ErrorOf(r.body);
    EXPECT_EQ(named, parameter) << query;
    EXPECT_FALSE(message.empty()) << query;
  }
}

TEST(SalesApiTest, TheRecordsLimitIsConfigurable) {
  RunningServer running(WithSalesApi(100));
  HttpTestClient client;
  EXPECT_EQ(MustGet(client, running.Url("/v1/sales?records=100")).status, 200);
  HttpTestResponse r = MustGet(client, running.Url("/v1/sales?records=101"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorOf(r.body).first, "records");
  // Without `records`, the default 10,000 is capped at the server's maximum.
  HttpTestResponse capped = MustGet(client, running.Url("/v1/sales"));
  EXPECT_EQ(capped.status, 200);
  EXPECT_EQ(CountSales(capped.body), 100u);
}

TEST(SalesApiTest, UnknownPathsAre404AndOtherMethods405) {
  RunningServer running(WithSalesApi());
  HttpTestClient client;
  EXPECT_EQ(MustGet(client, running.Url("/v1/sale")).status, 404);
  EXPECT_EQ(MustGet(client, running.Url("/v2/sales")).status, 404);
  auto post = client.Send("POST", running.Url("/v1/sales"));
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->Header("Allow"), "GET, HEAD");
}

TEST(SalesApiTest, HeadGivesTheHeadersWithoutGenerating) {
  RunningServer running(WithSalesApi());
  HttpTestClient client;
  auto r = client.Send("HEAD", running.Url("/v1/sales?records=1000&seed=8"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("X-Saleslake-Seed"), "8");
  EXPECT_EQ(r->body, "");
  HttpTestResponse m = MustGet(client, running.Url("/metrics"));
  EXPECT_EQ(SampleValue(m.body, R"(saleslake_api_records_served_total{format="json"})"), 0);
}

TEST(SalesApiTest, MetricsCountRecordsRequestsAndDirt) {
  RunningServer running(WithSalesApi());
  HttpTestClient client;
  MustGet(client, running.Url("/v1/sales?records=300&seed=1"));
  MustGet(client, running.Url("/v1/sales?records=200&seed=2"));
  MustGet(client, running.Url("/v1/sales?records=400&seed=3&format=ndjson&dirty=0.5"));
  MustGet(client, running.Url("/v1/sales?records=bad"));
  const std::string m = MustGet(client, running.Url("/metrics")).body;
  EXPECT_EQ(SampleValue(m, R"(saleslake_api_records_served_total{format="json"})"), 500);
  EXPECT_EQ(SampleValue(m, R"(saleslake_api_records_served_total{format="ndjson"})"), 400);
  EXPECT_EQ(SampleValue(
                m, R"(saleslake_http_requests_total{method="GET",route="/v1/sales",status="200"})"),
            3);
  EXPECT_EQ(SampleValue(
                m, R"(saleslake_http_requests_total{method="GET",route="/v1/sales",status="400"})"),
            1);
  EXPECT_EQ(SampleValue(m, R"(saleslake_http_request_duration_seconds_count{route="/v1/sales"})"),
            4);
  double dirty = 0;
  std::istringstream lines(m);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("saleslake_api_dirty_records_total{")) {
      dirty += std::stod(line.substr(line.rfind(' ') + 1));
    }
  }
  EXPECT_GT(dirty, 100);  // about half of 400
  EXPECT_LT(dirty, 300);
}

TEST(SalesApiTest, OpenApiDocumentDescribesEveryEndpointAndParameter) {
  RunningServer running(WithSalesApi(5000));
  HttpTestClient client;
  HttpTestResponse r = MustGet(client, running.Url("/openapi.json"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(r.body).get(doc), simdjson::SUCCESS);
  std::string_view version;
  ASSERT_EQ(doc["openapi"].get(version), simdjson::SUCCESS);
  EXPECT_TRUE(version.starts_with("3."));
  simdjson::dom::object paths;
  ASSERT_EQ(doc["paths"].get(paths), simdjson::SUCCESS);
  std::set<std::string> path_names;
  for (auto [key, value] : paths) path_names.insert(std::string(key));
  EXPECT_EQ(path_names,
            (std::set<std::string>{"/v1/sales", "/healthz", "/metrics", "/openapi.json"}));
  // Each documented path answers.
  for (const std::string& path : path_names) {
    EXPECT_EQ(MustGet(client, running.Url(path + (path == "/v1/sales" ? "?records=1" : ""))).status,
              200)
        << path;
  }
  simdjson::dom::array parameters;
  ASSERT_EQ(doc["paths"]["/v1/sales"]["get"]["parameters"].get(parameters), simdjson::SUCCESS);
  std::set<std::string> documented;
  for (simdjson::dom::element p : parameters) {
    std::string_view name;
    ASSERT_EQ(p["name"].get(name), simdjson::SUCCESS);
    documented.insert(std::string(name));
    if (name == "records") {
      uint64_t maximum = 0;
      ASSERT_EQ(p["schema"]["maximum"].get(maximum), simdjson::SUCCESS);
      EXPECT_EQ(maximum, 5000u);
    }
  }
  std::set<std::string> accepted;
  for (const SalesParameter& p : SalesParameters()) accepted.insert(std::string(p.name));
  EXPECT_EQ(documented, accepted);
  simdjson::dom::object sale;
  ASSERT_EQ(doc["components"]["schemas"]["Sale"]["properties"].get(sale), simdjson::SUCCESS);
  EXPECT_EQ(sale.size(), static_cast<size_t>(table::kSalesFieldCount));
}

TEST(SalesApiTest, SixteenConcurrentClientsGetTheirOwnRecords) {
  RunningServer running(WithSalesApi());
  constexpr int kThreads = 16;
  constexpr int kCalls = 4;
  std::vector<std::string> expected(kThreads * kCalls);
  for (int i = 0; i < kThreads * kCalls; ++i) {
    generator::GeneratorOptions options;
    options.records = 1000;
    options.seed = 1000 + i;
    options.now_micros = *ParseIso8601Micros(kNow);
    expected[i] = DirectlyGenerated(options);
  }
  std::atomic<int> matching{0};
  std::atomic<int> reused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpTestClient client;
      for (int c = 0; c < kCalls; ++c) {
        const int i = t * kCalls + c;
        auto r = client.Get(running.Url("/v1/sales?records=1000&now=" + std::string(kNow) +
                                        "&seed=" + std::to_string(1000 + i)));
        if (r.ok() && r->status == 200 && r->body == expected[i]) matching.fetch_add(1);
        if (r.ok() && c > 0 && r->new_connections == 0) reused.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(matching.load(), kThreads * kCalls);
  EXPECT_EQ(reused.load(), kThreads * (kCalls - 1));
}

TEST(SalesApiTest, AClientThatHangsUpMidStreamDoesNotHurtTheServer) {
  RunningServer running(WithSalesApi());
  HttpTestClient quitter;
  quitter.set_max_body_bytes(100'000);  // then it closes the connection
  EXPECT_FALSE(quitter.Get(running.Url("/v1/sales?records=1000000")).ok());
  HttpTestClient client;
  EXPECT_EQ(MustGet(client, running.Url("/healthz")).status, 200);
  // The cut response served no complete records.
  const std::string m = MustGet(client, running.Url("/metrics")).body;
  EXPECT_EQ(SampleValue(m, R"(saleslake_api_records_served_total{format="json"})"), 0);
}

}  // namespace
}  // namespace saleslake::web

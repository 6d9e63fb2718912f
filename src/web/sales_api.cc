#include "web/sales_api.h"

#include <prometheus/counter.h>

#include "base/clock.h"
#include "base/logging.h"
#include "generator/generator.h"
#include "web/openapi.h"
#include "web/sales_query.h"

namespace saleslake::web {
namespace {

struct SalesMetrics {
  explicit SalesMetrics(prometheus::Registry& registry)
      : records(prometheus::BuildCounter()
                    .Name("saleslake_api_records_served_total")
                    .Help("Sale records sent in complete /v1/sales responses, by format")
                    .Register(registry)),
        dirty(prometheus::BuildCounter()
                  .Name("saleslake_api_dirty_records_total")
                  .Help("Malformed records injected on request (dirty=), by kind")
                  .Register(registry)),
        json(records.Add({{"format", "json"}})),
        ndjson(records.Add({{"format", "ndjson"}})) {}

  prometheus::Family<prometheus::Counter>& records;
  prometheus::Family<prometheus::Counter>& dirty;
  prometheus::Counter& json;
  prometheus::Counter& ndjson;
};

const char* ContentTypeFor(generator::OutputFormat format) {
  return format == generator::OutputFormat::kNdjson ? "application/x-ndjson" : "application/json";
}

}  // namespace

void AddSalesApi(HttpServer* server, SalesApiOptions options) {
  auto metrics = std::make_shared<SalesMetrics>(server->metrics().registry());
  auto shared_options = std::make_shared<const SalesApiOptions>(std::move(options));

  server->Route("GET", "/v1/sales", [metrics, shared_options](const Request& req, Response* res) {
    const SalesApiOptions& api = *shared_options;
    generator::GeneratorOptions gen;
    SalesQueryError error;
    if (!ParseSalesQuery(req.query(), api.max_records, generator::FreshSeed(), NowMicros(), &gen,
                         &error)) {
      res->SetError(400, error.message, error.parameter);
      return;
    }
    gen.catalog = api.catalog;
    if (Status valid = generator::ValidateOptions(gen); !valid.ok()) {
      res->SetError(400, valid.message());
      return;
    }
    // Enough to repeat this exact response: the seed and clock it used.
    res->AddHeader("X-Saleslake-Seed", std::to_string(*gen.seed));
    res->AddHeader("X-Saleslake-Now", FormatIso8601Micros(*gen.now_micros));
    res->AddHeader("X-Saleslake-Records", std::to_string(gen.records));
    res->SetStream(200, ContentTypeFor(gen.format),
                   [metrics, gen, chunk = api.chunk_bytes](const BodyWriter& write) -> Status {
                     generator::DirtyCounts dirty;
                     SL_RETURN_IF_ERROR(generator::Generate(gen, write, &dirty, chunk));
                     auto& served = gen.format == generator::OutputFormat::kNdjson ? metrics->ndjson
                                                                                   : metrics->json;
                     served.Increment(static_cast<double>(gen.records));
                     for (const auto& [kind, count] : dirty) {
                       if (count > 0) {
                         metrics->dirty.Add({{"kind", kind}}).Increment(static_cast<double>(count));
                       }
                     }
                     return Status::OK();
                   });
  });

  std::string openapi = SalesOpenApiJson(shared_options->max_records);
  server->Route("GET", "/openapi.json",
                [openapi](const Request&, Response* res) { res->SetJson(200, openapi); });
}

}  // namespace saleslake::web

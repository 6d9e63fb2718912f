// The generator as an HTTP service (what API Gateway + the Lambda function did in the original
// pipeline): GET /v1/sales streams freshly generated sale records, and GET /openapi.json
// describes the service.
#pragma once

#include <cstdint>
#include <memory>

#include "generator/catalog.h"
#include "web/http_server.h"

namespace saleslake::web {

struct SalesApiOptions {
  uint64_t max_records = 1'000'000;                   // larger `records` get 400
  std::shared_ptr<const generator::Catalog> catalog;  // null: the built-in catalog
  // The generator hands over the body in pieces of about this size; it bounds the memory one
  // response holds, whatever its length.
  size_t chunk_bytes = 256 * 1024;
};

// Registers /v1/sales and /openapi.json on `server`, and the API's metric families in its
// registry. REQUIRES: `server` outlives nothing it serves (the routes keep a reference to its
// metrics) and Listen() has not been called yet.
void AddSalesApi(HttpServer* server, SalesApiOptions options);

}  // namespace saleslake::web

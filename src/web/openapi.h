// The OpenAPI 3 document of `saleslake api`, served at /openapi.json.
#pragma once

#include <cstdint>
#include <string>

namespace saleslake::web {

// The document as JSON. `max_records` is the server's --max-records (the bound on `records`).
std::string SalesOpenApiJson(uint64_t max_records);

}  // namespace saleslake::web

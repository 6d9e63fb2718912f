// The OpenAPI 3 document of `saleslake serve` (/openapi.json).
#pragma once

#include <string>

namespace saleslake::web {

const std::string& DashboardOpenApiJson();

}  // namespace saleslake::web

#include "web/openapi.h"

#include <string_view>

#include "base/json_writer.h"
#include "generator/generator.h"
#include "table/sales_record.h"
#include "web/sales_query.h"

namespace saleslake::web {
namespace {

using table::SalesField;

std::string_view FieldDescription(SalesField field) {
  switch (field) {
    case SalesField::kTransactionId:
      return "UUID v4, unique per sale";
    case SalesField::kTimestamp:
      return "ISO 8601 without an offset, UTC: when the sale happened";
    case SalesField::kStoreId:
      return "the store's id in the store catalog";
    case SalesField::kStoreName:
      return "the store's name, as in the catalog";
    case SalesField::kStoreLocation:
      return "the store's city";
    case SalesField::kProductId:
      return "the product's id in the product catalog";
    case SalesField::kProductName:
      return "the product's name";
    case SalesField::kCategory:
      return "the product's category";
    case SalesField::kBrand:
      return "the product's brand";
    case SalesField::kRetailPrice:
      return "the store's cost per unit, in rupees with paise";
    case SalesField::kQuantity:
      return "units sold, 1 to 3";
    case SalesField::kMrp:
      return "the price the customer pays per unit, whole rupees";
    case SalesField::kTotal:
      return "mrp x quantity";
    case SalesField::kCustomerName:
      return "the customer's name";
    case SalesField::kCustomerEmail:
      return "the customer's email address";
  }
  return "";
}

void SchemaRef(JsonWriter& w, std::string_view name) {
  w.BeginObject();
  w.Field("$ref", "#/components/schemas/" + std::string(name));
  w.EndObject();
}

void ErrorResponse(JsonWriter& w, std::string_view code, std::string_view description) {
  w.Key(code);
  w.BeginObject();
  w.Field("description", description);
  w.Key("content");
  w.BeginObject();
  w.Key("application/json");
  w.BeginObject();
  w.Key("schema");
  SchemaRef(w, "Error");
  w.EndObject();
  w.EndObject();
  w.EndObject();
}

void HeaderSpec(JsonWriter& w, std::string_view name, std::string_view type,
                std::string_view description) {
  w.Key(name);
  w.BeginObject();
  w.Field("description", description);
  w.Key("schema");
  w.BeginObject();
  w.Field("type", type);
  w.EndObject();
  w.EndObject();
}

void SalesOperation(JsonWriter& w, uint64_t max_records) {
  w.Key("get");
  w.BeginObject();
  w.Field("operationId", "getSales");
  w.Field("summary", "Generate sale records");
  w.Field("description",
          "Streams freshly generated sale records (chunked transfer encoding; gzip when the "
          "request accepts it). Deterministic for a given seed, now, days, dirty and format.");
  w.Key("parameters");
  w.BeginArray();
  for (const SalesParameter& p : SalesParameters()) {
    w.BeginObject();
    w.Field("name", p.name);
    w.Field("in", "query");
    w.Field("required", false);
    w.Field("description", p.description);
    w.Key("schema");
    w.BeginObject();
    w.Field("type", p.type);
    if (!p.format.empty()) w.Field("format", p.format);
    if (p.name == "records") {
      w.Field("minimum", int64_t{0});
      w.Field("maximum", max_records);
      w.Field("default", kDefaultSalesRecords);
    } else if (p.name == "days") {
      w.Field("minimum", int64_t{1});
      w.Field("maximum", int64_t{generator::kMaxDays});
      w.Field("default", int64_t{100});
    } else if (p.name == "dirty") {
      w.Field("minimum", int64_t{0});
      w.Field("maximum", int64_t{1});
      w.Field("default", int64_t{0});
    } else if (p.name == "format") {
      w.Key("enum");
      w.BeginArray();
      w.String("json");
      w.String("ndjson");
      w.EndArray();
      w.Field("default", "json");
    } else if (p.name == "envelope") {
      w.Key("enum");
      w.BeginArray();
      w.String("none");
      w.String("lambda");
      w.EndArray();
      w.Field("default", "none");
    }
    w.EndObject();
    w.Field("example", p.example);
    w.EndObject();
  }
  w.EndArray();

  w.Key("responses");
  w.BeginObject();
  w.Key("200");
  w.BeginObject();
  w.Field("description",
          "The records: a JSON array, the Lambda envelope, or NDJSON (one record per line)");
  w.Key("headers");
  w.BeginObject();
  HeaderSpec(w, "X-Saleslake-Seed", "string", "the seed used (repeat it to get the same records)");
  HeaderSpec(w, "X-Saleslake-Now", "string", "the generator clock used, ISO 8601");
  HeaderSpec(w, "X-Saleslake-Records", "string", "how many records the body holds");
  w.EndObject();
  w.Key("content");
  w.BeginObject();
  w.Key("application/json");
  w.BeginObject();
  w.Key("schema");
  w.BeginObject();
  w.Key("oneOf");
  w.BeginArray();
  w.BeginObject();
  w.Field("type", "array");
  w.Key("items");
  SchemaRef(w, "Sale");
  w.EndObject();
  SchemaRef(w, "LambdaEnvelope");
  w.EndArray();
  w.EndObject();
  w.EndObject();
  w.Key("application/x-ndjson");
  w.BeginObject();
  w.Key("schema");
  SchemaRef(w, "Sale");
  w.EndObject();
  w.EndObject();
  w.EndObject();
  ErrorResponse(w, "400",
                "A parameter is unknown, repeated, empty or out of range; "
                "error.parameter names it");
  w.EndObject();
  w.EndObject();
}

void SimpleGet(JsonWriter& w, std::string_view path, std::string_view id, std::string_view summary,
               std::string_view content_type, std::string_view description) {
  w.Key(path);
  w.BeginObject();
  w.Key("get");
  w.BeginObject();
  w.Field("operationId", id);
  w.Field("summary", summary);
  w.Key("responses");
  w.BeginObject();
  w.Key("200");
  w.BeginObject();
  w.Field("description", description);
  w.Key("content");
  w.BeginObject();
  w.Key(content_type);
  w.BeginObject();
  w.Key("schema");
  w.BeginObject();
  w.Field("type", content_type == "application/json" ? "object" : "string");
  w.EndObject();
  w.EndObject();
  w.EndObject();
  w.EndObject();
  w.EndObject();
  w.EndObject();
  w.EndObject();
}

void Components(JsonWriter& w) {
  w.Key("components");
  w.BeginObject();
  w.Key("schemas");
  w.BeginObject();

  w.Key("Sale");
  w.BeginObject();
  w.Field("type", "object");
  w.Key("required");
  w.BeginArray();
  for (const auto& f : table::SalesFields()) w.String(f.name);
  w.EndArray();
  w.Key("properties");
  w.BeginObject();
  for (const auto& f : table::SalesFields()) {
    w.Key(f.name);
    w.BeginObject();
    switch (f.json_type) {
      case table::SalesJsonType::kString:
        w.Field("type", "string");
        break;
      case table::SalesJsonType::kDecimal:
        w.Field("type", "number");
        break;
      case table::SalesJsonType::kInteger:
        w.Field("type", "integer");
        break;
    }
    if (f.field == SalesField::kTransactionId) w.Field("format", "uuid");
    if (f.field == SalesField::kCustomerEmail) w.Field("format", "email");
    w.Field("description", FieldDescription(f.field));
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();

  w.Key("LambdaEnvelope");
  w.BeginObject();
  w.Field("type", "object");
  w.Key("properties");
  w.BeginObject();
  w.Key("statusCode");
  w.BeginObject();
  w.Field("type", "integer");
  w.EndObject();
  w.Key("body");
  w.BeginObject();
  w.Field("type", "array");
  w.Key("items");
  SchemaRef(w, "Sale");
  w.EndObject();
  w.EndObject();
  w.EndObject();

  w.Key("Error");
  w.BeginObject();
  w.Field("type", "object");
  w.Key("properties");
  w.BeginObject();
  w.Key("error");
  w.BeginObject();
  w.Field("type", "object");
  w.Key("required");
  w.BeginArray();
  w.String("message");
  w.EndArray();
  w.Key("properties");
  w.BeginObject();
  w.Key("parameter");
  w.BeginObject();
  w.Field("type", "string");
  w.Field("description", "the query parameter at fault, when one is");
  w.EndObject();
  w.Key("message");
  w.BeginObject();
  w.Field("type", "string");
  w.EndObject();
  w.EndObject();
  w.EndObject();
  w.EndObject();
  w.EndObject();

  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string SalesOpenApiJson(uint64_t max_records) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("openapi", "3.0.3");
  w.Key("info");
  w.BeginObject();
  w.Field("title", "saleslake generator API");
  w.Field("version", "1");
  w.Field("description",
          "Fake but realistic retail sale records on demand: the first stage of the saleslake "
          "pipeline, and a drop-in for the original API Gateway + Lambda endpoint.");
  w.EndObject();
  w.Key("paths");
  w.BeginObject();
  w.Key("/v1/sales");
  w.BeginObject();
  SalesOperation(w, max_records);
  w.EndObject();
  SimpleGet(w, "/healthz", "getHealth", "Liveness", "application/json",
            "{\"status\":\"ok\"} while the server accepts requests (503 while it shuts down)");
  SimpleGet(w, "/metrics", "getMetrics", "Prometheus metrics", "text/plain",
            "Prometheus text format: requests by route and status, latency histogram, bytes "
            "and records served");
  SimpleGet(w, "/openapi.json", "getOpenApi", "This document", "application/json",
            "The OpenAPI 3 description of this service");
  w.EndObject();
  Components(w);
  w.EndObject();
  return out;
}

}  // namespace saleslake::web

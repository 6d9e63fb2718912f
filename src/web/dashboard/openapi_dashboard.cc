#include "web/dashboard/openapi_dashboard.h"

namespace saleslake::web {

// Written by hand, like the API it describes; tests/web checks that every route is in it.
const std::string& DashboardOpenApiJson() {
  static const std::string kDoc = R"JSON({
  "openapi": "3.0.3",
  "info": {
    "title": "saleslake dashboard API",
    "version": "1",
    "description": "Sales KPIs, series and breakdowns from the lake's rollups (main/daily_sales), runs, quarantine, catalog and read-only SQL. Money is exact: decimal numbers with two digits. Errors are {\"error\":{\"parameter\":\"...\",\"message\":\"...\"}}. Roles: viewer < analyst (SQL, quarantine samples) < admin (run now); a server on loopback with no users configured is open."
  },
  "components": {
    "securitySchemes": {
      "apiKey": {"type": "http", "scheme": "bearer", "description": "an API key from the auth configuration"},
      "session": {"type": "apiKey", "in": "cookie", "name": "sl_session", "description": "set by POST /api/v1/login; POSTs then need X-CSRF-Token"}
    },
    "parameters": {
      "from": {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "first day (YYYY-MM-DD, inclusive)"},
      "to": {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "last day (inclusive)"},
      "range": {"name": "range", "in": "query", "schema": {"type": "string", "enum": ["mtd", "last7", "last30", "last90", "all"]}, "description": "a period relative to the data's last day, instead of from/to; default mtd"},
      "brand": {"name": "brand", "in": "query", "schema": {"type": "string"}, "description": "repeatable; values are OR-ed"},
      "category": {"name": "category", "in": "query", "schema": {"type": "string"}},
      "store": {"name": "store", "in": "query", "schema": {"type": "string"}, "description": "store_id"},
      "city": {"name": "city", "in": "query", "schema": {"type": "string"}, "description": "store_location"},
      "compare": {"name": "compare", "in": "query", "schema": {"type": "string", "enum": ["auto", "previous_period", "previous_month", "none"]}, "description": "auto: same days of the previous month when the period starts on the 1st and stays in one month, else the previous period of equal length"}
    },
    "responses": {
      "Error": {"description": "bad parameter (400), not signed in (401), role too low (403), rate limited (429)", "content": {"application/json": {"schema": {"type": "object", "properties": {"error": {"type": "object", "properties": {"parameter": {"type": "string"}, "message": {"type": "string"}}}}}}}}
    }
  },
  "security": [{"apiKey": []}, {"session": []}, {}],
  "paths": {
    "/api/v1/summary": {"get": {"summary": "KPI tiles: sales, orders, units, average order value, gross profit, cost, margin; each with previous value and change", "parameters": [{"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"}, {"$ref": "#/components/parameters/range"}, {"$ref": "#/components/parameters/brand"}, {"$ref": "#/components/parameters/category"}, {"$ref": "#/components/parameters/store"}, {"$ref": "#/components/parameters/city"}, {"$ref": "#/components/parameters/compare"}], "responses": {"200": {"description": "period and previous period (from, to, days; start and end: exact instants, a period ending today ends now and the previous one at the same time of day), kpis.{name}.{value,previous,change_pct}"}, "400": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/timeseries": {"get": {"summary": "sales, orders, units, gross profit per day, week or month (every bucket of the period, zeros included)", "parameters": [{"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"}, {"$ref": "#/components/parameters/range"}, {"$ref": "#/components/parameters/brand"}, {"$ref": "#/components/parameters/category"}, {"$ref": "#/components/parameters/store"}, {"$ref": "#/components/parameters/city"}, {"name": "grain", "in": "query", "schema": {"type": "string", "enum": ["day", "week", "month"]}}], "responses": {"200": {"description": "points"}, "400": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/breakdowns": {"get": {"summary": "totals by brand, category, store or city, by sales descending", "parameters": [{"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"}, {"$ref": "#/components/parameters/range"}, {"$ref": "#/components/parameters/brand"}, {"$ref": "#/components/parameters/category"}, {"$ref": "#/components/parameters/store"}, {"$ref": "#/components/parameters/city"}, {"name": "by", "in": "query", "schema": {"type": "string", "enum": ["brand", "category", "store", "city"]}}, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 50}}], "responses": {"200": {"description": "rows, total, total_rows"}, "400": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/top-products": {"get": {"summary": "best-selling products", "parameters": [{"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"}, {"$ref": "#/components/parameters/range"}, {"$ref": "#/components/parameters/brand"}, {"$ref": "#/components/parameters/category"}, {"$ref": "#/components/parameters/store"}, {"$ref": "#/components/parameters/city"}, {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["sales", "units"]}}, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 10}}], "responses": {"200": {"description": "rows"}, "400": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/filters": {"get": {"summary": "brands, categories, stores, cities and the data's first and last day", "responses": {"200": {"description": "filter values"}}}},
    "/api/v1/status": {"get": {"summary": "freshness (last commit), batches, tables, run-now state", "responses": {"200": {"description": "status"}}}},
    "/api/v1/runs": {
      "get": {"summary": "runs (commits grouped by run id), newest first", "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 500, "default": 20}}, {"name": "offset", "in": "query", "schema": {"type": "integer", "default": 0}}], "responses": {"200": {"description": "runs"}}},
      "post": {"summary": "run the pipeline now (admin); 202, or 409 while a run is going", "responses": {"202": {"description": "started"}, "403": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/quarantine": {"get": {"summary": "quarantined rows by reason and by day; samples (analyst) with samples=N", "parameters": [{"name": "reason", "in": "query", "schema": {"type": "string"}}, {"name": "samples", "in": "query", "schema": {"type": "integer", "maximum": 200, "default": 0}}], "responses": {"200": {"description": "by_reason, over_time, samples"}}}},
    "/api/v1/catalog": {"get": {"summary": "tables with columns, partitions, files, schema versions; table=NAME for one table in full; table=NAME&dialect=athena|trino|spark|duckdb for its DDL (text)", "parameters": [{"name": "table", "in": "query", "schema": {"type": "string"}}, {"name": "dialect", "in": "query", "schema": {"type": "string"}}], "responses": {"200": {"description": "tables"}}}},
    "/api/v1/query": {"post": {"summary": "read-only SQL over the catalog's tables (analyst), one page of rows", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["sql"], "properties": {"sql": {"type": "string"}, "offset": {"type": "integer", "default": 0}, "limit": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}}}}}}, "responses": {"200": {"description": "columns, rows (arrays), more"}, "400": {"description": "the SQL is wrong: error.message and error.position (byte offset)"}}}},
    "/api/v1/login": {"post": {"summary": "sign in with {user, password}: sets the session cookie, returns the CSRF token", "responses": {"200": {"description": "user, role, csrf"}, "401": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/logout": {"post": {"summary": "end the session", "responses": {"200": {"description": "signed out"}}}},
    "/api/v1/session": {"get": {"summary": "who is signed in, the role and the CSRF token", "responses": {"200": {"description": "session"}}}},
    "/healthz": {"get": {"summary": "liveness", "responses": {"200": {"description": "ok"}}}},
    "/readyz": {"get": {"summary": "ready once the lake's state is loaded", "responses": {"200": {"description": "ready"}, "503": {"description": "not yet"}}}},
    "/metrics": {"get": {"summary": "Prometheus text: requests by route and status, latency histograms, rows per table, quarantine by reason, last run age", "responses": {"200": {"description": "metrics"}}}}
  }
})JSON";
  return kDoc;
}

}  // namespace saleslake::web

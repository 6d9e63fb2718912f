#include "web/dashboard/dashboard_api.h"

#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <set>
#include <thread>

#include "base/clock.h"
#include "base/json_writer.h"
#include "base/logging.h"
#include "catalog/lake_tables.h"
#include "parquet/reader/file_reader.h"
#include "web/dashboard/dashboard_queries.h"
#include "web/dashboard/openapi_dashboard.h"
#include "web/dashboard/pipeline_port.h"

namespace saleslake::web {
namespace {

// The one value of parameter `name`, or `fallback`; a repeated parameter is an error.
Result<std::string> OneParam(const QueryParams& params, const std::string& name,
                             std::string fallback) {
  auto [begin, end] = params.equal_range(name);
  if (begin == end) return fallback;
  if (std::next(begin) != end) return Status::InvalidArgument(name + ": given more than once");
  return begin->second;
}

Result<size_t> SizeParam(const QueryParams& params, const std::string& name, size_t fallback,
                         size_t max) {
  SL_ASSIGN_OR_RETURN(std::string text, OneParam(params, name, ""));
  if (text.empty()) return fallback;
  size_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v > max) {
    return Status::InvalidArgument(name + ": '" + text.substr(0, 40) +
                                   "' is not a whole number from 0 to " + std::to_string(max));
  }
  return v;
}

Result<std::string> ChoiceParam(const QueryParams& params, const std::string& name,
                                const std::vector<std::string>& choices) {
  SL_ASSIGN_OR_RETURN(std::string v, OneParam(params, name, choices.front()));
  if (std::find(choices.begin(), choices.end(), v) != choices.end()) return v;
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  return Status::InvalidArgument(name + ": '" + v.substr(0, 40) + "' is not one of " + list);
}

// {"error":{"parameter":"from","message":"..."}} from an InvalidArgument "name: message".
void BadRequest(Response* res, const Status& st) {
  const std::string& m = st.message();
  size_t colon = m.find(": ");
  if (colon != std::string::npos && colon < 40 && m.find(' ') > colon) {
    res->SetError(400, m, m.substr(0, colon));
  } else {
    res->SetError(400, m);
  }
}

void CommitJson(JsonWriter& w, const CommitSummary& c) {
  w.BeginObject();
  w.Field("seq", c.seq);
  w.Field("kind", c.kind);
  w.Field("committed_at", FormatIso8601Millis(c.committed_at_micros));
  w.Field("files_added", c.files_added);
  w.Field("files_removed", c.files_removed);
  w.Field("rows_added", c.rows_added);
  w.Field("bytes_added", c.bytes_added);
  w.Field("batches_landed", static_cast<uint64_t>(c.landed_batches.size()));
  w.Field("batches_consumed", static_cast<uint64_t>(c.consumed_batches.size()));
  w.Key("details");
  w.Raw(c.details_json);
  w.EndObject();
}

}  // namespace

struct DashboardApi::RunState {
  std::atomic<bool> running{false};
  std::mutex mu;
  std::string last_status = "none";  // "none", "running", "ok", "failed: ..."
  int64_t last_started = 0, last_finished = 0;
  std::thread worker;
};

DashboardApi::DashboardApi(SnapshotStore* store, AccessControl* access, DashboardApiOptions options)
    : store_(store),
      access_(access),
      options_(std::move(options)),
      run_(std::make_unique<RunState>()) {
  // Longest first, so that "<dir>/" goes before "<dir>".
  const std::string root = store_->fs()->root_uri();
  if (root.rfind("file://", 0) == 0) {
    const std::string dir = root.substr(7);
    server_paths_ = {{root + "/", ""}, {dir + "/", ""}, {root, "."}, {dir, "."}};
  }
  if (Result<std::string> catalog = catalog::DefaultCatalogPath(root, /*create_dirs=*/false);
      catalog.ok() && *catalog != ":memory:" && root.rfind("file://", 0) != 0) {
    server_paths_.insert(server_paths_.begin(), {*catalog, "the lake's catalog"});
  }
}

void DashboardApi::HideServerPaths(Response* res) const {
  std::string& body = res->body();
  for (const auto& [path, shown] : server_paths_) {
    if (path.size() < 2) continue;  // "/" names no server path worth hiding
    for (size_t at = body.find(path); at != std::string::npos;
         at = body.find(path, at + shown.size())) {
      body.replace(at, path.size(), shown);
    }
  }
}

void DashboardApi::Route(HttpServer* server, const std::string& method, const std::string& path,
                         Role role,
                         std::function<void(const Request&, Response*, const Principal&)> handler) {
  server->Route(method, path,
                [this, role, handler = std::move(handler)](const Request& req, Response* res) {
                  Principal who;
                  if (!access_->Authorize(req, res, role, &who)) return;
                  handler(req, res, who);
                  if (res->status() >= 400) HideServerPaths(res);
                  AddSecurityHeaders(res);
                  res->AddHeader("Cache-Control", "no-store");
                });
}

DashboardApi::~DashboardApi() {
  if (run_->worker.joinable()) run_->worker.join();
}

void DashboardApi::Get(HttpServer* server, const std::string& path, Role role,
                       std::function<void(const Request&, Response*)> handler) {
  server->Route("GET", path,
                [this, role, handler = std::move(handler)](const Request& req, Response* res) {
                  if (!access_->Authorize(req, res, role)) return;
                  handler(req, res);
                  if (res->status() >= 400) HideServerPaths(res);
                  AddSecurityHeaders(res);
                  res->AddHeader("Cache-Control", "no-store");
                });
}

void DashboardApi::Post(HttpServer* server, const std::string& path, Role role,
                        std::function<void(const Request&, Response*)> handler) {
  server->Route("POST", path,
                [this, role, handler = std::move(handler)](const Request& req, Response* res) {
                  if (!access_->Authorize(req, res, role)) return;
                  handler(req, res);
                  if (res->status() >= 400) HideServerPaths(res);
                  AddSecurityHeaders(res);
                  res->AddHeader("Cache-Control", "no-store");
                });
}

void DashboardApi::AddRoutes(HttpServer* server) {
  using Params = std::vector<std::string>;
  auto dashboard = [this](Params extra, auto answer) {
    return [this, extra, answer](const Request& req, Response* res) {
      std::shared_ptr<const LakeSnapshot> snap = store_->Get();
      // Figures without a file's rows would be wrong: say which file instead.
      if (std::string degraded = snap->DegradedReason(); !degraded.empty()) {
        return res->SetError(503, degraded);
      }
      Result<DashboardFilter> f = ParseDashboardFilter(req.query(), *snap, extra);
      if (!f.ok()) return BadRequest(res, f.status());
      if (options_.now_micros != 0) f->now_micros = options_.now_micros;
      Result<std::string> body = answer(req.query(), *snap, *f);
      if (!body.ok()) return BadRequest(res, body.status());
      res->SetJson(200, std::move(*body));
    };
  };
  Get(server, "/api/v1/summary", Role::kViewer,
      dashboard({},
                [](const QueryParams&, const LakeSnapshot& s,
                   const DashboardFilter& f) -> Result<std::string> { return SummaryJson(s, f); }));
  Get(server, "/api/v1/timeseries", Role::kViewer,
      dashboard({"grain"},
                [](const QueryParams& q, const LakeSnapshot& s,
                   const DashboardFilter& f) -> Result<std::string> {
                  SL_ASSIGN_OR_RETURN(std::string grain,
                                      ChoiceParam(q, "grain", {"day", "week", "month"}));
                  return TimeseriesJson(s, f, grain);
                }));
  Get(server, "/api/v1/breakdowns", Role::kViewer,
      dashboard({"by", "limit"},
                [](const QueryParams& q, const LakeSnapshot& s,
                   const DashboardFilter& f) -> Result<std::string> {
                  SL_ASSIGN_OR_RETURN(std::string by,
                                      ChoiceParam(q, "by", {"brand", "category", "store", "city"}));
                  SL_ASSIGN_OR_RETURN(size_t limit, SizeParam(q, "limit", 50, 1000));
                  return BreakdownJson(s, f, by, limit);
                }));
  Get(server, "/api/v1/top-products", Role::kViewer,
      dashboard(
          {"order", "limit"},
          [](const QueryParams& q, const LakeSnapshot& s,
             const DashboardFilter& f) -> Result<std::string> {
            SL_ASSIGN_OR_RETURN(std::string order, ChoiceParam(q, "order", {"sales", "units"}));
            SL_ASSIGN_OR_RETURN(size_t limit, SizeParam(q, "limit", 10, 1000));
            return TopProductsJson(s, f, order, limit);
          }));
  Get(server, "/api/v1/filters", Role::kViewer, [this](const Request&, Response* res) {
    res->SetJson(200, FilterValuesJson(*store_->Get()));
  });
  Get(server, "/api/v1/status", Role::kViewer, [this](const Request&, Response* res) {
    std::shared_ptr<const LakeSnapshot> s = store_->Get();
    std::string out;
    JsonWriter w(&out);
    w.BeginObject();
    w.Field("lake", s->lake_uri);
    w.Field("commit", s->last_seq);
    w.Key("committed_at");
    s->last_commit_micros ? w.String(FormatIso8601Millis(s->last_commit_micros)) : w.Null();
    w.Field("loaded_at", FormatIso8601Millis(s->loaded_at_micros));
    w.Field("daily_rows", static_cast<uint64_t>(s->rows()));
    w.Key("batches");
    w.BeginObject();
    w.Field("extracted", s->batches_extracted);
    w.Field("transformed", s->batches_transformed);
    w.Field("pending", s->batches_pending);
    w.EndObject();
    w.Key("tables");
    w.BeginArray();
    for (const TableStats& t : s->tables) {
      w.BeginObject();
      w.Field("table", t.table);
      w.Field("files", t.files);
      w.Field("partitions", t.partitions);
      w.Field("rows", t.rows);
      w.Field("bytes", t.bytes);
      w.EndObject();
    }
    w.EndArray();
    {
      std::lock_guard<std::mutex> lock(run_->mu);
      w.Key("run_now");
      w.BeginObject();
      w.Field("available", static_cast<bool>(options_.run_now));
      w.Field("state", run_->last_status);
      w.EndObject();
    }
    w.EndObject();
    res->SetJson(200, out);
  });
  Get(server, "/api/v1/runs", Role::kViewer,
      [this](const Request& req, Response* res) { Runs(req, res); });
  Post(server, "/api/v1/runs", Role::kAdmin,
       [this](const Request& req, Response* res) { RunNow(req, res); });
  Get(server, "/api/v1/quarantine", Role::kViewer,
      [this](const Request& req, Response* res) { Quarantine(req, res); });
  Route(
      server, "GET", "/api/v1/catalog", Role::kViewer,
      [this](const Request& req, Response* res, const Principal& who) { Catalog(req, res, who); });
  // Viewers query too, with customer names and e-mails masked (sql/personal_data.h).
  Route(server, "POST", "/api/v1/query", Role::kViewer,
        [this](const Request& req, Response* res, const Principal& who) { Query(req, res, who); });
  // Liveness, with the lake's state: "degraded" (still 200: the server works) when committed
  // files the dashboard needs cannot be read.
  server->Route("GET", "/healthz", [this](const Request&, Response* res) {
    std::string degraded = store_->Get()->DegradedReason();
    if (degraded.empty()) return res->SetJson(200, R"({"status":"ok"})");
    std::string out;
    JsonWriter w(&out);
    w.BeginObject();
    w.Field("status", "degraded");
    w.Field("reason", degraded);
    w.Key("unreadable_files");
    w.BeginArray();
    for (const std::string& f : store_->Get()->unreadable_daily_files) w.String(f);
    w.EndArray();
    w.EndObject();
    res->SetJson(200, out);
    HideServerPaths(res);
  });
  server->Route("GET", "/readyz", [this](const Request&, Response* res) {
    if (store_->ready()) {
      res->SetJson(200, R"({"status":"ready"})");
    } else {
      res->SetError(503, "the lake's state is not loaded yet");
    }
  });
  server->Route("GET", "/openapi.json",
                [](const Request&, Response* res) { res->SetJson(200, DashboardOpenApiJson()); });
  server->Route("POST", "/api/v1/login",
                [this](const Request& req, Response* res) { access_->Login(req, res); });
  server->Route("POST", "/api/v1/logout",
                [this](const Request& req, Response* res) { access_->Logout(req, res); });
  server->Route("GET", "/api/v1/session",
                [this](const Request& req, Response* res) { access_->Session(req, res); });
}

void DashboardApi::Runs(const Request& req, Response* res) {
  for (const auto& [name, value] : req.query()) {
    if (name != "limit" && name != "offset") {
      return res->SetError(400, name.substr(0, 40) + ": unknown parameter (known: limit, offset)",
                           name.substr(0, 40));
    }
  }
  Result<size_t> limit = SizeParam(req.query(), "limit", 20, 500);
  if (!limit.ok()) return BadRequest(res, limit.status());
  Result<size_t> offset = SizeParam(req.query(), "offset", 0, 100'000'000);
  if (!offset.ok()) return BadRequest(res, offset.status());
  std::shared_ptr<const LakeSnapshot> s = store_->Get();
  // A run: the commits that share a run id (extract, transform of one `saleslake run`), with the
  // status, error and times of its run record when there is one. A run that failed before any
  // commit exists only as a record.
  struct RunView {
    std::string run_id, started, finished, status = "committed", error;
    double duration_ms = 0;
    std::set<std::string> kinds;
    uint64_t batches = 0, extracted_rows = 0, main_rows = 0, bytes = 0;
    std::map<std::string, int64_t> reasons;
    std::vector<const CommitSummary*> commits;  // newest first
  };
  std::vector<RunView> runs;
  std::map<std::string, size_t> index;
  simdjson::dom::parser parser;
  for (auto it = s->commits.rbegin(); it != s->commits.rend(); ++it) {
    const std::string key = it->run_id.empty() ? "#" + std::to_string(it->seq) : it->run_id;
    auto [pos, inserted] = index.emplace(key, runs.size());
    if (inserted) runs.emplace_back().run_id = it->run_id;
    RunView& r = runs[pos->second];
    r.commits.push_back(&*it);
    r.kinds.insert(it->kind);
    r.bytes += it->bytes_added;
    r.batches += it->landed_batches.size();
    if (it->kind == "extract") r.extracted_rows += it->rows_added;
    for (const auto& [reason, n] : it->quarantine_by_reason) r.reasons[reason] += n;
    simdjson::dom::element root;
    uint64_t n = 0;
    if ((it->kind == "transform" || it->kind == "replay") &&
        !parser.parse(it->details_json).get(root) && !root["rows_main"].get_uint64().get(n)) {
      r.main_rows += n;
    }
  }
  for (RunView& r : runs) {
    r.started = FormatIso8601Millis(r.commits.back()->committed_at_micros);
    r.finished = FormatIso8601Millis(r.commits.front()->committed_at_micros);
    r.duration_ms = static_cast<double>(r.commits.front()->committed_at_micros -
                                        r.commits.back()->committed_at_micros) /
                    1000.0;
  }
  for (const std::string& text : s->run_records) {
    simdjson::dom::element rec;
    std::string_view id, status, started, finished, error;
    if (parser.parse(text).get(rec) || rec["run_id"].get_string().get(id)) continue;
    auto [pos, inserted] = index.emplace(std::string(id), runs.size());
    if (inserted) runs.emplace_back().run_id = std::string(id);
    RunView& r = runs[pos->second];
    if (!rec["status"].get_string().get(status)) r.status = std::string(status);
    if (!rec["error"].get_string().get(error)) r.error = std::string(error);
    if (!rec["started_at"].get_string().get(started)) r.started = std::string(started);
    if (!rec["finished_at"].get_string().get(finished)) r.finished = std::string(finished);
    double ms = 0;
    if (!rec["duration_ms"].get_double().get(ms)) r.duration_ms = ms;
    if (inserted) {
      uint64_t n = 0;
      if (!rec["rows_extracted"].get_uint64().get(n)) r.extracted_rows = n;
      if (!rec["transform"]["rows_main"].get_uint64().get(n)) r.main_rows = n;
    }
  }
  std::stable_sort(runs.begin(), runs.end(),
                   [](const RunView& a, const RunView& b) { return a.started > b.started; });
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("total_runs", static_cast<uint64_t>(runs.size()));
  w.Field("offset", static_cast<uint64_t>(*offset));
  w.Field("limit", static_cast<uint64_t>(*limit));
  w.Key("runs");
  w.BeginArray();
  for (size_t i = *offset; i < runs.size() && i < *offset + *limit; ++i) {
    const RunView& r = runs[i];
    int64_t quarantined = 0;
    for (const auto& [reason, n] : r.reasons) quarantined += n;
    w.BeginObject();
    w.Field("run_id", r.run_id);
    w.Field("started_at", r.started);
    w.Field("finished_at", r.finished);
    w.Field("duration_ms", r.duration_ms);
    w.Field("status", r.status);
    if (!r.error.empty()) w.Field("error", r.error);
    w.Key("kinds");
    w.BeginArray();
    for (const std::string& k : r.kinds) w.String(k);
    w.EndArray();
    w.Field("batches_landed", r.batches);
    w.Field("rows_extracted", r.extracted_rows);
    w.Field("rows_main", r.main_rows);
    w.Field("rows_quarantined", quarantined);
    w.Field("bytes_written", r.bytes);
    w.Key("quarantine_by_reason");
    w.BeginObject();
    for (const auto& [reason, n] : r.reasons) w.Field(reason, n);
    w.EndObject();
    w.Key("commits");
    w.BeginArray();
    for (const CommitSummary* c : r.commits) CommitJson(w, *c);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  res->SetJson(200, out);
}

void DashboardApi::RunNow(const Request&, Response* res) {
  if (!options_.run_now) {
    return res->SetError(501, "this server has no pipeline to run (see saleslake serve --help)");
  }
  bool expected = false;
  if (!run_->running.compare_exchange_strong(expected, true)) {
    return res->SetError(409, "a run is already in progress");
  }
  if (run_->worker.joinable()) run_->worker.join();
  {
    std::lock_guard<std::mutex> lock(run_->mu);
    run_->last_status = "running";
    run_->last_started = NowMicros();
  }
  run_->worker = std::thread([this] {
    Status st = options_.run_now();
    if (st.ok()) st = store_->Refresh();
    std::lock_guard<std::mutex> lock(run_->mu);
    run_->last_status = st.ok() ? "ok" : "failed: " + st.ToString();
    run_->last_finished = NowMicros();
    run_->running.store(false);
    log::Info("dashboard.run_now", {{"status", st}});
  });
  res->SetJson(202, R"({"state":"running"})");
}

void DashboardApi::Quarantine(const Request& req, Response* res) {
  for (const auto& [name, value] : req.query()) {
    if (name != "reason" && name != "samples") {
      return res->SetError(400, name.substr(0, 40) + ": unknown parameter (known: reason, samples)",
                           name.substr(0, 40));
    }
  }
  Result<std::string> reason = OneParam(req.query(), "reason", "");
  if (!reason.ok()) return BadRequest(res, reason.status());
  Result<size_t> samples = SizeParam(req.query(), "samples", 0, 200);
  if (!samples.ok()) return BadRequest(res, samples.status());
  if (*samples > 0 && !access_->Authorize(req, res, Role::kAnalyst)) return;
  std::shared_ptr<const LakeSnapshot> s = store_->Get();
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("by_reason");
  w.BeginObject();
  for (const auto& [r, n] : s->quarantine_by_reason) w.Field(r, n);
  w.EndObject();
  // Per day of the commit that quarantined them.
  std::map<int64_t, std::map<std::string, int64_t>> by_day;
  for (const CommitSummary& c : s->commits) {
    if (c.quarantine_by_reason.empty()) continue;
    auto& day = by_day[c.committed_at_micros / (int64_t{86'400} * 1'000'000)];
    for (const auto& [r, n] : c.quarantine_by_reason) {
      if (reason->empty() || r == *reason) day[r] += n;
    }
  }
  w.Key("over_time");
  w.BeginArray();
  for (const auto& [day, reasons] : by_day) {
    w.BeginObject();
    w.Field("date", FormatDay(day));
    w.Key("by_reason");
    w.BeginObject();
    for (const auto& [r, n] : reasons) w.Field(r, n);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.Key("samples");
  w.BeginArray();
  if (*samples > 0) {
    Result<std::unique_ptr<lake::Ledger>> ledger =
        lake::Ledger::Open(store_->fs(), /*recover=*/false);
    if (!ledger.ok()) return res->SetError(500, ledger.status().ToString());
    Result<std::vector<QuarantineSample>> records =
        Pipeline().quarantine_samples(*store_->fs(), (*ledger)->state(), *reason, *samples);
    if (!records.ok()) return res->SetError(500, records.status().ToString());
    for (const QuarantineSample& r : *records) {
      w.BeginObject();
      w.Field("reason", r.reason);
      w.Field("detail", r.detail);
      w.Field("batch_id", r.batch_id);
      w.Field("record_index", r.record_index);
      w.Field("raw", r.raw.substr(0, 2000));
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  res->SetJson(200, out);
}

void DashboardApi::Catalog(const Request& req, Response* res, const Principal& who) {
  for (const auto& [name, value] : req.query()) {
    if (name != "table" && name != "dialect") {
      return res->SetError(400, name.substr(0, 40) + ": unknown parameter (known: table, dialect)",
                           name.substr(0, 40));
    }
  }
  Result<std::string> table = OneParam(req.query(), "table", "");
  Result<std::string> dialect = OneParam(req.query(), "dialect", "");
  if (!table.ok()) return BadRequest(res, table.status());
  if (!dialect.ok()) return BadRequest(res, dialect.status());
  if (!dialect->empty()) {
    if (!options_.ddl) return res->SetError(501, "DDL export needs the catalog (saleslake crawl)");
    Result<std::string> ddl = options_.ddl(*table, *dialect);
    if (!ddl.ok() && ddl.status().code() == StatusCode::kNotFound) {
      return res->SetError(404, ddl.status().message(), "table");
    }
    if (!ddl.ok()) return res->SetError(400, ddl.status().message(), "dialect");
    return res->SetBody(200, "text/plain; charset=utf-8", *ddl);
  }
  if (options_.catalog_json) {
    Result<std::string> json = options_.catalog_json(*table, who.role < Role::kAnalyst);
    if (!json.ok() && json.status().code() == StatusCode::kNotFound) {
      return res->SetError(404, json.status().message(), "table");
    }
    if (!json.ok()) return res->SetError(500, json.status().ToString());
    return res->SetJson(200, *json);
  }
  // The ledger's view: tables, files and partitions; columns from the first file's footer.
  Result<std::unique_ptr<lake::Ledger>> ledger =
      lake::Ledger::Open(store_->fs(), /*recover=*/false);
  if (!ledger.ok()) return res->SetError(500, ledger.status().ToString());
  const lake::LedgerState& state = (*ledger)->state();
  std::map<std::string, std::vector<const lake::LedgerFile*>> tables;
  for (const auto& [path, f] : state.files) tables[f.table].push_back(&f);
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("source", "ledger");
  w.Field("commit", state.last_seq);
  w.Key("tables");
  w.BeginArray();
  for (const auto& [name, files] : tables) {
    if (!table->empty() && name != *table) continue;
    uint64_t rows = 0, bytes = 0;
    std::map<std::string, std::pair<uint64_t, uint64_t>> partitions;  // files, rows
    for (const lake::LedgerFile* f : files) {
      rows += f->rows;
      bytes += f->bytes;
      auto& p = partitions[f->partition];
      ++p.first;
      p.second += f->rows;
    }
    w.BeginObject();
    w.Field("name", name);
    w.Field("location", name);
    w.Field("files", static_cast<uint64_t>(files.size()));
    w.Field("rows", rows);
    w.Field("bytes", bytes);
    w.Field("partition_count", static_cast<uint64_t>(partitions.size()));
    w.Key("columns");
    w.BeginArray();
    Result<std::unique_ptr<io::RandomAccessFile>> file =
        store_->fs()->OpenForRead(files.front()->path);
    if (file.ok()) {
      auto reader =
          parquet::ParquetFileReader::Open(std::shared_ptr<io::RandomAccessFile>(std::move(*file)));
      if (reader.ok()) {
        for (const parquet::ColumnDescriptor& c : (*reader)->schema().columns()) {
          w.BeginObject();
          w.Field("name", c.name);
          w.Field("type", c.TypeDescription());
          w.Field("nullable", c.nullable());
          w.EndObject();
        }
      }
    }
    w.EndArray();
    const bool detail = !table->empty();
    w.Key("partitions");
    w.BeginArray();
    size_t shown = 0;
    for (auto it = partitions.rbegin(); it != partitions.rend() && (detail || shown < 5);
         ++it, ++shown) {
      w.BeginObject();
      w.Field("partition", it->first);
      w.Field("files", it->second.first);
      w.Field("rows", it->second.second);
      w.EndObject();
    }
    w.EndArray();
    if (detail) {
      w.Key("file_list");
      w.BeginArray();
      for (const lake::LedgerFile* f : files) {
        w.BeginObject();
        w.Field("path", f->path);
        w.Field("rows", f->rows);
        w.Field("bytes", f->bytes);
        w.EndObject();
      }
      w.EndArray();
    }
    w.Key("schema_versions");
    w.BeginArray();
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  res->SetJson(200, out);
}

void DashboardApi::Query(const Request& req, Response* res, const Principal& who) {
  if (!options_.query) return res->SetError(501, "this server has no SQL engine");
  simdjson::dom::parser parser;
  simdjson::padded_string body(req.body());
  simdjson::dom::element root;
  std::string_view sql;
  if (parser.parse(body).get(root) || root["sql"].get_string().get(sql)) {
    return res->SetError(400, "the body must be {\"sql\": \"...\", \"offset\": 0, \"limit\": 100}",
                         "sql");
  }
  uint64_t offset = 0, limit = 100;
  simdjson::dom::element v;
  if (!root["offset"].get(v) && (v.get_uint64().get(offset) || offset > 100'000'000)) {
    return res->SetError(400, "offset: must be a whole number up to 100000000", "offset");
  }
  if (!root["limit"].get(v) && (v.get_uint64().get(limit) || limit < 1 || limit > 10'000)) {
    return res->SetError(400, "limit: must be a whole number from 1 to 10000", "limit");
  }
  SqlPage page;
  SqlError error;
  const int64_t start = MonotonicMicros();
  Status st = options_.query(std::string(sql), offset, limit, &page, &error,
                             /*mask_personal_data=*/who.role < Role::kAnalyst);
  if (!st.ok()) {
    std::string out;
    JsonWriter w(&out);
    w.BeginObject();
    w.Key("error");
    w.BeginObject();
    w.Field("parameter", "sql");
    w.Field("message", error.message.empty() ? st.message() : error.message);
    if (error.position >= 0) w.Field("position", error.position);
    w.EndObject();
    w.EndObject();
    return res->SetJson(st.code() == StatusCode::kInvalidArgument ? 400 : 500, out);
  }
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("columns");
  w.BeginArray();
  for (size_t i = 0; i < page.columns.size(); ++i) {
    w.BeginObject();
    w.Field("name", page.columns[i]);
    w.Field("type", i < page.types.size() ? page.types[i] : "");
    w.EndObject();
  }
  w.EndArray();
  w.Key("rows");
  w.BeginArray();
  for (const auto& row : page.rows) {
    w.BeginArray();
    for (const std::string& cell : row) w.Raw(cell);
    w.EndArray();
  }
  w.EndArray();
  w.Field("offset", offset);
  w.Field("limit", limit);
  w.Field("more", page.more);
  w.Field("elapsed_ms", static_cast<double>(MonotonicMicros() - start) / 1000.0);
  w.EndObject();
  res->SetJson(200, out);
}

}  // namespace saleslake::web

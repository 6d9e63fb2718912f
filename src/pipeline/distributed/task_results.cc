#include "pipeline/distributed/task_results.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <type_traits>

#include "base/cli.h"
#include "base/json_writer.h"
#include "lake/ledger_json.h"
#include "pipeline/lake_schemas.h"

namespace saleslake::pipeline::distributed {
namespace {

template <typename T>
bool ParseNumber(std::string_view text, T* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

void WriteSegments(JsonWriter* w, std::string_view key, const std::vector<Segment>& segments) {
  w->Key(key);
  w->BeginArray();
  for (const Segment& s : segments) {
    w->BeginArray();
    w->Int(s.key);
    w->Uint(s.offset);
    w->Uint(s.length);
    w->Uint(s.rows);
    w->EndArray();
  }
  w->EndArray();
}

// Strict reading of a task's result: a missing or mistyped field is Corruption.
class Reader {
 public:
  explicit Reader(std::string_view what) : what_(what) {}
  Status Bad(std::string_view field) const {
    return Status::Corruption(
        fmt::format("the {} result of a task is unreadable (field '{}')", what_, field));
  }
  Status Str(simdjson::dom::object o, std::string_view key, std::string* out) const {
    std::string_view v;
    if (o[key].get_string().get(v)) return Bad(key);
    out->assign(v);
    return Status::OK();
  }
  template <typename T>
  Status Num(simdjson::dom::object o, std::string_view key, T* out) const {
    if constexpr (std::is_signed_v<T>) {
      int64_t v;
      if (o[key].get_int64().get(v)) return Bad(key);
      *out = static_cast<T>(v);
    } else {
      uint64_t v;
      if (o[key].get_uint64().get(v)) return Bad(key);
      *out = static_cast<T>(v);
    }
    return Status::OK();
  }
  Status Segments(simdjson::dom::object o, std::string_view key, std::vector<Segment>* out) const {
    simdjson::dom::array a;
    if (o[key].get_array().get(a)) return Bad(key);
    for (simdjson::dom::element e : a) {
      simdjson::dom::array s;
      Segment seg;
      if (e.get_array().get(s) || s.size() != 4 || s.at(0).get_int64().get(seg.key) ||
          s.at(1).get_uint64().get(seg.offset) || s.at(2).get_uint64().get(seg.length) ||
          s.at(3).get_uint64().get(seg.rows)) {
        return Bad(key);
      }
      out->push_back(seg);
    }
    return Status::OK();
  }

 private:
  std::string_view what_;
};

}  // namespace

std::string TransformTaskInput::Encode() const {
  std::string out = fmt::format("offset={}\nnow={}\nrebuild={}\nproducts={}\nstores={}\nbase={}\n",
                                business_utc_offset_seconds, now_micros, rebuild ? 1 : 0,
                                reference_products, reference_stores, base_seq);
  if (!batch.empty()) out += fmt::format("batch={}\nordinal={}\n", batch, ordinal);
  if (day != INT64_MIN) out += fmt::format("day={}\n", day);
  return out;
}

Result<TransformTaskInput> TransformTaskInput::Decode(std::string_view text) {
  TransformTaskInput in;
  bool ok = true;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "offset") ok = ok && ParseNumber(value, &in.business_utc_offset_seconds);
    if (key == "now") ok = ok && ParseNumber(value, &in.now_micros);
    if (key == "rebuild") in.rebuild = value == "1";
    if (key == "products") in.reference_products = value;
    if (key == "stores") in.reference_stores = value;
    if (key == "base") ok = ok && ParseNumber(value, &in.base_seq);
    if (key == "batch") in.batch = value;
    if (key == "ordinal") ok = ok && ParseNumber(value, &in.ordinal);
    if (key == "day") ok = ok && ParseNumber(value, &in.day);
  }
  if (!ok) return Status::Corruption("a transform task's input is unreadable");
  return in;
}

std::vector<lake::TaskSpec> RunTasks(const TransformTaskInput& options,
                                     const std::vector<std::string>& batches) {
  std::vector<lake::TaskSpec> tasks;
  for (size_t i = 0; i < batches.size(); ++i) {
    TransformTaskInput map = options;
    map.batch = batches[i];
    map.ordinal = static_cast<int64_t>(i);
    tasks.push_back({0, "map", map.Encode()});
  }
  tasks.push_back({2, "finalize", options.Encode()});
  return tasks;
}

Result<std::unique_ptr<ResolvedOptions>> ResolveOptions(const TransformTaskInput& in, int threads) {
  auto out = std::make_unique<ResolvedOptions>();
  TransformOptions& t = out->options;
  t.business_utc_offset_seconds = in.business_utc_offset_seconds;
  t.now_micros = in.now_micros;
  t.rebuild = in.rebuild;
  t.threads = threads;
  if (!in.reference_products.empty() || !in.reference_stores.empty()) {
    CLI::App app;
    out->reference.Add(&app);
    std::vector<std::string> args;
    if (!in.reference_stores.empty()) {
      args.push_back(in.reference_stores);
      args.push_back("--reference-stores");
    }
    if (!in.reference_products.empty()) {
      args.push_back(in.reference_products);
      args.push_back("--reference-products");
    }
    try {
      app.parse(args);  // CLI11 takes the arguments in reverse order
    } catch (const CLI::ParseError& e) {
      return Status::InvalidArgument(std::string("transform task: ") + e.what());
    }
  }
  SL_RETURN_IF_ERROR(out->reference.Resolve(&t.reference, &t.reference_name));
  return out;
}

lake::LedgerState RunState(const lake::LedgerState& state, bool rebuild,
                           std::vector<std::string>* derived) {
  lake::LedgerState out = state;
  if (!rebuild) return out;
  for (auto it = out.files.begin(); it != out.files.end();) {
    const std::string& table = it->second.table;
    if (table.rfind("main/", 0) == 0 || table.rfind("quarantine/", 0) == 0) {
      if (derived != nullptr) derived->push_back(it->first);
      it = out.files.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [id, b] : out.batches) b.transform_seq = 0;
  return out;
}

Status CheckBase(const lake::LedgerState& state, const TransformTaskInput& in) {
  if (state.last_seq == in.base_seq) return Status::OK();
  return Status::Aborted(
      fmt::format("the lake changed under the run (it started at commit {}, the log is at {}): "
                  "run the transform again",
                  in.base_seq, state.last_seq));
}

std::string WorkPath(std::string_view run_id, std::string_view name) {
  return fmt::format("{}/{}/{}", lake::kWorkDir, run_id, name);
}

std::string MapResult::ToJson() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("batch", batch);
  w.Field("ordinal", ordinal);
  w.Field("rows_in", rows_in);
  w.Field("source", source);
  w.Field("ingested_at", ingested_at);
  w.Field("quarantine_partition", quarantine_partition);
  w.Field("file", file);
  WriteSegments(&w, "days", days);
  WriteSegments(&w, "quarantine", quarantine);
  w.Key("reasons");
  w.BeginObject();
  for (const auto& [reason, n] : reasons) w.Field(reason, n);
  w.EndObject();
  w.EndObject();
  return out;
}

Result<MapResult> MapResult::Parse(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  Reader r("map");
  if (parser.parse(json.data(), json.size()).get_object().get(o)) return r.Bad("(json)");
  MapResult m;
  SL_RETURN_IF_ERROR(r.Str(o, "batch", &m.batch));
  SL_RETURN_IF_ERROR(r.Num(o, "ordinal", &m.ordinal));
  SL_RETURN_IF_ERROR(r.Num(o, "rows_in", &m.rows_in));
  SL_RETURN_IF_ERROR(r.Str(o, "source", &m.source));
  SL_RETURN_IF_ERROR(r.Num(o, "ingested_at", &m.ingested_at));
  SL_RETURN_IF_ERROR(r.Str(o, "quarantine_partition", &m.quarantine_partition));
  SL_RETURN_IF_ERROR(r.Str(o, "file", &m.file));
  SL_RETURN_IF_ERROR(r.Segments(o, "days", &m.days));
  SL_RETURN_IF_ERROR(r.Segments(o, "quarantine", &m.quarantine));
  simdjson::dom::object reasons;
  if (o["reasons"].get_object().get(reasons)) return r.Bad("reasons");
  for (auto field : reasons) {
    uint64_t n;
    if (field.value.get_uint64().get(n)) return r.Bad("reasons");
    m.reasons[std::string(field.key)] = n;
  }
  return m;
}

std::string ReduceResult::ToJson() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("day", day);
  w.Field("kept", kept);
  w.Field("dropped", dropped);
  w.Key("added");
  w.BeginArray();
  for (const lake::LedgerFile& f : added) lake::WriteLedgerFile(&w, f);
  w.EndArray();
  w.Key("removed");
  w.BeginArray();
  for (const std::string& p : removed) w.String(p);
  w.EndArray();
  w.Field("file", file);
  WriteSegments(&w, "conflicts", conflicts);
  w.EndObject();
  return out;
}

Result<ReduceResult> ReduceResult::Parse(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  Reader r("reduce");
  if (parser.parse(json.data(), json.size()).get_object().get(o)) return r.Bad("(json)");
  ReduceResult m;
  SL_RETURN_IF_ERROR(r.Num(o, "day", &m.day));
  SL_RETURN_IF_ERROR(r.Num(o, "kept", &m.kept));
  SL_RETURN_IF_ERROR(r.Num(o, "dropped", &m.dropped));
  simdjson::dom::array added, removed;
  if (o["added"].get_array().get(added)) return r.Bad("added");
  for (simdjson::dom::element e : added) {
    simdjson::dom::object f;
    if (e.get_object().get(f)) return r.Bad("added");
    lake::LedgerFile file;
    SL_RETURN_IF_ERROR(r.Str(f, "path", &file.path));
    SL_RETURN_IF_ERROR(r.Str(f, "table", &file.table));
    SL_RETURN_IF_ERROR(r.Str(f, "partition", &file.partition));
    SL_RETURN_IF_ERROR(r.Num(f, "rows", &file.rows));
    SL_RETURN_IF_ERROR(r.Num(f, "bytes", &file.bytes));
    m.added.push_back(std::move(file));
  }
  if (o["removed"].get_array().get(removed)) return r.Bad("removed");
  for (simdjson::dom::element e : removed) {
    std::string_view p;
    if (e.get_string().get(p)) return r.Bad("removed");
    m.removed.emplace_back(p);
  }
  SL_RETURN_IF_ERROR(r.Str(o, "file", &m.file));
  SL_RETURN_IF_ERROR(r.Segments(o, "conflicts", &m.conflicts));
  return m;
}

Result<std::vector<MapResult>> MapResultsOf(lake::TaskQueue& queue, std::string_view run_id) {
  SL_ASSIGN_OR_RETURN(std::vector<std::string> results, queue.PhaseResults(run_id, 0));
  std::vector<MapResult> maps(results.size());
  std::vector<bool> seen(results.size(), false);
  for (const std::string& json : results) {
    SL_ASSIGN_OR_RETURN(MapResult m, MapResult::Parse(json));
    if (m.ordinal < 0 || static_cast<size_t>(m.ordinal) >= maps.size() ||
        seen[static_cast<size_t>(m.ordinal)]) {
      return Status::Corruption(
          fmt::format("run {}: the map results do not cover its batches once each (ordinal {})",
                      run_id, m.ordinal));
    }
    seen[static_cast<size_t>(m.ordinal)] = true;
    maps[static_cast<size_t>(m.ordinal)] = std::move(m);
  }
  return maps;
}

Result<std::string> SaleColumnsBytes(const SaleColumns& columns) {
  // Another process reads them back, without this one's catalog: the fields go as strings.
  if (columns.catalog() != nullptr) {
    SaleColumns plain = columns;
    plain.Uncode();
    return SaleColumnsBytes(plain);
  }
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* f = open_memstream(&buffer, &size);
  if (f == nullptr) return Status::IOError("transform task: cannot open a memory stream");
  Result<uint64_t> written = columns.WriteTo(f);
  std::fclose(f);
  std::string out(buffer == nullptr ? "" : std::string(buffer, size));
  std::free(buffer);
  if (!written.ok()) return written.status();
  if (*written != out.size()) return Status::Internal("transform task: a day's chunk is cut");
  return out;
}

Status AppendSaleColumns(std::string_view bytes, SaleColumns* out) {
  if (bytes.empty()) return Status::OK();
  std::FILE* f = fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb");
  if (f == nullptr) return Status::IOError("transform task: cannot open a memory stream");
  Status st = out->AppendFrom(f, bytes.size());
  std::fclose(f);
  return st;
}

Status ReadSegment(io::RandomAccessFile& file, const Segment& segment, std::string* out) {
  return file.ReadAt(segment.offset, segment.length, out);
}

}  // namespace saleslake::pipeline::distributed

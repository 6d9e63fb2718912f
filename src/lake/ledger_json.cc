#include "lake/ledger_json.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "base/json_writer.h"

namespace saleslake::lake {

void WriteLedgerFile(JsonWriter* w, const LedgerFile& f) {
  w->BeginObject();
  w->Field("path", f.path);
  w->Field("table", f.table);
  w->Field("partition", f.partition);
  w->Field("rows", f.rows);
  w->Field("bytes", f.bytes);
  w->EndObject();
}

namespace {

void WriteStrings(JsonWriter* w, std::string_view key, const std::vector<std::string>& v) {
  w->Key(key);
  w->BeginArray();
  for (const std::string& s : v) w->String(s);
  w->EndArray();
}

// Strict accessors: a missing or mistyped field is Corruption naming the document and the field.
class Doc {
 public:
  explicit Doc(std::string_view where) : where_(where) {}

  Status Bad(std::string_view what) const {
    return Status::Corruption(fmt::format("{}: {}", where_, what));
  }
  Status String(simdjson::dom::object o, std::string_view key, std::string* out) const {
    std::string_view v;
    if (o[key].get_string().get(v)) return Bad(fmt::format("field '{}' is not a string", key));
    out->assign(v);
    return Status::OK();
  }
  Status Uint(simdjson::dom::object o, std::string_view key, uint64_t* out) const {
    if (o[key].get_uint64().get(*out)) {
      return Bad(fmt::format("field '{}' is not an unsigned integer", key));
    }
    return Status::OK();
  }
  Status Int(simdjson::dom::object o, std::string_view key, int64_t* out) const {
    if (o[key].get_int64().get(*out)) return Bad(fmt::format("field '{}' is not an integer", key));
    return Status::OK();
  }
  Status Strings(simdjson::dom::object o, std::string_view key,
                 std::vector<std::string>* out) const {
    simdjson::dom::array a;
    if (o[key].get_array().get(a)) return Bad(fmt::format("field '{}' is not an array", key));
    for (simdjson::dom::element e : a) {
      std::string_view s;
      if (e.get_string().get(s)) return Bad(fmt::format("field '{}' holds a non-string", key));
      out->emplace_back(s);
    }
    return Status::OK();
  }
  Status File(simdjson::dom::element e, LedgerFile* f) const {
    simdjson::dom::object o;
    if (e.get_object().get(o)) return Bad("a file entry is not an object");
    SL_RETURN_IF_ERROR(String(o, "path", &f->path));
    SL_RETURN_IF_ERROR(String(o, "table", &f->table));
    SL_RETURN_IF_ERROR(String(o, "partition", &f->partition));
    SL_RETURN_IF_ERROR(Uint(o, "rows", &f->rows));
    return Uint(o, "bytes", &f->bytes);
  }
  Status Files(simdjson::dom::object o, std::string_view key, std::vector<LedgerFile>* out) const {
    simdjson::dom::array a;
    if (o[key].get_array().get(a)) return Bad(fmt::format("field '{}' is not an array", key));
    for (simdjson::dom::element e : a) {
      LedgerFile f;
      SL_RETURN_IF_ERROR(File(e, &f));
      out->push_back(std::move(f));
    }
    return Status::OK();
  }
  Status Root(simdjson::dom::parser* parser, std::string_view json, simdjson::dom::object* out,
              uint32_t* format_out) const {
    simdjson::padded_string padded(json);
    simdjson::dom::element root;
    if (auto err = parser->parse(padded).get(root); err) {
      return Bad(fmt::format("not valid JSON ({})", simdjson::error_message(err)));
    }
    if (root.get_object().get(*out)) return Bad("not a JSON object");
    uint64_t format = 0;
    SL_RETURN_IF_ERROR(Uint(*out, "format", &format));
    if (format < kOldestLedgerFormat || format > kLedgerFormat) {
      return Status::NotSupported(fmt::format(
          "{}: ledger format {} is not one this saleslake understands ({} to {}); upgrade "
          "saleslake",
          where_, format, kOldestLedgerFormat, kLedgerFormat));
    }
    *format_out = static_cast<uint32_t>(format);
    return Status::OK();
  }

 private:
  std::string_view where_;
};

}  // namespace

std::string CommitToJson(const LedgerCommit& c) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("format", static_cast<uint64_t>(kLedgerFormat));
  w.Field("seq", c.seq);
  w.Field("kind", c.kind);
  w.Field("run_id", c.run_id);
  w.Field("committed_at", c.committed_at_micros);
  w.Key("added");
  w.BeginArray();
  for (const LedgerFile& f : c.added) WriteLedgerFile(&w, f);
  w.EndArray();
  WriteStrings(&w, "removed", c.removed);
  WriteStrings(&w, "landed_batches", c.landed_batches);
  WriteStrings(&w, "consumed_batches", c.consumed_batches);
  w.Key("details");
  w.Raw(c.details_json.empty() ? "{}" : c.details_json);
  w.EndObject();
  out.push_back('\n');
  return out;
}

Result<LedgerCommit> CommitFromJson(std::string_view json, std::string_view where) {
  Doc doc(where);
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  LedgerCommit c;
  SL_RETURN_IF_ERROR(doc.Root(&parser, json, &o, &c.format));
  SL_RETURN_IF_ERROR(doc.Uint(o, "seq", &c.seq));
  SL_RETURN_IF_ERROR(doc.String(o, "kind", &c.kind));
  SL_RETURN_IF_ERROR(doc.String(o, "run_id", &c.run_id));
  SL_RETURN_IF_ERROR(doc.Int(o, "committed_at", &c.committed_at_micros));
  SL_RETURN_IF_ERROR(doc.Files(o, "added", &c.added));
  SL_RETURN_IF_ERROR(doc.Strings(o, "removed", &c.removed));
  SL_RETURN_IF_ERROR(doc.Strings(o, "landed_batches", &c.landed_batches));
  SL_RETURN_IF_ERROR(doc.Strings(o, "consumed_batches", &c.consumed_batches));
  simdjson::dom::object details;
  if (o["details"].get_object().get(details)) return doc.Bad("field 'details' is not an object");
  c.details_json = simdjson::minify(details);
  return c;
}

std::string StateToJson(const LedgerState& state) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("format", static_cast<uint64_t>(kLedgerFormat));
  w.Field("seq", state.last_seq);
  w.Key("files");
  w.BeginArray();
  for (const auto& [path, f] : state.files) WriteLedgerFile(&w, f);
  w.EndArray();
  w.Key("batches");
  w.BeginArray();
  for (const auto& [id, b] : state.batches) {
    w.BeginObject();
    w.Field("id", b.id);
    w.Field("extract_seq", b.extract_seq);
    w.Field("transform_seq", b.transform_seq);
    w.EndObject();
  }
  w.EndArray();
  w.Field("origin", state.origin);
  w.Key("table_versions");
  w.BeginArray();
  for (const auto& [table, version] : state.table_versions) {
    w.BeginObject();
    w.Field("table", table);
    w.Field("version", version);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out.push_back('\n');
  return out;
}

Result<LedgerState> StateFromJson(std::string_view json, std::string_view where) {
  Doc doc(where);
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  LedgerState state;
  SL_RETURN_IF_ERROR(doc.Root(&parser, json, &o, &state.format));
  SL_RETURN_IF_ERROR(doc.Uint(o, "seq", &state.last_seq));
  std::vector<LedgerFile> files;
  SL_RETURN_IF_ERROR(doc.Files(o, "files", &files));
  for (LedgerFile& f : files) state.files[f.path] = std::move(f);
  simdjson::dom::array batches;
  if (o["batches"].get_array().get(batches)) return doc.Bad("field 'batches' is not an array");
  for (simdjson::dom::element e : batches) {
    simdjson::dom::object b;
    if (e.get_object().get(b)) return doc.Bad("a batch entry is not an object");
    BatchRecord r;
    SL_RETURN_IF_ERROR(doc.String(b, "id", &r.id));
    SL_RETURN_IF_ERROR(doc.Uint(b, "extract_seq", &r.extract_seq));
    SL_RETURN_IF_ERROR(doc.Uint(b, "transform_seq", &r.transform_seq));
    state.batches[r.id] = std::move(r);
  }
  if (state.format >= 2) {
    SL_RETURN_IF_ERROR(doc.String(o, "origin", &state.origin));
    simdjson::dom::array versions;
    if (o["table_versions"].get_array().get(versions)) {
      return doc.Bad("field 'table_versions' is not an array");
    }
    for (simdjson::dom::element e : versions) {
      simdjson::dom::object v;
      if (e.get_object().get(v)) return doc.Bad("a table version is not an object");
      std::string table;
      uint64_t version = 0;
      SL_RETURN_IF_ERROR(doc.String(v, "table", &table));
      SL_RETURN_IF_ERROR(doc.Uint(v, "version", &version));
      state.table_versions[table] = version;
    }
  } else {
    // Format 1 did not record versions: the checkpoint's commit is the newest one known.
    for (const auto& [path, f] : state.files) state.table_versions[f.table] = state.last_seq;
  }
  return state;
}

}  // namespace saleslake::lake

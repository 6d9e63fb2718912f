#include "sql/pgwire/pg_messages.h"

namespace saleslake::sql::pgwire {
namespace {

// A cursor over one message body; every read is bounds-checked.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool Int16(int16_t* v) {
    if (data_.size() < 2) return false;
    *v = static_cast<int16_t>((static_cast<uint8_t>(data_[0]) << 8) |
                              static_cast<uint8_t>(data_[1]));
    data_.remove_prefix(2);
    return true;
  }
  bool Int32(int32_t* v) {
    if (data_.size() < 4) return false;
    uint32_t u = 0;
    for (int i = 0; i < 4; ++i) u = (u << 8) | static_cast<uint8_t>(data_[static_cast<size_t>(i)]);
    *v = static_cast<int32_t>(u);
    data_.remove_prefix(4);
    return true;
  }
  bool CString(std::string* s) {
    size_t nul = data_.find('\0');
    if (nul == std::string_view::npos) return false;
    s->assign(data_.substr(0, nul));
    data_.remove_prefix(nul + 1);
    return true;
  }
  bool Bytes(size_t n, std::string* s) {
    if (data_.size() < n) return false;
    s->assign(data_.substr(0, n));
    data_.remove_prefix(n);
    return true;
  }
  bool Byte(char* c) {
    if (data_.empty()) return false;
    *c = data_[0];
    data_.remove_prefix(1);
    return true;
  }
  size_t left() const { return data_.size(); }
  bool done() const { return data_.empty(); }

 private:
  std::string_view data_;
};

Status Bad(std::string_view what) {
  return Status::InvalidArgument("malformed " + std::string(what) + " message");
}

// A count of entries each taking at least `min_bytes`: negative or more than the rest can hold is
// refused before anything is allocated.
bool Count(Reader& r, size_t min_bytes, size_t* n) {
  int16_t v = 0;
  if (!r.Int16(&v) || v < 0) return false;
  *n = static_cast<size_t>(v);
  return *n * min_bytes <= r.left();
}

bool Formats(Reader& r, std::vector<int16_t>* out) {
  size_t n = 0;
  if (!Count(r, 2, &n)) return false;
  out->resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (!r.Int16(&(*out)[i]) || ((*out)[i] != 0 && (*out)[i] != 1)) return false;
  }
  return true;
}

}  // namespace

std::string StartupPacket::Parameter(std::string_view name) const {
  for (const auto& [k, v] : parameters) {
    if (k == name) return v;
  }
  return "";
}

Result<StartupPacket> ParseStartup(std::string_view body) {
  Reader r(body);
  StartupPacket p;
  if (!r.Int32(&p.code)) return Bad("startup");
  if (p.code == kCancelRequest) {
    if (!r.Int32(&p.cancel_pid) || !r.Int32(&p.cancel_secret) || !r.done()) {
      return Bad("cancel request");
    }
    return p;
  }
  if (p.code != kProtocolV3) return p;  // SSL/GSS requests and other versions: the caller says
  while (true) {
    std::string key, value;
    if (!r.CString(&key)) return Bad("startup");
    if (key.empty()) break;
    if (!r.CString(&value) || p.parameters.size() >= 64) return Bad("startup");
    p.parameters.emplace_back(std::move(key), std::move(value));
  }
  if (!r.done()) return Bad("startup");
  return p;
}

Result<std::string> ParseQuery(std::string_view body) {
  Reader r(body);
  std::string q;
  if (!r.CString(&q) || !r.done()) return Bad("Query");
  return q;
}

Result<ParseMessage> ParseParse(std::string_view body) {
  Reader r(body);
  ParseMessage m;
  size_t n = 0;
  if (!r.CString(&m.statement) || !r.CString(&m.query) || !Count(r, 4, &n)) return Bad("Parse");
  m.parameter_types.resize(n);
  for (size_t i = 0; i < n; ++i) {
    int32_t oid = 0;
    if (!r.Int32(&oid)) return Bad("Parse");
    m.parameter_types[i] = static_cast<uint32_t>(oid);
  }
  if (!r.done()) return Bad("Parse");
  return m;
}

Result<BindMessage> ParseBind(std::string_view body) {
  Reader r(body);
  BindMessage m;
  size_t n = 0;
  if (!r.CString(&m.portal) || !r.CString(&m.statement) || !Formats(r, &m.parameter_formats) ||
      !Count(r, 4, &n)) {
    return Bad("Bind");
  }
  m.values.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    int32_t len = 0;
    if (!r.Int32(&len) || len < -1) return Bad("Bind");
    if (len == -1) {
      m.values.emplace_back(std::nullopt);
      continue;
    }
    std::string v;
    if (!r.Bytes(static_cast<size_t>(len), &v)) return Bad("Bind");
    m.values.emplace_back(std::move(v));
  }
  if (!Formats(r, &m.result_formats) || !r.done()) return Bad("Bind");
  if (m.parameter_formats.size() > 1 && m.parameter_formats.size() != m.values.size()) {
    return Bad("Bind (parameter format count)");
  }
  return m;
}

Result<DescribeMessage> ParseDescribe(std::string_view body) {
  Reader r(body);
  DescribeMessage m;
  if (!r.Byte(&m.kind) || (m.kind != 'S' && m.kind != 'P') || !r.CString(&m.name) || !r.done()) {
    return Bad("Describe/Close");
  }
  return m;
}

Result<ExecuteMessage> ParseExecute(std::string_view body) {
  Reader r(body);
  ExecuteMessage m;
  if (!r.CString(&m.portal) || !r.Int32(&m.max_rows) || !r.done() || m.max_rows < 0) {
    return Bad("Execute");
  }
  return m;
}

Result<std::pair<std::string, std::string>> ParseSaslInitial(std::string_view body) {
  Reader r(body);
  std::string mechanism, data;
  int32_t len = 0;
  if (!r.CString(&mechanism) || !r.Int32(&len) || len < -1) return Bad("SASLInitialResponse");
  if (len > 0 && !r.Bytes(static_cast<size_t>(len), &data)) return Bad("SASLInitialResponse");
  if (!r.done()) return Bad("SASLInitialResponse");
  return std::make_pair(mechanism, data);
}

Result<std::string> ParsePassword(std::string_view body) {
  Reader r(body);
  std::string password;
  if (!r.CString(&password) || !r.done()) return Bad("PasswordMessage");
  return password;
}

void MessageWriter::Begin(char type) {
  start_ = out_.size();
  out_.push_back(type);
  out_.append(4, '\0');
}

void MessageWriter::Int16(int16_t v) {
  const auto u = static_cast<uint16_t>(v);
  out_.push_back(static_cast<char>(u >> 8));
  out_.push_back(static_cast<char>(u & 0xff));
}

void MessageWriter::Int32(int32_t v) {
  const auto u = static_cast<uint32_t>(v);
  for (int shift = 24; shift >= 0; shift -= 8)
    out_.push_back(static_cast<char>((u >> shift) & 0xff));
}

void MessageWriter::CString(std::string_view s) {
  for (char c : s) {
    if (c != '\0') out_.push_back(c);
  }
  out_.push_back('\0');
}

void MessageWriter::End() {
  const auto len = static_cast<uint32_t>(out_.size() - start_ - 1);
  for (int i = 0; i < 4; ++i) {
    out_[start_ + 1 + static_cast<size_t>(i)] = static_cast<char>((len >> (24 - 8 * i)) & 0xff);
  }
}

void WriteAuthentication(MessageWriter& w, int32_t code, std::string_view data) {
  w.Begin('R');
  w.Int32(code);
  w.Bytes(data);
  w.End();
}

void WriteParameterStatus(MessageWriter& w, std::string_view name, std::string_view value) {
  w.Begin('S');
  w.CString(name);
  w.CString(value);
  w.End();
}

void WriteReadyForQuery(MessageWriter& w, char status) {
  w.Begin('Z');
  w.Byte(status);
  w.End();
}

void WriteCommandComplete(MessageWriter& w, std::string_view tag) {
  w.Begin('C');
  w.CString(tag);
  w.End();
}

void WriteError(MessageWriter& w, std::string_view severity, std::string_view sqlstate,
                std::string_view message, int position) {
  w.Begin('E');
  w.Byte('S');
  w.CString(severity);
  w.Byte('V');
  w.CString(severity);
  w.Byte('C');
  w.CString(sqlstate);
  w.Byte('M');
  w.CString(message);
  if (position > 0) {
    w.Byte('P');
    w.CString(std::to_string(position));
  }
  w.Byte('\0');
  w.End();
}

void WriteNotice(MessageWriter& w, std::string_view message) {
  w.Begin('N');
  w.Byte('S');
  w.CString("NOTICE");
  w.Byte('V');
  w.CString("NOTICE");
  w.Byte('C');
  w.CString("00000");
  w.Byte('M');
  w.CString(message);
  w.Byte('\0');
  w.End();
}

}  // namespace saleslake::sql::pgwire

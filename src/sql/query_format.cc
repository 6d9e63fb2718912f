#include "sql/query_format.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <optional>

#include "base/decimal.h"
#include "base/json_writer.h"

namespace saleslake::sql {
namespace {

// The shortest text that reads back as the same double: an exact decimal sum shows its paise.
std::string ShortestDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, p);
  // to_chars picks exponent form for large or tiny values; plain digits read better up to 1e21.
  if (s.find('e') != std::string::npos && std::fabs(v) < 1e21 && std::fabs(v) >= 1e-6) {
    auto [q, ec2] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    s.assign(buf, q);
  }
  return s;
}

std::string Hex(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// A REAL standing for a decimal of `scale` digits, with exactly those digits; nullopt when the
// double is beyond the range where it is exact (|v| * 10^scale >= 2^53) or not finite.
std::optional<std::string> ScaledText(double v, int scale) {
  if (scale < 0 || scale > 18 || !std::isfinite(v)) return std::nullopt;
  const double scaled = v * std::pow(10.0, scale);
  if (std::fabs(scaled) >= 9007199254740992.0) return std::nullopt;
  return FormatScaledDecimal(std::llround(scaled), scale);
}

void WriteCell(JsonWriter* w, const Value& v, int scale = -1) {
  if (std::holds_alternative<std::monostate>(v)) {
    w->Null();
  } else if (const auto* i = std::get_if<int64_t>(&v)) {
    w->Int(*i);
  } else if (const auto* d = std::get_if<double>(&v)) {
    if (std::optional<std::string> text = ScaledText(*d, scale)) {
      w->Raw(*text);
    } else if (std::isfinite(*d)) {
      w->Raw(ShortestDouble(*d));
    } else {
      w->Null();
    }
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    w->String(*s);
  } else {
    w->String(Hex(std::get<Blob>(v).bytes));
  }
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;  // count UTF-8 code points
  return n;
}

std::string TableCell(const Value& v, const QueryColumn& column);

}  // namespace

std::string CellText(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return "";
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return ShortestDouble(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "x'" + Hex(std::get<Blob>(v).bytes) + "'";
}

std::string CellText(const Value& v, const QueryColumn& column) {
  if (const auto* d = std::get_if<double>(&v)) {
    if (std::optional<std::string> text = ScaledText(*d, column.scale)) return *text;
  }
  return CellText(v);
}

namespace {
std::string TableCell(const Value& v, const QueryColumn& column) {
  return std::holds_alternative<std::monostate>(v) ? "NULL" : CellText(v, column);
}
}  // namespace

std::string QueryResultToJson(const QueryResult& r) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("columns");
  w.BeginArray();
  for (const QueryColumn& c : r.columns) {
    w.BeginObject();
    w.Field("name", c.name);
    w.Field("type", c.declared_type);
    w.EndObject();
  }
  w.EndArray();
  w.Key("rows");
  w.BeginArray();
  for (const auto& row : r.rows) {
    w.BeginArray();
    for (size_t i = 0; i < row.size(); ++i) {
      WriteCell(&w, row[i], i < r.columns.size() ? r.columns[i].scale : -1);
    }
    w.EndArray();
  }
  w.EndArray();
  w.Key("truncated");
  w.Bool(r.truncated);
  w.Key("columnar");
  w.Bool(r.columnar);
  w.Key("elapsed_ms");
  w.Double(r.elapsed_seconds * 1000);
  w.Key("scan");
  w.BeginObject();
  w.Field("files_total", r.scan.files_total);
  w.Field("files_pruned", r.scan.files_pruned);
  w.Field("files_opened", r.scan.files_opened);
  w.Field("row_groups_total", r.scan.row_groups_total);
  w.Field("row_groups_read", r.scan.row_groups_read);
  w.Field("row_groups_pruned", r.scan.row_groups_pruned);
  w.Field("rows_read", r.scan.rows_read);
  w.EndObject();
  w.EndObject();
  return out;
}

Result<ResultFormat> ParseResultFormat(const std::string& name) {
  if (name == "table") return ResultFormat::kTable;
  if (name == "csv") return ResultFormat::kCsv;
  if (name == "json") return ResultFormat::kJson;
  if (name == "ndjson") return ResultFormat::kNdjson;
  return Status::InvalidArgument(
      fmt::format("unknown format '{}': use table, csv, json or ndjson", name));
}

std::string FormatResult(const QueryResult& r, ResultFormat format) {
  std::string out;
  switch (format) {
    case ResultFormat::kJson:
      return QueryResultToJson(r) + "\n";
    case ResultFormat::kNdjson:
      for (const auto& row : r.rows) {
        JsonWriter w(&out);
        w.BeginObject();
        for (size_t i = 0; i < row.size(); ++i) {
          w.Key(r.columns[i].name);
          WriteCell(&w, row[i], r.columns[i].scale);
        }
        w.EndObject();
        out += '\n';
      }
      return out;
    case ResultFormat::kCsv:
      for (size_t i = 0; i < r.columns.size(); ++i) {
        out += (i ? "," : "") + CsvField(r.columns[i].name);
      }
      out += '\n';
      for (const auto& row : r.rows) {
        for (size_t i = 0; i < row.size(); ++i) {
          out += (i ? "," : "") + CsvField(CellText(row[i], r.columns[i]));
        }
        out += '\n';
      }
      return out;
    case ResultFormat::kTable: {
      std::vector<size_t> width(r.columns.size());
      std::vector<bool> numeric(r.columns.size(), true);
      for (size_t i = 0; i < r.columns.size(); ++i) width[i] = DisplayWidth(r.columns[i].name);
      for (const auto& row : r.rows) {
        for (size_t i = 0; i < row.size(); ++i) {
          width[i] = std::max(width[i], DisplayWidth(TableCell(row[i], r.columns[i])));
          if (std::holds_alternative<std::string>(row[i]) || std::holds_alternative<Blob>(row[i])) {
            numeric[i] = false;
          }
        }
      }
      auto cell = [&](const std::string& s, size_t i, bool right) {
        const std::string pad(width[i] - DisplayWidth(s), ' ');
        out += right ? pad + s : s + pad;
      };
      for (size_t i = 0; i < r.columns.size(); ++i) {
        out += i ? " | " : "";
        cell(r.columns[i].name, i, false);
      }
      out += '\n';
      for (size_t i = 0; i < r.columns.size(); ++i) {
        out += i ? "-+-" : "";
        out += std::string(width[i], '-');
      }
      out += '\n';
      for (const auto& row : r.rows) {
        for (size_t i = 0; i < row.size(); ++i) {
          out += i ? " | " : "";
          cell(TableCell(row[i], r.columns[i]), i, numeric[i]);
        }
        out += '\n';
      }
      out += fmt::format("({} row{}{}, {:.1f} ms)\n", r.rows.size(), r.rows.size() == 1 ? "" : "s",
                         r.truncated ? ", truncated" : "", r.elapsed_seconds * 1000);
      return out;
    }
  }
  return out;
}

}  // namespace saleslake::sql

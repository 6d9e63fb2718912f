// The Trino rewrite: bottom-up over the token tree (sql_tokens.h), each parenthesised run before
// the run around it, so that an operand is always already in its final form.
#include "sql/dialect/dialect.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "sql/dialect/dialect_internal.h"
#include "sql/dialect/sql_tokens.h"
#include "sql/sql_functions.h"

namespace saleslake::sql {

Result<Dialect> ParseDialect(std::string_view name) {
  if (name == "sqlite") return Dialect::kSqlite;
  if (name == "athena" || name == "trino") return Dialect::kTrino;
  if (name == "postgres" || name == "postgresql") return Dialect::kTrinoPostgres;
  return Status::InvalidArgument(
      fmt::format("unknown SQL dialect '{}': use athena, postgres or sqlite", name));
}

namespace dialect {
namespace {

// --- result types ------------------------------------------------------------------------------

NumType Combine(NumType a, NumType b, bool multiply) {
  if (a.kind == NumType::kUnknown || b.kind == NumType::kUnknown) return {};
  if (a.kind == NumType::kDate || b.kind == NumType::kDate) return {};
  if (a.kind == NumType::kDouble || b.kind == NumType::kDouble) return {NumType::kDouble, 0};
  if (a.kind == NumType::kInteger && b.kind == NumType::kInteger) return {NumType::kInteger, 0};
  const int scale = multiply ? a.scale + b.scale : std::max(a.scale, b.scale);
  return {NumType::kDecimal, scale};
}

// Index of the top-level commas of a call's argument list.
std::vector<std::pair<size_t, size_t>> SplitArgs(const SqlNodes& nodes) {
  std::vector<std::pair<size_t, size_t>> args;
  size_t begin = 0;
  for (size_t i = 0; i <= nodes.size(); ++i) {
    if (i == nodes.size() || nodes[i].IsOp(",")) {
      if (i > begin || !args.empty() || i < nodes.size()) args.emplace_back(begin, i);
      begin = i + 1;
    }
  }
  if (args.size() == 1 && args[0].first == args[0].second) args.clear();
  return args;
}

}  // namespace

NumType Translator::TermType(const SqlNodes& nodes, size_t begin, size_t end) const {
  while (begin < end && (nodes[begin].IsOp("-") || nodes[begin].IsOp("+"))) ++begin;
  if (begin >= end) return {};
  const SqlNode& first = nodes[begin];
  if (end - begin == 1) {
    switch (first.kind) {
      case SqlNode::kNumber:
        if (first.text.find_first_of("eExX") != std::string::npos) return {NumType::kDouble, 0};
        if (first.text.find('.') != std::string::npos) {
          return {NumType::kDecimal,
                  static_cast<int>(first.text.size() - first.text.find('.') - 1)};
        }
        return {NumType::kInteger, 0};
      case SqlNode::kRaw:
        return first.type;
      case SqlNode::kGroup:
        if (!first.children.empty() &&
            (first.children[0].IsWord("select") || first.children[0].IsWord("with"))) {
          return {};
        }
        return ExprType(first.children, 0, first.children.size());
      case SqlNode::kWord:
      case SqlNode::kQuoted:
        return ColumnType(first);
      default:
        return {};
    }
  }
  // a.b.c: the last name.
  if (first.kind == SqlNode::kWord || first.kind == SqlNode::kQuoted) {
    size_t i = begin;
    while (i + 2 < end && nodes[i + 1].IsOp(".")) i += 2;
    if (i + 1 == end) return ColumnType(nodes[i]);
    if (i + 1 < end && nodes[i + 1].kind == SqlNode::kGroup && first.kind == SqlNode::kWord) {
      const std::string fn = nodes[i].Lower();
      const SqlNodes& args = nodes[i + 1].children;
      const auto split = SplitArgs(args);
      auto arg_type = [&](size_t k) -> NumType {
        if (k >= split.size()) return {};
        size_t b = split[k].first;
        if (b < split[k].second && args[b].IsWord("distinct")) ++b;
        return ExprType(args, b, split[k].second);
      };
      static const std::set<std::string> kSameAsFirst = {
          "sum",         "min",        "max", "arbitrary", "any_value",
          "max_by",      "min_by",     "abs", "coalesce",  "nullif",
          "first_value", "last_value", "lag", "lead",      "nth_value"};
      if (kSameAsFirst.count(fn)) {
        const NumType t = arg_type(0);
        if (fn == "sum" && t.kind == NumType::kDecimal) return t;
        return t;
      }
      static const std::set<std::string> kInteger = {
          "count",       "count_if", "row_number", "rank",   "dense_rank", "ntile",       "year",
          "month",       "day",      "hour",       "minute", "quarter",    "day_of_week", "dow",
          "day_of_year", "doy",      "date_diff",  "length", "tr_extract"};
      if (kInteger.count(fn)) return {NumType::kInteger, 0};
      if (fn == "avg") {
        const NumType t = arg_type(0);
        if (t.kind == NumType::kDecimal) return t;
        return {NumType::kDouble, 0};
      }
    }
  }
  return {};
}

NumType Translator::ColumnType(const SqlNode& name) const {
  std::string key =
      name.kind == SqlNode::kQuoted ? name.text.substr(1, name.text.size() - 2) : name.text;
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (auto typed = alias_types_.find(key); typed != alias_types_.end()) return typed->second;
  if (aliases_.count(key)) return {};
  auto it = column_types_.find(key);
  return it == column_types_.end() ? NumType{} : it->second;
}

NumType Translator::ExprType(const SqlNodes& nodes, size_t begin, size_t end) const {
  size_t e = TermEnd(nodes, begin);
  if (e == begin || e > end) return {};
  NumType t = TermType(nodes, begin, e);
  while (e < end) {
    const SqlNode& op = nodes[e];
    const bool mul = op.IsOp("*");
    if (!mul && !op.IsOp("+") && !op.IsOp("-")) return {};
    const size_t next = TermEnd(nodes, e + 1);
    if (next == e + 1 || next > end) return {};
    t = Combine(t, TermType(nodes, e + 1, next), mul);
    e = next;
  }
  return t;
}

// --- rewrites ----------------------------------------------------------------------------------

Status Translator::Refuse(const SqlNode& at, std::string_view what) const {
  (void)at;
  return Status::InvalidArgument(std::string(what));
}

Status Translator::Rewrite(SqlNodes* nodes) {
  for (SqlNode& n : *nodes) {
    if (n.kind == SqlNode::kGroup) SL_RETURN_IF_ERROR(Rewrite(&n.children));
  }
  SL_RETURN_IF_ERROR(RewriteCallsAndLiterals(nodes));
  SL_RETURN_IF_ERROR(RewriteIntervals(nodes));
  if (dialect_ == Dialect::kTrinoPostgres) SL_RETURN_IF_ERROR(RewriteColonCasts(nodes));
  return RewriteDivisions(nodes);
}

void Translator::Replace(SqlNodes* nodes, size_t begin, size_t end, std::string text,
                         NumType type) {
  SqlNode raw = RawNode(std::move(text), (*nodes)[begin]);
  raw.type = type;
  nodes->erase(nodes->begin() + static_cast<std::ptrdiff_t>(begin + 1),
               nodes->begin() + static_cast<std::ptrdiff_t>(end));
  (*nodes)[begin] = std::move(raw);
  changed_ = true;
}

Status Translator::RewriteCallsAndLiterals(SqlNodes* nodes) {
  for (size_t i = 0; i < nodes->size(); ++i) {
    SqlNode& n = (*nodes)[i];
    if (n.kind != SqlNode::kWord) continue;
    if (i > 0 && (*nodes)[i - 1].IsOp(".")) continue;  // a qualified name
    const bool next_string = i + 1 < nodes->size() && (*nodes)[i + 1].kind == SqlNode::kString;
    const bool next_group = i + 1 < nodes->size() && (*nodes)[i + 1].kind == SqlNode::kGroup;
    const std::string word = n.Lower();
    if ((word == "date" || word == "timestamp") && next_string) {
      SL_ASSIGN_OR_RETURN(std::string value, word == "date"
                                                 ? CastToDate(StringValue((*nodes)[i + 1]))
                                                 : CastToTimestamp(StringValue((*nodes)[i + 1])));
      Replace(nodes, i, i + 2, QuoteString(value),
              word == "date" ? NumType{NumType::kDate, 0} : NumType{});
      continue;
    }
    if ((word == "time" || word == "decimal" || word == "real" || word == "double" ||
         word == "bigint" || word == "integer" || word == "varchar" || word == "char") &&
        next_string) {
      return Refuse(n, fmt::format("typed literal {} '…' is not supported: write CAST('…' AS {})",
                                   word, word));
    }
    if (!next_group) continue;
    SqlNode& args = (*nodes)[i + 1];
    if (word == "cast" || word == "try_cast") {
      SL_RETURN_IF_ERROR(RewriteCast(nodes, i, word == "try_cast"));
    } else if (word == "extract") {
      SL_RETURN_IF_ERROR(RewriteExtract(nodes, i));
    } else if (word == "approx_distinct") {
      const auto split = SplitArgs(args.children);
      if (split.empty()) return Refuse(n, "approx_distinct needs an argument");
      // The exact count: within any error bound approx_distinct promises.
      Replace(nodes, i, i + 2,
              "count(DISTINCT " + PrintNodes(args.children, split[0].first, split[0].second) + ")",
              {NumType::kInteger, 0});
    } else if (word == "date_trunc") {
      // Of a DATE, a DATE (Trino); of anything else, the timestamp SQLite's date_trunc gives.
      const auto split = SplitArgs(args.children);
      if (split.size() == 2 &&
          ExprType(args.children, split[1].first, split[1].second).kind == NumType::kDate) {
        n.text = "tr_date_trunc";
        changed_ = true;
      }
    } else if (word == "any_value") {
      n.text = "arbitrary";
      changed_ = true;
    } else if (word == "avg") {
      const auto split = SplitArgs(args.children);
      if (split.size() != 1) continue;
      size_t b = split[0].first;
      if (b < split[0].second && args.children[b].IsWord("distinct")) continue;
      const NumType t = ExprType(args.children, b, split[0].second);
      if (t.kind != NumType::kDecimal) continue;
      // avg(x, s): rounded half away from zero at the argument's scale, as Trino.
      SqlNode comma;
      comma.kind = SqlNode::kOp;
      comma.text = ",";
      SqlNode scale;
      scale.kind = SqlNode::kNumber;
      scale.text = std::to_string(t.scale);
      scale.space = " ";
      args.children.push_back(comma);
      args.children.push_back(scale);
      changed_ = true;
    }
  }
  return Status::OK();
}

Status Translator::RewriteIntervals(SqlNodes* nodes) {
  for (size_t i = 0; i < nodes->size(); ++i) {
    if (!(*nodes)[i].IsWord("interval")) continue;
    const SqlNode& at = (*nodes)[i];
    if (i + 2 >= nodes->size() || (*nodes)[i + 1].kind != SqlNode::kString ||
        (*nodes)[i + 2].kind != SqlNode::kWord) {
      return Refuse(at, "INTERVAL must be written INTERVAL 'n' unit (INTERVAL '7' DAY)");
    }
    std::string unit = (*nodes)[i + 2].Lower();
    if (unit.size() > 1 && unit.back() == 's') unit.pop_back();
    static const std::set<std::string> kUnits = {"second", "minute", "hour",    "day",
                                                 "week",   "month",  "quarter", "year"};
    if (!kUnits.count(unit) || (i + 3 < nodes->size() && (*nodes)[i + 3].IsWord("to"))) {
      return Refuse(at, fmt::format("INTERVAL … {} is not supported: use one of second, minute, "
                                    "hour, day, week, month, quarter, year",
                                    (*nodes)[i + 2].text));
    }
    const std::string amount = StringValue((*nodes)[i + 1]);
    int64_t n = 0;
    if (!ParseInt(amount, &n)) {
      return Refuse(
          at, fmt::format("INTERVAL '{}' {}: the amount must be a whole number", amount, unit));
    }
    if (i < 2 || !((*nodes)[i - 1].IsOp("+") || (*nodes)[i - 1].IsOp("-"))) {
      return Refuse(at,
                    "an INTERVAL is supported only added to or subtracted from a date or "
                    "timestamp (ts - INTERVAL '7' DAY)");
    }
    const bool minus = (*nodes)[i - 1].IsOp("-");
    const size_t start = TermStart(*nodes, i - 1);
    if (start == i - 1) return Refuse(at, "INTERVAL without a date or timestamp before it");
    const std::string ts = PrintNodes(*nodes, start, i - 1);
    Replace(nodes, start, i + 3, fmt::format("date_add('{}', {}, {})", unit, minus ? -n : n, ts),
            {});
    i = start;
  }
  return Status::OK();
}

Status Translator::RewriteColonCasts(SqlNodes* nodes) {
  for (size_t i = 1; i < nodes->size(); ++i) {
    if (!(*nodes)[i].IsOp("::")) continue;
    const size_t start = TermStart(*nodes, i);
    if (start == i || i + 1 >= nodes->size() || (*nodes)[i + 1].kind != SqlNode::kWord) {
      return Refuse((*nodes)[i], "a :: cast needs a value before it and a type after it");
    }
    size_t end = i + 2;
    // Multi-word types: double precision, character varying, timestamp without time zone.
    while (end < nodes->size() &&
           ((*nodes)[end].IsWord("precision") || (*nodes)[end].IsWord("varying") ||
            (*nodes)[end].IsWord("without") || (*nodes)[end].IsWord("with") ||
            (*nodes)[end].IsWord("time") || (*nodes)[end].IsWord("zone"))) {
      ++end;
    }
    if (end < nodes->size() && (*nodes)[end].kind == SqlNode::kGroup) ++end;
    std::string type = PrintNodes(*nodes, i + 1, end);
    SL_ASSIGN_OR_RETURN(CastCall call,
                        CastFor(PrintNodes(*nodes, start, i), ExprType(*nodes, start, i), type,
                                false, (*nodes)[i]));
    Replace(nodes, start, end, std::move(call.text), call.type);
    i = start;
  }
  return Status::OK();
}

Status Translator::RewriteDivisions(SqlNodes* nodes) {
  for (size_t i = 1; i < nodes->size(); ++i) {
    const SqlNode& op = (*nodes)[i];
    if (!op.IsOp("/") && !op.IsOp("%")) continue;
    size_t start = TermStart(*nodes, i);
    if (start == i) continue;  // not an operator here: SQLite says why
    while (start >= 2 && ((*nodes)[start - 1].IsOp("*"))) {
      const size_t before = TermStart(*nodes, start - 1);
      if (before == start - 1) break;
      start = before;
    }
    const size_t end = TermEnd(*nodes, i + 1);
    if (end == i + 1) continue;
    const NumType a = ExprType(*nodes, start, i);
    const NumType b = ExprType(*nodes, i + 1, end);
    NumType result = Combine(a, b, false);
    if (a.kind == NumType::kUnknown || b.kind == NumType::kUnknown) result = {};
    // The scale the quotient rounds to: -1 for integers and doubles (decided by the values).
    const int scale = result.kind == NumType::kDecimal ? result.scale : -1;
    const std::string fn = op.IsOp("/") ? "tr_divide" : "tr_modulo";
    Replace(nodes, start, end,
            fmt::format("{}({}, {}, {})", fn, PrintNodes(*nodes, start, i),
                        PrintNodes(*nodes, i + 1, end), scale),
            result);
    i = start;
  }
  return Status::OK();
}

void Translator::CollectAliases(const SqlNodes& nodes) {
  // `expr AS name` of a SELECT list (a CTE's, a subquery's): the name has the expression's type
  // (unknown when two such names disagree).
  for (const SelectItem& item : SelectItems(nodes)) {
    if (!item.aliased) continue;
    const SqlNode& name = nodes[item.end - 1];
    std::string key =
        name.kind == SqlNode::kQuoted ? name.text.substr(1, name.text.size() - 2) : name.text;
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const NumType t = ExprType(nodes, item.begin, item.expr_end);
    auto [it, inserted] = alias_types_.emplace(key, t);
    if (!inserted && (it->second.kind != t.kind || it->second.scale != t.scale)) it->second = {};
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    const SqlNode& n = nodes[i];
    if (n.kind == SqlNode::kGroup) CollectAliases(n.children);
    if (n.IsWord("as") && i + 1 < nodes.size() &&
        (nodes[i + 1].kind == SqlNode::kWord || nodes[i + 1].kind == SqlNode::kQuoted)) {
      std::string key = nodes[i + 1].kind == SqlNode::kQuoted
                            ? nodes[i + 1].text.substr(1, nodes[i + 1].text.size() - 2)
                            : nodes[i + 1].text;
      for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      aliases_.insert(key);
    }
  }
}

std::vector<SelectItem> SelectItems(const SqlNodes& nodes) {
  size_t i = 0;
  while (i < nodes.size() && !nodes[i].IsWord("select")) ++i;
  if (i == nodes.size()) return {};
  ++i;
  if (i < nodes.size() && (nodes[i].IsWord("distinct") || nodes[i].IsWord("all"))) ++i;
  static const std::set<std::string> kEnd = {"from",  "where",  "group",     "order",  "limit",
                                             "union", "except", "intersect", "window", "having"};
  std::vector<SelectItem> items;
  size_t begin = i;
  for (; i <= nodes.size(); ++i) {
    const bool end = i == nodes.size() || nodes[i].IsOp(";") ||
                     (nodes[i].kind == SqlNode::kRaw && nodes[i].text.empty()) ||
                     (nodes[i].kind == SqlNode::kWord && kEnd.count(nodes[i].Lower()) != 0);
    if (end || nodes[i].IsOp(",")) {
      SelectItem item{begin, i, i, false};
      if (i >= begin + 2 && nodes[i - 2].IsWord("as")) {
        item.expr_end = i - 2;
        item.aliased = true;
      } else if (i >= begin + 2 &&
                 (nodes[i - 1].kind == SqlNode::kWord || nodes[i - 1].kind == SqlNode::kQuoted) &&
                 TermEnd(nodes, begin) == i - 1) {
        item.expr_end = i - 1;  // SELECT x alias
        item.aliased = true;
      }
      if (item.expr_end == begin) return {};
      items.push_back(item);
      begin = i + 1;
      if (end) break;
    }
  }
  return items;
}

std::vector<int> Translator::ResultScales(const SqlNodes& nodes) const {
  std::vector<int> scales;
  for (const SelectItem& item : SelectItems(nodes)) {
    if (item.expr_end == item.begin + 1 && nodes[item.begin].IsOp("*")) return {};
    const NumType t = ExprType(nodes, item.begin, item.expr_end);
    scales.push_back(t.kind == NumType::kDecimal ? t.scale : -1);
  }
  return scales;
}

void NameRewrittenItems(const std::vector<std::string>& original, SqlNodes* nodes) {
  const std::vector<SelectItem> items = SelectItems(*nodes);
  if (items.size() != original.size()) return;
  for (size_t k = items.size(); k-- > 0;) {
    const SelectItem& item = items[k];
    if (item.aliased || original[k].empty()) continue;
    if (PrintNodes(*nodes, item.begin, item.expr_end) == original[k]) continue;
    std::string alias = " AS \"";
    for (char c : original[k]) {
      alias += c;
      if (c == '"') alias += '"';
    }
    SqlNode raw;
    raw.kind = SqlNode::kRaw;
    raw.text = alias + "\"";
    nodes->insert(nodes->begin() + static_cast<std::ptrdiff_t>(item.expr_end), std::move(raw));
  }
}

bool ParseInt(std::string_view s, int64_t* out) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s.size() > 18) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = neg ? -v : v;
  return true;
}

Translator::Translator(Dialect dialect, const std::vector<table::LakeTable>& tables)
    : dialect_(dialect), tables_(tables) {
  std::map<std::string, NumType> types;
  std::set<std::string> conflicting;
  auto add = [&](const table::LakeColumn& c) {
    std::string key = c.name;
    for (char& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    NumType t;
    switch (c.type) {
      case table::LakeType::kDecimal:
        t = {NumType::kDecimal, c.scale};
        break;
      case table::LakeType::kInt32:
      case table::LakeType::kInt64:
        t = {NumType::kInteger, 0};
        break;
      case table::LakeType::kFloat:
      case table::LakeType::kDouble:
        t = {NumType::kDouble, 0};
        break;
      case table::LakeType::kDate:
        t = {NumType::kDate, 0};
        break;
      default:
        t = {};
    }
    auto [it, inserted] = types.emplace(key, t);
    if (!inserted && (it->second.kind != t.kind || it->second.scale != t.scale)) {
      conflicting.insert(key);
    }
  };
  for (const auto& table : tables) {
    for (const auto& c : table.columns) add(c);
    for (const auto& c : table.partition_keys) add(c);
  }
  // A name typed differently in two tables is left unknown (the result prints as it comes).
  for (const auto& k : conflicting) types.erase(k);
  column_types_ = std::move(types);
}

}  // namespace dialect

Result<Translation> TranslateStatement(std::string_view sql, Dialect dialect,
                                       const std::vector<table::LakeTable>& tables) {
  Translation out;
  out.sql = std::string(sql);
  if (dialect == Dialect::kSqlite) return out;
  std::optional<dialect::SqlNodes> nodes = dialect::ParseSqlNodes(sql);
  if (!nodes) return out;  // unbalanced or unterminated: SQLite reports where
  size_t first = 0;
  while (first < nodes->size() && (*nodes)[first].kind == dialect::SqlNode::kRaw) ++first;
  if (first < nodes->size()) {
    const std::string word = (*nodes)[first].Lower();
    if (dialect == Dialect::kTrinoPostgres) {
      static const std::set<std::string> kNoOps = {"begin", "commit", "rollback",   "start",
                                                   "end",   "set",    "deallocate", "discard",
                                                   "reset", "abort",  "close",      "unlisten"};
      if (kNoOps.count(word)) {
        out.kind = Translation::Kind::kNoOp;
        out.command_tag = word == "start" ? "START TRANSACTION" : (*nodes)[first].text;
        for (char& c : out.command_tag)
          c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        out.sql.clear();
        return out;
      }
    }
    if (word == "show" || word == "describe" || word == "desc") {
      SL_ASSIGN_OR_RETURN(out.sql, dialect::TranslateShow(*nodes, first, tables));
      out.changed = true;
      return out;
    }
  }
  dialect::Translator translator(dialect, tables);
  translator.CollectAliases(*nodes);
  // Result columns are named by their text as written, not as rewritten.
  std::vector<std::string> names;
  for (const dialect::SelectItem& item : dialect::SelectItems(*nodes)) {
    names.push_back(item.aliased ? "" : dialect::PrintNodes(*nodes, item.begin, item.expr_end));
  }
  SL_RETURN_IF_ERROR(translator.Rewrite(&*nodes));
  out.decimal_scales = translator.ResultScales(*nodes);
  out.changed = translator.changed();
  if (out.changed) dialect::NameRewrittenItems(names, &*nodes);
  if (out.changed) out.sql = dialect::PrintNodes(*nodes);
  return out;
}

}  // namespace saleslake::sql

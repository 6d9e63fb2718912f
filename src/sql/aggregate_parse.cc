// Parser of the columnar aggregate shape (aggregate_query.h). It recognises a small grammar
// exactly and gives up (nullopt) on anything else, so SQLite stays the judge of every other
// statement and of every error.
#include <sqlite3.h>

#include <cctype>
#include <charconv>

#include "base/strings.h"
#include "sql/aggregate_plan.h"
#include "sql/sql_functions.h"

namespace saleslake::sql {
namespace {

struct Token {
  enum Kind { kIdent, kQuoted, kNumber, kString, kPunct, kEnd } kind = kEnd;
  std::string text;  // identifiers lower-cased; strings unescaped; punctuation as written
  size_t begin = 0, end = 0;
};

// False on anything outside the small grammar (comments, blobs, exponents, parameters, ...).
bool Tokenize(const std::string& sql, std::vector<Token>* out) {
  size_t i = 0;
  const size_t n = sql.size();
  while (true) {
    while (i < n && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
    Token t;
    t.begin = i;
    if (i >= n) {
      t.end = i;
      out->push_back(t);
      return true;
    }
    const char c = sql[i];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (i < n && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_')) ++i;
      t.kind = Token::kIdent;
      t.text = Lower(std::string_view(sql).substr(t.begin, i - t.begin));
    } else if (c == '"') {
      ++i;
      while (i < n && sql[i] != '"') t.text += sql[i++];
      if (i >= n) return false;
      ++i;
      t.kind = Token::kQuoted;
      t.text = Lower(t.text);
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < n && (std::isdigit(static_cast<unsigned char>(sql[i])) || sql[i] == '.')) ++i;
      if (i < n && (std::isalpha(static_cast<unsigned char>(sql[i])) || sql[i] == '_')) {
        return false;
      }
      t.kind = Token::kNumber;
      t.text = sql.substr(t.begin, i - t.begin);
    } else if (c == '\'') {
      ++i;
      while (true) {
        if (i >= n) return false;
        if (sql[i] == '\'') {
          if (i + 1 < n && sql[i + 1] == '\'') {
            t.text += '\'';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        t.text += sql[i++];
      }
      t.kind = Token::kString;
    } else {
      static const char* kTwo[] = {"<=", ">=", "<>", "!="};
      t.kind = Token::kPunct;
      for (const char* two : kTwo) {
        if (sql.compare(i, 2, two) == 0) t.text = two;
      }
      if (t.text.empty()) {
        if (std::string_view("(),*+-;=<>.").find(c) == std::string_view::npos) return false;
        t.text = std::string(1, c);
      }
      i += t.text.size();
    }
    t.end = i;
    out->push_back(std::move(t));
  }
}

bool IsKeyword(const std::string& s) {
  static const char* kWords[] = {
      "select", "from", "where",  "group",    "by",    "order",   "limit", "offset",
      "and",    "as",   "asc",    "desc",     "in",    "between", "or",    "not",
      "is",     "null", "having", "distinct", "join",  "on",      "union", "like",
      "inner",  "left", "right",  "full",     "cross", "natural", "using", "outer"};
  for (const char* w : kWords) {
    if (s == w) return true;
  }
  return false;
}

class Parser {
 public:
  Parser(LakeTables& tables, const std::string& sql, std::vector<Token> tokens, bool mask_personal)
      : tables_(tables), sql_(sql), t_(std::move(tokens)), mask_personal_(mask_personal) {}

  std::optional<AggPlan> Parse() {
    if (!Word("select")) return std::nullopt;
    // The table comes after the select list: find FROM first to resolve columns.
    size_t from = 0;
    int depth = 0;
    for (size_t i = pos_; i < t_.size(); ++i) {
      if (t_[i].kind == Token::kPunct && t_[i].text == "(") ++depth;
      if (t_[i].kind == Token::kPunct && t_[i].text == ")") --depth;
      if (depth == 0 && t_[i].kind == Token::kIdent && t_[i].text == "from") {
        from = i;
        break;
      }
    }
    if (from == 0 || from + 1 >= t_.size()) return std::nullopt;
    // FROM t [[AS] a] [[INNER] JOIN u [[AS] b] ON x = y [AND ...]]
    pos_ = from + 1;
    if (!TableRef(0)) return std::nullopt;
    const bool inner = Word("inner");
    if (inner || Word("join")) {
      if ((inner && !Word("join")) || !TableRef(1) || !Word("on")) return std::nullopt;
      plan_.join.emplace();
      plan_.join->table = side_table_[1];
      do {
        if (!OnTerm()) return std::nullopt;
      } while (Word("and"));
    }
    const size_t after_from = pos_;
    pos_ = 1;
    do {
      AggItem item;
      const size_t begin = t_[pos_].begin;
      item.expr = Expr(&item);
      if (!item.expr) return std::nullopt;
      const size_t end = t_[pos_ - 1].end;
      for (char c : sql_.substr(begin, end - begin)) {
        if (!std::isspace(static_cast<unsigned char>(c))) {
          item.text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
      }
      item.name = sql_.substr(begin, end - begin);
      if (item.expr->kind == AggExpr::Kind::kColumn) {
        const table::LakeColumn& c = Column(item.expr->side, item.expr->column);
        item.name = c.name;
        item.declared_type = DeclaredType(c);
      }
      if (Word("as")) {
        if (!Identifier(&item.alias)) return std::nullopt;
        item.name = t_[pos_ - 1].kind == Token::kQuoted ? Unquoted(pos_ - 1) : Raw(pos_ - 1);
      } else if (!AtKeyword() && Identifier(&item.alias)) {
        item.name = t_[pos_ - 1].kind == Token::kQuoted ? Unquoted(pos_ - 1) : Raw(pos_ - 1);
      }
      plan_.items.push_back(std::move(item));
    } while (Punct(","));
    if (pos_ != from) return std::nullopt;
    pos_ = after_from;
    if (Word("where")) {
      do {
        if (!Condition()) return std::nullopt;
      } while (Word("and"));
    }
    bool grouped = false;
    if (Word("group")) {
      if (!Word("by")) return std::nullopt;
      grouped = true;
      do {
        int item = 0;
        if (!ItemRef(&item)) return std::nullopt;
        plan_.keys.push_back(item);
      } while (Punct(","));
    }
    if (Word("order")) {
      if (!Word("by")) return std::nullopt;
      do {
        AggOrder o;
        if (!ItemRef(&o.item)) return std::nullopt;
        if (Word("desc")) {
          o.desc = true;
        } else {
          Word("asc");
        }
        plan_.order.push_back(o);
      } while (Punct(","));
    }
    if (Word("limit")) {
      if (!Integer(&plan_.limit)) return std::nullopt;
      if (Word("offset") && !Integer(&plan_.offset)) return std::nullopt;
    }
    Punct(";");
    if (t_[pos_].kind != Token::kEnd) return std::nullopt;
    // Every plain item must be a key; without GROUP BY every item must aggregate.
    bool any_aggregate = false;
    for (size_t i = 0; i < plan_.items.size(); ++i) {
      const bool agg = plan_.items[i].expr->kind == AggExpr::Kind::kAggregate;
      any_aggregate |= agg;
      if (agg) continue;
      bool key = false;
      for (int k : plan_.keys) key |= static_cast<size_t>(k) == i;
      if (!key) return std::nullopt;
    }
    for (int k : plan_.keys) {
      if (plan_.items[static_cast<size_t>(k)].expr->kind == AggExpr::Kind::kAggregate) {
        return std::nullopt;
      }
    }
    if (!any_aggregate && !grouped) return std::nullopt;
    if (plan_.join && !PickBuildSide()) return std::nullopt;
    return std::move(plan_);
  }

 private:
  const table::LakeColumn& Column(int side, int c) const {
    const auto& t = tables_.states()[side_table_[side]].table;
    const auto n = static_cast<int>(t.columns.size());
    return c < n ? t.columns[static_cast<size_t>(c)] : t.partition_keys[static_cast<size_t>(c - n)];
  }
  std::string Raw(size_t i) const { return sql_.substr(t_[i].begin, t_[i].end - t_[i].begin); }
  std::string Unquoted(size_t i) const { return Raw(i).substr(1, t_[i].end - t_[i].begin - 2); }

  std::optional<size_t> FindTable(const std::string& name) const {
    auto& states = tables_.states();
    for (size_t i = 0; i < states.size(); ++i) {
      if (Lower(states[i].table.name) == name) return i;
      for (const auto& a : states[i].table.aliases) {
        if (Lower(a) == name) return i;
      }
    }
    return std::nullopt;
  }

  // table [[AS] alias] as side `side` of the FROM clause.
  bool TableRef(int side) {
    const Token& name = t_[pos_];
    if (name.kind != Token::kIdent && name.kind != Token::kQuoted) return false;
    if (name.kind == Token::kIdent && IsKeyword(name.text)) return false;
    std::optional<size_t> table = FindTable(name.text);
    if (!table) return false;
    ++pos_;
    side_table_[side] = *table;
    qualifier_[side] = name.text;
    if (Word("as")) {
      if (!Identifier(&qualifier_[side])) return false;
    } else if (!AtKeyword()) {
      Identifier(&qualifier_[side]);
    }
    sides_ = side + 1;
    if (side == 0) plan_.table = *table;
    // A table joined with itself needs its qualifiers told apart: SQLite's path answers it.
    return side == 0 || (qualifier_[0] != qualifier_[1] && side_table_[0] != side_table_[1]);
  }

  // [qualifier.]column, resolved to a side and a column of that side's table; the column must
  // be unambiguous (SQLite has already refused what is ambiguous, so this only holds the line).
  bool ColumnRef(int* side, int* column) {
    std::string first;
    if (!Identifier(&first)) return false;
    std::vector<int> sides;
    std::string name = first;
    if (Punct(".")) {
      if (!Identifier(&name)) return false;
      for (int s = 0; s < sides_; ++s) {
        if (qualifier_[s] == first) sides.push_back(s);
      }
    } else {
      for (int s = 0; s < sides_; ++s) sides.push_back(s);
    }
    int found = 0;
    for (int s : sides) {
      std::optional<int> c = FindColumn(s, name);
      if (!c) continue;
      ++found;
      *side = s;
      *column = *c;
    }
    if (found != 1) return false;
    // A personal column is read through the masking virtual table only.
    const LakeTableState& st = tables_.states()[side_table_[*side]];
    const auto n = static_cast<int>(st.table.columns.size());
    if (mask_personal_ && *column < n && static_cast<size_t>(*column) < st.personal.size() &&
        st.personal[static_cast<size_t>(*column)] != PersonalKind::kNone) {
      return false;
    }
    return true;
  }

  // What a join key compares as: equal classes compare alike in SQLite and here (text bytes, or
  // integers); 0 for types left to SQLite (decimals and reals compare as doubles, blobs, ...).
  int KeyClass(int side, int column) const {
    switch (Column(side, column).type) {
      case table::LakeType::kString:
        return 1;
      case table::LakeType::kTimestamp:
        return 2;
      case table::LakeType::kDate:
        return 3;
      case table::LakeType::kInt32:
      case table::LakeType::kInt64:
        return 4;
      default:
        return 0;
    }
  }

  // a.x = b.y: one column of each side, of one key class.
  bool OnTerm() {
    int s1 = 0, c1 = 0, s2 = 0, c2 = 0;
    if (!ColumnRef(&s1, &c1) || !Punct("=") || !ColumnRef(&s2, &c2) || s1 == s2) return false;
    if (s1 == 1) {
      std::swap(s1, s2);
      std::swap(c1, c2);
    }
    const int k = KeyClass(s1, c1);
    if (k == 0 || k != KeyClass(s2, c2)) return false;
    plan_.join->on.emplace_back(c1, c2);
    return true;
  }

  static void FlipSides(AggExpr* e) {
    if (e == nullptr) return;
    if (e->kind == AggExpr::Kind::kColumn) e->side = 1 - e->side;
    FlipSides(e->lhs.get());
    FlipSides(e->rhs.get());
  }

  // The smaller table is held in memory (side 1), the other scanned (side 0); an inner join is
  // the same either way round. False when neither is small enough.
  bool PickBuildSide() {
    const auto& states = tables_.states();
    const int64_t rows0 = states[side_table_[0]].total_rows;
    const int64_t rows1 = states[side_table_[1]].total_rows;
    if (std::min(rows0, rows1) > kJoinBuildRows) return false;
    if (rows1 <= rows0) return true;
    for (AggItem& item : plan_.items) FlipSides(item.expr.get());
    std::swap(plan_.where, plan_.join->where);
    for (auto& [a, b] : plan_.join->on) std::swap(a, b);
    plan_.table = side_table_[1];
    plan_.join->table = side_table_[0];
    return true;
  }

  std::optional<int> FindColumn(int side, const std::string& name) const {
    const auto& t = tables_.states()[side_table_[side]].table;
    for (size_t i = 0; i < t.columns.size(); ++i) {
      if (Lower(t.columns[i].name) == name) return static_cast<int>(i);
    }
    for (size_t i = 0; i < t.partition_keys.size(); ++i) {
      if (Lower(t.partition_keys[i].name) == name) {
        return static_cast<int>(t.columns.size() + i);
      }
    }
    return std::nullopt;
  }

  bool Word(const char* w) {
    if (t_[pos_].kind == Token::kIdent && t_[pos_].text == w) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool Punct(const char* p) {
    if (t_[pos_].kind == Token::kPunct && t_[pos_].text == p) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool AtKeyword() const { return t_[pos_].kind == Token::kIdent && IsKeyword(t_[pos_].text); }
  bool Identifier(std::string* out) {
    const Token& t = t_[pos_];
    if (t.kind == Token::kQuoted || (t.kind == Token::kIdent && !IsKeyword(t.text))) {
      *out = t.text;
      ++pos_;
      return true;
    }
    return false;
  }
  bool Integer(int64_t* out) {
    const Token& t = t_[pos_];
    if (t.kind != Token::kNumber || t.text.find('.') != std::string::npos) return false;
    auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), *out);
    if (ec != std::errc()) return false;
    ++pos_;
    return true;
  }

  // A GROUP BY / ORDER BY term: a position, an alias, or the text of a select item.
  bool ItemRef(int* item) {
    int64_t position = 0;
    if (t_[pos_].kind == Token::kNumber) {
      if (!Integer(&position) || position < 1 ||
          position > static_cast<int64_t>(plan_.items.size())) {
        return false;
      }
      *item = static_cast<int>(position - 1);
      return true;
    }
    // The term's text up to the next ',' / keyword at depth 0.
    const size_t begin = pos_;
    int depth = 0;
    while (t_[pos_].kind != Token::kEnd) {
      const Token& t = t_[pos_];
      if (t.kind == Token::kPunct && t.text == "(") ++depth;
      if (t.kind == Token::kPunct && t.text == ")") --depth;
      if (depth == 0 && ((t.kind == Token::kPunct && (t.text == "," || t.text == ";")) ||
                         (t.kind == Token::kIdent && IsKeyword(t.text) && pos_ > begin))) {
        break;
      }
      ++pos_;
    }
    if (pos_ == begin) return false;
    std::string text;
    for (char c : sql_.substr(t_[begin].begin, t_[pos_ - 1].end - t_[begin].begin)) {
      if (!std::isspace(static_cast<unsigned char>(c))) {
        text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    // SQLite resolves a name to an alias first, then to a column of the table.
    for (size_t i = 0; i < plan_.items.size(); ++i) {
      if (!plan_.items[i].alias.empty() && plan_.items[i].alias == text) {
        *item = static_cast<int>(i);
        return true;
      }
    }
    for (size_t i = 0; i < plan_.items.size(); ++i) {
      if (plan_.items[i].text == text) {
        *item = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }

  // expr := term (('+'|'-') term)*; term := factor ('*' factor)*
  std::unique_ptr<AggExpr> Expr(AggItem* item) {
    auto lhs = Term(item);
    while (lhs && (t_[pos_].text == "+" || t_[pos_].text == "-") &&
           t_[pos_].kind == Token::kPunct) {
      auto node = std::make_unique<AggExpr>();
      node->kind = t_[pos_++].text == "+" ? AggExpr::Kind::kAdd : AggExpr::Kind::kSub;
      node->lhs = std::move(lhs);
      node->rhs = Term(item);
      if (!node->rhs || !Numeric(*node->lhs) || !Numeric(*node->rhs)) return nullptr;
      node->scale = std::max(node->lhs->scale, node->rhs->scale);
      node->decimal = node->lhs->decimal || node->rhs->decimal;
      lhs = std::move(node);
    }
    return lhs;
  }
  std::unique_ptr<AggExpr> Term(AggItem* item) {
    auto lhs = Factor(item);
    while (lhs && t_[pos_].kind == Token::kPunct && t_[pos_].text == "*") {
      ++pos_;
      auto node = std::make_unique<AggExpr>();
      node->kind = AggExpr::Kind::kMul;
      node->lhs = std::move(lhs);
      node->rhs = Factor(item);
      if (!node->rhs || !Numeric(*node->lhs) || !Numeric(*node->rhs)) return nullptr;
      node->scale = node->lhs->scale + node->rhs->scale;
      node->decimal = node->lhs->decimal || node->rhs->decimal;
      // SQLite's exact sums read back at most 4 fraction digits: keep to what both paths agree.
      if (node->scale > 4) return nullptr;
      lhs = std::move(node);
    }
    return lhs;
  }
  bool Numeric(const AggExpr& e) const {
    switch (e.kind) {
      case AggExpr::Kind::kNumber:
      case AggExpr::Kind::kAdd:
      case AggExpr::Kind::kSub:
      case AggExpr::Kind::kMul:
        return true;
      case AggExpr::Kind::kColumn: {
        const auto type = Column(e.side, e.column).type;
        return type == table::LakeType::kInt32 || type == table::LakeType::kInt64 ||
               type == table::LakeType::kDecimal;
      }
      default:
        return false;
    }
  }
  std::unique_ptr<AggExpr> Factor(AggItem* item) {
    const Token& t = t_[pos_];
    auto node = std::make_unique<AggExpr>();
    if (t.kind == Token::kPunct && t.text == "(") {
      // SQLite parsed the statement first (its depth limit holds); this cap keeps the recursion
      // here small whatever the input.
      if (++depth_ > 64) return nullptr;
      ++pos_;
      auto inner = Expr(item);
      --depth_;
      if (!inner || !Punct(")")) return nullptr;
      return inner;
    }
    if (t.kind == Token::kNumber) {
      std::optional<ScaledValue> v = ParseNumber(t.text);
      if (!v) return nullptr;
      ++pos_;
      node->kind = AggExpr::Kind::kNumber;
      node->value = v->unscaled;
      node->scale = v->scale;
      node->decimal = t.text.find('.') != std::string::npos;
      return node;
    }
    if (t.kind == Token::kIdent && pos_ + 1 < t_.size() && t_[pos_ + 1].text == "(" &&
        t_[pos_ + 1].kind == Token::kPunct) {
      const std::string fn = t.text;
      pos_ += 2;
      if (fn == "date") {
        auto arg = Factor(item);
        if (!arg || arg->kind != AggExpr::Kind::kColumn || !Punct(")")) return nullptr;
        if (Column(arg->side, arg->column).type != table::LakeType::kTimestamp) return nullptr;
        node->kind = AggExpr::Kind::kDateOf;
        node->lhs = std::move(arg);
        return node;
      }
      static const std::pair<const char*, AggKind> kAggs[] = {
          {"sum", AggKind::kSum}, {"count", AggKind::kCount}, {"avg", AggKind::kAvg},
          {"min", AggKind::kMin}, {"max", AggKind::kMax},     {"total", AggKind::kSum}};
      if (fn == "total") return nullptr;  // total() differs from sum() on empty input
      for (const auto& [name, kind] : kAggs) {
        if (fn != name) continue;
        node->kind = AggExpr::Kind::kAggregate;
        node->agg = kind;
        if (kind == AggKind::kCount && Punct("*")) {
          node->agg = AggKind::kCountStar;
        } else {
          node->lhs = Expr(item);
          if (!node->lhs) return nullptr;
          if (node->lhs->kind == AggExpr::Kind::kAggregate) return nullptr;
          // MIN/MAX only of plain columns: SQLite's path compares doubles of expressions.
          if ((kind == AggKind::kMin || kind == AggKind::kMax) &&
              node->lhs->kind != AggExpr::Kind::kColumn) {
            return nullptr;
          }
          if ((kind == AggKind::kSum || kind == AggKind::kAvg) && !Numeric(*node->lhs)) {
            return nullptr;
          }
          node->decimal = node->lhs->decimal;
          node->scale = node->lhs->scale;
          // avg(x, s): rounded to s digits (the Trino dialect's AVG of a DECIMAL).
          if (kind == AggKind::kAvg && Punct(",")) {
            if (pos_ >= t_.size() || t_[pos_].kind != Token::kNumber) return nullptr;
            int round_scale = -1;
            const std::string& digits = t_[pos_].text;
            auto [p, ec] =
                std::from_chars(digits.data(), digits.data() + digits.size(), round_scale);
            if (ec != std::errc() || p != digits.data() + digits.size() || round_scale > 6) {
              return nullptr;
            }
            ++pos_;
            node->round_scale = round_scale;
          }
        }
        if (!Punct(")")) return nullptr;
        return node;
      }
      return nullptr;
    }
    int side = 0, column = 0;
    if (!ColumnRef(&side, &column)) return nullptr;
    node->kind = AggExpr::Kind::kColumn;
    node->side = side;
    node->column = column;
    const table::LakeColumn& c = Column(side, column);
    if (c.type == table::LakeType::kDecimal) {
      if (c.scale < 0 || c.scale > 4 || c.precision > 18) return nullptr;
      node->decimal = true;
      node->scale = c.scale;
    }
    return node;
  }

  static std::optional<ScaledValue> ParseNumber(const std::string& text) {
    const size_t dot = text.find('.');
    if (text.find('.', dot == std::string::npos ? text.size() : dot + 1) != std::string::npos) {
      return std::nullopt;
    }
    std::string digits = text;
    int scale = 0;
    if (dot != std::string::npos) {
      digits.erase(dot, 1);
      scale = static_cast<int>(text.size() - dot - 1);
    }
    if (scale > 4 || digits.empty() || digits.size() > 17) return std::nullopt;
    int64_t v = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || p != digits.data() + digits.size()) return std::nullopt;
    return ScaledValue{v, scale};
  }

  // column op literal | column BETWEEN a AND b | column IN (a, ...)
  bool Condition() {
    int side = 0, col = 0;
    if (!ColumnRef(&side, &col)) return false;
    std::vector<PlanConstraint>& where = side == 0 ? plan_.where : plan_.join->where;
    const std::optional<int> column = col;
    PlanConstraint c;
    c.column = *column;
    static const std::pair<const char*, int> kOps[] = {
        {"=", SQLITE_INDEX_CONSTRAINT_EQ},  {"<", SQLITE_INDEX_CONSTRAINT_LT},
        {"<=", SQLITE_INDEX_CONSTRAINT_LE}, {">", SQLITE_INDEX_CONSTRAINT_GT},
        {">=", SQLITE_INDEX_CONSTRAINT_GE}, {"<>", SQLITE_INDEX_CONSTRAINT_NE},
        {"!=", SQLITE_INDEX_CONSTRAINT_NE}};
    if (Word("between")) {
      SqlLiteral lo, hi;
      if (!Literal(side, *column, &lo) || !Word("and") || !Literal(side, *column, &hi)) {
        return false;
      }
      where.push_back({*column, SQLITE_INDEX_CONSTRAINT_GE, {lo}});
      where.push_back({*column, SQLITE_INDEX_CONSTRAINT_LE, {hi}});
      return true;
    }
    if (Word("in")) {
      if (!Punct("(")) return false;
      c.op = SQLITE_INDEX_CONSTRAINT_EQ;
      do {
        SqlLiteral v;
        if (!Literal(side, *column, &v)) return false;
        c.values.push_back(v);
      } while (Punct(","));
      if (!Punct(")")) return false;
      where.push_back(std::move(c));
      return true;
    }
    for (const auto& [text, op] : kOps) {
      if (t_[pos_].kind == Token::kPunct && t_[pos_].text == text) {
        ++pos_;
        c.op = op;
        SqlLiteral v;
        if (!Literal(side, *column, &v)) return false;
        c.values.push_back(v);
        where.push_back(std::move(c));
        return true;
      }
    }
    return false;
  }

  // A literal of the kind the column compares with exactly: numbers for numeric columns and
  // partition keys, text for text and timestamp columns.
  bool Literal(int side, int column, SqlLiteral* out) {
    const table::LakeColumn& c = Column(side, column);
    bool negative = false;
    if (t_[pos_].kind == Token::kPunct && t_[pos_].text == "-") {
      negative = true;
      ++pos_;
    }
    const Token& t = t_[pos_];
    const bool numeric = c.type == table::LakeType::kInt32 || c.type == table::LakeType::kInt64 ||
                         c.type == table::LakeType::kDecimal;
    const bool textual = c.type == table::LakeType::kString ||
                         c.type == table::LakeType::kTimestamp || c.type == table::LakeType::kDate;
    if (numeric && t.kind == Token::kNumber) {
      std::optional<ScaledValue> v = ParseNumber(t.text);
      if (!v) return false;
      if (v->scale == 0) {
        *out = negative ? -v->unscaled : v->unscaled;
      } else {
        const double d = std::strtod(t.text.c_str(), nullptr);
        *out = negative ? -d : d;
      }
      ++pos_;
      return true;
    }
    if (textual && !negative && t.kind == Token::kString) {
      *out = t.text;
      ++pos_;
      return true;
    }
    return false;
  }

  LakeTables& tables_;
  const std::string& sql_;
  std::vector<Token> t_;
  bool mask_personal_ = false;
  size_t pos_ = 0;
  int depth_ = 0;
  AggPlan plan_;
  int sides_ = 0;                  // tables in the FROM clause (1 or 2)
  size_t side_table_[2] = {0, 0};  // their indexes into states()
  std::string qualifier_[2];       // the name columns are qualified with (alias, else table)
};

}  // namespace

std::optional<AggPlan> ParseAggregateQuery(LakeTables& tables, const std::string& sql,
                                           bool mask_personal) {
  std::vector<Token> tokens;
  if (!Tokenize(sql, &tokens)) return std::nullopt;
  return Parser(tables, sql, std::move(tokens), mask_personal).Parse();
}

}  // namespace saleslake::sql

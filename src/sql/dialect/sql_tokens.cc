#include "sql/dialect/sql_tokens.h"

#include <cctype>
#include <set>

namespace saleslake::sql::dialect {
namespace {

bool IsIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80) != 0;
}
bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || (c & 0x80) != 0;
}

// Words after which a parenthesised run is not a call's arguments, and before which a '-' is
// unary.
const std::set<std::string>& Keywords() {
  static const std::set<std::string> k = {
      "select", "from",      "where", "and",      "or",        "not",     "in",      "exists",
      "values", "join",      "on",    "using",    "as",        "over",    "filter",  "then",
      "when",   "else",      "by",    "case",     "having",    "limit",   "offset",  "union",
      "except", "intersect", "all",   "distinct", "is",        "like",    "between", "with",
      "return", "partition", "order", "group",    "recursive", "glob",    "escape",  "cross",
      "inner",  "left",      "right", "full",     "outer",     "natural", "lateral", "unnest",
      "window", "rows",      "range", "groups"};
  return k;
}

bool IsKeyword(const SqlNode& n) { return n.kind == SqlNode::kWord && Keywords().count(n.Lower()); }

}  // namespace

std::string SqlNode::Lower() const {
  std::string out = text;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool SqlNode::IsWord(std::string_view lower_word) const {
  if (kind != kWord || text.size() != lower_word.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != lower_word[i]) return false;
  }
  return true;
}

std::optional<SqlNodes> ParseSqlNodes(std::string_view sql) {
  std::vector<SqlNodes> stack(1);
  std::vector<SqlNode> open;  // the '(' nodes being filled
  std::string space;
  size_t i = 0;
  const size_t n = sql.size();
  while (i < n) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      space += c;
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') space += sql[i++];
      continue;
    }
    if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      const size_t e = sql.find("*/", i + 2);
      if (e == std::string_view::npos) return std::nullopt;
      space += sql.substr(i, e + 2 - i);
      i = e + 2;
      continue;
    }
    SqlNode node;
    node.offset = i;
    node.space = std::move(space);
    space.clear();
    const size_t start = i;
    if (c == '(') {
      node.kind = SqlNode::kGroup;
      node.text.assign(1, '(');
      open.push_back(std::move(node));
      stack.emplace_back();
      ++i;
      continue;
    }
    if (c == ')') {
      if (open.empty()) return std::nullopt;
      SqlNode group = std::move(open.back());
      open.pop_back();
      group.children = std::move(stack.back());
      group.close_space = std::move(node.space);
      stack.pop_back();
      stack.back().push_back(std::move(group));
      ++i;
      continue;
    }
    if ((c == 'x' || c == 'X') && i + 1 < n && sql[i + 1] == '\'') {
      const size_t e = sql.find('\'', i + 2);
      if (e == std::string_view::npos) return std::nullopt;
      node.kind = SqlNode::kBlob;
      i = e + 1;
    } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
      const char close = c == '[' ? ']' : c;
      ++i;
      while (true) {
        if (i >= n) return std::nullopt;
        if (sql[i] == close) {
          if (close != ']' && i + 1 < n && sql[i + 1] == close) {
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        ++i;
      }
      node.kind = c == '\'' ? SqlNode::kString : SqlNode::kQuoted;
    } else if (IsIdentStart(c)) {
      while (i < n && IsIdentChar(sql[i])) ++i;
      node.kind = SqlNode::kWord;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
      while (i < n && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '.' ||
                       ((sql[i] == '+' || sql[i] == '-') &&
                        (sql[i - 1] == 'e' || sql[i - 1] == 'E') && sql[start] != '0'))) {
        ++i;
      }
      node.kind = SqlNode::kNumber;
    } else if (c == '?' || c == ':' || c == '@' || c == '$') {
      if (c == ':' && i + 1 < n && sql[i + 1] == ':') {
        node.kind = SqlNode::kOp;
        i += 2;
      } else {
        ++i;
        while (i < n && IsIdentChar(sql[i])) ++i;
        node.kind = SqlNode::kParam;
      }
    } else {
      static const char* kTwo[] = {"<=", ">=", "<>", "!=", "==", "||", "<<", ">>"};
      node.kind = SqlNode::kOp;
      i += 1;
      for (const char* two : kTwo) {
        if (sql.substr(start, 2) == two) i = start + 2;
      }
    }
    node.text = std::string(sql.substr(start, i - start));
    stack.back().push_back(std::move(node));
  }
  if (!open.empty()) return std::nullopt;
  if (!space.empty()) {
    SqlNode tail;
    tail.kind = SqlNode::kRaw;
    tail.space = std::move(space);
    tail.offset = n;
    stack.back().push_back(std::move(tail));
  }
  return std::move(stack.back());
}

std::string PrintNodes(const SqlNodes& nodes, size_t begin, size_t end, bool trim) {
  std::string out;
  for (size_t i = begin; i < end && i < nodes.size(); ++i) {
    const SqlNode& node = nodes[i];
    if (!(trim && i == begin)) out += node.space;
    out += node.text;
    if (node.kind == SqlNode::kGroup) {
      out += PrintNodes(node.children, 0, node.children.size(), false);
      out += node.close_space + ")";
    }
  }
  return out;
}

SqlNode RawNode(std::string text, const SqlNode& replaced) {
  SqlNode node;
  node.kind = SqlNode::kRaw;
  node.text = std::move(text);
  node.space = replaced.space;
  node.offset = replaced.offset;
  return node;
}

std::string StringValue(const SqlNode& node) {
  std::string out;
  for (size_t i = 1; i + 1 < node.text.size(); ++i) {
    out += node.text[i];
    if (node.text[i] == '\'') ++i;
  }
  return out;
}

std::string QuoteString(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

namespace {

bool IsPrimaryToken(const SqlNode& n) {
  switch (n.kind) {
    case SqlNode::kQuoted:
    case SqlNode::kString:
    case SqlNode::kNumber:
    case SqlNode::kBlob:
    case SqlNode::kParam:
    case SqlNode::kGroup:
      return true;
    case SqlNode::kRaw:
      return !n.text.empty();
    case SqlNode::kWord:
      return !IsKeyword(n);
    case SqlNode::kOp:
      return false;
  }
  return false;
}

bool IsUnary(const SqlNode& n) { return n.IsOp("-") || n.IsOp("+") || n.IsOp("~"); }

bool IsName(const SqlNode& n) {
  return (n.kind == SqlNode::kWord && !IsKeyword(n)) || n.kind == SqlNode::kQuoted;
}

}  // namespace

size_t TermEnd(const SqlNodes& nodes, size_t begin) {
  size_t i = begin;
  while (i < nodes.size() && IsUnary(nodes[i])) ++i;
  if (i >= nodes.size()) return begin;
  if (nodes[i].IsWord("case")) {
    int depth = 0;
    for (; i < nodes.size(); ++i) {
      if (nodes[i].IsWord("case")) ++depth;
      if (nodes[i].IsWord("end") && --depth == 0) return i + 1;
    }
    return begin;
  }
  if (!IsPrimaryToken(nodes[i])) return begin;
  if (IsName(nodes[i])) {
    while (i + 2 < nodes.size() && nodes[i + 1].IsOp(".") && IsName(nodes[i + 2])) i += 2;
    if (i + 1 < nodes.size() && nodes[i + 1].kind == SqlNode::kGroup) {
      ++i;  // a call
      if (i + 2 < nodes.size() && nodes[i + 1].IsWord("filter") &&
          nodes[i + 2].kind == SqlNode::kGroup) {
        i += 2;
      }
      if (i + 2 < nodes.size() && nodes[i + 1].IsWord("over") &&
          (nodes[i + 2].kind == SqlNode::kGroup || IsName(nodes[i + 2]))) {
        i += 2;
      }
    }
  }
  return i + 1;
}

size_t TermStart(const SqlNodes& nodes, size_t end) {
  if (end == 0) return end;
  size_t i = end - 1;  // the last node of the term
  if (nodes[i].IsWord("end")) {
    int depth = 0;
    while (true) {
      if (nodes[i].IsWord("end")) ++depth;
      if (nodes[i].IsWord("case") && --depth == 0) break;
      if (i == 0) return end;
      --i;
    }
  } else {
    if (!IsPrimaryToken(nodes[i])) return end;
    // OVER (…) / OVER name, FILTER (…): part of the call before them.
    if (i >= 2 && nodes[i - 1].IsWord("over") && nodes[i - 2].kind == SqlNode::kGroup) i -= 2;
    if (i >= 2 && nodes[i - 1].IsWord("filter") && nodes[i - 2].kind == SqlNode::kGroup) i -= 2;
    if (nodes[i].kind == SqlNode::kGroup && i >= 1 && IsName(nodes[i - 1])) --i;  // a call
    while (i >= 2 && IsName(nodes[i]) && nodes[i - 1].IsOp(".") && IsName(nodes[i - 2])) i -= 2;
  }
  // Unary operators: only where no operand can end just before them.
  while (i >= 1 && IsUnary(nodes[i - 1])) {
    if (i >= 2 && !nodes[i - 1].IsWord("not") &&
        (IsPrimaryToken(nodes[i - 2]) || nodes[i - 2].IsWord("end"))) {
      break;
    }
    --i;
  }
  return i;
}

}  // namespace saleslake::sql::dialect

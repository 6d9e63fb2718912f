// The token tree the dialect translator rewrites: SQL split into tokens (SQLite's lexical rules:
// '…' strings, "…" and `…` and […] quoted names, numbers, x'…' blobs, parameters, comments kept
// as whitespace), with every parenthesised run gathered into one node so that a rewrite can take
// "the term before this operator" or "the arguments of this call" as a unit. Printing the tree
// gives back the text it came from, byte for byte, until a rewrite replaces nodes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace saleslake::sql::dialect {

// What the rewrite knows of an expression's type: enough to type DECIMAL results.
struct NumType {
  enum Kind { kUnknown, kInteger, kDecimal, kDouble, kDate } kind = kUnknown;
  int scale = 0;  // kDecimal
};

struct SqlNode {
  enum Kind { kWord, kQuoted, kString, kNumber, kBlob, kParam, kOp, kGroup, kRaw } kind = kOp;
  std::string text;               // as written (kGroup: "("; kRaw: replacement text printed as is)
  std::string space;              // whitespace and comments before the node
  size_t offset = 0;              // byte offset in the statement (of the '(' for a group)
  std::vector<SqlNode> children;  // kGroup: what lies between the parentheses
  std::string close_space;        // kGroup: whitespace before the ')'
  NumType type;                   // kRaw: the type of what it computes

  bool IsWord(std::string_view lower_word) const;  // a bare word, case-insensitively
  bool IsOp(std::string_view op) const { return kind == kOp && text == op; }
  std::string Lower() const;
};

using SqlNodes = std::vector<SqlNode>;

// The tree of `sql`, or nullopt when its parentheses do not balance or a string, name or comment
// is not closed (SQLite then reports the error where it is).
std::optional<SqlNodes> ParseSqlNodes(std::string_view sql);

// The text of nodes [begin, end); the first node's leading space is dropped when `trim`.
std::string PrintNodes(const SqlNodes& nodes, size_t begin, size_t end, bool trim = true);
inline std::string PrintNodes(const SqlNodes& nodes) {
  return PrintNodes(nodes, 0, nodes.size(), false);
}

// A replacement node printing `text`, keeping the space before the node it replaces.
SqlNode RawNode(std::string text, const SqlNode& replaced);

// The value of a '…' string literal (quotes removed, '' unescaped).
std::string StringValue(const SqlNode& node);
// `s` as a '…' literal.
std::string QuoteString(std::string_view s);

// Terms: a primary (a name or a.b.c, a literal, a parenthesised run, a call f(…) with an optional
// FILTER (…) and OVER (…)/OVER name, CASE … END, a replaced node) with any unary + - ~ NOT
// before it. TermEnd: one past the term starting at `begin` (begin when none starts there).
// TermStart: the first node of the term ending just before `end` (end when none ends there).
size_t TermEnd(const SqlNodes& nodes, size_t begin);
size_t TermStart(const SqlNodes& nodes, size_t end);

}  // namespace saleslake::sql::dialect

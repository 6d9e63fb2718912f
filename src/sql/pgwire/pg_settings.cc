#include "sql/pgwire/pg_settings.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <set>
#include <vector>

#include "sql/pgwire/pg_sql_text.h"

namespace saleslake::sql::pgwire {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Quotes and '' / "" removed.
std::string Unquote(const std::string& text) {
  if (text.size() < 2) return text;
  const char q = text.front();
  std::string out;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    out += text[i];
    if (text[i] == q && text[i + 1] == q) ++i;
  }
  return out;
}

// Settings that describe the server rather than the session: SET leaves them as they are.
bool IsFixed(const std::string& name) {
  static const std::set<std::string> kFixed = {"server_version",
                                               "server_version_num",
                                               "server_encoding",
                                               "integer_datetimes",
                                               "is_superuser",
                                               "in_hot_standby",
                                               "max_identifier_length",
                                               "max_index_keys",
                                               "block_size",
                                               "lc_collate",
                                               "lc_ctype",
                                               "max_connections",
                                               "transaction_read_only",
                                               "default_transaction_read_only",
                                               "session_authorization",
                                               "transaction_isolation",
                                               "transaction isolation level"};
  return kFixed.count(name) != 0;
}

// PostgreSQL shows a duration in its largest whole unit: 5000 -> "5s", 90000 -> "90s".
std::string ShowMilliseconds(int64_t ms) {
  if (ms == 0) return "0";
  if (ms % 3'600'000 == 0) return fmt::format("{}h", ms / 3'600'000);
  if (ms % 60'000 == 0) return fmt::format("{}min", ms / 60'000);
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  return fmt::format("{}ms", ms);
}

constexpr size_t kMaxSettings = 64;
constexpr size_t kMaxValueBytes = 1024;

}  // namespace

std::optional<SettingChange> ParseSettingChange(std::string_view sql) {
  std::vector<SqlToken> t;
  for (SqlToken& tok : Tokenize(sql)) {
    if (tok.kind != SqlToken::kSpace) t.push_back(std::move(tok));
  }
  auto word = [&](size_t i, std::string_view w) {
    return i < t.size() && t[i].kind == SqlToken::kWord && Lower(t[i].text) == w;
  };
  auto name_at = [&](size_t* i, std::string* name) {
    // name or a.b (custom settings), possibly quoted.
    while (*i < t.size() &&
           (t[*i].kind == SqlToken::kWord || t[*i].kind == SqlToken::kQuotedIdent)) {
      *name += t[*i].kind == SqlToken::kWord ? Lower(t[*i].text) : Unquote(t[*i].text);
      ++*i;
      if (*i + 1 < t.size() && t[*i].kind == SqlToken::kSymbol && t[*i].text == ".") {
        *name += ".";
        ++*i;
        continue;
      }
      return !name->empty();
    }
    return false;
  };
  SettingChange change;
  size_t i = 1;
  if (word(0, "reset")) {
    if (word(1, "all") && t.size() == 2) {
      change.all = true;
      return change;
    }
    if (!name_at(&i, &change.name) || i != t.size()) return std::nullopt;
    return change;
  }
  if (!word(0, "set")) return std::nullopt;
  if (word(1, "session") || word(1, "local")) {
    change.local = word(1, "local");
    i = 2;
  }
  if (!name_at(&i, &change.name)) return std::nullopt;
  if (i >= t.size() || !(word(i, "to") || (t[i].kind == SqlToken::kSymbol && t[i].text == "="))) {
    return std::nullopt;  // SET TIME ZONE ..., SET TRANSACTION ..., ...
  }
  ++i;
  if (word(i, "default") && i + 1 == t.size()) return change;
  std::string value;
  for (; i < t.size(); ++i) {
    const SqlToken& v = t[i];
    if (v.kind == SqlToken::kSymbol && v.text == ",") {
      value += ", ";
    } else if (v.kind == SqlToken::kString || v.kind == SqlToken::kQuotedIdent) {
      value += Unquote(v.text);
    } else if (v.kind == SqlToken::kWord || v.kind == SqlToken::kNumber ||
               (v.kind == SqlToken::kSymbol && (v.text == "-" || v.text == "+"))) {
      value += v.text;
    } else {
      return std::nullopt;
    }
  }
  if (value.empty()) return std::nullopt;
  change.value = std::move(value);
  return change;
}

std::vector<SettingChange> StartupSettingChanges(
    const std::vector<std::pair<std::string, std::string>>& parameters) {
  std::vector<SettingChange> out;
  auto add = [&](std::string_view pair) {
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) return;
    SettingChange c;
    c.name = Lower(pair.substr(0, eq));
    for (char& ch : c.name) {
      if (ch == '-') ch = '_';  // --statement-timeout=5s
    }
    c.value = std::string(pair.substr(eq + 1));
    out.push_back(std::move(c));
  };
  for (const auto& [name, value] : parameters) {
    if (name == "statement_timeout") add("statement_timeout=" + value);
    if (name != "options") continue;
    // Words separated by spaces ("\ " is a space inside one): -c a=b, -ca=b, --a=b.
    std::vector<std::string> words(1);
    for (size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\\' && i + 1 < value.size()) {
        words.back() += value[++i];
      } else if (value[i] == ' ') {
        if (!words.back().empty()) words.emplace_back();
      } else {
        words.back() += value[i];
      }
    }
    for (size_t i = 0; i < words.size(); ++i) {
      const std::string& w = words[i];
      if (w == "-c" && i + 1 < words.size()) {
        add(words[++i]);
      } else if (w.starts_with("-c")) {
        add(std::string_view(w).substr(2));
      } else if (w.starts_with("--")) {
        add(std::string_view(w).substr(2));
      }
    }
  }
  return out;
}

std::optional<int64_t> ParseMilliseconds(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  size_t digits = 0;
  while (digits < value.size() &&
         (std::isdigit(static_cast<unsigned char>(value[digits])) || value[digits] == '.' ||
          (digits == 0 && (value[0] == '-' || value[0] == '+')))) {
    ++digits;
  }
  if (digits == 0 || digits > 20) return std::nullopt;
  const std::string number(value.substr(0, digits));
  char* end = nullptr;
  const double amount = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !std::isfinite(amount)) return std::nullopt;
  std::string_view unit = value.substr(digits);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  const std::string u = Lower(unit);
  double scale = 0;
  if (u.empty() || u == "ms") {
    scale = 1;
  } else if (u == "us") {
    scale = 0.001;
  } else if (u == "s") {
    scale = 1000;
  } else if (u == "min") {
    scale = 60'000;
  } else if (u == "h") {
    scale = 3'600'000;
  } else if (u == "d") {
    scale = 86'400'000;
  } else {
    return std::nullopt;
  }
  const double ms = std::round(amount * scale);
  if (ms < 0 || ms > 2147483647.0) return std::nullopt;  // PostgreSQL's range
  return static_cast<int64_t>(ms);
}

SessionSettings::SessionSettings()
    : values_(std::make_shared<std::map<std::string, std::string>>()) {}

bool SessionSettings::Apply(const SettingChange& change, bool in_transaction, std::string* sqlstate,
                            std::string* error) {
  if (change.all) {
    Clear();
    return true;
  }
  if (IsFixed(change.name)) return true;
  std::optional<std::string> value = change.value;
  if (value && change.name == "statement_timeout") {
    std::optional<int64_t> ms = ParseMilliseconds(*value);
    if (!ms) {
      *sqlstate = "22023";  // invalid_parameter_value
      *error = fmt::format(
          "invalid value for parameter \"statement_timeout\": \"{}\" (milliseconds, or with a "
          "unit: '5s', '500ms', '2min'; 0 for none)",
          value->substr(0, 60));
      return false;
    }
    value = ShowMilliseconds(*ms);
  }
  if (value && value->size() > kMaxValueBytes) {
    *sqlstate = "22023";
    *error = fmt::format("the value of \"{}\" is longer than {} bytes", change.name.substr(0, 63),
                         kMaxValueBytes);
    return false;
  }
  if (value && !values_->count(change.name) && values_->size() >= kMaxSettings) {
    *sqlstate = "53400";  // configuration_limit_exceeded
    *error = fmt::format("a session keeps at most {} settings: RESET some", kMaxSettings);
    return false;
  }
  if (change.local) {
    if (!in_transaction) return true;  // as PostgreSQL: no effect outside a transaction block
    if (!local_.count(change.name)) {
      auto it = values_->find(change.name);
      local_[change.name] =
          it == values_->end() ? std::nullopt : std::optional<std::string>(it->second);
    }
  } else if (auto restore = local_.find(change.name); restore != local_.end()) {
    restore->second = value;  // a plain SET outlasts the transaction's SET LOCAL
  }
  if (value) {
    (*values_)[change.name] = *value;
  } else {
    values_->erase(change.name);
  }
  return true;
}

void SessionSettings::EndTransaction() {
  for (auto& [name, value] : local_) {
    if (value) {
      (*values_)[name] = *value;
    } else {
      values_->erase(name);
    }
  }
  local_.clear();
}

void SessionSettings::Clear() {
  values_->clear();
  local_.clear();
}

double SessionSettings::statement_timeout_seconds() const {
  auto it = values_->find("statement_timeout");
  if (it == values_->end()) return 0;
  std::optional<int64_t> ms = ParseMilliseconds(it->second);
  return ms ? static_cast<double>(*ms) / 1000 : 0;
}

}  // namespace saleslake::sql::pgwire

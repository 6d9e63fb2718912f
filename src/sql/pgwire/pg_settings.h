// A PostgreSQL session's settings: what SET, SET LOCAL, RESET and DISCARD ALL change, read back
// by SHOW and current_setting(). One setting acts: statement_timeout (milliseconds, or with a
// unit: '5s', '500ms', '2min'; 0 = the server's limit), capped by the server's own statement
// timeout. The others are kept as given so that a client reads back what it set; the catalog's
// fixed facts (server_version, transaction_read_only, ...) are not changed by SET.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace saleslake::sql::pgwire {

// SET [SESSION | LOCAL] name {= | TO} value [, value ...] | SET name {= | TO} DEFAULT |
// RESET name | RESET ALL, read from a statement; nullopt for the other SET forms (SET TIME ZONE,
// SET TRANSACTION, SET SESSION CHARACTERISTICS, ...), which change nothing.
struct SettingChange {
  std::string name;                  // lower case; "" with `all`
  std::optional<std::string> value;  // nullopt: back to the default
  bool local = false;                // SET LOCAL: until the transaction ends
  bool all = false;                  // RESET ALL
};
std::optional<SettingChange> ParseSettingChange(std::string_view sql);

// The settings of a startup packet: a statement_timeout parameter (node-postgres's option) and
// the `-c name=value` / `--name=value` pairs of `options` (libpq's PGOPTIONS).
std::vector<SettingChange> StartupSettingChanges(
    const std::vector<std::pair<std::string, std::string>>& parameters);

// A duration setting's value in milliseconds: 5000, '5000', '5s', '1.5s', '2min', '250ms', '1h'.
std::optional<int64_t> ParseMilliseconds(std::string_view value);

class SessionSettings {
 public:
  SessionSettings();

  // Applies a change; on a bad value, false with the SQLSTATE and message in `sqlstate`/`error`.
  bool Apply(const SettingChange& change, bool in_transaction, std::string* sqlstate,
             std::string* error);
  // The transaction ended: SET LOCAL values go back to what they were before it.
  void EndTransaction();
  // DISCARD ALL: every setting back to its default.
  void Clear();

  // The statement timeout the session asked for, in seconds; 0 when it asked for none.
  double statement_timeout_seconds() const;

  // Shared with the catalog (CatalogSession::settings) so that SHOW reads it.
  const std::shared_ptr<std::map<std::string, std::string>>& values() const { return values_; }

 private:
  std::shared_ptr<std::map<std::string, std::string>> values_;
  // SET LOCAL: each name's value before the transaction (nullopt: unset), put back at its end.
  std::map<std::string, std::optional<std::string>> local_;
};

}  // namespace saleslake::sql::pgwire

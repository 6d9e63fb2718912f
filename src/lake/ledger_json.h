// JSON forms of ledger commits and checkpoints. Commit records are small documents written once;
// parsing is strict (a damaged record is Corruption naming the file), and bounded by the record.
#pragma once

#include <string>
#include <string_view>

#include "base/json_writer.h"
#include "base/status.h"
#include "lake/ledger.h"

namespace saleslake::lake {

std::string StateToJson(const LedgerState& state);
// One file as commit records and checkpoints write it: {"path","table","partition","rows","bytes"}.
void WriteLedgerFile(JsonWriter* w, const LedgerFile& f);
Result<LedgerState> StateFromJson(std::string_view json, std::string_view where);

}  // namespace saleslake::lake

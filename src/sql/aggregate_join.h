// The inner join of the columnar aggregate path: the small table (AggJoin) is read once into a
// JoinTable, its rows listed by join key; AggregateScan probes it per row of the scanned table.
// Internal to src/sql.
#pragma once

#include <functional>
#include <optional>

#include "base/status.h"
#include "sql/aggregate_scan.h"

namespace saleslake::sql {

// Loads side 1 of `ctx.plan` (the columns the plan reads of it, its rows passing its WHERE
// terms) into `join` and lists its rows by key. nullopt: too many rows, or a form this path does
// not read (SQLite then runs the query); an error Status when a file cannot be read.
std::optional<Status> LoadJoinTable(const AggContext& ctx, const std::function<Status()>& stop,
                                    JoinTable* join);

}  // namespace saleslake::sql

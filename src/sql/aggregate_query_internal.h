// The scan of the columnar aggregate path, shared by the query (aggregate_query.cc) and the join
// loader (aggregate_join.cc). Internal to src/sql.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "base/status.h"
#include "sql/aggregate_scan.h"
#include "table/group_by.h"

namespace saleslake::sql {

// Reads ctx.plan's table: the files its partition keys and day range leave, each checked to hold
// its columns in a form AggregateScan reads, then scanned by up to `threads` workers (one file at
// a time each), whose kernels are merged into *kernel (when given). Prepares ctx. nullopt: a
// file or value this path does not answer (SQLite then runs the query).
std::optional<Status> ScanTable(AggContext& ctx, const std::function<Status()>& stop, int threads,
                                std::unique_ptr<table::GroupByKernel>* kernel);

}  // namespace saleslake::sql

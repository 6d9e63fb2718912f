// The crawl as a step of `saleslake run`: after the transform, under the run's lock, the lake is
// crawled into its default catalog (lake_tables.h: DefaultCatalogPath), so that `query`, `catalog`
// and the dashboard see what the run committed.
#pragma once

#include "lake/run_steps.h"

namespace saleslake::catalog {

lake::RunStepFactory CrawlRunStep();

}  // namespace saleslake::catalog

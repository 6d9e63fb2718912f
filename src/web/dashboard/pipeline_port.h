// What the dashboard asks of the pipeline, which sits beside web/ and not below it: a port of
// plain functions that app/ fills with the pipeline's (app/dashboard_pipeline.cc), so that
// nothing in web/ includes pipeline/. Until it is installed every call answers Unavailable.
//
// The run is the dashboard's "run now" and `saleslake up`'s: with an API, a `saleslake run`
// (extract N batches -> transform -> crawl, with its run record); without one, the transform of
// pending batches and the crawl.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/lake.h"
#include "lake/ledger.h"

namespace saleslake::web {

struct DashboardRunOptions {
  std::shared_ptr<lake::Lake> lake;  // the one the command (serve, up) opened
  std::string api_url;               // "" = no extract: transform pending batches only
  int batches = 1;
};

struct DashboardRunResult {
  std::string run_id;
  uint64_t rows_extracted = 0;
  uint64_t rows_main = 0;
  uint64_t rows_quarantined = 0;
  int64_t duration_micros = 0;
};

// One quarantined record, as the quarantine page shows it.
struct QuarantineSample {
  std::string reason, detail, batch_id, raw;
  int64_t record_index = 0;
};

// One row of main/daily_sales (day x store x product), money in paise.
struct DailySalesRow {
  int32_t date = 0;  // days since 1970-01-01 (business day)
  std::string store_id, store_name, store_location;
  std::string product_id, product_name, category, brand;
  int64_t orders = 0, units = 0, sales = 0, cost = 0, gross_profit = 0;
};

struct PipelinePort {
  std::function<Result<DashboardRunResult>(const DashboardRunOptions&)> run;
  std::function<Result<std::vector<QuarantineSample>>(io::FileSystem& fs,
                                                      const lake::LedgerState& state,
                                                      const std::string& reason, uint64_t limit)>
      quarantine_samples;
  std::function<Status(io::FileSystem& fs, const std::string& path,
                       std::vector<DailySalesRow>* rows)>
      read_daily_rows;
  // The newest run records (JSON texts), newest first.
  std::function<Result<std::vector<std::string>>(io::FileSystem& fs, size_t limit)>
      recent_run_records;
  // Adds a commit's quarantine counts by reason (from its details) to `counts`.
  std::function<void(std::string_view details_json, std::map<std::string, int64_t>* counts)>
      add_quarantine_counts;
};

// Installs the pipeline's functions (app/ does, once, before any command runs).
void InstallPipelinePort(PipelinePort port);
// The installed port; its unset functions answer Unavailable (or do nothing).
const PipelinePort& Pipeline();

Result<DashboardRunResult> RunDashboardPipeline(const DashboardRunOptions& options);

}  // namespace saleslake::web

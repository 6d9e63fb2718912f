#include "web/dashboard/pipeline_port.h"

#include <memory>
#include <utility>

namespace saleslake::web {
namespace {

Status NotInstalled() {
  return Status::Unavailable("the pipeline is not part of this program (no run, no quarantine)");
}

PipelinePort& Installed() {
  static PipelinePort* port = [] {
    auto* p = new PipelinePort();
    p->run = [](const DashboardRunOptions&) -> Result<DashboardRunResult> {
      return NotInstalled();
    };
    p->quarantine_samples = [](io::FileSystem&, const lake::LedgerState&, const std::string&,
                               uint64_t) -> Result<std::vector<QuarantineSample>> {
      return NotInstalled();
    };
    p->read_daily_rows = [](io::FileSystem&, const std::string&, std::vector<DailySalesRow>*) {
      return NotInstalled();
    };
    p->recent_run_records = [](io::FileSystem&, size_t) -> Result<std::vector<std::string>> {
      return std::vector<std::string>();
    };
    p->add_quarantine_counts = [](std::string_view, std::map<std::string, int64_t>*) {};
    return p;
  }();
  return *port;
}

}  // namespace

void InstallPipelinePort(PipelinePort port) {
  PipelinePort& p = Installed();
  if (port.run) p.run = std::move(port.run);
  if (port.quarantine_samples) p.quarantine_samples = std::move(port.quarantine_samples);
  if (port.read_daily_rows) p.read_daily_rows = std::move(port.read_daily_rows);
  if (port.recent_run_records) p.recent_run_records = std::move(port.recent_run_records);
  if (port.add_quarantine_counts) p.add_quarantine_counts = std::move(port.add_quarantine_counts);
}

const PipelinePort& Pipeline() { return Installed(); }

Result<DashboardRunResult> RunDashboardPipeline(const DashboardRunOptions& options) {
  return Pipeline().run(options);
}

}  // namespace saleslake::web

// The dashboard's port to the pipeline (web/dashboard/pipeline_port.h), wired to src/pipeline:
// main() installs it before any command runs; tests that exercise the dashboard do too.
#pragma once

namespace saleslake {

void InstallDashboardPipeline();

}  // namespace saleslake

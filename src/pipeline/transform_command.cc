#include "pipeline/transform_command.h"

#include <cstdio>
#include <iostream>
#include <optional>

#include "base/cli.h"
#include "base/clock.h"
#include "lake/lake_root.h"
#include "pipeline/distributed/distributed_transform.h"
#include "pipeline/reference_flags.h"
#include "pipeline/transform.h"

namespace saleslake::pipeline {

int TransformCommand(int argc, char** argv) {
  CLI::App app{
      "Transform the raw batches not yet transformed into main/sales (clean, typed, "
      "deduplicated, by business day), quarantine/sales, main/daily_sales and the "
      "aggregate tables, in one ledger commit."};
  std::string lake, offset = "+00:00", now, format = "text";
  ReferenceFlags reference;
  AddLakeFlag(&app, &lake);
  app.add_option("--business-utc-offset", offset, "the business day's UTC offset (+05:30)");
  reference.Add(&app);
  app.add_option("--now", now, "judge future timestamps against this ISO 8601 instant");
  AddFormatFlag(&app, &format);
  int threads = 1;
  AddThreadsFlag(&app, &threads);
  bool rebuild = false;
  int workers = 0;
  app.add_option("--workers", workers,
                 "run the transform as tasks done by N local worker processes (needs "
                 "--commit-log postgresql://…; docs/scale-out.md)")
      ->check(CLI::Range(1, 256));
  app.add_flag("--rebuild", rebuild,
               "re-derive main, quarantine, the rollups and the six tables from all of raw, in "
               "one commit (after changing the reference catalog or the rules)");
  return RunCommand(
      app, "transform",
      "saleslake transform --lake ./lake --business-utc-offset +05:30 \\\n"
      "    --reference-products products.json --reference-stores stores.json",
      argc, argv, [&]() -> Status {
        SL_ASSIGN_OR_RETURN(std::shared_ptr<saleslake::lake::Lake> opened,
                            saleslake::lake::Lake::Open(lake));
        SL_RETURN_IF_ERROR(saleslake::lake::CheckLakeExists(*opened->fs(), lake));
        if (workers > 0) {
          if (std::string why = distributed::WorkersNeedPostgres(); !why.empty()) {
            return Status::InvalidArgument(why);
          }
        }
        TransformOptions options;
        options.rebuild = rebuild;
        options.threads = threads;
        SL_ASSIGN_OR_RETURN(options.business_utc_offset_seconds, ParseUtcOffset(offset));
        SL_RETURN_IF_ERROR(reference.Resolve(&options.reference, &options.reference_name));
        if (!now.empty()) {
          SL_ASSIGN_OR_RETURN(options.now_micros, ParseIso8601Micros(now));
        }
        if (workers > 0) {
          distributed::TransformTaskInput input;
          input.business_utc_offset_seconds = options.business_utc_offset_seconds;
          input.now_micros = options.now_micros;
          input.rebuild = rebuild;
          reference.Paths(&input.reference_products, &input.reference_stores);
          distributed::DistributedOptions d;
          d.workers = workers;
          SL_ASSIGN_OR_RETURN(std::string json,
                              distributed::TransformWithWorkers(*opened, input, d));
          if (format != "json") std::cout << "transformed by " << workers << " worker(s): ";
          std::cout << json << "\n";
          return Status::OK();
        }
        SL_ASSIGN_OR_RETURN(TransformResult result, TransformLake(*opened, options));
        if (format == "json") {
          std::cout << result.ToJson() << "\n";
        } else if (!result.committed) {
          std::cout << "nothing to transform: every raw batch is already in main\n";
        } else {
          std::cout << (rebuild ? "rebuilt from " : "transformed ") << result.batches.size()
                    << " batch(es), commit " << result.seq << ": " << result.rows_in << " rows in, "
                    << result.rows_main << " to main, " << result.rows_quarantined
                    << " quarantined, " << result.dropped_duplicates
                    << " exact duplicates dropped, " << result.partitions << " day partition(s)\n";
        }
        return Status::OK();
      });
}

}  // namespace saleslake::pipeline

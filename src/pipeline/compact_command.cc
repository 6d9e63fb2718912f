#include <iostream>

#include "base/cli.h"
#include "lake/lake_root.h"
#include "pipeline/compact.h"
#include "pipeline/transform_command.h"

namespace saleslake::pipeline {

int CompactCommand(int argc, char** argv) {
  CLI::App app{
      "Merge the small files of each partition of a table into one file, atomically "
      "(one ledger commit of kind \"compact\": the same rows, fewer files)."};
  std::string lake, table = "main/sales", format = "text";
  double target_mb = 128;
  AddLakeFlag(&app, &lake);
  app.add_option("--table", table, "main/sales, main/daily_sales, quarantine/sales or raw/sales");
  app.add_option("--target-file-mb", target_mb, "files at least this large are left alone")
      ->check(CLI::Range(0.001, 65536.0));
  AddFormatFlag(&app, &format);
  int threads = 1;
  AddThreadsFlag(&app, &threads);
  return RunCommand(app, "compact", "saleslake compact --lake ./lake --table main/sales", argc,
                    argv, [&]() -> Status {
                      SL_ASSIGN_OR_RETURN(std::shared_ptr<saleslake::lake::Lake> opened,
                                          saleslake::lake::Lake::Open(lake));
                      SL_RETURN_IF_ERROR(saleslake::lake::CheckLakeExists(*opened->fs(), lake));
                      CompactOptions options;
                      options.table = table;
                      options.threads = threads;
                      options.target_file_bytes = static_cast<uint64_t>(target_mb * (1 << 20));
                      SL_ASSIGN_OR_RETURN(CompactResult result, CompactLake(*opened, options));
                      if (format == "json") {
                        std::cout << result.ToJson() << "\n";
                      } else if (!result.committed) {
                        std::cout << "nothing to compact in " << table << "\n";
                      } else {
                        std::cout << "compacted " << result.partitions << " partition(s) of "
                                  << table << ": " << result.files_removed << " files -> "
                                  << result.files_added << ", " << result.rows << " rows, commit "
                                  << result.seq << "\n";
                      }
                      return Status::OK();
                    });
}

}  // namespace saleslake::pipeline

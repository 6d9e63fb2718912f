#include <iostream>
#include <optional>

#include "base/cli.h"
#include "base/clock.h"
#include "base/json_writer.h"
#include "lake/lake_lock.h"
#include "lake/lake_root.h"
#include "pipeline/quarantine.h"
#include "pipeline/reference_flags.h"
#include "pipeline/transform_command.h"

namespace saleslake::pipeline {

int QuarantineCommand(int argc, char** argv) {
  CLI::App app{
      "Look at quarantined records, and replay them into main once their cause is "
      "fixed."};
  app.require_subcommand(1);
  std::string lake, reason, format = "text", offset = "+00:00", now;
  ReferenceFlags reference;
  uint64_t limit = 20;
  AddLakeFlag(&app, &lake);
  CLI::App* list = app.add_subcommand("list", "quarantined records (reason, detail, batch, text)");
  list->add_option("--reason", reason, "only records with this reason code (bad_email, ...)");
  list->add_option("--limit", limit, "at most this many records (0: all)");
  AddFormatFlag(list, &format);
  CLI::App* replay = app.add_subcommand(
      "replay", "re-validate quarantined records; move those that now pass into main, once");
  replay->add_option("--reason", reason, "only records with this reason code");
  reference.Add(replay);
  replay->add_option("--business-utc-offset", offset, "the business day's UTC offset");
  replay->add_option("--now", now, "judge future timestamps against this ISO 8601 instant");
  AddFormatFlag(replay, &format);
  return RunCommand(
      app, "quarantine",
      "saleslake quarantine list --reason unknown_store --limit 5\n"
      "  saleslake quarantine replay --reason unknown_store \\\n"
      "      --reference-products products.json --reference-stores stores.json",
      argc, argv, [&]() -> Status {
        SL_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> fs, io::FileSystemFromUri(lake));
        SL_RETURN_IF_ERROR(saleslake::lake::CheckLakeExists(*fs, lake));
        if (list->parsed()) {
          SL_ASSIGN_OR_RETURN(auto ledger, lake::Ledger::Open(fs, /*recover=*/false));
          SL_ASSIGN_OR_RETURN(auto records, ListQuarantine(*fs, ledger->state(), reason, limit));
          if (format == "json") {
            std::string out;
            JsonWriter w(&out);
            w.BeginArray();
            for (const auto& r : records) {
              w.BeginObject();
              w.Field("reason", r.reason);
              w.Field("detail", r.detail);
              w.Field("batch_id", r.batch_id);
              w.Field("record_index", r.record_index);
              w.Field("raw", r.raw);
              w.Field("file", r.path);
              w.EndObject();
            }
            w.EndArray();
            std::cout << out << "\n";
          } else {
            for (const auto& r : records) {
              std::cout << r.reason << "\t" << r.batch_id << "#" << r.record_index << "\t"
                        << r.detail << "\t" << r.raw.substr(0, 200) << "\n";
            }
          }
          return Status::OK();
        }
        ReplayOptions options;
        options.reason = reason;
        SL_ASSIGN_OR_RETURN(options.business_utc_offset_seconds, ParseUtcOffset(offset));
        if (!now.empty()) {
          SL_ASSIGN_OR_RETURN(options.now_micros, ParseIso8601Micros(now));
        }
        std::string reference_name;
        SL_RETURN_IF_ERROR(reference.Resolve(&options.reference, &reference_name));
        SL_ASSIGN_OR_RETURN(auto lock, lake::LakeLock::Acquire(fs, "saleslake quarantine replay"));
        SL_ASSIGN_OR_RETURN(auto ledger, lake::Ledger::Open(fs, /*recover=*/true));
        SL_ASSIGN_OR_RETURN(ReplayResult result, RunReplay(fs, ledger.get(), options));
        if (format == "json") {
          std::cout << result.ToJson() << "\n";
        } else {
          std::cout << "replayed " << result.examined << " record(s): " << result.moved_to_main
                    << " moved to main, " << result.dropped_duplicates
                    << " exact duplicates dropped, " << result.still_quarantined
                    << " still quarantined"
                    << (result.committed ? ", commit " + std::to_string(result.seq) : "") << "\n";
        }
        return Status::OK();
      });
}

}  // namespace saleslake::pipeline

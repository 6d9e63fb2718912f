// `saleslake migrate`: a lake written by an older saleslake, brought to the current commit-log
// format at once (any writer's first open does the same).
#include <cstdio>

#include "base/cli.h"
#include "base/json_writer.h"
#include "lake/lake.h"

namespace saleslake::lake {

Result<MigrateResult> MigrateLake(const Lake& lake) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<LakeLock> lock, lake.Lock("saleslake migrate"));
  MigrateResult result;
  {
    SL_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> before, lake.OpenLog(/*writer=*/false));
    result.from_format = before->format();
  }
  SL_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> log, lake.OpenLog(/*writer=*/true));
  result.to_format = log->format();
  result.last_seq = log->state().last_seq;
  return result;
}

int MigrateCommand(int argc, char** argv) {
  CLI::App app(
      "Bring a lake written by an older saleslake to the current commit-log format, in one "
      "atomic write (a checkpoint of the current format). Any writer does this on its first "
      "open; readers read older formats as they are. A lake already current is left as it is.");
  std::string uri;
  std::string format = "text";
  AddLakeFlag(&app, &uri);
  AddFormatFlag(&app, &format);
  return RunCommand(app, "migrate", "saleslake migrate --lake ./lake", argc, argv, [&]() -> Status {
    SL_ASSIGN_OR_RETURN(std::shared_ptr<Lake> lake, Lake::Open(uri));
    SL_ASSIGN_OR_RETURN(MigrateResult r, MigrateLake(*lake));
    if (format == "json") {
      std::string out;
      JsonWriter w(&out);
      w.BeginObject();
      w.Field("lake", lake->uri());
      w.Field("from_format", static_cast<int64_t>(r.from_format));
      w.Field("format", static_cast<int64_t>(r.to_format));
      w.Field("last_seq", r.last_seq);
      w.EndObject();
      std::printf("%s\n", out.c_str());
    } else if (r.from_format == r.to_format) {
      std::printf("%s: commit log already in format %u (%llu commits)\n", lake->uri().c_str(),
                  r.to_format, static_cast<unsigned long long>(r.last_seq));
    } else {
      std::printf("%s: commit log migrated from format %u to %u (%llu commits)\n",
                  lake->uri().c_str(), r.from_format, r.to_format,
                  static_cast<unsigned long long>(r.last_seq));
    }
    return Status::OK();
  });
}

}  // namespace saleslake::lake

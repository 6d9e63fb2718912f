// `saleslake unlock --lake URI [--force]`: breaks the lease of a writer that died where no one
// can prove it dead (on another machine), recorded in the ledger. See lake_lock.h.
#include <cstdio>

#include "base/cli.h"
#include "lake/lake_lock.h"

namespace saleslake::lake {

int UnlockCommand(int argc, char** argv) {
  CLI::App app(
      "Break the lake's lock when its holder is gone. On S3 the lock is a lease; a writer killed "
      "on another machine holds it until it expires (15 min). Without --force: says who holds "
      "it and until when. With --force: deletes the lease and records that in the ledger (a "
      "commit of kind 'unlock'). A local lake's lock is the kernel's: it never outlives its "
      "holder, so there is nothing to break.");
  std::string lake;
  bool force = false;
  AddLakeFlag(&app, &lake);
  app.add_flag("--force", force, "break a lease whose holder is still within its lease time");
  return RunCommand(app, "unlock", "saleslake unlock --lake s3://bucket/lake --force", argc, argv,
                    [&]() -> Status {
                      SL_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> fs,
                                          io::FileSystemFromUri(lake));
                      SL_ASSIGN_OR_RETURN(std::string text, UnlockLake(fs, force));
                      std::fputs(text.c_str(), stdout);
                      return Status::OK();
                    });
}

}  // namespace saleslake::lake

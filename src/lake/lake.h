// A Lake: a lake URI opened once per command — parsed once into its FileSystem — and handed
// down to every stage, with the way to its commit log and its writer lock.
//
//   SL_ASSIGN_OR_RETURN(std::shared_ptr<lake::Lake> lake, lake::Lake::Open(uri));
//   SL_ASSIGN_OR_RETURN(auto lock, lake->Lock("saleslake compact"));
//   SL_ASSIGN_OR_RETURN(auto log, lake->OpenLog(/*writer=*/true));  // recovers, migrates
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "io/file_system.h"
#include "io/uri.h"
#include "lake/lake_lock.h"
#include "lake/ledger.h"

namespace saleslake::lake {

class Lake {
 public:
  // Parses `uri` (a path, file://, s3://bucket/prefix or mem://name) and opens its storage.
  static Result<std::shared_ptr<Lake>> Open(std::string_view uri);
  // A lake on storage the caller already has (tests, tools).
  static std::shared_ptr<Lake> OnFileSystem(std::shared_ptr<io::FileSystem> fs);

  const std::string& uri() const { return uri_; }
  // The URI as parsed once at Open: its scheme, and the absolute folder of a local lake (what
  // the catalog's default place is derived from).
  const io::ParsedUri& location() const { return location_; }
  const std::shared_ptr<io::FileSystem>& fs() const { return fs_; }

  // The commit log. A writer's open (holding Lock()) finishes an interrupted last commit and
  // migrates a log written in an older format; a reader's open changes nothing.
  Result<std::unique_ptr<Ledger>> OpenLog(bool writer) const;
  // The writer lock; `purpose` describes the holder in others' errors ("saleslake compact").
  Result<std::unique_ptr<LakeLock>> Lock(std::string_view purpose) const;

 private:
  Lake(std::string uri, io::ParsedUri location, std::shared_ptr<io::FileSystem> fs)
      : uri_(std::move(uri)), location_(std::move(location)), fs_(std::move(fs)) {}

  std::string uri_;
  io::ParsedUri location_;
  std::shared_ptr<io::FileSystem> fs_;
};

// `saleslake migrate --lake URI`: takes the lock, opens the log as a writer (which migrates an
// older format) and says what it found. argv[0] is "migrate".
struct MigrateResult {
  uint32_t from_format = 0;
  uint32_t to_format = 0;
  uint64_t last_seq = 0;
};
Result<MigrateResult> MigrateLake(const Lake& lake);
int MigrateCommand(int argc, char** argv);

}  // namespace saleslake::lake

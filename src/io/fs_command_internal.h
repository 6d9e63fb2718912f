// Pieces shared by the `fs` subcommands (internal to io).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

#include "base/status.h"
#include "io/uri.h"

namespace saleslake::io::fs_command {

// The S3 flags every subcommand accepts (--s3-endpoint, --s3-region, --s3-no-verify-tls). The S3
// layer reads them from SALESLAKE_S3_* in the environment, which Apply() sets from the flags.
struct S3Flags {
  std::string endpoint;
  std::string region;
  bool no_verify_tls = false;
  void Add(CLI::App* app);
  void Apply() const;
};

// ResolveUri with the error naming the URI as the user typed it.
Result<UriLocation> Resolve(std::string_view uri);

// The URI of `path` inside `fs`, for output and messages.
std::string UriOf(const FileSystem& fs, std::string_view path);

// Info about `loc`, NotFound ("no such file or directory: URI") when it does not exist.
Result<FileInfo> Existing(const UriLocation& loc, std::string_view uri);

int LsCommand(int argc, char** argv);
int StatCommand(int argc, char** argv);
int CatCommand(int argc, char** argv);
int PutCommand(int argc, char** argv);
int CpCommand(int argc, char** argv);
int RmCommand(int argc, char** argv);
int MbCommand(int argc, char** argv);
int RbCommand(int argc, char** argv);

}  // namespace saleslake::io::fs_command

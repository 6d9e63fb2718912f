// Lake and file URIs.
//
//   file:///abs/path      a directory or file on local disk (file://localhost/abs/path too)
//   /abs/path, ./rel, rel a plain path; relative ones are resolved against the working directory
//   mem://name[/prefix]   the process-wide in-memory store `name` (see MemFileSystem::Named)
//   s3://bucket[/prefix]  an S3 bucket (built by the S3 layer, see io/s3/s3_factory.h)
//
// URIs are taken literally: no percent-decoding, because Hive partition directories legitimately
// contain '%' escapes ("city=New%20York") that must reach the storage unchanged. "." and ".." in
// local paths are resolved lexically (the working directory has no symbolic links in it, as
// getcwd reports it).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "io/file_system.h"

namespace saleslake::io {

struct ParsedUri {
  std::string scheme;  // "file", "mem" or "s3" (plain paths are "file")
  // file: the absolute, normalised path ("/" or "/a/b"); mem: the store name; s3: the bucket.
  std::string authority;
  // mem and s3: the normalised path after the authority ("" when none). file: empty.
  std::string path;
};

// Parses and validates without touching any storage.
Result<ParsedUri> ParseUri(std::string_view uri);

// A file system and a path inside it: what one argument of `saleslake fs` names.
struct UriLocation {
  std::shared_ptr<FileSystem> fs;  // rooted at "/" (file), the store (mem) or the bucket (s3)
  std::string path;                // normalised; "" is the root
};

// Splits a URI naming one file or directory into a file system at the widest root its scheme
// allows and the path inside it, so that any two URIs of one scheme can be copied between.
Result<UriLocation> ResolveUri(std::string_view uri);

}  // namespace saleslake::io

#include "lake/lake_root.h"

#include <fmt/format.h>

namespace saleslake::lake {
namespace {

Status NoLake(std::string_view uri, std::string_view why) {
  return Status::NotFound(fmt::format(
      "no lake at {}: {} (give --lake URI, or create one with 'saleslake run' or 'saleslake up')",
      uri, why));
}

}  // namespace

Status CheckLakeExists(io::FileSystem& fs, std::string_view uri) {
  io::ListOptions options;
  options.recursive = false;
  options.include_directories = true;
  Result<std::vector<io::FileInfo>> marker = fs.List(kLakeMarkerDir, options);
  if (!marker.ok()) return NoLake(uri, marker.status().message());
  if (!marker->empty()) return Status::OK();
  Result<std::vector<io::FileInfo>> root = fs.List("", options);
  if (!root.ok()) return NoLake(uri, root.status().message());
  if (root->empty()) {
    return NoLake(uri, fs.scheme() == "s3" ? "nothing is stored under it"
                                           : "the folder does not exist or is empty");
  }
  return NoLake(
      uri, fmt::format("it has no {}/ commit log, so it is not a saleslake lake", kLakeMarkerDir));
}

Status CheckLakeExists(std::string_view uri) {
  Result<std::shared_ptr<io::FileSystem>> fs = io::FileSystemFromUri(uri);
  if (!fs.ok()) return fs.status();
  return CheckLakeExists(**fs, uri);
}

}  // namespace saleslake::lake

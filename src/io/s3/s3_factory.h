// The hook between the io layer and the S3 layer.
//
// FileSystemFromUri and ResolveUri (io/uri.cc) call S3FileSystemFromUri for every "s3://" URI
// when the library is built with SALESLAKE_WITH_S3 defined (io/s3/CMakeLists.txt defines it next
// to the S3 sources); without it they answer NotSupported.
#pragma once

#include <memory>
#include <string_view>

#include "base/status.h"
#include "io/file_system.h"

namespace saleslake::io::s3 {

// `uri` is "s3://bucket" or "s3://bucket/prefix"; the file system's paths are keys below the
// prefix. Endpoint, region and credentials come from the standard AWS configuration.
Result<std::shared_ptr<FileSystem>> S3FileSystemFromUri(std::string_view uri);

// `saleslake fs mb` / `fs rb`: make a bucket (an existing one of ours is fine) / remove an empty
// one. `uri` is "s3://bucket" with no key.
Status MakeBucket(std::string_view uri);
Status RemoveBucket(std::string_view uri);

struct S3Config;
// The same with an explicit configuration (tests, tools that build their own).
Result<std::shared_ptr<FileSystem>> S3FileSystemFromUri(std::string_view uri,
                                                        const S3Config& config);

}  // namespace saleslake::io::s3

// Keys of a FileSystem: validation, normalisation and the names of in-progress writes.
//
// A key is a '/'-separated path relative to the file system's root. Every implementation accepts
// exactly the same keys, so that a lake moves between local disk, memory and S3 unchanged: any
// bytes except NUL, '=' and spaces and Unicode included, but no "." or ".." segment and no empty
// segment inside the path (S3 would keep "a//b" while a disk would fold it into "a/b").
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake::io {

// Normalises a key that may name the root: a leading and a trailing '/' are dropped ("/a/b/" is
// "a/b"; "" and "/" are the root, ""). Refuses ".", "..", empty inner segments and NUL bytes with
// InvalidArgument naming the path.
Result<std::string> NormalizePath(std::string_view path);

// Like NormalizePath, but the root is refused: the path must name a file.
Result<std::string> NormalizeFilePath(std::string_view path);

// Like NormalizeFilePath, and the base name must not be reserved for in-progress writes (see
// IsTemporaryName), so that a published file can never be mistaken for an orphan.
Result<std::string> NormalizeWritablePath(std::string_view path);

// "a/b" + "c" is "a/b/c"; an empty side gives the other.
std::string JoinPath(std::string_view dir, std::string_view name);

// "a/b/c" -> "a/b"; "c" -> "" (the root).
std::string_view ParentPath(std::string_view path);

// "a/b/c" -> "c".
std::string_view BaseName(std::string_view path);

// True when normalised `path` lies strictly inside directory `dir` ("" is the root). "a/bc" is not
// inside "a/b".
bool IsInside(std::string_view path, std::string_view dir);

// In-progress writes on disk live under ".tmp-<16 hex digits>-<base name>.partial" in the
// target's directory. The leading '.' and the ".partial" suffix (never ".parquet") make query
// engines (DuckDB, Spark, Trino, Athena) skip them; List hides them unless asked, so that a crash
// leaves only invisible orphans that vacuum can find.
inline constexpr std::string_view kTemporaryPrefix = ".tmp-";
inline constexpr std::string_view kTemporarySuffix = ".partial";

// A fresh, random temporary name for a write to `base_name` (truncated so the result fits in a
// file name).
std::string MakeTemporaryName(std::string_view base_name);

// True if `base_name` has the exact shape MakeTemporaryName produces.
bool IsTemporaryName(std::string_view base_name);

}  // namespace saleslake::io

#include "io/uri.h"

#include <unistd.h>

#include <cctype>
#include <vector>

#include "io/local_file_system.h"
#include "io/mem_file_system.h"
#include "io/path.h"

#if defined(SALESLAKE_WITH_S3)
#include "io/s3/s3_factory.h"
#endif

namespace saleslake::io {
namespace {

Status BadUri(std::string_view uri, std::string_view why) {
  return Status::InvalidArgument("invalid URI '" + std::string(uri) + "': " + std::string(why));
}

// "scheme" of "scheme://...", or "" for a plain path. A scheme is a letter followed by letters,
// digits, '+', '-' or '.' (RFC 3986).
std::string_view SchemeOf(std::string_view uri) {
  size_t sep = uri.find("://");
  if (sep == std::string_view::npos || sep == 0) return {};
  if (!std::isalpha(static_cast<unsigned char>(uri[0]))) return {};
  for (size_t i = 1; i < sep; ++i) {
    char c = uri[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return {};
  }
  return uri.substr(0, sep);
}

// Resolves "." and ".." in an absolute path and drops empty segments: "/a/./b/../c//" is "/a/c".
std::string NormalizeAbsolutePath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(start, end - start);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    start = end + 1;
  }
  std::string out;
  for (std::string_view p : parts) {
    out.push_back('/');
    out.append(p);
  }
  return out.empty() ? "/" : out;
}

Result<std::string> AbsoluteLocalPath(std::string_view uri, std::string_view path) {
  if (path.empty()) return BadUri(uri, "the path is empty");
  if (path.find('\0') != std::string_view::npos) return BadUri(uri, "contains a NUL byte");
  if (path.front() == '/') return NormalizeAbsolutePath(path);
  std::vector<char> cwd(4096);
  if (::getcwd(cwd.data(), cwd.size()) == nullptr) {
    return Status::IOError("cannot resolve relative path '" + std::string(path) +
                           "': the working directory is unknown");
  }
  return NormalizeAbsolutePath(std::string(cwd.data()) + "/" + std::string(path));
}

Result<std::shared_ptr<FileSystem>> S3FromUri(std::string_view uri) {
#if defined(SALESLAKE_WITH_S3)
  return s3::S3FileSystemFromUri(uri);
#else
  return Status::NotSupported("cannot open '" + std::string(uri) +
                              "': this saleslake was built without S3 support");
#endif
}

}  // namespace

Result<ParsedUri> ParseUri(std::string_view uri) {
  ParsedUri out;
  std::string_view scheme = SchemeOf(uri);
  if (scheme.empty()) {
    out.scheme = "file";
    SL_ASSIGN_OR_RETURN(out.authority, AbsoluteLocalPath(uri, uri));
    return out;
  }
  std::string_view rest = uri.substr(scheme.size() + 3);
  if (scheme == "file") {
    // file:///abs or file://localhost/abs; anything else names another host.
    if (rest.substr(0, 9) == "localhost") rest.remove_prefix(9);
    if (rest.empty() || rest.front() != '/') {
      return BadUri(uri, "a file URI needs an absolute path, as in file:///data/lake");
    }
    out.scheme = "file";
    SL_ASSIGN_OR_RETURN(out.authority, AbsoluteLocalPath(uri, rest));
    return out;
  }
  if (scheme != "mem" && scheme != "s3") {
    return Status::NotSupported("unsupported URI scheme '" + std::string(scheme) + "' in '" +
                                std::string(uri) + "': use a path, file://, s3:// or mem://");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (scheme == "s3" && authority.empty()) {
    return BadUri(uri, "the bucket name is missing, as in s3://bucket/prefix");
  }
  auto normalized = NormalizePath(path);
  if (!normalized.ok()) return BadUri(uri, normalized.status().message());
  out.scheme = std::string(scheme);
  out.authority = std::string(authority);
  out.path = std::move(normalized).value();
  return out;
}

Result<std::shared_ptr<FileSystem>> FileSystemFromUri(std::string_view uri) {
  SL_ASSIGN_OR_RETURN(ParsedUri parsed, ParseUri(uri));
  if (parsed.scheme == "file") {
    SL_ASSIGN_OR_RETURN(auto fs, LocalFileSystem::Make(parsed.authority));
    return std::shared_ptr<FileSystem>(std::move(fs));
  }
  if (parsed.scheme == "mem") {
    SL_ASSIGN_OR_RETURN(auto fs, MemFileSystem::Named(parsed.authority, parsed.path));
    return std::shared_ptr<FileSystem>(std::move(fs));
  }
  return S3FromUri(uri);
}

Result<UriLocation> ResolveUri(std::string_view uri) {
  SL_ASSIGN_OR_RETURN(ParsedUri parsed, ParseUri(uri));
  UriLocation out;
  if (parsed.scheme == "file") {
    SL_ASSIGN_OR_RETURN(auto fs, LocalFileSystem::Make("/"));
    out.fs = std::move(fs);
    out.path = parsed.authority.substr(1);
  } else if (parsed.scheme == "mem") {
    SL_ASSIGN_OR_RETURN(auto fs, MemFileSystem::Named(parsed.authority));
    out.fs = std::move(fs);
    out.path = std::move(parsed.path);
  } else {
    SL_ASSIGN_OR_RETURN(out.fs, S3FromUri("s3://" + parsed.authority));
    out.path = std::move(parsed.path);
  }
  return out;
}

}  // namespace saleslake::io

#include "io/s3/s3_file_system.h"

#include <algorithm>
#include <set>

#include "base/logging.h"
#include "io/path.h"
#include "io/s3/s3_errors.h"

namespace saleslake::io::s3 {
namespace {

constexpr uint64_t kMaxSingleCopyBytes = 5ULL << 30;  // CopyObject's limit
// Read at open, with the size: costs no more than a HEAD, and covers small files whole.
constexpr size_t kOpenPrefetchBytes = 64 << 10;

bool EndsWithSlash(std::string_view s) { return !s.empty() && s.back() == '/'; }

// A key below a listed directory that our paths can name: other tools may write keys with "//"
// or "." segments, which no FileSystem path reaches, so they are left out of listings.
bool IsAddressable(std::string_view relative) {
  Result<std::string> normalized = NormalizePath(relative);
  return normalized.ok() && *normalized == relative;
}

}  // namespace

S3FileSystem::S3FileSystem(std::shared_ptr<S3Client> client, std::string bucket, std::string prefix)
    : client_(std::move(client)), bucket_(std::move(bucket)), prefix_(std::move(prefix)) {}

std::string S3FileSystem::root_uri() const {
  return prefix_.empty() ? "s3://" + bucket_ : "s3://" + bucket_ + "/" + prefix_;
}

std::string S3FileSystem::ObjectKey(std::string_view path) const { return JoinPath(prefix_, path); }

Result<ListPage> S3FileSystem::ListUnder(std::string_view dir, bool recursive, int limit) {
  std::string key = ObjectKey(dir);
  std::string list_prefix = key.empty() ? "" : key + "/";
  if (limit > 0) {
    return client_->ListObjectsPage(bucket_, list_prefix, recursive ? "" : "/", "", limit);
  }
  return client_->ListObjects(bucket_, list_prefix, recursive ? "" : "/");
}

Result<FileInfo> S3FileSystem::GetFileInfo(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  FileInfo info;
  info.path = p;
  if (p.empty()) {
    info.type = FileType::kDirectory;
    return info;
  }
  Result<ObjectInfo> head = client_->HeadObject(bucket_, ObjectKey(p));
  if (head.ok()) {
    info.type = FileType::kFile;
    info.size = head->size;
    info.mtime_micros = head->mtime_micros;
    return info;
  }
  if (!head.status().IsNotFound()) return head.status();
  SL_ASSIGN_OR_RETURN(ListPage page, ListUnder(p, true, 1));
  if (!page.objects.empty()) info.type = FileType::kDirectory;
  return info;
}

Result<std::vector<FileInfo>> S3FileSystem::List(std::string_view prefix,
                                                 const ListOptions& options) {
  SL_ASSIGN_OR_RETURN(std::string dir, NormalizePath(prefix));
  SL_ASSIGN_OR_RETURN(ListPage page, ListUnder(dir, options.recursive));
  std::string key = ObjectKey(dir);
  size_t strip = key.empty() ? 0 : key.size() + 1;
  std::vector<FileInfo> out;
  std::set<std::string> dirs;
  auto add_dir = [&](std::string_view relative) {
    if (options.include_directories && IsAddressable(relative)) {
      dirs.insert(JoinPath(dir, relative));
    }
  };
  for (const ObjectInfo& o : page.objects) {
    if (o.key.size() < strip) continue;
    std::string_view relative = std::string_view(o.key).substr(strip);
    if (relative.empty()) continue;  // the marker of `dir` itself
    if (options.include_directories) {
      for (size_t slash = relative.find('/'); slash != std::string_view::npos;
           slash = relative.find('/', slash + 1)) {
        if (slash > 0) add_dir(relative.substr(0, slash));
      }
    }
    if (EndsWithSlash(relative)) continue;  // a directory marker
    if (!IsAddressable(relative)) continue;
    if (!options.include_temporaries && IsTemporaryName(BaseName(relative))) continue;
    FileInfo info;
    info.path = JoinPath(dir, relative);
    info.type = FileType::kFile;
    info.size = o.size;
    info.mtime_micros = o.mtime_micros;
    out.push_back(std::move(info));
  }
  for (const std::string& common : page.common_prefixes) {
    if (common.size() <= strip) continue;
    std::string_view relative = std::string_view(common).substr(strip);
    while (EndsWithSlash(relative)) relative.remove_suffix(1);
    if (!relative.empty()) add_dir(relative);
  }
  for (const std::string& d : dirs) {
    FileInfo info;
    info.path = d;
    info.type = FileType::kDirectory;
    out.push_back(std::move(info));
  }
  std::sort(out.begin(), out.end(),
            [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return out;
}

Result<std::unique_ptr<RandomAccessFile>> S3FileSystem::OpenForRead(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string p, NormalizeFilePath(path));
  std::string key = ObjectKey(p);
  // The first bytes come with the size: small files need no second request.
  std::string start;
  Result<ObjectInfo> head = client_->GetObjectStart(bucket_, key, kOpenPrefetchBytes, &start);
  if (!head.ok()) {
    if (head.status().IsNotFound()) {
      return Status::NotFound("cannot open '" + S3Location(bucket_, key) + "': no such file (" +
                              head.status().message() + ")");
    }
    return head.status();
  }
  return MakeS3RandomAccessFile(client_, bucket_, key, p, head->size, head->etag, std::move(start));
}

Result<std::unique_ptr<WritableFile>> S3FileSystem::OpenForWrite(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string p, NormalizeWritablePath(path));
  std::string key = ObjectKey(p);
  return MakeS3WritableFile(client_, bucket_, key, p);
}

Status S3FileSystem::Delete(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string p, NormalizeFilePath(path));
  std::string key = ObjectKey(p);
  Result<ObjectInfo> head = client_->HeadObject(bucket_, key);
  if (head.ok()) return client_->DeleteObject(bucket_, key);
  if (!head.status().IsNotFound()) return head.status();
  // A directory: removable when nothing but its own marker is in it.
  SL_ASSIGN_OR_RETURN(ListPage page, ListUnder(p, true, 2));
  if (page.objects.empty()) {
    return Status::NotFound("cannot delete '" + S3Location(bucket_, key) +
                            "': no such file or directory");
  }
  std::string marker = key + "/";
  for (const ObjectInfo& o : page.objects) {
    if (o.key != marker) {
      return Status::IOError("cannot delete directory '" + S3Location(bucket_, key) +
                             "': it is not empty");
    }
  }
  return client_->DeleteObject(bucket_, marker);
}

Status S3FileSystem::DeleteMany(const std::vector<std::string>& paths) {
  std::vector<std::string> keys;
  keys.reserve(paths.size());
  for (const std::string& path : paths) {
    SL_ASSIGN_OR_RETURN(std::string p, NormalizeFilePath(path));
    keys.push_back(ObjectKey(p));
  }
  return client_->DeleteObjects(bucket_, keys);
}

Status S3FileSystem::Move(std::string_view from, std::string_view to) {
  SL_ASSIGN_OR_RETURN(std::string from_path, NormalizeFilePath(from));
  SL_ASSIGN_OR_RETURN(std::string to_path, NormalizeWritablePath(to));
  std::string from_key = ObjectKey(from_path);
  std::string to_key = ObjectKey(to_path);
  Result<ObjectInfo> head = client_->HeadObject(bucket_, from_key);
  if (!head.ok()) {
    if (!head.status().IsNotFound()) return head.status();
    SL_ASSIGN_OR_RETURN(ListPage page, ListUnder(from_path, true, 1));
    if (!page.objects.empty()) {
      return Status::InvalidArgument("cannot move '" + S3Location(bucket_, from_key) +
                                     "': it is a directory (Move renames files)");
    }
    return Status::NotFound("cannot move '" + S3Location(bucket_, from_key) + "': no such file");
  }
  if (from_key == to_key) return Status::OK();
  if (head->size > kMaxSingleCopyBytes) {
    return Status::NotSupported("cannot move '" + S3Location(bucket_, from_key) + "': it is over " +
                                "5 GiB, the most one S3 CopyObject can copy");
  }
  // Not atomic on S3: for a moment both names exist (readers of the ledger see only one).
  Status copied = client_->CopyObject(bucket_, from_key, to_key);
  if (copied.IsNotFound() && copied.message().find("NoSuchKey") != std::string::npos) {
    // The source exists (HEAD said so) yet the server could not find it to copy: some
    // S3-compatible servers do not decode x-amz-copy-source. Copy through this client instead.
    log::Warn("s3.copy.fallback", {{"bucket", bucket_}, {"from", from_key}, {"to", to_key}});
    copied = CopyFile(*this, from_path, *this, to_path);
  }
  SL_RETURN_IF_ERROR(copied);
  return client_->DeleteObject(bucket_, from_key);
}

Status S3FileSystem::CreateDir(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  if (p.empty()) return Status::OK();
  std::string key = ObjectKey(p);
  Result<ObjectInfo> head = client_->HeadObject(bucket_, key);
  if (head.ok()) {
    return Status::AlreadyExists("cannot create directory '" + S3Location(bucket_, key) +
                                 "': a file with that name exists");
  }
  if (!head.status().IsNotFound()) return head.status();
  return client_->PutObject(bucket_, key + "/", "").status();
}

}  // namespace saleslake::io::s3

#include "io/local_file_system.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "io/local_files.h"
#include "io/path.h"
#include "io/posix_util.h"

namespace saleslake::io {
namespace {

// Walks one directory (and, if recursive, those below it), appending entries under `key_prefix`.
Status WalkDirectory(const std::string& os_dir, const std::string& key_prefix,
                     const ListOptions& options, std::vector<FileInfo>* out) {
  DIR* dir = ::opendir(os_dir.c_str());
  if (dir == nullptr) {
    // A directory removed while we walk is simply empty.
    if (errno == ENOENT || errno == ENOTDIR) return Status::OK();
    return posix::ErrnoStatus(errno, "cannot list", os_dir);
  }
  std::vector<std::pair<std::string, bool>> subdirs;  // name, and whether to descend
  Status status;
  errno = 0;
  while (struct dirent* entry = ::readdir(dir)) {
    std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    if (!options.include_temporaries && IsTemporaryName(name)) continue;
    struct stat st;
    if (::fstatat(::dirfd(dir), entry->d_name, &st, 0) != 0) {
      if (errno == ENOENT) continue;  // removed or renamed since readdir
      status = posix::ErrnoStatus(errno, "cannot stat", os_dir + "/" + entry->d_name);
      break;
    }
    FileInfo info;
    info.path = JoinPath(key_prefix, name);
    info.mtime_micros = posix::MtimeMicros(st);
    if (S_ISDIR(st.st_mode)) {
      // Symbolic links to directories are reported but not followed (no cycles).
      subdirs.emplace_back(entry->d_name, entry->d_type != DT_LNK);
      if (!options.include_directories) continue;
      info.type = FileType::kDirectory;
    } else if (S_ISREG(st.st_mode)) {
      info.type = FileType::kFile;
      info.size = static_cast<uint64_t>(st.st_size);
    } else {
      continue;  // sockets, fifos, devices: not data
    }
    out->push_back(std::move(info));
  }
  if (status.ok() && errno != 0) status = posix::ErrnoStatus(errno, "cannot list", os_dir);
  ::closedir(dir);
  if (!status.ok() || !options.recursive) return status;
  for (const auto& [name, descend] : subdirs) {
    if (!descend) continue;
    SL_RETURN_IF_ERROR(
        WalkDirectory(os_dir + "/" + name, JoinPath(key_prefix, name), options, out));
  }
  return Status::OK();
}

}  // namespace

Result<std::shared_ptr<LocalFileSystem>> LocalFileSystem::Make(std::string_view root) {
  if (root.empty() || root.front() != '/') {
    return Status::InvalidArgument("local file system root '" + std::string(root) +
                                   "' is not an absolute path");
  }
  std::string r(root);
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  return std::shared_ptr<LocalFileSystem>(new LocalFileSystem(std::move(r)));
}

std::string LocalFileSystem::OsPath(std::string_view key) const {
  if (key.empty()) return root_;
  std::string out = root_;
  if (out.back() != '/') out.push_back('/');
  out.append(key);
  return out;
}

Result<FileInfo> LocalFileSystem::GetFileInfo(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string key, NormalizePath(path));
  FileInfo info;
  info.path = key;
  struct stat st;
  Status s = posix::Stat(OsPath(key), &st);
  if (s.IsNotFound()) return info;
  SL_RETURN_IF_ERROR(s);
  info.mtime_micros = posix::MtimeMicros(st);
  if (S_ISDIR(st.st_mode)) {
    info.type = FileType::kDirectory;
  } else {
    info.type = FileType::kFile;
    info.size = static_cast<uint64_t>(st.st_size);
  }
  return info;
}

Result<std::vector<FileInfo>> LocalFileSystem::List(std::string_view prefix,
                                                    const ListOptions& options) {
  SL_ASSIGN_OR_RETURN(std::string key, NormalizePath(prefix));
  std::vector<FileInfo> out;
  SL_RETURN_IF_ERROR(WalkDirectory(OsPath(key), key, options, &out));
  std::sort(out.begin(), out.end(),
            [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return out;
}

Result<std::unique_ptr<RandomAccessFile>> LocalFileSystem::OpenForRead(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string key, NormalizeFilePath(path));
  std::string os_path = OsPath(key);
  return local::OpenReadable(std::move(key), std::move(os_path));
}

Result<std::unique_ptr<WritableFile>> LocalFileSystem::OpenForWrite(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string key, NormalizeWritablePath(path));
  std::string dir = OsPath(ParentPath(key));
  SL_RETURN_IF_ERROR(posix::CreateDirectories(dir));
  std::string os_path = OsPath(key);
  return local::OpenWritable(std::move(key), std::move(os_path), std::move(dir));
}

Status LocalFileSystem::DeleteUnsynced(const std::string& key) {
  std::string os_path = OsPath(key);
  if (::unlink(os_path.c_str()) == 0) return Status::OK();
  if (errno != EISDIR && errno != EPERM) return posix::ErrnoStatus(errno, "cannot delete", os_path);
  // Linux says EISDIR for a directory (POSIX allows EPERM): remove it if it is empty.
  if (::rmdir(os_path.c_str()) == 0) return Status::OK();
  if (errno == ENOTEMPTY || errno == EEXIST) {
    return Status::IOError("cannot delete directory '" + os_path + "': it is not empty");
  }
  return posix::ErrnoStatus(errno, "cannot delete", os_path);
}

Status LocalFileSystem::Delete(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string key, NormalizeFilePath(path));
  SL_RETURN_IF_ERROR(DeleteUnsynced(key));
  // A deletion that a power loss undoes would bring a replaced file back for other engines.
  return posix::SyncDirectory(OsPath(ParentPath(key)));
}

Status LocalFileSystem::DeleteMany(const std::vector<std::string>& paths) {
  std::vector<std::string> keys;
  keys.reserve(paths.size());
  for (const std::string& p : paths) {
    SL_ASSIGN_OR_RETURN(std::string key, NormalizeFilePath(p));
    keys.push_back(std::move(key));
  }
  std::set<std::string> dirs;
  for (const std::string& key : keys) {
    Status s = DeleteUnsynced(key);
    if (!s.ok() && !s.IsNotFound()) return s;
    if (s.ok()) dirs.insert(std::string(ParentPath(key)));
  }
  for (const std::string& dir : dirs) SL_RETURN_IF_ERROR(posix::SyncDirectory(OsPath(dir)));
  return Status::OK();
}

Status LocalFileSystem::Move(std::string_view from, std::string_view to) {
  SL_ASSIGN_OR_RETURN(std::string from_key, NormalizeFilePath(from));
  SL_ASSIGN_OR_RETURN(std::string to_key, NormalizeWritablePath(to));
  std::string from_os = OsPath(from_key);
  std::string to_dir = OsPath(ParentPath(to_key));
  struct stat st;
  SL_RETURN_IF_ERROR(posix::Stat(from_os, &st));
  if (S_ISDIR(st.st_mode)) {
    return Status::InvalidArgument("cannot move '" + from_os +
                                   "': it is a directory (Move renames files)");
  }
  SL_RETURN_IF_ERROR(posix::CreateDirectories(to_dir));
  std::string to_os = OsPath(to_key);
  if (::rename(from_os.c_str(), to_os.c_str()) != 0) {
    return posix::ErrnoStatus(errno, "cannot move '" + from_os + "' to", to_os);
  }
  SL_RETURN_IF_ERROR(posix::SyncDirectory(to_dir));
  std::string from_dir = OsPath(ParentPath(from_key));
  return from_dir == to_dir ? Status::OK() : posix::SyncDirectory(from_dir);
}

Status LocalFileSystem::CreateDir(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string key, NormalizePath(path));
  return posix::CreateDirectories(OsPath(key));
}

}  // namespace saleslake::io

#include "io/mem_file_system.h"

#include <map>
#include <mutex>

#include "base/clock.h"
#include "io/path.h"

namespace saleslake::io {

// The shared bytes behind one or more MemFileSystem views. Keys are normalised paths; the store's
// root is implicit and always a directory.
struct MemStore {
  struct Node {
    bool is_dir = false;
    std::shared_ptr<const std::string> data;  // files only
    int64_t mtime_micros = 0;
  };
  std::mutex mu;
  std::map<std::string, Node, std::less<>> nodes;  // sorted bytewise, like every List

  // REQUIRES: mu held. Makes every ancestor of `key` a directory.
  Status CreateParents(std::string_view key, int64_t now) {
    for (size_t slash = key.find('/'); slash != std::string_view::npos;
         slash = key.find('/', slash + 1)) {
      std::string_view dir = key.substr(0, slash);
      auto it = nodes.find(dir);
      if (it == nodes.end()) {
        nodes.emplace(std::string(dir), Node{true, nullptr, now});
      } else if (!it->second.is_dir) {
        return Status::AlreadyExists("cannot create directory 'mem:" + std::string(dir) +
                                     "': a file with that name exists");
      }
    }
    return Status::OK();
  }

  // REQUIRES: mu held.
  bool HasChildren(const std::string& dir) {
    auto first = nodes.lower_bound(dir + "/");
    return first != nodes.end() && IsInside(first->first, dir);
  }
};

namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, std::weak_ptr<MemStore>, std::less<>> all;
  std::map<std::string, std::shared_ptr<MemStore>, std::less<>> named;  // kept alive
  uint64_t next_private = 1;
};

Registry& GetRegistry() {
  static Registry* registry = new Registry();  // never destroyed: used until exit
  return *registry;
}

Status NotFoundError(std::string_view what, std::string_view key) {
  return Status::NotFound(std::string(what) + " 'mem:" + std::string(key) +
                          "': no such file or directory");
}

class MemRandomAccessFile final : public RandomAccessFile {
 public:
  MemRandomAccessFile(std::string path, std::shared_ptr<const std::string> data)
      : path_(std::move(path)), data_(std::move(data)) {}
  uint64_t Size() const override { return data_->size(); }
  const std::string& path() const override { return path_; }
  Status ReadAt(uint64_t offset, uint64_t length, std::string* out) override {
    if (offset > data_->size() || length > data_->size() - offset) {
      return Status::InvalidArgument("cannot read " + std::to_string(length) + " bytes at offset " +
                                     std::to_string(offset) + " of 'mem:" + path_ +
                                     "': the file has " + std::to_string(data_->size()) + " bytes");
    }
    out->assign(*data_, offset, length);
    return Status::OK();
  }

 private:
  std::string path_;
  std::shared_ptr<const std::string> data_;
};

class MemWritableFile final : public WritableFile {
 public:
  MemWritableFile(std::shared_ptr<MemStore> store, std::string path, std::string store_key)
      : store_(std::move(store)), path_(std::move(path)), store_key_(std::move(store_key)) {}
  ~MemWritableFile() override { Abort().IgnoreError(); }

  const std::string& path() const override { return path_; }
  uint64_t BytesWritten() const override { return data_.size(); }

  Status Append(std::string_view data) override {
    if (done_) return Finished();
    data_.append(data);
    return Status::OK();
  }

  Status Close() override {
    if (done_) return Finished();
    done_ = true;
    auto bytes = std::make_shared<const std::string>(std::move(data_));
    std::lock_guard lock(store_->mu);
    int64_t now = NowMicros();
    SL_RETURN_IF_ERROR(store_->CreateParents(store_key_, now));
    auto it = store_->nodes.find(store_key_);
    if (it != store_->nodes.end() && it->second.is_dir) {
      return Status::IOError("cannot publish 'mem:" + store_key_ + "': it is a directory");
    }
    store_->nodes[store_key_] = MemStore::Node{false, std::move(bytes), now};
    return Status::OK();
  }

  Status Abort() override {
    done_ = true;
    data_.clear();
    data_.shrink_to_fit();
    return Status::OK();
  }

 private:
  Status Finished() const {
    return Status::InvalidArgument("'mem:" + store_key_ + "' was already closed or aborted");
  }

  std::shared_ptr<MemStore> store_;
  std::string path_;
  std::string store_key_;
  std::string data_;
  bool done_ = false;
};

}  // namespace

MemFileSystem::MemFileSystem(std::shared_ptr<MemStore> store, std::string name, std::string prefix)
    : store_(std::move(store)), name_(std::move(name)), prefix_(std::move(prefix)) {}

MemFileSystem::~MemFileSystem() = default;

std::shared_ptr<MemFileSystem> MemFileSystem::Make() {
  auto store = std::make_shared<MemStore>();
  Registry& r = GetRegistry();
  std::lock_guard lock(r.mu);
  std::string name = "private-" + std::to_string(r.next_private++);
  r.all[name] = store;
  return std::shared_ptr<MemFileSystem>(new MemFileSystem(std::move(store), std::move(name), ""));
}

Result<std::shared_ptr<MemFileSystem>> MemFileSystem::Named(std::string_view name,
                                                            std::string_view prefix) {
  SL_ASSIGN_OR_RETURN(std::string p, NormalizePath(prefix));
  Registry& r = GetRegistry();
  std::lock_guard lock(r.mu);
  std::shared_ptr<MemStore> store;
  auto it = r.all.find(name);
  if (it != r.all.end()) store = it->second.lock();
  if (store == nullptr) {
    store = std::make_shared<MemStore>();
    r.all[std::string(name)] = store;
    r.named[std::string(name)] = store;
  }
  return std::shared_ptr<MemFileSystem>(
      new MemFileSystem(std::move(store), std::string(name), std::move(p)));
}

void MemFileSystem::ForgetNamed(std::string_view name) {
  Registry& r = GetRegistry();
  std::lock_guard lock(r.mu);
  if (auto it = r.named.find(name); it != r.named.end()) r.named.erase(it);
  if (auto it = r.all.find(name); it != r.all.end()) r.all.erase(it);
}

std::string MemFileSystem::root_uri() const {
  return prefix_.empty() ? "mem://" + name_ : "mem://" + name_ + "/" + prefix_;
}

std::string MemFileSystem::StoreKey(std::string_view key) const { return JoinPath(prefix_, key); }

std::string MemFileSystem::ViewPath(std::string_view store_key) const {
  return prefix_.empty() ? std::string(store_key)
                         : std::string(store_key.substr(prefix_.size() + 1));
}

Result<FileInfo> MemFileSystem::GetFileInfo(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string key, NormalizePath(path));
  FileInfo info;
  info.path = key;
  std::string skey = StoreKey(key);
  if (skey.empty()) {
    info.type = FileType::kDirectory;
    return info;
  }
  std::lock_guard lock(store_->mu);
  auto it = store_->nodes.find(skey);
  if (it == store_->nodes.end()) return info;
  info.type = it->second.is_dir ? FileType::kDirectory : FileType::kFile;
  info.size = it->second.is_dir ? 0 : it->second.data->size();
  info.mtime_micros = it->second.mtime_micros;
  return info;
}

Result<std::vector<FileInfo>> MemFileSystem::List(std::string_view prefix,
                                                  const ListOptions& options) {
  SL_ASSIGN_OR_RETURN(std::string key, NormalizePath(prefix));
  std::string dir = StoreKey(key);
  std::vector<FileInfo> out;
  std::lock_guard lock(store_->mu);
  auto it = dir.empty() ? store_->nodes.begin() : store_->nodes.lower_bound(dir + "/");
  for (; it != store_->nodes.end() && IsInside(it->first, dir); ++it) {
    const auto& [skey, node] = *it;
    if (!options.recursive) {
      size_t start = dir.empty() ? 0 : dir.size() + 1;
      if (skey.find('/', start) != std::string::npos) continue;
    }
    if (node.is_dir && !options.include_directories) continue;
    FileInfo info;
    info.path = ViewPath(skey);
    info.type = node.is_dir ? FileType::kDirectory : FileType::kFile;
    info.size = node.is_dir ? 0 : node.data->size();
    info.mtime_micros = node.mtime_micros;
    out.push_back(std::move(info));
  }
  return out;
}

Result<std::unique_ptr<RandomAccessFile>> MemFileSystem::OpenForRead(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string key, NormalizeFilePath(path));
  std::string skey = StoreKey(key);
  std::lock_guard lock(store_->mu);
  auto it = store_->nodes.find(skey);
  if (it == store_->nodes.end()) return NotFoundError("cannot open", skey);
  if (it->second.is_dir) {
    return Status::InvalidArgument("cannot open 'mem:" + skey + "' for reading: it is a directory");
  }
  return std::unique_ptr<RandomAccessFile>(
      std::make_unique<MemRandomAccessFile>(std::move(key), it->second.data));
}

Result<std::unique_ptr<WritableFile>> MemFileSystem::OpenForWrite(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string key, NormalizeWritablePath(path));
  std::string skey = StoreKey(key);
  {
    // Parents appear at open time, as on disk where the temporary file needs them.
    std::lock_guard lock(store_->mu);
    SL_RETURN_IF_ERROR(store_->CreateParents(skey, NowMicros()));
  }
  return std::unique_ptr<WritableFile>(
      std::make_unique<MemWritableFile>(store_, std::move(key), std::move(skey)));
}

Status MemFileSystem::Delete(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string key, NormalizeFilePath(path));
  std::string skey = StoreKey(key);
  std::lock_guard lock(store_->mu);
  auto it = store_->nodes.find(skey);
  if (it == store_->nodes.end()) return NotFoundError("cannot delete", skey);
  if (it->second.is_dir && store_->HasChildren(skey)) {
    return Status::IOError("cannot delete directory 'mem:" + skey + "': it is not empty");
  }
  store_->nodes.erase(it);
  return Status::OK();
}

Status MemFileSystem::DeleteMany(const std::vector<std::string>& paths) {
  std::vector<std::string> keys;
  keys.reserve(paths.size());
  for (const std::string& p : paths) {
    SL_ASSIGN_OR_RETURN(std::string key, NormalizeFilePath(p));
    keys.push_back(StoreKey(key));
  }
  std::lock_guard lock(store_->mu);
  for (const std::string& skey : keys) {
    auto it = store_->nodes.find(skey);
    if (it == store_->nodes.end()) continue;
    if (it->second.is_dir && store_->HasChildren(skey)) {
      return Status::IOError("cannot delete directory 'mem:" + skey + "': it is not empty");
    }
    store_->nodes.erase(it);
  }
  return Status::OK();
}

Status MemFileSystem::Move(std::string_view from, std::string_view to) {
  SL_ASSIGN_OR_RETURN(std::string from_key, NormalizeFilePath(from));
  SL_ASSIGN_OR_RETURN(std::string to_key, NormalizeWritablePath(to));
  std::string sfrom = StoreKey(from_key);
  std::string sto = StoreKey(to_key);
  std::lock_guard lock(store_->mu);
  auto it = store_->nodes.find(sfrom);
  if (it == store_->nodes.end()) return NotFoundError("cannot move", sfrom);
  if (it->second.is_dir) {
    return Status::InvalidArgument("cannot move 'mem:" + sfrom +
                                   "': it is a directory (Move renames files)");
  }
  if (sfrom == sto) return Status::OK();
  auto target = store_->nodes.find(sto);
  if (target != store_->nodes.end() && target->second.is_dir) {
    return Status::IOError("cannot move to 'mem:" + sto + "': it is a directory");
  }
  SL_RETURN_IF_ERROR(store_->CreateParents(sto, NowMicros()));
  MemStore::Node node = std::move(it->second);
  store_->nodes.erase(it);
  store_->nodes[sto] = std::move(node);
  return Status::OK();
}

Status MemFileSystem::CreateDir(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::string key, NormalizePath(path));
  std::string skey = StoreKey(key);
  if (skey.empty()) return Status::OK();
  std::lock_guard lock(store_->mu);
  int64_t now = NowMicros();
  SL_RETURN_IF_ERROR(store_->CreateParents(skey, now));
  auto it = store_->nodes.find(skey);
  if (it == store_->nodes.end()) {
    store_->nodes.emplace(skey, MemStore::Node{true, nullptr, now});
  } else if (!it->second.is_dir) {
    return Status::AlreadyExists("cannot create directory 'mem:" + skey +
                                 "': a file with that name exists");
  }
  return Status::OK();
}

}  // namespace saleslake::io

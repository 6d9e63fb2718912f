#include "pipeline/batch_input.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "base/parallel_for.h"

namespace saleslake::pipeline {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

struct ScopedFd {
  explicit ScopedFd(int f) : fd(f) {}
  ~ScopedFd() {
    if (fd >= 0) ::close(fd);
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int fd;
};

class FileInput final : public BatchInput {
 public:
  FileInput(std::string path, std::string source, uint64_t size)
      : BatchInput(std::move(source)), path_(std::move(path)), size_(size) {}

  Status Read(const ByteSink& sink) override {
    std::FILE* f = std::fopen(path_.c_str(), "rb");
    if (f == nullptr) {
      return Status::IOError(fmt::format("cannot open {}: {}", path_, ErrnoText()));
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(f, &std::fclose);
    buffer_.resize(kChunkBytes);
    for (;;) {
      size_t n = std::fread(buffer_.data(), 1, buffer_.size(), f);
      if (n > 0) SL_RETURN_IF_ERROR(sink(std::string_view(buffer_.data(), n)));
      if (n < buffer_.size()) {
        if (std::ferror(f)) {
          return Status::IOError(fmt::format("cannot read {}: {}", path_, ErrnoText()));
        }
        return Status::OK();
      }
    }
  }
  uint64_t size() const override { return size_; }

  using BatchInput::BatchId;
  Result<std::string> BatchId(BatchIdScheme scheme, int threads) override {
    if (scheme == BatchIdScheme::kXxh3 && size_ > 0) return Xxh3Id(threads);
    if (threads < 2) return BatchInput::BatchId(scheme, threads);
    const ScopedFd file(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
    if (file.fd < 0) return Status::IOError(fmt::format("cannot open {}: {}", path_, ErrnoText()));
    const int fd = file.fd;
    // Two buffers: each round hashes one while the other is filled with the next bytes.
    std::string buffers[2] = {std::string(kHashChunkBytes, '\0'),
                              std::string(kHashChunkBytes, '\0')};
    size_t filled[2] = {0, 0};
    int read_errno = 0;
    auto fill = [&](int b) {
      filled[b] = 0;
      while (filled[b] < buffers[b].size()) {
        const ssize_t n = ::read(fd, buffers[b].data() + filled[b], buffers[b].size() - filled[b]);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) read_errno = errno;
        if (n <= 0) return;
        filled[b] += static_cast<size_t>(n);
      }
    };
    BatchIdHasher hasher(source(), scheme);
    ParallelFor pair(2);
    int current = 0;
    fill(current);
    while (read_errno == 0 && filled[current] > 0) {
      const int next = 1 - current;
      pair.Run(2, [&](size_t task) {
        if (task == 0) {
          hasher.Update(std::string_view(buffers[current].data(), filled[current]));
        } else {
          fill(next);
        }
      });
      current = next;
    }
    if (read_errno != 0) {
      return Status::IOError(fmt::format("cannot read {}: {}", path_, std::strerror(read_errno)));
    }
    return hasher.Finish();
  }

 private:
  static constexpr size_t kHashChunkBytes = 4 << 20;
  static constexpr size_t kReadBytes = 256 << 10;  // stays in the core's cache while it is hashed

  // The pieces of the XXH3 id on `threads` threads, each read a cache-sized block at a time.
  Result<std::string> Xxh3Id(int threads) {
    const ScopedFd file(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
    if (file.fd < 0) return Status::IOError(fmt::format("cannot open {}: {}", path_, ErrnoText()));
    const size_t pieces = static_cast<size_t>((size_ + kXxh3PieceBytes - 1) / kXxh3PieceBytes);
    const size_t workers = std::clamp<size_t>(static_cast<size_t>(threads), 1, pieces);
    std::vector<PieceDigest> digests(pieces);
    std::vector<Status> failures(workers);
    auto work = [&](size_t w) {
      std::unique_ptr<char[]> buffer(new char[kReadBytes]);
      auto state = std::make_unique<XXH3_state_t>();
      XXH3_INITSTATE(state.get());
      for (size_t i = w; i < pieces && failures[w].ok(); i += workers) {
        XXH3_128bits_reset(state.get());
        const uint64_t start = static_cast<uint64_t>(i) * kXxh3PieceBytes;
        const uint64_t end = std::min<uint64_t>(size_, start + kXxh3PieceBytes);
        for (uint64_t at = start; at < end;) {
          const size_t want = static_cast<size_t>(std::min<uint64_t>(kReadBytes, end - at));
          const ssize_t n = ::pread(file.fd, buffer.get(), want, static_cast<off_t>(at));
          if (n < 0 && errno == EINTR) continue;
          if (n <= 0) {
            failures[w] =
                n < 0 ? Status::IOError(fmt::format("cannot read {}: {}", path_, ErrnoText()))
                      : Status::Aborted(
                            fmt::format("{} changed while it was extracted (it was {} bytes, now "
                                        "it ends at {})",
                                        source(), size_, at));
            break;
          }
          XXH3_128bits_update(state.get(), buffer.get(), static_cast<size_t>(n));
          at += static_cast<uint64_t>(n);
        }
        XXH128_canonical_t canonical;
        XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(state.get()));
        std::memcpy(digests[i].data(), canonical.digest, digests[i].size());
      }
    };
    if (workers == 1) {
      work(0);
    } else {
      ParallelFor pool(static_cast<int>(workers));
      pool.Run(workers, work);
    }
    for (Status& st : failures) SL_RETURN_IF_ERROR(st);
    BatchIdHasher hasher(source(), BatchIdScheme::kXxh3);
    for (const PieceDigest& d : digests) hasher.AddPieceDigest(d);
    return hasher.Finish();
  }

  std::string path_;
  uint64_t size_;
  std::string buffer_;
};

constexpr size_t kBatchIdHexDigits = 32;
constexpr char kXxh3Prefix = 'x';

}  // namespace

std::string_view BatchIdSchemeName(BatchIdScheme scheme) {
  return scheme == BatchIdScheme::kSha256 ? "sha256" : "xxh3-128";
}

BatchIdScheme SchemeOfBatchId(std::string_view batch_id) {
  return !batch_id.empty() && batch_id[0] == kXxh3Prefix ? BatchIdScheme::kXxh3
                                                         : BatchIdScheme::kSha256;
}

PieceDigest Xxh3PieceDigest(std::string_view piece) {
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits(piece.data(), piece.size()));
  PieceDigest out;
  std::memcpy(out.data(), canonical.digest, out.size());
  return out;
}

struct BatchIdHasher::Xxh3 {
  XXH3_state_t outer;  // source, 0x00, the pieces' digests
  XXH3_state_t piece;  // the bytes of the piece under way
  size_t piece_bytes = 0;
};

BatchIdHasher::BatchIdHasher(std::string_view source, BatchIdScheme scheme) : scheme_(scheme) {
  if (scheme == BatchIdScheme::kSha256) {
    sha_ = std::make_unique<Sha256Hasher>();
    sha_->Update(source);
    sha_->Update(std::string_view("\0", 1));
    return;
  }
  xxh3_ = std::make_unique<Xxh3>();
  XXH3_INITSTATE(&xxh3_->outer);
  XXH3_INITSTATE(&xxh3_->piece);
  XXH3_128bits_reset(&xxh3_->outer);
  XXH3_128bits_reset(&xxh3_->piece);
  XXH3_128bits_update(&xxh3_->outer, source.data(), source.size());
  XXH3_128bits_update(&xxh3_->outer, "\0", 1);
}

BatchIdHasher::~BatchIdHasher() = default;

void BatchIdHasher::Update(std::string_view bytes) {
  if (sha_ != nullptr) {
    sha_->Update(bytes);
    return;
  }
  while (!bytes.empty()) {
    const size_t n = std::min(bytes.size(), kXxh3PieceBytes - xxh3_->piece_bytes);
    XXH3_128bits_update(&xxh3_->piece, bytes.data(), n);
    xxh3_->piece_bytes += n;
    bytes.remove_prefix(n);
    if (xxh3_->piece_bytes == kXxh3PieceBytes) EndPiece();
  }
}

void BatchIdHasher::EndPiece() {
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(&xxh3_->piece));
  XXH3_128bits_update(&xxh3_->outer, canonical.digest, sizeof(canonical.digest));
  XXH3_128bits_reset(&xxh3_->piece);
  xxh3_->piece_bytes = 0;
}

void BatchIdHasher::AddPieceDigest(const PieceDigest& digest) {
  XXH3_128bits_update(&xxh3_->outer, digest.data(), digest.size());
}

std::string BatchIdHasher::Finish() {
  if (sha_ != nullptr) return HexEncode(sha_->Finish()).substr(0, kBatchIdHexDigits);
  if (xxh3_->piece_bytes > 0) EndPiece();
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(&xxh3_->outer));
  return kXxh3Prefix + HexEncode(canonical.digest, sizeof(canonical.digest));
}

Result<std::string> BatchInput::BatchId(BatchIdScheme scheme, int /*threads*/) {
  BatchIdHasher hasher(source(), scheme);
  SL_RETURN_IF_ERROR(Read([&hasher](std::string_view bytes) {
    hasher.Update(bytes);
    return Status::OK();
  }));
  return hasher.Finish();
}

Result<std::unique_ptr<BatchInput>> OpenFileInput(const std::string& path) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  if (ec) return Status::InvalidArgument(fmt::format("bad path '{}': {}", path, ec.message()));
  abs = abs.lexically_normal();
  const auto status = std::filesystem::status(abs, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Status::NotFound(fmt::format("input file {} does not exist", path));
  }
  if (std::filesystem::is_directory(status)) {
    return Status::InvalidArgument(fmt::format("input {} is a directory, not a file", path));
  }
  uint64_t size =
      std::filesystem::is_regular_file(status) ? std::filesystem::file_size(abs, ec) : 0;
  return std::unique_ptr<BatchInput>(
      new FileInput(abs.string(), "file:" + abs.string(), ec ? 0 : size));
}

SpooledInput::SpooledInput(std::string source, size_t memory_limit)
    : BatchInput(std::move(source)), memory_limit_(memory_limit) {}

SpooledInput::~SpooledInput() {
  if (file_ != nullptr) std::fclose(file_);
}

Status SpooledInput::Append(std::string_view bytes) {
  if (hasher_ == nullptr || !batch_id_.empty()) {
    // The first bytes, or more after the id was taken: (re)start the running hash from byte 0
    // when there is nothing before these bytes; otherwise the id needs a full pass.
    batch_id_.clear();
    hasher_.reset();
    if (size_ == 0) {
      hashed_source_ = source();
      hasher_ = std::make_unique<BatchIdHasher>(hashed_source_);
    }
  }
  if (hasher_ != nullptr) hasher_->Update(bytes);
  size_ += bytes.size();
  if (file_ == nullptr && memory_.size() + bytes.size() <= memory_limit_) {
    memory_.append(bytes);
    return Status::OK();
  }
  if (file_ == nullptr) {
    file_ = std::tmpfile();  // unlinked at once: nothing is left behind, even by kill -9
    if (file_ == nullptr) {
      return Status::IOError(
          fmt::format("cannot create a temporary file to hold the input: {}", ErrnoText()));
    }
    if (std::fwrite(memory_.data(), 1, memory_.size(), file_) != memory_.size()) {
      return Status::IOError(fmt::format("cannot spool the input: {}", ErrnoText()));
    }
    std::string().swap(memory_);
  }
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    return Status::IOError(fmt::format("cannot spool the input: {}", ErrnoText()));
  }
  return Status::OK();
}

void SpooledInput::Reset() {
  hasher_.reset();
  batch_id_.clear();
  memory_.clear();
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
  size_ = 0;
}

Status SpooledInput::Read(const ByteSink& sink) {
  if (file_ == nullptr) {
    for (size_t at = 0; at < memory_.size(); at += kChunkBytes) {
      SL_RETURN_IF_ERROR(sink(std::string_view(memory_).substr(at, kChunkBytes)));
    }
    return Status::OK();
  }
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) {
    return Status::IOError(fmt::format("cannot read the spooled input: {}", ErrnoText()));
  }
  std::string buffer(kChunkBytes, '\0');
  for (;;) {
    size_t n = std::fread(buffer.data(), 1, buffer.size(), file_);
    if (n > 0) SL_RETURN_IF_ERROR(sink(std::string_view(buffer.data(), n)));
    if (n < buffer.size()) {
      if (std::ferror(file_)) {
        return Status::IOError(fmt::format("cannot read the spooled input: {}", ErrnoText()));
      }
      break;
    }
  }
  if (std::fseek(file_, 0, SEEK_END) != 0) {
    return Status::IOError(fmt::format("cannot reposition the spooled input: {}", ErrnoText()));
  }
  return Status::OK();
}

Result<std::string> SpooledInput::BatchId(BatchIdScheme scheme, int threads) {
  if (scheme != BatchIdScheme::kXxh3) return BatchInput::BatchId(scheme, threads);
  if (!batch_id_.empty() && hashed_source_ == source()) return batch_id_;
  if (size_ == 0 || hasher_ == nullptr || hashed_source_ != source()) {
    // Nothing appended yet, appended after an earlier id, or relabelled since: hash it all.
    SL_ASSIGN_OR_RETURN(std::string id, BatchInput::BatchId(scheme, threads));
    return id;
  }
  batch_id_ = hasher_->Finish();
  hasher_.reset();
  return batch_id_;
}

Result<std::unique_ptr<BatchInput>> ReadStdinInput() {
  auto input = std::make_unique<SpooledInput>("stdin");
  std::string buffer(BatchInput::kChunkBytes, '\0');
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(fmt::format("cannot read stdin: {}", ErrnoText()));
    }
    if (n == 0) break;
    SL_RETURN_IF_ERROR(input->Append(std::string_view(buffer.data(), static_cast<size_t>(n))));
  }
  return std::unique_ptr<BatchInput>(std::move(input));
}

Result<std::unique_ptr<BatchInput>> OpenPathInput(const std::string& path) {
  return path == "-" ? ReadStdinInput() : OpenFileInput(path);
}

Result<std::unique_ptr<BatchInput>> FetchInput(const std::string& url,
                                               const HttpFetchOptions& options) {
  auto input = std::make_unique<SpooledInput>(SourceLabelForUrl(url));
  SpooledInput* spool = input.get();
  SL_ASSIGN_OR_RETURN(
      HttpFetchResult fetched,
      FetchStreaming(
          url, options, [spool](std::string_view bytes) { return spool->Append(bytes); },
          [spool]() { spool->Reset(); }));
  (void)fetched;
  return std::unique_ptr<BatchInput>(std::move(input));
}

std::string SourceLabelForUrl(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const size_t host_start = scheme_end + 3;
  size_t authority_end = url.find_first_of("/?#", host_start);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  const size_t at = url.rfind('@', authority_end);
  if (at == std::string_view::npos || at < host_start) return std::string(url);
  return std::string(url.substr(0, host_start)) + std::string(url.substr(at + 1));
}

}  // namespace saleslake::pipeline

// BatchInput: the bytes of one batch (an API response, a file, stdin), readable twice.
//
// Every raw row carries its batch id, and the id is a hash of all the batch's bytes, so the id
// must be known before the first row is parsed. A stream that cannot be re-read (an HTTP body,
// stdin) is spooled as it arrives — in memory up to a limit, then in an anonymous temporary file
// that the operating system deletes with the process — so memory stays bounded whatever the
// size, and it is hashed as it arrives, so its id costs no second pass. A file is read twice
// (hash, then parse) with ordinary reads from the page cache. A mapping would save one copy, but a
// file cut short while it is read would then kill the process (SIGBUS) instead of failing the
// batch with an error.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/hash.h"
#include "base/status.h"
#include "pipeline/http_source.h"

namespace saleslake::pipeline {

using ByteSink = std::function<Status(std::string_view)>;

// How a batch id is computed from the source label and the bytes:
//   kSha256: the first 32 hex digits of SHA-256(source, 0x00, bytes). Every lake extracted into
//            before XXH3 ids keeps it, so a batch it holds is recognised when it comes again.
//   kXxh3:   "x" + 32 hex digits of XXH3-128(source, 0x00, d_1, ..., d_k), where d_i is the
//            XXH3-128 of the i-th piece of kXxh3PieceBytes bytes (the last one shorter; none for
//            no bytes), each digest as its 16 canonical (big-endian) bytes; seed 0 throughout.
//            New lakes. Far cheaper than SHA-256, and the pieces hash on several threads at
//            once with the same result; the "x" tells the two kinds apart.
// Both are streaming hashes: any cutting of the bytes into Update calls gives the same id.
// BatchIdSchemeOf (extract.h) picks the scheme of a lake from the ids its commit log holds.
enum class BatchIdScheme { kSha256, kXxh3 };
inline constexpr size_t kXxh3PieceBytes = 4 << 20;
std::string_view BatchIdSchemeName(BatchIdScheme scheme);
// The scheme `batch_id` was computed with.
BatchIdScheme SchemeOfBatchId(std::string_view batch_id);

// The 16 canonical bytes of the XXH3-128 of one piece.
using PieceDigest = std::array<uint8_t, 16>;
PieceDigest Xxh3PieceDigest(std::string_view piece);

class BatchIdHasher {
 public:
  explicit BatchIdHasher(std::string_view source, BatchIdScheme scheme = BatchIdScheme::kXxh3);
  ~BatchIdHasher();
  BatchIdHasher(const BatchIdHasher&) = delete;
  BatchIdHasher& operator=(const BatchIdHasher&) = delete;

  BatchIdScheme scheme() const { return scheme_; }
  void Update(std::string_view bytes);
  // kXxh3: the digest of the next whole piece, hashed elsewhere (on another thread).
  // REQUIRES: no Update since the last whole piece.
  void AddPieceDigest(const PieceDigest& digest);
  std::string Finish();  // REQUIRES: called once

 private:
  struct Xxh3;
  void EndPiece();

  BatchIdScheme scheme_;
  std::unique_ptr<Sha256Hasher> sha_;
  std::unique_ptr<Xxh3> xxh3_;
};

class BatchInput {
 public:
  static constexpr size_t kChunkBytes = 1 << 20;

  virtual ~BatchInput() = default;
  // What the batch came from ("http://host/v1/sales?records=10", "file:/data/x.json", "stdin"):
  // part of the batch id and of every row's _source.
  const std::string& source() const { return source_; }
  void set_source(std::string source) { source_ = std::move(source); }
  // Streams every byte of the batch to `sink` from the start, in chunks of at most kChunkBytes.
  virtual Status Read(const ByteSink& sink) = 0;
  virtual uint64_t size() const = 0;
  // The batch id of every byte: by default one Read pass through a BatchIdHasher. With
  // threads > 1 an input may read ahead on another thread while it hashes.
  virtual Result<std::string> BatchId(BatchIdScheme scheme, int threads = 1);
  Result<std::string> BatchId() { return BatchId(BatchIdScheme::kXxh3); }

 protected:
  explicit BatchInput(std::string source) : source_(std::move(source)) {}

 private:
  std::string source_;
};

// A local file; source "file:<absolute path>". Its XXH3 id hashes the pieces on `threads` threads;
// its SHA-256 id (threads > 1) reads the next chunk on a second thread while it hashes the last.
Result<std::unique_ptr<BatchInput>> OpenFileInput(const std::string& path);

// Bytes held in memory up to `memory_limit`, then in an anonymous temporary file.
class SpooledInput final : public BatchInput {
 public:
  static constexpr size_t kDefaultMemoryLimit = 64 << 20;

  explicit SpooledInput(std::string source, size_t memory_limit = kDefaultMemoryLimit);
  ~SpooledInput() override;

  Status Append(std::string_view bytes);
  // Forgets everything appended (an HTTP transfer restarting from the beginning).
  void Reset();
  Status Read(const ByteSink& sink) override;
  uint64_t size() const override { return size_; }
  // The id hashed (XXH3) while the bytes were appended; a full pass if the source changed since,
  // or for a lake that keeps SHA-256 ids.
  Result<std::string> BatchId(BatchIdScheme scheme, int threads = 1) override;
  using BatchInput::BatchId;

 private:
  size_t memory_limit_;
  std::string hashed_source_;              // the source the running hash started with
  std::unique_ptr<BatchIdHasher> hasher_;  // the bytes appended so far
  std::string batch_id_;                   // once finished; Append or Reset forget it
  std::string memory_;
  std::FILE* file_ = nullptr;  // the spill, once memory_limit_ is passed
  uint64_t size_ = 0;
};

// Reads all of stdin into a SpooledInput with source "stdin".
Result<std::unique_ptr<BatchInput>> ReadStdinInput();

// A command line's input path: "-" is stdin (ReadStdinInput), anything else a file (OpenFileInput).
Result<std::unique_ptr<BatchInput>> OpenPathInput(const std::string& path);

// GETs `url` into a SpooledInput (restarts discard what was spooled); source: the URL without
// any user:password part.
Result<std::unique_ptr<BatchInput>> FetchInput(const std::string& url,
                                               const HttpFetchOptions& options);

// The URL as a source label: "http://user:secret@host/x" -> "http://host/x".
std::string SourceLabelForUrl(std::string_view url);

}  // namespace saleslake::pipeline

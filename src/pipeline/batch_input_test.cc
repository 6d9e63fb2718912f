#include "pipeline/batch_input.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "base/hash.h"

namespace saleslake::pipeline {
namespace {

// The ids' definitions, spelled out once more without BatchIdHasher.
std::string ReferenceSha256Id(const std::string& source, const std::string& bytes) {
  std::string all = source;
  all.push_back('\0');
  all += bytes;
  return Sha256Hex(all).substr(0, 32);
}

std::string ReferenceId(const std::string& source, const std::string& bytes) {
  std::string all = source;
  all.push_back('\0');
  for (size_t at = 0; at < bytes.size(); at += kXxh3PieceBytes) {
    const std::string_view piece = std::string_view(bytes).substr(at, kXxh3PieceBytes);
    const XXH128_hash_t d = XXH3_128bits(piece.data(), piece.size());
    for (int shift = 56; shift >= 0; shift -= 8)
      all.push_back(static_cast<char>(d.high64 >> shift));
    for (int shift = 56; shift >= 0; shift -= 8) all.push_back(static_cast<char>(d.low64 >> shift));
  }
  const XXH128_hash_t h = XXH3_128bits(all.data(), all.size());
  return "x" + fmt::format("{:016x}{:016x}", h.high64, h.low64);
}

std::string Bytes(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(static_cast<char>('a' + (i * 7919) % 26));
  return out;
}

TEST(BatchIdHasher, AnyCuttingGivesTheSameIdInEitherScheme) {
  const std::string bytes = Bytes(10000);
  for (BatchIdScheme scheme : {BatchIdScheme::kXxh3, BatchIdScheme::kSha256}) {
    const std::string want = scheme == BatchIdScheme::kXxh3 ? ReferenceId("src", bytes)
                                                            : ReferenceSha256Id("src", bytes);
    EXPECT_EQ(SchemeOfBatchId(want), scheme);
    for (size_t piece : {1, 3, 63, 64, 65, 4096, 10000}) {
      BatchIdHasher hasher("src", scheme);
      for (size_t at = 0; at < bytes.size(); at += piece) {
        hasher.Update(std::string_view(bytes).substr(at, piece));
      }
      EXPECT_EQ(hasher.Finish(), want) << "pieces of " << piece;
    }
  }
}

TEST(BatchIdHasher, PiecesOfTheXxh3IdAnyCutting) {
  // Two whole pieces and a short one; cuts that straddle the pieces' ends.
  const std::string bytes = Bytes(2 * kXxh3PieceBytes + 12345);
  const std::string want = ReferenceId("src", bytes);
  for (size_t piece : {size_t{1} << 20, kXxh3PieceBytes - 1, kXxh3PieceBytes, bytes.size()}) {
    BatchIdHasher hasher("src");
    for (size_t at = 0; at < bytes.size(); at += piece) {
      hasher.Update(std::string_view(bytes).substr(at, piece));
    }
    EXPECT_EQ(hasher.Finish(), want) << "pieces of " << piece;
  }
  // Whole pieces hashed elsewhere, the rest streamed.
  BatchIdHasher hasher("src");
  hasher.AddPieceDigest(Xxh3PieceDigest(std::string_view(bytes).substr(0, kXxh3PieceBytes)));
  hasher.Update(std::string_view(bytes).substr(kXxh3PieceBytes));
  EXPECT_EQ(hasher.Finish(), want);
}

TEST(BatchIdHasher, KnownIds) {
  // Pinned: a change of either definition would make every lake land its batches again.
  const std::string bytes = "{\"transaction_id\":\"a\"}\n";
  BatchIdHasher xxh3("stdin");
  xxh3.Update(bytes);
  BatchIdHasher sha("stdin", BatchIdScheme::kSha256);
  sha.Update(bytes);
  EXPECT_EQ(xxh3.Finish(), "xfda8029702e4830c667d23107cddb871");
  EXPECT_EQ(sha.Finish(), "912d07b6aeddad4ecbbf1b3e9526cef8");
  EXPECT_EQ(ReferenceId("stdin", bytes), "xfda8029702e4830c667d23107cddb871");
}

TEST(SpooledInput, IdHashedAsBytesArriveMatchesAFullPass) {
  const std::string bytes = Bytes(300000);
  // In memory, and spilled to the temporary file past a small limit.
  for (size_t limit : {size_t{1} << 20, size_t{1000}}) {
    SpooledInput input("http://api/v1/sales", limit);
    for (size_t at = 0; at < bytes.size(); at += 777) {
      ASSERT_TRUE(input.Append(std::string_view(bytes).substr(at, 777)).ok());
    }
    auto id = input.BatchId();
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_EQ(*id, ReferenceId("http://api/v1/sales", bytes));
    EXPECT_EQ(*input.BatchId(), *id);  // asked again: the same
    // A lake that keeps SHA-256 ids: a full pass over the spooled bytes.
    auto sha = input.BatchId(BatchIdScheme::kSha256);
    ASSERT_TRUE(sha.ok()) << sha.status().ToString();
    EXPECT_EQ(*sha, ReferenceSha256Id("http://api/v1/sales", bytes));
  }
}

TEST(SpooledInput, IdAfterResetRelabelOrLateAppendCoversEveryByte) {
  SpooledInput input("http://a", 100);
  ASSERT_TRUE(input.Append("discarded by the restart").ok());
  input.Reset();
  ASSERT_TRUE(input.Append("hello ").ok());
  ASSERT_TRUE(input.Append("world").ok());
  EXPECT_EQ(*input.BatchId(), ReferenceId("http://a", "hello world"));
  // Bytes appended after the id was taken: the id covers them too.
  ASSERT_TRUE(input.Append("!").ok());
  EXPECT_EQ(*input.BatchId(), ReferenceId("http://a", "hello world!"));
  // A new label (--source): the id hashes the new label.
  input.set_source("mine");
  EXPECT_EQ(*input.BatchId(), ReferenceId("mine", "hello world!"));
}

TEST(FileInput, IdIsTheHashOfTheLabelAndTheFileOnAnyThreadCount) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "batch_input_test.ndjson").string();
  // Several chunks of the read-ahead pass (threads > 1), the last one short.
  const std::string bytes = Bytes(9 * BatchInput::kChunkBytes + 17);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
  std::fclose(f);
  auto input = OpenFileInput(path);
  ASSERT_TRUE(input.ok());
  for (int threads : {1, 2, 3}) {
    auto id = (*input)->BatchId(BatchIdScheme::kXxh3, threads);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_EQ(*id, ReferenceId((*input)->source(), bytes)) << threads << " threads";
    auto sha = (*input)->BatchId(BatchIdScheme::kSha256, threads);
    ASSERT_TRUE(sha.ok()) << sha.status().ToString();
    EXPECT_EQ(*sha, ReferenceSha256Id((*input)->source(), bytes)) << threads << " threads";
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace saleslake::pipeline

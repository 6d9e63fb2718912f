#include "pipeline/batch_input.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "base/hash.h"

namespace saleslake::pipeline {
namespace {

// The id's definition, spelled out once more without BatchIdHasher.
std::string ReferenceId(const std::string& source, const std::string& bytes) {
  std::string all = source;
  all.push_back('\0');
  all += bytes;
  return Sha256Hex(all).substr(0, 32);
}

std::string Bytes(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(static_cast<char>('a' + (i * 7919) % 26));
  return out;
}

TEST(BatchIdHasher, AnyCuttingGivesTheSameId) {
  const std::string bytes = Bytes(10000);
  const std::string want = ReferenceId("src", bytes);
  for (size_t piece : {1, 3, 63, 64, 65, 4096, 10000}) {
    BatchIdHasher hasher("src");
    for (size_t at = 0; at < bytes.size(); at += piece) {
      hasher.Update(std::string_view(bytes).substr(at, piece));
    }
    EXPECT_EQ(hasher.Finish(), want) << "pieces of " << piece;
  }
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
    auto id = (*input)->BatchId(threads);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_EQ(*id, ReferenceId((*input)->source(), bytes)) << threads << " threads";
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace saleslake::pipeline

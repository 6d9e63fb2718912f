#include "pipeline/record_splitter.h"

#include <gtest/gtest.h>

namespace saleslake::pipeline {
namespace {

struct Split {
  Status status;
  Framing framing = Framing::kUnknown;
  std::vector<std::string> records;
  std::vector<bool> truncated;
};

// Splits `input`, fed in pieces of `piece` bytes (1 exercises every boundary).
Split SplitAll(std::string_view input, size_t piece = 1 << 20, size_t max_record = 1 << 20) {
  Split out;
  RecordSplitter::Options options;
  options.max_record_bytes = max_record;
  RecordSplitter splitter(
      [&](const SplitRecord& r) {
        EXPECT_EQ(r.index, out.records.size());
        out.records.emplace_back(r.text);
        out.truncated.push_back(r.truncated);
        return Status::OK();
      },
      options);
  for (size_t i = 0; i < input.size() && out.status.ok(); i += piece) {
    out.status = splitter.Feed(input.substr(i, piece));
  }
  if (out.status.ok()) out.status = splitter.Finish();
  out.framing = splitter.framing();
  return out;
}

const std::vector<std::string> kTwo = {R"({"transaction_id":"a","n":[1,{"x":"]"}]})",
                                       R"({"transaction_id":"b,\"}","q":2})"};

TEST(RecordSplitterTest, EveryFramingGivesTheSameRecords) {
  const std::string array = "[" + kTwo[0] + ",\n  " + kTwo[1] + "]";
  const std::string envelope = R"({"statusCode":200,"body":)" + array + "}";
  std::string escaped;
  for (char c : array) {
    if (c == '"' || c == '\\') escaped.push_back('\\');
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    escaped.push_back(c);
  }
  const std::string string_body = R"({"statusCode": 200, "body": ")" + escaped + "\"}";
  const std::string ndjson = kTwo[0] + "\n\n" + kTwo[1] + "\r\n";
  struct Case {
    std::string input;
    Framing framing;
  };
  for (const Case& c :
       {Case{array, Framing::kArray}, Case{envelope, Framing::kEnvelope},
        Case{string_body, Framing::kEnvelopeStringBody}, Case{ndjson, Framing::kNdjson}}) {
    for (size_t piece : {size_t{1}, size_t{3}, size_t{7}, size_t{1} << 20}) {
      Split s = SplitAll(c.input, piece);
      ASSERT_TRUE(s.status.ok()) << s.status.ToString() << " in " << c.input;
      EXPECT_EQ(s.framing, c.framing) << c.input;
      EXPECT_EQ(s.records, kTwo) << c.input << " piece " << piece;
    }
  }
}

// Strings longer than the 16-byte steps the splitter scans them in, with quotes, backslashes and
// structural characters at every offset of a step; records whole in one Feed (handed over where
// they stand) or spread over several (collected), and one oversized in each case.
TEST(RecordSplitterTest, LongStringsAtEveryOffsetSplitTheSameInAnyPieces) {
  std::vector<std::string> records;
  for (size_t pad = 0; pad < 40; ++pad) {
    const std::string filler(pad, 'y');
    records.push_back(R"({"transaction_id":")" + filler + R"(\"q\\", "v":")" + filler +
                      R"(,]}[{\\\\", "n":[1,{"x":"]"}],"k":")" + filler + R"("})");
  }
  std::string array = "[";
  for (size_t i = 0; i < records.size(); ++i) array += (i == 0 ? "" : ",\n ") + records[i];
  array += "]";
  for (size_t piece : {size_t{1}, size_t{13}, size_t{64}, size_t{1} << 20}) {
    Split s = SplitAll(array, piece);
    ASSERT_TRUE(s.status.ok()) << s.status.ToString() << " piece " << piece;
    EXPECT_EQ(s.records, records) << " piece " << piece;
    Split capped = SplitAll(array, piece, 70);
    ASSERT_TRUE(capped.status.ok()) << capped.status.ToString();
    ASSERT_EQ(capped.records.size(), records.size());
    for (size_t i = 0; i < records.size(); ++i) {
      std::string cut = records[i].substr(0, 70);
      while (cut.back() == ' ') cut.pop_back();  // cut, then trimmed like any record
      EXPECT_EQ(capped.records[i], cut) << i << " piece " << piece;
      EXPECT_EQ(capped.truncated[i], records[i].size() > 70) << i << " piece " << piece;
    }
  }
}

TEST(RecordSplitterTest, NonObjectsAndBrokenRecordsAreRecordsToo) {
  Split s = SplitAll(R"([ {"a":1}, 42, null, "x,y", [1,2], {"a":tru} ])");
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  EXPECT_EQ(s.records, (std::vector<std::string>{R"({"a":1})", "42", "null", R"("x,y")", "[1,2]",
                                                 R"({"a":tru})"}));
  // NDJSON: a broken line never swallows the next one.
  s = SplitAll("{\"transaction_id\":\"a\",\"b\":[\n{\"transaction_id\":\"c\"}\n");
  ASSERT_TRUE(s.status.ok());
  EXPECT_EQ(s.records, (std::vector<std::string>{R"({"transaction_id":"a","b":[)",
                                                 R"({"transaction_id":"c"})"}));
}

TEST(RecordSplitterTest, OversizedRecordsAreTruncatedAndFlagged) {
  std::string big = R"({"a":")" + std::string(100, 'x') + "\"}";
  Split s = SplitAll("[" + big + R"(,{"b":1}])", 5, 32);
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  ASSERT_EQ(s.records.size(), 2u);
  EXPECT_EQ(s.records[0], big.substr(0, 32));
  EXPECT_TRUE(s.truncated[0]);
  EXPECT_FALSE(s.truncated[1]);
}

TEST(RecordSplitterTest, TruncatedAndFailedResponsesAreErrors) {
  for (const char* bad : {R"([{"a":1},{"a":2)", R"({"statusCode":200,"body":[{"a":1})",
                          R"({"statusCode":200,"body":"[{\"a\":1}")", R"({"statusCode":200)"}) {
    Split s = SplitAll(bad);
    EXPECT_FALSE(s.status.ok()) << bad;
    EXPECT_NE(s.status.message().find("truncated"), std::string::npos) << s.status.ToString();
  }
  Split s = SplitAll(R"({"statusCode":500,"body":"[]"})");
  ASSERT_FALSE(s.status.ok());
  EXPECT_NE(s.status.message().find("statusCode 500"), std::string::npos);
  s = SplitAll(R"({"statusCode":502})");
  ASSERT_FALSE(s.status.ok());
  EXPECT_NE(s.status.message().find("statusCode 502"), std::string::npos);
  s = SplitAll("<html>Bad gateway</html>");
  ASSERT_FALSE(s.status.ok());
  EXPECT_NE(s.status.message().find("not JSON records"), std::string::npos);
  s = SplitAll("[1,2] junk");
  ASSERT_FALSE(s.status.ok());
  EXPECT_NE(s.status.message().find("after the end"), std::string::npos);
  s = SplitAll(std::string(100, '[') + std::string(100, ']'));
  EXPECT_FALSE(s.status.ok());
}

TEST(RecordSplitterTest, EmptyInputs) {
  EXPECT_TRUE(SplitAll("").records.empty());
  EXPECT_TRUE(SplitAll("[]").records.empty());
  Split s = SplitAll(R"({"statusCode":200,"body":[]})");
  EXPECT_TRUE(s.status.ok());
  EXPECT_TRUE(s.records.empty());
}

TEST(RecordSplitterTest, StringBodyUnicode) {
  // "é" as \u00e9 and an astral character as a surrogate pair, inside the escaped body.
  Split s = SplitAll(R"({"body":"[{\"n\":\"caf\u00e9 \ud83d\ude00\"}]","statusCode":200})");
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  ASSERT_EQ(s.records.size(), 1u);
  EXPECT_EQ(s.records[0], "{\"n\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}");
}

TEST(RecordSplitterTest, SinkErrorsStop) {
  RecordSplitter splitter([](const SplitRecord&) { return Status::IOError("disk full"); });
  Status st = splitter.Feed("[1,2,3]");
  EXPECT_EQ(st.code(), StatusCode::kIOError);
  EXPECT_EQ(splitter.Finish().code(), StatusCode::kIOError);
}

}  // namespace
}  // namespace saleslake::pipeline

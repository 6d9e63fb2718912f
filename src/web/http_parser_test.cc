// RequestParser on its own: framing, strictness, caps, and byte-at-a-time input.
#include "web/http_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace saleslake::web {
namespace {

using Step = RequestParser::Step;

struct Outcome {
  Step step;
  int status = 0;  // the error's status when failed
  std::string message;
  HttpRequest request;
  std::string left;  // bytes not consumed
};

// Feeds `bytes` in pieces of `piece` bytes, continuing past kHead, until done, failed, or out of
// input.
Outcome Parse(const std::string& bytes, size_t piece = SIZE_MAX, ParseLimits limits = {}) {
  RequestParser parser(limits);
  std::string input;
  size_t fed = 0;
  Step step = Step::kNeedMore;
  while (true) {
    step = parser.Advance(&input);
    if (step == Step::kDone || step == Step::kFailed) break;
    if (step == Step::kHead) continue;
    if (fed == bytes.size()) break;
    const size_t n = std::min(piece, bytes.size() - fed);
    input.append(bytes, fed, n);
    fed += n;
  }
  return {step, parser.error().status, parser.error().message, parser.request(),
          input + bytes.substr(fed)};
}

TEST(HttpParserTest, ParsesAGetWithQuery) {
  Outcome o = Parse(
      "GET /v1/sales?records=3&seed=4%32&x=a+b HTTP/1.1\r\nHost: localhost:80\r\n"
      "Accept: */*\r\n\r\n");
  ASSERT_EQ(o.step, Step::kDone) << o.message;
  EXPECT_EQ(o.request.method, "GET");
  EXPECT_EQ(o.request.path, "/v1/sales");
  EXPECT_EQ(o.request.query, "records=3&seed=4%32&x=a+b");
  EXPECT_EQ(o.request.params.find("seed")->second, "42");
  EXPECT_EQ(o.request.params.find("x")->second, "a b");
  EXPECT_EQ(o.request.authority, "localhost:80");
  EXPECT_EQ(o.request.Header("accept"), "*/*");
  EXPECT_TRUE(o.request.keep_alive);
}

TEST(HttpParserTest, ByteAtATimeGivesTheSameRequest) {
  const std::string wire =
      "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer-Field: x\r\n\r\nGET /next";
  for (size_t piece : {size_t{1}, size_t{2}, size_t{7}, SIZE_MAX}) {
    Outcome o = Parse(wire, piece);
    ASSERT_EQ(o.step, Step::kDone) << piece << ": " << o.message;
    EXPECT_EQ(o.request.body, "hello world") << piece;
    EXPECT_EQ(o.left, "GET /next") << piece;
  }
}

TEST(HttpParserTest, ContentLengthBody) {
  Outcome o = Parse("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloEXTRA");
  ASSERT_EQ(o.step, Step::kDone);
  EXPECT_EQ(o.request.body, "hello");
  EXPECT_EQ(o.left, "EXTRA");
}

TEST(HttpParserTest, RefusesAmbiguousFraming) {
  struct Case {
    const char* name;
    std::string head;
    int status;
  };
  const std::string start = "POST /echo HTTP/1.1\r\nHost: a\r\n";
  const Case cases[] = {
      {"CL with TE", start + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"TE with CL", start + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400},
      {"two CLs", start + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", 400},
      {"CL list", start + "Content-Length: 5, 6\r\n\r\n", 400},
      {"signed CL", start + "Content-Length: +5\r\n\r\n", 400},
      {"space before colon", start + "Transfer-Encoding : chunked\r\n\r\n", 400},
      {"xchunked", start + "Transfer-Encoding: xchunked\r\n\r\n", 501},
      {"gzip, chunked", start + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"chunked twice", start + "Transfer-Encoding: chunked, chunked\r\n\r\n", 400},
      {"chunked then identity",
       start + "Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n", 501},
      {"NUL in a value", start + "X-A: a" + std::string(1, '\0') + "b\r\n\r\n", 400},
      {"escape in a value", start + "X-A: a\x1b[31m\r\n\r\n", 400},
      {"DEL in a value", start + "X-A: a\x7f\r\n\r\n", 400},
      {"bare CR", start + "X-A: a\rb\r\n\r\n", 400},
      {"bare LF", start + "X-A: a\nX-B: b\r\n\r\n", 400},
      {"obs-fold", start + "X-A: a\r\n b\r\n\r\n", 400},
      {"no colon", start + "X-A\r\n\r\n", 400},
      {"two hosts", start + "Host: b\r\n\r\n", 400},
      {"no host", "GET / HTTP/1.1\r\n\r\n", 400},
      {"TE in 1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505},
      {"NUL in target", "GET /a" + std::string(1, '\0') + " HTTP/1.1\r\nHost: a\r\n\r\n", 400},
      {"double space", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
      {"bad target", "GET nothing HTTP/1.1\r\nHost: a\r\n\r\n", 400},
  };
  for (const Case& c : cases) {
    Outcome o = Parse(c.head);
    EXPECT_EQ(o.step, Step::kFailed) << c.name;
    EXPECT_EQ(o.status, c.status) << c.name << ": " << o.message;
    EXPECT_FALSE(o.message.empty()) << c.name;
    EXPECT_FALSE(o.request.keep_alive) << c.name;
  }
}

TEST(HttpParserTest, BadChunks) {
  const std::string start = "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (const std::string& body : {std::string("zz\r\n"), std::string("5\r\nhelloXX"),
                                  std::string("-1\r\n"), std::string("5 x\r\nhello\r\n")}) {
    Outcome o = Parse(start + body);
    EXPECT_EQ(o.step, Step::kFailed) << body;
    EXPECT_EQ(o.status, 400) << body;
  }
}

TEST(HttpParserTest, ChunkedBodyOverTheLimitFailsAsSoonAsItPassesIt) {
  ParseLimits limits;
  limits.max_body_bytes = 10;
  const std::string start = "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  Outcome o = Parse(start + "8\r\n12345678\r\n8\r\n", SIZE_MAX, limits);
  EXPECT_EQ(o.step, Step::kFailed);
  EXPECT_EQ(o.status, 413);
  EXPECT_NE(o.message.find("10"), std::string::npos);
  // A declared size beyond anything representable.
  Outcome huge = Parse(start + "ffffffffffffffffff\r\n", SIZE_MAX, limits);
  EXPECT_EQ(huge.status, 413);
}

TEST(HttpParserTest, DeclaredLengthOverTheLimitIsReportedAtTheHead) {
  ParseLimits limits;
  limits.max_body_bytes = 10;
  RequestParser parser(limits);
  std::string input = "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n";
  ASSERT_EQ(parser.Advance(&input), Step::kHead);
  EXPECT_TRUE(parser.body_too_large());
  EXPECT_TRUE(parser.body_pending());
  input = "x";
  EXPECT_EQ(parser.Advance(&input), Step::kFailed);
  EXPECT_EQ(parser.error().status, 413);
}

TEST(HttpParserTest, CapsTheHead) {
  Outcome uri = Parse("GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(uri.status, 414);
  Outcome partial_uri = Parse("GET /" + std::string(9000, 'a'));
  EXPECT_EQ(partial_uri.status, 414);
  Outcome fields = Parse("GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(40000, 'a'));
  EXPECT_EQ(fields.status, 431);
  std::string many = "GET / HTTP/1.1\r\nHost: a\r\n";
  for (int i = 0; i < 200; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
  EXPECT_EQ(Parse(many + "\r\n").status, 431);
}

TEST(HttpParserTest, HttpOneZeroAndConnectionClose) {
  Outcome o = Parse("GET / HTTP/1.0\r\n\r\n");
  ASSERT_EQ(o.step, Step::kDone);
  EXPECT_FALSE(o.request.keep_alive);
  EXPECT_FALSE(o.request.has_authority);
  Outcome kept = Parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_TRUE(kept.request.keep_alive);
  Outcome closed = Parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  EXPECT_FALSE(closed.request.keep_alive);
}

TEST(HttpParserTest, AbsoluteFormTakesTheAuthorityFromTheTarget) {
  Outcome o = Parse("GET http://localhost:8080/healthz?x=1 HTTP/1.1\r\nHost: other\r\n\r\n");
  ASSERT_EQ(o.step, Step::kDone) << o.message;
  EXPECT_EQ(o.request.authority, "localhost:8080");
  EXPECT_EQ(o.request.path, "/healthz");
  EXPECT_EQ(o.request.query, "x=1");
}

TEST(HttpParserTest, LeadingEmptyLinesAreIgnored) {
  Outcome o = Parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(o.step, Step::kDone) << o.message;
  EXPECT_EQ(o.request.path, "/");
}

}  // namespace
}  // namespace saleslake::web

#include "base/logging.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "base/log_context.h"

namespace saleslake::log {
namespace {

std::string Capture(Format format, const std::function<void()>& fn) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  int old = SetOutputFd(fds[1]);
  Configure(format, Level::kInfo);
  fn();
  SetOutputFd(old);
  close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  Configure(Format::kText, Level::kInfo);
  return out;
}

TEST(LoggingTest, TextLine) {
  std::string out = Capture(Format::kText, [] {
    Info("extract.done", {{"batch", "ab12"}, {"rows", 10000}, {"note", "two words"}});
    Debug("hidden");
  });
  EXPECT_NE(out.find(" INFO  extract.done batch=ab12 rows=10000 note=\"two words\"\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("hidden"), std::string::npos);
}

TEST(LoggingTest, JsonLine) {
  std::string out = Capture(Format::kJson, [] {
    Warn("s3.retry", {{"attempt", 2}, {"ok", false}, {"status", Status::Unavailable("503")}});
  });
  EXPECT_NE(out.find(R"("level":"warn","event":"s3.retry","attempt":2,"ok":false,)"
                     R"("status":"Unavailable: 503"})"),
            std::string::npos)
      << out;
}

TEST(LoggingTest, ContextFieldsLeadEveryLineUntilRemoved) {
  std::string out = Capture(Format::kJson, [] {
    SetContextField("worker_id", "w1");
    SetContextField("task_id", "7");
    Info("task.done", {{"kind", "transform"}});
    SetContextField("task_id", "");
    Info("worker.stopped");
    SetContextField("worker_id", "");
    Info("plain");
  });
  EXPECT_NE(out.find(R"("event":"task.done","worker_id":"w1","task_id":"7","kind":"transform"})"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(R"("event":"worker.stopped","worker_id":"w1"})"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("event":"plain"})"), std::string::npos) << out;
  EXPECT_EQ(CurrentFormat(), Format::kText);
}

TEST(LoggingTest, ParseNames) {
  EXPECT_TRUE(ParseFormat("json").ok());
  EXPECT_FALSE(ParseFormat("xml").ok());
  EXPECT_EQ(*ParseLevel("warn"), Level::kWarn);
  EXPECT_FALSE(ParseLevel("loud").ok());
}

}  // namespace
}  // namespace saleslake::log

#include "base/clock.h"

#include <gtest/gtest.h>

namespace saleslake {
namespace {

TEST(ClockTest, CivilRoundTrip) {
  for (int64_t d = -800000; d < 800000; d += 37) {
    CivilDate c = CivilFromDays(d);
    ASSERT_EQ(DaysFromCivil(c), d);
  }
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
}

TEST(ClockTest, ParseAndFormat) {
  auto t = ParseIso8601Micros("2026-11-26T10:20:01.123456");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(FormatIso8601Micros(*t), "2026-11-26T10:20:01.123456Z");
  EXPECT_EQ(FormatIso8601Millis(*t), "2026-11-26T10:20:01.123Z");
  EXPECT_EQ(FormatIso8601Local(*t), "2026-11-26T10:20:01.123456");
  auto z = ParseIso8601Micros("2026-11-26T10:20:01+05:30");
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(FormatIso8601Local(*z), "2026-11-26T04:50:01");
  EXPECT_EQ(FormatIso8601Local(*ParseIso8601Micros("1969-12-31T23:59:59.5Z")),
            "1969-12-31T23:59:59.5");
  EXPECT_EQ(*ParseIso8601Micros("2024-02-29"), DaysFromCivil({2024, 2, 29}) * 86400000000LL);
}

TEST(ClockTest, RejectsBadTimestamps) {
  for (const char* bad :
       {"", "2026-13-01", "2023-02-29", "2026-11-26T24:00:00", "2026/11/26", "2026-11-26T10:20:01.",
        "2026-11-26T10:20:01+5:30", "not a date", "2026-11-26T10:20:01 junk"}) {
    auto r = ParseIso8601Micros(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("invalid timestamp"), std::string::npos);
    }
  }
}

TEST(ClockTest, OffsetsAndDurations) {
  EXPECT_EQ(*ParseUtcOffset("+05:30"), 19800);
  EXPECT_EQ(*ParseUtcOffset("-08:00"), -28800);
  EXPECT_EQ(*ParseUtcOffset("Z"), 0);
  EXPECT_FALSE(ParseUtcOffset("+5:30").ok());
  EXPECT_EQ(*ParseDurationMicros("15m"), 15 * 60 * 1000000LL);
  EXPECT_EQ(*ParseDurationMicros("1h30m"), 90 * 60 * 1000000LL);
  EXPECT_EQ(*ParseDurationMicros("500ms"), 500000);
  EXPECT_FALSE(ParseDurationMicros("15").ok());
  EXPECT_FALSE(ParseDurationMicros("m").ok());
}

}  // namespace
}  // namespace saleslake

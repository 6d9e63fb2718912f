#include "base/decimal.h"

#include <gtest/gtest.h>

namespace saleslake {
namespace {

TEST(DecimalTest, ParsesMoney) {
  EXPECT_EQ(*ParseScaledDecimal("118999.15", 2), 11899915);
  EXPECT_EQ(*ParseScaledDecimal("7", 2), 700);
  EXPECT_EQ(*ParseScaledDecimal("7.5", 2), 750);
  EXPECT_EQ(*ParseScaledDecimal("-0.05", 2), -5);
  EXPECT_EQ(*ParseScaledDecimal("1.10000", 2), 110);
  EXPECT_EQ(*ParseScaledDecimal("2.50E+1", 2), 2500);
  EXPECT_EQ(*ParseScaledDecimal("1e3", 0), 1000);
  EXPECT_EQ(*ParseScaledDecimal("0.0", 2), 0);
  EXPECT_EQ(*ParseScaledDecimal("-9223372036854775808", 0), INT64_MIN);
  EXPECT_EQ(*ParseScaledDecimal("92233720368547758.07", 2), INT64_MAX);
}

TEST(DecimalTest, RefusesInexactOrMalformed) {
  for (const char* bad : {"", "-", "1.", ".5", "1.234", "abc", "1,5", "+1", " 1", "1e", "1e400",
                          "92233720368547758.08", "1.5x"}) {
    EXPECT_FALSE(ParseScaledDecimal(bad, 2).ok()) << bad;
  }
}

TEST(DecimalTest, Formats) {
  EXPECT_EQ(FormatScaledDecimal(11899915, 2), "118999.15");
  EXPECT_EQ(FormatScaledDecimal(-5, 2), "-0.05");
  EXPECT_EQ(FormatScaledDecimal(700, 2), "7.00");
  EXPECT_EQ(FormatScaledDecimal(42, 0), "42");
  EXPECT_EQ(FormatScaledDecimal(INT64_MIN, 2), "-92233720368547758.08");
}

}  // namespace
}  // namespace saleslake

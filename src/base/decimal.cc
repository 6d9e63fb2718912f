#include "base/decimal.h"

#include <fmt/format.h>

namespace saleslake {
namespace {

constexpr int64_t kPow10[] = {1,
                              10,
                              100,
                              1000,
                              10000,
                              100000,
                              1000000,
                              10000000,
                              100000000,
                              1000000000,
                              10000000000,
                              100000000000,
                              1000000000000,
                              10000000000000,
                              100000000000000,
                              1000000000000000,
                              10000000000000000,
                              100000000000000000,
                              1000000000000000000};

}  // namespace

Result<int64_t> ParseScaledDecimal(std::string_view text, int scale) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(
        fmt::format("'{}' is not a decimal with {} places: {}", text.substr(0, 40), scale, why));
  };
  if (scale < 0 || scale > 18) return bad("scale out of range");
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  // Collect significant digits into an unsigned accumulator and track the decimal exponent.
  unsigned __int128 mantissa = 0;
  int exponent = 0;  // value = mantissa * 10^exponent
  int digits = 0;
  bool any = false;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    any = true;
    if (digits < 36) {
      mantissa = mantissa * 10 + static_cast<unsigned>(text[i] - '0');
      if (mantissa != 0) ++digits;
    } else {
      return bad("too many digits");
    }
  }
  if (!any) return bad("no digits before the point");
  if (i < text.size() && text[i] == '.') {
    ++i;
    bool frac = false;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      frac = true;
      if (digits >= 36) return bad("too many digits");
      mantissa = mantissa * 10 + static_cast<unsigned>(text[i] - '0');
      if (mantissa != 0) ++digits;
      --exponent;
    }
    if (!frac) return bad("no digits after the point");
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    int e = 0;
    bool exp_digits = false;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      exp_digits = true;
      if (e > 1000) return bad("exponent out of range");
      e = e * 10 + (text[i] - '0');
    }
    if (!exp_digits) return bad("no exponent digits");
    exponent += exp_negative ? -e : e;
  }
  if (i != text.size()) return bad("unexpected character");
  // Scale: result = mantissa * 10^(exponent + scale).
  int shift = exponent + scale;
  while (shift < 0) {
    if (mantissa % 10 != 0) return bad("more fractional digits than allowed");
    mantissa /= 10;
    ++shift;
  }
  while (shift > 0 && mantissa != 0) {
    mantissa *= 10;
    --shift;
    if (mantissa > static_cast<unsigned __int128>(INT64_MAX) + 1) return bad("out of range");
  }
  const auto limit = static_cast<unsigned __int128>(INT64_MAX) + (negative ? 1 : 0);
  if (mantissa > limit) return bad("out of range");
  if (negative) return static_cast<int64_t>(-static_cast<__int128>(mantissa));
  return static_cast<int64_t>(mantissa);
}

void AppendScaledDecimal(std::string* out, int64_t unscaled, int scale) {
  if (scale <= 0) {
    fmt::format_to(std::back_inserter(*out), "{}", unscaled);
    return;
  }
  uint64_t mag =
      unscaled < 0 ? 0 - static_cast<uint64_t>(unscaled) : static_cast<uint64_t>(unscaled);
  if (unscaled < 0) out->push_back('-');
  uint64_t p = static_cast<uint64_t>(kPow10[scale]);
  fmt::format_to(std::back_inserter(*out), "{}.{:0{}}", mag / p, mag % p, scale);
}

std::string FormatScaledDecimal(int64_t unscaled, int scale) {
  std::string out;
  AppendScaledDecimal(&out, unscaled, scale);
  return out;
}

}  // namespace saleslake

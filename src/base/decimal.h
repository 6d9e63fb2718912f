// Exact decimals as scaled integers: money is never binary floating point in saleslake.
// 118999.15 rupees at scale 2 is the int64 11899915 (paise).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake {

// Parses a JSON-style number ("118999.15", "-3", "7.5", "1e3", "2.50E+1") into an integer scaled by
// 10^scale. Fails (InvalidArgument) when the value has more fractional digits than `scale` that are
// not zeros, or does not fit in int64. Leading '+' and whitespace are refused (JSON has neither).
Result<int64_t> ParseScaledDecimal(std::string_view text, int scale);

// Appends `unscaled / 10^scale` as plain decimal text with exactly `scale` fraction digits
// ("118999.15", "-0.05", "7.00"); scale 0 gives an integer.
void AppendScaledDecimal(std::string* out, int64_t unscaled, int scale);
std::string FormatScaledDecimal(int64_t unscaled, int scale);

}  // namespace saleslake

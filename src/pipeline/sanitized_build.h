// Whether this is the AddressSanitizer build (gcc says so with __SANITIZE_ADDRESS__, clang with
// __has_feature): tests that repeat a scenario at every step take every few steps there, as it
// runs about ten times slower.
#pragma once

namespace saleslake::pipeline::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitizedBuild = true;
#else
inline constexpr bool kSanitizedBuild = false;
#endif
#else
inline constexpr bool kSanitizedBuild = false;
#endif

}  // namespace saleslake::pipeline::testing

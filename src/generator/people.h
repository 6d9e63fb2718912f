// Customers: Indian-style names from hand-written first and last name lists, and e-mail addresses
// derived from them the way people pick addresses (aarav.sharma@, aaravsharma92@, a.sharma@ ...).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "generator/random.h"

namespace saleslake::generator {

struct Customer {
  uint16_t first;   // index into FirstNames()
  uint16_t last;    // index into LastNames()
  uint8_t pattern;  // which local-part shape, < kEmailPatternCount
  uint8_t domain;   // index into EmailDomains()
  uint16_t number;  // digits some patterns append (0..9999)
};

constexpr int kEmailPatternCount = 8;
// Longest name and e-mail this module can produce, for buffer sizing.
constexpr size_t kMaxCustomerNameBytes = 64;
constexpr size_t kMaxCustomerEmailBytes = 96;

std::span<const std::string_view> FirstNames();
std::span<const std::string_view> LastNames();
std::span<const std::string_view> EmailDomains();

Customer DrawCustomer(Rng& rng);

// Writes "First Last" / the e-mail address at `out` and returns the end. The texts are plain ASCII
// (letters, digits, '.', '_', '@'), so they need no JSON escaping.
char* WriteCustomerName(const Customer& c, char* out);
char* WriteCustomerEmail(const Customer& c, char* out);

}  // namespace saleslake::generator

// "Did you mean ...?" for a mistyped flag or subcommand: the nearest candidate by edit distance,
// when it is near enough to be a typo.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace saleslake {

// Levenshtein distance (insert, delete, substitute: 1 each; an adjacent swap counts 1).
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, or "" when none is within a typo's reach (distance at most
// max(1, word.size() / 3), or `word` is a prefix of exactly one candidate).
std::string NearestWord(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace saleslake

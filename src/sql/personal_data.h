// Personal data in the lake: the customer's name and e-mail address of every sale (and the
// original record text of raw and quarantined rows, which holds both). Roles below analyst see
// them masked on every surface (SQL, the JSON API, the dashboard, the catalog's statistics):
//
//   customer_email  "asha.k@example.in"  ->  "a***@example.in"   (first character, the domain)
//   customer_name   "Asha Kapoor"        ->  "A*** K***"         (each word's first character)
//   _raw            the record's text    ->  "***"
//
// The owner of the lake (`saleslake query` on the command line) reads them unmasked.
#pragma once

#include <string>
#include <string_view>

namespace saleslake::sql {

// The kinds of personal column, by the column's name.
enum class PersonalKind { kNone, kName, kEmail, kRecord };

PersonalKind PersonalKindOf(std::string_view column_name);
inline bool IsPersonalColumn(std::string_view column_name) {
  return PersonalKindOf(column_name) != PersonalKind::kNone;
}

// Whether SQL text may name a personal column (a conservative test on the text: any mention of
// "customer_" or "_raw", in any case, counts).
bool MayMentionPersonalColumn(std::string_view sql);

std::string MaskEmail(std::string_view email);
std::string MaskName(std::string_view name);
// The masked form of `value` for a column of `kind`; `value` itself for kNone.
std::string MaskPersonal(PersonalKind kind, std::string_view value);

}  // namespace saleslake::sql

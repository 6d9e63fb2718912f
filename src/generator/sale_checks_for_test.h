// Test support: an independent reading of generated records, used by the generator's tests to
// check every clean record and to classify every dirty one. It knows the record format from
// DESIGN.md section 1 and the catalog, not the generator's internals.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "generator/catalog.h"

namespace saleslake::generator::testing_support {

// Splits generator output into record texts: NDJSON lines, or the elements of our JSON array
// (one per line between "[" and "]"), with or without the lambda envelope.
std::vector<std::string> SplitRecords(std::string_view output);

bool IsUuidV4(std::string_view s);
bool IsPlausibleEmail(std::string_view s);

// Classifies records in order: "clean" or the dirty kind name. A clean record is checked in full
// (catalog consistency, money, ranges, store hours); a violation is reported through `problem`.
class RecordClassifier {
 public:
  RecordClassifier(const Catalog& catalog, int64_t now_micros, int days, int32_t utc_offset_seconds)
      : catalog_(catalog), now_(now_micros), days_(days), offset_(utc_offset_seconds) {}

  std::string Classify(const std::string& record, std::string* problem);

 private:
  std::string ClassifyObject(simdjson::dom::object object, std::string* problem);

  const Catalog& catalog_;
  int64_t now_;
  int days_;
  int32_t offset_;
  simdjson::dom::parser parser_;
  std::unordered_map<std::string, std::string> seen_;  // transaction_id -> record text
};

}  // namespace saleslake::generator::testing_support

// `saleslake status`: what the lake holds, from its ledger — batches (extracted, transformed,
// pending), files/rows/bytes per table, quarantined rows by reason, and the last commits.
//
// Quarantine counts come from the commits' details: a commit whose details_json has
// {"quarantine_by_reason": {"bad_email": 12, ...}} adds those counts (a replay that moves rows
// out of quarantine records negative ones).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "lake/ledger.h"

namespace saleslake::pipeline {

struct TableStatus {
  std::string table;
  uint64_t files = 0;
  uint64_t rows = 0;
  uint64_t bytes = 0;
};

// A committed file that storage does not hold as committed: missing, or of another size than
// the ledger recorded (cut short, overwritten). Readers fail on such a file rather than skip it.
struct CommittedFileProblem {
  std::string path;    // lake-relative
  std::string detail;  // "missing from storage", "1234 bytes, the ledger says 5678"
};

struct LakeStatus {
  std::string lake;
  uint64_t last_commit = 0;
  uint64_t batches_extracted = 0;
  uint64_t batches_transformed = 0;
  std::vector<std::string> pending_batches;
  std::vector<TableStatus> tables;  // sorted by name
  std::map<std::string, int64_t> quarantine_by_reason;
  std::vector<lake::LedgerCommit> recent;      // newest first
  std::vector<CommittedFileProblem> problems;  // from CheckCommittedFiles, when it ran
};

// Lists the data layers once and compares every committed file with what storage holds.
Result<std::vector<CommittedFileProblem>> CheckCommittedFiles(io::FileSystem& fs,
                                                              const lake::LedgerState& state);

// Adds a commit's details_json "quarantine_by_reason" counts to *counts, if it has any (details
// are free-form: anything else adds nothing).
void AddQuarantineCounts(std::string_view details_json, std::map<std::string, int64_t>* counts);

// Reads the ledger (no lock needed: committed state only).
Result<LakeStatus> ReadLakeStatus(const lake::Ledger& ledger, std::string lake_uri,
                                  size_t recent = 10);

std::string LakeStatusToJson(const LakeStatus& status);
std::string LakeStatusToText(const LakeStatus& status);

// argv[0] is "status".
int StatusCommand(int argc, char** argv);

}  // namespace saleslake::pipeline

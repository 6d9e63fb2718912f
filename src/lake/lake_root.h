// Whether a lake is there. Only extract, run and up create a lake; every other command that reads
// one (status, transform, compact, vacuum, serve, query, crawl, catalog) first checks it exists
// and otherwise fails with one line, creating nothing:
//   no lake at ./lak: the folder does not exist (give --lake, or create one with 'saleslake run'
//   or 'saleslake up')
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/layout.h"

namespace saleslake::lake {

// The folder whose entries mark a lake: the commit log (lake/ledger.h).
inline constexpr std::string_view kLakeMarkerDir = kLedgerDir;

// OK when `fs` (rooted at the lake `uri`, as the user wrote it) holds a lake; NotFound with the
// message above otherwise. Reads only.
Status CheckLakeExists(io::FileSystem& fs, std::string_view uri);

// Opens the file system of `uri` and checks it (what a command runs before its work).
Status CheckLakeExists(std::string_view uri);

}  // namespace saleslake::lake

// `saleslake fs`: look at and move files on any storage saleslake knows (local paths, file://,
// s3://, mem://), like `aws s3 ls/cp/rm`:
//
//   saleslake fs ls [-r] [--format json] URI
//   saleslake fs stat [--format json] URI
//   saleslake fs cat URI
//   saleslake fs put LOCALFILE|- URI
//   saleslake fs cp [-r] SRC DST
//   saleslake fs rm [-r] URI
//
// Every write publishes atomically, as everywhere in saleslake.
#pragma once

namespace saleslake::io {

// argv[0] is "fs".
int FsCommand(int argc, char** argv);

}  // namespace saleslake::io

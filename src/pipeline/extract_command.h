// `saleslake extract`: lands API responses, files or stdin in the lake's raw layer (extract.h).
//
//   saleslake extract --api URL [--batches N] [--lake URI]
//   saleslake extract --from FILE [--from FILE2 ...] | --from -
#pragma once

namespace saleslake::pipeline {

// argv[0] is "extract".
int ExtractCommand(int argc, char** argv);

}  // namespace saleslake::pipeline

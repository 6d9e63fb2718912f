// `saleslake generate`: sales records to stdout or a file.
#pragma once

namespace saleslake::generator {

// argv[0] is "generate". Returns the process exit code.
int GenerateCommand(int argc, char** argv);

}  // namespace saleslake::generator

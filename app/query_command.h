// `saleslake query` (see query_command.cc).
#pragma once

namespace saleslake {

int QueryCommand(int argc, char** argv);

}  // namespace saleslake

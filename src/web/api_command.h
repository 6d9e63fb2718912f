// `saleslake api`: the sales generator as an HTTP service.
#pragma once

namespace saleslake {

int ApiCommand(int argc, char** argv);

}  // namespace saleslake

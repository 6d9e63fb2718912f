// The pipeline's commands that write main: transform, compact and quarantine (list|replay).
#pragma once

namespace saleslake::pipeline {

int TransformCommand(int argc, char** argv);
int CompactCommand(int argc, char** argv);
int QuarantineCommand(int argc, char** argv);

}  // namespace saleslake::pipeline

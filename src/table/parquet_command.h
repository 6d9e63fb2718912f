// `saleslake parquet <subcommand>`: the Parquet tools, one table of subcommands (convert, inspect,
// cat). Each subcommand parses its own flags.
#pragma once

namespace saleslake {

// argv[0] is "parquet", argv[1] the subcommand.
int ParquetCommand(int argc, char** argv);

}  // namespace saleslake

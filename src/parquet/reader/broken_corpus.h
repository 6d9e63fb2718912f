// The broken corpus (tests only): files made from good TestFileBuilder files by truncating them,
// flipping bytes in their footers, page headers and pages, and making their metadata lie about
// lengths, counts, offsets, sizes, codecs and types, plus hostile thrift (deep nesting, huge list
// headers). Every file is named for what is wrong with it. tests/parquet/broken/ holds the ones
// that must fail, with the error code each gives (see broken_corpus_test.cc to regenerate).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "parquet/reader/reader_options.h"

namespace saleslake::parquet::testing {

struct NamedFile {
  std::string name;  // "truncated-at-1234", "lie-page-uncompressed-size-huge-zstd", ...
  std::string bytes;
};

// Every mutant, deterministic. Not all of them must fail (a flipped byte in a string of the
// footer may still give a valid file); MustFail says which ones do.
std::vector<NamedFile> MakeBrokenCorpus();

// True for the mutants that cannot be valid files: truncations, lies, flipped page bytes under a
// CRC, hostile thrift.
bool MustFail(const std::string& name);

// Opens `bytes` and reads all of it: every column chunk whole and through a row selection, the
// page indexes, bloom filters and a pruned scan. Returns the first error.
Status ReadEverything(const std::string& name, const std::string& bytes,
                      const ReaderOptions& options = {});

}  // namespace saleslake::parquet::testing

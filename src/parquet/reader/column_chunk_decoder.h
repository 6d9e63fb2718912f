// ColumnChunkDecoder: turns the pages of one flat column chunk into a ColumnVector.
//
// It keeps the chunk's dictionary (decoded once from the dictionary page) and, per data page,
// decodes the definition levels into validity, the non-null values with the page's encoding, and
// spreads them over the page's rows. Every count is checked: levels against the page's value
// count, decoded values against the non-null count, rows against the row group's row count, so a
// lying page is an error that names it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "parquet/reader/column_vector.h"
#include "parquet/reader/page_reader.h"
#include "parquet/reader/reader_options.h"
#include "parquet/reader/schema.h"

namespace saleslake::parquet {

class ColumnChunkDecoder {
 public:
  // `context` names the file, column and row group for messages.
  ColumnChunkDecoder(const ColumnDescriptor& column, const ReaderOptions& options,
                     std::string context);

  // Handles one page from PageReader: a dictionary page is remembered, a data page's rows are
  // appended to *out, index pages are ignored. `max_rows` caps the rows *out may reach.
  Status DecodePage(const Page& page, int64_t max_rows, ColumnVector* out);

  bool has_dictionary() const { return has_dictionary_; }

 private:
  Status Error(const Page& page, const std::string& what) const;
  Status ReadDictionary(const Page& page);
  // Decodes the definition levels of `num_values` rows into out->valid starting at row `first`,
  // returning the number of non-null rows.
  Result<int64_t> DecodeDefinitionLevels(const Page& page, std::string_view* body, int64_t first,
                                         int64_t num_values, ColumnVector* out);
  // Decodes `count` values with `encoding` from `data` into out's vector starting at row `first`.
  Status DecodeValues(const Page& page, Encoding encoding, std::string_view data, int64_t first,
                      int64_t count, ColumnVector* out);
  Status DecodeDictionaryIndices(std::string_view data, int64_t first, int64_t count,
                                 ColumnVector* out);

  const ColumnDescriptor& column_;
  const ReaderOptions& options_;
  std::string context_;
  bool has_dictionary_ = false;
  std::shared_ptr<ColumnVector> dictionary_;
  // Byte-array pages that are dictionary-encoded stay in dictionary form (see ReaderOptions).
  bool keep_dictionary_ = false;
  std::vector<uint32_t> indices_;
  std::vector<uint8_t> levels_;
};

}  // namespace saleslake::parquet

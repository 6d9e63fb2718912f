// ColumnWriter: encodes one column's values into pages for the current column chunk.
//
// Values arrive as slices of ColumnBuffers. The writer keeps one page open: definition levels,
// then dictionary ids (while the chunk's dictionary stays under its byte limit) or the values
// themselves, plus the page's min/max. A page is closed when it reaches the row or byte limit and
// handed to its PageWriter. FinishChunk closes the last page, writes the dictionary page, and
// describes the chunk (metadata with offsets relative to the chunk's start, column index, bloom
// filter); Reset starts the next chunk with the same buffers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "base/status.h"
#include "parquet/bloom_filter.h"
#include "parquet/column_buffer.h"
#include "parquet/metadata.h"
#include "parquet/writer/column_spec.h"
#include "parquet/writer/page_writer.h"
#include "parquet/writer/writer_options.h"

namespace saleslake::parquet {

struct FinishedColumnChunk {
  // Offsets (dictionary_page_offset, data_page_offset) are relative to the chunk's first byte:
  // the dictionary page (if any) followed by the data pages, as PageWriter holds them.
  ColumnMetaData metadata;
  std::optional<ColumnIndex> column_index;
  std::optional<SplitBlockBloomFilter> bloom_filter;
};

class ColumnWriter {
 public:
  // REQUIRES: ValidateColumn(spec) is OK.
  static Result<std::unique_ptr<ColumnWriter>> Make(const ColumnSpec& spec,
                                                    const WriterOptions& options);
  virtual ~ColumnWriter() = default;

  const ColumnSpec& spec() const { return spec_; }

  // Checks that `values` fits this column: its type and width, no null in a REQUIRED column,
  // integers within their logical type's range, decimals within their precision.
  Status CheckValues(const ColumnBuffer& values, size_t offset, size_t count) const;

  // Appends rows [offset, offset + count) of `values`. REQUIRES: CheckValues passed.
  virtual Status Write(const ColumnBuffer& values, size_t offset, size_t count) = 0;

  // Bytes the chunk will take if finished now (compressed pages so far, plus the open page and
  // dictionary uncompressed): what row-group sizing goes by.
  virtual int64_t EstimatedBytes() const = 0;

  virtual Status FinishChunk(FinishedColumnChunk* out) = 0;
  // The finished chunk's bytes and page locations (valid after FinishChunk, until Reset).
  const PageWriter& pages() const { return *pages_; }
  virtual void Reset() = 0;

 protected:
  ColumnWriter(ColumnSpec spec, std::unique_ptr<PageWriter> pages)
      : spec_(std::move(spec)), pages_(std::move(pages)) {}

  ColumnSpec spec_;
  std::unique_ptr<PageWriter> pages_;
};

}  // namespace saleslake::parquet

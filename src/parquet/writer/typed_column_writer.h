// The ColumnWriter implementation for each physical type (typed_column_writer.cc).
#pragma once

#include <memory>

#include "parquet/writer/column_writer.h"

namespace saleslake::parquet {

template <Type kType>
std::unique_ptr<ColumnWriter> MakeTypedColumnWriter(const ColumnSpec& spec,
                                                    const WriterOptions& options,
                                                    std::unique_ptr<PageWriter> pages);

}  // namespace saleslake::parquet

#include "parquet/reader/file_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "compress/codec.h"
#include "parquet/reader/column_chunk_decoder.h"
#include "parquet/reader/page_reader.h"

namespace saleslake::parquet {
namespace {

constexpr uint64_t kMagicSize = 4;
constexpr uint64_t kTailSize = 8;  // footer length + magic
// Read this much of the file's end at once: most footers fit, saving a second request on S3.
constexpr uint64_t kFooterPrefetch = 64 * 1024;
// The bloom filter header is a handful of bytes; read this much to find its length.
constexpr uint64_t kBloomHeaderPrefetch = 256;
// parquet-format caps split-block bloom filters at 128 MiB.
constexpr int64_t kMaxBloomFilterBytes = 128 << 20;
constexpr int64_t kBloomBlockBytes = 32;
constexpr int64_t kMinReserveRows = 1 << 16;
constexpr uint64_t kFooterDecodeBase = 16u << 20;
constexpr uint64_t kFooterDecodeRatio = 32;

// Fixed-width values are copied out of their page; byte arrays stay views into it.
bool CopiesValues(const ColumnDescriptor& c) {
  return c.physical_type != Type::kByteArray && c.physical_type != Type::kFixedLenByteArray &&
         c.physical_type != Type::kInt96;
}

// Bytes read past a chunk's declared end, for writers that undercounted it by a page header.
constexpr uint64_t kChunkSlack = 256;

uint32_t LoadLe32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

Result<std::unique_ptr<ParquetFileReader>> ParquetFileReader::Open(
    std::shared_ptr<io::RandomAccessFile> file, const ReaderOptions& options, std::string name) {
  std::unique_ptr<ParquetFileReader> reader(new ParquetFileReader(std::move(file), options));
  reader->name_ = name.empty() ? reader->file_->path() : std::move(name);
  SL_RETURN_IF_ERROR(reader->ReadFooter());
  return reader;
}

Status ParquetFileReader::ReadFooter() {
  const std::string& name = name_;
  file_size_ = file_->Size();
  if (file_size_ < 2 * kMagicSize + kTailSize - kMagicSize) {
    return Status::Corruption(fmt::format(
        "{}: not a Parquet file ({} bytes is too short for the PAR1 magic and a footer)", name,
        file_size_));
  }
  const uint64_t prefetch = std::min(file_size_, kFooterPrefetch);
  std::string tail;
  SL_RETURN_IF_ERROR(file_->ReadAt(file_size_ - prefetch, prefetch, &tail));
  if (tail.size() != prefetch) return Status::IOError(name + ": short read of the footer");
  const char* end = tail.data() + tail.size();
  if (std::memcmp(end - 4, "PARE", 4) == 0) {
    return Status::NotSupported(name +
                                ": the file has an encrypted footer (Parquet modular "
                                "encryption is not supported)");
  }
  if (std::memcmp(end - 4, "PAR1", 4) != 0) {
    return Status::Corruption(name + ": not a Parquet file (no PAR1 magic at the end)");
  }
  const uint64_t footer_length = LoadLe32(end - 8);
  if (footer_length > file_size_ - kMagicSize - kTailSize) {
    return Status::Corruption(fmt::format(
        "{}: the footer length {} exceeds the file ({} bytes): the file is truncated or corrupt",
        name, footer_length, file_size_));
  }
  if (footer_length > options_.max_footer_bytes) {
    return Status::ResourceExhausted(
        fmt::format("{}: the footer of {} bytes exceeds the limit of {}", name, footer_length,
                    options_.max_footer_bytes));
  }
  std::string head;
  SL_RETURN_IF_ERROR(file_->ReadAt(0, kMagicSize, &head));
  if (head != "PAR1") {
    return Status::Corruption(name + ": not a Parquet file (no PAR1 magic at the start)");
  }
  data_end_ = file_size_ - kTailSize - footer_length;
  std::string footer;
  if (footer_length + kTailSize <= tail.size()) {
    footer = tail.substr(tail.size() - kTailSize - footer_length, footer_length);
  } else {
    SL_RETURN_IF_ERROR(file_->ReadAt(data_end_, footer_length, &footer));
  }
  Status s = Deserialize(footer, &metadata_, nullptr, LimitsFor(footer_length));
  if (!s.ok()) return Status(s.code(), name + ": bad footer: " + s.message());
  if (metadata_.has_encryption_algorithm) {
    return Status::NotSupported(name + ": the file is encrypted (not supported)");
  }
  auto schema = FileSchema::Make(metadata_.schema);
  if (!schema.ok()) return Status(schema.status().code(), name + ": " + schema.status().message());
  schema_ = std::move(schema).value();
  if (metadata_.num_rows < 0) {
    return Status::Corruption(fmt::format("{}: negative row count {}", name, metadata_.num_rows));
  }
  for (size_t rg = 0; rg < metadata_.row_groups.size(); ++rg) {
    const RowGroup& group = metadata_.row_groups[rg];
    if (group.num_rows < 0) {
      return Status::Corruption(
          fmt::format("{}: row group {} has {} rows", name, rg, group.num_rows));
    }
    if (group.columns.size() != static_cast<size_t>(schema_.num_columns())) {
      return Status::Corruption(
          fmt::format("{}: row group {} has {} column chunks, the schema {} "
                      "columns",
                      name, rg, group.columns.size(), schema_.num_columns()));
    }
  }
  return Status::OK();
}

thrift::DecodeLimits ParquetFileReader::LimitsFor(uint64_t encoded_bytes) const {
  // Decoded structs can be ~100 times their encoding; real metadata stays well under 32 times.
  thrift::DecodeLimits limits = options_.thrift_limits;
  limits.max_decoded_bytes =
      std::min(limits.max_decoded_bytes, kFooterDecodeBase + kFooterDecodeRatio * encoded_bytes);
  return limits;
}

int64_t ParquetFileReader::row_group_rows(int row_group) const {
  return metadata_.row_groups[static_cast<size_t>(row_group)].num_rows;
}

std::string ParquetFileReader::ChunkContext(int row_group, int column) const {
  return fmt::format("{}: column '{}', row group {}", path(), schema_.column(column).name,
                     row_group);
}

Result<const ColumnMetaData*> ParquetFileReader::ChunkMetadata(int row_group, int column) const {
  if (row_group < 0 || row_group >= num_row_groups() || column < 0 ||
      column >= schema_.num_columns()) {
    return Status::InvalidArgument(
        fmt::format("{}: no row group {} / column {}", path(), row_group, column));
  }
  const ColumnChunk& cc =
      metadata_.row_groups[static_cast<size_t>(row_group)].columns[static_cast<size_t>(column)];
  const std::string ctx = ChunkContext(row_group, column);
  if (cc.file_path.has_value()) {
    return Status::NotSupported(ctx + ": the chunk's data is in another file ('" + *cc.file_path +
                                "'), which is not supported");
  }
  if (cc.has_crypto_metadata || cc.encrypted_column_metadata.has_value()) {
    return Status::NotSupported(ctx + ": the column is encrypted (not supported)");
  }
  if (!cc.meta_data) return Status::Corruption(ctx + ": the column chunk has no metadata");
  const ColumnMetaData& meta = *cc.meta_data;
  const ColumnDescriptor& desc = schema_.column(column);
  if (meta.type != desc.physical_type) {
    return Status::Corruption(fmt::format("{}: the chunk's type {} differs from the schema's {}",
                                          ctx, TypeName(meta.type), TypeName(desc.physical_type)));
  }
  if (meta.path_in_schema != desc.path) {
    return Status::Corruption(ctx + ": the chunk's path_in_schema does not match the schema");
  }
  return &meta;
}

Result<ByteRange> ParquetFileReader::ChunkRange(int row_group, int column) const {
  SL_ASSIGN_OR_RETURN(const ColumnMetaData* meta, ChunkMetadata(row_group, column));
  int64_t start = meta->data_page_offset;
  // Writers disagree on dictionary_page_offset: absent, 0 when there is none, or pointing at the
  // dictionary page before the data pages. Only the last moves the start.
  if (meta->dictionary_page_offset.has_value() && *meta->dictionary_page_offset >= 4 &&
      *meta->dictionary_page_offset < start) {
    start = *meta->dictionary_page_offset;
  }
  const int64_t length = meta->total_compressed_size;
  if (start < static_cast<int64_t>(kMagicSize) || length < 0 ||
      static_cast<uint64_t>(start) > data_end_ ||
      static_cast<uint64_t>(length) > data_end_ - static_cast<uint64_t>(start)) {
    return Status::Corruption(fmt::format(
        "{}: the chunk's bytes [{}, {}+{}) lie outside the file's data ({} bytes before the "
        "footer)",
        ChunkContext(row_group, column), start, start, length, data_end_));
  }
  return ByteRange{static_cast<uint64_t>(start), static_cast<uint64_t>(length)};
}

Status ParquetFileReader::ReadRange(uint64_t offset, uint64_t length, const std::string& what,
                                    std::string* out) const {
  if (offset < kMagicSize || offset > data_end_ || length > data_end_ - offset) {
    return Status::Corruption(fmt::format("{}: {} at [{}, +{}) lies outside the file's data",
                                          path(), what, offset, length));
  }
  SL_RETURN_IF_ERROR(file_->ReadAt(offset, length, out));
  if (out->size() != length) return Status::IOError(path() + ": short read of " + what);
  return Status::OK();
}

Result<std::unique_ptr<compress::Codec>> ParquetFileReader::MakeChunkCodec(
    int row_group, int column, const ColumnMetaData& meta) const {
  auto type = compress::CodecTypeFromParquet(static_cast<int32_t>(meta.codec));
  if (!type.ok()) {
    return Status::Corruption(ChunkContext(row_group, column) + ": " + type.status().message());
  }
  auto codec = compress::MakeCodec(*type);
  if (!codec.ok()) {
    return Status(codec.status().code(),
                  ChunkContext(row_group, column) + ": " + codec.status().message());
  }
  return std::move(codec).value();
}

Status ParquetFileReader::CheckReadable(int row_group, int column) const {
  if (row_group < 0 || row_group >= num_row_groups() || column < 0 ||
      column >= schema_.num_columns()) {
    return Status::InvalidArgument(
        fmt::format("{}: no row group {} / column {}", path(), row_group, column));
  }
  const ColumnDescriptor& desc = schema_.column(column);
  if (!desc.supported()) return Status::NotSupported(path() + ": " + desc.unsupported_reason);
  const int64_t rows = row_group_rows(row_group);
  if (rows > options_.max_row_group_rows) {
    return Status::ResourceExhausted(
        fmt::format("{}: row group {} has {} rows, more than the reader's limit of {}", path(),
                    row_group, rows, options_.max_row_group_rows));
  }
  return Status::OK();
}

Status ParquetFileReader::ReadColumnChunk(int row_group, int column, ColumnVector* out,
                                          ReadBuffers* buffers) const {
  SL_RETURN_IF_ERROR(CheckReadable(row_group, column));
  const ColumnDescriptor& desc = schema_.column(column);
  if (row_group_rows(row_group) == 0) {
    out->Clear();
    out->physical_type = desc.physical_type;
    return Status::OK();
  }
  SL_ASSIGN_OR_RETURN(const ColumnMetaData* meta, ChunkMetadata(row_group, column));
  SL_ASSIGN_OR_RETURN(ByteRange range, ChunkRange(row_group, column));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<compress::Codec> codec,
                      MakeChunkCodec(row_group, column, *meta));
  const std::string ctx = ChunkContext(row_group, column);
  out->Clear();
  out->physical_type = desc.physical_type;
  const int64_t rows = row_group_rows(row_group);
  if (rows == 0) return Status::OK();  // nothing to read (some writers leave such chunks empty)
  // A little beyond the declared end, for pages that run past it (see PageReader).
  const uint64_t slack = std::min(kChunkSlack, data_end_ - (range.offset + range.length));
  // The reused chunk buffer only when nothing from an earlier chunk still points into it.
  std::shared_ptr<std::string> bytes;
  if (buffers != nullptr && buffers->chunk != nullptr && buffers->chunk.use_count() == 1) {
    bytes = buffers->chunk;
  } else {
    bytes = std::make_shared<std::string>();
  }
  SL_RETURN_IF_ERROR(ReadRange(range.offset, range.length + slack, "column chunk", bytes.get()));
  if (buffers != nullptr) buffers->chunk = bytes;
  ColumnChunkDecoder decoder(desc, options_, ctx);
  PageReader pages(std::move(bytes), range.offset, range.length, codec.get(), options_, ctx);
  pages.ReuseDecompressionBuffer(CopiesValues(desc));
  if (buffers != nullptr) pages.ShareScratch(&buffers->page);
  // Room for the rows up front, but no more than the chunk's bytes could plausibly hold: a
  // lying row count must not size an allocation (pages grow the vectors as they are decoded).
  out->Reserve(std::min<int64_t>(rows, kMinReserveRows + static_cast<int64_t>(range.length) * 64),
               desc.nullable());
  Page page;
  while (true) {
    SL_ASSIGN_OR_RETURN(bool more, pages.Next(&page));
    if (!more) break;
    SL_RETURN_IF_ERROR(decoder.DecodePage(page, rows, out));
  }
  if (out->length != rows) {
    return Status::Corruption(fmt::format("{}: the pages hold {} rows, the row group declares {}",
                                          ctx, out->length, rows));
  }
  return Status::OK();
}

Status ParquetFileReader::ReadColumnChunkRows(int row_group, int column, const RowRanges& rows,
                                              ColumnVector* out) const {
  SL_RETURN_IF_ERROR(CheckReadable(row_group, column));
  const int64_t total_rows = row_group_rows(row_group);
  if (!rows.empty() && (rows.ranges().front().begin < 0 || rows.ranges().back().end > total_rows)) {
    return Status::InvalidArgument(fmt::format("{}: rows {} are outside the row group's {} rows",
                                               path(), rows.ToString(), total_rows));
  }
  SL_ASSIGN_OR_RETURN(std::optional<OffsetIndex> offsets, ReadOffsetIndex(row_group, column));
  if (!offsets.has_value()) {
    // No page locations: read the chunk whole and keep the selected rows.
    ColumnVector all;
    SL_RETURN_IF_ERROR(ReadColumnChunk(row_group, column, &all));
    out->Clear();
    out->physical_type = all.physical_type;
    for (const RowRange& r : rows.ranges()) out->AppendSlice(all, r.begin, r.end - r.begin);
    return Status::OK();
  }

  const ColumnDescriptor& desc = schema_.column(column);
  SL_ASSIGN_OR_RETURN(const ColumnMetaData* meta, ChunkMetadata(row_group, column));
  SL_ASSIGN_OR_RETURN(ByteRange range, ChunkRange(row_group, column));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<compress::Codec> codec,
                      MakeChunkCodec(row_group, column, *meta));
  const std::string ctx = ChunkContext(row_group, column);
  const std::vector<PageLocation>& pages = offsets->page_locations;
  SL_RETURN_IF_ERROR(ValidateOffsetIndex(*offsets, range, total_rows, ctx));

  out->Clear();
  out->physical_type = desc.physical_type;
  ColumnChunkDecoder decoder(desc, options_, ctx);
  Page page;
  // The dictionary page (if any) sits between the chunk start and the first data page.
  const uint64_t first_data =
      pages.empty() ? range.offset + range.length : static_cast<uint64_t>(pages[0].offset);
  if (first_data > range.offset) {
    auto prefix = std::make_shared<std::string>();
    SL_RETURN_IF_ERROR(
        ReadRange(range.offset, first_data - range.offset, "dictionary page", prefix.get()));
    const size_t prefix_size = prefix->size();
    PageReader reader(std::move(prefix), range.offset, prefix_size, codec.get(), options_, ctx);
    ColumnVector none;
    none.physical_type = desc.physical_type;
    while (true) {
      SL_ASSIGN_OR_RETURN(bool more, reader.Next(&page));
      if (!more) break;
      if (page.header.type != PageType::kDictionaryPage) continue;
      SL_RETURN_IF_ERROR(decoder.DecodePage(page, 0, &none));
    }
  }
  // Read runs of consecutive selected pages with one request each, decode them, and keep the
  // selected rows.
  ColumnVector scratch;
  size_t i = 0;
  while (i < pages.size()) {
    auto page_end_row = [&](size_t k) {
      return k + 1 < pages.size() ? pages[k + 1].first_row_index : total_rows;
    };
    if (!rows.Overlaps(pages[i].first_row_index, page_end_row(i))) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < pages.size() && rows.Overlaps(pages[j].first_row_index, page_end_row(j)) &&
           pages[j].offset == pages[j - 1].offset + pages[j - 1].compressed_page_size) {
      ++j;
    }
    const uint64_t begin = static_cast<uint64_t>(pages[i].offset);
    const uint64_t end =
        static_cast<uint64_t>(pages[j - 1].offset + pages[j - 1].compressed_page_size);
    auto bytes = std::make_shared<std::string>();
    SL_RETURN_IF_ERROR(ReadRange(begin, end - begin, "data pages", bytes.get()));
    const int64_t first_row = pages[i].first_row_index;
    const int64_t run_rows = page_end_row(j - 1) - first_row;
    scratch.Clear();
    scratch.physical_type = desc.physical_type;
    const size_t run_size = bytes->size();
    PageReader reader(std::move(bytes), begin, run_size, codec.get(), options_, ctx);
    while (true) {
      SL_ASSIGN_OR_RETURN(bool more, reader.Next(&page));
      if (!more) break;
      SL_RETURN_IF_ERROR(decoder.DecodePage(page, run_rows, &scratch));
    }
    if (scratch.length != run_rows) {
      return Status::Corruption(
          fmt::format("{}: pages at rows {}..{} hold {} rows, the offset index says {}", ctx,
                      first_row, first_row + run_rows, scratch.length, run_rows));
    }
    for (const RowRange& r : rows.ranges()) {
      const int64_t b = std::max(r.begin, first_row);
      const int64_t e = std::min(r.end, first_row + run_rows);
      if (b < e) out->AppendSlice(scratch, b - first_row, e - b);
    }
    i = j;
  }
  return Status::OK();
}

Status ParquetFileReader::ValidateOffsetIndex(const OffsetIndex& index, const ByteRange& chunk,
                                              int64_t rows, const std::string& ctx) const {
  const std::vector<PageLocation>& pages = index.page_locations;
  for (size_t k = 0; k < pages.size(); ++k) {
    const PageLocation& p = pages[k];
    const bool first_ok =
        k == 0 ? p.first_row_index == 0 : p.first_row_index > pages[k - 1].first_row_index;
    const bool in_chunk =
        p.offset >= static_cast<int64_t>(chunk.offset) && p.compressed_page_size > 0 &&
        static_cast<uint64_t>(p.offset) + static_cast<uint64_t>(p.compressed_page_size) <=
            chunk.offset + chunk.length &&
        (k == 0 || p.offset >= pages[k - 1].offset + pages[k - 1].compressed_page_size);
    if (!first_ok || p.first_row_index >= std::max<int64_t>(rows, 1) || !in_chunk) {
      return Status::Corruption(fmt::format(
          "{}: the offset index's page {} (offset {}, {} bytes, first row {}) is inconsistent "
          "with the chunk",
          ctx, k, p.offset, p.compressed_page_size, p.first_row_index));
    }
  }
  return Status::OK();
}

Result<std::vector<ColumnVector>> ParquetFileReader::ReadRowGroup(
    int row_group, const std::vector<int>& columns) const {
  std::vector<ColumnVector> out(columns.size());
  ReadBuffers buffers;
  for (size_t i = 0; i < columns.size(); ++i) {
    SL_RETURN_IF_ERROR(ReadColumnChunk(row_group, columns[i], &out[i], &buffers));
  }
  return out;
}

Status ParquetFileReader::ReadRowGroup(int row_group, const std::vector<int>& columns,
                                       std::vector<ColumnVector>* out, ReadBuffers* buffers) const {
  out->resize(columns.size());
  // Released first, so that the buffers they held are free to be reused.
  for (ColumnVector& c : *out) c.Clear();
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] < 0) continue;
    SL_RETURN_IF_ERROR(ReadColumnChunk(row_group, columns[i], &(*out)[i], buffers));
  }
  return Status::OK();
}

Result<std::optional<ColumnIndex>> ParquetFileReader::ReadColumnIndex(int row_group,
                                                                      int column) const {
  SL_ASSIGN_OR_RETURN(const ColumnMetaData* meta, ChunkMetadata(row_group, column));
  (void)meta;
  const ColumnChunk& cc =
      metadata_.row_groups[static_cast<size_t>(row_group)].columns[static_cast<size_t>(column)];
  if (!cc.column_index_offset || !cc.column_index_length) return std::optional<ColumnIndex>();
  const std::string ctx = ChunkContext(row_group, column);
  if (*cc.column_index_length <= 0 || *cc.column_index_offset < 0 ||
      static_cast<uint64_t>(*cc.column_index_length) > options_.max_footer_bytes) {
    return Status::Corruption(ctx + ": bad column index location");
  }
  std::string bytes;
  SL_RETURN_IF_ERROR(ReadRange(static_cast<uint64_t>(*cc.column_index_offset),
                               static_cast<uint64_t>(*cc.column_index_length), "column index",
                               &bytes));
  ColumnIndex index;
  Status s = Deserialize(bytes, &index, nullptr, LimitsFor(bytes.size()));
  if (!s.ok()) return Status(s.code(), ctx + ": bad column index: " + s.message());
  const size_t n = index.null_pages.size();
  if (index.min_values.size() != n || index.max_values.size() != n ||
      (index.null_counts && index.null_counts->size() != n)) {
    return Status::Corruption(ctx + ": the column index's lists differ in length");
  }
  return std::optional<ColumnIndex>(std::move(index));
}

Result<std::optional<OffsetIndex>> ParquetFileReader::ReadOffsetIndex(int row_group,
                                                                      int column) const {
  SL_ASSIGN_OR_RETURN(const ColumnMetaData* meta, ChunkMetadata(row_group, column));
  (void)meta;
  const ColumnChunk& cc =
      metadata_.row_groups[static_cast<size_t>(row_group)].columns[static_cast<size_t>(column)];
  if (!cc.offset_index_offset || !cc.offset_index_length) return std::optional<OffsetIndex>();
  const std::string ctx = ChunkContext(row_group, column);
  if (*cc.offset_index_length <= 0 || *cc.offset_index_offset < 0 ||
      static_cast<uint64_t>(*cc.offset_index_length) > options_.max_footer_bytes) {
    return Status::Corruption(ctx + ": bad offset index location");
  }
  std::string bytes;
  SL_RETURN_IF_ERROR(ReadRange(static_cast<uint64_t>(*cc.offset_index_offset),
                               static_cast<uint64_t>(*cc.offset_index_length), "offset index",
                               &bytes));
  OffsetIndex index;
  Status s = Deserialize(bytes, &index, nullptr, LimitsFor(bytes.size()));
  if (!s.ok()) return Status(s.code(), ctx + ": bad offset index: " + s.message());
  return std::optional<OffsetIndex>(std::move(index));
}

Result<std::optional<std::string>> ParquetFileReader::ReadBloomFilter(int row_group,
                                                                      int column) const {
  SL_ASSIGN_OR_RETURN(const ColumnMetaData* meta, ChunkMetadata(row_group, column));
  if (!meta->bloom_filter_offset) return std::optional<std::string>();
  const std::string ctx = ChunkContext(row_group, column);
  const int64_t offset = *meta->bloom_filter_offset;
  if (offset < static_cast<int64_t>(kMagicSize) || static_cast<uint64_t>(offset) >= data_end_) {
    return Status::Corruption(ctx + ": the bloom filter offset lies outside the file's data");
  }
  uint64_t first_read = std::min<uint64_t>(kBloomHeaderPrefetch, data_end_ - offset);
  if (meta->bloom_filter_length) {
    if (*meta->bloom_filter_length <= 0 ||
        static_cast<uint64_t>(*meta->bloom_filter_length) > data_end_ - offset) {
      return Status::Corruption(ctx + ": the bloom filter length is out of range");
    }
    first_read = static_cast<uint64_t>(*meta->bloom_filter_length);
  }
  std::string bytes;
  SL_RETURN_IF_ERROR(ReadRange(static_cast<uint64_t>(offset), first_read, "bloom filter", &bytes));
  BloomFilterHeader header;
  size_t header_size = 0;
  Status s = Deserialize(bytes, &header, &header_size, options_.thrift_limits);
  if (!s.ok()) return Status(s.code(), ctx + ": bad bloom filter header: " + s.message());
  if (header.algorithm != 1 || header.hash != 1 || header.compression != 1) {
    return Status::NotSupported(ctx +
                                ": the bloom filter is not an uncompressed split-block "
                                "filter with xxHash64");
  }
  if (header.num_bytes < kBloomBlockBytes || header.num_bytes > kMaxBloomFilterBytes ||
      header.num_bytes % kBloomBlockBytes != 0) {
    return Status::Corruption(
        fmt::format("{}: the bloom filter declares {} bytes", ctx, header.num_bytes));
  }
  const uint64_t bitset_offset = static_cast<uint64_t>(offset) + header_size;
  const auto num_bytes = static_cast<uint64_t>(header.num_bytes);
  if (header_size + num_bytes <= bytes.size()) {
    return std::optional<std::string>(bytes.substr(header_size, num_bytes));
  }
  std::string bitset;
  SL_RETURN_IF_ERROR(ReadRange(bitset_offset, num_bytes, "bloom filter bitset", &bitset));
  return std::optional<std::string>(std::move(bitset));
}

}  // namespace saleslake::parquet

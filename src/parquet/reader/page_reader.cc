#include "parquet/reader/page_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "compress/crc32.h"

namespace saleslake::parquet {
namespace {

// Pages of dictionary indices: every value is copied out (as an index, or as a view into the
// dictionary page), so their bodies need not outlive the decoding.
bool IsDictionaryIndexed(Encoding e) {
  return e == Encoding::kRleDictionary || e == Encoding::kPlainDictionary;
}

}  // namespace

PageReader::PageReader(std::shared_ptr<const std::string> chunk, uint64_t chunk_offset,
                       size_t pages_end, compress::Codec* codec, const ReaderOptions& options,
                       std::string context)
    : chunk_(std::move(chunk)),
      chunk_offset_(chunk_offset),
      pages_end_(std::min(pages_end, chunk_->size())),
      codec_(codec),
      options_(options),
      context_(std::move(context)) {}

Status PageReader::Error(StatusCode code, int page, const std::string& what) const {
  return Status(code, fmt::format("{}, page {}: {}", context_, page, what));
}

Status PageReader::Decompress(const Page& page, std::string_view stored, size_t size, bool reusable,
                              std::string_view* out, std::shared_ptr<const void>* owner) {
  if (size > options_.max_page_bytes) {
    return Error(StatusCode::kResourceExhausted, page.index,
                 fmt::format("the page declares {} uncompressed bytes, more than the limit of {}",
                             size, options_.max_page_bytes));
  }
  // Refused before anything is allocated for it: a few bytes cannot claim a gigabyte.
  const uint64_t most = codec_->MaxDecompressedSize(stored);
  if (size > most) {
    return Error(StatusCode::kCorruption, page.index,
                 fmt::format("the page declares {} uncompressed bytes, but its {} {} bytes hold at "
                             "most {}",
                             size, stored.size(), compress::CodecTypeName(codec_->type()), most));
  }
  // The buffer is left uninitialised: the codec writes every byte or fails.
  std::shared_ptr<char[]> buffer;
  if (reusable && scratch_->data != nullptr && scratch_->size >= size) {
    buffer = scratch_->data;
  } else {
    buffer = std::shared_ptr<char[]>(new char[std::max<size_t>(size, 1)]);
    if (reusable) *scratch_ = PageScratch{buffer, size};
  }
  Status s = codec_->Decompress(stored, buffer.get(), size);
  if (!s.ok()) return Error(s.code(), page.index, s.message());
  *out = std::string_view(buffer.get(), size);
  *owner = std::move(buffer);
  return Status::OK();
}

Result<bool> PageReader::Next(Page* page) {
  const std::string& chunk = *chunk_;
  if (pos_ >= pages_end_) return false;
  const int index = pages_read_++;
  *page = Page();
  page->index = index;
  page->file_offset = chunk_offset_ + pos_;
  size_t header_size = 0;
  Status s = Deserialize(std::string_view(chunk).substr(pos_), &page->header, &header_size,
                         options_.thrift_limits);
  if (!s.ok()) return Error(StatusCode::kCorruption, index, "bad page header: " + s.message());
  const PageHeader& h = page->header;
  pos_ += header_size;
  if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0) {
    return Error(StatusCode::kCorruption, index, "negative page size");
  }
  const auto stored_size = static_cast<size_t>(h.compressed_page_size);
  if (stored_size > chunk.size() - pos_) {
    return Error(StatusCode::kCorruption, index,
                 fmt::format("the page claims {} bytes, but only {} remain in the column chunk",
                             stored_size, chunk.size() - pos_));
  }
  std::string_view stored = std::string_view(chunk).substr(pos_, stored_size);
  pos_ += stored_size;

  if (h.crc.has_value() && options_.verify_checksums) {
    const uint32_t actual = compress::Crc32(stored);
    if (actual != static_cast<uint32_t>(*h.crc)) {
      return Error(StatusCode::kCorruption, index,
                   fmt::format("page checksum mismatch (stored CRC32 {:08x}, computed {:08x}): the "
                               "page is corrupt",
                               static_cast<uint32_t>(*h.crc), actual));
    }
  }

  const auto size = static_cast<size_t>(h.uncompressed_page_size);
  if (h.type == PageType::kDataPageV2) {
    if (!h.data_page_header_v2) {
      return Error(StatusCode::kCorruption, index, "DATA_PAGE_V2 without its header");
    }
    const DataPageHeaderV2& v2 = *h.data_page_header_v2;
    const int64_t rep = v2.repetition_levels_byte_length;
    const int64_t def = v2.definition_levels_byte_length;
    if (rep < 0 || def < 0 || static_cast<uint64_t>(rep + def) > stored_size ||
        static_cast<uint64_t>(rep + def) > size) {
      return Error(StatusCode::kCorruption, index,
                   fmt::format("level sections of {} + {} bytes do not fit a page of {} stored "
                               "and {} uncompressed bytes",
                               rep, def, stored_size, size));
    }
    page->repetition_levels = stored.substr(0, static_cast<size_t>(rep));
    page->definition_levels = stored.substr(static_cast<size_t>(rep), static_cast<size_t>(def));
    std::string_view values = stored.substr(static_cast<size_t>(rep + def));
    const size_t values_size = size - static_cast<size_t>(rep + def);
    page->owner = chunk_;
    const bool compressed =
        v2.is_compressed.value_or(true) && codec_->type() != compress::CodecType::kUncompressed;
    if (!compressed || values_size == 0) {
      if (values.size() != values_size && !(values_size == 0 && compressed)) {
        return Error(StatusCode::kCorruption, index,
                     fmt::format("uncompressed values of {} bytes stored in {} bytes", values_size,
                                 values.size()));
      }
      page->body = values.substr(0, values_size);
      return true;
    }
    // The level views point into the chunk, which outlives the decoding of this page; the values
    // may be referenced for longer, through `owner`.
    SL_RETURN_IF_ERROR(Decompress(*page, values, values_size,
                                  reuse_buffer_ || IsDictionaryIndexed(v2.encoding), &page->body,
                                  &page->owner));
    return true;
  }

  if (h.type == PageType::kIndexPage) {
    page->owner = chunk_;
    return true;  // no data; the caller skips it
  }
  if (h.type != PageType::kDataPage && h.type != PageType::kDictionaryPage) {
    return Error(StatusCode::kCorruption, index,
                 fmt::format("unknown page type {}", static_cast<int32_t>(h.type)));
  }
  if (codec_->type() == compress::CodecType::kUncompressed || (size == 0 && stored_size == 0)) {
    if (stored_size != size) {
      return Error(
          StatusCode::kCorruption, index,
          fmt::format("an uncompressed page declares {} bytes but stores {}", size, stored_size));
    }
    page->body = stored;
    page->owner = chunk_;
    return true;
  }
  const bool indexed = h.type == PageType::kDataPage && h.data_page_header &&
                       IsDictionaryIndexed(h.data_page_header->encoding);
  SL_RETURN_IF_ERROR(
      Decompress(*page, stored, size, reuse_buffer_ || indexed, &page->body, &page->owner));
  return true;
}

}  // namespace saleslake::parquet

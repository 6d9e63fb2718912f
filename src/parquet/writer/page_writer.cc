#include "parquet/writer/page_writer.h"

#include <limits>

#include "compress/crc32.h"

namespace saleslake::parquet {
namespace {

Status CheckPageSize(size_t bytes) {
  if (bytes > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return Status::InvalidArgument("a page would exceed 2 GiB; lower the data page size");
  }
  return Status::OK();
}

}  // namespace

PageWriter::PageWriter(std::unique_ptr<compress::Codec> codec, CompressionCodec codec_id,
                       DataPageVersion version, bool write_crc)
    : codec_(std::move(codec)), codec_id_(codec_id), version_(version), write_crc_(write_crc) {}

Result<std::string_view> PageWriter::Compress(std::string_view body) {
  if (codec_ == nullptr) return body;
  return codec_->CompressToScratch(body, &compressed_);
}

void PageWriter::AppendPage(PageHeader& header, std::string_view prefix, std::string_view stored,
                            std::string* out) {
  if (write_crc_) {
    // The checksum covers the page as stored after its header: for v2 the uncompressed levels
    // followed by the compressed values.
    uint32_t crc = compress::Crc32Extend(compress::Crc32(prefix), stored);
    header.crc = static_cast<int32_t>(crc);
  }
  header_.clear();
  Serialize(header, &header_);
  out->append(header_);
  out->append(prefix);
  out->append(stored);
  uncompressed_total_ += static_cast<int64_t>(header_.size()) + header.uncompressed_page_size;
}

Status PageWriter::WriteDataPage(std::string_view levels, std::string_view values,
                                 int32_t num_values, int32_t num_nulls, Encoding encoding,
                                 int64_t first_row) {
  const int64_t offset = static_cast<int64_t>(data_pages_.size());
  PageHeader header;
  std::string_view prefix;
  std::string_view stored;
  size_t uncompressed = levels.size() + values.size();
  SL_RETURN_IF_ERROR(CheckPageSize(uncompressed));
  if (version_ == DataPageVersion::kV1) {
    std::string_view body = values;
    if (!levels.empty()) {
      body_.assign(levels);
      body_.append(values);
      body = body_;
    }
    SL_ASSIGN_OR_RETURN(stored, Compress(body));
    header.type = PageType::kDataPage;
    DataPageHeader& d = header.data_page_header.emplace();
    d.num_values = num_values;
    d.encoding = encoding;
    d.definition_level_encoding = Encoding::kRle;
    d.repetition_level_encoding = Encoding::kRle;
  } else {
    // v2 keeps levels uncompressed in front, so readers can get at them without decompressing.
    prefix = levels;
    SL_ASSIGN_OR_RETURN(stored, Compress(values));
    header.type = PageType::kDataPageV2;
    DataPageHeaderV2& d = header.data_page_header_v2.emplace();
    d.num_values = num_values;
    d.num_nulls = num_nulls;
    d.num_rows = num_values;  // flat columns: one value (or null) per row
    d.encoding = encoding;
    d.definition_levels_byte_length = static_cast<int32_t>(levels.size());
    d.repetition_levels_byte_length = 0;
    d.is_compressed = codec_ != nullptr;
  }
  SL_RETURN_IF_ERROR(CheckPageSize(prefix.size() + stored.size()));
  header.uncompressed_page_size = static_cast<int32_t>(uncompressed);
  header.compressed_page_size = static_cast<int32_t>(prefix.size() + stored.size());
  AppendPage(header, prefix, stored, &data_pages_);
  locations_.push_back(PageLocation{
      offset, static_cast<int32_t>(data_pages_.size() - static_cast<size_t>(offset)), first_row});
  ++encoding_counts_[{header.type, encoding}];
  return Status::OK();
}

Status PageWriter::WriteDictionaryPage(std::string_view values, int32_t num_values) {
  SL_RETURN_IF_ERROR(CheckPageSize(values.size()));
  std::string_view stored;
  SL_ASSIGN_OR_RETURN(stored, Compress(values));
  SL_RETURN_IF_ERROR(CheckPageSize(stored.size()));
  PageHeader header;
  header.type = PageType::kDictionaryPage;
  header.uncompressed_page_size = static_cast<int32_t>(values.size());
  header.compressed_page_size = static_cast<int32_t>(stored.size());
  header.dictionary_page_header = DictionaryPageHeader{num_values, Encoding::kPlain, std::nullopt};
  dictionary_page_.clear();
  AppendPage(header, {}, stored, &dictionary_page_);
  ++encoding_counts_[{PageType::kDictionaryPage, Encoding::kPlain}];
  return Status::OK();
}

std::vector<PageEncodingStats> PageWriter::EncodingStats() const {
  std::vector<PageEncodingStats> out;
  // Dictionary page first, then data pages, as readers list them.
  for (const auto& [key, count] : encoding_counts_) {
    if (key.first == PageType::kDictionaryPage) out.push_back({key.first, key.second, count});
  }
  for (const auto& [key, count] : encoding_counts_) {
    if (key.first != PageType::kDictionaryPage) out.push_back({key.first, key.second, count});
  }
  return out;
}

void PageWriter::Reset() {
  dictionary_page_.clear();
  data_pages_.clear();
  locations_.clear();
  uncompressed_total_ = 0;
  encoding_counts_.clear();
}

}  // namespace saleslake::parquet

#include "parquet/reader/column_chunk_decoder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "parquet/encoding/bit_unpack.h"
#include "parquet/encoding/byte_stream_split_decoder.h"
#include "parquet/encoding/delta_binary_packed_decoder.h"
#include "parquet/encoding/delta_byte_array_decoder.h"
#include "parquet/encoding/plain_decoder.h"
#include "parquet/encoding/rle_decoder.h"

namespace saleslake::parquet {
namespace {

// Adds `buffer` to the vector's owned buffers unless it is already the most recent one (pages of
// an uncompressed chunk all share the chunk buffer).
void KeepBuffer(ColumnVector* out, const std::shared_ptr<const void>& buffer) {
  if (buffer == nullptr) return;
  if (!out->buffers.empty() && out->buffers.back() == buffer) return;
  if (std::find(out->buffers.begin(), out->buffers.end(), buffer) != out->buffers.end()) return;
  out->buffers.push_back(buffer);
}

// Moves the `non_null` values at [first, first + non_null) to the rows of [first, first + rows)
// whose validity byte is set, back to front so that no value is overwritten before it moves.
template <typename T>
void Spread(std::vector<T>* values, const uint8_t* valid, int64_t first, int64_t rows,
            int64_t non_null) {
  T* v = values->data() + first;
  int64_t src = non_null - 1;
  for (int64_t row = rows - 1; row >= 0 && src < row; --row) {
    if (valid[row]) {
      v[row] = v[src--];
    } else {
      v[row] = T{};
    }
  }
}

template <typename T>
void Gather(const std::vector<T>& dictionary, const uint32_t* indices, int64_t count, T* out) {
  const T* dict = dictionary.data();
  for (int64_t i = 0; i < count; ++i) out[i] = dict[indices[i]];
}

size_t FixedWidth(const ColumnDescriptor& c) {
  switch (c.physical_type) {
    case Type::kInt32:
    case Type::kFloat:
      return 4;
    case Type::kInt64:
    case Type::kDouble:
      return 8;
    case Type::kInt96:
      return 12;
    case Type::kFixedLenByteArray:
      return static_cast<size_t>(c.type_length);
    default:
      return 0;
  }
}

}  // namespace

ColumnChunkDecoder::ColumnChunkDecoder(const ColumnDescriptor& column, const ReaderOptions& options,
                                       std::string context)
    : column_(column), options_(options), context_(std::move(context)) {
  keep_dictionary_ =
      options.keep_dictionaries && (column.physical_type == Type::kByteArray ||
                                    column.physical_type == Type::kFixedLenByteArray);
}

Status ColumnChunkDecoder::Error(const Page& page, const std::string& what) const {
  return Status::Corruption(fmt::format("{}, page {}: {}", context_, page.index, what));
}

Status ColumnChunkDecoder::DecodePage(const Page& page, int64_t max_rows, ColumnVector* out) {
  const PageHeader& h = page.header;
  if (h.type == PageType::kDictionaryPage) return ReadDictionary(page);
  if (h.type == PageType::kIndexPage) return Status::OK();

  int64_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  std::string_view body = page.body;
  if (h.type == PageType::kDataPage) {
    if (!h.data_page_header) return Error(page, "DATA_PAGE without its header");
    num_values = h.data_page_header->num_values;
    encoding = h.data_page_header->encoding;
  } else {
    num_values = h.data_page_header_v2->num_values;
    encoding = h.data_page_header_v2->encoding;
  }
  const int64_t first = out->length;
  if (num_values < 0 || num_values > max_rows - first) {
    return Error(page, fmt::format("the page declares {} values, but the row group has only {} "
                                   "rows left",
                                   num_values, max_rows - first));
  }
  // Dictionary form lasts while every page is dictionary-encoded; any other page turns what was
  // read so far into plain views.
  const bool dictionary_page =
      encoding == Encoding::kRleDictionary || encoding == Encoding::kPlainDictionary;
  if (keep_dictionary_ && dictionary_page && has_dictionary_ && first == 0 &&
      !out->is_dictionary()) {
    out->dictionary = dictionary_;
    // The rows were reserved as views before the chunk's form was known; the indices get the
    // same room, so that they do not grow (and move) page by page.
    out->indices.reserve(out->binaries.capacity());
  } else if (out->is_dictionary() && !dictionary_page) {
    out->Materialize();
  }
  out->Resize(first + num_values, column_.nullable());

  int64_t non_null = num_values;
  if (column_.max_definition_level > 0) {
    SL_ASSIGN_OR_RETURN(non_null, DecodeDefinitionLevels(page, &body, first, num_values, out));
  }
  if (h.type == PageType::kDataPageV2) {
    const DataPageHeaderV2& v2 = *h.data_page_header_v2;
    if (v2.num_nulls != num_values - non_null || v2.num_rows != num_values) {
      return Error(page, fmt::format("the header declares {} nulls in {} rows, the definition "
                                     "levels hold {} nulls in {} values",
                                     v2.num_nulls, v2.num_rows, num_values - non_null, num_values));
    }
  }
  SL_RETURN_IF_ERROR(DecodeValues(page, encoding, body, first, non_null, out));
  if (non_null < num_values) {
    const uint8_t* valid = out->valid.data() + first;
    switch (column_.physical_type) {
      case Type::kBoolean:
        Spread(&out->bools, valid, first, num_values, non_null);
        break;
      case Type::kInt32:
        Spread(&out->int32s, valid, first, num_values, non_null);
        break;
      case Type::kInt64:
        Spread(&out->int64s, valid, first, num_values, non_null);
        break;
      case Type::kFloat:
        Spread(&out->floats, valid, first, num_values, non_null);
        break;
      case Type::kDouble:
        Spread(&out->doubles, valid, first, num_values, non_null);
        break;
      default:
        if (out->is_dictionary()) {
          Spread(&out->indices, valid, first, num_values, non_null);
        } else {
          Spread(&out->binaries, valid, first, num_values, non_null);
        }
        break;
    }
    out->null_count += num_values - non_null;
  }
  return Status::OK();
}

Result<int64_t> ColumnChunkDecoder::DecodeDefinitionLevels(const Page& page, std::string_view* body,
                                                           int64_t first, int64_t num_values,
                                                           ColumnVector* out) {
  const int width = BitWidthOf(static_cast<uint64_t>(column_.max_definition_level));
  uint8_t* levels = out->valid.data() + first;
  const auto n = static_cast<size_t>(num_values);
  Status s;
  if (page.header.type == PageType::kDataPageV2) {
    RleBitPackedDecoder decoder(page.definition_levels, width);
    s = decoder.Decode(levels, n);
  } else {
    const Encoding level_encoding = page.header.data_page_header->definition_level_encoding;
    if (level_encoding == Encoding::kRle) {
      auto stream = TakeLengthPrefixed(body, "definition levels");
      if (!stream.ok()) return Error(page, stream.status().message());
      RleBitPackedDecoder decoder(*stream, width);
      s = decoder.Decode(levels, n);
    } else if (level_encoding == Encoding::kBitPacked) {
      s = DecodeLegacyBitPackedLevels(body, width, levels, n);
    } else {
      return Error(page, "definition levels use encoding " + EncodingName(level_encoding));
    }
  }
  if (!s.ok()) return Error(page, "definition levels: " + s.message());
  const auto max = static_cast<uint8_t>(column_.max_definition_level);
  int64_t non_null = 0;
  for (size_t i = 0; i < n; ++i) {
    if (levels[i] > max) {
      return Error(
          page, fmt::format("definition level {} exceeds the column's maximum {}", levels[i], max));
    }
    levels[i] = levels[i] == max;
    non_null += levels[i];
  }
  return non_null;
}

Status ColumnChunkDecoder::ReadDictionary(const Page& page) {
  if (has_dictionary_) return Error(page, "a second dictionary page in one column chunk");
  if (!page.header.dictionary_page_header) return Error(page, "DICTIONARY_PAGE without its header");
  const DictionaryPageHeader& dh = *page.header.dictionary_page_header;
  if (dh.encoding != Encoding::kPlain && dh.encoding != Encoding::kPlainDictionary) {
    return Error(
        page, "dictionary page encoding " + EncodingName(dh.encoding) + " (only PLAIN is defined)");
  }
  const int64_t count = dh.num_values;
  // Each entry takes at least one bit (booleans) or byte, so the count is bounded by the page
  // size before anything is allocated.
  const size_t min_bits = column_.physical_type == Type::kBoolean     ? 1
                          : column_.physical_type == Type::kByteArray ? 32
                                                                      : 8 * FixedWidth(column_);
  if (count < 0 || static_cast<uint64_t>(count) * min_bits > page.body.size() * 8) {
    return Error(page, fmt::format("the dictionary declares {} entries in {} bytes", count,
                                   page.body.size()));
  }
  dictionary_ = std::make_shared<ColumnVector>();
  dictionary_->physical_type = column_.physical_type;
  dictionary_->Resize(count, false);
  SL_RETURN_IF_ERROR(DecodeValues(page, Encoding::kPlain, page.body, 0, count, dictionary_.get()));
  has_dictionary_ = true;
  return Status::OK();
}

Status ColumnChunkDecoder::DecodeDictionaryIndices(std::string_view data, int64_t first,
                                                   int64_t count, ColumnVector* out) {
  if (count == 0) return Status::OK();
  if (!has_dictionary_) {
    return Status::Corruption("a dictionary-encoded page, but the chunk has no dictionary page");
  }
  if (data.empty()) return Status::Corruption("dictionary indices: the bit-width byte is missing");
  const int width = static_cast<uint8_t>(data[0]);
  if (width > 32) {
    return Status::Corruption(fmt::format("dictionary index bit width {} exceeds 32", width));
  }
  RleBitPackedDecoder decoder(data.substr(1), width);
  const auto dictionary_size = static_cast<uint32_t>(dictionary_->length);
  if (out->is_dictionary()) {
    return decoder.DecodeBounded(out->indices.data() + first, static_cast<size_t>(count),
                                 dictionary_size);
  }
  indices_.resize(static_cast<size_t>(count));
  SL_RETURN_IF_ERROR(decoder.DecodeBounded(indices_.data(), indices_.size(), dictionary_size));
  const uint32_t* idx = indices_.data();
  const ColumnVector& dict = *dictionary_;
  switch (column_.physical_type) {
    case Type::kBoolean:
      Gather(dict.bools, idx, count, out->bools.data() + first);
      break;
    case Type::kInt32:
      Gather(dict.int32s, idx, count, out->int32s.data() + first);
      break;
    case Type::kInt64:
      Gather(dict.int64s, idx, count, out->int64s.data() + first);
      break;
    case Type::kFloat:
      Gather(dict.floats, idx, count, out->floats.data() + first);
      break;
    case Type::kDouble:
      Gather(dict.doubles, idx, count, out->doubles.data() + first);
      break;
    default:
      Gather(dict.binaries, idx, count, out->binaries.data() + first);
      for (const auto& b : dict.buffers) KeepBuffer(out, b);
      break;
  }
  return Status::OK();
}

Status ColumnChunkDecoder::DecodeValues(const Page& page, Encoding encoding, std::string_view data,
                                        int64_t first, int64_t count, ColumnVector* out) {
  const auto n = static_cast<size_t>(count);
  const Type type = column_.physical_type;
  Status s;
  auto unsupported = [&]() {
    return Status::NotSupported(fmt::format("{}, page {}: encoding {} is not valid for {} columns",
                                            context_, page.index, EncodingName(encoding),
                                            TypeName(type)));
  };
  switch (encoding) {
    case Encoding::kPlain:
      switch (type) {
        case Type::kBoolean:
          s = DecodePlainBooleans(&data, n, out->bools.data() + first);
          break;
        case Type::kInt32:
          s = DecodePlainFixed(&data, n, out->int32s.data() + first);
          break;
        case Type::kInt64:
          s = DecodePlainFixed(&data, n, out->int64s.data() + first);
          break;
        case Type::kFloat:
          s = DecodePlainFixed(&data, n, out->floats.data() + first);
          break;
        case Type::kDouble:
          s = DecodePlainFixed(&data, n, out->doubles.data() + first);
          break;
        case Type::kByteArray:
          s = DecodePlainByteArrays(&data, n, out->binaries.data() + first);
          KeepBuffer(out, page.owner);
          break;
        default:
          s = DecodePlainFixedLenByteArrays(&data, n, FixedWidth(column_),
                                            out->binaries.data() + first);
          KeepBuffer(out, page.owner);
          break;
      }
      break;
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary:
      s = DecodeDictionaryIndices(data, first, count, out);
      break;
    case Encoding::kRle: {
      if (type != Type::kBoolean) return unsupported();
      auto stream = TakeLengthPrefixed(&data, "RLE booleans");
      if (!stream.ok()) return Error(page, stream.status().message());
      RleBitPackedDecoder decoder(*stream, 1);
      s = decoder.Decode(out->bools.data() + first, n);
      break;
    }
    case Encoding::kDeltaBinaryPacked: {
      if (type != Type::kInt32 && type != Type::kInt64) return unsupported();
      DeltaBinaryPackedDecoder decoder;
      s = decoder.Init(data);
      if (s.ok() && decoder.total_values() != static_cast<uint64_t>(count)) {
        s = Status::Corruption(fmt::format("DELTA_BINARY_PACKED holds {} values, {} expected",
                                           decoder.total_values(), count));
      }
      if (s.ok()) {
        s = type == Type::kInt32 ? decoder.Decode(out->int32s.data() + first, n)
                                 : decoder.Decode(out->int64s.data() + first, n);
      }
      break;
    }
    case Encoding::kDeltaLengthByteArray:
      if (type != Type::kByteArray) return unsupported();
      s = DecodeDeltaLengthByteArrays(data, n, out->binaries.data() + first);
      KeepBuffer(out, page.owner);
      break;
    case Encoding::kDeltaByteArray: {
      if (type != Type::kByteArray && type != Type::kFixedLenByteArray) return unsupported();
      std::shared_ptr<std::string> storage;
      s = DecodeDeltaByteArrays(data, n, options_.max_page_bytes, &storage,
                                out->binaries.data() + first);
      if (s.ok() && type == Type::kFixedLenByteArray) {
        for (size_t i = 0; i < n; ++i) {
          if (out->binaries[first + i].size() != static_cast<size_t>(column_.type_length)) {
            s = Status::Corruption(
                fmt::format("a DELTA_BYTE_ARRAY value of {} bytes in a "
                            "FIXED_LEN_BYTE_ARRAY({}) column",
                            out->binaries[first + i].size(), column_.type_length));
            break;
          }
        }
      }
      KeepBuffer(out, storage);
      break;
    }
    case Encoding::kByteStreamSplit: {
      const size_t width = FixedWidth(column_);
      uint8_t* raw = nullptr;
      std::shared_ptr<std::string> storage;
      switch (type) {
        case Type::kInt32:
          raw = reinterpret_cast<uint8_t*>(out->int32s.data() + first);
          break;
        case Type::kInt64:
          raw = reinterpret_cast<uint8_t*>(out->int64s.data() + first);
          break;
        case Type::kFloat:
          raw = reinterpret_cast<uint8_t*>(out->floats.data() + first);
          break;
        case Type::kDouble:
          raw = reinterpret_cast<uint8_t*>(out->doubles.data() + first);
          break;
        case Type::kFixedLenByteArray:
          storage = std::make_shared<std::string>(n * width, '\0');
          raw = reinterpret_cast<uint8_t*>(storage->data());
          break;
        default:
          return unsupported();
      }
      s = DecodeByteStreamSplit(data, n, width, raw);
      if (s.ok() && storage != nullptr) {
        for (size_t i = 0; i < n; ++i) {
          out->binaries[first + i] = std::string_view(storage->data() + i * width, width);
        }
        KeepBuffer(out, storage);
      }
      break;
    }
    default:
      return Status::NotSupported(fmt::format("{}, page {}: encoding {} is not supported", context_,
                                              page.index, EncodingName(encoding)));
  }
  if (!s.ok()) {
    if (s.code() == StatusCode::kNotSupported || s.code() == StatusCode::kResourceExhausted) {
      return Status(s.code(), fmt::format("{}, page {}: {}", context_, page.index, s.message()));
    }
    return Error(page, s.message());
  }
  return Status::OK();
}

}  // namespace saleslake::parquet

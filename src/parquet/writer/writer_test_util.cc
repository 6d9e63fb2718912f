#include "parquet/writer/writer_test_util.h"

#include <fmt/format.h>

#include <cstring>

#include "compress/codec.h"
#include "compress/crc32.h"
#include "parquet/encoding/delta_binary_packed_decoder.h"
#include "parquet/encoding/plain_decoder.h"
#include "parquet/encoding/rle_decoder.h"

namespace saleslake::parquet::testing {
namespace {

// Decodes `count` PLAIN values of the column's type.
Status DecodePlain(Type type, int32_t width, std::string_view data, size_t count,
                   std::vector<TestValue>* out) {
  for (size_t i = 0; i < count; ++i) {
    TestValue v;
    switch (type) {
      case Type::kBoolean: {
        out->clear();
        std::vector<uint8_t> bools(count);
        SL_RETURN_IF_ERROR(DecodePlainBooleans(&data, count, bools.data()));
        for (uint8_t b : bools) out->push_back(TestValue{TestValue::kInt, b, 0, {}});
        return Status::OK();
      }
      case Type::kInt32: {
        int32_t x;
        SL_RETURN_IF_ERROR(DecodePlainFixed<int32_t>(&data, 1, &x));
        v = {TestValue::kInt, x, 0, {}};
        break;
      }
      case Type::kInt64: {
        int64_t x;
        SL_RETURN_IF_ERROR(DecodePlainFixed<int64_t>(&data, 1, &x));
        v = {TestValue::kInt, x, 0, {}};
        break;
      }
      case Type::kFloat: {
        float x;
        SL_RETURN_IF_ERROR(DecodePlainFixed<float>(&data, 1, &x));
        v = {TestValue::kDouble, 0, x, {}};
        break;
      }
      case Type::kDouble: {
        double x;
        SL_RETURN_IF_ERROR(DecodePlainFixed<double>(&data, 1, &x));
        v = {TestValue::kDouble, 0, x, {}};
        break;
      }
      case Type::kByteArray: {
        std::string_view x;
        SL_RETURN_IF_ERROR(DecodePlainByteArrays(&data, 1, &x));
        v = {TestValue::kBytes, 0, 0, std::string(x)};
        break;
      }
      case Type::kFixedLenByteArray: {
        std::string_view x;
        SL_RETURN_IF_ERROR(DecodePlainFixedLenByteArrays(&data, 1, width, &x));
        v = {TestValue::kBytes, 0, 0, std::string(x)};
        break;
      }
      default:
        return Status::NotSupported("type");
    }
    out->push_back(std::move(v));
  }
  return Status::OK();
}

}  // namespace

Status ReadFooter(const std::string& file, FileMetaData* out) {
  if (file.size() < 12 || file.compare(0, 4, "PAR1") != 0 ||
      file.compare(file.size() - 4, 4, "PAR1") != 0) {
    return Status::Corruption("no PAR1 magic at both ends");
  }
  uint32_t length;
  std::memcpy(&length, file.data() + file.size() - 8, 4);
  if (length > file.size() - 12) return Status::Corruption("footer length");
  return Deserialize(std::string_view(file).substr(file.size() - 8 - length, length), out);
}

Status DecodeChunk(const std::string& file, const FileMetaData& meta, int row_group, int column,
                   DecodedChunk* out) {
  *out = DecodedChunk{};
  const ColumnMetaData& m = *meta.row_groups[row_group].columns[column].meta_data;
  const SchemaElement& leaf = meta.schema[static_cast<size_t>(column) + 1];
  const bool optional = leaf.repetition_type == FieldRepetitionType::kOptional;
  const int32_t width = leaf.type_length.value_or(0);
  SL_ASSIGN_OR_RETURN(auto codec_type, compress::CodecTypeFromParquet(static_cast<int>(m.codec)));
  SL_ASSIGN_OR_RETURN(auto codec, compress::MakeCodec(codec_type));
  int64_t pos = m.dictionary_page_offset.value_or(m.data_page_offset);
  const int64_t end = pos + m.total_compressed_size;
  std::vector<TestValue> dictionary;
  while (pos < end) {
    DecodedPage page;
    page.offset = pos;
    size_t header_size = 0;
    SL_RETURN_IF_ERROR(Deserialize(std::string_view(file).substr(pos), &page.header, &header_size));
    const PageHeader& h = page.header;
    std::string_view stored(file.data() + pos + header_size, h.compressed_page_size);
    page.size = static_cast<int64_t>(header_size) + h.compressed_page_size;
    pos += page.size;
    if (h.crc && static_cast<uint32_t>(*h.crc) != compress::Crc32(stored)) {
      return Status::Corruption(fmt::format("CRC mismatch in page at {}", page.offset));
    }
    std::string levels_bytes;
    std::string body;
    size_t num_values = 0;
    Encoding encoding = Encoding::kPlain;
    if (h.type == PageType::kDictionaryPage) {
      SL_RETURN_IF_ERROR(codec->Decompress(stored, h.uncompressed_page_size, &body));
      SL_RETURN_IF_ERROR(
          DecodePlain(m.type, width, body, h.dictionary_page_header->num_values, &dictionary));
      out->pages.push_back(std::move(page));
      continue;
    }
    if (h.type == PageType::kDataPage) {
      SL_RETURN_IF_ERROR(codec->Decompress(stored, h.uncompressed_page_size, &body));
      num_values = h.data_page_header->num_values;
      encoding = h.data_page_header->encoding;
      std::string_view rest = body;
      if (optional) {
        SL_ASSIGN_OR_RETURN(std::string_view lv, TakeLengthPrefixed(&rest, "levels"));
        levels_bytes.assign(lv);
      }
      body = std::string(rest);
    } else {
      const DataPageHeaderV2& d = *h.data_page_header_v2;
      num_values = d.num_values;
      encoding = d.encoding;
      levels_bytes.assign(stored.substr(0, d.definition_levels_byte_length));
      std::string_view values = stored.substr(d.definition_levels_byte_length);
      if (d.is_compressed.value_or(true)) {
        SL_RETURN_IF_ERROR(codec->Decompress(
            values, h.uncompressed_page_size - d.definition_levels_byte_length, &body));
      } else {
        body.assign(values);
      }
    }
    std::vector<uint8_t> levels(num_values, 1);
    if (optional) {
      RleBitPackedDecoder decoder(levels_bytes, 1);
      SL_RETURN_IF_ERROR(decoder.Decode(levels.data(), num_values));
    }
    size_t present = 0;
    for (uint8_t l : levels) present += l;
    std::vector<TestValue> values;
    if (encoding == Encoding::kRleDictionary) {
      std::vector<uint32_t> ids(present);
      if (body.empty()) return Status::Corruption("dictionary page without bit width");
      RleBitPackedDecoder decoder(std::string_view(body).substr(1), body[0]);
      SL_RETURN_IF_ERROR(
          decoder.DecodeBounded(ids.data(), present, static_cast<uint32_t>(dictionary.size())));
      for (uint32_t id : ids) values.push_back(dictionary[id]);
    } else if (encoding == Encoding::kDeltaBinaryPacked) {
      DeltaBinaryPackedDecoder decoder;
      SL_RETURN_IF_ERROR(decoder.Init(body));
      std::vector<int64_t> ints(present);
      if (m.type == Type::kInt32) {
        std::vector<int32_t> narrow(present);
        SL_RETURN_IF_ERROR(decoder.Decode(narrow.data(), present));
        for (size_t i = 0; i < present; ++i) ints[i] = narrow[i];
      } else {
        SL_RETURN_IF_ERROR(decoder.Decode(ints.data(), present));
      }
      for (int64_t x : ints) values.push_back(TestValue{TestValue::kInt, x, 0, {}});
    } else if (encoding == Encoding::kPlain) {
      SL_RETURN_IF_ERROR(DecodePlain(m.type, width, body, present, &values));
    } else {
      return Status::NotSupported(fmt::format("encoding {}", EncodingName(encoding)));
    }
    size_t next = 0;
    for (uint8_t l : levels) out->values.push_back(l ? values[next++] : TestValue{});
    out->pages.push_back(std::move(page));
  }
  return Status::OK();
}

}  // namespace saleslake::parquet::testing

#include "parquet/thrift/compact_protocol.h"

#include <fmt/format.h>

#include <cstring>

namespace saleslake::parquet::thrift {

std::string CTypeName(CType type) {
  switch (type) {
    case CType::kStop:
      return "stop";
    case CType::kBoolTrue:
    case CType::kBoolFalse:
      return "bool";
    case CType::kByte:
      return "i8";
    case CType::kI16:
      return "i16";
    case CType::kI32:
      return "i32";
    case CType::kI64:
      return "i64";
    case CType::kDouble:
      return "double";
    case CType::kBinary:
      return "binary";
    case CType::kList:
      return "list";
    case CType::kSet:
      return "set";
    case CType::kMap:
      return "map";
    case CType::kStruct:
      return "struct";
    case CType::kUuid:
      return "uuid";
  }
  return fmt::format("type {}", static_cast<int>(type));
}

// ---- writer ----

void CompactWriter::WriteVarint(uint64_t v) {
  while (v >= 0x80) {
    out_->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out_->push_back(static_cast<char>(v));
}

void CompactWriter::BeginStruct() {
  last_field_id_.push_back(last_id_);
  last_id_ = 0;
}

void CompactWriter::EndStruct() {
  out_->push_back(0);  // STOP
  last_id_ = last_field_id_.back();
  last_field_id_.pop_back();
}

void CompactWriter::FieldHeader(int16_t id, CType type) {
  int delta = static_cast<int>(id) - static_cast<int>(last_id_);
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_->push_back(static_cast<char>(type));
    WriteVarint(ZigZag32(id));
  }
  last_id_ = id;
}

void CompactWriter::FieldBool(int16_t id, bool v) {
  FieldHeader(id, v ? CType::kBoolTrue : CType::kBoolFalse);
}
void CompactWriter::FieldI8(int16_t id, int8_t v) {
  FieldHeader(id, CType::kByte);
  out_->push_back(static_cast<char>(v));
}
void CompactWriter::FieldI16(int16_t id, int16_t v) {
  FieldHeader(id, CType::kI16);
  WriteVarint(ZigZag32(v));
}
void CompactWriter::FieldI32(int16_t id, int32_t v) {
  FieldHeader(id, CType::kI32);
  WriteVarint(ZigZag32(v));
}
void CompactWriter::FieldI64(int16_t id, int64_t v) {
  FieldHeader(id, CType::kI64);
  WriteVarint(ZigZag64(v));
}
void CompactWriter::FieldDouble(int16_t id, double v) {
  FieldHeader(id, CType::kDouble);
  char bytes[8];
  std::memcpy(bytes, &v, 8);  // little-endian host, as the compact protocol specifies
  out_->append(bytes, 8);
}
void CompactWriter::FieldBinary(int16_t id, std::string_view v) {
  FieldHeader(id, CType::kBinary);
  ElementBinary(v);
}
void CompactWriter::FieldStructBegin(int16_t id) {
  FieldHeader(id, CType::kStruct);
  BeginStruct();
}
void CompactWriter::FieldListBegin(int16_t id, CType element_type, uint32_t size) {
  FieldHeader(id, CType::kList);
  ListBegin(element_type, size);
}
void CompactWriter::FieldRawStruct(int16_t id, std::string_view raw) {
  FieldHeader(id, CType::kStruct);
  out_->append(raw);
}

void CompactWriter::ListBegin(CType element_type, uint32_t size) {
  if (size < 15) {
    out_->push_back(static_cast<char>((size << 4) | static_cast<uint32_t>(element_type)));
  } else {
    out_->push_back(static_cast<char>(0xF0 | static_cast<uint32_t>(element_type)));
    WriteVarint(size);
  }
}

void CompactWriter::ElementBinary(std::string_view v) {
  WriteVarint(v.size());
  out_->append(v);
}

// ---- reader ----

Status CompactReader::Truncated(const char* what) const {
  return Status::Corruption(
      fmt::format("thrift: input ends inside {} at byte {} of {}", what, pos_, data_.size()));
}

Status CompactReader::ReadByte(uint8_t* b) {
  if (pos_ >= data_.size()) return Truncated("a byte");
  *b = static_cast<uint8_t>(data_[pos_++]);
  return Status::OK();
}

Status CompactReader::ReadVarint(uint64_t* v, int max_bytes) {
  uint64_t result = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (pos_ >= data_.size()) return Truncated("a varint");
    uint8_t b = static_cast<uint8_t>(data_[pos_++]);
    result |= static_cast<uint64_t>(b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) {
      *v = result;
      return Status::OK();
    }
  }
  return Status::Corruption(
      fmt::format("thrift: varint longer than {} bytes at byte {}", max_bytes, pos_));
}

Status CompactReader::BeginStruct() {
  if (depth_ >= limits_.max_depth) {
    return Status::Corruption(
        fmt::format("thrift: structs nested deeper than {} at byte {}", limits_.max_depth, pos_));
  }
  ++depth_;
  last_field_id_.push_back(last_id_);
  last_id_ = 0;
  return Status::OK();
}

void CompactReader::EndStruct() {
  if (last_field_id_.empty()) return;
  --depth_;
  last_id_ = last_field_id_.back();
  last_field_id_.pop_back();
}

Status CompactReader::ReadFieldHeader(int16_t* id, CType* type) {
  uint8_t b = 0;
  SL_RETURN_IF_ERROR(ReadByte(&b));
  *type = static_cast<CType>(b & 0x0F);
  if (*type == CType::kStop) {
    *id = 0;
    return Status::OK();
  }
  int delta = b >> 4;
  if (delta != 0) {
    int next = last_id_ + delta;
    if (next > INT16_MAX) return Status::Corruption("thrift: field id overflows i16");
    *id = static_cast<int16_t>(next);
  } else {
    int16_t explicit_id;
    SL_RETURN_IF_ERROR(ReadI16(&explicit_id));
    *id = explicit_id;
  }
  last_id_ = *id;
  if (*type == CType::kBoolTrue || *type == CType::kBoolFalse) {
    has_pending_bool_ = true;
    pending_bool_ = *type == CType::kBoolTrue;
  }
  return Status::OK();
}

Status CompactReader::ReadBool(bool* v) {
  if (has_pending_bool_) {
    has_pending_bool_ = false;
    *v = pending_bool_;
    return Status::OK();
  }
  uint8_t b = 0;
  SL_RETURN_IF_ERROR(ReadByte(&b));
  *v = b == 1;  // compact protocol: 1 is true; writers use 2 (or 0) for false
  return Status::OK();
}

Status CompactReader::ReadI8(int8_t* v) {
  uint8_t b = 0;
  SL_RETURN_IF_ERROR(ReadByte(&b));
  *v = static_cast<int8_t>(b);
  return Status::OK();
}

Status CompactReader::ReadI16(int16_t* v) {
  int32_t wide;
  SL_RETURN_IF_ERROR(ReadI32(&wide));
  if (wide < INT16_MIN || wide > INT16_MAX) {
    return Status::Corruption(
        fmt::format("thrift: i16 value {} out of range at byte {}", wide, pos_));
  }
  *v = static_cast<int16_t>(wide);
  return Status::OK();
}

Status CompactReader::ReadI32(int32_t* v) {
  uint64_t u;
  SL_RETURN_IF_ERROR(ReadVarint(&u, 5));
  if (u > UINT32_MAX) {
    return Status::Corruption(fmt::format("thrift: i32 varint overflows at byte {}", pos_));
  }
  uint32_t z = static_cast<uint32_t>(u);
  *v = static_cast<int32_t>((z >> 1) ^ (~(z & 1) + 1));
  return Status::OK();
}

Status CompactReader::ReadI64(int64_t* v) {
  uint64_t z;
  SL_RETURN_IF_ERROR(ReadVarint(&z, 10));
  *v = static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
  return Status::OK();
}

Status CompactReader::ReadDouble(double* v) {
  if (remaining() < 8) return Truncated("a double");
  std::memcpy(v, data_.data() + pos_, 8);
  pos_ += 8;
  return Status::OK();
}

Status CompactReader::ReadBinaryView(std::string_view* v) {
  uint64_t len;
  SL_RETURN_IF_ERROR(ReadVarint(&len, 10));
  if (len > limits_.max_string_bytes) {
    return Status::ResourceExhausted(
        fmt::format("thrift: binary of {} bytes at byte {} exceeds the cap of {} bytes", len, pos_,
                    limits_.max_string_bytes));
  }
  if (len > remaining()) {
    return Status::Corruption(
        fmt::format("thrift: binary of {} bytes at byte {} runs past the end ({} bytes left)", len,
                    pos_, remaining()));
  }
  *v = data_.substr(pos_, len);
  pos_ += len;
  return Status::OK();
}

Status CompactReader::ReadBinary(std::string* v) {
  std::string_view view;
  SL_RETURN_IF_ERROR(ReadBinaryView(&view));
  SL_RETURN_IF_ERROR(Charge(view.size()));
  v->assign(view);
  return Status::OK();
}

Status CompactReader::Charge(uint64_t bytes) {
  charged_ += bytes;
  if (charged_ > limits_.max_decoded_bytes) {
    return Status::ResourceExhausted(
        fmt::format("thrift: the decoded values would take more than {} bytes (at byte {})",
                    limits_.max_decoded_bytes, pos_));
  }
  return Status::OK();
}

Status CompactReader::ReadListHeader(CType* element_type, uint32_t* size) {
  has_pending_bool_ = false;
  uint8_t b = 0;
  SL_RETURN_IF_ERROR(ReadByte(&b));
  *element_type = static_cast<CType>(b & 0x0F);
  uint64_t n = b >> 4;
  if (n == 15) SL_RETURN_IF_ERROR(ReadVarint(&n, 5));
  if (n > limits_.max_list_size) {
    return Status::ResourceExhausted(
        fmt::format("thrift: list of {} elements at byte {} exceeds the cap of {}", n, pos_,
                    limits_.max_list_size));
  }
  if (n > remaining()) {
    return Status::Corruption(
        fmt::format("thrift: list of {} elements at byte {} cannot fit in the {} bytes left", n,
                    pos_, remaining()));
  }
  *size = static_cast<uint32_t>(n);
  return Status::OK();
}

Status CompactReader::Skip(CType type) { return SkipDepth(type, depth_); }

Status CompactReader::SkipDepth(CType type, int depth) {
  if (depth >= limits_.max_depth) {
    return Status::Corruption(
        fmt::format("thrift: values nested deeper than {} at byte {}", limits_.max_depth, pos_));
  }
  switch (type) {
    case CType::kBoolTrue:
    case CType::kBoolFalse: {
      bool ignored = false;
      return ReadBool(&ignored);
    }
    case CType::kByte: {
      uint8_t ignored = 0;
      return ReadByte(&ignored);
    }
    case CType::kI16:
    case CType::kI32:
    case CType::kI64: {
      uint64_t ignored = 0;
      return ReadVarint(&ignored, 10);
    }
    case CType::kDouble:
      if (remaining() < 8) return Truncated("a double");
      pos_ += 8;
      return Status::OK();
    case CType::kUuid:
      if (remaining() < 16) return Truncated("a uuid");
      pos_ += 16;
      return Status::OK();
    case CType::kBinary: {
      std::string_view ignored;
      return ReadBinaryView(&ignored);
    }
    case CType::kList:
    case CType::kSet: {
      CType element;
      uint32_t n;
      SL_RETURN_IF_ERROR(ReadListHeader(&element, &n));
      for (uint32_t i = 0; i < n; ++i) {
        has_pending_bool_ = false;  // bool elements are bytes, not header-encoded
        SL_RETURN_IF_ERROR(SkipDepth(element, depth + 1));
      }
      return Status::OK();
    }
    case CType::kMap: {
      uint64_t n;
      SL_RETURN_IF_ERROR(ReadVarint(&n, 5));
      if (n == 0) return Status::OK();
      if (n > limits_.max_list_size || n > remaining()) {
        return Status::Corruption(
            fmt::format("thrift: map of {} entries at byte {} is too big", n, pos_));
      }
      uint8_t kv = 0;
      SL_RETURN_IF_ERROR(ReadByte(&kv));
      for (uint64_t i = 0; i < n; ++i) {
        has_pending_bool_ = false;
        SL_RETURN_IF_ERROR(SkipDepth(static_cast<CType>(kv >> 4), depth + 1));
        has_pending_bool_ = false;
        SL_RETURN_IF_ERROR(SkipDepth(static_cast<CType>(kv & 0x0F), depth + 1));
      }
      return Status::OK();
    }
    case CType::kStruct: {
      // Field ids inside are relative to this nested struct; only the types matter here.
      int16_t saved_last = last_id_;
      last_id_ = 0;
      while (true) {
        int16_t id;
        CType field_type;
        SL_RETURN_IF_ERROR(ReadFieldHeader(&id, &field_type));
        if (field_type == CType::kStop) break;
        SL_RETURN_IF_ERROR(SkipDepth(field_type, depth + 1));
      }
      last_id_ = saved_last;
      return Status::OK();
    }
    case CType::kStop:
      break;
  }
  return Status::Corruption(
      fmt::format("thrift: unknown value type {} at byte {}", static_cast<int>(type), pos_));
}

Status CompactReader::SkipCapture(std::string_view* raw) {
  size_t start = pos_;
  SL_RETURN_IF_ERROR(Skip(CType::kStruct));
  *raw = data_.substr(start, pos_ - start);
  return Status::OK();
}

}  // namespace saleslake::parquet::thrift

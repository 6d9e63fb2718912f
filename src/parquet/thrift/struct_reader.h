// Table-driven decoding of one thrift struct: each struct lists its fields (id, wire type, name,
// required), and ReadStruct dispatches known fields, skips unknown ones and known ones with an
// unexpected wire type, and checks that required fields were present. Errors carry
// "Struct.field" context so a bad footer says where it went wrong.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "parquet/thrift/compact_protocol.h"

namespace saleslake::parquet::thrift {

struct FieldSpec {
  int16_t id;
  CType type;  // kBoolTrue stands for "bool"
  const char* name;
  bool required;
};

inline bool WireTypeMatches(CType expected, CType actual) {
  if (expected == CType::kBoolTrue)
    return actual == CType::kBoolTrue || actual == CType::kBoolFalse;
  if (expected == CType::kList) return actual == CType::kList || actual == CType::kSet;
  return expected == actual;
}

// Reads a struct value. `read_field(id)` reads the value of a known field (REQUIRES: at most 64
// fields in the table).
template <size_t N, typename ReadField>
Status ReadStruct(CompactReader* r, std::string_view struct_name, const FieldSpec (&fields)[N],
                  ReadField&& read_field) {
  static_assert(N <= 64, "ReadStruct tracks presence in a 64-bit mask");
  SL_RETURN_IF_ERROR(r->BeginStruct().WithContext(struct_name));
  uint64_t seen = 0;
  while (true) {
    int16_t id;
    CType type;
    SL_RETURN_IF_ERROR(r->ReadFieldHeader(&id, &type).WithContext(struct_name));
    if (type == CType::kStop) break;
    size_t index = N;
    for (size_t i = 0; i < N; ++i) {
      if (fields[i].id == id) {
        index = i;
        break;
      }
    }
    if (index == N) {  // a field from a newer format version: not ours to interpret
      if (Status s = r->Skip(type); !s.ok()) {
        return s.WithContext(fmt::format("{} field {}", struct_name, id));
      }
      continue;
    }
    const FieldSpec& spec = fields[index];
    if (!WireTypeMatches(spec.type, type)) {
      // Like Apache Thrift's generated readers, a field whose wire type differs from ours is
      // skipped (older writers reused some ids); a required one is then reported missing.
      if (Status s = r->Skip(type); !s.ok()) {
        return s.WithContext(fmt::format("{}.{}", struct_name, spec.name));
      }
      continue;
    }
    seen |= uint64_t{1} << index;
    // The context is formatted only on failure: footers hold thousands of fields.
    if (Status s = read_field(id); !s.ok()) {
      return s.WithContext(fmt::format("{}.{}", struct_name, spec.name));
    }
  }
  r->EndStruct();
  for (size_t i = 0; i < N; ++i) {
    if (fields[i].required && !(seen & (uint64_t{1} << i))) {
      return Status::Corruption(
          fmt::format("{}: required field {} is missing", struct_name, fields[i].name));
    }
  }
  return Status::OK();
}

// Reads a list whose elements are read by `read_element(T*)`. The element count was checked by
// ReadListHeader against the bytes left, so the reserve below is bounded by the input size.
template <typename T, typename ReadElement>
Status ReadList(CompactReader* r, CType element_type, std::vector<T>* out,
                ReadElement&& read_element) {
  CType actual;
  uint32_t n;
  SL_RETURN_IF_ERROR(r->ReadListHeader(&actual, &n));
  if (n > 0 && !WireTypeMatches(element_type, actual)) {
    return Status::Corruption(fmt::format("list elements have thrift type {}, expected {}",
                                          CTypeName(actual), CTypeName(element_type)));
  }
  SL_RETURN_IF_ERROR(r->Charge(uint64_t{n} * sizeof(T)));
  out->clear();
  out->reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    T element{};
    if (Status s = read_element(&element); !s.ok()) {
      return s.WithContext(fmt::format("element {}", i));
    }
    out->push_back(std::move(element));
  }
  return Status::OK();
}

// Reads an i32 that holds a thrift enum, keeping unknown values (the reader decides about them).
template <typename Enum>
Status ReadEnum(CompactReader* r, Enum* out) {
  int32_t v;
  SL_RETURN_IF_ERROR(r->ReadI32(&v));
  *out = static_cast<Enum>(v);
  return Status::OK();
}

}  // namespace saleslake::parquet::thrift

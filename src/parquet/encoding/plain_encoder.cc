#include "parquet/encoding/plain_encoder.h"

namespace saleslake::parquet {

void AppendPlainBooleans(const uint8_t* values, size_t count, std::string* out) {
  const size_t start = out->size();
  out->resize(start + (count + 7) / 8, '\0');
  char* bytes = out->data() + start;
  for (size_t i = 0; i < count; ++i) {
    if (values[i]) bytes[i / 8] = static_cast<char>(bytes[i / 8] | (1 << (i % 8)));
  }
}

}  // namespace saleslake::parquet

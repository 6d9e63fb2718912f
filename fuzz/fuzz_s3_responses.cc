// Untrusted bytes from an S3 endpoint or a user's AWS files: response bodies go through the XML
// reader and the error-document reader, list values through the encoding-type=url decoder, and
// config text through the INI parser. None may crash, hang or allocate without bound.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/s3/aws_ini.h"
#include "io/s3/s3_client_internal.h"
#include "io/s3/s3_errors.h"
#include "io/s3/xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  saleslake::io::s3::XmlLimits limits;
  limits.max_bytes = 1 << 20;
  auto root = saleslake::io::s3::ParseXml(input, limits);
  if (root.ok()) {
    // Walk what a listing reader would touch.
    for (const auto& child : root->children) (void)child.ChildText("Key");
  }
  (void)saleslake::io::s3::ParseS3ErrorDocument(input);
  (void)saleslake::io::s3::UrlDecodeListValue(input);
  (void)saleslake::io::s3::ParseAwsIni(input, "fuzz");
  return 0;
}

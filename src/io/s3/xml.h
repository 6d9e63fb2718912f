// A small, bounded XML reader for S3's response bodies (ListBucketResult, Error, DeleteResult,
// InitiateMultipartUploadResult, ...) and an escaper for the bodies we send.
//
// It builds a tree of elements with their character data and ignores attributes, comments and
// processing instructions. It is strict where that protects us: a body from the network is
// untrusted, so size, depth and element count are capped, tags must nest, and a DOCTYPE (the only
// way to define entities) is refused; only the five predefined entities and character references
// are expanded.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace saleslake::io::s3 {

struct XmlElement {
  std::string name;  // local name: a namespace prefix ("s3:Key") is dropped
  std::string text;  // character data directly inside this element, entities expanded
  std::vector<XmlElement> children;

  // The first child called `child_name`, or nullptr.
  const XmlElement* Child(std::string_view child_name) const;
  // The text of the first child called `child_name`, or "" when there is none.
  const std::string& ChildText(std::string_view child_name) const;
};

struct XmlLimits {
  size_t max_bytes = 64 << 20;
  int max_depth = 32;
  size_t max_elements = 1 << 20;
};

// Parses one document and returns its root element. Errors are Corruption and say where.
Result<XmlElement> ParseXml(std::string_view document, const XmlLimits& limits = {});

// Escapes &, <, >, " and ' for element text and attribute values.
std::string XmlEscape(std::string_view text);

}  // namespace saleslake::io::s3

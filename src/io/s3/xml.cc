#include "io/s3/xml.h"

#include <cstdint>

namespace saleslake::io::s3 {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsNameChar(char c) {
  return !IsSpace(c) && c != '>' && c != '/' && c != '=' && c != '<' && c != '"' && c != '\'';
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class Parser {
 public:
  Parser(std::string_view doc, const XmlLimits& limits) : doc_(doc), limits_(limits) {}

  Result<XmlElement> Document() {
    if (doc_.size() > limits_.max_bytes) {
      return Status::ResourceExhausted("XML body of " + std::to_string(doc_.size()) +
                                       " bytes is over the " + std::to_string(limits_.max_bytes) +
                                       "-byte limit");
    }
    if (doc_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    SL_RETURN_IF_ERROR(SkipMisc());
    if (pos_ >= doc_.size() || doc_[pos_] != '<') return Error("expected the root element");
    XmlElement root;
    SL_RETURN_IF_ERROR(Element(&root, 1));
    SL_RETURN_IF_ERROR(SkipMisc());
    if (pos_ != doc_.size()) return Error("unexpected content after the root element");
    return root;
  }

 private:
  Status Error(std::string_view what) const {
    return Status::Corruption("malformed XML at byte " + std::to_string(pos_) + ": " +
                              std::string(what));
  }

  bool StartsWith(std::string_view s) const { return doc_.substr(pos_, s.size()) == s; }

  Status SkipPast(std::string_view terminator, std::string_view what) {
    size_t end = doc_.find(terminator, pos_);
    if (end == std::string_view::npos)
      return Error(std::string("unterminated ") + std::string(what));
    pos_ = end + terminator.size();
    return Status::OK();
  }

  // Whitespace, comments and processing instructions (the <?xml ...?> declaration) between
  // elements. A DOCTYPE is refused.
  Status SkipMisc() {
    while (true) {
      while (pos_ < doc_.size() && IsSpace(doc_[pos_])) ++pos_;
      if (StartsWith("<?")) {
        SL_RETURN_IF_ERROR(SkipPast("?>", "processing instruction"));
      } else if (StartsWith("<!--")) {
        SL_RETURN_IF_ERROR(SkipPast("-->", "comment"));
      } else if (StartsWith("<!DOCTYPE") || StartsWith("<!doctype")) {
        return Error("a DOCTYPE is not accepted");
      } else {
        return Status::OK();
      }
    }
  }

  Result<std::string_view> Name() {
    size_t start = pos_;
    while (pos_ < doc_.size() && IsNameChar(doc_[pos_])) ++pos_;
    if (pos_ == start) return Error("expected a name");
    return doc_.substr(start, pos_ - start);
  }

  static std::string_view LocalName(std::string_view name) {
    size_t colon = name.rfind(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
  }

  Status Entity(std::string* out) {
    size_t end = doc_.find(';', pos_);
    if (end == std::string_view::npos || end - pos_ > 12) return Error("bad entity reference");
    std::string_view ref = doc_.substr(pos_ + 1, end - pos_ - 1);
    if (ref == "lt") {
      out->push_back('<');
    } else if (ref == "gt") {
      out->push_back('>');
    } else if (ref == "amp") {
      out->push_back('&');
    } else if (ref == "quot") {
      out->push_back('"');
    } else if (ref == "apos") {
      out->push_back('\'');
    } else if (ref.size() >= 2 && ref[0] == '#') {
      bool hex = ref[1] == 'x' || ref[1] == 'X';
      std::string_view digits = ref.substr(hex ? 2 : 1);
      if (digits.empty()) return Error("empty character reference");
      uint32_t cp = 0;
      for (char c : digits) {
        int d;
        if (c >= '0' && c <= '9') {
          d = c - '0';
        } else if (hex && c >= 'a' && c <= 'f') {
          d = c - 'a' + 10;
        } else if (hex && c >= 'A' && c <= 'F') {
          d = c - 'A' + 10;
        } else {
          return Error("bad character reference");
        }
        cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
        if (cp > 0x10FFFF) return Error("character reference out of range");
      }
      if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return Error("invalid character reference");
      AppendUtf8(cp, out);
    } else {
      return Error("unknown entity &" + std::string(ref) + ";");
    }
    pos_ = end + 1;
    return Status::OK();
  }

  Status Attributes(bool* self_closing) {
    while (true) {
      while (pos_ < doc_.size() && IsSpace(doc_[pos_])) ++pos_;
      if (pos_ >= doc_.size()) return Error("unterminated start tag");
      if (doc_[pos_] == '>') {
        ++pos_;
        *self_closing = false;
        return Status::OK();
      }
      if (StartsWith("/>")) {
        pos_ += 2;
        *self_closing = true;
        return Status::OK();
      }
      SL_ASSIGN_OR_RETURN(std::string_view attr, Name());
      (void)attr;
      while (pos_ < doc_.size() && IsSpace(doc_[pos_])) ++pos_;
      if (pos_ >= doc_.size() || doc_[pos_] != '=') return Error("expected '=' after an attribute");
      ++pos_;
      while (pos_ < doc_.size() && IsSpace(doc_[pos_])) ++pos_;
      if (pos_ >= doc_.size() || (doc_[pos_] != '"' && doc_[pos_] != '\'')) {
        return Error("expected a quoted attribute value");
      }
      char quote = doc_[pos_++];
      size_t end = doc_.find(quote, pos_);
      if (end == std::string_view::npos) return Error("unterminated attribute value");
      pos_ = end + 1;
    }
  }

  // REQUIRES: doc_[pos_] == '<' opening an element.
  Status Element(XmlElement* out, int depth) {
    if (depth > limits_.max_depth) return Error("elements nested too deeply");
    if (++elements_ > limits_.max_elements) return Error("too many elements");
    ++pos_;
    SL_ASSIGN_OR_RETURN(std::string_view name, Name());
    out->name = std::string(LocalName(name));
    bool self_closing = false;
    SL_RETURN_IF_ERROR(Attributes(&self_closing));
    if (self_closing) return Status::OK();
    while (true) {
      if (pos_ >= doc_.size()) return Error("unterminated element <" + std::string(name) + ">");
      char c = doc_[pos_];
      if (c == '&') {
        SL_RETURN_IF_ERROR(Entity(&out->text));
      } else if (c != '<') {
        size_t next = doc_.find_first_of("<&", pos_);
        if (next == std::string_view::npos) next = doc_.size();
        out->text.append(doc_.substr(pos_, next - pos_));
        pos_ = next;
      } else if (StartsWith("</")) {
        pos_ += 2;
        SL_ASSIGN_OR_RETURN(std::string_view closing, Name());
        if (closing != name) {
          return Error("</" + std::string(closing) + "> closes <" + std::string(name) + ">");
        }
        while (pos_ < doc_.size() && IsSpace(doc_[pos_])) ++pos_;
        if (pos_ >= doc_.size() || doc_[pos_] != '>') return Error("unterminated end tag");
        ++pos_;
        return Status::OK();
      } else if (StartsWith("<![CDATA[")) {
        size_t start = pos_ + 9;
        SL_RETURN_IF_ERROR(SkipPast("]]>", "CDATA section"));
        out->text.append(doc_.substr(start, pos_ - 3 - start));
      } else if (StartsWith("<!--")) {
        SL_RETURN_IF_ERROR(SkipPast("-->", "comment"));
      } else if (StartsWith("<?")) {
        SL_RETURN_IF_ERROR(SkipPast("?>", "processing instruction"));
      } else if (StartsWith("<!")) {
        return Error("unexpected markup declaration");
      } else {
        out->children.emplace_back();
        SL_RETURN_IF_ERROR(Element(&out->children.back(), depth + 1));
      }
    }
  }

  std::string_view doc_;
  const XmlLimits& limits_;
  size_t pos_ = 0;
  size_t elements_ = 0;
};

}  // namespace

const XmlElement* XmlElement::Child(std::string_view child_name) const {
  for (const XmlElement& c : children) {
    if (c.name == child_name) return &c;
  }
  return nullptr;
}

const std::string& XmlElement::ChildText(std::string_view child_name) const {
  static const std::string kEmpty;
  const XmlElement* c = Child(child_name);
  return c ? c->text : kEmpty;
}

Result<XmlElement> ParseXml(std::string_view document, const XmlLimits& limits) {
  return Parser(document, limits).Document();
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      // Kept as references so that the receiving parser does not normalise them away.
      case '\t':
        out += "&#9;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace saleslake::io::s3

#include "pipeline/record_splitter.h"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace saleslake::pipeline {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Keys a Lambda proxy response may have at its top level; any other key means the object is a
// record, not an envelope.
bool IsEnvelopeKey(std::string_view key) {
  return key == "statusCode" || key == "body" || key == "headers" || key == "isBase64Encoded" ||
         key == "multiValueHeaders";
}

// Index of the first '"' or '\\' in `s`, or s.size(). Most of a record's bytes are inside its
// strings, so this is the splitter's inner loop in an array: 16 bytes a step.
size_t FindQuoteOrBackslash(std::string_view s) {
  size_t i = 0;
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const int hits =
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (hits != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(hits)));
  }
#endif
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"' || c == '\\') return i;
  }
  return s.size();
}

// The characters that matter outside strings when cutting an array into its elements.
constexpr std::array<bool, 256> kStructural = [] {
  std::array<bool, 256> t{};
  for (char c : {'"', '{', '[', '}', ']', ','}) t[static_cast<uint8_t>(c)] = true;
  return t;
}();

void AppendUtf8(std::string* out, uint32_t cp) {
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

}  // namespace

std::string_view FramingName(Framing framing) {
  switch (framing) {
    case Framing::kUnknown:
      return "unknown";
    case Framing::kArray:
      return "array";
    case Framing::kEnvelope:
      return "envelope";
    case Framing::kEnvelopeStringBody:
      return "envelope-string-body";
    case Framing::kNdjson:
      return "ndjson";
  }
  return "unknown";
}

RecordSplitter::RecordSplitter(Sink sink, Options options)
    : sink_(std::move(sink)), options_(options) {}

RecordSplitter::~RecordSplitter() = default;

Status RecordSplitter::Fail(std::string message) {
  error_ = Status::InvalidArgument(std::move(message));
  return error_;
}

void RecordSplitter::Append(std::string_view bytes) {
  if (truncated_) return;
  size_t room = options_.max_record_bytes - record_.size();
  if (bytes.size() > room) {
    record_.append(bytes.data(), room);
    truncated_ = true;
    return;
  }
  record_.append(bytes);
}

Status RecordSplitter::Emit() {
  Status st = EmitText(record_);
  record_.clear();
  truncated_ = false;
  return st;
}

Status RecordSplitter::EmitText(std::string_view text) {
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  in_record_ = false;
  if (text.empty()) return Status::OK();
  SplitRecord r{text, next_index_++, truncated_};
  Status st = sink_(r);
  if (!st.ok()) error_ = st;
  return st;
}

Status RecordSplitter::Feed(std::string_view bytes) {
  if (!error_.ok()) return error_;
  bytes_in_ += bytes.size();
  while (!bytes.empty()) {
    Status st;
    switch (mode_) {
      case Mode::kDetect:
        st = StepDetect(&bytes);
        break;
      case Mode::kTopObject:
        st = StepTopObject(&bytes);
        break;
      case Mode::kArray:
        st = StepArray(&bytes);
        break;
      case Mode::kStringBody:
        st = StepStringBody(&bytes);
        break;
      case Mode::kNdjson:
        st = StepNdjson(&bytes);
        break;
      case Mode::kTrailer:
        st = StepTrailer(&bytes);
        break;
    }
    if (!st.ok()) {
      if (error_.ok()) error_ = st;
      return st;
    }
  }
  return Status::OK();
}

Status RecordSplitter::StepDetect(std::string_view* in) {
  char c = in->front();
  in->remove_prefix(1);
  if (IsSpace(c)) return Status::OK();
  if (c == '\xEF' || c == '\xBB' || c == '\xBF') return Status::OK();  // a UTF-8 byte order mark
  if (c == '[') {
    framing_ = Framing::kArray;
    mode_ = Mode::kArray;
    depth_ = array_depth_ = 1;
    between_ = Between::kStart;
    return Status::OK();
  }
  if (c == '{') {
    mode_ = Mode::kTopObject;
    depth_ = 1;
    in_record_ = true;
    Append("{");
    return Status::OK();
  }
  return Fail(fmt::format(
      "input is not JSON records: expected '[' (an array), '{{' (an envelope or NDJSON) at byte "
      "{}, found '{}'",
      bytes_in_ - in->size() - 1, fmt::format("{:c}", c == 0 ? '?' : c)));
}

// The first top-level object: an envelope ({"statusCode":..,"body":..}) or the first NDJSON
// record. Depth-1 keys decide: "body" makes it an envelope, any key an envelope never has makes
// it a record.
Status RecordSplitter::StepTopObject(std::string_view* in) {
  const bool envelope = framing_ == Framing::kEnvelope || framing_ == Framing::kEnvelopeStringBody;
  char c = in->front();
  in->remove_prefix(1);
  if (!envelope) Append(std::string_view(&c, 1));
  if (in_string_) {
    if (escaped_) {
      escaped_ = false;
    } else if (c == '\\') {
      escaped_ = true;
    } else if (c == '"') {
      in_string_ = false;
      if (reading_key_) {
        reading_key_ = false;
        last_key_ = key_;
        if (!envelope && !IsEnvelopeKey(last_key_)) {
          framing_ = Framing::kNdjson;  // a record: the rest is split at newlines
          mode_ = Mode::kNdjson;
        }
      }
      return Status::OK();
    }
    if (reading_key_ && key_.size() < 64) key_.push_back(c);
    return Status::OK();
  }
  if (IsSpace(c)) return Status::OK();
  if (depth_ == 1 && expect_value_ && last_key_ == "body" && (c == '[' || c == '"')) {
    if (!status_code_.empty() && status_code_ != "200") {
      return Fail(
          fmt::format("the envelope says statusCode {}: the API reported a failure", status_code_));
    }
    record_.clear();
    in_record_ = false;
    expect_value_ = false;
    if (c == '[') {
      framing_ = Framing::kEnvelope;
      mode_ = Mode::kArray;
      depth_ = array_depth_ = 2;
      between_ = Between::kStart;
    } else {
      framing_ = Framing::kEnvelopeStringBody;
      mode_ = Mode::kStringBody;
      RecordSplitter::Options inner_options = options_;
      inner_ = std::make_unique<RecordSplitter>(sink_, inner_options);
    }
    return Status::OK();
  }
  switch (c) {
    case '"':
      in_string_ = true;
      if (depth_ == 1 && !expect_value_) {
        reading_key_ = true;
        key_.clear();
      }
      break;
    case ':':
      if (depth_ == 1) {
        expect_value_ = true;
        reading_status_ = last_key_ == "statusCode";
        if (reading_status_) status_code_.clear();
      }
      break;
    case ',':
      if (depth_ == 1) expect_value_ = reading_status_ = false;
      break;
    case '{':
    case '[':
      if (++depth_ > options_.max_depth) return Fail("JSON nested too deeply");
      break;
    case '}':
    case ']':
      if (--depth_ == 0) {
        object_done_ = true;
        if (envelope) {
          mode_ = Mode::kTrailer;
        } else if (!status_code_.empty()) {
          return Fail(fmt::format("the envelope says statusCode {} and has no body", status_code_));
        } else {
          // A lone object with no envelope key: one record, then NDJSON.
          framing_ = Framing::kNdjson;
          mode_ = Mode::kNdjson;
          SL_RETURN_IF_ERROR(Emit());
        }
      }
      break;
    default:
      if (depth_ == 1 && reading_status_ && status_code_.size() < 16) status_code_.push_back(c);
  }
  return Status::OK();
}

Status RecordSplitter::StepArray(std::string_view* in) {
  if (!in_record_) {
    char c = in->front();
    const uint64_t at = bytes_in_ - in->size();
    if (IsSpace(c)) {
      in->remove_prefix(1);
      return Status::OK();
    }
    if (c == ',') {
      if (between_ != Between::kAfterElement) {
        return Fail(fmt::format(
            "a comma with no record before it at byte {}: the input is not strict JSON", at));
      }
      between_ = Between::kAfterComma;
      in->remove_prefix(1);
      return Status::OK();
    }
    if (c == ']') {
      if (between_ == Between::kAfterComma) {
        return Fail(fmt::format(
            "a trailing comma before ']' at byte {}: the input is not strict JSON", at));
      }
      in->remove_prefix(1);
      depth_ = array_depth_ - 1;
      if (framing_ == Framing::kArray) {
        mode_ = Mode::kTrailer;
      } else {
        mode_ = Mode::kTopObject;  // back in the envelope, after "body"
        expect_value_ = false;
      }
      return Status::OK();
    }
    in_record_ = true;
    record_.clear();
    truncated_ = false;
  }
  // A record that starts in these bytes and ends in them too is handed over where it stands;
  // one that spans several Feeds is collected.
  const bool started_here = record_.empty() && !truncated_;
  // Inside a record: copy spans up to the next character that matters.
  std::string_view s = *in;
  size_t i = 0;
  while (i < s.size()) {
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
        ++i;
        continue;
      }
      size_t j = i + FindQuoteOrBackslash(s.substr(i));
      if (j == s.size()) {
        i = j;
        break;
      }
      if (s[j] == '\\') {
        escaped_ = true;
      } else {
        in_string_ = false;
      }
      i = j + 1;
      continue;
    }
    // Between strings (colons, numbers, spaces): a table lookup a byte until one that matters.
    while (i < s.size() && !kStructural[static_cast<uint8_t>(s[i])]) ++i;
    if (i == s.size()) break;
    char c = s[i];
    if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      if (++depth_ > options_.max_depth + array_depth_) return Fail("JSON nested too deeply");
    } else if (c == '}' || (c == ']' && depth_ > array_depth_)) {
      if (depth_ > array_depth_) --depth_;
    } else if ((c == ',' || c == ']') && depth_ == array_depth_) {
      between_ = c == ',' ? Between::kAfterComma : Between::kAfterElement;
      if (started_here && i <= options_.max_record_bytes) {
        const std::string_view text = s.substr(0, i);
        in->remove_prefix(c == ',' ? i + 1 : i);  // leave ']' for the array's end
        return EmitText(text);
      }
      Append(s.substr(0, i));
      in->remove_prefix(c == ',' ? i + 1 : i);
      return Emit();
    }
    ++i;
  }
  Append(s.substr(0, i));
  in->remove_prefix(i);
  return Status::OK();
}

Status RecordSplitter::FeedInner(std::string_view bytes) {
  if (bytes.empty()) return Status::OK();
  return inner_->Feed(bytes);
}

// The envelope's body as a JSON string: unescape it and split what it holds.
Status RecordSplitter::StepStringBody(std::string_view* in) {
  unescaped_.clear();
  std::string_view s = *in;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (body_unicode_) {
      unicode_.push_back(c);
      ++i;
      if (unicode_.size() < 4) continue;
      body_unicode_ = false;
      char* end = nullptr;
      uint32_t cp = static_cast<uint32_t>(std::strtoul(unicode_.c_str(), &end, 16));
      if (end != unicode_.c_str() + 4) return Fail("bad \\u escape in the envelope's body");
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        high_surrogate_ = cp;
        continue;
      }
      if (cp >= 0xDC00 && cp <= 0xDFFF && high_surrogate_ != 0) {
        cp = 0x10000 + ((high_surrogate_ - 0xD800) << 10) + (cp - 0xDC00);
      } else if (cp >= 0xD800 && cp <= 0xDFFF) {
        cp = 0xFFFD;  // a lone surrogate cannot be UTF-8
      }
      high_surrogate_ = 0;
      AppendUtf8(&unescaped_, cp);
      continue;
    }
    if (high_surrogate_ != 0 && !(body_escape_ && c == 'u') && !(c == '\\' && !body_escape_)) {
      AppendUtf8(&unescaped_, 0xFFFD);
      high_surrogate_ = 0;
    }
    if (body_escape_) {
      body_escape_ = false;
      ++i;
      switch (c) {
        case '"':
        case '\\':
        case '/':
          unescaped_.push_back(c);
          break;
        case 'b':
          unescaped_.push_back('\b');
          break;
        case 'f':
          unescaped_.push_back('\f');
          break;
        case 'n':
          unescaped_.push_back('\n');
          break;
        case 'r':
          unescaped_.push_back('\r');
          break;
        case 't':
          unescaped_.push_back('\t');
          break;
        case 'u':
          body_unicode_ = true;
          unicode_.clear();
          break;
        default:
          return Fail(fmt::format("bad escape '\\{:c}' in the envelope's body", c));
      }
      continue;
    }
    if (c == '\\') {
      body_escape_ = true;
      ++i;
      continue;
    }
    if (c == '"') {
      in->remove_prefix(i + 1);
      SL_RETURN_IF_ERROR(FeedInner(unescaped_));
      SL_RETURN_IF_ERROR(inner_->Finish().WithContext("the envelope's body"));
      next_index_ = inner_->records();
      mode_ = Mode::kTopObject;
      expect_value_ = false;
      return Status::OK();
    }
    size_t j = i + FindQuoteOrBackslash(s.substr(i));
    unescaped_.append(s.data() + i, j - i);
    i = j;
  }
  in->remove_prefix(i);
  SL_RETURN_IF_ERROR(FeedInner(unescaped_));
  next_index_ = inner_->records();
  return Status::OK();
}

Status RecordSplitter::StepNdjson(std::string_view* in) {
  const char* nl = static_cast<const char*>(std::memchr(in->data(), '\n', in->size()));
  if (nl == nullptr) {
    in_record_ = true;
    Append(*in);
    in->remove_prefix(in->size());
    return Status::OK();
  }
  size_t n = static_cast<size_t>(nl - in->data());
  if (!in_record_ && n <= options_.max_record_bytes) {
    // The whole line is in these bytes: hand it over where it stands, without collecting it.
    const std::string_view line = in->substr(0, n);
    in->remove_prefix(n + 1);
    return EmitText(line);
  }
  Append(in->substr(0, n));
  in->remove_prefix(n + 1);
  return Emit();
}

Status RecordSplitter::StepTrailer(std::string_view* in) {
  char c = in->front();
  in->remove_prefix(1);
  if (IsSpace(c)) return Status::OK();
  return Fail(fmt::format("unexpected '{:c}' after the end of the JSON document at byte {}", c,
                          bytes_in_ - in->size() - 1));
}

Status RecordSplitter::Finish() {
  if (!error_.ok()) return error_;
  switch (mode_) {
    case Mode::kDetect:
      return Status::OK();  // empty input: no records
    case Mode::kNdjson:
      if (in_record_ || !record_.empty()) SL_RETURN_IF_ERROR(Emit());
      return Status::OK();
    case Mode::kTrailer:
      if (!status_code_.empty() && status_code_ != "200") {
        return Fail(fmt::format("the envelope says statusCode {}: the API reported a failure",
                                status_code_));
      }
      return Status::OK();
    case Mode::kTopObject:
      if (framing_ == Framing::kUnknown) {
        return Fail("input ends inside its first JSON object: truncated or not JSON");
      }
      [[fallthrough]];
    case Mode::kArray:
    case Mode::kStringBody:
      return Fail(
          fmt::format("input ends inside the JSON {} after {} records: the response was "
                      "truncated",
                      FramingName(framing_), next_index_));
  }
  return Status::OK();
}

}  // namespace saleslake::pipeline

// RecordSplitter: cuts a stream of bytes from an API or a file into one text per record, in
// bounded memory, whatever the framing:
//
//   [ {...}, {...} ]                                  a bare JSON array
//   {"statusCode":200,"body":[ {...}, ... ]}          the seed's Lambda envelope
//   {"statusCode":200,"body":"[{\"transaction_id\"…"} the envelope with body as a JSON string
//   {...}\n{...}\n                                     NDJSON
//
// The framing is detected from the bytes themselves. Records are handed to the sink exactly as
// they appear in the input (after unescaping, for a string body), so that the raw layer can keep
// what it received. A record longer than max_record_bytes is handed over truncated, flagged, so
// the caller can quarantine it without holding it. Array elements that are not objects (42, null,
// "x") are records too: judging them is the validator's job, not the splitter's.
//
// The splitter checks framing, not content: a record with broken JSON inside is still cut at the
// right place (NDJSON at newlines; arrays at the next top-level comma), and a stream that ends in
// the middle of the framing is an error at Finish().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake::pipeline {

enum class Framing { kUnknown, kArray, kEnvelope, kEnvelopeStringBody, kNdjson };
std::string_view FramingName(Framing framing);

struct SplitRecord {
  std::string_view text;   // valid until the sink returns
  uint64_t index = 0;      // 0-based position in the stream
  bool truncated = false;  // longer than max_record_bytes; text holds the first bytes only
};

class RecordSplitter {
 public:
  using Sink = std::function<Status(const SplitRecord& record)>;

  struct Options {
    size_t max_record_bytes = 1 << 20;
    int max_depth = 64;  // nesting deeper than this is an error (hostile input)
  };

  RecordSplitter(Sink sink, Options options);
  explicit RecordSplitter(Sink sink) : RecordSplitter(std::move(sink), Options()) {}
  ~RecordSplitter();

  // Feeds the next bytes. Errors are sticky.
  Status Feed(std::string_view bytes);
  // Declares the end of the stream: fails when it ends inside the framing (a truncated response),
  // or when an envelope's statusCode is not 200.
  Status Finish();

  Framing framing() const { return framing_; }
  uint64_t records() const { return next_index_; }
  uint64_t bytes_in() const { return bytes_in_; }

 private:
  enum class Mode { kDetect, kTopObject, kArray, kStringBody, kNdjson, kTrailer };

  // Each consumes bytes from the front of `*in` (at least one) and returns an error or OK.
  Status StepDetect(std::string_view* in);
  Status StepTopObject(std::string_view* in);
  Status StepArray(std::string_view* in);
  Status StepStringBody(std::string_view* in);
  Status StepNdjson(std::string_view* in);
  Status StepTrailer(std::string_view* in);
  Status Emit();  // the collected record_
  Status EmitText(std::string_view text);
  void Append(std::string_view bytes);
  Status Fail(std::string message);
  Status FeedInner(std::string_view bytes);

  Sink sink_;
  Options options_;
  Framing framing_ = Framing::kUnknown;
  Mode mode_ = Mode::kDetect;
  Status error_;
  uint64_t next_index_ = 0;
  uint64_t bytes_in_ = 0;

  // The record being collected.
  std::string record_;
  bool truncated_ = false;
  bool in_record_ = false;

  // Lexical state of the JSON being scanned.
  bool in_string_ = false;
  bool escaped_ = false;
  int depth_ = 0;        // nesting depth, relative to the start of the stream
  int array_depth_ = 0;  // the depth of the array whose elements are records
  // Between the array's elements, strict JSON: a comma only after an element, and an element
  // (never ']') after a comma.
  enum class Between { kStart, kAfterElement, kAfterComma };
  Between between_ = Between::kStart;

  // The top-level object, until we know whether it is an envelope or an NDJSON record.
  std::string key_;  // the depth-1 key being read (short keys only)
  bool reading_key_ = false;
  bool expect_value_ = false;  // after a depth-1 key and ':'
  std::string last_key_;
  std::string status_code_;  // the envelope's statusCode value text
  bool reading_status_ = false;
  bool object_done_ = false;

  // String body: unescaped bytes go to an inner splitter.
  std::unique_ptr<RecordSplitter> inner_;
  std::string unicode_;  // \uXXXX digits read so far
  bool body_escape_ = false;
  bool body_unicode_ = false;
  uint32_t high_surrogate_ = 0;
  std::string unescaped_;
};

}  // namespace saleslake::pipeline

// The S3 operations: each builds a Call, sends it through Execute and reads the answer.
#include <openssl/evp.h>

#include <cstdio>
#include <cstring>

#include "base/clock.h"
#include "base/hash.h"
#include "base/logging.h"
#include "io/s3/s3_client.h"
#include "io/s3/s3_client_internal.h"
#include "io/s3/s3_errors.h"
#include "io/s3/xml.h"

namespace saleslake::io::s3 {
namespace {

constexpr size_t kDeleteBatch = 1000;  // S3's limit per DeleteObjects request

// "Wed, 26 Nov 2026 10:20:01 GMT" (RFC 7231 IMF-fixdate), as in Last-Modified. 0 if unparsable.
int64_t ParseHttpDate(std::string_view text) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char month_name[4] = {0};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  std::string s(text);
  if (std::sscanf(s.c_str(), "%*3s, %d %3s %d %d:%d:%d", &day, month_name, &year, &hour, &minute,
                  &second) != 6) {
    return 0;
  }
  int month = 0;
  for (int i = 0; i < 12; ++i) {
    if (std::strcmp(month_name, kMonths[i]) == 0) month = i + 1;
  }
  if (month == 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return 0;
  int64_t days = DaysFromCivil({year, month, day});
  return ((days * 24 + hour) * 60 + minute) * 60'000'000LL + second * 1'000'000LL;
}

Result<uint64_t> ParseSize(std::string_view text, std::string_view what) {
  if (text.empty() || text.size() > 19) return Status::Corruption("bad " + std::string(what));
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return Status::Corruption("bad " + std::string(what) + " '" + std::string(text) + "'");
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

Result<XmlElement> ParseBody(const HttpResponse& response, std::string_view root_name,
                             std::string_view operation) {
  Result<XmlElement> root = ParseXml(response.body);
  if (!root.ok()) {
    return root.status().WithContext("S3 " + std::string(operation) + " answered unreadable XML");
  }
  if (root->name != root_name) {
    return Status::Corruption("S3 " + std::string(operation) + " answered <" + root->name +
                              "> where <" + std::string(root_name) + "> was expected");
  }
  return root;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string CopySourceHeader(std::string_view bucket, std::string_view key) {
  return std::string(bucket) + "/" + UriEncode(key, true);
}

std::string UrlDecodeListValue(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string DeleteObjectsBody(const std::vector<std::string>& keys, size_t begin, size_t end) {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete><Quiet>true</Quiet>";
  for (size_t i = begin; i < end; ++i) {
    body += "<Object><Key>" + XmlEscape(keys[i]) + "</Key></Object>";
  }
  body += "</Delete>";
  return body;
}

std::string CompleteMultipartBody(const std::vector<CompletedPart>& parts) {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUpload>";
  for (const CompletedPart& p : parts) {
    body += "<Part><PartNumber>" + std::to_string(p.part_number) + "</PartNumber><ETag>" +
            XmlEscape(p.etag) + "</ETag></Part>";
  }
  body += "</CompleteMultipartUpload>";
  return body;
}

std::string ContentMd5(std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(body.data(), body.size(), digest, &len, EVP_md5(), nullptr);
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

Result<ObjectInfo> S3Client::HeadObject(std::string_view bucket, std::string_view key) {
  Call call{"HeadObject", "HEAD", bucket, key};
  SL_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  ObjectInfo info;
  info.key = std::string(key);
  const std::string* length = response.Header("content-length");
  if (length == nullptr) {
    return Status::Corruption("S3 HeadObject " + S3Location(bucket, key) +
                              " answered without a Content-Length");
  }
  SL_ASSIGN_OR_RETURN(info.size, ParseSize(*length, "Content-Length"));
  if (const std::string* modified = response.Header("last-modified")) {
    info.mtime_micros = ParseHttpDate(*modified);
  }
  if (const std::string* etag = response.Header("etag")) info.etag = *etag;
  return info;
}

Result<ObjectInfo> S3Client::GetObjectStart(std::string_view bucket, std::string_view key,
                                            size_t prefix_bytes, std::string* prefix) {
  prefix->clear();
  Call call{"GetObject", "GET", bucket, key};
  call.headers.push_back({"range", "bytes=0-" + std::to_string(prefix_bytes - 1)});
  call.max_response_bytes = std::max<size_t>(prefix_bytes, 64 << 10);
  call.expected_response_bytes = prefix_bytes;
  // One try: this request only saves a round trip, so any trouble falls back to the plain HEAD
  // (which retries as usual) rather than being retried itself.
  call.max_attempts = 1;
  Result<HttpResponse> got = Execute(call);
  if (!got.ok()) {
    const Status& st = got.status();
    // Answers that say what they are stand; anything else (416 for an empty object, a server
    // that ignores or mishandles the range, a broken or throttled exchange) asks plainly.
    bool range_refused = st.message().find("InvalidRange") != std::string::npos;
    if (st.IsNotFound() || st.code() == StatusCode::kPermissionDenied ||
        (st.code() == StatusCode::kInvalidArgument && !range_refused)) {
      return st;
    }
    return HeadObject(bucket, key);
  }
  HttpResponse& response = *got;
  ObjectInfo info;
  info.key = std::string(key);
  if (const std::string* etag = response.Header("etag")) info.etag = *etag;
  if (const std::string* modified = response.Header("last-modified")) {
    info.mtime_micros = ParseHttpDate(*modified);
  }
  const std::string* range = response.Header("content-range");
  unsigned long long start = 0, end = 0, total = 0;
  if (response.status == 206 && range != nullptr &&
      std::sscanf(range->c_str(), "bytes %llu-%llu/%llu", &start, &end, &total) == 3 &&
      start == 0 && end < total && end + 1 == response.body.size()) {
    info.size = total;
  } else if (response.status == 200) {
    info.size = response.body.size();  // the whole object
  } else {
    return HeadObject(bucket, key);  // an answer we do not understand: ask plainly
  }
  if (response.body.size() > prefix_bytes) response.body.resize(prefix_bytes);
  *prefix = std::move(response.body);
  return info;
}

Status S3Client::GetObjectRange(std::string_view bucket, std::string_view key, uint64_t offset,
                                uint64_t length, std::string_view if_match, uint64_t object_size,
                                std::string* out) {
  out->clear();
  if (length == 0) return Status::OK();
  Call call{"GetObject", "GET", bucket, key};
  call.headers.push_back(
      {"range", "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1)});
  if (!if_match.empty()) call.headers.push_back({"if-match", std::string(if_match)});
  // Room for the range, for an error document when the range is tiny, and for the whole object
  // of a known, modest size when a server answers with more than was asked.
  uint64_t cap = std::max<uint64_t>(length, 64 << 10);
  if (object_size <= (256ULL << 20)) cap = std::max(cap, object_size);
  call.max_response_bytes = cap;
  call.expected_response_bytes = length;
  SL_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  // Checked here too, for servers that ignore If-Match: bytes of another version are never
  // handed out as the file that was opened.
  const std::string* etag = response.Header("etag");
  if (!if_match.empty() && etag != nullptr && *etag != if_match) {
    return Status::Aborted("S3 GetObject " + S3Location(bucket, key) +
                           " failed: the object was replaced while being read (ETag " + *etag +
                           ", opened as " + std::string(if_match) + "); open it again");
  }
  std::string& body = response.body;
  if (body.size() == length) {
    *out = std::move(body);
    return Status::OK();
  }
  // More than asked: a server ignoring Range (200, the whole object), or answering a wider range
  // (206 with its Content-Range). Cut out the bytes asked for.
  uint64_t first = 0;
  if (response.status == 206) {
    const std::string* range = response.Header("content-range");
    unsigned long long start = 0, end = 0, total = 0;
    if (range == nullptr ||
        std::sscanf(range->c_str(), "bytes %llu-%llu/%llu", &start, &end, &total) != 3 ||
        end - start + 1 != body.size()) {
      first = UINT64_MAX;
    } else {
      first = start;
    }
  }
  if (first <= offset && offset - first + length <= body.size()) {
    *out = body.substr(offset - first, length);
    return Status::OK();
  }
  return Status::IOError("S3 GetObject " + S3Location(bucket, key) + " returned " +
                         std::to_string(body.size()) + " bytes for a range of " +
                         std::to_string(length) + " at offset " + std::to_string(offset));
}

Result<std::string> S3Client::PutObject(std::string_view bucket, std::string_view key,
                                        std::string_view body) {
  Call call{"PutObject", "PUT", bucket, key};
  call.body = body;
  SL_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  const std::string* etag = response.Header("etag");
  return etag ? *etag : std::string();
}

Status S3Client::DeleteObject(std::string_view bucket, std::string_view key) {
  Call call{"DeleteObject", "DELETE", bucket, key};
  return Execute(call).status();
}

Status S3Client::DeleteObjects(std::string_view bucket, const std::vector<std::string>& keys) {
  for (size_t begin = 0; begin < keys.size(); begin += kDeleteBatch) {
    size_t end = std::min(keys.size(), begin + kDeleteBatch);
    std::string body = DeleteObjectsBody(keys, begin, end);
    Call call{"DeleteObjects", "POST", bucket, ""};
    call.query = {{"delete", ""}};
    call.headers.push_back({"content-md5", ContentMd5(body)});
    call.headers.push_back({"content-type", "application/xml"});
    call.body = body;
    SL_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
    if (response.body.empty()) continue;
    SL_ASSIGN_OR_RETURN(XmlElement result, ParseBody(response, "DeleteResult", "DeleteObjects"));
    std::string failures;
    size_t failed = 0;
    for (const XmlElement& e : result.children) {
      if (e.name != "Error" || e.ChildText("Code") == "NoSuchKey") continue;
      if (++failed <= 3) {
        failures += (failures.empty() ? "" : "; ") + S3Location(bucket, e.ChildText("Key")) + ": " +
                    e.ChildText("Code") + " " + e.ChildText("Message");
      }
    }
    if (failed > 0) {
      return Status::IOError("S3 DeleteObjects could not delete " + std::to_string(failed) +
                             " of " + std::to_string(end - begin) + " objects: " + failures);
    }
  }
  return Status::OK();
}

Status S3Client::CopyObject(std::string_view bucket, std::string_view from_key,
                            std::string_view to_key) {
  Call call{"CopyObject", "PUT", bucket, to_key};
  call.headers.push_back({"x-amz-copy-source", CopySourceHeader(bucket, from_key)});
  call.error_in_ok_body = true;
  Status st = Execute(call).status();
  if (!st.ok()) return st.WithContext("copying " + S3Location(bucket, from_key));
  return st;
}

Result<ListPage> S3Client::ListObjectsPage(std::string_view bucket, std::string_view prefix,
                                           std::string_view delimiter,
                                           std::string_view continuation, int max_keys) {
  Call call{"ListObjectsV2", "GET", bucket, ""};
  call.query = {
      {"list-type", "2"}, {"max-keys", std::to_string(max_keys)}, {"encoding-type", "url"}};
  if (!prefix.empty()) call.query.emplace_back("prefix", std::string(prefix));
  if (!delimiter.empty()) call.query.emplace_back("delimiter", std::string(delimiter));
  if (!continuation.empty())
    call.query.emplace_back("continuation-token", std::string(continuation));
  SL_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  SL_ASSIGN_OR_RETURN(XmlElement root, ParseBody(response, "ListBucketResult", "ListObjectsV2"));
  // Servers that ignore encoding-type (s3rver) say nothing; only decode when told.
  bool url_encoded = root.ChildText("EncodingType") == "url";
  auto decode = [&](const std::string& s) { return url_encoded ? UrlDecodeListValue(s) : s; };
  ListPage page;
  for (const XmlElement& e : root.children) {
    if (e.name == "Contents") {
      ObjectInfo info;
      info.key = decode(e.ChildText("Key"));
      SL_ASSIGN_OR_RETURN(info.size, ParseSize(e.ChildText("Size"), "object size in a listing"));
      Result<int64_t> mtime = ParseIso8601Micros(e.ChildText("LastModified"));
      info.mtime_micros = mtime.ok() ? *mtime : 0;
      info.etag = e.ChildText("ETag");
      page.objects.push_back(std::move(info));
    } else if (e.name == "CommonPrefixes") {
      page.common_prefixes.push_back(decode(e.ChildText("Prefix")));
    }
  }
  if (root.ChildText("IsTruncated") == "true") {
    page.next_continuation_token = root.ChildText("NextContinuationToken");
    if (page.next_continuation_token.empty()) {
      return Status::Corruption("S3 ListObjectsV2 " + S3Location(bucket, prefix) +
                                " said the listing is truncated but gave no continuation token");
    }
  }
  return page;
}

Result<ListPage> S3Client::ListObjects(std::string_view bucket, std::string_view prefix,
                                       std::string_view delimiter) {
  ListPage all;
  std::string token;
  do {
    SL_ASSIGN_OR_RETURN(ListPage page, ListObjectsPage(bucket, prefix, delimiter, token));
    for (ObjectInfo& o : page.objects) all.objects.push_back(std::move(o));
    for (std::string& p : page.common_prefixes) all.common_prefixes.push_back(std::move(p));
    if (!page.next_continuation_token.empty() && page.next_continuation_token == token) {
      return Status::Corruption("S3 ListObjectsV2 " + S3Location(bucket, prefix) +
                                " returned the same continuation token twice");
    }
    token = std::move(page.next_continuation_token);
  } while (!token.empty());
  return all;
}

Result<std::string> S3Client::CreateMultipartUpload(std::string_view bucket, std::string_view key) {
  Call call{"CreateMultipartUpload", "POST", bucket, key};
  call.query = {{"uploads", ""}};
  SL_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  SL_ASSIGN_OR_RETURN(XmlElement root, ParseBody(response, "InitiateMultipartUploadResult",
                                                 "CreateMultipartUpload"));
  std::string upload_id = root.ChildText("UploadId");
  if (upload_id.empty()) {
    return Status::Corruption("S3 CreateMultipartUpload " + S3Location(bucket, key) +
                              " answered without an UploadId");
  }
  return upload_id;
}

Result<std::string> S3Client::UploadPart(std::string_view bucket, std::string_view key,
                                         std::string_view upload_id, int part_number,
                                         std::string_view body) {
  Call call{"UploadPart", "PUT", bucket, key};
  call.query = {{"partNumber", std::to_string(part_number)}, {"uploadId", std::string(upload_id)}};
  call.body = body;
  SL_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  const std::string* etag = response.Header("etag");
  if (etag == nullptr || etag->empty()) {
    return Status::Corruption("S3 UploadPart " + S3Location(bucket, key) + " part " +
                              std::to_string(part_number) + " answered without an ETag");
  }
  return *etag;
}

Status S3Client::CompleteMultipartUpload(std::string_view bucket, std::string_view key,
                                         std::string_view upload_id,
                                         const std::vector<CompletedPart>& parts) {
  std::string body = CompleteMultipartBody(parts);
  Call call{"CompleteMultipartUpload", "POST", bucket, key};
  call.query = {{"uploadId", std::string(upload_id)}};
  call.headers.push_back({"content-type", "application/xml"});
  call.body = body;
  call.error_in_ok_body = true;
  int attempts = 0;
  Result<HttpResponse> response = Execute(call, &attempts);
  if (response.ok()) return Status::OK();
  // A retried Complete whose first attempt succeeded (and lost its answer) finds the upload gone:
  // the object with a multipart ETag of this many parts is then ours.
  if (attempts > 1 && response.status().IsNotFound()) {
    Result<ObjectInfo> head = HeadObject(bucket, key);
    std::string suffix = "-" + std::to_string(parts.size()) + "\"";
    if (head.ok() && head->etag.size() > suffix.size() &&
        head->etag.compare(head->etag.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return Status::OK();
    }
  }
  return response.status();
}

Status S3Client::AbortMultipartUpload(std::string_view bucket, std::string_view key,
                                      std::string_view upload_id) {
  Call call{"AbortMultipartUpload", "DELETE", bucket, key};
  call.query = {{"uploadId", std::string(upload_id)}};
  Status st = Execute(call).status();
  if (st.IsNotFound()) return Status::OK();  // already gone: that is what we wanted
  if (!st.ok() && (st.message().find("MethodNotAllowed") != std::string::npos ||
                   st.message().find("NotImplemented") != std::string::npos)) {
    // Some S3-compatible servers cannot abort. Nothing of the upload is visible either way; its
    // parts stay on the server until it cleans them up.
    log::Warn("s3.multipart.abort_unsupported", {{"bucket", bucket}, {"key", key}, {"error", st}});
    return Status::OK();
  }
  return st;
}

Result<std::vector<MultipartUploadInfo>> S3Client::ListMultipartUploads(std::string_view bucket,
                                                                        std::string_view prefix) {
  std::vector<MultipartUploadInfo> out;
  std::string key_marker, upload_marker;
  for (int page = 0; page < 100000; ++page) {
    Call call{"ListMultipartUploads", "GET", bucket, ""};
    call.query = {{"uploads", ""}};
    if (!prefix.empty()) call.query.emplace_back("prefix", std::string(prefix));
    if (!key_marker.empty()) call.query.emplace_back("key-marker", key_marker);
    if (!upload_marker.empty()) call.query.emplace_back("upload-id-marker", upload_marker);
    SL_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
    SL_ASSIGN_OR_RETURN(XmlElement root,
                        ParseBody(response, "ListMultipartUploadsResult", "ListMultipartUploads"));
    for (const XmlElement& e : root.children) {
      if (e.name == "Upload") out.push_back({e.ChildText("Key"), e.ChildText("UploadId")});
    }
    if (root.ChildText("IsTruncated") != "true") return out;
    std::string next_key = root.ChildText("NextKeyMarker");
    std::string next_upload = root.ChildText("NextUploadIdMarker");
    if (next_key == key_marker && next_upload == upload_marker) break;
    key_marker = std::move(next_key);
    upload_marker = std::move(next_upload);
  }
  return Status::Corruption("S3 ListMultipartUploads " + S3Location(bucket, prefix) +
                            " did not advance its markers");
}

Status S3Client::CreateBucket(std::string_view bucket) {
  Call call{"CreateBucket", "PUT", bucket, ""};
  std::string body;
  if (config_.region != "us-east-1") {
    body = "<CreateBucketConfiguration><LocationConstraint>" + XmlEscape(config_.region) +
           "</LocationConstraint></CreateBucketConfiguration>";
    call.headers.push_back({"content-type", "application/xml"});
  }
  call.body = body;
  Status st = Execute(call).status();
  if (!st.ok() && st.message().find("BucketAlreadyOwnedByYou") != std::string::npos) {
    return Status::OK();
  }
  return st;
}

Status S3Client::DeleteBucket(std::string_view bucket) {
  Call call{"DeleteBucket", "DELETE", bucket, ""};
  return Execute(call).status();
}

}  // namespace saleslake::io::s3

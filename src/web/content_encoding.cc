#include "web/content_encoding.h"

#include <zlib.h>

#include <cctype>
#include <charconv>

#include "base/strings.h"

namespace saleslake::web {
namespace {

// The q-value of one coding's parameters (";q=0.5"); 1 when absent, 0 when unparseable.
double QValue(std::string_view params) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view param = Trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (param.size() < 2 || std::tolower(static_cast<unsigned char>(param[0])) != 'q' ||
        param[1] != '=') {
      continue;
    }
    std::string_view value = Trim(param.substr(2));
    double q = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), q);
    if (ec != std::errc() || end != value.data() + value.size()) return 0;
    return q;
  }
  return 1;
}

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  bool accepted = false;
  while (!accept_encoding.empty()) {
    size_t comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding =
        comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view coding = Trim(item.substr(0, semi));
    std::string_view params = semi == std::string_view::npos ? "" : item.substr(semi + 1);
    double q = QValue(params);
    if (EqualsIgnoreCase(coding, "gzip") || EqualsIgnoreCase(coding, "x-gzip")) {
      return q > 0;  // an explicit gzip entry decides, whatever "*" says
    }
    if (coding == "*") accepted = q > 0;
  }
  return accepted;
}

struct GzipEncoder::State {
  z_stream stream{};
};

GzipEncoder::GzipEncoder(std::unique_ptr<State> state) : state_(std::move(state)) {}

GzipEncoder::~GzipEncoder() { deflateEnd(&state_->stream); }

Result<std::unique_ptr<GzipEncoder>> GzipEncoder::Create(int level) {
  auto state = std::make_unique<State>();
  // windowBits 15 + 16 selects the gzip wrapper; memLevel 8 is zlib's default.
  if (deflateInit2(&state->stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("gzip: deflateInit2 failed (level " + std::to_string(level) + ")");
  }
  return std::unique_ptr<GzipEncoder>(new GzipEncoder(std::move(state)));
}

Status GzipEncoder::Update(std::string_view input, std::string* out) {
  // zlib counts input in 32-bit units: feed very large pieces in slices.
  constexpr size_t kMaxSlice = size_t{1} << 30;
  while (input.size() > kMaxSlice) {
    SL_RETURN_IF_ERROR(Run(input.substr(0, kMaxSlice), false, out));
    input.remove_prefix(kMaxSlice);
  }
  return Run(input, false, out);
}

Status GzipEncoder::Finish(std::string* out) { return Run({}, true, out); }

Status GzipEncoder::Run(std::string_view input, bool finish, std::string* out) {
  z_stream& zs = state_->stream;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  zs.avail_in = static_cast<uInt>(input.size());
  const int flush = finish ? Z_FINISH : Z_NO_FLUSH;
  for (;;) {
    // deflateBound-sized steps would over-allocate for small pieces; grow in fixed steps instead.
    constexpr size_t kStep = 16 * 1024;
    size_t before = out->size();
    out->resize(before + kStep);
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + before);
    zs.avail_out = static_cast<uInt>(kStep);
    int rc = deflate(&zs, flush);
    out->resize(before + kStep - zs.avail_out);
    if (rc == Z_STREAM_END) return Status::OK();
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return Status::Internal("gzip: deflate failed with code " + std::to_string(rc));
    }
    // Without Z_FINISH, zlib is done once it consumed all input and left room in the output.
    if (!finish && zs.avail_in == 0 && zs.avail_out != 0) return Status::OK();
  }
}

}  // namespace saleslake::web

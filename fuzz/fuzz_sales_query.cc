// Untrusted query strings and headers of the generator API: the /v1/sales parameter parser,
// Accept-Encoding negotiation and --listen parsing must return an answer, never crash.
// Input: a URL query ("records=5&seed=x&..."), split and decoded the way the server does.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "web/content_encoding.h"
#include "web/listen_address.h"
#include "web/sales_query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  saleslake::web::QueryParams params;
  size_t start = 0;
  while (start <= input.size()) {
    size_t amp = input.find('&', start);
    if (amp == std::string_view::npos) amp = input.size();
    std::string_view pair = input.substr(start, amp - start);
    size_t eq = pair.find('=');
    params.emplace(std::string(pair.substr(0, eq)),
                   eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
    start = amp + 1;
  }
  saleslake::generator::GeneratorOptions options;
  saleslake::web::SalesQueryError error;
  if (saleslake::web::ParseSalesQuery(params, 1'000'000, 1, 1'800'000'000'000'000, &options,
                                      &error)) {
    // Whatever the parser accepts, the generator must accept too.
    if (!saleslake::generator::ValidateOptions(options).ok()) __builtin_trap();
  } else if (error.message.empty()) {
    __builtin_trap();  // every refusal explains itself
  }
  (void)saleslake::web::AcceptsGzip(input);
  (void)saleslake::web::ParseListenAddress(input);
  return 0;
}

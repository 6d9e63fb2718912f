// The floor of extract's parsing: simdjson On-Demand alone over an NDJSON file of sale records
// (iterate_many over the whole file, every field's value visited as its token), nothing typed,
// nothing written. One thread. Prints one JSON line: {"seconds":..., "records":...}.
//   simdjson_floor FILE.ndjson
#include <fcntl.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <utility>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: simdjson_floor FILE.ndjson\n");
    return 2;
  }
  // The file plus simdjson's padding, in memory before the clock starts (as extract reads it).
  const simdjson::padded_string json = simdjson::padded_string::load(argv[1]).value_unsafe();
  const auto start = std::chrono::steady_clock::now();
  simdjson::ondemand::parser parser;
#ifdef SIMDJSON_THREADS_ENABLED
  parser.threaded = false;
#endif
  simdjson::ondemand::document_stream stream;
  if (parser.iterate_many(json, 1 << 20).get(stream)) {
    std::fprintf(stderr, "simdjson_floor: cannot parse %s\n", argv[1]);
    return 1;
  }
  uint64_t records = 0, bytes = 0;
  for (auto doc : stream) {
    simdjson::ondemand::object object;
    if (doc.get_object().get(object)) return 1;
    for (auto field_result : object) {
      simdjson::ondemand::field field;
      if (std::move(field_result).get(field)) return 1;
      bytes += field.value().raw_json_token().size();
    }
    ++records;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"seconds\":%.6f,\"records\":%llu,\"value_bytes\":%llu}\n", seconds,
              static_cast<unsigned long long>(records), static_cast<unsigned long long>(bytes));
  return 0;
}

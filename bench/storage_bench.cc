// Local write throughput of saleslake's atomic publish path (temporary file + fsync + rename +
// directory fsync, through LocalFileSystem) beside plain POSIX writes of the same bytes: without
// fsync (what a program that does not care about crashes does) and with fsync (durable but not
// atomic). Prints TSV rows for bench/run: benchmark, metric, unit, saleslake value, peer, value.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>

#include "base/clock.h"
#include "io/local_file_system.h"

namespace {

using saleslake::Status;
using saleslake::io::LocalFileSystem;

enum class Mode { kAtomicPublish, kPlain, kPlainFsync };

struct Workload {
  std::string name;  // the metric column
  uint64_t files;
  uint64_t file_bytes;
  uint64_t append_bytes;
};

Status PlainWrite(const std::string& path, const std::string& chunk, uint64_t bytes, bool fsync) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot create " + path);
  Status st;
  for (uint64_t done = 0; done < bytes && st.ok();) {
    size_t n = std::min<uint64_t>(chunk.size(), bytes - done);
    ssize_t w = ::write(fd, chunk.data(), n);
    if (w <= 0) st = Status::IOError("cannot write " + path);
    done += w > 0 ? static_cast<uint64_t>(w) : 0;
  }
  if (st.ok() && fsync && ::fsync(fd) != 0) st = Status::IOError("cannot fsync " + path);
  if (::close(fd) != 0 && st.ok()) st = Status::IOError("cannot close " + path);
  return st;
}

Status AtomicWrite(LocalFileSystem& fs, const std::string& key, const std::string& chunk,
                   uint64_t bytes) {
  auto file = fs.OpenForWrite(key);
  if (!file.ok()) return file.status();
  for (uint64_t done = 0; done < bytes;) {
    size_t n = std::min<uint64_t>(chunk.size(), bytes - done);
    SL_RETURN_IF_ERROR((*file)->Append(std::string_view(chunk).substr(0, n)));
    done += n;
  }
  return (*file)->Close();
}

// Seconds for one run of `w` in `mode`, in a fresh directory; the page cache is flushed before
// the clock starts so that one run's dirty pages do not slow the next.
saleslake::Result<double> RunOnce(const std::string& dir, const Workload& w, Mode mode,
                                  const std::string& chunk) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir, ec);
  ::sync();
  auto fs = LocalFileSystem::Make(dir);
  if (!fs.ok()) return fs.status();
  const int64_t start = saleslake::MonotonicMicros();
  for (uint64_t i = 0; i < w.files; ++i) {
    std::string name = "part-" + std::to_string(i) + ".bin";
    Status st = mode == Mode::kAtomicPublish
                    ? AtomicWrite(**fs, name, chunk, w.file_bytes)
                    : PlainWrite(dir + "/" + name, chunk, w.file_bytes, mode == Mode::kPlainFsync);
    if (!st.ok()) return st;
  }
  const double seconds = (saleslake::MonotonicMicros() - start) / 1e6;
  std::filesystem::remove_all(dir, ec);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"saleslake local storage write benchmark"};
  std::string dir;
  uint64_t big_bytes = 1ull << 30, big_append = 1 << 20, small_files = 1000, small_bytes = 64 << 10;
  int repeat = 3;
  app.add_option("--dir", dir, "scratch directory on the disk to measure")->required();
  app.add_option("--big-bytes", big_bytes, "size of the one large file");
  app.add_option("--big-append", big_append, "append size for the large file");
  app.add_option("--small-files", small_files, "number of small files");
  app.add_option("--small-bytes", small_bytes, "size of each small file");
  app.add_option("--repeat", repeat, "runs per figure; the best is reported");
  CLI11_PARSE(app, argc, argv);

  const Workload workloads[] = {
      {std::to_string(big_bytes >> 20) + " MiB file in " + std::to_string(big_append >> 10) +
           " KiB appends",
       1, big_bytes, big_append},
      {std::to_string(small_files) + " files of " + std::to_string(small_bytes >> 10) + " KiB",
       small_files, small_bytes, small_bytes},
  };
  for (const Workload& w : workloads) {
    std::string chunk(w.append_bytes, '\0');
    for (size_t i = 0; i < chunk.size(); ++i) chunk[i] = static_cast<char>((i * 2654435761u) >> 7);
    double best[3] = {1e300, 1e300, 1e300};
    for (int r = 0; r < repeat; ++r) {
      for (Mode mode : {Mode::kAtomicPublish, Mode::kPlain, Mode::kPlainFsync}) {
        auto s = RunOnce(dir + "/run", w, mode, chunk);
        if (!s.ok()) {
          std::fprintf(stderr, "storage_bench: %s\n", s.status().ToString().c_str());
          return 1;
        }
        best[static_cast<int>(mode)] = std::min(best[static_cast<int>(mode)], *s);
      }
    }
    const bool big = w.files == 1;
    auto rate = [&](double seconds) {
      return big ? w.file_bytes / seconds / 1e6 : w.files / seconds;
    };
    const char* unit = big ? "MB/s" : "files/s";
    std::printf(
        "storage_local\t%s, atomic publish vs plain write\t%s\t%.1f\tplain write (no "
        "fsync)\t%.1f\n",
        w.name.c_str(), unit, rate(best[0]), rate(best[1]));
    std::printf(
        "storage_local\t%s, atomic publish vs plain write + fsync\t%s\t%.1f\tplain write + "
        "fsync\t%.1f\n",
        w.name.c_str(), unit, rate(best[0]), rate(best[2]));
  }
  return 0;
}

// `saleslake up`: the one-command demo. The generator API in this process on a free loopback
// port, a first run of N batches (extract -> transform -> crawl), the dashboard, and one more run
// every interval until Ctrl-C.
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

#include "base/cli.h"
#include "base/clock.h"
#include "base/logging.h"
#include "lake/lake_root.h"
#include "web/dashboard/pipeline_port.h"
#include "web/dashboard/serve_command.h"
#include "web/http_server.h"
#include "web/sales_api.h"
#include "web/shutdown_signals.h"

namespace saleslake::web {
namespace {

struct UpFlags {
  std::string lake, listen = "127.0.0.1:8000", every = "1m", dirty = "0";
  int batches = 20, records = 10'000, every_batches = 1;
};

// Stops the ingest loop, the dashboard and the generator, from the signal watcher.
struct Stopper {
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::function<void()> shutdown_dashboard;

  void Stop() {
    std::lock_guard<std::mutex> lock(mu);
    stop = true;
    if (shutdown_dashboard) shutdown_dashboard();
    cv.notify_all();
  }
  // Waits `micros` or until stopped; true when stopped.
  bool Wait(int64_t micros) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, std::chrono::microseconds(micros), [this] { return stop; });
  }
  bool stopped() {
    std::lock_guard<std::mutex> lock(mu);
    return stop;
  }
};

// Fails at once when the dashboard's port is taken, before any pipeline work: binds it (with
// SO_REUSEADDR, as the server will) and lets it go.
Status CheckPortFree(const ListenAddress& listen) {
  if (listen.port == 0) return Status::OK();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(listen.port);
  if (::getaddrinfo(listen.host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    return Status::InvalidArgument("--listen " + listen.ToString() + ": the host does not resolve");
  }
  int err = 0;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) continue;
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    err = ::bind(fd, a->ai_addr, a->ai_addrlen) == 0 ? 0 : errno;
    ::close(fd);
    if (err == 0) break;
  }
  ::freeaddrinfo(found);
  if (err == EADDRINUSE) {
    return Status::Unavailable("port " + port + " on " + listen.host +
                               " is already in use: stop what uses it, or choose another with "
                               "--listen HOST:PORT (e.g. --listen 127.0.0.1:8001)");
  }
  if (err != 0) {
    return Status::Unavailable("cannot listen on " + listen.ToString() + ": " + std::strerror(err) +
                               " (choose another with --listen HOST:PORT)");
  }
  return Status::OK();
}

Status Up(const UpFlags& flags) {
  SL_ASSIGN_OR_RETURN(ListenAddress listen, ParseListenAddress(flags.listen));
  if (!IsLoopbackHost(listen.host)) {
    return Status::InvalidArgument(
        "saleslake up is a demo and serves only on loopback; for anything else run "
        "`saleslake run --every` and `saleslake serve --auth-file`");
  }
  SL_ASSIGN_OR_RETURN(int64_t every_micros, ParseDurationMicros(flags.every));
  SL_RETURN_IF_ERROR(CheckPortFree(listen));
  // A lake that is already there is resumed: served as it is, with the later runs adding to it.
  // The lake is opened once: the runs, the snapshots, the catalog and the console share it.
  SL_ASSIGN_OR_RETURN(std::shared_ptr<saleslake::lake::Lake> lake,
                      saleslake::lake::Lake::Open(flags.lake));
  const bool resume = saleslake::lake::CheckLakeExists(*lake->fs(), flags.lake).ok();
  Stopper stopper;
  // Before any thread starts: every thread inherits the blocked signals.
  ShutdownSignals signals([&](int) { stopper.Stop(); });

  ServerOptions gen_options;
  gen_options.listen = {"127.0.0.1", 0};
  gen_options.worker_threads = 4;
  HttpServer generator(gen_options);
  AddSalesApi(&generator, SalesApiOptions{});
  SL_RETURN_IF_ERROR(generator.Listen());
  Status gen_status;
  std::thread gen_thread([&] { gen_status = generator.Run(); });
  auto stop_generator = [&] {
    generator.Shutdown();
    if (gen_thread.joinable()) gen_thread.join();
  };
  const std::string api = generator.url() + "/v1/sales?records=" + std::to_string(flags.records) +
                          "&dirty=" + flags.dirty;
  std::printf("saleslake up: generator API at %s/v1/sales\n", generator.url().c_str());
  if (resume) {
    std::printf("saleslake up: resuming the lake at %s as it is; the next run in %s\n",
                flags.lake.c_str(), flags.every.c_str());
    std::fflush(stdout);
  } else {
    std::printf("saleslake up: first run, %d batches of %d sales into %s ...\n", flags.batches,
                flags.records, flags.lake.c_str());
    std::fflush(stdout);
    Result<DashboardRunResult> first = RunDashboardPipeline({lake, api, flags.batches});
    if (!first.ok()) {
      stop_generator();
      return first.status().WithContext("the first run");
    }
    std::printf("saleslake up: %llu sales extracted, %llu in main, %llu quarantined (%.1f s)\n",
                static_cast<unsigned long long>(first->rows_extracted),
                static_cast<unsigned long long>(first->rows_main),
                static_cast<unsigned long long>(first->rows_quarantined),
                static_cast<double>(first->duration_micros) / 1e6);
    std::fflush(stdout);
  }
  if (stopper.stopped()) {
    stop_generator();
    return Status::OK();
  }

  std::thread ingest([&] {
    while (!stopper.Wait(every_micros)) {
      Result<DashboardRunResult> r = RunDashboardPipeline({lake, api, flags.every_batches});
      if (!r.ok()) log::Warn("up.run_failed", {{"error", r.status()}});
    }
  });
  DashboardServerOptions options;
  options.lake = lake;
  options.listen = listen;
  options.handle_signals = false;
  options.set_shutdown = [&stopper](std::function<void()> shutdown) {
    std::lock_guard<std::mutex> lock(stopper.mu);
    stopper.shutdown_dashboard = std::move(shutdown);
    if (stopper.stop && stopper.shutdown_dashboard) stopper.shutdown_dashboard();
  };
  options.api.run_now = [lake, api, n = flags.every_batches]() {
    return RunDashboardPipeline({lake, api, n}).status();
  };
  options.on_listening = [&](const std::string& url) {
    std::printf(
        "\nsaleslake up: dashboard at %s/  (SQL console %s/sql)\n"
        "saleslake up: one more run every %s; Ctrl-C to stop\n",
        url.c_str(), url.c_str(), flags.every.c_str());
    std::fflush(stdout);
  };
  Status st = RunDashboardServer(std::move(options));
  stopper.Stop();  // the dashboard has already withdrawn its shutdown function
  ingest.join();
  stop_generator();
  SL_RETURN_IF_ERROR(st);
  return gen_status;
}

}  // namespace

int UpCommand(int argc, char** argv) {
  CLI::App app{
      "The demo in one command: the generator API in this process, a first run of --batches x "
      "--records sales (extract -> transform -> crawl), the dashboard on --listen, and one more "
      "run every --every until Ctrl-C."};
  UpFlags flags;
  AddLakeFlag(&app, &flags.lake);
  app.add_option("--listen", flags.listen, "HOST:PORT of the dashboard (loopback only)")
      ->default_val(flags.listen);
  app.add_option("--batches", flags.batches, "batches of the first run")
      ->default_val(flags.batches)
      ->check(CLI::Range(1, 10'000));
  app.add_option("--records", flags.records, "sales per batch")
      ->default_val(flags.records)
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--every", flags.every, "interval between the later runs")->default_val("1m");
  app.add_option("--every-batches", flags.every_batches, "batches of each later run")
      ->default_val(flags.every_batches)
      ->check(CLI::Range(1, 10'000));
  app.add_option("--dirty", flags.dirty,
                 "share of dirty records the generator makes (0..1; e.g. 0.02 to show "
                 "quarantine)")
      ->default_val(flags.dirty);
  return RunCommand(app, "up", "saleslake up --lake ./lake    # then open http://127.0.0.1:8000/",
                    argc, argv, [&]() { return Up(flags); });
}

}  // namespace saleslake::web

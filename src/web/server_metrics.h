// The HTTP server's Prometheus metrics, kept in a registry that endpoints add their own families
// to (records served, ...). Rendered by the server's own /metrics route in the text format.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>
#include <string_view>

namespace saleslake::web {

class ServerMetrics {
 public:
  ServerMetrics();

  // Counts one finished exchange. `route` is the matched route's path, or "unmatched" (a bounded
  // label set: never the raw request path).
  void RecordRequest(std::string_view method, std::string_view route, int status,
                     uint64_t bytes_sent, double seconds);
  prometheus::Gauge& in_flight() { return *in_flight_; }
  // Connections open now (idle ones included), and connections the server ended without an answer
  // from a handler: "limit" (too many open), "timeout" (a head or body too slow to arrive).
  prometheus::Gauge& open_connections() { return *open_connections_; }
  void RecordDroppedConnection(std::string_view reason);

  prometheus::Registry& registry() { return *registry_; }
  // The Prometheus text exposition format (version 0.0.4).
  std::string Render() const;

  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* duration_;
  prometheus::Family<prometheus::Counter>* bytes_;
  prometheus::Gauge* in_flight_;
  prometheus::Gauge* open_connections_;
  prometheus::Family<prometheus::Counter>* dropped_;
};

}  // namespace saleslake::web

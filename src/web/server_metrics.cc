#include "web/server_metrics.h"

#include <prometheus/text_serializer.h>

namespace saleslake::web {
namespace {

// Latency buckets from half a millisecond (a small JSON answer) to a minute (a million records
// to a slow client).
const prometheus::Histogram::BucketBoundaries& DurationBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  return kBuckets;
}

// Methods outside this list become "other" so that a client cannot grow the label set.
std::string MethodLabel(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    if (method == known) return std::string(known);
  }
  return "other";
}

}  // namespace

ServerMetrics::ServerMetrics() : registry_(std::make_shared<prometheus::Registry>()) {
  requests_ = &prometheus::BuildCounter()
                   .Name("saleslake_http_requests_total")
                   .Help("HTTP requests answered, by method, route and status code")
                   .Register(*registry_);
  duration_ = &prometheus::BuildHistogram()
                   .Name("saleslake_http_request_duration_seconds")
                   .Help("Time from the request's headers to the response's last byte, by route")
                   .Register(*registry_);
  bytes_ = &prometheus::BuildCounter()
                .Name("saleslake_http_response_bytes_total")
                .Help("Response body bytes sent (after compression), by route")
                .Register(*registry_);
  in_flight_ = &prometheus::BuildGauge()
                    .Name("saleslake_http_requests_in_flight")
                    .Help("Requests being answered right now")
                    .Register(*registry_)
                    .Add({});
  open_connections_ = &prometheus::BuildGauge()
                           .Name("saleslake_http_connections_open")
                           .Help("Client connections open right now, idle ones included")
                           .Register(*registry_)
                           .Add({});
  dropped_ = &prometheus::BuildCounter()
                  .Name("saleslake_http_connections_dropped_total")
                  .Help(
                      "Connections ended by the server before a handler answered, by reason "
                      "(limit: too many open; timeout: a request too slow to arrive)")
                  .Register(*registry_);
}

void ServerMetrics::RecordDroppedConnection(std::string_view reason) {
  dropped_->Add({{"reason", std::string(reason)}}).Increment();
}

void ServerMetrics::RecordRequest(std::string_view method, std::string_view route, int status,
                                  uint64_t bytes_sent, double seconds) {
  std::string route_label(route);
  requests_
      ->Add({{"method", MethodLabel(method)},
             {"route", route_label},
             {"status", std::to_string(status)}})
      .Increment();
  duration_->Add({{"route", route_label}}, DurationBuckets()).Observe(seconds);
  bytes_->Add({{"route", route_label}}).Increment(static_cast<double>(bytes_sent));
}

std::string ServerMetrics::Render() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace saleslake::web

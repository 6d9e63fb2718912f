#include "web/dashboard/static_assets.h"

#include <memory>
#include <string>

#include "web/content_encoding.h"
#include "web/dashboard/access.h"

namespace saleslake::web {
namespace {

struct ServedAsset {
  std::string content_type;
  std::string etag;
  std::shared_ptr<const std::string> plain, gzipped;
};

std::shared_ptr<const ServedAsset> Prepare(const EmbeddedAsset& a) {
  auto s = std::make_shared<ServedAsset>();
  s->content_type = a.content_type;
  s->plain = std::make_shared<const std::string>(a.data, a.size);
  s->etag = "\"" + Sha256Hex(*s->plain).substr(0, 20) + "\"";
  const std::string type = a.content_type;
  if (type.starts_with("text/") || type.starts_with("image/svg")) {
    std::string compressed;
    auto encoder = GzipEncoder::Create(9);
    if (encoder.ok() && (*encoder)->Update(*s->plain, &compressed).ok() &&
        (*encoder)->Finish(&compressed).ok()) {
      s->gzipped = std::make_shared<const std::string>(std::move(compressed));
    }
  }
  return s;
}

void Serve(const ServedAsset& a, const Request& req, Response* res) {
  AddSecurityHeaders(res);
  res->AddHeader("ETag", a.etag);
  // Revalidate every time: a new binary serves new assets under the same paths.
  res->AddHeader("Cache-Control", "no-cache");
  if (req.Header("If-None-Match") == a.etag) {
    res->SetBody(304, a.content_type, "");
    return;
  }
  res->SetSharedBody(200, a.content_type, a.plain, a.gzipped);
}

}  // namespace

void AddStaticAssets(HttpServer* server) {
  for (const EmbeddedAsset& asset : EmbeddedAssets()) {
    std::shared_ptr<const ServedAsset> served = Prepare(asset);
    const std::string path = asset.path;
    std::vector<std::string> routes = {path};
    if (path == "/index.html") routes = {"/", "/sql", "/catalog", "/pipeline"};
    for (const std::string& route : routes) {
      server->Route("GET", route,
                    [served](const Request& req, Response* res) { Serve(*served, req, res); });
    }
  }
}

}  // namespace saleslake::web

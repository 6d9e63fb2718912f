// The dashboard's pages, scripts and styles (web/ and the chart library from web/node_modules),
// embedded into the binary at build time by sl_embed_assets, and their routes.
#pragma once

#include <cstddef>
#include <span>

#include "web/http_server.h"

namespace saleslake::web {

struct EmbeddedAsset {
  const char* path;  // URL path: "/assets/app.js"; "/index.html" is the page shell
  const char* content_type;
  const char* data;
  size_t size;
};

std::span<const EmbeddedAsset> EmbeddedAssets();

// GET routes for every asset (gzip-compressed once at start, ETag + If-None-Match) and for the
// pages ("/", "/sql", "/catalog", "/pipeline"), which all serve the shell /index.html.
void AddStaticAssets(HttpServer* server);

}  // namespace saleslake::web

// `saleslake crawl` and `saleslake catalog tables|describe|partitions|history|problems|ddl`.
#pragma once

namespace saleslake::catalog {

int CrawlCommand(int argc, char** argv);
int CatalogCommand(int argc, char** argv);

}  // namespace saleslake::catalog

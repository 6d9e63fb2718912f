#include "catalog/crawl_step.h"

#include "catalog/catalog_store.h"
#include "catalog/crawler.h"
#include "catalog/lake_tables.h"

namespace saleslake::catalog {

lake::RunStepFactory CrawlRunStep() {
  lake::RunStepFactory f;
  f.name = "crawl";
  f.help = "crawl the lake into its catalog";
  f.make = [](const lake::Lake& lake) -> Result<lake::AfterTransformStep> {
    SL_ASSIGN_OR_RETURN(std::string path, DefaultCatalogPath(lake, /*create_dirs=*/true));
    return lake::AfterTransformStep(
        [path](const std::shared_ptr<io::FileSystem>& fs) -> Result<lake::RunStepResult> {
          SL_ASSIGN_OR_RETURN(auto store, CatalogStore::Open(path, /*create=*/true));
          CrawlOptions options;
          options.lake_uri = fs->root_uri();
          SL_ASSIGN_OR_RETURN(CrawlResult crawl, Crawl(fs, store->db(), options));
          lake::RunStepResult step;
          step.name = "crawl";
          step.summary_json = crawl.ToJson();
          return step;
        });
  };
  return f;
}

}  // namespace saleslake::catalog

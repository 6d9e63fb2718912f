#include "web/dashboard/pipeline_once.h"

#include <random>

#include "base/clock.h"
#include "base/hash.h"
#include "base/logging.h"
#include "pipeline/batch_input.h"
#include "pipeline/extract.h"
#include "pipeline/lake_lock.h"
#include "pipeline/transform.h"

namespace saleslake::web {

Result<PipelineOnceResult> RunPipelineOnce(const PipelineOnceOptions& options) {
  PipelineOnceResult result;
  const int64_t start = MonotonicMicros();
  std::random_device rd;
  const uint64_t r = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  const std::string run_id = HexEncode(reinterpret_cast<const uint8_t*>(&r), sizeof(r));
  if (!options.api_url.empty()) {
    SL_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> fs,
                        io::FileSystemFromUri(options.lake_uri));
    SL_ASSIGN_OR_RETURN(std::unique_ptr<pipeline::LakeLock> lock,
                        pipeline::LakeLock::Acquire(fs, "saleslake serve (run now)"));
    SL_ASSIGN_OR_RETURN(std::unique_ptr<pipeline::Ledger> ledger,
                        pipeline::Ledger::Open(fs, /*recover=*/true));
    pipeline::ExtractOptions extract;
    extract.run_id = run_id;
    extract.now_micros = NowMicros();
    for (int i = 0; i < options.batches; ++i) {
      SL_ASSIGN_OR_RETURN(std::unique_ptr<pipeline::BatchInput> input,
                          pipeline::FetchInput(options.api_url, pipeline::HttpFetchOptions{}));
      SL_ASSIGN_OR_RETURN(pipeline::ExtractResult e,
                          pipeline::ExtractBatch(*fs, *ledger, *input, extract));
      if (!e.already_extracted) {
        ++result.batches_extracted;
        result.rows_extracted += e.rows;
      }
    }
  }
  pipeline::TransformOptions transform;
  transform.run_id = run_id;
  SL_ASSIGN_OR_RETURN(pipeline::TransformResult t,
                      pipeline::TransformLake(options.lake_uri, transform));
  result.rows_main = t.rows_main;
  result.rows_quarantined = t.rows_quarantined;
  result.duration_micros = MonotonicMicros() - start;
  log::Info("pipeline.once", {{"run_id", run_id},
                              {"batches", static_cast<unsigned long long>(result.batches_extracted)},
                              {"rows_main", static_cast<unsigned long long>(result.rows_main)},
                              {"rows_quarantined",
                               static_cast<unsigned long long>(result.rows_quarantined)},
                              {"ms", static_cast<double>(result.duration_micros) / 1000.0}});
  return result;
}

}  // namespace saleslake::web

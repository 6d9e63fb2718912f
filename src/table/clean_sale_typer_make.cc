// CleanSaleTyper::Make: the CPU check that guards the AVX2 translation unit (clean_sale_typer.cc
// must never be entered on a CPU without AVX2/BMI, so the check lives outside it).
#include "table/clean_sale_typer.h"

namespace saleslake::table {

std::unique_ptr<CleanSaleTyper> CleanSaleTyper::Make(size_t max_field_bytes) {
#ifdef SALESLAKE_SIMDJSON_AVX2
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi") ||
      !__builtin_cpu_supports("bmi2") || !__builtin_cpu_supports("popcnt")) {
    return nullptr;
  }
#endif
  return internal::NewOnDemandSaleTyper(max_field_bytes);
}

}  // namespace saleslake::table

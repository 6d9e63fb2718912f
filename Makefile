# saleslake — the commands a person runs. Everything installs what it needs first.
#   make demo    install, build, and run the demo
#   make test    install, build, run every test (what CI runs)
#   make bench   run the benchmarks side by side with their peers
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_SECONDS ?= 60
CMAKE_FLAGS ?=

.PHONY: all deps build test unit-test sanitize-configure asan-test format-check format fuzz-smoke ci demo bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) >/dev/null
	@ninja -C $(BUILD) -j $(JOBS)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 900

# One clang build serves the sanitizer tests and the fuzzers: ASan + UBSan at -O1, libraries shared,
# the fuzzed libraries also instrumented for coverage.
sanitize-configure: deps
	@CC=clang-14 CXX=clang++-14 cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DSALESLAKE_SANITIZE=ON -DSALESLAKE_FUZZ=ON -DSALESLAKE_BENCH=OFF >/dev/null

asan-test: sanitize-configure
	@ninja -C $(ASAN_BUILD) -j $(JOBS) unit_tests
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -L unit --timeout 900

format-check: deps
	@files=$$(git ls-files '*.cc' '*.h'); clang-format --dry-run -Werror $$files && echo "format-check: ok"

format:
	@clang-format -i $$(git ls-files '*.cc' '*.h')

fuzz-smoke: sanitize-configure
	@ninja -C $(ASAN_BUILD) -j $(JOBS) fuzz_targets
	@scripts/run-fuzzers.sh $(ASAN_BUILD) $(FUZZ_SECONDS)

ci: test asan-test format-check fuzz-smoke

demo: build
	@scripts/demo.sh $(BUILD)/app/saleslake

bench: build
	@scripts/install-deps.sh --bench
	@bench/run

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

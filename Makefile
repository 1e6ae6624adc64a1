# migrasim: the commands the README names. Everything runs from a clean clone.

GO       ?= go
BIN      := bin/migrasim
TOOLS    := $(CURDIR)/bin/tools
STATICCHECK_VERSION := v0.8.2
BENCHSTAT_VERSION   := v0.0.0-20260908200009-22c9c6c9d4da

.PHONY: all build run test race check fmt vet staticcheck bench clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/migrasim

## run: the main job, the embedded baseline scenario; results in out/baseline/ (replaced)
run: build
	./$(BIN) run baseline --force

## test: every test, including determinism, golden files and a short fuzz of the scenario and sweep parsers (a count of executions, about 10 s each here, not a duration: go1.26's fuzz coordinator can fail a duration-bounded run with "context deadline exceeded" when -fuzztime expires, golang/go#75804)
test:
	$(GO) test ./...
	$(GO) test ./scenarios -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 60000x
	$(GO) test ./sweep -run '^$$' -fuzz '^FuzzParseSweep$$' -fuzztime 30000x

## race: the tests under the race detector (ten times slower: the calibration and command tests take more than go test's default 10 minutes)
race:
	$(GO) test -race -timeout 45m ./...

## check: formatting, vet and staticcheck
check: fmt vet staticcheck

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

$(TOOLS)/staticcheck:
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

staticcheck: $(TOOLS)/staticcheck
	$(TOOLS)/staticcheck ./...

$(TOOLS)/benchstat:
	GOBIN=$(TOOLS) $(GO) install golang.org/x/perf/cmd/benchstat@$(BENCHSTAT_VERSION)

## bench: engine benchmarks (household-months/s, allocations), the full-scale run's and the default calibration's wall time and peak memory, and the 1- vs 2-worker speed-up; benchstat compares out/bench.txt between commits
bench: build
	@mkdir -p out
	$(GO) test ./sim -run '^$$' -bench . -benchmem -count 1 -timeout 30m | tee out/bench.txt
	$(GO) test ./cmd/migrasim -run '^$$' -bench 'FullScale/workers=1$$' -benchtime 1x -count 1 | grep Benchmark | tee -a out/bench.txt
	$(GO) test ./cmd/migrasim -run '^$$' -bench 'FullScale/workers=2$$' -benchtime 1x -count 1 | grep Benchmark | tee -a out/bench.txt
	@awk '/FullScale\/workers=1/ {a=$$3} /FullScale\/workers=2/ {b=$$3} END {if (a && b) printf "full-scale speed-up, 2 workers over 1: %.2fx\n", a/b}' out/bench.txt
	@if [ -x /usr/bin/time ]; then \
		echo "bin/migrasim run status-quo --scale 1 --months 120 --replicates 1 (start-up and output included):"; \
		/usr/bin/time -v ./$(BIN) run status-quo --scale 1 --months 120 --replicates 1 --quiet --force --out out/fullscale 2>&1 >/dev/null \
			| grep -E 'Elapsed|Maximum resident'; \
	fi
	@if [ -x /usr/bin/time ]; then \
		echo "bin/migrasim calibrate (the default: SMC-ABC, 500 runs, the fit check and the stylised facts):"; \
		/usr/bin/time -v ./$(BIN) calibrate --quiet --force --out out/bench-calibrate 2>&1 >/dev/null \
			| grep -E 'Elapsed|Maximum resident'; \
	fi
	@if [ -x /usr/bin/time ]; then \
		echo "bin/migrasim compare baseline mass-deportation --posterior (that calibration's particles) --draws 200 --replicates 4 --scale 0.02 --months 192:"; \
		/usr/bin/time -v ./$(BIN) compare baseline mass-deportation --posterior out/bench-calibrate/particles.csv \
			--draws 200 --replicates 4 --scale 0.02 --months 192 --quiet --force --out out/bench-posterior 2>&1 >/dev/null \
			| grep -E 'Elapsed|Maximum resident'; \
	fi

clean:
	rm -rf bin out

.PHONY: browser-deps browser-test

## browser-deps: Debian's Chromium for the browser tests, installed only if /usr/bin/chromium is missing
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "browser-deps: installing Debian's chromium"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends chromium; \
	fi

## browser-test: drive the teaching page in headless Chromium (chromedp); screenshot in out/teaching.png
browser-test: browser-deps
	@mkdir -p out
	$(GO) test -tags browser -run '^TestBrowser' -count=1 -v ./web

## slurm-install: slurm-wlm and munge from Debian, if they are missing (needs root)
slurm-install:
	@if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null && command -v munged >/dev/null; then \
		echo "slurm-wlm and munge are installed"; \
	else \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge; \
	fi

## slurm-test: a one-node Slurm cluster on this machine runs a sweep as a job array; checks merge, kill and resume
slurm-test: build slurm-install
	bash cmd/migrasim/testdata/slurm-test.sh $(BIN)

.PHONY: slurm-install slurm-test

## cross-test: the engine's results on arm64 equal amd64's byte for byte: the sim and cmd golden tests, built for arm64 and run under qemu-user (installed from Debian if missing)
cross-test:
	@if ! command -v qemu-aarch64 >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends qemu-user; \
	fi
	@mkdir -p bin
	GOARCH=arm64 $(GO) test -c -o bin/sim.arm64.test ./sim
	GOARCH=arm64 $(GO) test -c -o bin/cmd.arm64.test ./cmd/migrasim
	cd sim && qemu-aarch64 ../bin/sim.arm64.test -test.run 'ExampleRun|TestReferenceGolden|TestVersionPinsResults|TestPortableMath'
	cd cmd/migrasim && qemu-aarch64 ../../bin/cmd.arm64.test -test.run 'TestRunGolden|TestCompareGolden|TestSweepSplitIdentical'

.PHONY: cross-test

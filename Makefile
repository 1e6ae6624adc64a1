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

## run: the main job, the embedded baseline scenario; results in out/baseline/
run: build
	./$(BIN) run baseline

## test: every test, including determinism, golden files and a short fuzz of the scenario parser
test:
	$(GO) test ./...
	$(GO) test ./scenarios -run '^$$' -fuzz FuzzParse -fuzztime 10s

## race: the tests under the race detector
race:
	$(GO) test -race ./...

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

## bench: engine benchmarks (household-months/s, allocations) and the full-scale run
bench: build
	$(GO) test ./sim -run '^$$' -bench . -benchmem -count 1 | tee out/bench.txt
	@echo
	@echo "full-scale run: migrasim run baseline --scale 1 --months 120 --replicates 1"
	/usr/bin/time -v ./$(BIN) run baseline --scale 1 --months 120 --replicates 1 --quiet --out out/fullscale 2>&1 >/dev/null \
		| grep -E 'Elapsed|Maximum resident'

clean:
	rm -rf bin out

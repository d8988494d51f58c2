# gridsync: the two commands a new developer needs are
#   make quickstart   plan and apply the quickstart example against the bundled
#                     Personio simulator and the local PostgreSQL
#   make test         every test (race detector on), PostgreSQL started if down
GO ?= go
BIN := bin

.PHONY: all build test quickstart lint fuzz bench clean

all: build

build:
	$(GO) build -o $(BIN)/ ./cmd/gridsync ./cmd/personio-sim

test:
	@bash scripts/ensure-postgres.sh
	$(GO) test -race -count=1 ./...

quickstart:
	@bash scripts/quickstart.sh

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...

fuzz:
	$(GO) test ./config -run='^$$' -fuzz=FuzzLoad -fuzztime=$${FUZZTIME:-5s}
	$(GO) test ./internal/personio -run='^$$' -fuzz=FuzzDecodePage -fuzztime=$${FUZZTIME:-5s}

bench:
	@bash scripts/ensure-postgres.sh
	$(GO) test -run='^$$' -bench=. -benchmem ./...

clean:
	rm -rf $(BIN)

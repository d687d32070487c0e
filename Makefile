# The two commands. Both install what is missing first (pinned, idempotent).
.PHONY: run test bench

## Build and serve the product on http://127.0.0.1:8080 (SQLite in var/smart1.sqlite).
run:
	scripts/run.sh

## Every check and test suite; ends with "N passed, N failed".
test:
	scripts/test.sh

## Benchmarks with their figures (see README).
bench:
	scripts/bench.sh

# The README's two commands: `make demo` and `make test`. Both set up what is missing first.
.PHONY: setup demo test bench

setup:
	@bash scripts/setup.sh

demo: setup
	@bash scripts/demo.sh

test: setup
	@STASIS_TEST_NO_BUILD=1 bash scripts/test.sh

bench: setup
	@bash bench/run.sh

# The two commands (see README): `make run` starts Tessera, `make test` runs every check.
# Both install what they need first (scripts/ensure-deps.sh), so they work on a fresh
# Debian/Ubuntu machine.

CARGO ?= cargo

.PHONY: run test bench deps-test deps-run deps-bench

run: deps-run
	$(CARGO) build --release -p tessera-cli
	@echo
	@echo "The Tessera desktop app is not built yet; until it is, Tessera is the command line:"
	@echo "  target/release/tessera"
	@echo
	@target/release/tessera --help

test: deps-test
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	scripts/with-keyring.sh $(CARGO) test --workspace --locked

# Criterion benchmarks of the core and the vault (against a real Secret Service), then whole
# processes: `tessera code` against oathtool, and the vault commands (hyperfine).
bench: deps-bench
	$(CARGO) bench -p tessera-core --bench codes
	scripts/with-keyring.sh $(CARGO) bench -p tessera-vault --bench vault
	bench/code-vs-oathtool.sh
	scripts/with-keyring.sh bench/vault-commands.sh

deps-test deps-run deps-bench: deps-%:
	@scripts/ensure-deps.sh $*

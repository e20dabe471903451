# The two commands (see README): `make run` starts Tessera, `make test` runs every check.
# Both install what they need first (scripts/ensure-deps.sh), so they work on a fresh
# Debian/Ubuntu machine. `make check` is the quick loop while changing code.

CARGO ?= cargo
# The window's tests run on a virtual screen, against a private Secret Service.
XVFB := xvfb-run -a -s "-screen 0 1280x800x24 -noreset"
# Each step of `make test` is timed; the table is printed at the end (and where a step fails).
STEP := CARGO=$(CARGO) scripts/timed.sh

.PHONY: run test check test-build bench fuzz ui app windows package bundle bindings cli-docs icons issuer-icons \
	deps-run deps-check deps-test deps-bench

run: deps-run
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then scripts/run-app.sh; fi
	$(MAKE) --no-print-directory app
	scripts/run-app.sh

test:
	@scripts/timed.sh begin
	$(STEP) deps scripts/ensure-deps.sh test
	$(STEP) fmt $(CARGO) fmt --all -- --check
	$(STEP) ui $(MAKE) --no-print-directory ui
	scripts/background.sh start release $(RELEASE_BUILD)
	$(STEP) lean-core scripts/check-lean-core.sh
	$(STEP) node18 scripts/check-node18.sh
	$(STEP) build+clippy $(TEST_BUILD)
	$(STEP) windows $(MAKE) --no-print-directory windows
	$(STEP) tests $(CLIPPY) scripts/with-keyring.sh $(XVFB) $(CARGO) test --workspace --locked --no-fail-fast
	$(STEP) release scripts/background.sh wait release
	$(STEP) package $(MAKE) --no-print-directory bundle GEN_DOCS="$(TEST_BUILD) --quiet && target/debug/examples/gen-docs"
	$(STEP) package-test scripts/with-keyring.sh $(XVFB) scripts/package-test.sh
	@scripts/timed.sh report

# The quick loop: formatting, clippy for Linux, and every test that needs no keychain, screen
# or Wine (the unit tests, the core's fixtures, the QR corpus, the fuzz regressions, the
# command's reference and `tessera code --uri`). `make test` is the whole thing.
check: deps-check ui
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(CARGO) test --locked -p tessera-core -p tessera-qr -p tessera-fuzz -p tessera-l10n
	$(CARGO) test --locked -p tessera-vault -p tessera-desktop -p tessera-cli --lib --bins \
		-- --skip clipboard_image::
	$(CARGO) test --locked -p tessera-cli --test cli -- code::

# clippy-driver as the workspace's compiler, with warnings denied: what `cargo clippy` does over
# `cargo check`, here over a build. Clippy's lints come with the build that makes the binaries,
# where a clippy pass of its own checked every dependency once more (1:42 to 2:54 a run).
CLIPPY := env RUSTC_WORKSPACE_WRAPPER=$$(rustc --print sysroot)/bin/clippy-driver \
	CLIPPY_ARGS=-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__

# Everything the tests run, built once and linted by clippy on the way: every target (the app
# and the CLI among them, the benches in the test profile), with the features the whole
# workspace's tests unify. Built as `make app` does, the test step compiled 176 crates again
# with other features. What runs after it (the tests, gen-docs for the packages) runs with the
# same wrapper, or cargo would compile the workspace's crates again without it.
TEST_BUILD := $(CLIPPY) $(CARGO) build --workspace --locked --all-targets
test-build: ui
	$(TEST_BUILD)

# The UI (type-checked, then built into ui/dist), then the app that embeds it, and the CLI.
ui:
	npm --prefix ui run build --silent
app: ui
	$(CARGO) build --locked -p tessera-desktop -p tessera-cli

# Windows, cross-built with MinGW-w64 and run under Wine (the settings are in
# .cargo/config.toml): what ships, the CLI (tessera.exe, which crates/cli/tests/cli/windows.rs
# runs under Wine against its Credential Manager) and the window, with every library of ours
# they use; then the core's and the vault's unit tests, run under Wine (tests/wine/run.sh).
# Both are compiled by clippy-driver with warnings denied (CLIPPY, as the Linux test build is).
# The test tools (test-support, the e2e crate, fuzz, the bench's empty app) run on Linux only;
# building them too compiled their dependencies for nothing and unified other features into
# tauri and tokio (figures in docs/testing.md).
WINDOWS := --locked --target x86_64-pc-windows-gnu
windows:
	$(CLIPPY) $(CARGO) build $(WINDOWS) -p tessera-desktop -p tessera-cli
	$(CLIPPY) $(CARGO) test $(WINDOWS) -p tessera-core -p tessera-vault --lib
	tests/wine/run.sh --stop

# Criterion benchmarks of the core and the vault (against a real Secret Service), the QR reader
# on the generated corpus (a per-category table), the keychain's reads and writes beside
# libsecret's on the same gnome-keyring (each on keyrings of its own), then whole processes:
# `tessera code` against oathtool, the vault commands, and the window's start-up, memory and idle
# CPU beside an empty Tauri app and OTPClient, and its footprint in the tray (bench/peers.sh,
# each app with a keyring of its own); in the webview, driven through WebDriver, a search and a
# scroll through 10,000 accounts and an import of 1000 beside `tessera import` (the tests
# long_list and backup::a_large_import_shows_progress, which print their figures when asked);
# sync's merge of 5 devices x 1000 accounts, its cost to a command when nothing changed, and an
# add reaching another computer through real Syncthing (bench/sync.sh).
bench: deps-bench
	$(CARGO) bench -p tessera-core --bench codes
	$(CARGO) bench -p tessera-qr --bench qr
	scripts/with-keyring.sh $(CARGO) bench -p tessera-vault --bench vault
	scripts/with-keyring.sh $(CARGO) bench -p tessera-vault --bench backup
	scripts/with-keyring.sh $(CARGO) bench -p tessera-vault --bench autobackup
	bench/keychain.sh
	bench/code-vs-oathtool.sh
	scripts/with-keyring.sh bench/vault-commands.sh
	$(CARGO) bench -p tessera-core --bench sync
	scripts/with-keyring.sh bench/sync.sh
	$(MAKE) --no-print-directory app
	$(XVFB) bench/peers.sh
	TESSERA_BENCH_ACCOUNTS=10000 TESSERA_BENCH_IMPORT=1000 scripts/with-keyring.sh $(XVFB) \
		$(CARGO) test --locked -p tessera-e2e --test e2e -- --nocapture --test-threads 1 \
		long_list backup::a_large_import_shows_progress

# Coverage-guided fuzzing (cargo fuzz, libFuzzer) of every parser of outside input, each target
# for FUZZ_SECONDS (default 60) under a memory limit; `make test` only replays what it found
# (fuzz/regressions/). See fuzz/run.sh.
FUZZ_SECONDS ?= 60
fuzz: deps-test
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh

# Regenerates ui/src/bindings.ts from the Rust commands (a test fails when it is stale).
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p tessera-desktop typescript_bindings

# Regenerates docs/cli.md, the command's reference, from its clap definitions (a test fails
# when it is stale).
cli-docs:
	UPDATE_CLI_DOCS=1 $(CARGO) test -p tessera-cli --bin tessera the_command_reference

# Regenerates the app icons from icons/source.svg.
icons: deps-run
	ui/node_modules/.bin/tauri icon icons/source.svg -o icons
	rm -rf icons/android icons/ios icons/Square*Logo.png icons/StoreLogo.png
	for size in 16 24 48 256; do rsvg-convert -w $$size -h $$size icons/source.svg -o icons/$${size}x$${size}.png; done

# Regenerates the issuer icons bundled in the core (crates/core/src/icons/: index.tsv, svgs.tsv)
# from the two CC0 sets pinned in scripts/issuer-icons/package.json. The output is committed.
issuer-icons: deps-run
	npm --prefix scripts/issuer-icons ci --silent
	node scripts/issuer-icons/generate.mjs

deps-run deps-check deps-test deps-bench: deps-%:
	@scripts/ensure-deps.sh $*

# Release .deb and .rpm packages into target/release/bundle/ (`tauri build`): the window as
# /usr/bin/tessera-desktop, the CLI as /usr/bin/tessera, the desktop entry, icons, AppStream
# metainfo, man pages and shell completions generated from the CLI's clap definitions. The
# files it adds are listed in src-tauri/tauri.conf.json (bundle.linux); packaging/ holds them.
# The CLI is built in the same cargo build as the window: built alone first, 83 of its crates
# were compiled again for the window with other features. `make test` runs RELEASE_BUILD (the
# cargo build `tauri build` runs) behind its other steps, then `bundle`, whose build is then
# already done.
RELEASE_BUILD := $(CARGO) build --release --locked -p tessera-desktop -p tessera-cli
# The man pages and completions come from the gen-docs example. `make test` runs the one its
# build step made: `cargo run -p tessera-cli` would compile the CLI's crates once more, with the
# CLI's features alone.
GEN_DOCS := $(CARGO) run --locked --quiet -p tessera-cli --example gen-docs --
package: deps-test ui
	$(MAKE) --no-print-directory bundle
bundle:
	rm -rf target/package
	$(GEN_DOCS) target/package/docs
	mkdir -p target/package/man1
	cp target/package/docs/*.1 packaging/tessera-desktop.1 target/package/man1/
	gzip -9n target/package/man1/*.1
	gzip -9nc packaging/changelog > target/package/changelog.gz
	ui/node_modules/.bin/tauri build --bundles deb,rpm -- --locked -p tessera-desktop -p tessera-cli

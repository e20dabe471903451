#!/usr/bin/env bash
# Runs every fuzz target (or those named) for FUZZ_SECONDS each with libFuzzer (`cargo fuzz`),
# under a memory limit so that an oversized allocation counts as a finding, and prints one
# summary line per target: executions per second, coverage, and anything found.
#
#   fuzz/run.sh [TARGET...]          FUZZ_SECONDS=600 fuzz/run.sh backup
#
# Seeds come from the test fixtures (fuzz/seed.sh); the corpus grows in target/fuzz/corpus/.
# A finding is saved in target/fuzz/artifacts/TARGET/: copy it into fuzz/regressions/TARGET/,
# where `make test` replays it, and fix the cause.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
targets=("$@")
((${#targets[@]})) || targets=(secret uri transfer backup qr_image index sntp)

# libFuzzer needs nightly compiler flags: a nightly toolchain where there is one, else stable
# told to allow them.
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  cargo=(cargo +nightly)
else
  export RUSTC_BOOTSTRAP=1
  cargo=(cargo)
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --quiet

fuzz/seed.sh target/fuzz/seeds
status=0
for target in "${targets[@]}"; do
  corpus=target/fuzz/corpus/$target artifacts=target/fuzz/artifacts/$target
  mkdir -p "$corpus" "$artifacts"
  log=target/fuzz/$target.log
  # 2 GiB resident and no single allocation over 640 MB (the largest a valid input may need is
  # Argon2id's 512 MiB); 30 s per input at most (Argon2id's largest allowed cost is ~3 s).
  if ! "${cargo[@]}" fuzz run --fuzz-dir fuzz --features libfuzzer --target-dir target/fuzz/build \
      "$target" "$corpus" "target/fuzz/seeds/$target" fuzz/regressions/"$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=640 -timeout=30 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1; then
    status=1
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1 || true)
  found=$(ls "$artifacts" | wc -l)
  printf 'fuzz %-9s %6s s  %9s execs  %6s/s  %-22s  %s finding(s)\n' \
    "$target" "$seconds" "$execs" "$speed" "$cov" "$found"
done
exit "$status"

// The time codes are made for, and the clock banner. The shell checks this computer's clock
// against a time server (at start, every 6 hours) and says what it found (ClockChecked); when
// codes may be refused a banner says so, with "Use corrected time" (the shell then makes codes
// for the corrected time) and "Dismiss". The countdown uses the same corrected time.

import { call, commands } from "./api";
import { events, type ClockChecked, type Settings } from "./bindings";
import { byId } from "./dom";
import { duration, t } from "./l10n";

const banner = byId("clock-banner");
const bannerText = byId("clock-banner-text");

/** Milliseconds the shell adds to this computer's clock for codes. */
let correctionMs = 0;
/** Runs when the correction changes: the codes on screen are for the old time. */
let onCorrection: () => void = () => {};

/** Now, in Unix milliseconds, as codes are made: this clock plus the correction in use. */
export function now(): number {
  return Date.now() + correctionMs;
}

function setCorrection(seconds: number | null | undefined): void {
  const next = (seconds ?? 0) * 1000;
  if (next === correctionMs) return;
  correctionMs = next;
  onCorrection();
}

function show(checked: ClockChecked | null): void {
  if (checked) setCorrection(checked.correction_seconds);
  banner.hidden = !checked?.warning;
  bannerText.textContent = checked?.warning ? warning(checked) : "";
}

/** What the banner says: how far off this clock is, or the corrected time still is. */
function warning(checked: ClockChecked): string {
  const offset = Math.round(checked.offset_seconds ?? 0);
  const corrected = checked.correction_seconds != null;
  const left = corrected ? offset - (checked.correction_seconds ?? 0) : offset;
  const id = `clock-${corrected ? "corrected-" : ""}${left > 0 ? "behind" : "ahead"}`;
  return t(id, { amount: duration(Math.abs(left)) });
}

/** The setting was turned off: no banner. */
export function clockCheckOff(): void {
  banner.hidden = true;
}

/** Listens for the shell's checks; `corrected` runs when the time codes are made for changes
 * (Use corrected time here, or `tessera time --apply` / `--reset` meanwhile). */
export function setupClock(corrected: () => void, initial: Settings | null): void {
  onCorrection = corrected;
  if (initial) setCorrection(initial.clock_correction_seconds);
  else
    void call(commands.getSettings())
      .then((s) => setCorrection(s.clock_correction_seconds))
      .catch(() => {});
  // The clock banner can wait for the first code.
  requestAnimationFrame(() =>
    window.setTimeout(() => {
      void call(commands.clockStatus())
        .then(show)
        .catch(() => {});
    }, 0),
  );
  void events.clockChecked.listen(({ payload }) => show(payload));
  byId("clock-use").addEventListener("click", () => {
    void call(commands.useCorrectedTime())
      .then(show)
      .catch(() => {});
  });
  byId("clock-dismiss").addEventListener("click", () => (banner.hidden = true));
}

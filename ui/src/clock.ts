// The time codes are made for, and the clock banner. The shell checks this computer's clock
// against a time server (at start, every 6 hours) and says what it found (ClockChecked); when
// codes may be refused a banner says so, with "Use corrected time" (the shell then makes codes
// for the corrected time) and "Dismiss". The countdown uses the same corrected time.

import { call, commands } from "./api";
import { events, type ClockChecked } from "./bindings";
import { byId } from "./dom";

const banner = byId("clock-banner");
const bannerText = byId("clock-banner-text");

/** Milliseconds the shell adds to this computer's clock for codes. */
let correctionMs = 0;

/** Now, in Unix milliseconds, as codes are made: this clock plus the correction in use. */
export function now(): number {
  return Date.now() + correctionMs;
}

function show(checked: ClockChecked | null): void {
  if (checked) correctionMs = (checked.correction_seconds ?? 0) * 1000;
  banner.hidden = !checked?.warning;
  bannerText.textContent = checked?.warning ?? "";
}

/** The setting was turned off: no banner. */
export function clockCheckOff(): void {
  banner.hidden = true;
}

/** Listens for the shell's checks; `corrected` runs when codes change to the corrected time. */
export function setupClock(corrected: () => void): void {
  void call(commands.getSettings())
    .then((s) => (correctionMs = (s.clock_correction_seconds ?? 0) * 1000))
    .catch(() => {});
  void call(commands.clockStatus())
    .then(show)
    .catch(() => {});
  void events.clockChecked.listen(({ payload }) => show(payload));
  byId("clock-use").addEventListener("click", () => {
    void call(commands.useCorrectedTime())
      .then((checked) => {
        show(checked);
        corrected();
      })
      .catch(() => {});
  });
  byId("clock-dismiss").addEventListener("click", () => (banner.hidden = true));
}

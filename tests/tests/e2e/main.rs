//! The end-to-end tests, one binary (linked once): the window through WebDriver, the tray, the
//! shortcut and the clock banner, backups through the native file choosers, and the window
//! built for Windows under Wine. Apps run one at a time (`tessera_e2e::App`).

mod backup;
mod clock_and_backups;
mod scan;
mod secrets;
mod tray;
mod window;
mod windows;

//! The end-to-end tests, one binary (linked once): the window through WebDriver (a list of many
//! accounts, tags and notes among it), the tray, the shortcut and the clock banner, backups through
//! the native file choosers, and the window built for Windows under Wine. Apps run one at a time
//! (`tessera_e2e::App`).

mod accessibility;
mod backup;
mod clock_and_backups;
mod languages;
mod list;
mod lock;
mod long_list;
mod scan;
mod secrets;
mod tray;
mod window;
mod windows;

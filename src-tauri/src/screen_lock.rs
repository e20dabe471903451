//! Locks the app when the screen locks: the screen savers' `ActiveChanged(true)`
//! (`org.freedesktop.ScreenSaver`, which KDE and others emit, and `org.gnome.ScreenSaver`) on
//! the session bus, and logind's `Lock` signal for this session on the system bus.

use std::sync::Arc;

use tauri::{AppHandle, Manager};

use crate::state::{AppState, lock};

const SCREEN_SAVERS: &[&str] = &["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"];

fn wanted(app: &AppHandle) -> bool {
    app.try_state::<Arc<AppState>>()
        .and_then(|state| lock(&state.settings).ok().map(|s| s.lock_on_screen_lock))
        .unwrap_or(false)
}

/// Starts listening, each bus on a thread of its own (zbus's blocking API, as the keychain's
/// client uses); a bus that is not there is simply not listened to.
pub fn watch(app: &AppHandle) {
    let session = app.clone();
    std::thread::spawn(move || {
        let _ = screen_savers(&session);
    });
    let system = app.clone();
    std::thread::spawn(move || {
        let _ = logind(&system);
    });
}

fn screen_savers(app: &AppHandle) -> zbus::Result<()> {
    let connection = zbus::blocking::Connection::session()?;
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .member("ActiveChanged")?
        .build();
    let signals = zbus::blocking::MessageIterator::for_match_rule(rule, &connection, None)?;
    for message in signals.flatten() {
        let header = message.header();
        let from_a_screen_saver = header
            .interface()
            .is_some_and(|i| SCREEN_SAVERS.contains(&i.as_str()));
        if from_a_screen_saver
            && message.body().deserialize::<bool>().unwrap_or(false)
            && wanted(app)
        {
            crate::lock::lock_now(app);
        }
    }
    Ok(())
}

fn logind(app: &AppHandle) -> zbus::Result<()> {
    let connection = zbus::blocking::Connection::system()?;
    let reply = connection.call_method(
        Some("org.freedesktop.login1"),
        "/org/freedesktop/login1",
        Some("org.freedesktop.login1.Manager"),
        "GetSessionByPID",
        &(std::process::id(),),
    )?;
    let session: zbus::zvariant::OwnedObjectPath = reply.body().deserialize()?;
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface("org.freedesktop.login1.Session")?
        .member("Lock")?
        .path(session)?
        .build();
    let signals = zbus::blocking::MessageIterator::for_match_rule(rule, &connection, None)?;
    for _ in signals.flatten() {
        if wanted(app) {
            crate::lock::lock_now(app);
        }
    }
    Ok(())
}

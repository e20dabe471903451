//! The system's own authentication for the app lock. On Linux, Polkit asks the logged-in user
//! for their password (its agent's dialog, as for any administrative action) before Tessera
//! unlocks, as Ente Auth does; the action `app.tessera.unlock` is installed with the package
//! (packaging/app.tessera.unlock.policy: `auth_self`). On Windows, Windows Hello
//! (`UserConsentVerifier`): it builds, but no test runs it (Wine has no Windows Hello), so it is
//! unverified. Elsewhere there is none yet.

/// Why the system could not be asked.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[cfg(target_os = "linux")]
    #[error("the system's authentication (Polkit) can't be asked: {0}")]
    Polkit(#[from] zbus::Error),
    #[cfg(target_os = "windows")]
    #[error("Windows Hello can't be asked: {0}")]
    Hello(#[from] windows::core::Error),
    #[cfg(target_os = "windows")]
    #[error("Windows Hello is not set up on this computer: use a passphrase or PIN")]
    NotSetUp,
    #[cfg(not(any(target_os = "linux", target_os = "windows")))]
    #[error("the system's authentication is not available here yet: use a passphrase or PIN")]
    Unavailable,
}

/// The Polkit action Tessera asks about.
#[cfg(target_os = "linux")]
pub const ACTION: &str = "app.tessera.unlock";

/// Asks Polkit whether this process's user is who they say: `Ok(true)` when the person
/// authenticated, `Ok(false)` when they did not (cancelled, a wrong password), an error when
/// there is no Polkit to ask. Blocking (the agent's dialog waits for the person): called off
/// the main thread, with zbus's blocking API as the keychain's client is.
#[cfg(target_os = "linux")]
pub fn authenticate() -> Result<bool, AuthError> {
    use std::collections::HashMap;
    use zbus::zvariant::Value;

    let connection = zbus::blocking::Connection::system()?;
    let pid = std::process::id();
    let subject = (
        "unix-process",
        HashMap::from([
            ("pid", Value::from(pid)),
            ("start-time", Value::from(start_time(pid).unwrap_or(0))),
        ]),
    );
    // 1: the person may be asked (the agent's dialog).
    let allow_interaction = 1u32;
    let reply = connection.call_method(
        Some("org.freedesktop.PolicyKit1"),
        "/org/freedesktop/PolicyKit1/Authority",
        Some("org.freedesktop.PolicyKit1.Authority"),
        "CheckAuthorization",
        &(
            subject,
            ACTION,
            HashMap::<&str, &str>::new(),
            allow_interaction,
            "",
        ),
    )?;
    let (authorized, _challenge, _details): (bool, bool, HashMap<String, String>) =
        reply.body().deserialize()?;
    Ok(authorized)
}

/// The process's start time in clock ticks since boot (`/proc/PID/stat`, field 22), which
/// Polkit checks so that a reused pid is not taken for this process.
#[cfg(target_os = "linux")]
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let after = stat.rsplit_once(')')?.1;
    after.split_whitespace().nth(19)?.parse().ok()
}

/// Asks Windows Hello (PIN, face or fingerprint) to confirm the user: `Ok(true)` when it did,
/// `Ok(false)` when the person cancelled or failed, an error when Windows Hello is not set up.
#[cfg(target_os = "windows")]
pub fn authenticate() -> Result<bool, AuthError> {
    use windows::Security::Credentials::UI::{UserConsentVerificationResult, UserConsentVerifier};
    let asked = UserConsentVerifier::RequestVerificationAsync(&windows::core::HSTRING::from(
        "Unlock Tessera",
    ))?
    .join()?;
    match asked {
        UserConsentVerificationResult::Verified => Ok(true),
        UserConsentVerificationResult::Canceled
        | UserConsentVerificationResult::RetriesExhausted => Ok(false),
        _ => Err(AuthError::NotSetUp),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "windows")))]
pub fn authenticate() -> Result<bool, AuthError> {
    Err(AuthError::Unavailable)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn this_process_has_a_start_time() {
        let ticks = super::start_time(std::process::id()).unwrap_or(0);
        assert!(ticks > 0);
    }
}

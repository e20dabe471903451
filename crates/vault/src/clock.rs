//! The clock check: how far this machine's clock is from a time server's, by SNTP (the packets
//! are `tessera_core::sntp`'s), and the correction the user may choose to apply to codes
//! (`Settings::clock_correction_seconds`). This is the only network traffic Tessera makes, and
//! Tessera never changes the system clock.
//!
//! A check is bounded: the name lookup and the exchange together give up after [`TIMEOUT`].
//! Replies that are malformed, not from a server, a Kiss-o'-Death, or not an answer to this
//! request are ignored, as if they had not come.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tessera_core::sntp::{self, Timestamp};
use thiserror::Error;

/// The server asked when the settings and the command line name none.
pub const DEFAULT_SERVER: &str = "pool.ntp.org";
/// The NTP port, when a server is given without one.
pub const NTP_PORT: u16 = 123;
/// How long a whole check may take, name lookup included.
pub const TIMEOUT: Duration = Duration::from_secs(3);
/// Offsets up to this many seconds don't matter to codes (a 30 s code is accepted a step either
/// side by most services); beyond it the window warns.
pub const TOLERATED_SECONDS: f64 = 5.0;
/// The most addresses of one name that are tried (a pool name gives four).
const MAX_ADDRESSES: usize = 4;

/// What a check measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockCheck {
    /// The server as given (`HOST[:PORT]`).
    pub server: String,
    /// The server's clock minus this machine's, in seconds: positive when this clock is behind.
    pub offset_seconds: f64,
    pub round_trip_ms: f64,
}

/// Why a check gave no measurement.
#[derive(Debug, Error)]
pub enum ClockError {
    #[error("{0:?} is not a time server's name or address (HOST or HOST:PORT)")]
    BadServer(String),
    #[error("{server}: cannot find the time server: {detail}")]
    Lookup { server: String, detail: String },
    #[error("{server}: no usable answer from the time server within {} s", TIMEOUT.as_secs())]
    NoAnswer { server: String },
}

/// Now, on this machine's clock, as an NTP timestamp.
fn now() -> Timestamp {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    Timestamp::from_unix_nanos(nanos)
}

/// `HOST[:PORT]`, `[IPv6]:PORT` or a bare IPv6 address, as host and port.
fn host_and_port(server: &str) -> Result<(String, u16), ClockError> {
    let bad = || ClockError::BadServer(server.chars().take(100).collect());
    if let Ok(address) = server.parse::<SocketAddr>() {
        return Ok((address.ip().to_string(), address.port()));
    }
    if let Ok(ip) = server.parse::<IpAddr>() {
        return Ok((ip.to_string(), NTP_PORT));
    }
    let (host, port) = match server.rsplit_once(':') {
        Some((host, port)) => (host, port.parse().map_err(|_| bad())?),
        None => (server, NTP_PORT),
    };
    let valid = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_';
    if host.is_empty() || host.len() > 253 || !host.chars().all(valid) {
        return Err(bad());
    }
    Ok((host.to_owned(), port))
}

/// The server's addresses, looked up on a thread so that a hanging resolver can't hold the
/// check past `deadline` (the thread ends on its own later).
fn lookup(server: &str, deadline: Instant) -> Result<Vec<SocketAddr>, ClockError> {
    let (host, port) = host_and_port(server)?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send((host.as_str(), port).to_socket_addrs().map(Vec::from_iter));
    });
    let failed = |detail: String| ClockError::Lookup {
        server: server.to_owned(),
        detail,
    };
    match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(Ok(addresses)) if !addresses.is_empty() => Ok(addresses),
        Ok(Ok(_)) => Err(failed("the name has no address".into())),
        Ok(Err(e)) => Err(failed(e.to_string())),
        Err(_) => Err(failed("the name lookup took too long".into())),
    }
}

/// Asks one address; `None` when it gives no usable answer by `until`.
fn ask(address: SocketAddr, until: Instant) -> Option<sntp::Measurement> {
    let local: SocketAddr = if address.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        ([0u16; 8], 0).into()
    };
    let socket = UdpSocket::bind(local).ok()?;
    // Connected: the system drops datagrams from any other address.
    socket.connect(address).ok()?;
    let sent = now();
    socket.send(&sntp::request(sent)).ok()?;
    let mut buffer = [0u8; 512];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        socket.set_read_timeout(Some(left)).ok()?;
        // An error is a timeout or a refusal (ICMP port unreachable): this address is done.
        let n = socket.recv(&mut buffer).ok()?;
        if let Ok(measured) = sntp::read_reply(&buffer[..n], sent, now()) {
            return Some(measured);
        }
        // A malformed or foreign reply is ignored: wait for the real one.
    }
}

/// Measures this clock against `server` (`HOST[:PORT]`), within `timeout` in all.
pub fn measure(server: &str, timeout: Duration) -> Result<ClockCheck, ClockError> {
    let deadline = Instant::now() + timeout;
    let addresses = lookup(server, deadline)?;
    let addresses = &addresses[..addresses.len().min(MAX_ADDRESSES)];
    for (i, address) in addresses.iter().enumerate() {
        // Each address gets an equal share of the time left, so a dead one leaves time for
        // the next.
        let share =
            deadline.saturating_duration_since(Instant::now()) / (addresses.len() - i) as u32;
        if let Some(measured) = ask(*address, Instant::now() + share) {
            return Ok(ClockCheck {
                server: server.to_owned(),
                offset_seconds: measured.offset_seconds,
                round_trip_ms: measured.round_trip_seconds * 1000.0,
            });
        }
    }
    Err(ClockError::NoAnswer {
        server: server.to_owned(),
    })
}

/// A measured offset as a correction for codes: whole seconds (codes change every 30 s or so),
/// clamped to what the settings keep.
pub fn whole_seconds(offset_seconds: f64) -> i32 {
    offset_seconds
        .round()
        .clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32
}

/// The Unix time codes are made for, in milliseconds: this clock's, moved by the correction if
/// there is one.
pub fn corrected_unix_ms(correction_seconds: Option<i32>) -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    now.saturating_add_signed(i64::from(correction_seconds.unwrap_or(0)) * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_are_read_as_host_and_port() {
        let ok = |s: &str| host_and_port(s).unwrap();
        assert_eq!(ok("pool.ntp.org"), ("pool.ntp.org".into(), 123));
        assert_eq!(ok("127.0.0.1:1123"), ("127.0.0.1".into(), 1123));
        assert_eq!(ok("[::1]:1123"), ("::1".into(), 1123));
        assert_eq!(ok("::1"), ("::1".into(), 123));
        assert_eq!(ok("time.example:99"), ("time.example".into(), 99));
        for bad in [
            "",
            ":123",
            "host:99999",
            "host:x",
            "a b",
            "a/b:1",
            "ex\u{e4}mple.org",
        ] {
            assert!(
                matches!(host_and_port(bad), Err(ClockError::BadServer(_))),
                "{bad}"
            );
        }
    }

    /// A closed port on this machine answers with a refusal: no answer, well within the time.
    #[test]
    fn a_refused_or_silent_server_is_no_answer_within_the_timeout() {
        let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
        let server = silent.local_addr().unwrap().to_string();
        let started = Instant::now();
        let err = measure(&server, Duration::from_millis(300)).unwrap_err();
        assert!(matches!(err, ClockError::NoAnswer { .. }), "{err}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}

//! A stand-in SNTP server on 127.0.0.1 (RFC 4330), written from the RFC's packet layout: it
//! answers with a clock `offset` seconds from this machine's, stays silent, or sends the
//! replies a test chooses (malformed ones first, say).

use std::net::UdpSocket;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What the server sends for one request: any number of datagrams, in order.
pub type Replies = Box<dyn Fn(&[u8]) -> Vec<Vec<u8>> + Send>;

#[derive(Debug)]
pub struct TimeServer {
    port: u16,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Seconds from 1900 to 1970.
const NTP_EPOCH: f64 = 2_208_988_800.0;

/// This machine's time moved by `offset` seconds, as an NTP timestamp (32.32 fixed point).
pub fn ntp_time(offset: f64) -> [u8; 8] {
    let unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let ntp = unix + offset + NTP_EPOCH;
    let seconds = ntp.floor() as u64 as u32;
    let fraction = ((ntp - ntp.floor()) * 4_294_967_296.0) as u64 as u32;
    let mut bytes = [0u8; 8];
    bytes[..4].copy_from_slice(&seconds.to_be_bytes());
    bytes[4..].copy_from_slice(&fraction.to_be_bytes());
    bytes
}

/// A good reply to `request` from a stratum 2 server whose clock is `offset` seconds from this
/// one: version 4, mode 4, the request's transmit time as originate time.
pub fn good_reply(request: &[u8], offset: f64) -> Vec<u8> {
    let mut reply = vec![0u8; 48];
    reply[0] = (4 << 3) | 4;
    reply[1] = 2;
    reply[2] = 6;
    reply[3] = 0xEC; // precision 2^-20
    reply[12..16].copy_from_slice(b"GPS\0");
    if request.len() >= 48 {
        reply[24..32].copy_from_slice(&request[40..48]);
    }
    let now = ntp_time(offset);
    reply[16..24].copy_from_slice(&now);
    reply[32..40].copy_from_slice(&now);
    reply[40..48].copy_from_slice(&ntp_time(offset));
    reply
}

/// The malformed replies a server may send: cut short, a client's (mode 3), version 2, a
/// zero transmit time, a Kiss-o'-Death ("RATE"), an alarm (leap 3), and one answering another
/// request. Each is otherwise `good_reply(request, offset)`.
pub fn malformed_replies(request: &[u8], offset: f64) -> Vec<Vec<u8>> {
    let good = good_reply(request, offset);
    let changed = |change: &dyn Fn(&mut Vec<u8>)| {
        let mut reply = good.clone();
        change(&mut reply);
        reply
    };
    vec![
        good[..40].to_vec(),
        changed(&|r| r[0] = (4 << 3) | 3),
        changed(&|r| r[0] = (2 << 3) | 4),
        changed(&|r| r[40..48].fill(0)),
        changed(&|r| {
            r[1] = 0;
            r[12..16].copy_from_slice(b"RATE");
        }),
        changed(&|r| r[0] |= 0b1100_0000),
        changed(&|r| r[31] ^= 0xFF),
    ]
}

impl TimeServer {
    /// A server that sends `replies(request)` for each request.
    pub fn with(replies: Replies) -> Self {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        let port = socket.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (counted, stopped) = (requests.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let mut buffer = [0u8; 1024];
            while !stopped.load(Ordering::Relaxed) {
                let Ok((n, from)) = socket.recv_from(&mut buffer) else {
                    continue;
                };
                counted.fetch_add(1, Ordering::Relaxed);
                for reply in replies(&buffer[..n]) {
                    let _ = socket.send_to(&reply, from);
                }
            }
        });
        Self {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// A server whose clock is `offset` seconds from this machine's.
    pub fn offset(offset: f64) -> Self {
        Self::with(Box::new(move |request| vec![good_reply(request, offset)]))
    }

    /// A server that receives and never answers.
    pub fn silent() -> Self {
        Self::with(Box::new(|_| Vec::new()))
    }

    /// `127.0.0.1:PORT`, as `--server` and the setting take it.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// How many requests it has had.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }
}

impl Drop for TimeServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

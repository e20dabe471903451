//! SNTP (RFC 4330): the request Tessera sends to a time server and the reading of its reply,
//! which gives how far this machine's clock is from the server's. Pure: the caller sends and
//! receives, and reads its own clock at both ends ([`Timestamp::from_unix_nanos`]).
//!
//! A reply is used only if it answers this request (its originate timestamp is the request's
//! transmit timestamp) and looks like a working server's: 48 bytes or more, version 3 or 4,
//! mode 4 (server), a stratum of 1 to 15 (0 is a Kiss-o'-Death, "don't ask me"), a leap
//! indicator other than 3 (the server's own clock is not set), and non-zero receive and transmit
//! timestamps. Anything else is a [`ReplyError`], and the caller waits for another reply.

use thiserror::Error;

/// The size of an SNTP message without its optional fields.
pub const PACKET_LEN: usize = 48;
/// Seconds from 1900-01-01 (NTP's era 0) to 1970-01-01 (Unix time).
const UNIX_TO_NTP: u64 = 2_208_988_800;

/// An NTP timestamp: seconds since 1900 in the high 32 bits, fractions of a second in the low
/// 32, wrapping every 136 years (the first wrap is in 2036). Differences are taken modulo 2^64
/// and read as signed, as RFC 5905 does, so they are right across a wrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// The timestamp of a moment given in nanoseconds since 1970.
    pub fn from_unix_nanos(nanos: u128) -> Self {
        let seconds = (nanos / 1_000_000_000) as u64 + UNIX_TO_NTP;
        let fraction = ((nanos % 1_000_000_000) << 32) / 1_000_000_000;
        Self((seconds << 32) | fraction as u64)
    }

    /// `self - earlier` in seconds.
    fn since(self, earlier: Self) -> f64 {
        self.0.wrapping_sub(earlier.0) as i64 as f64 / 4_294_967_296.0
    }

    fn read(bytes: &[u8]) -> Self {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[..8]);
        Self(u64::from_be_bytes(word))
    }
}

/// The request: version 4, mode 3 (client), everything else zero but the transmit timestamp,
/// which the server sends back as the originate timestamp.
pub fn request(sent: Timestamp) -> [u8; PACKET_LEN] {
    let mut packet = [0u8; PACKET_LEN];
    packet[0] = (4 << 3) | 3;
    packet[40..48].copy_from_slice(&sent.0.to_be_bytes());
    packet
}

/// What one exchange measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    /// The server's clock minus this machine's, in seconds: positive when this clock is behind.
    pub offset_seconds: f64,
    /// The time the exchange took on the network, in seconds (the server's own time excluded).
    pub round_trip_seconds: f64,
}

/// Why a reply was not used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReplyError {
    #[error("the reply is {0} bytes, shorter than an SNTP message")]
    Short(usize),
    #[error("the reply is SNTP version {0}")]
    Version(u8),
    #[error("the reply is not from a server (mode {0})")]
    Mode(u8),
    #[error("the server refused to answer (Kiss-o'-Death {0:?})")]
    KissOfDeath(String),
    #[error("the server's own clock is not synchronised")]
    Unsynchronised,
    #[error("the reply does not answer Tessera's request")]
    NotOurs,
    #[error("the reply has no time in it")]
    NoTime,
}

/// Reads a reply to the request sent at `sent` (this machine's clock), received at `received`.
pub fn read_reply(
    reply: &[u8],
    sent: Timestamp,
    received: Timestamp,
) -> Result<Measurement, ReplyError> {
    if reply.len() < PACKET_LEN {
        return Err(ReplyError::Short(reply.len()));
    }
    let leap = reply[0] >> 6;
    let version = (reply[0] >> 3) & 0b111;
    let mode = reply[0] & 0b111;
    let stratum = reply[1];
    if !(3..=4).contains(&version) {
        return Err(ReplyError::Version(version));
    }
    if mode != 4 {
        return Err(ReplyError::Mode(mode));
    }
    if stratum == 0 {
        // The reference identifier holds the kiss code, four ASCII letters ("RATE", "DENY").
        let code = reply[12..16]
            .iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(|&b| char::from(b))
            .collect();
        return Err(ReplyError::KissOfDeath(code));
    }
    if leap == 3 || stratum > 15 {
        return Err(ReplyError::Unsynchronised);
    }
    let originate = Timestamp::read(&reply[24..]);
    let server_received = Timestamp::read(&reply[32..]);
    let server_sent = Timestamp::read(&reply[40..]);
    if originate != sent {
        return Err(ReplyError::NotOurs);
    }
    if server_received.0 == 0 || server_sent.0 == 0 {
        return Err(ReplyError::NoTime);
    }
    // RFC 4330, section 5: t1 sent, t2 server received, t3 server sent, t4 received.
    let offset_seconds = (server_received.since(sent) + server_sent.since(received)) / 2.0;
    let round_trip_seconds = (received.since(sent) - server_sent.since(server_received)).max(0.0);
    Ok(Measurement {
        offset_seconds,
        round_trip_seconds,
    })
}

/// Human words for an offset: "2 min 30 s behind", "4 s ahead", "right".
pub fn describe_offset(offset_seconds: i64) -> String {
    let magnitude = offset_seconds.unsigned_abs();
    let (h, m, s) = (magnitude / 3600, magnitude / 60 % 60, magnitude % 60);
    let amount = match (h, m, s) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    };
    match offset_seconds {
        0 => "right".to_owned(),
        o if o > 0 => format!("{amount} behind"),
        _ => format!("{amount} ahead"),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const NOW: u128 = 1_795_305_600_123_456_789;

    /// A stratum 2 server's reply to `request`, sent at once at `server_now`.
    fn reply_for(request: &[u8], server_now: Timestamp) -> [u8; PACKET_LEN] {
        let mut reply = [0u8; PACKET_LEN];
        reply[0] = (4 << 3) | 4;
        reply[1] = 2;
        reply[12..16].copy_from_slice(&[127, 0, 0, 1]);
        if request.len() >= PACKET_LEN {
            reply[24..32].copy_from_slice(&request[40..48]);
        }
        reply[32..40].copy_from_slice(&server_now.0.to_be_bytes());
        reply[40..48].copy_from_slice(&server_now.0.to_be_bytes());
        reply
    }

    fn at(nanos: u128) -> Timestamp {
        Timestamp::from_unix_nanos(nanos)
    }

    /// A server `offset` seconds ahead, with `delay` seconds each way.
    fn exchange(offset: f64, delay: f64) -> Measurement {
        let sent = at(NOW);
        let request = request(sent);
        let shift = |base: u128, by: f64| (base as f64 + by * 1e9) as u128;
        let reply = reply_for(&request, at(shift(NOW, offset + delay)));
        read_reply(&reply, sent, at(shift(NOW, 2.0 * delay))).unwrap()
    }

    #[test]
    fn offsets_and_round_trips_are_measured() {
        for offset in [0.0, 150.0, -150.0, 0.25, -3600.0 * 24.0 * 400.0] {
            let m = exchange(offset, 0.02);
            assert!((m.offset_seconds - offset).abs() < 1e-3, "{offset}: {m:?}");
            assert!((m.round_trip_seconds - 0.04).abs() < 1e-3, "{m:?}");
        }
    }

    #[test]
    fn timestamps_are_right_across_the_2036_wrap() {
        // 2036-02-07 06:28:16 UTC is NTP second 2^32, which wraps to 0.
        let before = at(2_085_978_495_000_000_000);
        let after = at(2_085_978_497_000_000_000);
        assert!(after.0 < before.0);
        assert!((after.since(before) - 2.0).abs() < 1e-6);
    }

    #[test]
    fn malformed_replies_are_refused() {
        let sent = at(NOW);
        let good = reply_for(&request(sent), at(NOW));
        let check = |reply: &[u8]| read_reply(reply, sent, at(NOW));
        assert!(check(&good).is_ok());
        assert_eq!(check(&good[..47]), Err(ReplyError::Short(47)));
        let mut kiss = good;
        kiss[1] = 0;
        kiss[12..16].copy_from_slice(b"RATE");
        assert_eq!(check(&kiss), Err(ReplyError::KissOfDeath("RATE".into())));
        let mut client = good;
        client[0] = (4 << 3) | 3;
        assert_eq!(check(&client), Err(ReplyError::Mode(3)));
        let mut v2 = good;
        v2[0] = (2 << 3) | 4;
        assert_eq!(check(&v2), Err(ReplyError::Version(2)));
        let mut alarm = good;
        alarm[0] |= 0b1100_0000;
        assert_eq!(check(&alarm), Err(ReplyError::Unsynchronised));
        let mut zero = good;
        zero[40..48].fill(0);
        assert_eq!(check(&zero), Err(ReplyError::NoTime));
        let mut other = good;
        other[31] ^= 1;
        assert_eq!(check(&other), Err(ReplyError::NotOurs));
    }

    #[test]
    fn offsets_in_words() {
        assert_eq!(describe_offset(150), "2 min 30 s behind");
        assert_eq!(describe_offset(-4), "4 s ahead");
        assert_eq!(describe_offset(120), "2 min behind");
        assert_eq!(describe_offset(-7260), "2 h 1 min ahead");
        assert_eq!(describe_offset(0), "right");
    }

    proptest! {
        /// Any bytes: a measurement or an error, never a panic; and a reply whose header is
        /// wrong in any way (mode, version, stratum, leap) is never used.
        #[test]
        fn any_reply_is_read_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..96)) {
            let sent = at(NOW);
            if let Ok(m) = read_reply(&bytes, sent, at(NOW)) {
                prop_assert!(bytes.len() >= PACKET_LEN);
                prop_assert_eq!(bytes[0] & 0b111, 4);
                prop_assert!(bytes[1] >= 1 && bytes[1] <= 15);
                prop_assert!(m.round_trip_seconds >= 0.0);
            }
        }

        #[test]
        fn a_wrong_header_byte_makes_a_good_reply_unusable(first in any::<u8>(), stratum in any::<u8>()) {
            let sent = at(NOW);
            let mut reply = reply_for(&request(sent), at(NOW));
            reply[0] = first;
            reply[1] = stratum;
            let usable = (first & 0b111) == 4
                && (3..=4).contains(&((first >> 3) & 0b111))
                && first >> 6 != 3
                && (1..=15).contains(&stratum);
            prop_assert_eq!(read_reply(&reply, sent, at(NOW)).is_ok(), usable);
        }
    }
}

//! A hybrid logical clock (Kulkarni et al., 2014): wall-clock milliseconds, a counter for
//! changes within one millisecond or behind a clock seen from another device, and the device id
//! as the last tie-break. Clocks are totally ordered, and a device's next clock is always later
//! than every clock it has seen, so a change made after reading another device's change wins
//! over it even when this device's wall clock is behind.

use serde::{Deserialize, Serialize};

/// When a change was made, and where. Ordered by `ms`, then `n`, then `device`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    /// Unix milliseconds, or later when a clock seen was later.
    pub ms: u64,
    /// Orders changes within one `ms`.
    pub n: u32,
    /// The device that made the change.
    pub device: String,
}

impl Hlc {
    /// The clock of a change made on `device` at `now_ms`, after `last` (the latest clock this
    /// device has seen or made).
    pub fn tick(last: &Hlc, now_ms: u64, device: &str) -> Hlc {
        let (ms, n) = if now_ms > last.ms {
            (now_ms, 0)
        } else if last.n < u32::MAX {
            (last.ms, last.n + 1)
        } else {
            (last.ms.saturating_add(1), 0)
        };
        Hlc {
            ms,
            n,
            device: device.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: u64, n: u32, device: &str) -> Hlc {
        Hlc {
            ms,
            n,
            device: device.into(),
        }
    }

    #[test]
    fn a_tick_is_later_than_what_was_seen_whatever_the_wall_clock() {
        assert_eq!(Hlc::tick(&at(100, 3, "b"), 200, "a"), at(200, 0, "a"));
        // This device's clock is behind the one seen: the counter carries the order.
        assert_eq!(Hlc::tick(&at(100, 3, "b"), 50, "a"), at(100, 4, "a"));
        assert!(Hlc::tick(&at(100, 3, "b"), 50, "a") > at(100, 3, "b"));
        assert_eq!(Hlc::tick(&at(100, u32::MAX, "b"), 50, "a"), at(101, 0, "a"));
        assert_eq!(
            Hlc::tick(&at(u64::MAX, u32::MAX, "b"), 0, "a").ms,
            u64::MAX,
            "no overflow"
        );
        // The device id breaks ties, so no two devices' changes are equal.
        assert!(at(100, 0, "b") > at(100, 0, "a"));
    }
}

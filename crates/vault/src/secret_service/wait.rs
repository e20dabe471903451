//! Waiting on a keychain that may be waiting on a person: an unlock prompt, or KeePassXC's
//! access request, which holds its answer to a plain method call until its dialog is answered.
//! Every call gets the same time limit (a batch of calls, from its last answer); after a second,
//! whoever set [`on_wait`] is told what Tessera waits for and where to answer (the CLI says it
//! on standard error).

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use futures_util::future::{Either, select};

use crate::error::{KeychainError, Provider};

/// The time limit unless `TESSERA_KEYCHAIN_TIMEOUT` (seconds, 1 to 3600) says otherwise.
const DEFAULT_LIMIT: Duration = Duration::from_secs(60);
const MAX_LIMIT_SECONDS: u64 = 3600;
/// An answer slower than this may be waiting on a person, and is said "if it asks": a keychain
/// of thousands of items on a busy computer can take as long over one call with no dialog.
const SAY_AFTER: Duration = Duration::from_secs(1);

/// A wait on the keychain, as told to [`on_wait`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wait {
    /// What is waited for and where to answer, in a sentence ("waiting for KeePassXC: if it
    /// asks, answer ...").
    pub said: String,
    /// The keychain's program ("KeePassXC"), when it is known.
    pub program: Option<String>,
    /// When Tessera gives up.
    pub seconds: u64,
}

type Notice = Box<dyn Fn(&Wait) + Send + Sync>;
static NOTICE: OnceLock<Notice> = OnceLock::new();

/// Sets what is told, once per process, when the keychain keeps Tessera waiting.
pub fn on_wait(notice: impl Fn(&Wait) + Send + Sync + 'static) {
    let _ = NOTICE.set(Box::new(notice));
}

/// How long a keychain may keep Tessera waiting.
pub fn time_limit() -> Duration {
    std::env::var("TESSERA_KEYCHAIN_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|s| (1..=MAX_LIMIT_SECONDS).contains(s))
        .map_or(DEFAULT_LIMIT, Duration::from_secs)
}

/// Runs `work` to its end, or gives up at the time limit with [`KeychainError::Unanswered`]
/// (the work is dropped: a reply that comes later is ignored).
pub(crate) fn within<T>(
    provider: &Provider,
    work: impl Future<Output = Result<T, KeychainError>>,
) -> Result<T, KeychainError> {
    within_answers(provider, &Cell::new(Instant::now()), work)
}

/// [`within`] for many calls, whose answers set `last_answer`: the wait is said, and given up,
/// by the time since the last answer rather than since the start. A keychain waiting on a
/// person answers nothing; a large one answers slowly but steadily (an import of 1000 into
/// GNOME Keyring's 3000 items took over a minute on a busy machine, and was given up).
pub(crate) fn within_answers<T>(
    provider: &Provider,
    last_answer: &Cell<Instant>,
    work: impl Future<Output = Result<T, KeychainError>>,
) -> Result<T, KeychainError> {
    let limit = time_limit();
    let say = || {
        if let Some(notice) = NOTICE.get() {
            notice(&Wait {
                said: format!(
                    "waiting for {}: if it asks, answer {} (Tessera gives up after {} s)",
                    provider.name(),
                    provider.where_to_answer(),
                    limit.as_secs()
                ),
                program: provider.program(),
                seconds: limit.as_secs(),
            });
        }
    };
    zbus::block_on(quiet_at_most(
        last_answer,
        SAY_AFTER.min(limit),
        limit,
        say,
        work,
    ))
    .map_err(|()| KeychainError::Unanswered {
        provider: provider.clone(),
        seconds: limit.as_secs(),
    })?
}

/// `work`'s result, unless `last_answer` is `limit` old first (`Err`); `say` is called once
/// when it is `say_after` old.
async fn quiet_at_most<T>(
    last_answer: &Cell<Instant>,
    say_after: Duration,
    limit: Duration,
    say: impl Fn(),
    work: impl Future<Output = T>,
) -> Result<T, ()> {
    let mut work = pin!(work);
    let mut said = false;
    loop {
        let quiet = last_answer.get().elapsed();
        // Said before given up, also when both come at once (a limit of 1 s).
        if !said && quiet >= say_after {
            say();
            said = true;
        }
        if quiet >= limit {
            return Err(());
        }
        let next = if said { limit } else { say_after };
        match select(work.as_mut(), async_io::Timer::after(next - quiet)).await {
            Either::Left((done, _)) => return Ok(done),
            Either::Right(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers `count` times, `every` apart, then gives their number.
    async fn answering(last_answer: &Cell<Instant>, count: u32, every: Duration) -> u32 {
        for _ in 0..count {
            async_io::Timer::after(every).await;
            last_answer.set(Instant::now());
        }
        count
    }

    #[test]
    fn steady_answers_outlast_the_limit_and_silence_does_not() {
        let limit = Duration::from_millis(400);
        let said = Cell::new(0);
        let say = || said.set(said.get() + 1);
        // Eight answers 100 ms apart: twice the limit in all, never quiet for long.
        let last = Cell::new(Instant::now());
        let steady = answering(&last, 8, Duration::from_millis(100));
        let done = zbus::block_on(quiet_at_most(&last, limit, limit, say, steady));
        assert_eq!(done, Ok(8));
        assert_eq!(said.get(), 0);
        // One answer, then silence: said once, given up at the limit.
        let last = Cell::new(Instant::now());
        let silent = async {
            answering(&last, 1, Duration::from_millis(50)).await;
            std::future::pending::<u32>().await
        };
        let say_after = Duration::from_millis(100);
        let started = Instant::now();
        let done = zbus::block_on(quiet_at_most(&last, say_after, limit, say, silent));
        assert_eq!(done, Err(()));
        assert_eq!(said.get(), 1);
        assert!(started.elapsed() >= limit + Duration::from_millis(50));
    }
}

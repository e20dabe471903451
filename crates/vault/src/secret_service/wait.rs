//! Waiting on a keychain that may be waiting on a person: an unlock prompt, or KeePassXC's
//! access request, which holds its answer to a plain method call until its dialog is answered.
//! Every call gets the same time limit; after a second, whoever set [`on_wait`] is told what
//! Tessera waits for and where to answer (the CLI says it on standard error).

use std::future::Future;
use std::pin::pin;
use std::sync::OnceLock;
use std::time::Duration;

use futures_util::future::{Either, select};

use crate::error::{KeychainError, Provider};

/// The time limit unless `TESSERA_KEYCHAIN_TIMEOUT` (seconds, 1 to 3600) says otherwise.
const DEFAULT_LIMIT: Duration = Duration::from_secs(60);
const MAX_LIMIT_SECONDS: u64 = 3600;
/// An answer slower than this is taken for one that waits on a person.
const SAY_AFTER: Duration = Duration::from_secs(1);

/// A wait on the keychain, as told to [`on_wait`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wait {
    /// What is waited for and where to answer, in a sentence ("waiting for KeePassXC: answer
    /// ...").
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
    let limit = time_limit();
    zbus::block_on(async {
        let work = pin!(work);
        let work = match select(work, async_io::Timer::after(SAY_AFTER.min(limit))).await {
            Either::Left((done, _)) => return done,
            Either::Right((_, work)) => work,
        };
        if let Some(notice) = NOTICE.get() {
            notice(&Wait {
                said: format!(
                    "waiting for {}: answer {} (Tessera gives up after {} s)",
                    provider.name(),
                    provider.where_to_answer(),
                    limit.as_secs()
                ),
                program: provider.program(),
                seconds: limit.as_secs(),
            });
        }
        let rest = limit.saturating_sub(SAY_AFTER);
        match select(work, async_io::Timer::after(rest)).await {
            Either::Left((done, _)) => done,
            Either::Right(_) => Err(KeychainError::Unanswered {
                provider: provider.clone(),
                seconds: limit.as_secs(),
            }),
        }
    })
}

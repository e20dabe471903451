//! A stand-in for Polkit's authority (`org.freedesktop.PolicyKit1` at
//! `/org/freedesktop/PolicyKit1/Authority`) on a private bus the app takes for its system bus
//! (`DBUS_SYSTEM_BUS_ADDRESS`): it answers `CheckAuthorization` with the answers it was given, in
//! turn, as an agent's dialog would after a right or a wrong password, and remembers what it
//! was asked.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use zbus::zvariant::OwnedValue;

/// What the app asked: the action id, and the subject's pid.
pub type Asked = Arc<Mutex<Vec<(String, u32)>>>;

struct Authority {
    answers: Arc<Mutex<VecDeque<bool>>>,
    asked: Asked,
}

#[zbus::interface(name = "org.freedesktop.PolicyKit1.Authority")]
impl Authority {
    async fn check_authorization(
        &self,
        subject: (String, HashMap<String, OwnedValue>),
        action_id: String,
        _details: HashMap<String, String>,
        _flags: u32,
        _cancellation_id: String,
    ) -> (bool, bool, HashMap<String, String>) {
        let pid = subject
            .1
            .get("pid")
            .and_then(|v| u32::try_from(v.clone()).ok())
            .unwrap_or(0);
        self.asked.lock().unwrap().push((action_id, pid));
        let yes = self.answers.lock().unwrap().pop_front().unwrap_or(false);
        (yes, false, HashMap::new())
    }
}

/// The stand-in authority, serving until dropped, on a thread and runtime of its own: the app
/// asks it while the test's own runtime waits on WebDriver.
#[allow(missing_debug_implementations)] // holds a thread
pub struct PolkitAuthority {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    asked: Asked,
}

impl PolkitAuthority {
    /// Serves on the bus at `address`, answering `answers` in turn (then no).
    pub fn serve(address: &str, answers: &[bool]) -> PolkitAuthority {
        let asked = Asked::default();
        let authority = Authority {
            answers: Arc::new(Mutex::new(answers.iter().copied().collect())),
            asked: asked.clone(),
        };
        let address = address.to_owned();
        let (ready, started) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let connection = zbus::connection::Builder::address(address.as_str())
                    .unwrap()
                    .name("org.freedesktop.PolicyKit1")
                    .unwrap()
                    .serve_at("/org/freedesktop/PolicyKit1/Authority", authority)
                    .unwrap()
                    .build()
                    .await
                    .unwrap();
                ready.send(()).unwrap();
                let _ = stopped.await;
                drop(connection);
            });
        });
        started.recv().unwrap();
        PolkitAuthority {
            stop: Some(stop),
            thread: Some(thread),
            asked,
        }
    }

    /// What it was asked so far: (action id, pid).
    pub fn asked(&self) -> Vec<(String, u32)> {
        self.asked.lock().unwrap().clone()
    }
}

impl Drop for PolkitAuthority {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

//! A stand-in for the desktop's portals at `org.freedesktop.portal.Desktop`, on the tests'
//! private session bus, as a Wayland desktop offers them:
//! - GlobalShortcuts: it creates sessions, binds what the app asks for (and remembers the
//!   preferred trigger), and presses a shortcut when the test says so, with the `Activated`
//!   signal;
//! - RemoteDesktop, when asked for: a keyboard allowed at once, and the keysyms the app presses
//!   through it recorded.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};

/// What the app bound: (session handle, shortcut id, preferred trigger).
type Bound = Arc<Mutex<Vec<(String, String, String)>>>;
/// The keysyms the app pressed through RemoteDesktop.
type Typed = Arc<Mutex<Vec<u32>>>;

struct GlobalShortcuts {
    bound: Bound,
}

fn failed(e: &dyn std::fmt::Display) -> zbus::fdo::Error {
    zbus::fdo::Error::Failed(e.to_string())
}

/// The object path portals derive from the caller's unique name and a token.
fn handle(kind: &str, sender: &str, token: &str) -> String {
    format!(
        "/org/freedesktop/portal/desktop/{kind}/{}/{token}",
        sender.trim_start_matches(':').replace('.', "_")
    )
}

fn token(options: &HashMap<String, OwnedValue>, key: &str) -> zbus::fdo::Result<String> {
    options
        .get(key)
        .and_then(|v| String::try_from(v.clone()).ok())
        .ok_or_else(|| failed(&format!("no {key}")))
}

/// The caller's unique name, and the path of the request object for its `handle_token`.
fn request(
    header: &zbus::message::Header<'_>,
    options: &HashMap<String, OwnedValue>,
) -> zbus::fdo::Result<(String, String)> {
    let sender = header
        .sender()
        .ok_or_else(|| failed(&"no sender"))?
        .to_string();
    let path = handle("request", &sender, &token(options, "handle_token")?);
    Ok((sender, path))
}

/// Answers a request as a portal does: the `Response` signal on the request's path.
async fn respond(
    connection: &zbus::Connection,
    request: &str,
    results: HashMap<&str, Value<'_>>,
) -> zbus::fdo::Result<OwnedObjectPath> {
    connection
        .emit_signal(
            None::<()>,
            request,
            "org.freedesktop.portal.Request",
            "Response",
            &(0u32, results),
        )
        .await
        .map_err(|e| failed(&e))?;
    OwnedObjectPath::try_from(request.to_owned()).map_err(|e| failed(&e))
}

/// A session, as both portals make it: the session's handle in the request's response.
async fn create_session(
    header: &zbus::message::Header<'_>,
    connection: &zbus::Connection,
    options: &HashMap<String, OwnedValue>,
) -> zbus::fdo::Result<OwnedObjectPath> {
    let (sender, request) = request(header, options)?;
    let session = handle("session", &sender, &token(options, "session_handle_token")?);
    let mut results = HashMap::new();
    results.insert("session_handle", Value::from(session));
    respond(connection, &request, results).await
}

#[zbus::interface(name = "org.freedesktop.portal.GlobalShortcuts")]
impl GlobalShortcuts {
    async fn create_session(
        &self,
        #[zbus(header)] header: zbus::message::Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
        options: HashMap<String, OwnedValue>,
    ) -> zbus::fdo::Result<OwnedObjectPath> {
        create_session(&header, connection, &options).await
    }

    async fn bind_shortcuts(
        &self,
        #[zbus(header)] header: zbus::message::Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
        session_handle: OwnedObjectPath,
        shortcuts: Vec<(String, HashMap<String, OwnedValue>)>,
        _parent_window: String,
        options: HashMap<String, OwnedValue>,
    ) -> zbus::fdo::Result<OwnedObjectPath> {
        let (_, request) = request(&header, &options)?;
        let mut bound = Vec::new();
        for (id, info) in &shortcuts {
            let trigger = token(info, "preferred_trigger").unwrap_or_default();
            self.bound.lock().unwrap().push((
                session_handle.to_string(),
                id.clone(),
                trigger.clone(),
            ));
            let mut described: HashMap<String, Value<'_>> = HashMap::new();
            described.insert(
                "description".into(),
                Value::from(token(info, "description").unwrap_or_default()),
            );
            described.insert("trigger_description".into(), Value::from(trigger));
            bound.push((id.clone(), described));
        }
        let mut results = HashMap::new();
        results.insert("shortcuts", Value::from(bound));
        respond(connection, &request, results).await
    }

    #[zbus(property)]
    fn version(&self) -> u32 {
        1
    }
}

struct RemoteDesktop {
    typed: Typed,
}

/// Device types: 1 is the keyboard.
const KEYBOARD: u32 = 1;

#[zbus::interface(name = "org.freedesktop.portal.RemoteDesktop")]
impl RemoteDesktop {
    async fn create_session(
        &self,
        #[zbus(header)] header: zbus::message::Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
        options: HashMap<String, OwnedValue>,
    ) -> zbus::fdo::Result<OwnedObjectPath> {
        create_session(&header, connection, &options).await
    }

    async fn select_devices(
        &self,
        #[zbus(header)] header: zbus::message::Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
        _session_handle: OwnedObjectPath,
        options: HashMap<String, OwnedValue>,
    ) -> zbus::fdo::Result<OwnedObjectPath> {
        let (_, request) = request(&header, &options)?;
        respond(connection, &request, HashMap::new()).await
    }

    /// The user allows the keyboard at once.
    async fn start(
        &self,
        #[zbus(header)] header: zbus::message::Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
        _session_handle: OwnedObjectPath,
        _parent_window: String,
        options: HashMap<String, OwnedValue>,
    ) -> zbus::fdo::Result<OwnedObjectPath> {
        let (_, request) = request(&header, &options)?;
        let mut results = HashMap::new();
        results.insert("devices", Value::from(KEYBOARD));
        respond(connection, &request, results).await
    }

    fn notify_keyboard_keysym(
        &self,
        _session_handle: OwnedObjectPath,
        _options: HashMap<String, OwnedValue>,
        keysym: i32,
        state: u32,
    ) {
        // 1 is pressed, 0 released.
        if state == 1 {
            self.typed.lock().unwrap().push(keysym as u32);
        }
    }

    #[zbus(property)]
    fn available_device_types(&self) -> u32 {
        KEYBOARD
    }

    #[zbus(property)]
    fn version(&self) -> u32 {
        2
    }
}

/// The stand-in portals, serving until dropped.
#[allow(missing_debug_implementations)] // holds a D-Bus connection
pub struct DesktopPortal {
    connection: zbus::Connection,
    bound: Bound,
    typed: Typed,
}

impl DesktopPortal {
    /// GlobalShortcuts, and RemoteDesktop when `remote_desktop`.
    pub async fn serve(remote_desktop: bool) -> DesktopPortal {
        let (bound, typed) = (Bound::default(), Typed::default());
        let path = "/org/freedesktop/portal/desktop";
        let mut builder = zbus::connection::Builder::session()
            .unwrap()
            .name("org.freedesktop.portal.Desktop")
            .unwrap()
            .serve_at(
                path,
                GlobalShortcuts {
                    bound: bound.clone(),
                },
            )
            .unwrap();
        if remote_desktop {
            builder = builder
                .serve_at(
                    path,
                    RemoteDesktop {
                        typed: typed.clone(),
                    },
                )
                .unwrap();
        }
        let connection = builder
            .build()
            .await
            .expect("the stand-in portal needs the private session bus of scripts/with-keyring.sh");
        DesktopPortal {
            connection,
            bound,
            typed,
        }
    }

    /// What the app typed through RemoteDesktop, once `chars` characters have come or 10 s
    /// have passed: digits and letters as they are, Tab as `\t`.
    pub async fn typed(&self, chars: usize) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let keysyms = self.typed.lock().unwrap().clone();
            if keysyms.len() >= chars || Instant::now() >= deadline {
                return keysyms
                    .iter()
                    .map(|&k| match k {
                        0xff09 => '\t',
                        k => char::from_u32(k).unwrap_or('?'),
                    })
                    .collect();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// What the app bound last, waiting for it up to 10 s: (shortcut id, preferred trigger).
    pub async fn bound(&self) -> (String, String) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some((_, id, trigger)) = self.bound.lock().unwrap().last().cloned() {
                return (id, trigger);
            }
            assert!(
                Instant::now() < deadline,
                "nothing bound through the GlobalShortcuts portal within 10 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Presses the shortcut `id` of the last session, as the desktop does (`Activated`).
    pub async fn press(&self, id: &str) {
        let session = self
            .bound
            .lock()
            .unwrap()
            .last()
            .map(|(session, _, _)| session.clone())
            .expect("a shortcut bound");
        let session = OwnedObjectPath::try_from(session).unwrap();
        self.connection
            .emit_signal(
                None::<()>,
                "/org/freedesktop/portal/desktop",
                "org.freedesktop.portal.GlobalShortcuts",
                "Activated",
                &(session, id, 0u64, HashMap::<String, Value<'_>>::new()),
            )
            .await
            .unwrap();
    }
}

//! The tray as a desktop shell sees it, on the test's session bus: a stand-in
//! StatusNotifierWatcher (`org.kde.StatusNotifierWatcher`, which Xvfb has no shell to provide)
//! that apps register their tray icons with, and a client for the icon's menu
//! (`com.canonical.dbusmenu`), read and clicked as a panel does.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zbus::zvariant::{OwnedObjectPath, OwnedValue, Structure, Value};

/// The items registered: (bus name, object path).
type Items = Arc<Mutex<Vec<(String, String)>>>;

struct StatusNotifierWatcher {
    items: Items,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl StatusNotifierWatcher {
    /// `service` is a bus name, or (libayatana-appindicator) an object path on the caller.
    async fn register_status_notifier_item(
        &self,
        service: &str,
        #[zbus(header)] header: zbus::message::Header<'_>,
    ) {
        let sender = header.sender().map(ToString::to_string).unwrap_or_default();
        let (name, path) = if service.starts_with('/') {
            (sender, service.to_owned())
        } else {
            (service.to_owned(), "/StatusNotifierItem".to_owned())
        };
        self.items.lock().unwrap().push((name, path));
    }

    fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items
            .lock()
            .unwrap()
            .iter()
            .map(|(name, path)| format!("{name}{path}"))
            .collect()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

/// The stand-in watcher, serving until dropped.
#[allow(missing_debug_implementations)] // holds a D-Bus connection
pub struct TrayHost {
    connection: zbus::Connection,
    items: Items,
}

/// A dbusmenu layout node: id, properties, children (each a variant holding a node).
type Layout = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// One entry of a dbusmenu layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuEntry {
    pub id: i32,
    /// The label as shown ("_" mnemonics left in); empty for a separator.
    pub label: String,
    pub separator: bool,
}

impl TrayHost {
    /// Takes the name org.kde.StatusNotifierWatcher on the session bus (the private one of
    /// scripts/with-keyring.sh). Start it before the app, as a panel runs before apps.
    pub async fn start() -> TrayHost {
        Self::start_with(zbus::connection::Builder::session().unwrap()).await
    }

    /// `start`, on the bus at `address` (a test's own).
    pub async fn start_on(address: &str) -> TrayHost {
        Self::start_with(zbus::connection::Builder::address(address).unwrap()).await
    }

    async fn start_with(bus: zbus::connection::Builder<'static>) -> TrayHost {
        let items = Items::default();
        let connection = bus
            .name("org.kde.StatusNotifierWatcher")
            .unwrap()
            .serve_at(
                "/StatusNotifierWatcher",
                StatusNotifierWatcher {
                    items: items.clone(),
                },
            )
            .unwrap()
            .build()
            .await
            .expect(
                "the stand-in tray host needs the private session bus of scripts/with-keyring.sh",
            );
        TrayHost { connection, items }
    }

    /// The icon registered last whose program still runs (the running app's), waiting for one
    /// up to 10 s: (bus name, object path). A watcher forgets the icons of programs gone.
    pub async fn item(&self) -> (String, String) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let bus = zbus::fdo::DBusProxy::new(&self.connection).await.unwrap();
        loop {
            let items = self.items.lock().unwrap().clone();
            for item in items.into_iter().rev() {
                let Ok(name) = zbus::names::BusName::try_from(item.0.as_str()) else {
                    continue;
                };
                if bus.name_has_owner(name).await.unwrap_or(false) {
                    return item;
                }
            }
            assert!(
                Instant::now() < deadline,
                "no tray icon registered with the StatusNotifierWatcher within 10 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn menu_proxy(&self) -> zbus::Proxy<'static> {
        let (name, path) = self.item().await;
        let item = zbus::Proxy::new(
            &self.connection,
            name.clone(),
            path,
            "org.kde.StatusNotifierItem",
        )
        .await
        .unwrap();
        let menu: OwnedObjectPath = item.get_property("Menu").await.unwrap();
        zbus::Proxy::new(&self.connection, name, menu, "com.canonical.dbusmenu")
            .await
            .unwrap()
    }

    /// The menu's top-level entries, as a panel reads them when it opens the menu (AboutToShow,
    /// then GetLayout).
    pub async fn menu(&self) -> Vec<MenuEntry> {
        let menu = self.menu_proxy().await;
        let _: zbus::Result<bool> = menu.call("AboutToShow", &(0i32,)).await;
        let (_revision, root): (u32, Layout) = menu
            .call("GetLayout", &(0i32, 1i32, Vec::<String>::new()))
            .await
            .unwrap();
        root.2.iter().map(entry).collect()
    }

    /// Clicks the entry whose label is `label`, as a panel does (Event "clicked"); waits up to
    /// 10 s for it. The app refills its menu when the accounts it offers change, which gives
    /// every entry a new id: a click on an id that is gone is retried on the new layout, as a
    /// panel re-reads the layout on LayoutUpdated.
    pub async fn click(&self, label: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let entries = self.menu().await;
            if let Some(found) = entries.iter().find(|e| e.label == label) {
                let menu = self.menu_proxy().await;
                let clicked: zbus::Result<()> = menu
                    .call("Event", &(found.id, "clicked", Value::from(0i32), 0u32))
                    .await;
                match clicked {
                    Ok(()) => return,
                    Err(e)
                        if Instant::now() < deadline
                            && e.to_string().contains("does not refer") => {}
                    Err(e) => panic!("clicking {label:?}: {e}"),
                }
            }
            assert!(
                Instant::now() < deadline,
                "no menu entry {label:?} in {entries:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A layout child: a variant holding (id, properties, children).
fn entry(child: &OwnedValue) -> MenuEntry {
    let Value::Structure(structure) = &**child else {
        panic!("a dbusmenu child that is not a structure: {child:?}");
    };
    let fields = Structure::fields(structure);
    let id = match &fields[0] {
        Value::I32(id) => *id,
        other => panic!("a dbusmenu id that is not an int32: {other:?}"),
    };
    let mut label = String::new();
    let mut separator = false;
    if let Value::Dict(properties) = &fields[1] {
        let properties: HashMap<String, OwnedValue> =
            properties.try_clone().unwrap().try_into().unwrap();
        if let Some(text) = properties.get("label") {
            label = String::try_from(text.clone()).unwrap_or_default();
        }
        if let Some(kind) = properties.get("type") {
            separator = String::try_from(kind.clone()).is_ok_and(|k| k == "separator");
        }
    }
    MenuEntry {
        id,
        label,
        separator,
    }
}

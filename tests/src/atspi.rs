//! The accessibility tree a screen reader reads, as WebKitGTK exposes the page on the session's
//! accessibility bus (started on demand through `org.a11y.Bus`). Read with libatspi, Orca's own
//! client, through `tests/atspi/tree.py`: a GTK widget that embeds the web process's tree (the
//! web view) hands it over in libatspi's own way, which a plain D-Bus walk does not see.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

/// One object of the tree, as read.
#[derive(Debug, Clone)]
pub struct Node {
    pub role: String,
    pub name: String,
    pub focused: bool,
    pub showing: bool,
    /// Its ancestors' indexes in the walk, the page first.
    pub ancestors: Vec<usize>,
}

impl Node {
    pub fn depth(&self) -> usize {
        self.ancestors.len()
    }
}

/// The page of application `app` ("tessera-desktop"): its `document web` and everything under
/// it, breadth first; waited for up to 20 s (the web process's tree comes after the window's).
pub fn page(app: &str) -> Vec<Node> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("atspi/tree.py");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let output = Command::new("/usr/bin/python3")
            .arg(&script)
            .arg(app)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
        if output.status.success() {
            return String::from_utf8_lossy(&output.stdout)
                .lines()
                .map(|line| {
                    let v: Value = serde_json::from_str(line).unwrap();
                    Node {
                        role: v["role"].as_str().unwrap().to_owned(),
                        name: v["name"].as_str().unwrap().to_owned(),
                        focused: v["focused"].as_bool().unwrap(),
                        showing: v["showing"].as_bool().unwrap(),
                        ancestors: serde_json::from_value(v["ancestors"].clone()).unwrap(),
                    }
                })
                .collect();
        }
        assert!(
            output.status.code() == Some(3) && Instant::now() < deadline,
            "no page of {app} in the accessibility tree: {output:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

//! Tauri's build step: embeds tauri.conf.json and the page in dist/.

fn main() {
    if let Err(error) = tauri_build::try_build(tauri_build::Attributes::new()) {
        println!("cargo::error={error:#}");
    }
}

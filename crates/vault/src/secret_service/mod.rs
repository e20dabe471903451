//! The Secret Service (Linux), spoken to directly over D-Bus (zbus): GNOME Keyring, KeePassXC and
//! KWallet each answer it in their own way, and the vault needs what a generic client does not
//! give:
//! - a time limit on anything that waits for a person (an unlock prompt, KeePassXC's access
//!   request), saying meanwhile what it waits for and where to answer ([`wait`]); a prompt not
//!   answered in time is dismissed, and no prompt is left unused;
//! - the plain session where the encrypted one is refused ([`session`]);
//! - the name of the keychain that is running, for messages that say how to unlock that one;
//! - many keys in a few calls: one `SearchItems`, the items' `Attributes` all sent before their
//!   answers are read, one `GetSecrets`; `CreateItem`s sent ahead of their answers where the
//!   service creates items without a prompt (KeePassXC prompts for each, so there they go one
//!   by one).
//!
//! Items are what keyring-core and libsecret write (attributes `service` and `username`, a
//! label), so either side reads and deletes what the other wrote. Accounts' keys are written as
//! `text/plain` (base32), which KeePassXC keeps as the entry's password, where a person opening
//! it sees the key; Tessera's own binary keys as `application/octet-stream`.

mod session;
pub mod wait;

use std::cell::Cell;
use std::collections::HashMap;
use std::time::Instant;

use futures_util::future::{Either, select};
use futures_util::{StreamExt, TryStreamExt};
use tessera_core::Sensitive;
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};
use zeroize::Zeroize;

use crate::error::{KeychainError, Provider};
use session::{SecretStruct, Session};

const DESTINATION: &str = "org.freedesktop.secrets";
const SERVICE_PATH: &str = "/org/freedesktop/secrets";
const SERVICE_IFACE: &str = "org.freedesktop.Secret.Service";
const COLLECTION_IFACE: &str = "org.freedesktop.Secret.Collection";
const ITEM_IFACE: &str = "org.freedesktop.Secret.Item";
const SESSION_IFACE: &str = "org.freedesktop.Secret.Session";
const PROMPT_IFACE: &str = "org.freedesktop.Secret.Prompt";
const PROPERTIES_IFACE: &str = "org.freedesktop.DBus.Properties";

/// The content type of an account's key (base32 text).
pub const TEXT: &str = "text/plain";
/// The content type of Tessera's own keys (bytes).
pub const BYTES: &str = "application/octet-stream";

/// How many calls are on their way at once: enough to keep the service busy without a wait for
/// each answer, few enough that a failure stops the rest soon.
const IN_FLIGHT: usize = 64;

/// Whether a bus error means nobody serves the Secret Service (never started, or gone).
pub(crate) fn is_absent(error: &zbus::Error) -> bool {
    matches!(error, zbus::Error::MethodError(name, ..)
        if matches!(name.as_str(), "org.freedesktop.DBus.Error.ServiceUnknown"
            | "org.freedesktop.DBus.Error.NameHasNoOwner"))
}

/// Whether a bus error means the service went away or restarted under this connection: its
/// session or objects unknown, or no answer before it left.
fn is_gone(error: &zbus::Error) -> bool {
    match error {
        // KWallet's word for a session it does not know, which it says now and then of one it
        // has just opened (about one run in ten of the KWallet test): a new session then works.
        zbus::Error::MethodError(name, Some(text), _)
            if name.as_str() == "org.qtproject.QtDBus.Error.InvalidObjectPath"
                && text.starts_with("Can't find session") =>
        {
            true
        }
        zbus::Error::MethodError(name, ..) => matches!(
            name.as_str(),
            "org.freedesktop.DBus.Error.NoReply"
                | "org.freedesktop.DBus.Error.Disconnected"
                | "org.freedesktop.DBus.Error.UnknownObject"
                | "org.freedesktop.DBus.Error.UnknownMethod"
                | "org.freedesktop.Secret.Error.NoSession"
        ),
        zbus::Error::InputOutput(_) => true,
        _ => false,
    }
}

/// A connection to the Secret Service and a session on it. A [`KeychainError::Stopped`] or
/// [`KeychainError::NoService`] from any call means it is no longer usable: connect again.
pub struct Client {
    connection: zbus::blocking::Connection,
    session: Session,
    provider: Provider,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("session", &self.session)
            .field("provider", &self.provider)
            .finish()
    }
}

/// Item paths: those unlocked, those locked.
type Found = (Vec<OwnedObjectPath>, Vec<OwnedObjectPath>);

impl Client {
    /// Connects to the session bus and opens a session with the Secret Service.
    pub fn connect() -> Result<Self, KeychainError> {
        let connection =
            zbus::blocking::Connection::session().map_err(|_| KeychainError::NoSessionBus)?;
        let session = match Session::open(&connection) {
            Ok(session) => session,
            Err(session::OpenError::Bus(e)) if is_absent(&e) => {
                return Err(KeychainError::NoService);
            }
            Err(session::OpenError::Bus(e)) => {
                return Err(KeychainError::Failed {
                    detail: format!("no session could be opened: {e}"),
                });
            }
            Err(session::OpenError::Protocol(what)) => {
                return Err(KeychainError::Failed {
                    detail: what.to_owned(),
                });
            }
        };
        let provider = provider(&connection);
        Ok(Self {
            connection,
            session,
            provider,
        })
    }

    /// Which keychain answers.
    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    /// Whether secrets travel encrypted (false: the service refused the encrypted session).
    pub fn is_encrypted(&self) -> bool {
        self.session.is_encrypted()
    }

    /// A bus error in the words of [`KeychainError`].
    fn error(&self, error: zbus::Error) -> KeychainError {
        if is_absent(&error) {
            KeychainError::NoService
        } else if is_gone(&error) {
            KeychainError::Stopped(self.provider.clone())
        } else {
            match &error {
                zbus::Error::MethodError(name, ..)
                    if name.as_str() == "org.freedesktop.Secret.Error.IsLocked" =>
                {
                    KeychainError::Locked(self.provider.clone())
                }
                _ => KeychainError::Failed {
                    detail: error.to_string(),
                },
            }
        }
    }

    /// One method call, within the time limit a person's answer gets ([`wait`]): KeePassXC
    /// answers some calls only once its own dialog is answered.
    fn call<B, R>(
        &self,
        path: &str,
        iface: &str,
        method: &str,
        body: &B,
    ) -> Result<R, KeychainError>
    where
        B: serde::Serialize + zbus::zvariant::DynamicType,
        R: for<'d> serde::Deserialize<'d> + zbus::zvariant::Type,
    {
        let connection = self.connection.inner();
        wait::within(&self.provider, async {
            let reply = connection
                .call_method(Some(DESTINATION), path, Some(iface), method, body)
                .await
                .map_err(|e| self.error(e))?;
            reply.body().deserialize::<R>().map_err(|e| self.error(e))
        })
    }

    fn property<R: TryFrom<OwnedValue>>(
        &self,
        path: &str,
        iface: &str,
        name: &str,
    ) -> Result<R, KeychainError> {
        let value: OwnedValue = self.call(path, PROPERTIES_IFACE, "Get", &(iface, name))?;
        R::try_from(value).map_err(|_| KeychainError::Failed {
            detail: format!("the Secret Service sent a {name} of the wrong type"),
        })
    }

    /// Runs a prompt the service asked for ("/" is none) and returns its result; dismissed
    /// (by the person, or by the time limit) is an error.
    fn prompt(
        &self,
        prompt: &OwnedObjectPath,
        unlocking: bool,
    ) -> Result<OwnedValue, KeychainError> {
        let connection = self.connection.inner();
        let provider = &self.provider;
        let answer = wait::within(provider, async {
            let proxy = zbus::Proxy::new(connection, DESTINATION, prompt.as_str(), PROMPT_IFACE)
                .await
                .map_err(|e| self.error(e))?;
            let mut completed = proxy
                .receive_signal("Completed")
                .await
                .map_err(|e| self.error(e))?;
            // The service gone meanwhile (crashed, killed) would never complete the prompt.
            let mut owner = proxy
                .receive_owner_changed()
                .await
                .map_err(|e| self.error(e))?;
            proxy
                .call_method("Prompt", &("",))
                .await
                .map_err(|e| self.error(e))?;
            let message = match select(completed.next(), owner.next()).await {
                Either::Left((Some(message), _)) => message,
                _ => return Err(KeychainError::Stopped(provider.clone())),
            };
            let (dismissed, result): (bool, OwnedValue) =
                message.body().deserialize().map_err(|e| self.error(e))?;
            Ok((dismissed, result))
        });
        if matches!(answer, Err(KeychainError::Unanswered { .. })) {
            self.dismiss(prompt);
        }
        match answer? {
            (false, result) => Ok(result),
            (true, _) if unlocking => Err(KeychainError::Locked(self.provider.clone())),
            (true, _) => Err(KeychainError::Refused(self.provider.clone())),
        }
    }

    /// The items with these attributes: unlocked, locked.
    fn search(&self, attributes: &HashMap<&str, &str>) -> Result<Found, KeychainError> {
        self.call(SERVICE_PATH, SERVICE_IFACE, "SearchItems", &(attributes,))
    }

    /// Unlocks objects (items, collections), prompting where the service asks to; returns
    /// those unlocked. Nothing unlocked after a prompt is a locked keychain.
    fn unlock(&self, objects: &[OwnedObjectPath]) -> Result<Vec<OwnedObjectPath>, KeychainError> {
        let (mut unlocked, prompt): (Vec<OwnedObjectPath>, OwnedObjectPath) =
            self.call(SERVICE_PATH, SERVICE_IFACE, "Unlock", &(objects,))?;
        if prompt.as_str() != "/" {
            let result = self.prompt(&prompt, true)?;
            unlocked = Vec::<OwnedObjectPath>::try_from(result).unwrap_or_default();
        }
        if unlocked.is_empty() && !objects.is_empty() {
            return Err(KeychainError::Locked(self.provider.clone()));
        }
        Ok(unlocked)
    }

    /// The items with these attributes, every one unlocked (one prompt for them all, where the
    /// keychain is locked).
    pub fn find(
        &self,
        attributes: &HashMap<&str, &str>,
    ) -> Result<Vec<OwnedObjectPath>, KeychainError> {
        let (mut unlocked, locked) = self.search(attributes)?;
        if !locked.is_empty() {
            self.unlock(&locked)?;
            // Searched again: an unlock may answer with the collection rather than its items.
            let (again, still) = self.search(attributes)?;
            if !still.is_empty() {
                return Err(KeychainError::Locked(self.provider.clone()));
            }
            unlocked = again;
        }
        Ok(unlocked)
    }

    /// The `Attributes` of each item, in order (`None` for an item gone meanwhile): the calls
    /// all sent before their answers are read.
    pub fn attributes(
        &self,
        paths: &[OwnedObjectPath],
    ) -> Result<Vec<Option<HashMap<String, String>>>, KeychainError> {
        let connection = self.connection.inner();
        let last_answer = Cell::new(Instant::now());
        let read = |path: &OwnedObjectPath| {
            let path = path.clone();
            self.read_attributes(connection, path)
        };
        wait::within_answers(
            &self.provider,
            &last_answer,
            futures_util::stream::iter(paths)
                .map(read)
                .buffered(IN_FLIGHT)
                .inspect(|_| last_answer.set(Instant::now()))
                .try_collect(),
        )
    }

    async fn read_attributes(
        &self,
        connection: &zbus::Connection,
        path: OwnedObjectPath,
    ) -> Result<Option<HashMap<String, String>>, KeychainError> {
        let reply = connection
            .call_method(
                Some(DESTINATION),
                &path,
                Some(PROPERTIES_IFACE),
                "Get",
                &(ITEM_IFACE, "Attributes"),
            )
            .await;
        let reply = match reply {
            Ok(reply) => reply,
            // Deleted between the search and now.
            Err(zbus::Error::MethodError(name, ..))
                if name.as_str() == "org.freedesktop.Secret.Error.NoSuchObject"
                    || name.as_str() == "org.freedesktop.DBus.Error.UnknownObject" =>
            {
                return Ok(None);
            }
            Err(e) => return Err(self.error(e)),
        };
        let value: OwnedValue = reply.body().deserialize().map_err(|e| self.error(e))?;
        let attributes =
            HashMap::<String, String>::try_from(value).map_err(|_| KeychainError::Failed {
                detail: "the Secret Service sent attributes that are not text".into(),
            })?;
        Ok(Some(attributes))
    }

    /// The secrets of unlocked items, by path, in one call. An item deleted meanwhile is missing
    /// from the answer; one locked meanwhile is [`KeychainError::Locked`]. An unlocked item left
    /// out, or a secret that does not decrypt, is a session the service no longer holds as ours
    /// (KWallet now and then, about one run in ten of its test): [`KeychainError::Stopped`], so
    /// the caller asks again on a new one, never a key taken for missing.
    pub fn secrets(
        &self,
        paths: &[OwnedObjectPath],
    ) -> Result<HashMap<OwnedObjectPath, Sensitive<Vec<u8>>>, KeychainError> {
        if paths.is_empty() {
            return Ok(HashMap::new());
        }
        let mut sent: HashMap<OwnedObjectPath, SecretStruct> = self.call(
            SERVICE_PATH,
            SERVICE_IFACE,
            "GetSecrets",
            &(paths, &self.session.path),
        )?;
        let mut secrets = HashMap::with_capacity(sent.len());
        let mut undecrypted = false;
        for (path, (_, iv, mut value, _)) in sent.drain() {
            let plain = self.session.open_secret(&iv, &value);
            // In a plain session this is the secret itself.
            value.zeroize();
            match plain {
                Some(plain) => {
                    secrets.insert(path, plain);
                }
                None => undecrypted = true,
            }
        }
        if undecrypted {
            return Err(KeychainError::Stopped(self.provider.clone()));
        }
        for path in paths.iter().filter(|p| !secrets.contains_key(*p)) {
            match self.property::<bool>(path.as_str(), ITEM_IFACE, "Locked") {
                Ok(true) => return Err(KeychainError::Locked(self.provider.clone())),
                Ok(false) => return Err(KeychainError::Stopped(self.provider.clone())),
                Err(e @ KeychainError::NoService) => return Err(e),
                // Deleted since it was found.
                Err(_) => {}
            }
        }
        Ok(secrets)
    }

    /// The secret of the item at `path`, if that item is still there and still holds every one
    /// of `attributes`; `None` otherwise. Where a search looks through the whole collection,
    /// this reads one item: for a path kept from an earlier search.
    pub fn secret_at(
        &self,
        path: &OwnedObjectPath,
        attributes: &HashMap<&str, &str>,
    ) -> Result<Option<Sensitive<Vec<u8>>>, KeychainError> {
        let Some(Some(held)) = self.attributes(std::slice::from_ref(path))?.pop() else {
            return Ok(None);
        };
        if attributes
            .iter()
            .any(|(name, value)| held.get(*name).map(String::as_str) != Some(*value))
        {
            return Ok(None);
        }
        Ok(self.secrets(std::slice::from_ref(path))?.remove(path))
    }

    /// The collection new items go to, unlocked: the one labelled `label` (the user's choice,
    /// a collection kept locked for Tessera alone), else the `default` alias (created where
    /// there is none, as libsecret does).
    pub fn collection(&self, label: Option<&str>) -> Result<OwnedObjectPath, KeychainError> {
        let path = match label {
            Some(label) => self.labelled(label)?,
            None => self.default_alias()?,
        };
        let locked: bool = self.property(path.as_str(), COLLECTION_IFACE, "Locked")?;
        if locked {
            self.unlock(std::slice::from_ref(&path))?;
        }
        Ok(path)
    }

    /// The collection whose label is `label`.
    fn labelled(&self, label: &str) -> Result<OwnedObjectPath, KeychainError> {
        let collections: Vec<OwnedObjectPath> =
            self.property(SERVICE_PATH, SERVICE_IFACE, "Collections")?;
        for path in collections {
            let name: String = self.property(path.as_str(), COLLECTION_IFACE, "Label")?;
            if name == label {
                return Ok(path);
            }
        }
        Err(KeychainError::NoCollection {
            provider: self.provider.clone(),
            label: label.to_owned(),
        })
    }

    fn default_alias(&self) -> Result<OwnedObjectPath, KeychainError> {
        let mut path: OwnedObjectPath =
            self.call(SERVICE_PATH, SERVICE_IFACE, "ReadAlias", &("default",))?;
        if path.as_str() == "/" {
            let properties =
                HashMap::from([(format!("{COLLECTION_IFACE}.Label"), Value::from("Login"))]);
            let (created, prompt): (OwnedObjectPath, OwnedObjectPath) = self.call(
                SERVICE_PATH,
                SERVICE_IFACE,
                "CreateCollection",
                &(properties, "default"),
            )?;
            path = if prompt.as_str() == "/" {
                created
            } else {
                OwnedObjectPath::try_from(self.prompt(&prompt, true)?)
                    .map_err(|_| KeychainError::Locked(self.provider.clone()))?
            };
        }
        Ok(path)
    }

    fn item_properties(
        label: &str,
        attributes: &HashMap<&str, &str>,
    ) -> HashMap<String, Value<'static>> {
        let attributes: HashMap<String, String> = attributes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        HashMap::from([
            (format!("{ITEM_IFACE}.Label"), Value::from(label.to_owned())),
            (format!("{ITEM_IFACE}.Attributes"), Value::from(attributes)),
        ])
    }

    fn seal(&self, secret: &[u8], content_type: &str) -> Result<SecretStruct, KeychainError> {
        self.session
            .seal(secret, content_type)
            .ok_or_else(|| KeychainError::Failed {
                detail: "a secret could not be encrypted for the session".into(),
            })
    }

    /// Creates (or replaces) one item, running the prompt the service may ask for; whether it
    /// asked for one.
    pub fn create(
        &self,
        collection: &OwnedObjectPath,
        label: &str,
        attributes: &HashMap<&str, &str>,
        secret: &[u8],
        content_type: &str,
    ) -> Result<bool, KeychainError> {
        let (_, prompt): (OwnedObjectPath, OwnedObjectPath) = self.call(
            collection.as_str(),
            COLLECTION_IFACE,
            "CreateItem",
            &(
                Self::item_properties(label, attributes),
                self.seal(secret, content_type)?,
                true,
            ),
        )?;
        let prompted = prompt.as_str() != "/";
        if prompted {
            self.prompt(&prompt, false)?;
        }
        Ok(prompted)
    }

    /// Creates (or replaces) many items, calling `progress(done)` as they are. The first goes
    /// alone: where it needed a prompt (KeePassXC asks one for every item), the rest go one by
    /// one with theirs; else they are sent ahead of their answers. On an error, some may have
    /// been created: the caller deletes them all.
    pub fn create_many(
        &self,
        collection: &OwnedObjectPath,
        items: &[(HashMap<&str, &str>, &str, &[u8])],
        content_type: &str,
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), KeychainError> {
        let Some(((attributes, label, secret), rest)) = items.split_first() else {
            return Ok(());
        };
        if self.create(collection, label, attributes, secret, content_type)? {
            progress(1);
            for (done, (attributes, label, secret)) in rest.iter().enumerate() {
                self.create(collection, label, attributes, secret, content_type)?;
                progress(done + 2);
            }
            return Ok(());
        }
        progress(1);
        let connection = self.connection.inner();
        let create = |(attributes, label, secret): &(HashMap<&str, &str>, &str, &[u8])| {
            let properties = Self::item_properties(label, attributes);
            let sealed = self.seal(secret, content_type);
            async move {
                let reply = connection
                    .call_method(
                        Some(DESTINATION),
                        collection,
                        Some(COLLECTION_IFACE),
                        "CreateItem",
                        &(properties, sealed?, true),
                    )
                    .await
                    .map_err(|e| self.error(e))?;
                let (_, prompt): (OwnedObjectPath, OwnedObjectPath) =
                    reply.body().deserialize().map_err(|e| self.error(e))?;
                Ok::<_, KeychainError>(prompt)
            }
        };
        let mut unused = Vec::new();
        let mut done = 1;
        let last_answer = Cell::new(Instant::now());
        let outcome = wait::within_answers(&self.provider, &last_answer, async {
            let mut answers = futures_util::stream::iter(rest)
                .map(create)
                .buffered(IN_FLIGHT);
            let mut failure = None;
            // Every answer is read, so that a prompt the service asked for is never left behind.
            while let Some(answer) = answers.next().await {
                last_answer.set(Instant::now());
                match answer {
                    Ok(prompt) if prompt.as_str() == "/" => {
                        done += 1;
                        progress(done);
                    }
                    // The collection was locked meanwhile: this item waits for its prompt.
                    Ok(prompt) => unused.push(prompt),
                    Err(e) => {
                        failure.get_or_insert(e);
                    }
                }
            }
            failure.map_or(Ok(()), Err)
        });
        for prompt in &unused {
            self.dismiss(prompt);
        }
        outcome?;
        if !unused.is_empty() {
            return Err(KeychainError::Locked(self.provider.clone()));
        }
        Ok(())
    }

    /// Takes back a prompt that will not be run.
    fn dismiss(&self, prompt: &OwnedObjectPath) {
        let _ = self.connection.call_method(
            Some(DESTINATION),
            prompt,
            Some(PROMPT_IFACE),
            "Dismiss",
            &(),
        );
    }

    /// Deletes an item, running the prompt the service may ask for (KeePassXC's confirmation).
    pub fn delete(&self, item: &OwnedObjectPath) -> Result<(), KeychainError> {
        let prompt: OwnedObjectPath = self.call(item.as_str(), ITEM_IFACE, "Delete", &())?;
        if prompt.as_str() != "/" {
            self.prompt(&prompt, false)?;
        }
        Ok(())
    }

    /// Sets the label a person sees.
    pub fn set_label(&self, item: &OwnedObjectPath, label: &str) -> Result<(), KeychainError> {
        self.call::<_, ()>(
            item.as_str(),
            PROPERTIES_IFACE,
            "Set",
            &(ITEM_IFACE, "Label", Value::from(label)),
        )
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.connection.call_method(
            Some(DESTINATION),
            &self.session.path,
            Some(SESSION_IFACE),
            "Close",
            &(),
        );
    }
}

/// Which program serves the Secret Service, from its process's name; [`Provider::Unknown`]
/// where that can't be read (another PID namespace, a sandbox).
fn provider(connection: &zbus::blocking::Connection) -> Provider {
    let dbus = |method: &str, arg: &str| {
        connection.call_method(
            Some("org.freedesktop.DBus"),
            "/org/freedesktop/DBus",
            Some("org.freedesktop.DBus"),
            method,
            &(arg,),
        )
    };
    let Ok(owner) =
        dbus("GetNameOwner", DESTINATION).and_then(|r| r.body().deserialize::<String>())
    else {
        return Provider::Unknown;
    };
    let pid =
        dbus("GetConnectionUnixProcessID", &owner).and_then(|r| r.body().deserialize::<u32>());
    let program = pid
        .ok()
        .and_then(|pid| std::fs::read_to_string(format!("/proc/{pid}/comm")).ok())
        .map(|comm| comm.trim().to_owned());
    match program.as_deref() {
        // The kernel keeps 15 characters of the name.
        Some("gnome-keyring-d" | "gnome-keyring-daemon") => Provider::GnomeKeyring,
        Some("keepassxc") => Provider::KeePassXC,
        Some("kwalletd5" | "kwalletd6" | "ksecretd") => Provider::KWallet,
        Some(other) if !other.is_empty() => Provider::Other(other.to_owned()),
        _ => Provider::Unknown,
    }
}

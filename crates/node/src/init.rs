//! Opening a data directory; the first open initialises it (default API root, `admin`).

use anyhow::{Context, Result};
use std::path::Path;
use std::sync::{Arc, Mutex};
use store::{ApiRoot, Store, User};

/// Path segment of the API root every new node gets.
pub const DEFAULT_API_ROOT: &str = "api1";
/// The administrator every new node gets.
pub const ADMIN: &str = "admin";
/// Environment variable that sets the administrator's password at initialisation.
pub const ADMIN_PASSWORD_ENV: &str = "SYMBOLON_ADMIN_PASSWORD";
/// Default `max_content_length` of the default API root: 256 MiB.
pub const DEFAULT_MAX_CONTENT_LENGTH: u64 = 256 << 20;

/// An opened node: its store, audit log and key, and the operator principal the CLI acts as.
#[derive(Clone)]
pub struct Node {
    /// The data directory.
    pub dir: std::path::PathBuf,
    pub store: Arc<store::SqliteStore>,
    pub operator: policy::Principal,
    pub policy: Arc<policy::Policy>,
    pub key: ed25519_dalek::SigningKey,
    pub audit: Arc<Mutex<audit::AuditLog>>,
}

/// Opens `dir`, initialising it if it holds no node yet. On initialisation the `admin`
/// password comes from `SYMBOLON_ADMIN_PASSWORD`, or is generated and printed once.
pub fn open(dir: &Path) -> Result<Node> {
    let store = store::SqliteStore::open(dir)
        .with_context(|| format!("opening the node in {}", dir.display()))?;
    if store.api_roots()?.is_empty() {
        store.create_api_root(&ApiRoot {
            name: DEFAULT_API_ROOT.into(),
            title: "Symbolon default API root".into(),
            description: Some("Collections of this competent authority".into()),
            max_content_length: DEFAULT_MAX_CONTENT_LENGTH,
        })?;
    }
    if store.user(ADMIN)?.is_none() {
        let (password, generated) = match std::env::var(ADMIN_PASSWORD_ENV) {
            Ok(p) if !p.is_empty() => (p, false),
            _ => (policy::password::generate(), true),
        };
        let hash = policy::password::hash(&password).context("hashing the admin password")?;
        store.put_user(&User {
            name: ADMIN.into(),
            password_hash: hash,
            is_admin: true,
            kind: "local".into(),
            purposes: Vec::new(),
        })?;
        if generated {
            eprintln!("Initialised a new node in {}.", dir.display());
            eprintln!("User `{ADMIN}` has the password: {password}");
            eprintln!(
                "It is shown only this once (set {ADMIN_PASSWORD_ENV} at initialisation to choose it)."
            );
        }
    }
    let key = crate::identity::load_or_create(dir)?;
    let audit = audit::AuditLog::open(dir, key.clone()).context("opening the audit log")?;
    let policy = policy_in(dir, &key)?;
    Ok(Node {
        dir: dir.to_owned(),
        store: Arc::new(store),
        operator: policy::Principal::admin(ADMIN),
        policy: Arc::new(policy),
        key,
        audit: Arc::new(Mutex::new(audit)),
    })
}

/// The policy of the node in `dir`: under its agreement (file, membership and the signed
/// notifications held), or without one.
pub fn policy_in(dir: &Path, key: &ed25519_dalek::SigningKey) -> Result<policy::Policy> {
    Ok(
        match crate::agreement::terms(dir, key.verifying_key().to_bytes())? {
            Some(terms) => policy::Policy::under(terms),
            None => policy::Policy::default(),
        },
    )
}

impl Node {
    /// Appends an event to the audit log (durably, with a new signed tree head).
    pub fn record(&self, event: &crate::events::Event) -> Result<u64> {
        let bytes = event.canonical()?;
        let mut log = self.audit.lock().unwrap_or_else(|p| p.into_inner());
        Ok(log
            .append(&[bytes])
            .context("appending to the audit log")?
            .0)
    }

    /// Resolves a collection given by id or alias, in any API root.
    pub fn collection(&self, id_or_alias: &str) -> Result<store::Collection> {
        self.store
            .collection(None, id_or_alias)?
            .with_context(|| format!("no collection with id or alias `{id_or_alias}`"))
    }
}

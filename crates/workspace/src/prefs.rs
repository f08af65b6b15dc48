//! Each user's language, remembered across sessions (`?lang=` on any page sets it), in a
//! small file beside the node's databases: a preference, not a record of the agreement.

use crate::i18n::Lang;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub struct Prefs {
    path: PathBuf,
    langs: Mutex<BTreeMap<String, String>>,
}

impl Prefs {
    /// The preferences kept at `path` (none yet, or unreadable: none).
    pub fn load(path: &Path) -> Prefs {
        let langs = std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Prefs {
            path: path.to_owned(),
            langs: Mutex::new(langs),
        }
    }

    pub fn lang(&self, user: &str) -> Option<Lang> {
        let langs = self.langs.lock().unwrap_or_else(|p| p.into_inner());
        langs.get(user).and_then(|c| Lang::from_code(c))
    }

    /// Remembers `user`'s language (the file replaced whole: [`crate::keep`]).
    pub fn set_lang(&self, user: &str, lang: Lang) {
        let mut langs = self.langs.lock().unwrap_or_else(|p| p.into_inner());
        if langs.get(user).map(String::as_str) == Some(lang.code()) {
            return;
        }
        langs.insert(user.to_owned(), lang.code().to_owned());
        let Ok(text) = serde_json::to_vec_pretty(&*langs) else {
            return;
        };
        let written = crate::keep::replace(&self.path, &text);
        if let Err(e) = written {
            tracing::warn!(
                "could not remember the language of {user} in {}: {e}",
                self.path.display()
            );
        }
    }
}

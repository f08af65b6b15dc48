//! What one request decided about the objects it looked at, as its audit entry records it.

use sha2::{Digest, Sha256};

/// Served, redacted and withheld counts, and a digest of what was served in order.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub served: u64,
    pub redacted: u64,
    pub withheld: crate::events::ByArticle,
    /// SHA-256 over `"{id} {version}\n"` of each object served, in the order served.
    digest: Sha256,
}

impl Tally {
    pub fn serve(&mut self, id: &str, version: &str, redacted: bool) {
        self.served += 1;
        self.redacted += u64::from(redacted);
        self.digest.update(id.as_bytes());
        self.digest.update(b" ");
        self.digest.update(version.as_bytes());
        self.digest.update(b"\n");
    }

    pub fn withhold(&mut self, article: policy::Article) {
        *self.withheld.entry(article.cite().to_owned()).or_default() += 1;
    }

    /// The hex SHA-256 over what was served (see `digest`).
    pub fn digest_hex(&self) -> String {
        hex::encode(self.digest.clone().finalize())
    }
}

//! Every access decision the API makes goes to the audit log: who asked, as which kind of
//! principal, for which purpose (Art. 6.4: the purpose is recorded with the access), under
//! which policy version, what was served (count and digest), redacted and withheld (by the
//! article that withheld it), or why the request was refused. One entry per request (per
//! page), RFC 8785 canonical JSON, appended by the node's `audit::Recorder`.

use crate::AppState;
use crate::error::TaxiiError;
use axum::http::StatusCode;
use policy::{Policy, Principal};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What one request decided about the objects it looked at.
#[derive(Debug, Default)]
pub struct Decisions {
    pub served: u64,
    pub redacted: u64,
    pub withheld: BTreeMap<String, u64>,
    /// SHA-256 over `"{id} {version}\n"` of each object served, in the order served.
    digest: Sha256,
}

impl Decisions {
    pub fn serve(&mut self, id: &str, version: &str, redacted: bool) {
        self.served += 1;
        self.redacted += u64::from(redacted);
        self.digest.update(id.as_bytes());
        self.digest.update(b" ");
        self.digest.update(version.as_bytes());
        self.digest.update(b"\n");
    }

    /// `versions` versions of `id` deleted: counted as served, the id digested once.
    pub fn remove(&mut self, id: &str, versions: u64) {
        self.served += versions;
        self.digest.update(id.as_bytes());
        self.digest.update(b"\n");
    }

    pub fn withhold(&mut self, article: &str) {
        *self.withheld.entry(article.to_owned()).or_default() += 1;
    }

    /// The hex SHA-256 over what was served (see the field `digest`).
    pub fn digest_hex(&self) -> String {
        hex::encode(self.digest.clone().finalize())
    }
}

#[derive(Serialize)]
struct AccessEvent<'a> {
    event: &'static str,
    at: String,
    principal: &'a str,
    principal_kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    purpose: Option<&'a str>,
    policy_version: u32,
    endpoint: &'static str,
    collection: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'a str>,
    decision: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    served: u64,
    redacted: u64,
    withheld: &'a BTreeMap<String, u64>,
    served_sha256: String,
}

/// The request a decision entry describes.
pub struct Request<'a> {
    /// The policy that decided (the one current when the request began).
    pub policy: &'a Policy,
    pub principal: &'a Principal,
    pub declared: Option<&'a str>,
    pub endpoint: &'static str,
    pub collection: &'a str,
    pub object: Option<&'a str>,
}

/// Records what a request decided: `Ok` with the per-object decisions, or the refusal of
/// the whole request.
pub fn record(state: &AppState, req: &Request, outcome: Result<&Decisions, &str>) {
    let Some(recorder) = &state.recorder else {
        return;
    };
    let empty = Decisions::default();
    let (decision, reason, d) = match outcome {
        Ok(d) => ("allow", None, d),
        Err(why) => ("deny", Some(why), &empty),
    };
    let policy = req.policy;
    let ev = AccessEvent {
        event: "access",
        at: stix::timestamp::format(store::now_micros()),
        principal: &req.principal.name,
        principal_kind: req.principal.kind.text(),
        purpose: policy.purpose_of(req.principal, req.declared),
        policy_version: policy.version(),
        endpoint: req.endpoint,
        collection: req.collection,
        object: req.object,
        decision,
        reason,
        served: d.served,
        redacted: d.redacted,
        withheld: &d.withheld,
        served_sha256: d.digest_hex(),
    };
    match serde_jcs::to_vec(&ev) {
        Ok(bytes) => recorder.submit(bytes),
        Err(e) => tracing::error!(error = %e, "could not encode an access decision"),
    }
}

/// Records a request the policy refused as a whole (403); other failures (not found, bad
/// parameters) are no access decision.
pub fn refused(state: &AppState, req: &Request, error: &TaxiiError) {
    if error.status == StatusCode::FORBIDDEN {
        record(state, req, Err(error.description.as_deref().unwrap_or("")));
    }
}

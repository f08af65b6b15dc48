//! The node's side of the agreement's ledger (`policy::ledger`): making, signing, exchanging
//! and keeping consent requests, consents, revocations and confidentiality notices.
//!
//! A record this node makes is signed with its key; a record from another node is kept only
//! if it is signed by the key the agreement gives its signer. Kept records are in the store
//! (`ledger` table), so a running server applies them at its next request; every record
//! kept is also an audit event.

use crate::Node;
use crate::events::Event;
use anyhow::{Context, Result, bail};
use policy::ledger::{
    Consent, ConsentRequest, ConsentTerms, Notice, NoticeReach, Record, Revocation, Scope, Signed,
};
use store::Store;

fn terms(node: &Node) -> Result<&policy::Terms> {
    node.policy
        .terms()
        .context("this node is not under an agreement yet (run `symbolon agreement init`)")
}

fn new_id(kind: &str) -> String {
    format!("{kind}--{}", uuid::Uuid::new_v4())
}

/// Checks a record and keeps it; `false` if a record with its id was already kept.
fn keep(node: &Node, signed: &Signed) -> Result<bool> {
    let t = terms(node)?;
    signed
        .verify(&t.keys)
        .and_then(|()| signed.record.check(&t.agreement, &t.purposes))
        .map_err(anyhow::Error::msg)?;
    let r = &signed.record;
    let added = node.store.put_record(&store::LedgerRecord {
        id: r.id().to_owned(),
        kind: r.kind().to_owned(),
        json: serde_json::to_string(signed)?,
    })?;
    if added {
        node.record(&Event::LedgerRecord {
            at: crate::events::now(),
            kind: r.kind(),
            id: r.id(),
            signer: r.signer(),
            sha256: crate::events::sha256_hex(&serde_jcs::to_vec(signed)?),
        })?;
    }
    Ok(added)
}

fn sign_and_keep(node: &Node, record: Record) -> Result<Signed> {
    let signed = Signed::sign(record, &node.key).map_err(anyhow::Error::msg)?;
    keep(node, &signed)?;
    Ok(signed)
}

/// What a consent request asks for, as the CLI takes it.
pub struct Ask {
    pub originator: String,
    pub recipient: String,
    pub purpose: String,
    pub scope: Scope,
    pub expires: String,
    pub note: Option<String>,
}

/// Art. 6.2, the holder's side: asks the originator to let information go to a third party.
/// The signed request is kept here and printed for the originator's node.
pub fn request(node: &Node, ask: Ask) -> Result<Signed> {
    let t = terms(node)?;
    t.known_authority(&ask.originator)
        .map_err(anyhow::Error::msg)?;
    if ask.originator == t.authority {
        bail!(
            "`{}` is this node's own authority: no consent is needed for its own information",
            ask.originator
        );
    }
    let recipient = node
        .store
        .user(&ask.recipient)?
        .with_context(|| format!("--recipient: no user `{}` on this node", ask.recipient))?;
    if recipient.kind != "third-party" {
        bail!(
            "--recipient: `{}` is not a third party (its kind is `{}`); consent is for third parties (Art. 6.2)",
            ask.recipient,
            recipient.kind
        );
    }
    if let Scope::Collection(c) = &ask.scope {
        node.collection(c)?;
    }
    sign_and_keep(
        node,
        Record::ConsentRequest(ConsentRequest {
            id: new_id("consent-request"),
            agreement: t.agreement.clone(),
            terms: ConsentTerms {
                originator: ask.originator,
                holder: t.authority.clone(),
                recipient: ask.recipient,
                purpose: ask.purpose,
                scope: resolve_scope(node, ask.scope)?,
                expires: ask.expires,
            },
            requested_at: crate::events::now(),
            note: ask.note,
        }),
    )
}

/// A collection named by alias becomes its TAXII id: the consent must name it unambiguously.
fn resolve_scope(node: &Node, scope: Scope) -> Result<Scope> {
    Ok(match scope {
        Scope::Collection(c) => Scope::Collection(node.collection(&c)?.id),
        s => s,
    })
}

/// Art. 6.2, the originator's side: grants a request signed by the holder. `expires` may
/// shorten (never lengthen) what was asked.
pub fn grant(node: &Node, asked: &Signed, expires: Option<String>) -> Result<Signed> {
    let t = terms(node)?;
    let Record::ConsentRequest(req) = &asked.record else {
        bail!(
            "the file holds a {}, not a consent request",
            asked.record.kind()
        );
    };
    if req.terms.originator != t.authority {
        bail!(
            "the request asks `{}` for consent; this node is `{}`",
            req.terms.originator,
            t.authority
        );
    }
    let mut terms = req.terms.clone();
    if let Some(e) = expires {
        if policy::lifecycle::Day::parse(&e).is_none() {
            bail!("--expires `{e}` is not a date (YYYY-MM-DD)");
        }
        if e > terms.expires {
            bail!(
                "--expires {e} is later than the {} the holder asked for",
                terms.expires
            );
        }
        terms.expires = e;
    }
    // Keeping the request checks its signature (the holder's) and contents.
    keep(node, asked)?;
    sign_and_keep(
        node,
        Record::Consent(Consent {
            id: new_id("consent"),
            agreement: t.agreement.clone(),
            terms,
            granted_at: crate::events::now(),
            request: Some(req.id.clone()),
        }),
    )
}

/// Revokes a consent this node's authority granted; takes effect wherever it is accepted.
pub fn revoke(node: &Node, consent: &str) -> Result<Signed> {
    let t = terms(node)?;
    node.policy.refresh(node.store.as_ref())?;
    let ours = node
        .policy
        .held()
        .consents_on(policy::lifecycle::Day::today())
        .into_iter()
        .any(|(terms, id, _)| id == consent && terms.originator == t.authority);
    if !ours {
        bail!(
            "no consent `{consent}` granted by `{}` is held here",
            t.authority
        );
    }
    sign_and_keep(
        node,
        Record::Revocation(Revocation {
            id: new_id("revocation"),
            agreement: t.agreement.clone(),
            consent: consent.to_owned(),
            originator: t.authority.clone(),
            revoked_at: crate::events::now(),
        }),
    )
}

/// Art. 6.3: raises the protection of this authority's objects (or parts of them) on every
/// node that holds copies; here it applies at once.
pub fn notice(
    node: &Node,
    objects: Vec<String>,
    properties: Vec<String>,
    reach: NoticeReach,
    reason: Option<String>,
) -> Result<Signed> {
    let t = terms(node)?;
    sign_and_keep(
        node,
        Record::Notice(Notice {
            id: new_id("notice"),
            agreement: t.agreement.clone(),
            originator: t.authority.clone(),
            objects,
            properties,
            reach,
            issued_at: crate::events::now(),
            reason,
        }),
    )
}

/// Keeps records made by other nodes (a consent, a revocation, a notice, a request), each
/// checked against its signer's key. Returns how many were new.
pub fn accept(node: &Node, records: &[Signed]) -> Result<usize> {
    let mut added = 0;
    for (i, s) in records.iter().enumerate() {
        if keep(node, s).with_context(|| format!("record #{}", i + 1))? {
            added += 1;
        }
    }
    Ok(added)
}

/// Reads one signed record or a list of them from a file (`-`: stdin).
pub fn read_records(path: &str) -> Result<Vec<Signed>> {
    let bytes = if path == "-" {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)?;
        b
    } else {
        std::fs::read(path).with_context(|| format!("reading {path}"))?
    };
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).with_context(|| format!("{path} is not JSON"))?;
    let list = match value {
        serde_json::Value::Array(items) => items,
        one => vec![one],
    };
    list.into_iter()
        .enumerate()
        .map(|(i, v)| {
            serde_json::from_value(v)
                .with_context(|| format!("{path}: record #{} is not a signed ledger record", i + 1))
        })
        .collect()
}

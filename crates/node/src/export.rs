//! `symbolon export`: one STIX 2.1 bundle holding every version in a collection, streamed
//! from a store cursor, each object passed through the policy like any other read. With a
//! recipient (`--for`), the bundle holds what that user may receive, for the declared
//! purpose: a transfer outside TAXII (to a third party, only with the originator's consent
//! for what was obtained from another authority, Art. 6.2). Every export is audited.

use crate::Node;
use crate::events::Event;
use anyhow::{Context, Result};
use policy::{Access, Action, Decision, Served};
use std::io::Write;
use std::ops::ControlFlow;
use store::{Filter, Store, VersionSel};
use taxii::decisions::Decisions;

/// Writes the bundle to `out` for `recipient` (the operator when `None`); returns how many
/// objects it holds.
pub fn run(
    node: &Node,
    collection: &str,
    recipient: Option<&str>,
    purpose: Option<&str>,
    out: &mut dyn Write,
) -> Result<usize> {
    let coll = node.collection(collection)?;
    let principal = match recipient {
        None => node.operator.clone(),
        Some(name) => {
            let user = node
                .store
                .user(name)?
                .with_context(|| format!("--for: no user `{name}` on this node"))?;
            policy::Principal::from_user(&user, &node.store.grants(name)?)
        }
    };
    let access = Access {
        principal: &principal,
        collection: coll.key,
        action: Action::Read,
        purpose,
    };
    if let Decision::Deny(why) = node.policy.permits(&access) {
        anyhow::bail!("export for `{}` refused: {why}", principal.name);
    }
    let filter = Filter {
        versions: vec![VersionSel::All],
        with_body: true,
        ..Filter::default()
    };
    write!(
        out,
        "{{\"type\":\"bundle\",\"id\":\"bundle--{}\",\"objects\":[",
        uuid::Uuid::new_v4()
    )?;
    // Like every read loop (`taxii::read::page`): the markings stored so far, then decide.
    node.policy
        .refresh(node.store.as_ref())
        .context("reading the marking definitions held")?;
    // The same account of decisions as a TAXII request's audit entry.
    let mut decided = Decisions::default();
    let mut failed: Option<std::io::Error> = None;
    node.store.scan(coll.key, &filter, &mut |mut row| {
        let served = node.policy.serve(&access, &mut row);
        if let Some(article) = served.article() {
            decided.withhold(article);
            return ControlFlow::Continue(());
        }
        let sep: &[u8] = if decided.served == 0 { b"\n" } else { b",\n" };
        if let Err(e) = out
            .write_all(sep)
            .and_then(|_| out.write_all(row.json.as_bytes()))
        {
            failed = Some(e);
            return ControlFlow::Break(());
        }
        decided.serve(&row.id, &row.version, served == Served::Redacted);
        ControlFlow::Continue(())
    })?;
    if let Some(e) = failed {
        return Err(e).context("writing the bundle");
    }
    out.write_all(b"\n]}\n")?;
    out.flush().context("writing the bundle")?;
    node.record(&Event::Transfer {
        at: crate::events::now(),
        principal: &node.operator.name,
        recipient: &principal.name,
        purpose: node.policy.purpose_of(&principal, purpose),
        policy_version: node.policy.version(),
        collection: &coll.id,
        served: decided.served,
        redacted: decided.redacted,
        withheld: &decided.withheld,
        served_sha256: decided.digest_hex(),
    })?;
    Ok(decided.served as usize)
}

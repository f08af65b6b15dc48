//! `symbolon export`: one STIX 2.1 bundle holding every version in a collection, streamed
//! from a store cursor, each object passed through the policy like any other read.

use crate::Node;
use anyhow::{Context, Result};
use policy::{Access, Action};
use std::io::Write;
use std::ops::ControlFlow;
use store::{Filter, Store, VersionSel};

/// Writes the bundle to `out`; returns how many objects it holds.
pub fn run(node: &Node, collection: &str, out: &mut dyn Write) -> Result<usize> {
    let coll = node.collection(collection)?;
    let access = Access {
        principal: &node.operator,
        collection: coll.key,
        action: Action::Read,
        purpose: None,
    };
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
    let mut count = 0usize;
    let mut failed: Option<std::io::Error> = None;
    node.store.scan(coll.key, &filter, &mut |mut row| {
        if node.policy.serve(&access, &mut row).article().is_some() {
            return ControlFlow::Continue(());
        }
        let sep: &[u8] = if count == 0 { b"\n" } else { b",\n" };
        if let Err(e) = out
            .write_all(sep)
            .and_then(|_| out.write_all(row.json.as_bytes()))
        {
            failed = Some(e);
            return ControlFlow::Break(());
        }
        count += 1;
        ControlFlow::Continue(())
    })?;
    if let Some(e) = failed {
        return Err(e).context("writing the bundle");
    }
    out.write_all(b"\n]}\n")?;
    out.flush().context("writing the bundle")?;
    Ok(count)
}

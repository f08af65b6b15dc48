//! Pushing a local collection to a peer's: what is new since the last push, read through
//! the core's one reader as the peer's principal (each version decided as for any read by
//! that peer, each page's entry durable before it leaves), sealed by this node, POSTed; the
//! cursor moves once the peer acknowledged the page (a page sent twice after a crash is
//! recognised there as already present).

use super::pull::PAGE;
use super::report::Pushed;
use anyhow::{Context, Result, bail};
use federation::client::PeerClient;
use federation::request::Identity;
use federation::wire::Status;
use store::{Peer, SyncCursor, VersionSel};
use symbolon_core::events::{ByArticle, Event};
use symbolon_core::{Caller, Core, Want};

/// One page read for the peer: its envelope and seal.
struct Outgoing {
    body: Vec<u8>,
    seal: String,
    count: usize,
}

pub fn collection(
    core: &Core,
    client: &PeerClient,
    me: &Identity,
    peer: &Peer,
    root: &str,
    mut cursor: SyncCursor,
) -> Result<Pushed> {
    let principal = core
        .principal(&peer.id)?
        .with_context(|| format!("peer `{}` has no user on this node", peer.id))?;
    let local = core
        .collections()?
        .into_iter()
        .find(|c| c.key == cursor.local)
        .context("the collection a push sends from is gone")?;
    let caller = Caller {
        principal: &principal,
        purpose: None,
    };
    let mut pushed = Pushed {
        local: local.id.clone(),
        remote: cursor.remote.clone(),
        ..Default::default()
    };
    let (mut sent, mut redacted, mut withheld) = (0u64, 0u64, ByArticle::new());
    let mut served = sha2::Sha256::default();
    let path = format!("{root}collections/{}/objects/", cursor.remote);
    let only_own = core.is_reply(&cursor)?;
    loop {
        let want = Want {
            only_own,
            after: cursor.added_after.as_deref().and_then(|a| a.parse().ok()),
            versions: vec![VersionSel::All],
            limit: Some(PAGE),
            with_body: true,
            ..Want::default()
        };
        let ((outgoing, through, more), tally) =
            core.read_tallied(&caller, "push", &local, &want, |page| {
                let outgoing = (!page.rows.is_empty()).then(|| {
                    federation::provenance::seal_page(
                        me,
                        page.rows
                            .iter()
                            .map(|r| (r.json.as_str(), r.origin.as_deref())),
                        &symbolon_core::events::now(),
                        None,
                    )
                    .map(|seal| Outgoing {
                        body: format!(
                            "{{\"objects\":[{}]}}",
                            page.rows
                                .iter()
                                .map(|r| r.json.as_str())
                                .collect::<Vec<_>>()
                                .join(",")
                        )
                        .into_bytes(),
                        seal: seal.to_header(),
                        count: page.rows.len(),
                    })
                });
                (outgoing, page.through, page.more)
            })?;
        pushed.withheld += tally.withheld.values().sum::<u64>();
        for (article, n) in &tally.withheld {
            *withheld.entry(article.clone()).or_default() += n;
        }
        redacted += tally.redacted;
        if let Some(page) = outgoing {
            let page = page?;
            let answer = client.send_sealed(&path, page.body, &page.seal)?;
            client.expect(&answer, 202, &path)?;
            let status: Status = serde_json::from_slice(&answer.body)
                .with_context(|| format!("the status `{}` answered to a push", peer.id))?;
            let failures = status.failures.unwrap_or_default();
            pushed.sent += accepted(&peer.id, page.count, failures.len())?;
            sent += page.count as u64;
            sha2::Digest::update(&mut served, tally.digest_hex().as_bytes());
            pushed.refused.extend(failures.into_iter().map(|f| {
                (
                    f.id.into_owned(),
                    f.message.unwrap_or_default().into_owned(),
                )
            }));
        }
        // What this page decided (sent, or kept home) is not decided again at the next
        // sync: the cursor moves past it once the peer has acknowledged what was sent.
        if let Some(t) = through {
            cursor.added_after = Some(t.to_string());
            core.put_cursor(&cursor)?;
        }
        if !more {
            break;
        }
    }
    let policy = core.policy()?;
    core.record(&Event::SyncPushed {
        at: symbolon_core::events::now(),
        peer: &peer.id,
        collection: &local.id,
        remote: &cursor.remote,
        purpose: policy.purpose_of(&principal, None),
        policy_version: policy.version(),
        sent,
        redacted,
        withheld: &withheld,
        served_sha256: hex::encode(sha2::Digest::finalize(served)),
        cursor: cursor.added_after.as_deref(),
    })?;
    Ok(pushed)
}

/// How many objects of a page of `sent` the peer took, by its status: a status naming more
/// failures than objects were sent is the peer's error, never a number to go on with.
fn accepted(peer: &str, sent: usize, failures: usize) -> Result<u64> {
    match sent.checked_sub(failures) {
        Some(n) => Ok(n as u64),
        None => bail!("peer `{peer}` reports {failures} failures for a page of {sent} objects"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_peer_that_reports_more_failures_than_objects_is_an_error() {
        assert_eq!(super::accepted("ru", 5, 2).unwrap(), 3);
        assert_eq!(super::accepted("ru", 5, 5).unwrap(), 0);
        assert!(super::accepted("ru", 5, 6).is_err());
        assert!(super::accepted("ru", 0, usize::MAX).is_err());
    }
}

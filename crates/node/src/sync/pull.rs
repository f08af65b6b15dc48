//! Pulling a peer's collections: every collection it lets this node read, page by page from
//! the stored cursor, in three overlapping stages (fetch over HTTP; check the answer's
//! signature and the page's seal, then admit each object through the core's one ingest
//! decision; store pages with their seals and the cursor after them, ~25,000 objects to a
//! transaction, each with its audit entry).
//!
//! A page that does not come sealed by the peer's key over exactly the objects it holds is
//! quarantined, nothing of it is stored and the cursor stays, so the next run asks again.
//! A node killed mid-sync resumes where its last commit ended, and objects a peer repeats
//! are recognised as already present.

use super::report::Pulled;
use anyhow::{Context, Result};
use federation::client::{Answer, PeerClient};
use federation::distrust::Distrust;
use federation::provenance::{SEAL_HEADER, Seal};
use federation::wire::{CollectionInfo, CollectionList, Discovery, Envelope};
use store::{Peer, SyncCursor};
use symbolon_core::events::{Event, VersionDigest};
use symbolon_core::ingest::{Admitted, Intake};
use symbolon_core::{Caller, Core, Verdict};

/// Objects asked for per page.
pub const PAGE: usize = 5000;
/// Objects per transaction of a pull (several pages; the cursor commits with them).
const COMMIT_OBJECTS: usize = 25_000;

/// The path part of a URL the peer gave (its host may be a name this node does not use).
fn path_of(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/".into(), |i| rest[i..].to_owned()),
        None => url.to_owned(),
    }
}

/// A peer's API roots (paths) and the collections it lets this node read, each with the
/// path of its root.
pub struct PeerCollections {
    pub roots: Vec<String>,
    pub readable: Vec<(String, CollectionInfo)>,
}

/// The collections `client`'s peer lets this node read, but for the peer's copies of this
/// node's own collections (pulling those would bring this node's objects back to it).
pub fn readable_collections(core: &Core, me: &str, client: &PeerClient) -> Result<PeerCollections> {
    let mine: std::collections::HashSet<String> = core
        .collections()?
        .iter()
        .map(|c| Core::copy_id(me, &c.id))
        .collect();
    let d: Discovery = client.get_json("taxii2/")?;
    let api_roots = d.api_roots.unwrap_or_default();
    let roots: Vec<String> = api_roots.iter().map(|r| path_of(r)).collect();
    let mut readable = Vec::new();
    for root_path in &roots {
        let list: CollectionList = client.get_json(&format!("{root_path}collections/"))?;
        readable.extend(
            list.collections
                .unwrap_or_default()
                .into_iter()
                // Listed with neither right: the peer refuses the purpose this node
                // declares (Art. 6.4). It is asked anyway, so the round fails with the
                // peer's reason instead of passing it over in silence.
                .filter(|c| (c.can_read || !c.can_write) && !mine.contains(&c.id))
                .map(|c| (root_path.clone(), c)),
        );
    }
    Ok(PeerCollections { roots, readable })
}

/// The local collection a peer's collection goes into: one per (peer, collection), with an
/// id derived from both ([`Core::copy_id`]).
pub fn local_collection(core: &Core, peer: &Peer, remote: &CollectionInfo) -> Result<SyncCursor> {
    if let Some(c) = core
        .cursors(&peer.id)?
        .into_iter()
        .find(|c| c.remote == remote.id && !c.push)
    {
        return Ok(c);
    }
    let id = Core::copy_id(&peer.id, &remote.id);
    let collection = match core.collection(&id) {
        Ok(c) => c,
        Err(_) => {
            let alias = format!(
                "{}.{}",
                peer.id,
                remote.alias.as_deref().unwrap_or(&remote.id)
            );
            let title = format!("{} (from {})", remote.title, peer.id);
            let description = format!("Pulled from peer `{}`, collection {}", peer.id, remote.id);
            core.create_collection_with_id(&id, &title, Some(&alias), Some(&description), None)
                .or_else(|_| {
                    core.create_collection_with_id(&id, &title, None, Some(&description), None)
                })?
        }
    };
    let cursor = SyncCursor {
        peer: peer.id.clone(),
        remote: remote.id.clone(),
        local: collection.key,
        push: false,
        added_after: None,
    };
    core.put_cursor(&cursor)?;
    Ok(cursor)
}

/// A page checked and admitted, with the position the next page starts after.
struct Checked {
    admitted: Admitted,
    last: String,
}

/// What the fetching and checking threads hand the storing thread.
enum Fetched {
    Page(Box<Checked>),
    /// A page that is not authentic: why and the body as received.
    Quarantine(Distrust, Vec<u8>),
    Failed(anyhow::Error),
}

/// Checks one answer: its signature, the page's seal over exactly its objects (and the
/// position it names), then admits each object.
fn check_page(
    core: &Core,
    intake: &Intake,
    peer: &Peer,
    answer: &Answer,
) -> std::result::Result<Checked, Distrust> {
    answer
        .authentic
        .clone()
        .map_err(|e| Distrust::NotAuthentic {
            detail: e.to_string(),
        })?;
    let env: Envelope =
        serde_json::from_slice(&answer.body).map_err(|e| Distrust::NotEnvelope {
            detail: e.to_string(),
        })?;
    let objects = env.objects.unwrap_or_default();
    let seal = Seal::from_header(answer.header(SEAL_HEADER).ok_or(Distrust::NotSealed)?)?;
    let sealed = core.check_sealed(peer, &seal, &objects)?;
    // Where to resume is the signer's word (sealed), and the header must agree with it.
    let last = seal.body.last_date_added.clone();
    if let Some(header) = answer.header("x-taxii-date-added-last")
        && last.as_deref() != Some(header)
    {
        return Err(Distrust::LastMismatch);
    }
    let last = match last {
        Some(l) => l,
        None if objects.is_empty() => String::new(),
        None => return Err(Distrust::NoLast),
    };
    Ok(Checked {
        admitted: intake.admit_sealed(&objects, sealed),
        last,
    })
}

/// Fetches pages from the cursor on, asking for the next as soon as one has arrived (it
/// needs only `more` and the last `date_added` for that), while other threads check and
/// store the pages before. Stops after a page without `more`, on an error, or when the
/// receiving side hangs up (a page went to the quarantine).
fn fetch_pages(
    client: &PeerClient,
    collection_path: &str,
    mut after: Option<String>,
    tx: std::sync::mpsc::SyncSender<Result<Answer, anyhow::Error>>,
) {
    loop {
        let mut path = format!("{collection_path}objects/?limit={PAGE}");
        if let Some(a) = &after {
            path.push_str("&added_after=");
            path.push_str(a);
        }
        let answer = client
            .fetch("GET", &path, None)
            .and_then(|a| client.expect(&a, 200, &path).map(|()| a));
        let next = match &answer {
            Ok(a) => serde_json::from_slice::<Envelope>(&a.body)
                .ok()
                .filter(|e| e.more == Some(true))
                .and_then(|_| a.header("x-taxii-date-added-last").map(str::to_owned)),
            Err(_) => None,
        };
        if tx.send(answer.map_err(Into::into)).is_err() {
            return;
        }
        match next {
            Some(n) => after = Some(n),
            None => return,
        }
    }
}

/// Checks each fetched page.
fn check_pages(
    core: &Core,
    intake: &Intake,
    peer: &Peer,
    rx: std::sync::mpsc::Receiver<Result<Answer, anyhow::Error>>,
    tx: std::sync::mpsc::SyncSender<Fetched>,
) {
    for answer in rx {
        let item = match answer {
            Err(e) => Fetched::Failed(e),
            // A page that is not authentic (answer signature or seal) is quarantined whole.
            Ok(a) => match check_page(core, intake, peer, &a) {
                Ok(page) => Fetched::Page(Box::new(page)),
                Err(reason) => Fetched::Quarantine(reason, a.body),
            },
        };
        let last = !matches!(item, Fetched::Page(_));
        if tx.send(item).is_err() || last {
            return;
        }
    }
}

/// Pulls one of the peer's collections.
pub fn collection(
    core: &Core,
    client: &PeerClient,
    peer: &Peer,
    root_path: &str,
    remote: &CollectionInfo,
    sender: Option<&str>,
    progress: bool,
) -> Result<Pulled> {
    let mut cursor = local_collection(core, peer, remote)?;
    let local = core
        .collections()?
        .into_iter()
        .find(|c| c.key == cursor.local)
        .context("the collection a pull writes into is gone")?;
    let mut pulled = Pulled {
        remote: remote.id.clone(),
        local: local.id.clone(),
        ..Default::default()
    };
    let bar = progress.then(|| {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} {pos} objects ({per_sec})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        b.set_message(format!("{} ← {}", peer.id, remote.title));
        b
    });
    // The operator writes what the peer vouched for, each object admitted like any write;
    // what the sender calls its own is recorded as obtained from it.
    let operator = core.operator().clone();
    let intake = core
        .intake(
            &Caller {
                principal: &operator,
                purpose: None,
            },
            "pull",
            &local,
        )?
        .obtained_from(sender);
    let mut digest = VersionDigest::default();
    let collection_path = format!("{root_path}collections/{}/", remote.id);
    let failure = std::thread::scope(|scope| -> Result<Option<anyhow::Error>> {
        let (fetched_tx, fetched_rx) = std::sync::mpsc::sync_channel(2);
        let (checked_tx, checked_rx) = std::sync::mpsc::sync_channel(2);
        let after = cursor.added_after.clone();
        let path = collection_path.as_str();
        scope.spawn(move || fetch_pages(client, path, after, fetched_tx));
        let intake_ref = &intake;
        scope.spawn(move || check_pages(core, intake_ref, peer, fetched_rx, checked_tx));
        let mut pending: Vec<Admitted> = Vec::new();
        let mut flush =
            |pending: &mut Vec<Admitted>, cursor: &SyncCursor, pulled: &mut Pulled| -> Result<()> {
                if pending.is_empty() {
                    return Ok(());
                }
                let n: u64 = pending.iter().map(|p| p.batch.objects.len() as u64).sum();
                let verdicts = core
                    .ingest_pages(&intake, std::mem::take(pending), cursor, &peer.id)
                    .with_context(|| format!("storing pages from `{}`", peer.id))?;
                for v in verdicts {
                    match v {
                        Verdict::Stored {
                            id,
                            version,
                            added: true,
                        } => {
                            digest.push(&id, &version);
                            pulled.added += 1;
                        }
                        Verdict::Stored { added: false, .. } => pulled.unchanged += 1,
                        refused => {
                            if let Some(r) = refused.refusal() {
                                let why = r.reason();
                                pulled.rejected.push((r.id, why));
                            }
                        }
                    }
                }
                if let Some(b) = &bar {
                    b.inc(n);
                }
                Ok(())
            };
        for fetched in checked_rx {
            let page = match fetched {
                Fetched::Page(p) => p,
                Fetched::Failed(e) => {
                    flush(&mut pending, &cursor, &mut pulled)?;
                    return Ok(Some(e));
                }
                Fetched::Quarantine(reason, body) => {
                    flush(&mut pending, &cursor, &mut pulled)?;
                    core.quarantine(&peer.id, &remote.id, &reason, body)?;
                    // The cursor stays: nothing of this page is trusted; the next run asks again.
                    pulled.quarantined.push(reason.to_string());
                    break;
                }
            };
            if page.last.is_empty() {
                break;
            }
            cursor.added_after = Some(page.last.clone());
            pending.push(page.admitted);
            if pending.iter().map(|p| p.batch.objects.len()).sum::<usize>() >= COMMIT_OBJECTS {
                flush(&mut pending, &cursor, &mut pulled)?;
            }
        }
        flush(&mut pending, &cursor, &mut pulled)?;
        Ok(None)
    });
    let failure = failure?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    // What was stored is on record even when the pull stopped early.
    core.record(&Event::SyncPulled {
        at: symbolon_core::events::now(),
        peer: &peer.id,
        remote: &remote.id,
        collection: &local.id,
        added: pulled.added,
        unchanged: pulled.unchanged,
        rejected: pulled.rejected.len() as u64,
        quarantined: pulled.quarantined.len() as u64,
        added_sha256: digest.finish(),
        cursor: cursor.added_after.as_deref(),
    })?;
    match failure {
        Some(e) => Err(e.context(format!(
            "pulling collection {} after {} new objects",
            remote.id, pulled.added
        ))),
        None => Ok(pulled),
    }
}

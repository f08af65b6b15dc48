//! Pulling from peer nodes (federation): for each peer, witness its audit log (and let it
//! witness ours), take the agreement's signed records that travel, then pull every
//! collection it lets this node read, page by page from the stored cursor.
//!
//! Every page must come sealed by the peer's key over exactly the objects it holds
//! (`federation::provenance`); a page that does not is quarantined, nothing of it is
//! stored and the cursor stays, so the next run asks again. A page that checks out is
//! stored with its seal and the cursor that follows it in one transaction
//! (`Store::add_sealed`): a node killed mid-sync resumes where its last commit ended,
//! and objects a peer repeats are recognised as already present.

use crate::Node;
use crate::events::{Event, VersionDigest};
use anyhow::{Context, Result, bail};
use federation::client::{Answer, PeerClient};
use federation::provenance::{SEAL_HEADER, Seal};
use federation::witness::{self, Head};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::time::Duration;
use store::{AddOutcome, Peer, Store, SyncCursor};
use taxii::peer_api::{WitnessPost, WitnessView};

/// Objects asked for per page.
pub const PAGE: usize = 5000;
/// Objects per transaction of a pull (several pages; the cursor commits with them).
const COMMIT_OBJECTS: usize = 25_000;
/// How long one request to a peer may take.
const TIMEOUT: Duration = Duration::from_secs(120);

/// What one collection's pull did.
#[derive(Debug, Default)]
pub struct Pulled {
    pub remote: String,
    pub local: String,
    pub added: u64,
    pub unchanged: u64,
    /// Objects the peer vouched for that are not valid STIX here (id, reason).
    pub rejected: Vec<(String, String)>,
    /// Pages quarantined (provenance did not verify), with the reason.
    pub quarantined: Vec<String>,
}

/// What one collection's push did.
#[derive(Debug, Default)]
pub struct Pushed {
    pub local: String,
    pub remote: String,
    pub sent: u64,
    /// Objects the policy kept home, by article.
    pub withheld: u64,
    /// Objects the peer refused (id, its reason).
    pub refused: Vec<(String, String)>,
}

/// What a run did with one peer.
#[derive(Debug, Default)]
pub struct PeerReport {
    pub peer: String,
    pub pulled: Vec<Pulled>,
    pub pushed: Vec<Pushed>,
    pub records_kept: usize,
    pub notifications_kept: usize,
    /// Why the run with this peer stopped early, if it did.
    pub error: Option<String>,
}

impl PeerReport {
    /// Did the run change anything or need attention? (A background round reports only
    /// those.)
    pub fn eventful(&self) -> bool {
        self.troubled()
            || self.pulled.iter().any(|p| p.added > 0)
            || self.pushed.iter().any(|p| p.sent > 0)
            || self.records_kept + self.notifications_kept > 0
    }

    /// Did anything need the operator's attention?
    pub fn troubled(&self) -> bool {
        self.error.is_some()
            || self
                .pulled
                .iter()
                .any(|p| !p.rejected.is_empty() || !p.quarantined.is_empty())
            || self.pushed.iter().any(|p| !p.refused.is_empty())
    }
}

/// Syncs with every peer (or only `only`); a failing peer does not stop the others.
pub fn run(node: &Node, only: Option<&str>, progress: bool) -> Result<Vec<PeerReport>> {
    let me = crate::peers::identity(node)?;
    let peers = node.store.peers()?;
    if let Some(id) = only
        && !peers.iter().any(|p| p.id == id)
    {
        bail!("no peer `{id}` (see `symbolon peer list`)");
    }
    let mut reports = Vec::new();
    for peer in peers.iter().filter(|p| only.is_none_or(|id| id == p.id)) {
        let mut report = PeerReport {
            peer: peer.id.clone(),
            ..Default::default()
        };
        if let Err(e) = with_peer(node, &me, peer, progress, &mut report) {
            report.error = Some(format!("{e:#}"));
        }
        reports.push(report);
    }
    Ok(reports)
}

fn with_peer(
    node: &Node,
    me: &federation::request::Identity,
    peer: &Peer,
    progress: bool,
    report: &mut PeerReport,
) -> Result<()> {
    if let Some(why) = &peer.halted {
        bail!(
            "exchange with `{}` is halted: {why} (after looking into it: `symbolon peer resume {}`)",
            peer.id,
            peer.id
        );
    }
    let client = client_for(node, me, peer)?;
    witness_each_other(node, &client, peer)?;
    if node.policy.terms().is_some() && is_authority(node, &peer.id)? {
        report.notifications_kept = take_notifications(node, &client)?;
        report.records_kept = take_records(node, &client)?;
    }
    let PeerCollections(roots, readable) = readable_collections(&client)?;
    for (root_path, coll) in readable {
        report.pulled.push(pull_collection(
            node, &client, peer, &root_path, &coll, progress,
        )?);
    }
    for cursor in node.store.cursors(&peer.id)?.into_iter().filter(|c| c.push) {
        let root = roots.first().context("the peer lists no API root")?;
        report
            .pushed
            .push(push_collection(node, &client, me, peer, root, cursor)?);
    }
    Ok(())
}

/// Registers a push of the local collection `local` to the peer's collection `remote`:
/// from then on every sync sends what is new in it, as the policy lets the peer receive it.
pub fn add_push(node: &Node, peer: &str, local: &str, remote: &str) -> Result<()> {
    if node.store.peer(peer)?.is_none() {
        bail!("no peer `{peer}` (see `symbolon peer list`)");
    }
    let c = node.collection(local)?;
    let remote = uuid::Uuid::parse_str(remote)
        .with_context(|| format!("--to must be the peer's collection id (a UUID), not `{remote}`"))?
        .to_string();
    node.store.put_cursor(&SyncCursor {
        peer: peer.into(),
        remote,
        local: c.key,
        push: true,
        added_after: None,
    })?;
    Ok(())
}

#[derive(Deserialize)]
struct PushStatus {
    #[serde(default)]
    failures: Vec<PushFailure>,
}

#[derive(Deserialize)]
struct PushFailure {
    #[serde(default)]
    id: String,
    #[serde(default)]
    message: String,
}

/// Sends what is new in a local collection to the peer, page by page: each object decided
/// by the policy as the peer's principal (the one decision point), each page sealed with
/// this node's key; the cursor moves once the peer has acknowledged the page (a page sent
/// twice after a crash is recognised there as already present).
fn push_collection(
    node: &Node,
    client: &PeerClient,
    me: &federation::request::Identity,
    peer: &Peer,
    root: &str,
    mut cursor: SyncCursor,
) -> Result<Pushed> {
    let user = node
        .store
        .user(&peer.id)?
        .with_context(|| format!("peer `{}` has no user on this node", peer.id))?;
    let principal = policy::Principal::from_user(&user, &node.store.grants(&user.name)?);
    let access = policy::Access {
        principal: &principal,
        collection: cursor.local,
        action: policy::Action::Read,
        purpose: None,
    };
    let local_id = collection_id(node, cursor.local)?;
    if let policy::Decision::Deny(why) = node.policy.permits(&access) {
        bail!("pushing {local_id} to `{}`: {why}", peer.id);
    }
    node.policy.refresh(node.store.as_ref())?;
    let mut pushed = Pushed {
        local: local_id.clone(),
        remote: cursor.remote.clone(),
        ..Default::default()
    };
    let mut decided = taxii::decisions::Decisions::default();
    let path = format!("{root}collections/{}/objects/", cursor.remote);
    loop {
        let filter = store::Filter {
            after_seq: cursor.added_after.as_deref().and_then(|a| a.parse().ok()),
            versions: vec![store::VersionSel::All],
            with_body: true,
            ..Default::default()
        };
        let (mut rows, mut origins, mut last) = (Vec::new(), Vec::new(), None);
        node.store.scan(cursor.local, &filter, &mut |mut row| {
            last = Some(row.date_added);
            let served = node.policy.serve(&access, &mut row);
            match served.article() {
                Some(article) => {
                    decided.withhold(article);
                    pushed.withheld += 1;
                }
                None => {
                    decided.serve(&row.id, &row.version, served == policy::Served::Redacted);
                    rows.push(row.json);
                    origins.push(row.origin);
                }
            }
            if rows.len() == PAGE {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        })?;
        let Some(last) = last else { break };
        if !rows.is_empty() {
            let seal = federation::provenance::seal_page(
                me,
                rows.iter()
                    .zip(&origins)
                    .map(|(r, o)| (r.as_str(), o.as_deref())),
                &crate::events::now(),
                None,
            )
            .map_err(anyhow::Error::msg)?;
            let body = format!("{{\"objects\":[{}]}}", rows.join(",")).into_bytes();
            let answer = client.send_sealed(&path, body, &seal.to_header())?;
            client.expect(&answer, 202, &path)?;
            let status: PushStatus = serde_json::from_slice(&answer.body)
                .with_context(|| format!("the status `{}` answered to a push", peer.id))?;
            pushed.sent += (rows.len() - status.failures.len()) as u64;
            pushed
                .refused
                .extend(status.failures.into_iter().map(|f| (f.id, f.message)));
        }
        cursor.added_after = Some(last.to_string());
        node.store.put_cursor(&cursor)?;
    }
    node.record(&Event::SyncPushed {
        at: crate::events::now(),
        peer: &peer.id,
        collection: &local_id,
        remote: &cursor.remote,
        purpose: principal.purpose(None),
        policy_version: node.policy.terms().map_or(0, |t| t.version),
        sent: decided.served,
        redacted: decided.redacted,
        withheld: &decided.withheld,
        served_sha256: decided.digest_hex(),
        cursor: cursor.added_after.as_deref(),
    })?;
    Ok(pushed)
}

/// The signed client to `peer`, declaring the purpose bound to the exchange.
fn client_for(node: &Node, me: &federation::request::Identity, peer: &Peer) -> Result<PeerClient> {
    let key = federation::public_key(&peer.public_key).map_err(anyhow::Error::msg)?;
    Ok(
        PeerClient::new(&peer.id, &peer.url, key, me.clone(), TIMEOUT)?
            .declaring(exchange_purpose(node, &peer.id)?),
    )
}

/// The purpose this node declares when it asks a peer (Art. 6.4): the first purpose bound to
/// the exchange with that peer (`symbolon peer add --purpose`), none when none is bound.
fn exchange_purpose(node: &Node, peer: &str) -> Result<Option<String>> {
    Ok(node
        .store
        .user(peer)?
        .and_then(|u| u.purposes.first().cloned()))
}

/// The TAXII id of a local collection.
fn collection_id(node: &Node, key: store::CollectionKey) -> Result<String> {
    Ok(node
        .store
        .collections()?
        .into_iter()
        .find(|c| c.key == key)
        .map(|c| c.id)
        .unwrap_or_default())
}

fn is_authority(node: &Node, peer: &str) -> Result<bool> {
    Ok(node.store.user(peer)?.is_some_and(|u| {
        matches!(
            policy::Kind::parse(&u.kind),
            Some(policy::Kind::Authority(_))
        )
    }))
}

fn halt(node: &Node, peer: &Peer, detail: &str) -> Result<()> {
    taxii::peer_api::halt_peer(node.store.as_ref(), &node.audit, peer.clone(), detail)
        .map_err(|e| anyhow::anyhow!("{}", e.description.unwrap_or(e.title)))
}

/// The mutual witness: check the peer's new head against the one last seen here, then
/// show it ours with the proof that it extends the one it last saw.
fn witness_each_other(node: &Node, client: &PeerClient, peer: &Peer) -> Result<()> {
    let seen: Option<Head> = peer
        .witnessed
        .as_deref()
        .and_then(|w| serde_json::from_str(w).ok());
    let since = seen.as_ref().map_or(0, |h| h.size);
    let view: WitnessView = client.get_json(&format!("symbolon/peer/witness?since={since}"))?;
    let key = federation::public_key(&peer.public_key).map_err(anyhow::Error::msg)?;
    let checked = view
        .head
        .check_signature(&key)
        .map_err(witness::Breach::BadHead)
        .and_then(|()| witness::extends(seen.as_ref(), &view.head, view.consistency.as_ref()));
    if let Err(breach) = checked {
        let detail = breach.to_string();
        halt(node, peer, &detail)?;
        bail!(
            "AUDIT LOG BREACH at peer `{}`: {detail}. Exchange with it is halted.",
            peer.id
        );
    }
    let mut p = peer.clone();
    p.witnessed = Some(serde_json::to_string(&view.head)?);
    node.store.put_peer(&p)?;

    let (head, consistency) = {
        let log = node.audit.lock().unwrap_or_else(|p| p.into_inner());
        let head = match log.latest_head()? {
            Some(h) => Head::of(&h),
            None => return Ok(()),
        };
        let consistency = match &view.seen {
            Some(s) if s.size > 0 && s.size < head.size => Some(witness::Consistency {
                from: s.size,
                to: head.size,
                consistency_proof: log
                    .consistency_proof(s.size, head.size)?
                    .iter()
                    .map(hex::encode)
                    .collect(),
            }),
            _ => None,
        };
        (head, consistency)
    };
    let body = serde_json::to_vec(&WitnessPost { head, consistency })?;
    let answer = client.send(
        "POST",
        "symbolon/peer/witness",
        Some(("application/json", body)),
    )?;
    if answer.status == 409 {
        bail!(
            "peer `{}` finds THIS node's audit log rewritten or forked and has halted exchange: {}",
            peer.id,
            String::from_utf8_lossy(&answer.body)
        );
    }
    client.expect(&answer, 200, "POST symbolon/peer/witness")?;
    Ok(())
}

/// Takes the peer's signed lifecycle notifications one by one: one this node cannot check
/// yet (a signer it does not trust) is left for a later run, not a reason to stop.
fn take_notifications(node: &Node, client: &PeerClient) -> Result<usize> {
    let incoming: Vec<crate::agreement::Signed> = client.get_json("symbolon/peer/notifications")?;
    let mut kept = 0;
    for n in &incoming {
        match crate::agreement::accept(node, &node.dir, std::slice::from_ref(n)) {
            Ok(k) => kept += k,
            Err(e) => tracing::warn!(
                kind = %n.record.kind,
                party = %n.record.party,
                error = %format!("{e:#}"),
                "notification from a peer refused"
            ),
        }
    }
    Ok(kept)
}

#[derive(Deserialize)]
struct Records {
    records: Vec<policy::ledger::Signed>,
}

fn take_records(node: &Node, client: &PeerClient) -> Result<usize> {
    // Always from the start: records are kept once per id, and a record refused today
    // (a designation not yet received) may be accepted at a later run.
    let got: Records = client.get_json("symbolon/peer/ledger?after=0")?;
    let mut kept = 0;
    for s in &got.records {
        match crate::ledger::accept(node, std::slice::from_ref(s)) {
            Ok(n) => kept += n,
            Err(e) => {
                tracing::warn!(record = s.record.id(), error = %format!("{e:#}"), "ledger record from a peer refused")
            }
        }
    }
    Ok(kept)
}

#[derive(Deserialize)]
struct Discovery {
    #[serde(default)]
    api_roots: Vec<String>,
}

#[derive(Deserialize)]
struct Collections {
    #[serde(default)]
    collections: Vec<RemoteCollection>,
}

#[derive(Deserialize, Clone)]
struct RemoteCollection {
    id: String,
    title: String,
    #[serde(default)]
    alias: Option<String>,
    #[serde(default)]
    can_read: bool,
}

/// The path part of a URL the peer gave (its host may be a name this node does not use).
fn path_of(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/".into(), |i| rest[i..].to_owned()),
        None => url.to_owned(),
    }
}

/// A peer's API roots (paths) and the collections it lets this node read, each with the
/// path of its root.
struct PeerCollections(Vec<String>, Vec<(String, RemoteCollection)>);

fn readable_collections(client: &PeerClient) -> Result<PeerCollections> {
    let d: Discovery = client.get_json("taxii2/")?;
    let roots: Vec<String> = d.api_roots.iter().map(|r| path_of(r)).collect();
    let mut out = Vec::new();
    for root in d.api_roots {
        let root_path = path_of(&root);
        let list: Collections = client.get_json(&format!("{root_path}collections/"))?;
        out.extend(
            list.collections
                .into_iter()
                .filter(|c| c.can_read)
                .map(|c| (root_path.clone(), c)),
        );
    }
    Ok(PeerCollections(roots, out))
}

/// The local collection a peer's collection goes into: one per (peer, collection), with an
/// id derived from both, so a retry after a crash finds the one it made.
fn local_collection(node: &Node, peer: &Peer, remote: &RemoteCollection) -> Result<SyncCursor> {
    if let Some(c) = node
        .store
        .cursors(&peer.id)?
        .into_iter()
        .find(|c| c.remote == remote.id && !c.push)
    {
        return Ok(c);
    }
    let id = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("symbolon:{}:{}", peer.id, remote.id).as_bytes(),
    )
    .to_string();
    let collection = match node.store.collection(None, &id)? {
        Some(c) => c,
        None => {
            let alias = format!(
                "{}.{}",
                peer.id,
                remote.alias.as_deref().unwrap_or(&remote.id)
            );
            let new = |alias: Option<String>| store::NewCollection {
                id: Some(id.clone()),
                api_root: None,
                title: format!("{} (from {})", remote.title, peer.id),
                description: Some(format!(
                    "Pulled from peer `{}`, collection {}",
                    peer.id, remote.id
                )),
                alias,
            };
            let c = node
                .store
                .create_collection(&new(Some(alias)))
                .or_else(|_| node.store.create_collection(&new(None)))?;
            node.record(&Event::CollectionCreated {
                at: crate::events::now(),
                principal: &node.operator.name,
                collection: &c.id,
                title: &c.title,
            })?;
            c
        }
    };
    let cursor = SyncCursor {
        peer: peer.id.clone(),
        remote: remote.id.clone(),
        local: collection.key,
        push: false,
        added_after: None,
    };
    node.store.put_cursor(&cursor)?;
    Ok(cursor)
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    objects: Vec<&'a RawValue>,
}

/// A page checked against its seal: the objects valid here with their leaf index, and
/// those refused.
struct CheckedPage {
    seal: Seal,
    leaves: Vec<[u8; 32]>,
    valid: Vec<stix::StixObject>,
    index: Vec<u32>,
    rejected: Vec<(String, String)>,
    last: Option<String>,
    /// The origin each valid object is recorded with.
    origins: Vec<Option<String>>,
}

/// Whose objects a page holds: `me`, this node's authority (its own information coming
/// back is its own), and `sender`, the origin of what the sender calls its own (the peer,
/// when it is a competent authority).
struct Whose<'a> {
    me: Option<&'a str>,
    sender: Option<&'a str>,
}

fn check_page(
    peer: &Peer,
    answer: &Answer,
    whose: &Whose,
) -> std::result::Result<CheckedPage, String> {
    let env: Envelope =
        serde_json::from_slice(&answer.body).map_err(|e| format!("not a TAXII envelope: {e}"))?;
    let seal = Seal::from_header(answer.header(SEAL_HEADER).ok_or("the page is not sealed")?)?;
    if seal.body.signer != peer.id {
        return Err(format!(
            "the page is sealed by `{}`, not by the peer `{}`",
            seal.body.signer, peer.id
        ));
    }
    let key = federation::public_key(&peer.public_key)?;
    let leaves = env
        .objects
        .iter()
        .map(|o| federation::provenance::leaf(o.get()))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    seal.check(&key, &leaves)?;
    // Where to resume is the signer's word (sealed), and the header must agree with it.
    let last = seal.body.last_date_added.clone();
    if !env.objects.is_empty() && last.is_none() {
        return Err("the seal of a page of objects names no last date_added".into());
    }
    if let Some(header) = answer.header("x-taxii-date-added-last")
        && last.as_deref() != Some(header)
    {
        return Err(
            "X-TAXII-Date-Added-Last is not the date_added the page was sealed with".into(),
        );
    }
    let mut page = CheckedPage {
        seal,
        leaves,
        valid: Vec::with_capacity(env.objects.len()),
        index: Vec::with_capacity(env.objects.len()),
        rejected: Vec::new(),
        last,
        origins: Vec::with_capacity(env.objects.len()),
    };
    for (i, raw) in env.objects.iter().enumerate() {
        match stix::validate(raw).and_then(policy::markings::refuse_classified) {
            Ok(obj) => {
                page.valid.push(obj);
                page.index.push(i as u32);
                page.origins.push(
                    page.seal
                        .origin_for(i as u64, whose.me, whose.sender)
                        .map(str::to_owned),
                );
            }
            Err(r) => page.rejected.push((
                r.id.unwrap_or_else(|| format!("(object #{} of the page)", i + 1)),
                r.reason,
            )),
        }
    }
    Ok(page)
}

/// What the fetching thread hands the storing thread.
enum Fetched {
    Page(Box<CheckedPage>),
    /// A page that is not authentic: the reason and the body as received.
    Quarantine(String, String),
    Failed(anyhow::Error),
}

/// What a page says about its successor, read without building anything.
#[derive(Deserialize)]
struct More {
    #[serde(default)]
    more: bool,
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
            Ok(a) => serde_json::from_slice::<More>(&a.body)
                .ok()
                .filter(|m| m.more)
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

/// Checks each fetched page (answer signature, seal over its objects, STIX validity).
fn check_pages(
    peer: &Peer,
    whose: &Whose,
    rx: std::sync::mpsc::Receiver<Result<Answer, anyhow::Error>>,
    tx: std::sync::mpsc::SyncSender<Fetched>,
) {
    for answer in rx {
        let item = match answer {
            Err(e) => Fetched::Failed(e),
            // A page that is not authentic (answer signature or seal) is quarantined whole.
            Ok(a) => match a
                .authentic
                .clone()
                .and_then(|()| check_page(peer, &a, whose))
            {
                Ok(page) => Fetched::Page(Box::new(page)),
                Err(reason) => {
                    Fetched::Quarantine(reason, String::from_utf8_lossy(&a.body).into_owned())
                }
            },
        };
        let last = !matches!(item, Fetched::Page(_));
        if tx.send(item).is_err() || last {
            return;
        }
    }
}

fn pull_collection(
    node: &Node,
    client: &PeerClient,
    peer: &Peer,
    root_path: &str,
    remote: &RemoteCollection,
    progress: bool,
) -> Result<Pulled> {
    let mut cursor = local_collection(node, peer, remote)?;
    let local_id = collection_id(node, cursor.local)?;
    let mut pulled = Pulled {
        remote: remote.id.clone(),
        local: local_id.clone(),
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
    let origin = is_authority(node, &peer.id)?.then_some(peer.id.as_str());
    let mut digest = VersionDigest::default();
    let collection_path = format!("{root_path}collections/{}/", remote.id);
    // A pull is a long series of commits: the WAL is copied into the database file by the
    // serving node's maintenance (or the next ordinary commit), not page by page here.
    node.store.defer_housekeeping(true)?;
    let failure = std::thread::scope(|scope| -> Result<Option<anyhow::Error>> {
        // Three stages overlap: fetch (HTTP), check (signatures, seal, validation), store.
        let (fetched_tx, fetched_rx) = std::sync::mpsc::sync_channel(2);
        let (checked_tx, checked_rx) = std::sync::mpsc::sync_channel(2);
        let after = cursor.added_after.clone();
        let path = collection_path.as_str();
        scope.spawn(move || fetch_pages(client, path, after, fetched_tx));
        let whose = Whose {
            me: node.policy.terms().map(|t| t.authority.as_str()),
            sender: origin,
        };
        scope.spawn(move || check_pages(peer, &whose, fetched_rx, checked_tx));
        // Pages are committed in groups of about COMMIT_OBJECTS objects, each group with the
        // cursor after its last page.
        let mut pending: Vec<store::SealedBatch> = Vec::new();
        let mut flush = |pending: &mut Vec<store::SealedBatch>,
                         cursor: &SyncCursor,
                         pulled: &mut Pulled|
         -> Result<()> {
            if pending.is_empty() {
                return Ok(());
            }
            let outcomes = node
                .store
                .add_sealed(cursor.local, pending, origin, Some(cursor))
                .with_context(|| format!("storing pages from `{}`", peer.id))?;
            for o in outcomes {
                match o {
                    AddOutcome::Added { id, version, .. } => {
                        digest.push(&id, &version);
                        pulled.added += 1;
                    }
                    AddOutcome::AlreadyPresent { .. } => pulled.unchanged += 1,
                    AddOutcome::Conflict { id, .. } => pulled.rejected.push((
                        id,
                        "this id and version are held with different content (STIX 2.1 §3.6)"
                            .into(),
                    )),
                }
            }
            if let Some(b) = &bar {
                b.inc(pending.iter().map(|p| p.objects.len() as u64).sum());
            }
            pending.clear();
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
                    node.store.quarantine(&store::Quarantined {
                        peer: peer.id.clone(),
                        remote: remote.id.clone(),
                        at: store::now_micros(),
                        reason: reason.clone(),
                        objects: body,
                    })?;
                    tracing::error!(peer = %peer.id, collection = %remote.id, %reason, "page quarantined");
                    // The cursor stays: nothing of this page is trusted; the next run asks again.
                    pulled.quarantined.push(reason);
                    break;
                }
            };
            let Some(last) = page.last.clone() else { break };
            cursor.added_after = Some(last);
            pulled.rejected.extend(page.rejected);
            pending.push(store::SealedBatch {
                sealed: store::SealedPage {
                    peer: peer.id.clone(),
                    seal: serde_json::to_string(&page.seal)?,
                    leaves: page.leaves,
                },
                objects: page.valid,
                index: page.index,
                origins: page.origins,
            });
            if pending.iter().map(|p| p.objects.len()).sum::<usize>() >= COMMIT_OBJECTS {
                flush(&mut pending, &cursor, &mut pulled)?;
            }
        }
        flush(&mut pending, &cursor, &mut pulled)?;
        Ok(None)
    });
    node.store.defer_housekeeping(false)?;
    let failure = failure?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    // What was stored is on record even when the pull stopped early.
    node.record(&Event::SyncPulled {
        at: crate::events::now(),
        peer: &peer.id,
        remote: &remote.id,
        collection: &local_id,
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

/// A report as the operator reads it: one line per collection, then trouble in full.
pub fn describe(r: &PeerReport) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for p in &r.pulled {
        let _ = writeln!(
            out,
            "{}: collection {} -> {}: {} new, {} already held, {} rejected, {} pages quarantined",
            r.peer,
            p.remote,
            p.local,
            p.added,
            p.unchanged,
            p.rejected.len(),
            p.quarantined.len()
        );
        for (id, why) in &p.rejected {
            let _ = writeln!(out, "{}: rejected {id}: {why}", r.peer);
        }
        for why in &p.quarantined {
            let _ = writeln!(out, "{}: QUARANTINED a page: {why}", r.peer);
        }
    }
    for p in &r.pushed {
        let _ = writeln!(
            out,
            "{}: pushed {} -> collection {}: {} sent, {} kept home by the policy, {} refused by the peer",
            r.peer,
            p.local,
            p.remote,
            p.sent,
            p.withheld,
            p.refused.len()
        );
        for (id, why) in &p.refused {
            let _ = writeln!(out, "{}: refused {id}: {why}", r.peer);
        }
    }
    if r.records_kept + r.notifications_kept > 0 {
        let _ = writeln!(
            out,
            "{}: kept {} ledger records, {} notifications",
            r.peer, r.records_kept, r.notifications_kept
        );
    }
    if let Some(e) = &r.error {
        let _ = writeln!(out, "{}: SYNC FAILED: {e}", r.peer);
    }
    out
}

/// Asks `peer` for the originator's proof over one object it holds (a forward keeps the
/// originator's signature: the recipient checks it with `Proof::check`).
pub fn ask_proof(
    node: &Node,
    peer: &str,
    q: &taxii::peer_api::ProvenanceQuery,
) -> Result<federation::provenance::Proof> {
    let me = crate::peers::identity(node)?;
    let p = node
        .store
        .peer(peer)?
        .with_context(|| format!("no peer `{peer}`"))?;
    let client = client_for(node, &me, &p)?;
    let mut path = format!(
        "symbolon/peer/provenance?collection={}&object={}",
        q.collection, q.object
    );
    if let Some(v) = &q.version {
        path.push_str("&version=");
        path.push_str(v);
    }
    Ok(client.get_json(&path)?)
}

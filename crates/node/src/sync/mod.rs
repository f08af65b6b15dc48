//! Syncing with peer nodes (federation), a front door like TAXII: for each peer, witness
//! its audit log (and let it witness ours), take the agreement's signed records that
//! travel, pull every collection it lets this node read, and push the collections
//! registered for it. Everything read or written goes through the core (`symbolon_core`):
//! pulls through the one ingest path, pushes through the one reader.

pub mod pull;
pub mod push;
pub mod records;
pub mod report;
pub mod rotation;
pub mod witness;

pub use report::{PeerReport, Pulled, Pushed, describe};

use anyhow::{Context, Result, bail};
use federation::client::PeerClient;
use federation::request::Identity;
use federation::wire::ProvenanceQuery;
use std::time::Duration;
use store::Peer;
use symbolon_core::Core;

/// How long one request to a peer may take.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Syncs with every peer (or only `only`); a failing peer does not stop the others.
pub fn run(core: &Core, only: Option<&str>, progress: bool) -> Result<Vec<PeerReport>> {
    let me = core.identity()?;
    let peers = core.peers()?;
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
        if let Err(e) = with_peer(core, &me, peer, progress, &mut report) {
            report.error = Some(format!("{e:#}"));
        }
        reports.push(report);
    }
    Ok(reports)
}

fn with_peer(
    core: &Core,
    me: &Identity,
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
    let client = client_for(core, me, peer)?;
    let sender = authority_of(core, &peer.id)?;
    // An authority's node is asked for its records first: they carry its key rotations.
    let (followed, client, records) = if core.policy()?.terms().is_some() && sender.is_some() {
        let (p, c, r) = rotation::records_first(core, me, peer, client)?;
        (p, c, Some(r))
    } else {
        (peer.clone(), client, None)
    };
    let peer = &followed;
    witness::each_other(core, &client, peer)?;
    if let Some(records) = records {
        (report.records_kept, report.notifications_kept) = records::take(core, &records)?;
    }
    let collections = pull::readable_collections(core, &me.authority, &client)?;
    // A pull is a long series of commits: the WAL is copied into the database file by the
    // serving node's maintenance (or the next ordinary commit), not page by page here.
    core.defer_housekeeping(true)?;
    let pulled = (|| -> Result<()> {
        for (root_path, coll) in &collections.readable {
            report.pulled.push(pull::collection(
                core,
                &client,
                peer,
                root_path,
                coll,
                sender.as_deref(),
                progress,
            )?);
        }
        Ok(())
    })();
    core.defer_housekeeping(false)?;
    pulled?;
    // Replies: where the peer lets this node write to a collection it pulls, this node's
    // own objects in the copy go back to it.
    for (_, coll) in collections.readable.iter().filter(|(_, c)| c.can_write) {
        if let Some(pull) = core
            .cursors(&peer.id)?
            .into_iter()
            .find(|c| !c.push && c.remote == coll.id)
        {
            core.add_replies(&peer.id, &coll.id, pull.local)?;
        }
    }
    for cursor in core.cursors(&peer.id)?.into_iter().filter(|c| c.push) {
        // The API root the peer lists the collection under (a push registered by hand
        // names a collection this node may not read there: the first root).
        let root = collections
            .readable
            .iter()
            .find(|(_, c)| c.id == cursor.remote)
            .map(|(r, _)| r)
            .or(collections.roots.first())
            .context("the peer lists no API root")?;
        report
            .pushed
            .push(push::collection(core, &client, me, peer, root, cursor)?);
    }
    Ok(())
}

/// The signed client to `peer`, declaring the purpose bound to the exchange.
fn client_for(core: &Core, me: &Identity, peer: &Peer) -> Result<PeerClient> {
    let key = ed25519_dalek::VerifyingKey::from_bytes(&peer.public_key)
        .with_context(|| format!("the key held for `{}` is not an Ed25519 key", peer.id))?;
    let rotation = match core.own_rotation()? {
        Some(designation) => Some(serde_json::to_vec(&designation)?),
        None => None,
    };
    let client = PeerClient::new(&peer.id, &peer.url, key, me.clone(), TIMEOUT)?
        .declaring(exchange_purpose(core, &peer.id)?)
        .announcing(rotation.as_deref());
    // The certificate authorities this node trusts for this peer's HTTPS, when the operator
    // put them in the data directory: the peer's own file, else the one for every peer;
    // else the system's.
    for ca in [
        peer_ca_file(core.dir(), &peer.id),
        core.dir().join(PEER_CA_FILE),
    ] {
        match std::fs::read(&ca) {
            Ok(pem) => {
                return client
                    .trusting(&pem)
                    .with_context(|| format!("reading the certificates in {}", ca.display()));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("reading {}", ca.display())),
        }
    }
    Ok(client)
}

/// PEM certificates in the data directory that, when present, are the only authorities
/// trusted for peers' HTTPS (a national PKI's CA, or the peers' own certificates); in
/// `PEER_CA_DIR`, `<peer id>.pem` is the only authority trusted for that peer (its own
/// certificate, pinned, or its CA), in place of `PEER_CA_FILE`. Backups carry both.
pub use symbolon_core::dir::{PEER_CA_DIR, PEER_CA_FILE};

/// The per-peer certificate file of `peer` (ids are authority names: letters, digits,
/// `-`, `_`, `.`; anything else is spelled out in hex so that no id names another path).
pub fn peer_ca_file(dir: &std::path::Path, peer: &str) -> std::path::PathBuf {
    let plain = !peer.is_empty()
        && !peer.starts_with('.')
        && peer
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let name = if plain {
        peer.to_owned()
    } else {
        format!("hex-{}", hex::encode(peer))
    };
    dir.join(PEER_CA_DIR).join(format!("{name}.pem"))
}

/// The purpose this node declares when it asks a peer (Art. 6.4): the first purpose bound to
/// the exchange with that peer (`symbolon peer add --purpose`), none when none is bound.
fn exchange_purpose(core: &Core, peer: &str) -> Result<Option<String>> {
    Ok(core.user(peer)?.and_then(|u| u.purposes.first().cloned()))
}

/// The competent authority a peer is, if it is one (what it calls its own is then
/// information obtained from it, Art. 6.2).
fn authority_of(core: &Core, peer: &str) -> Result<Option<String>> {
    Ok(core.user(peer)?.and_then(|u| match u.kind {
        policy::Kind::Authority(a) => Some(a),
        _ => None,
    }))
}

/// Asks `peer` for the originator's proof over one object it holds (a forward keeps the
/// originator's signature: the recipient checks it with `Proof::check`).
pub fn ask_proof(
    core: &Core,
    peer: &str,
    q: &ProvenanceQuery,
) -> Result<federation::provenance::Proof> {
    let me = core.identity()?;
    let p = core
        .peer(peer)?
        .with_context(|| format!("no peer `{peer}`"))?;
    let client = client_for(core, &me, &p)?;
    Ok(client.get_json(&format!("symbolon/peer/provenance?{}", q.to_query()))?)
}

//! A peer's node key rotation, followed at sync. A round with an authority's node starts by
//! asking for its records. When the answer is not signed by the key this node holds for the
//! peer, it is looked at once more: if it holds the peer's designation of itself with a new
//! key, signed with the key held, and the answer is signed by that new key, the rotation is
//! followed (`Core::follow_peer_key`: the designation kept, the key held replaced) and the
//! round goes on with the new key. Anything else is the bad answer it was.

use super::client_for;
use anyhow::{Context, Result};
use federation::client::PeerClient;
use federation::request::Identity;
use federation::wire::Records;
use policy::ledger::Signed;
use store::Peer;
use symbolon_core::Core;

const RECORDS: &str = "symbolon/peer/records?after=0";

/// The peer's records (every one, from the start: records are kept once per id, and one
/// refused today may count at a later run), with the peer and client to use for the rest
/// of the round: new ones when the peer's key rotated.
pub fn records_first(
    core: &Core,
    me: &Identity,
    peer: &Peer,
    client: PeerClient,
) -> Result<(Peer, PeerClient, Records)> {
    let answer = client.fetch("GET", RECORDS, None)?;
    if answer.authentic.is_ok() {
        client.expect(&answer, 200, RECORDS)?;
        let records = serde_json::from_slice(&answer.body)
            .with_context(|| format!("`{}`: the records are not what was asked for", peer.id))?;
        return Ok((peer.clone(), client, records));
    }
    let records: Option<Records> = (answer.status == 200)
        .then(|| serde_json::from_slice(&answer.body).ok())
        .flatten();
    let rotation = records.as_ref().and_then(|got| {
        got.records.iter().find_map(|raw| {
            let signed: Signed = serde_json::from_str(raw.get()).ok()?;
            let new = signed.rotation_of(&peer.id, &peer.public_key)?;
            let key = ed25519_dalek::VerifyingKey::from_bytes(&new).ok()?;
            answer.signed_by(&key).is_ok().then_some(signed)
        })
    });
    match (rotation, records) {
        (Some(designation), Some(records)) => {
            let peer = core
                .follow_peer_key(&peer.id, &designation)
                .with_context(|| format!("following `{}`'s key rotation", peer.id))?;
            let client = client_for(core, me, &peer)?;
            Ok((peer, client, records))
        }
        _ => {
            // Not a rotation: the answer is refused as any unsigned one is.
            let why = answer
                .authentic
                .as_ref()
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            anyhow::bail!(
                "`{}`: GET {RECORDS} answered {}: {why}",
                peer.id,
                answer.status
            )
        }
    }
}

//! The mutual witness at the start of every sync: check the peer's new head against the one
//! last seen here, then show it ours with the proof that it extends the one it last saw.
//! A breach halts the peer (the core records it); a breach the peer finds in ours stops the
//! run loudly.

use anyhow::{Result, bail};
use federation::client::PeerClient;
use federation::wire::WitnessView;
use store::Peer;
use symbolon_core::Core;

pub fn each_other(core: &Core, client: &PeerClient, peer: &Peer) -> Result<()> {
    let since = peer.witnessed.as_ref().map_or(0, |h| h.size);
    let view: WitnessView = client.get_json(&format!("symbolon/peer/witness?since={since}"))?;
    if let Err(breach) = core.witness(peer, &view.head, view.consistency.as_ref())? {
        bail!(
            "AUDIT LOG BREACH at peer `{}`: {breach}. Exchange with it is halted.",
            peer.id
        );
    }
    let post = core.witness_post(view.seen.as_ref())?;
    let answer = client.send(
        "POST",
        "symbolon/peer/witness",
        Some(("application/json", serde_json::to_vec(&post)?)),
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

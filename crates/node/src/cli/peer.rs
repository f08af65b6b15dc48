//! `symbolon peer …`, `symbolon sync` and `symbolon provenance`.

use super::with_node;
use crate::DataDir;
use anyhow::{Context, Result};
use clap::Subcommand;
use federation::wire::ProvenanceQuery;
use std::io::IsTerminal;
use symbolon_core::Caller;
use symbolon_core::peers::NewPeer;

#[derive(Subcommand)]
pub enum PeerCmd {
    /// Register another node this node exchanges with (or change its URL or purposes).
    Add {
        #[command(flatten)]
        data: DataDir,
        /// The peer's competent-authority id (or a third party's name).
        id: String,
        /// The peer node's base URL, e.g. http://192.0.2.10:6100/ (default: the node URL
        /// the agreement or the authority's designation gives).
        #[arg(long)]
        url: Option<String>,
        /// The peer node's public key (64 hex digits); for a competent authority the
        /// agreement or its designation gives it, and a key given here must agree.
        #[arg(long)]
        key: Option<String>,
        /// The peer is a third party's node (Art. 6.2: it receives information obtained
        /// from another authority only with that authority's consent).
        #[arg(long)]
        third_party: bool,
        /// Purposes of the agreement bound to this exchange (repeatable): what the peer may
        /// declare here; the first is its default and what this node declares to it.
        #[arg(long = "purpose", value_name = "PURPOSE")]
        purposes: Vec<String>,
    },
    /// List peers, their state and the last audit-log size witnessed.
    List {
        #[command(flatten)]
        data: DataDir,
    },
    /// Stop exchanging with a peer for good: its record, its sync positions and the user its
    /// requests act as are removed (audited); what it sent stays, with its seals.
    Remove {
        #[command(flatten)]
        data: DataDir,
        /// The peer's id.
        id: String,
    },
    /// Let exchange with a halted peer start again (after looking into why it halted).
    Resume {
        #[command(flatten)]
        data: DataDir,
        /// The peer's id.
        id: String,
        /// Also forget the peer's last witnessed tree head (accept its log as it is now).
        #[arg(long)]
        forget_witness: bool,
    },
    /// Print the name and key this node's peers know it by; `--set` names a node that is
    /// not under an agreement (a third party's node).
    Whoami {
        #[command(flatten)]
        data: DataDir,
        /// The name to set (one word).
        #[arg(long)]
        set: Option<String>,
    },
    /// Push a local collection to a peer's collection at every sync (what the policy lets
    /// the peer receive; the peer's user needs read rights on the local collection).
    Push {
        #[command(flatten)]
        data: DataDir,
        /// The peer's id.
        id: String,
        /// The local collection (id or alias).
        #[arg(long)]
        collection: String,
        /// The peer's collection id.
        #[arg(long)]
        to: String,
    },
    /// Pages received from peers whose provenance did not verify (never served).
    Quarantine {
        #[command(flatten)]
        data: DataDir,
    },
}

/// `symbolon provenance`: who sealed an object, checked here.
#[derive(clap::Args)]
pub struct ProvenanceArgs {
    #[command(flatten)]
    data: DataDir,
    /// The collection (id or alias; with --from, the peer's collection id).
    #[arg(long)]
    collection: String,
    /// The object's id.
    #[arg(long)]
    object: String,
    /// The version (`modified`); default the latest.
    #[arg(long)]
    version: Option<String>,
    /// Ask this peer for the proof of an object it forwarded (default: this node's own).
    #[arg(long, value_name = "PEER")]
    from: Option<String>,
}

pub fn peer(cmd: PeerCmd) -> Result<i32> {
    match cmd {
        PeerCmd::Add {
            data,
            id,
            url,
            key,
            third_party,
            purposes,
        } => with_node(&data, |core| {
            let p = core.add_peer(NewPeer {
                id,
                url,
                public_key: key,
                third_party,
                purposes,
            })?;
            node::outln!(
                "peer `{}` at {} with key {}",
                p.id,
                p.url,
                hex::encode(p.public_key)
            );
            Ok(0)
        }),
        PeerCmd::List { data } => with_node(&data, |core| {
            let mut rows = Vec::new();
            for p in core.peers()? {
                let witnessed = p
                    .witnessed
                    .as_ref()
                    .map_or("-".to_string(), |h| h.size.to_string());
                let state = p
                    .halted
                    .as_deref()
                    .map_or("active".to_string(), |h| format!("HALTED: {h}"));
                rows.push(format!(
                    "{}\t{}\t{witnessed}\t{state}\t{}",
                    p.id,
                    p.url,
                    hex::encode(p.public_key)
                ));
            }
            super::table("PEER\tURL\tWITNESSED LOG SIZE\tSTATE\tPUBLIC KEY", rows);
            Ok(0)
        }),
        PeerCmd::Remove { data, id } => with_node(&data, |core| {
            core.remove_peer(&id)?;
            node::outln!("peer `{id}` removed");
            Ok(0)
        }),
        PeerCmd::Resume {
            data,
            id,
            forget_witness,
        } => with_node(&data, |core| {
            core.resume_peer(&id, forget_witness)?;
            node::outln!("exchange with `{id}` may start again");
            Ok(0)
        }),
        PeerCmd::Whoami { data, set } => with_node(&data, |core| {
            if let Some(name) = set {
                core.set_name(&name)?;
            }
            let me = core.identity()?;
            node::outln!(
                "{}\t{}",
                me.authority,
                hex::encode(me.key.verifying_key().as_bytes())
            );
            Ok(0)
        }),
        PeerCmd::Push {
            data,
            id,
            collection,
            to,
        } => with_node(&data, |core| {
            core.add_push(&id, &collection, &to)?;
            node::outln!("every sync pushes `{collection}` to `{id}`'s collection {to}");
            Ok(0)
        }),
        PeerCmd::Quarantine { data } => with_node(&data, |core| {
            for (seq, q, bytes) in core.quarantined()? {
                node::outln!(
                    "{seq}\t{}\t{}\tfrom {} collection {}\t{}",
                    stix::timestamp::format(q.at),
                    bytes,
                    q.peer,
                    q.remote,
                    q.reason
                );
            }
            Ok(0)
        }),
    }
}

/// `symbolon sync`: exit 0 when every peer synced cleanly, 2 when objects were rejected or
/// pages quarantined, 1 when a peer could not be synced at all.
pub fn sync(data: &DataDir, peer: Option<&str>) -> Result<i32> {
    with_node(data, |core| {
        let reports = node::sync::run(core, peer, std::io::stderr().is_terminal())?;
        let mut code = 0;
        for r in &reports {
            node::out!("{}", node::sync::describe(r));
            if r.error.is_some() {
                code = 1;
            } else if r.troubled() && code == 0 {
                code = 2;
            }
        }
        if reports.is_empty() {
            eprintln!("no peers (add one with `symbolon peer add`)");
        }
        Ok(code)
    })
}

/// Prints the originator's seal over one object with its audit path and checks it: with the
/// signer's key as this node knows it (agreement, designation, peers), else as the node
/// that handed the proof vouches for it. Exit 1 when the proof does not hold.
pub fn provenance(a: ProvenanceArgs) -> Result<i32> {
    with_node(&a.data, |core| {
        let query = ProvenanceQuery {
            collection: a.collection,
            object: a.object,
            version: a.version,
        };
        let (proof, vouched_by) = match &a.from {
            None => {
                let operator = core.operator().clone();
                let c = core.collection(&query.collection)?;
                let caller = Caller {
                    principal: &operator,
                    purpose: None,
                };
                (
                    core.proof(&caller, &c, &query.object, query.version.as_deref())?,
                    "this node",
                )
            }
            Some(peer) => (node::sync::ask_proof(core, peer, &query)?, peer.as_str()),
        };
        let signer = proof.seal.body.signer.clone();
        // The key known to this node the seal was made with: the signer's current one, or
        // one it held before a key rotation.
        let known = core.check_seal(&proof)?;
        let (key_hex, whose) = match known.key {
            Some(k) if known.retired => (
                hex::encode(k),
                "known to this node, since retired by a key rotation".to_string(),
            ),
            Some(k) => (hex::encode(k), "known to this node".to_string()),
            None => (
                proof.signer_key.clone(),
                format!("as {vouched_by} gives it"),
            ),
        };
        node::outln!("{}", serde_json::to_string_pretty(&proof)?);
        let key = federation::public_key(&key_hex).context("the signer's key")?;
        match proof.check(&key) {
            Ok(()) => {
                eprintln!(
                    "sealed by `{signer}` (key {key_hex}, {whose}) on {}: signature and audit path verify",
                    proof.seal.body.sealed_at
                );
                Ok(0)
            }
            Err(why) => {
                eprintln!("PROVENANCE DOES NOT HOLD: {why}");
                Ok(1)
            }
        }
    })
}

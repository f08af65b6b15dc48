//! The peers a node exchanges with (federation): registering them, and the node's own
//! name and key as its peers know it.
//!
//! A peer is another competent authority's node (its key comes from the agreement or a
//! signed designation) or a third party's node the operator registers with its key. Each
//! peer acts on this node as the user of its id: what it may read is what that user may
//! read (`symbolon user grant`), decided by the policy like any other user.

use crate::Node;
use crate::events::Event;
use anyhow::{Context, Result, bail};
use federation::request::Identity;
use store::Store;

/// File naming a node that is not under an agreement (a third party's node) to its peers.
pub const NAME_FILE: &str = "node-name";

/// The name and key this node signs its requests to peers with: its competent authority
/// under the agreement, or the name set with `symbolon peer whoami --set`.
pub fn identity(node: &Node) -> Result<Identity> {
    let authority = match node.policy.terms() {
        Some(t) => t.authority.clone(),
        None => std::fs::read_to_string(node.dir.join(NAME_FILE))
            .map(|s| s.trim().to_owned())
            .ok()
            .filter(|s| !s.is_empty())
            .context(
                "this node has no name for its peers: put it under an agreement \
                 (`symbolon agreement init`) or name it (`symbolon peer whoami --set NAME`)",
            )?,
    };
    Ok(Identity {
        authority,
        key: node.key.clone(),
    })
}

/// Names a node that is not under an agreement.
pub fn set_name(node: &Node, name: &str) -> Result<()> {
    if let Some(t) = node.policy.terms() {
        bail!(
            "this node is `{}` under the agreement; its name is not set by hand",
            t.authority
        );
    }
    if name.trim().is_empty() || name.contains(char::is_whitespace) {
        bail!("a node name is one word, not `{name}`");
    }
    std::fs::write(node.dir.join(NAME_FILE), name.trim())
        .with_context(|| format!("writing {}", node.dir.join(NAME_FILE).display()))
}

/// A peer as the operator registers it.
pub struct NewPeer {
    pub id: String,
    /// Default: the authority's `node_url` in the agreement or its latest designation.
    pub url: Option<String>,
    pub public_key: Option<String>,
    pub third_party: bool,
    pub purposes: Vec<String>,
}

/// Registers (or updates) a peer and the user its signed requests act as.
pub fn add(node: &Node, new: NewPeer) -> Result<store::Peer> {
    let url = match new.url {
        Some(u) => u,
        None => agreed_url(node, &new.id)?.with_context(|| {
            format!(
                "neither the agreement nor a designation gives `{}` a node URL: give --url",
                new.id
            )
        })?,
    };
    reqwest_url_check(&url)?;
    let terms = node.policy.terms();
    let kind = if new.third_party {
        policy::Kind::ThirdParty
    } else {
        if let Some(t) = terms {
            t.known_authority(&new.id).map_err(anyhow::Error::msg)?;
        }
        policy::Kind::Authority(new.id.clone())
    };
    // An authority's key is the one the agreement or its designation gives; a key given
    // by hand must agree with it.
    let agreed = match (&kind, terms) {
        (policy::Kind::Authority(a), Some(t)) => t.keys.get(a).map(hex::encode),
        _ => None,
    };
    let public_key = match (agreed, new.public_key) {
        (Some(k), Some(given)) if !given.eq_ignore_ascii_case(&k) => {
            bail!("the agreement gives `{}` the key {k}, not {given}", new.id)
        }
        (Some(k), _) => k,
        (None, Some(given)) => given.to_ascii_lowercase(),
        (None, None) => bail!(
            "no key is known for `{}`: give --key (64 hex digits, `symbolon peer whoami` on its node)",
            new.id
        ),
    };
    federation::public_key(&public_key).map_err(anyhow::Error::msg)?;
    if let Some(t) = terms {
        for p in &new.purposes {
            t.known_purpose(p).map_err(anyhow::Error::msg)?;
        }
    }
    let existing_user = node.store.user(&new.id)?;
    if let Some(u) = &existing_user
        && u.kind != kind.text()
    {
        bail!(
            "user `{}` already exists as `{}`, not `{}`",
            new.id,
            u.kind,
            kind.text()
        );
    }
    let purposes = if new.purposes.is_empty() {
        existing_user
            .as_ref()
            .map(|u| u.purposes.clone())
            .unwrap_or_default()
    } else {
        new.purposes
    };
    // The peer's user has a password nobody knows: a node is let in by its key only.
    let unusable = policy::password::hash(&policy::password::generate())?;
    node.store.put_user(&store::User {
        name: new.id.clone(),
        password_hash: existing_user.map_or(unusable, |u| u.password_hash),
        is_admin: false,
        kind: kind.text(),
        purposes,
    })?;
    let previous = node.store.peer(&new.id)?;
    let peer = store::Peer {
        id: new.id,
        url,
        public_key,
        halted: previous.as_ref().and_then(|p| p.halted.clone()),
        witnessed: previous.and_then(|p| p.witnessed),
    };
    node.store.put_peer(&peer)?;
    node.record(&Event::PeerSaved {
        at: crate::events::now(),
        principal: &node.operator.name,
        peer: &peer.id,
        url: &peer.url,
        public_key: &peer.public_key,
        kind: &kind.text(),
    })?;
    Ok(peer)
}

/// The node URL the agreement file or the latest signed designation gives an authority.
fn agreed_url(node: &Node, authority: &str) -> Result<Option<String>> {
    if node.policy.terms().is_none() {
        return Ok(None);
    }
    let (agreement, _) = crate::agreement::membership(&node.dir)?;
    let held = crate::agreement::notifications(node, &node.dir, &agreement)?;
    let designated = held
        .iter()
        .rev()
        .filter_map(|s| s.record.designated.as_ref())
        .find(|d| d.id == authority)
        .and_then(|d| d.node_url.clone());
    Ok(designated.or_else(|| {
        agreement
            .authority(authority)
            .and_then(|(_, a)| a.node_url.clone())
    }))
}

fn reqwest_url_check(url: &str) -> Result<()> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        bail!("--url must be the peer node's base URL (http://host:port/), not `{url}`");
    }
    Ok(())
}

/// Lets exchange with a halted peer start again (after the operator looked into why);
/// the witnessed head is forgotten only with `forget_witness`.
pub fn resume(node: &Node, id: &str, forget_witness: bool) -> Result<()> {
    let mut peer = node
        .store
        .peer(id)?
        .with_context(|| format!("no peer `{id}`"))?;
    peer.halted = None;
    if forget_witness {
        peer.witnessed = None;
    }
    node.store.put_peer(&peer)?;
    Ok(())
}

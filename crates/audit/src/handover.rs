//! A node key rotation as the log records it: one entry, `key_handover`, naming the key
//! that signed the heads up to and including it (`from`) and the key that signs every head
//! after it (`to`), signed by `to` over both. The head that covers the entry is signed by
//! `from`, so each key agrees to the handover in its own way: the old key by committing to
//! the entry, the new key by its signature inside it. Whoever holds neither cannot make a
//! history end in a node's key, and old heads keep verifying with the key they were made
//! with.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

/// The `event` of a handover entry.
pub const EVENT: &str = "key_handover";

/// What the new key signs: a fixed context, then both keys.
fn message(from: &[u8; 32], to: &[u8; 32]) -> Vec<u8> {
    let mut m = b"symbolon audit key handover\0".to_vec();
    m.extend_from_slice(from);
    m.extend_from_slice(to);
    m
}

/// A handover read from an entry whose signature checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handover {
    pub from: [u8; 32],
    pub to: [u8; 32],
}

/// The entry's bytes: RFC 8785 canonical JSON (members in code-point order, no space).
fn encode(at: &str, from: &[u8; 32], to: &[u8; 32], signature: &[u8; 64]) -> Vec<u8> {
    let at = serde_json::Value::String(at.to_owned()).to_string();
    format!(
        r#"{{"at":{at},"event":"{EVENT}","from":"{}","signature":"{}","to":"{}"}}"#,
        hex::encode(from),
        hex::encode(signature),
        hex::encode(to)
    )
    .into_bytes()
}

/// The entry handing the log over from `from` to `to`, made at `at` (RFC 3339).
pub fn entry(at: &str, from: &VerifyingKey, to: &SigningKey) -> Vec<u8> {
    let (from, to_public) = (from.to_bytes(), to.verifying_key().to_bytes());
    let signature = to.sign(&message(&from, &to_public)).to_bytes();
    encode(at, &from, &to_public, &signature)
}

/// Reads a handover entry and checks its signature; the error says what is wrong.
pub fn read(body: &[u8]) -> Result<Handover, String> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Wire {
        at: String,
        event: String,
        from: String,
        signature: String,
        to: String,
    }
    let w: Wire = serde_json::from_slice(body).map_err(|e| format!("not a handover: {e}"))?;
    if w.event != EVENT {
        return Err(format!("not a handover: the event is `{}`", w.event));
    }
    let bytes = |hex_text: &str, what: &str| {
        hex::decode(hex_text).map_err(|_| format!("the handover's `{what}` is not hex"))
    };
    let from: [u8; 32] = bytes(&w.from, "from")?
        .try_into()
        .map_err(|_| "the handover's `from` is not 32 bytes".to_owned())?;
    let to: [u8; 32] = bytes(&w.to, "to")?
        .try_into()
        .map_err(|_| "the handover's `to` is not 32 bytes".to_owned())?;
    let signature: [u8; 64] = bytes(&w.signature, "signature")?
        .try_into()
        .map_err(|_| "the handover's `signature` is not 64 bytes".to_owned())?;
    if encode(&w.at, &from, &to, &signature) != body {
        return Err("the handover entry is not in its canonical form".into());
    }
    let key = VerifyingKey::from_bytes(&to).map_err(|_| "`to` is not an Ed25519 key")?;
    key.verify(&message(&from, &to), &Signature::from_bytes(&signature))
        .map_err(|_| "the handover is not signed by the key it hands over to".to_owned())?;
    Ok(Handover { from, to })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_reads_back_and_any_change_is_refused() {
        let old = SigningKey::from_bytes(&[1; 32]);
        let new = SigningKey::from_bytes(&[2; 32]);
        let body = entry("2026-12-06T00:00:00Z", &old.verifying_key(), &new);
        let h = read(&body).unwrap();
        assert_eq!(h.from, old.verifying_key().to_bytes());
        assert_eq!(h.to, new.verifying_key().to_bytes());
        // Someone holding only the old key cannot hand over to a key of their choosing.
        let forged = String::from_utf8(body.clone()).unwrap().replace(
            &hex::encode(new.verifying_key().to_bytes()),
            &hex::encode(SigningKey::from_bytes(&[3; 32]).verifying_key().to_bytes()),
        );
        assert!(read(forged.as_bytes()).unwrap_err().contains("not signed"));
        let spaced = String::from_utf8(body).unwrap().replace(',', ", ");
        assert!(read(spaced.as_bytes()).unwrap_err().contains("canonical"));
        assert!(read(br#"{"event":"access"}"#).is_err());
    }
}

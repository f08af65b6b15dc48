//! One spelling per value: how stored values and typed queries are brought to the form the
//! index keeps.

use super::{Kind, Observable};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Undoes the usual defanging (`hxxp://`, `[.]`, `(.)`, `[dot]`, `[:]`, `[@]`, `[at]`).
pub fn refang(s: &str) -> std::borrow::Cow<'_, str> {
    let s = s.trim();
    // Most values are written plainly: nothing to undo.
    let defanged = s.contains(['[', '(', '{'])
        || s.get(..2)
            .is_some_and(|p| p.eq_ignore_ascii_case("hx") || p.eq_ignore_ascii_case("fx"));
    if !defanged {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = s.to_owned();
    for (from, to) in [
        ("[.]", "."),
        ("(.)", "."),
        ("{.}", "."),
        ("[dot]", "."),
        ("[:]", ":"),
        ("[://]", "://"),
        ("[@]", "@"),
        ("[at]", "@"),
    ] {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    let lower = out.get(..5).map(str::to_ascii_lowercase);
    if let Some(l) = lower {
        for (from, to) in [("hxxps", "https"), ("hxxp:", "http:"), ("fxp:/", "ftp:/")] {
            if l.starts_with(from) {
                out.replace_range(..from.len(), to);
                break;
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `value` as a value of `kind`, normalised; `None` when it is not one.
pub fn normalise(kind: Kind, value: &str) -> Option<Observable> {
    let v = value.trim();
    if v.is_empty() || v.len() > 2048 {
        return None;
    }
    let value = match kind {
        Kind::Ip => ip(v)?,
        Kind::Domain => domain(v)?,
        Kind::Url => url(v)?,
        Kind::Email => email(v)?,
        Kind::Hash => hash(v)?,
        Kind::Mac => mac(v)?,
        Kind::Asn => asn(v)?,
    };
    Some(Observable { kind, value })
}

/// What a value typed by a person is, normalised: `kind:value` names the kind; otherwise
/// it is read from the value's shape (IP or CIDR, URL, e-mail address, MAC, `AS174` or a
/// number, hex hash, SSDEEP, domain, a URL without its scheme). Defanged writing is undone
/// first.
pub fn classify(query: &str) -> Option<Observable> {
    let q = query.trim();
    if let Some((prefix, rest)) = q.split_once(':')
        && let Some(kind) = Kind::from_name(prefix)
        && !(kind == Kind::Url && rest.starts_with("//"))
    {
        return normalise(kind, &refang(rest));
    }
    let q = refang(q);
    let q = &*q;
    if q.is_empty() || q.chars().any(char::is_whitespace) {
        return None;
    }
    if let Some(o) = normalise(Kind::Ip, q) {
        return Some(o);
    }
    if q.contains("://") {
        return normalise(Kind::Url, q);
    }
    if q.contains('@') && !q.contains('/') {
        return normalise(Kind::Email, q);
    }
    for kind in [Kind::Mac, Kind::Asn] {
        if let Some(o) = normalise(kind, q) {
            return Some(o);
        }
    }
    if is_hex(q) && [32, 40, 56, 64, 96, 128].contains(&q.len()) || is_ssdeep(q) || is_tlsh(q) {
        return normalise(Kind::Hash, q);
    }
    if !q.contains('/')
        && q.contains('.')
        && let Some(o) = normalise(Kind::Domain, q)
    {
        return Some(o);
    }
    if let Some((host, _)) = q.split_once('/')
        && host.contains('.')
        && domain(host).is_some()
    {
        return normalise(Kind::Url, q);
    }
    None
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `blocksize:hash:hash` (SSDEEP's own form).
fn is_ssdeep(s: &str) -> bool {
    let mut parts = s.splitn(3, ':');
    let (Some(size), Some(a), Some(b)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let b64 = |p: &str| {
        p.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'/' || c == b'+')
    };
    !size.is_empty() && size.bytes().all(|c| c.is_ascii_digit()) && b64(a) && b64(b)
}

/// TLSH: `T1` and 70 hex digits.
fn is_tlsh(s: &str) -> bool {
    s.len() == 72 && s[..2].eq_ignore_ascii_case("t1") && is_hex(&s[2..])
}

fn ip(v: &str) -> Option<String> {
    let (addr, len) = match v.split_once('/') {
        Some((a, l)) => {
            if l.is_empty() || l.len() > 3 || !l.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (a, Some(l.parse::<u8>().ok()?))
        }
        None => (v, None),
    };
    match addr.parse::<IpAddr>().ok()? {
        IpAddr::V4(a) => {
            let len = len.unwrap_or(32);
            if len > 32 {
                return None;
            }
            let bits = u32::from(a) & mask32(len);
            // A single address that parsed is written as its canonical form already (the
            // parser takes no leading zeros, no other notation): no need to write it anew.
            if len == 32 && addr.len() == v.len() {
                return Some(v.to_owned());
            }
            let base = Ipv4Addr::from(bits).to_string();
            Some(if len == 32 {
                base
            } else {
                format!("{base}/{len}")
            })
        }
        IpAddr::V6(a) => {
            let len = len.unwrap_or(128);
            if len > 128 {
                return None;
            }
            let bits = u128::from(a) & mask128(len);
            let base = Ipv6Addr::from(bits).to_string();
            Some(if len == 128 {
                base
            } else {
                format!("{base}/{len}")
            })
        }
    }
}

fn mask32(len: u8) -> u32 {
    if len == 0 { 0 } else { u32::MAX << (32 - len) }
}

fn mask128(len: u8) -> u128 {
    if len == 0 {
        0
    } else {
        u128::MAX << (128 - len)
    }
}

/// The IPv6 number and prefix length of a normalised IP value (IPv4 mapped).
pub(super) fn network(value: &str) -> Option<(u128, u8)> {
    let (addr, len) = match value.split_once('/') {
        Some((a, l)) => (a, Some(l.parse::<u8>().ok()?)),
        None => (value, None),
    };
    Some(match addr.parse::<IpAddr>().ok()? {
        IpAddr::V4(a) => (
            0xffff_0000_0000u128 | u128::from(u32::from(a)),
            96 + len.unwrap_or(32),
        ),
        IpAddr::V6(a) => (u128::from(a), len.unwrap_or(128)),
    })
}

/// The range of addresses a network covers, first and last, in the mapped space.
pub fn range(network: (u128, u8)) -> (u128, u128) {
    let (addr, len) = network;
    let host = if len >= 128 { 0 } else { u128::MAX >> len };
    (addr & !host, addr | host)
}

fn domain(v: &str) -> Option<String> {
    let v = v.strip_suffix('.').unwrap_or(v);
    if v.is_empty() || v.starts_with('.') || v.contains("..") {
        return None;
    }
    // Plain ASCII names (nearly all) need no IDNA mapping beyond lower case; a label
    // already in punycode (`xn--`) goes through IDNA to be checked.
    let plain = v
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        && !v.contains("xn--")
        && !v.contains("XN--");
    let ascii = if plain {
        v.to_ascii_lowercase()
    } else {
        idna::domain_to_ascii(v).ok()?
    };
    let labels_ok = ascii.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    (labels_ok && ascii.len() <= 253 && ascii.parse::<IpAddr>().is_err()).then_some(ascii)
}

fn url(v: &str) -> Option<String> {
    let with_scheme;
    let v = if v.contains("://") {
        v
    } else {
        with_scheme = format!("http://{v}");
        &with_scheme
    };
    let parsed = url::Url::parse(v).ok()?;
    parsed.host_str()?;
    Some(parsed.into())
}

fn email(v: &str) -> Option<String> {
    let (local, host) = v.rsplit_once('@')?;
    if local.is_empty() || local.chars().any(char::is_whitespace) {
        return None;
    }
    let host = domain(host).or_else(|| {
        // `user@[192.0.2.1]`
        let inner = host.strip_prefix('[')?.strip_suffix(']')?;
        ip(inner).map(|i| format!("[{i}]"))
    })?;
    Some(format!("{}@{host}", local.to_lowercase()))
}

fn hash(v: &str) -> Option<String> {
    if v.chars().any(char::is_whitespace) {
        return None;
    }
    if is_hex(v) || is_tlsh(v) {
        Some(v.to_ascii_lowercase())
    } else {
        Some(v.to_owned())
    }
}

fn mac(v: &str) -> Option<String> {
    // `0011.2233.4455`, twelve digits, or six pairs with separators: nothing else.
    if !matches!(v.len(), 12 | 14 | 17) {
        return None;
    }
    let hex: String = v
        .chars()
        .filter(|c| !matches!(c, ':' | '-' | '.'))
        .collect();
    let seps: Vec<char> = v.chars().filter(|c| matches!(c, ':' | '-' | '.')).collect();
    let shape_ok = match seps.len() {
        0 => true,
        5 => seps.iter().all(|c| *c == seps[0] && *c != '.') && v.len() == 17,
        2 => seps.iter().all(|c| *c == '.') && v.len() == 14,
        _ => false,
    };
    if !shape_ok || hex.len() != 12 || !is_hex(&hex) {
        return None;
    }
    let hex = hex.to_ascii_lowercase();
    Some(
        (0..6)
            .map(|i| &hex[i * 2..i * 2 + 2])
            .collect::<Vec<_>>()
            .join(":"),
    )
}

fn asn(v: &str) -> Option<String> {
    let digits = v
        .strip_prefix("AS")
        .or_else(|| v.strip_prefix("as"))
        .or_else(|| v.strip_prefix("As"))
        .unwrap_or(v);
    if digits.is_empty() || digits.len() > 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u32>().ok().map(|n| n.to_string())
}

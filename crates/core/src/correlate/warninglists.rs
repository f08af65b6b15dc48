//! MISP warninglists (github.com/MISP/misp-warninglists, CC0): lists of values known to be
//! benign or ubiquitous — public resolvers, cloud ranges, top domains, RFC 1918 space — that
//! flag a hit as a likely false positive. Read from a directory of `list.json` files in
//! MISP's format (`name`, `version`, `description`, `type`, `matching_attributes`, `list`).
//!
//! The five list types match as MISP does: `string` (the value), `substring` (anywhere in
//! it), `hostname` (the domain, a URL's host or an address's domain, and every domain
//! above it), `cidr` (an address or range inside a listed range) and `regex` (PCRE-style
//! `/…/flags`, read by the `regex` crate: no look-around). A list applies only to the kinds
//! of value its `matching_attributes` name. All lists are merged into one structure per
//! type, so checking a value costs a few hash lookups whatever the number of lists.

use aho_corasick::AhoCorasick;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use stix::observable::{Kind, Observable};

/// One list, as answers name it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ListInfo {
    pub name: String,
    pub version: u64,
    pub description: String,
    #[serde(rename = "type")]
    pub list_type: String,
    #[serde(skip)]
    kinds: Vec<Kind>,
}

#[derive(serde::Deserialize)]
struct ListFile {
    name: String,
    #[serde(default)]
    version: u64,
    #[serde(default)]
    description: String,
    #[serde(rename = "type", default = "string_type")]
    list_type: String,
    #[serde(default)]
    matching_attributes: Option<Vec<String>>,
    list: Vec<String>,
}

fn string_type() -> String {
    "string".into()
}

/// The kinds of value a MISP attribute type holds.
fn kinds_of(misp_type: &str) -> &'static [Kind] {
    match misp_type {
        "ip-src" | "ip-dst" | "ip-src|port" | "ip-dst|port" => &[Kind::Ip],
        "domain|ip" => &[Kind::Domain, Kind::Ip],
        "domain" | "hostname" | "hostname|port" => &[Kind::Domain],
        "url" | "uri" | "link" => &[Kind::Url],
        "email"
        | "email-src"
        | "email-dst"
        | "target-email"
        | "whois-registrant-email"
        | "dns-soa-email"
        | "email-reply-to" => &[Kind::Email],
        "AS" => &[Kind::Asn],
        "mac-address" | "mac-eui-64" => &[Kind::Mac],
        t if t.starts_with("filename|")
            || t.starts_with("x509-fingerprint-")
            || matches!(
                t,
                "md5"
                    | "sha1"
                    | "sha224"
                    | "sha256"
                    | "sha384"
                    | "sha512"
                    | "ssdeep"
                    | "imphash"
                    | "tlsh"
                    | "sha3-224"
                    | "sha3-256"
                    | "sha3-384"
                    | "sha3-512"
                    | "authentihash"
                    | "impfuzzy"
                    | "pehash"
            ) =>
        {
            &[Kind::Hash]
        }
        _ => &[],
    }
}

/// Every list loaded, merged by type.
#[derive(Default)]
pub struct Warninglists {
    lists: Vec<ListInfo>,
    strings: HashMap<String, Vec<u32>>,
    hostnames: HashMap<String, Vec<u32>>,
    nets: HashMap<(u128, u8), Vec<u32>>,
    net_lengths: Vec<u8>,
    substrings: Option<(AhoCorasick, Vec<u32>)>,
    regexes: Vec<(regex::Regex, u32)>,
    /// Lists or entries that could not be read, with why (reported, never silently dropped).
    pub skipped: Vec<String>,
}

/// A PCRE-style `/pattern/flags` as a `regex` pattern (`i`, `m`, `s`, `x` kept; `g` and
/// `u` mean nothing for a match).
fn pcre(entry: &str) -> Option<String> {
    let body = entry.strip_prefix('/')?;
    let end = body.rfind('/')?;
    let (pattern, flags) = (&body[..end], &body[end + 1..]);
    let kept: String = flags.chars().filter(|f| "imsx".contains(*f)).collect();
    if flags.chars().any(|f| !"imsxgu".contains(f)) {
        return None;
    }
    Some(if kept.is_empty() {
        pattern.to_owned()
    } else {
        format!("(?{kept}){pattern}")
    })
}

impl Warninglists {
    /// Loads every `list.json` under `dir` (any depth).
    pub fn load(dir: &Path) -> Result<Warninglists, String> {
        let mut files = Vec::new();
        find_lists(dir, &mut files).map_err(|e| format!("reading {}: {e}", dir.display()))?;
        if files.is_empty() {
            return Err(format!(
                "no warninglist (`list.json`) under {}: give the `lists` directory of MISP's misp-warninglists",
                dir.display()
            ));
        }
        files.sort();
        let mut wl = Warninglists::default();
        let mut substrings: Vec<(String, u32)> = Vec::new();
        for f in files {
            let text =
                std::fs::read_to_string(&f).map_err(|e| format!("reading {}: {e}", f.display()))?;
            let list: ListFile = match serde_json::from_str(&text) {
                Ok(l) => l,
                Err(e) => {
                    wl.skipped
                        .push(format!("{}: not a warninglist: {e}", f.display()));
                    continue;
                }
            };
            let kinds: Vec<Kind> = match &list.matching_attributes {
                None => Kind::ALL.to_vec(),
                Some(types) => {
                    let mut k: Vec<Kind> = types
                        .iter()
                        .flat_map(|t| kinds_of(t).iter().copied())
                        .collect();
                    k.sort();
                    k.dedup();
                    k
                }
            };
            let i = wl.lists.len() as u32;
            for entry in &list.list {
                let e = entry.trim();
                if e.is_empty() {
                    continue;
                }
                match list.list_type.as_str() {
                    "string" => {
                        // Each entry as the index would store it, for every kind the list
                        // covers; the entry as written too (lower case) for other shapes.
                        let mut forms: HashSet<String> = kinds
                            .iter()
                            .filter_map(|k| stix::observable::normalise(*k, e))
                            .map(|o| o.value)
                            .collect();
                        forms.insert(e.to_lowercase());
                        for f in forms {
                            wl.strings.entry(f).or_default().push(i);
                        }
                    }
                    "hostname" => {
                        let host = e
                            .trim_start_matches("*.")
                            .trim_start_matches('.')
                            .to_lowercase();
                        let host = stix::observable::normalise(Kind::Domain, &host)
                            .map_or(host, |o| o.value);
                        wl.hostnames.entry(host).or_default().push(i);
                    }
                    "cidr" => {
                        match stix::observable::normalise(Kind::Ip, e).and_then(|o| o.network()) {
                            Some(n) => {
                                wl.nets.entry(n).or_default().push(i);
                                if !wl.net_lengths.contains(&n.1) {
                                    wl.net_lengths.push(n.1);
                                }
                            }
                            None => wl
                                .skipped
                                .push(format!("{}: `{e}` is not an address or range", list.name)),
                        }
                    }
                    "substring" => substrings.push((e.to_lowercase(), i)),
                    "regex" => match pcre(e).map(|p| regex::Regex::new(&p)) {
                        Some(Ok(r)) => wl.regexes.push((r, i)),
                        _ => wl.skipped.push(format!(
                            "{}: `{e}` is not a regular expression this node reads",
                            list.name
                        )),
                    },
                    other => {
                        wl.skipped.push(format!(
                            "{}: list type `{other}` is not one of MISP's",
                            list.name
                        ));
                        break;
                    }
                }
            }
            wl.lists.push(ListInfo {
                name: list.name,
                version: list.version,
                description: list.description,
                list_type: list.list_type,
                kinds,
            });
        }
        for v in wl
            .strings
            .values_mut()
            .chain(wl.hostnames.values_mut())
            .chain(wl.nets.values_mut())
        {
            v.sort_unstable();
            v.dedup();
        }
        wl.net_lengths.sort_unstable();
        if !substrings.is_empty() {
            let ac = AhoCorasick::new(substrings.iter().map(|(s, _)| s.as_str()))
                .map_err(|e| format!("building the substring matcher: {e}"))?;
            wl.substrings = Some((ac, substrings.into_iter().map(|(_, i)| i).collect()));
        }
        Ok(wl)
    }

    pub fn lists(&self) -> &[ListInfo] {
        &self.lists
    }

    /// The lists that flag `o`, in the order they were loaded.
    pub fn matches(&self, o: &Observable) -> Vec<&ListInfo> {
        let mut hit: Vec<u32> = Vec::new();
        let lower = o.value.to_lowercase();
        if let Some(l) = self
            .strings
            .get(&o.value)
            .or_else(|| self.strings.get(&lower))
        {
            hit.extend(l);
        }
        let host = match o.kind {
            Kind::Domain => Some(o.value.clone()),
            Kind::Url => url::Url::parse(&o.value)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned)),
            Kind::Email => o.value.rsplit_once('@').map(|(_, d)| d.to_owned()),
            _ => None,
        };
        if let Some(host) = host {
            let mut at = host.as_str();
            loop {
                if let Some(l) = self.hostnames.get(at) {
                    hit.extend(l);
                }
                match at.split_once('.') {
                    Some((_, rest)) => at = rest,
                    None => break,
                }
            }
        }
        if let Some((addr, len)) = o.network() {
            for &l in self.net_lengths.iter().filter(|l| **l <= len) {
                let masked = if l == 0 {
                    0
                } else {
                    addr & (u128::MAX << (128 - l))
                };
                if let Some(lists) = self.nets.get(&(masked, l)) {
                    hit.extend(lists);
                }
            }
        }
        if let Some((ac, owners)) = &self.substrings {
            hit.extend(
                ac.find_overlapping_iter(&lower)
                    .map(|m| owners[m.pattern().as_usize()]),
            );
        }
        hit.extend(
            self.regexes
                .iter()
                .filter(|(r, _)| r.is_match(&o.value))
                .map(|(_, i)| *i),
        );
        hit.sort_unstable();
        hit.dedup();
        hit.into_iter()
            .map(|i| &self.lists[i as usize])
            .filter(|l| l.kinds.contains(&o.kind))
            .collect()
    }
}

fn find_lists(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            find_lists(&p, out)?;
        } else if p.file_name().is_some_and(|n| n == "list.json") {
            out.push(p);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared_lists() -> Warninglists {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/misp-warninglists/lists");
        assert!(
            dir.is_dir(),
            "the MISP warninglists are missing at {} (this test needs them)",
            dir.display()
        );
        Warninglists::load(&dir).unwrap()
    }

    fn names(wl: &Warninglists, q: &str) -> Vec<String> {
        let o = stix::observable::classify(q).unwrap();
        wl.matches(&o).into_iter().map(|l| l.name.clone()).collect()
    }

    #[test]
    fn misps_lists_load_and_flag_what_they_list() {
        let wl = shared_lists();
        assert_eq!(wl.lists().len(), 136);
        assert!(wl.skipped.is_empty(), "{:?}", wl.skipped);
        let any = |q: &str, part: &str| {
            names(&wl, q)
                .iter()
                .any(|n| n.to_lowercase().contains(part))
        };
        // cidr: RFC 1918 space, an address and a range inside it.
        assert!(
            any("10.1.2.3", "rfc 1918") || any("10.1.2.3", "rfc1918"),
            "{:?}",
            names(&wl, "10.1.2.3")
        );
        assert!(!names(&wl, "10.8.0.0/16").is_empty());
        // string: a public resolver.
        assert!(!names(&wl, "8.8.8.8").is_empty());
        // hostname: a subdomain of a listed domain, and a URL on it.
        assert!(!names(&wl, "mail.google.com").is_empty());
        assert!(!names(&wl, "https://www.google.com/search").is_empty());
        // regex: common contact addresses.
        assert!(
            any("abuse@example.org", "contact"),
            "{:?}",
            names(&wl, "abuse@example.org")
        );
        // Nothing flags a value nobody lists.
        assert!(
            names(&wl, "evil-c2-7f3a9.example").is_empty(),
            "{:?}",
            names(&wl, "evil-c2-7f3a9.example")
        );
        assert!(
            names(&wl, "203.0.113.77")
                .iter()
                .all(|n| !n.to_lowercase().contains("1918"))
        );
    }

    #[test]
    fn a_list_applies_only_to_the_kinds_it_names() {
        let dir = tempfile::tempdir().unwrap();
        let put = |name: &str, body: &str| {
            let d = dir.path().join(name);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("list.json"), body).unwrap();
        };
        put(
            "hashes",
            r#"{"name":"Known hashes","version":1,"description":"d","type":"string","matching_attributes":["md5"],"list":["D41D8CD98F00B204E9800998ECF8427E"]}"#,
        );
        put(
            "sub",
            r#"{"name":"Shorteners","version":1,"description":"d","type":"substring","matching_attributes":["url"],"list":["bit.ly"]}"#,
        );
        let wl = Warninglists::load(dir.path()).unwrap();
        assert_eq!(
            names(&wl, "d41d8cd98f00b204e9800998ecf8427e"),
            ["Known hashes"]
        );
        assert_eq!(names(&wl, "https://bit.ly/abc"), ["Shorteners"]);
        assert!(
            names(&wl, "bit.ly").is_empty(),
            "a url list does not flag a domain"
        );
        assert!(Warninglists::load(&dir.path().join("missing")).is_err());
    }
}

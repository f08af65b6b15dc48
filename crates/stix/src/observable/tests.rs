use super::*;

fn c(q: &str) -> Option<(Kind, String)> {
    classify(q).map(|o| (o.kind, o.value))
}

#[test]
fn values_typed_by_people_are_classified_and_normalised() {
    let cases: &[(&str, Kind, &str)] = &[
        ("198.51.100.7", Kind::Ip, "198.51.100.7"),
        ("198.51.100.7/32", Kind::Ip, "198.51.100.7"),
        ("198.51.100.77/24", Kind::Ip, "198.51.100.0/24"),
        (
            "2001:0DB8:0000:0000:0000:0000:0000:0001",
            Kind::Ip,
            "2001:db8::1",
        ),
        ("2001:db8::1/32", Kind::Ip, "2001:db8::/32"),
        ("198[.]51[.]100[.]7", Kind::Ip, "198.51.100.7"),
        ("Example.ORG", Kind::Domain, "example.org"),
        ("example.org.", Kind::Domain, "example.org"),
        ("bücher.example", Kind::Domain, "xn--bcher-kva.example"),
        ("evil[.]example", Kind::Domain, "evil.example"),
        (
            "HTTP://Example.org:80/a/../b?q=1",
            Kind::Url,
            "http://example.org/b?q=1",
        ),
        (
            "hxxps://evil[.]example/x",
            Kind::Url,
            "https://evil.example/x",
        ),
        (
            "evil.example/login.php",
            Kind::Url,
            "http://evil.example/login.php",
        ),
        ("Alice@Example.ORG", Kind::Email, "alice@example.org"),
        ("alice[@]example[.]org", Kind::Email, "alice@example.org"),
        (
            "D41D8CD98F00B204E9800998ECF8427E",
            Kind::Hash,
            "d41d8cd98f00b204e9800998ecf8427e",
        ),
        (
            "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C",
            Kind::Hash,
            "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C",
        ),
        ("00-1A-2B-3C-4D-5E", Kind::Mac, "00:1a:2b:3c:4d:5e"),
        ("001a.2b3c.4d5e", Kind::Mac, "00:1a:2b:3c:4d:5e"),
        ("AS174", Kind::Asn, "174"),
        ("174", Kind::Asn, "174"),
        ("domain:localhost", Kind::Domain, "localhost"),
        ("hash:abc", Kind::Hash, "abc"),
    ];
    for (q, kind, v) in cases {
        assert_eq!(c(q), Some((*kind, v.to_string())), "{q}");
    }
    for q in [
        "",
        "   ",
        "hello world",
        "not_a_value",
        "1.2.3.4/33",
        "::1/129",
        "a..b",
        "-x.example",
        "http://",
        "@example.org",
    ] {
        assert_eq!(c(q), None, "{q:?}");
    }
}

#[test]
fn networks_map_ipv4_into_ipv6_space() {
    let o = classify("10.0.0.0/8").unwrap();
    let n = o.network().unwrap();
    assert_eq!(n.1, 104);
    let (lo, hi) = range(n);
    let inside = classify("10.255.1.2").unwrap().network().unwrap();
    assert!(lo <= inside.0 && inside.0 <= hi);
    let outside = classify("11.0.0.0").unwrap().network().unwrap();
    assert!(outside.0 > hi);
    assert_eq!(classify("::/0").unwrap().network(), Some((0, 0)));
    assert_eq!(range((0, 0)), (0, u128::MAX));
}

#[test]
fn parent_domains_stop_before_the_top_level() {
    let o = classify("a.b.example.org").unwrap();
    assert_eq!(
        o.parent_domains().collect::<Vec<_>>(),
        ["b.example.org", "example.org"]
    );
    assert_eq!(classify("example.org").unwrap().parent_domains().count(), 0);
}

fn obs(json: &str) -> Vec<String> {
    of_object(json).iter().map(ToString::to_string).collect()
}

#[test]
fn scos_hold_their_values() {
    assert_eq!(
        obs(
            r#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}"#
        ),
        ["ip:198.51.100.3"]
    );
    assert_eq!(
        obs(
            r#"{"type":"domain-name","id":"domain-name--dd686e37-6889-53bd-8ae1-b1a503452613","value":"evil[.]example","defanged":true}"#
        ),
        ["domain:evil.example"]
    );
    assert_eq!(
        obs(
            r#"{"type":"autonomous-system","id":"autonomous-system--f720c34b-98ae-597f-ade5-27dc241e8c74","number":15139}"#
        ),
        ["asn:15139"]
    );
    assert_eq!(
        obs(
            r#"{"type":"file","id":"file--5a27d487-c542-5f97-a131-a8866b477b46","hashes":{"MD5":"D41D8CD98F00B204E9800998ECF8427E","SHA-1":"da39a3ee5e6b4b0d3255bfef95601890afd80709"}}"#
        ),
        [
            "hash:d41d8cd98f00b204e9800998ecf8427e",
            "hash:da39a3ee5e6b4b0d3255bfef95601890afd80709"
        ]
    );
    assert!(obs(r#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"not an ip"}"#).is_empty());
}

#[test]
fn observed_data_holds_its_embedded_objects() {
    let json = r#"{"type":"observed-data","id":"observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf","objects":{"0":{"type":"ipv4-addr","value":"203.0.113.9"},"1":{"type":"network-traffic","dst_ref":"0"},"2":{"type":"url","value":"http://EVIL.example/"}}}"#;
    assert_eq!(obs(json), ["ip:203.0.113.9", "url:http://evil.example/"]);
}

#[test]
fn indicators_hold_the_values_their_patterns_name() {
    let json = r#"{"type":"indicator","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","pattern_type":"stix","pattern":"[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '5.6.7.8'] OR [email-message:from_ref.value = 'Bad@Example.org'] OR [domain-name:resolves_to_refs[*].value = '10.0.0.1'] OR [ipv4-addr:value ISSUBSET '192.0.2.0/24'] OR [ipv6-addr:value ISSUPERSET '2001:db8::1'] OR [file:name = 'x.exe' AND file:hashes.'SHA-256' = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] OR [url:value != 'http://no.example/'] OR [autonomous-system:number = '174']"}"#;
    assert_eq!(
        obs(json),
        [
            "ip:5.6.7.8",
            "email:bad@example.org",
            "ip:10.0.0.1",
            "ip:192.0.2.0/24",
            "ip:2001:db8::1",
            "hash:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "asn:174"
        ]
    );
    let other = r#"{"type":"indicator","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","pattern_type":"snort","pattern":"alert tcp any any -> 1.2.3.4 any"}"#;
    assert!(obs(other).is_empty());
}

#[test]
fn references_leave_markings_out_and_look_inside_extensions() {
    let json = r#"{"type":"incident","id":"incident--0f4a4f5e-3a3b-4f6e-9c3a-1b2c3d4e5f60","created_by_ref":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],"extensions":{"extension-definition--ef765651-680c-498d-9894-99799f2fa126":{"tasks":[{"task_ref":"task--1d3e8c1b-9a6c-4f1e-8d2f-3b4a5c6d7e8f"}],"impact_refs":["impact--2d3e8c1b-9a6c-4f1e-8d2f-3b4a5c6d7e8f"]}}}"#;
    let refs: Vec<(String, String)> = refs_of(json)
        .into_iter()
        .map(|r| (r.property, r.target))
        .collect();
    assert_eq!(
        refs,
        [
            (
                "created_by_ref".to_owned(),
                "identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f".to_owned()
            ),
            (
                "task_ref".to_owned(),
                "task--1d3e8c1b-9a6c-4f1e-8d2f-3b4a5c6d7e8f".to_owned()
            ),
            (
                "impact_refs".to_owned(),
                "impact--2d3e8c1b-9a6c-4f1e-8d2f-3b4a5c6d7e8f".to_owned()
            ),
        ]
    );
}

#[test]
fn a_pattern_type_written_with_escapes_is_still_stix() {
    let json = r#"{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","valid_from":"2016-01-01T00:00:00Z","pattern_type":"\u0073tix","pattern":"[ipv4-addr:value = '1.2.3.4'"}"#;
    let r = crate::validate_str(json)
        .expect_err("an unparsable stix pattern is refused however `stix` is spelled");
    assert!(r.reason().contains("pattern"), "{r}");
    let ok = json.replace("1.2.3.4'\"", "1.2.3.4']\"");
    assert_eq!(
        crate::validate_str(&ok).unwrap().holdings.values().count(),
        1
    );
}

#[test]
fn ipv4_addresses_come_out_in_one_form() {
    for (given, want) in [
        ("1.2.3.4", Some("1.2.3.4")),
        ("01.2.3.4", None),
        ("1.2.3", None),
        ("0x1.2.3.4", None),
        ("255.255.255.255", Some("255.255.255.255")),
    ] {
        assert_eq!(
            normalise(Kind::Ip, given).map(|o| o.value),
            want.map(str::to_owned),
            "{given}"
        );
    }
}

#[test]
fn a_plain_pattern_gives_what_its_tree_gives() {
    for p in [
        "[ipv4-addr:value = '198.51.100.7']",
        "[ipv4-addr:value = '198.51.100.0/24']",
        "[ipv6-addr:value = '2001:DB8::1']",
        "[domain-name:value = 'Evil[.]Example']",
        "[url:value = 'hxxp://evil.example/a']",
        "[email-addr:value = 'A@Example.org']",
        "[mac-addr:value = '00-1A-2B-3C-4D-5E']",
        "[autonomous-system:number = '174']",
        "[file:name = 'x.exe']",
        "[ipv4-addr:value = 'not an address']",
        "[x-custom:value = '1.2.3.4']",
    ] {
        let via_tree = of_pattern(&crate::pattern::parse(p).unwrap());
        assert_eq!(super::pattern_values(p).unwrap(), via_tree, "{p}");
    }
}

#[test]
fn plain_and_international_domain_names_agree_with_idna() {
    for name in [
        "Example.ORG",
        "a-b.example",
        "under_score.example",
        "xn--bcher-kva.example",
        "BÜCHER.example",
        "1.example",
    ] {
        let ours = normalise(Kind::Domain, name).map(|o| o.value);
        let idna = idna::domain_to_ascii(name.trim_end_matches('.')).ok();
        assert_eq!(ours, idna, "{name}");
    }
}

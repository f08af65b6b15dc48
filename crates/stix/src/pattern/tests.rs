use super::*;

fn ok(p: &str) -> Pattern {
    parse(p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn err(p: &str) -> PatternError {
    parse(p).expect_err(p)
}

fn values(p: &str) -> Vec<(String, String, bool)> {
    ok(p)
        .equalities()
        .map(|e| (e.path.to_string(), e.value.into_owned(), e.subset))
        .collect()
}

#[test]
fn equalities_come_from_eq_in_and_issubset_only() {
    let v = values(
        "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.5'] \
         OR [file:hashes.'SHA-256' = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' OR file:name != 'x.exe' OR file:size > 5] \
         FOLLOWEDBY [ipv4-addr:value ISSUBSET '198.51.100.0/24'] WITHIN 300 SECONDS \
         AND [email-message:to_refs[*].value IN ('a@example.org', 'b@example.org')] \
         AND [autonomous-system:number = 174] AND [url:value NOT = 'http://skip.example/']",
    );
    let expect = [
        ("network-traffic:dst_ref.type", "ipv4-addr", false),
        ("network-traffic:dst_ref.value", "203.0.113.5", false),
        (
            "file:hashes.'SHA-256'",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            false,
        ),
        ("ipv4-addr:value", "198.51.100.0/24", true),
        ("email-message:to_refs[*].value", "a@example.org", false),
        ("email-message:to_refs[*].value", "b@example.org", false),
        ("autonomous-system:number", "174", false),
    ];
    let got: Vec<(&str, &str, bool)> = v
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), *c))
        .collect();
    assert_eq!(got, expect);
}

#[test]
fn precedence_follows_the_grammar() {
    // AND binds tighter than OR, OR tighter than FOLLOWEDBY.
    let p = ok("[a:b = 1] FOLLOWEDBY [a:b = 2] OR [a:b = 3] AND [a:b = 4]");
    let Observation::FollowedBy(parts) = p.root else {
        panic!()
    };
    assert_eq!(parts.len(), 2);
    let Observation::Or(alts) = &parts[1] else {
        panic!()
    };
    assert!(matches!(alts[1], Observation::And(_)));
    let p = ok("[a:b = 1 OR a:b = 2 AND a:c = 3]");
    let Observation::Simple(Comparison::Or(alts)) = p.root else {
        panic!()
    };
    assert!(matches!(alts[1], Comparison::And(_)));
}

#[test]
fn qualifiers_stack_and_need_their_keywords() {
    let p = ok(
        "([a:b = 1] AND [a:b = 2]) REPEATS 5 TIMES WITHIN 1.5 SECONDS START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00.123Z'",
    );
    let Observation::Qualified(inner, Qualifier::StartStop(..)) = p.root else {
        panic!()
    };
    assert!(matches!(*inner, Observation::Qualified(_, Qualifier::Within(w)) if w == 1.5));
    err("[a:b = 1] REPEATS -1 TIMES");
    err("[a:b = 1] WITHIN -5 SECONDS");
    err("[a:b = 1] WITHIN 5");
    err("[a:b = 1] START t'2016-06-01T00:00:00Z'");
}

#[test]
fn literals_of_every_kind() {
    ok(
        "[a:b = 'it\\'s \\\\ fine' AND a:c = -5 AND a:d = +7 AND a:e = -.5 AND a:f = 2.25 AND a:g = true]",
    );
    ok("[a:b = h'0aFF' AND a:c = b'AQID' AND a:d = b'AQ==' AND a:e = t'2020-02-29T23:59:60Z']");
    assert!(
        err("[a:b = 'bad \\n escape']")
            .message
            .contains("backslash")
    );
    err("[a:b = 01]");
    err("[a:b = h'0']");
    err("[a:b = b'AQI']");
    err("[a:b = t'2020-13-01T00:00:00Z']");
    err("[a:b = 'open]");
    err("[a:b > true]");
    assert!(matches!(values("[a:b IN ()]").len(), 0));
}

#[test]
fn paths_quote_what_holds_a_hyphen() {
    let p = ok("[x-custom-type:'first-key'.sub[0].'two words'[*] = 'v']");
    let Observation::Simple(Comparison::Test { path, .. }) = p.root else {
        panic!()
    };
    assert_eq!(path.object_type, "x-custom-type");
    assert_eq!(
        path.keys().collect::<Vec<_>>(),
        ["first-key", "sub", "two words"]
    );
    assert_eq!(
        path.to_string(),
        "x-custom-type:'first-key'.sub[0].'two words'[*]"
    );
    assert!(err("[file:hashes.SHA-256 = 'x']").message.contains("quote"));
    assert!(err("[file:first-key = 'x']").message.contains("quote"));
}

#[test]
fn comments_and_unicode_spaces_are_blank() {
    ok("/* c */[a:b\u{3000}= 'v'] // trailing\n AND [a:c = 1]");
    err("/* never closed [a:b = 1]");
}

#[test]
fn errors_say_where_and_what() {
    let e = err("[ipv4-addr:value = '1.2.3.4'");
    assert_eq!(e.offset, Some(28));
    assert!(e.message.contains("`]`"), "{e}");
    let e = err("[ipv4-addr:value == '1' ANDD x:y = 2]");
    assert!(e.message.contains("ANDD"), "{e}");
    err("");
    err("[]");
    err("ipv4-addr:value = '1'");
    err("[a:b = 1] AND");
    err("[a:b = 1] [a:b = 2]");
    err("[NOT a:b = 1]");
    err("[a:b = 1] | [a:c = 2]");
}

#[test]
fn nesting_is_bounded_without_using_the_stack() {
    let deep = format!(
        "{}[a:b = 1]{}",
        "(".repeat(MAX_NESTING - 1),
        ")".repeat(MAX_NESTING - 1)
    );
    ok(&deep);
    let too_deep = format!(
        "{}[a:b = 1]{}",
        "(".repeat(MAX_NESTING),
        ")".repeat(MAX_NESTING)
    );
    assert!(err(&too_deep).message.contains("nest"));
    // Far deeper than any stack would allow: refused, quickly.
    let hostile = format!("{}[a:b = 1]", "(".repeat(1_000_000));
    assert!(err(&hostile).message.contains("nest"));
    let hostile = format!("[{}a:b = 1", "(".repeat(1_000_000));
    assert!(err(&hostile).message.contains("nest"));
    // Long flat chains are loops, not recursion.
    let long = vec!["[a:b = 1]"; 100_000].join(" AND ");
    assert_eq!(ok(&long).equalities().count(), 100_000);
}

#[test]
fn hash_values_must_have_their_algorithms_form() {
    ok(
        "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' AND file:hashes.'SHA-1' != 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
    );
    ok(
        "[file:hashes.SSDEEP = '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C' AND file:hashes.'x-custom' = 'anything']",
    );
    assert!(
        err("[file:hashes.MD5 = 'ab']")
            .message
            .contains("not a valid MD5 hash")
    );
    assert!(
        err("[file:hashes.'SHA-256' IN ('zz')]")
            .message
            .contains("SHA-256")
    );
    ok("[file:hashes.MD5 LIKE 'd41d%']");
}

#[test]
fn a_qualifier_kind_applies_once_to_an_observation() {
    assert!(
        err("[a:b = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS")
            .message
            .contains("twice")
    );
    ok("([a:b = 1] WITHIN 5 SECONDS) WITHIN 6 SECONDS");
    ok("[a:b = 1] WITHIN 5 SECONDS REPEATS 2 TIMES");
}

mod shortcut {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        #[test]
        fn the_shortcut_agrees_with_the_parser(
            ty in prop_oneof![Just("ipv4-addr".to_owned()), Just("AND".to_owned()), Just("t".to_owned()), r"[a-zA-Z_:'\\\- 0-9]{0,8}"],
            prop in prop_oneof![Just("value".to_owned()), Just("true".to_owned()), Just("a-b".to_owned()), r"[a-zA-Z_.:'\\\- 0-9]{0,8}"],
            eq in prop_oneof![Just(" = '".to_owned()), Just(" == '".to_owned()), Just("= '".to_owned()), Just(" = ' ".to_owned())],
            value in r"[a-z0-9.'\\ \u{3000}\]\[:/]{0,10}",
            end in prop_oneof![Just("']".to_owned()), Just("' ]".to_owned()), Just("'] AND [a:b = 1]".to_owned()), Just("'".to_owned())],
        ) {
            let text = format!("[{ty}:{prop}{eq}{value}{end}");
            if let Some(fast) = simple(&text) {
                prop_assert_eq!(Ok(fast), parse::pattern(&text), "{}", text);
            }
        }
    }

    #[test]
    fn plain_patterns_take_the_shortcut() {
        assert!(simple("[ipv4-addr:value = '198.51.100.7']").is_some());
        assert!(
            simple("[file:hashes.MD5 = 'x']").is_none(),
            "hash forms are the parser's to check"
        );
        assert!(simple("[a:b = 'x'] AND [a:b = 'y']").is_none());
        assert!(simple("[a:b = 'it\\'s']").is_none());
    }
}

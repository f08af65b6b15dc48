use super::*;
use proptest::prelude::*;

/// What the three passes this scan replaced said of `text`: serde_json's parse into
/// properties, then the shape check, then compaction.
fn reference(text: &str) -> Result<(Vec<(String, String)>, String), ScanError> {
    let props: Properties = match serde_json::from_str(text) {
        Ok(p) => p,
        Err(e) if e.is_data() => return Err(ScanError::NotObject),
        Err(e) => return Err(ScanError::NotJson(e.to_string())),
    };
    crate::shape::check(text).map_err(ScanError::Shape)?;
    let named = props
        .0
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Ok((named, crate::compact::compact(text)))
}

fn ours(text: &str) -> Result<(Vec<(String, String)>, String), ScanError> {
    let s = object(text)?;
    let named = s
        .props
        .0
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Ok((named, s.compact))
}

/// The same texts read, with the same properties and the same compacted text; the same
/// texts refused, and every text the shape check refused refused for its shape (a lone
/// surrogate in a top-level name, which serde_json refused as it decoded the name, is now
/// a shape refusal too; the wording of what is not JSON differs).
fn agree(text: &str) -> Result<(), TestCaseError> {
    let (a, b) = (ours(text), reference(text));
    match (&a, &b) {
        (Ok(_), _) | (_, Ok(_)) => prop_assert_eq!(a, b, "{:?}", text),
        (Err(mine), Err(ScanError::Shape(_))) => {
            prop_assert!(
                matches!(mine, ScanError::Shape(_)),
                "{:?}: {:?}",
                text,
                mine
            )
        }
        (Err(_), Err(_)) => {}
    }
    Ok(())
}

#[test]
fn reads_an_object_and_compacts_it() {
    let text = " {\"type\" : \"x\",\n \"a\\u0062\": [1, -2.5e+3, true, null, {\"k\": \"v w\"}] } ";
    let s = object(text).unwrap();
    assert_eq!(
        s.compact,
        r#"{"type":"x","a\u0062":[1,-2.5e+3,true,null,{"k":"v w"}]}"#
    );
    let names: Vec<&str> = s.props.names().collect();
    assert_eq!(names, ["type", "ab"]);
    assert_eq!(
        s.props.get("ab"),
        Some(r#"[1, -2.5e+3, true, null, {"k": "v w"}]"#)
    );
    agree(text).unwrap();
}

#[test]
fn refuses_what_serde_json_refuses() {
    for bad in [
        "{",
        "{\"a\":}",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\":-}",
        "{\"a\":1e}",
        "{\"a\":.5}",
        "{\"a\":[1,]}",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{\"a\":\"\t\"}",
        "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12g4\"}",
        "{\"a\":\"\\u+12a\"}",
        "{\"a\":tru}",
        "{\"a\":nul}",
        "{a:1}",
        "{\"a\":1}x",
        "{\"a\":1}{}",
        "{\"a\":\"x}",
        "{\"a\":[}",
        "{\"a\":{\"b\"}}",
        "{\"a\":+1}",
    ] {
        assert!(matches!(object(bad), Err(ScanError::NotJson(_))), "{bad}");
        agree(bad).unwrap();
    }
    for not_object in ["[1]", "1", "\"s\"", " null "] {
        assert_eq!(object(not_object).err(), Some(ScanError::NotObject));
        agree(not_object).unwrap();
    }
}

#[test]
fn applies_the_shape_limits() {
    let deep = |n: usize| format!("{{\"a\":{}{}}}", "[".repeat(n - 1), "]".repeat(n - 1));
    assert!(object(&deep(100)).is_ok());
    assert!(matches!(object(&deep(101)), Err(ScanError::Shape(_))));
    assert!(matches!(object(&deep(100_000)), Err(ScanError::Shape(_))));
    // Too deep and not JSON either: not JSON.
    let broken = format!("{{\"a\":{}", "[".repeat(200));
    assert!(matches!(object(&broken), Err(ScanError::NotJson(_))));
    for bad in [
        r#"{"a":"\ud83d"}"#,
        r#"{"a":"\ude00"}"#,
        r#"{"\udfff":1}"#,
        r#"{"a":"\ud83d\u0041"}"#,
    ] {
        assert!(matches!(object(bad), Err(ScanError::Shape(_))), "{bad}");
        agree(bad).unwrap();
    }
    assert!(object(r#"{"a":"\ud83d\ude00"}"#).is_ok());
}

#[test]
fn finds_every_special_byte_wherever_it_stands_in_a_long_string() {
    // The search goes eight bytes at a time: each place in and around a word.
    for len in [7, 8, 9, 15, 16, 17, 40] {
        for at in 0..len {
            for special in ["\t", "\u{1}", "\u{1f}", "\\n", "\\", "\"", "é"] {
                let mut body: String = "a".repeat(len);
                body.replace_range(at..at + 1, special);
                let text = format!("{{\"k\":\"{body}\",\"z\":1}}");
                agree(&text).unwrap();
            }
        }
    }
}

/// Arbitrary JSON values written with random whitespace.
fn json() -> impl Strategy<Value = String> {
    let ws = prop::sample::select(vec!["", "", " ", "\n", "\t ", "\r\n"]);
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:e}")),
        "[-]?(0|[1-9][0-9]{0,3})([.][0-9]{1,3})?([eE][+-]?[0-9]{1,2})?",
        r#""([a-z ]|\\["\\/bfnrt]|\\u00[0-9a-f]{2}|\\ud83d\\ude00|é|ج){0,8}""#,
    ];
    leaf.prop_recursive(5, 48, 6, move |inner| {
        let ws = ws.clone();
        prop_oneof![
            (prop::collection::vec((inner.clone(), ws.clone()), 0..5)).prop_map(|items| {
                let body: Vec<String> = items
                    .into_iter()
                    .map(|(v, w)| format!("{w}{v}{w}"))
                    .collect();
                format!("[{}]", body.join(","))
            }),
            (prop::collection::vec(("[a-z_]{1,6}", inner, ws.clone()), 0..5)).prop_map(|members| {
                let body: Vec<String> = members
                    .into_iter()
                    .map(|(k, v, w)| format!("{w}\"{k}\"{w}:{w}{v}{w}"))
                    .collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
}

/// A JSON object, then perhaps damaged: a byte replaced, removed or inserted.
fn maybe_damaged() -> impl Strategy<Value = String> {
    let object = (prop::collection::vec(("[a-z_]{1,6}", json()), 0..6)).prop_map(|members| {
        let body: Vec<String> = members
            .into_iter()
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        format!("{{ {} }}", body.join(", "))
    });
    let damage = prop::sample::select(vec![
        "", "", "", "\"", "\\", ",", ":", "{", "}", "[", "]", "0", "-", ".", "e", " ", "\u{1}",
        "x", "\\u", "\\ud800",
    ]);
    (object, any::<prop::sample::Index>(), damage, 0..3u8).prop_map(|(text, at, with, how)| {
        if with.is_empty() || text.is_empty() {
            return text;
        }
        let mut at = at.index(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut t = text.clone();
        match how {
            0 => t.insert_str(at, with),
            1 => {
                let end = (at + 1..=t.len())
                    .find(|&e| t.is_char_boundary(e))
                    .unwrap_or(t.len());
                t.replace_range(at..end, with);
            }
            _ => {
                let end = (at + 1..=t.len())
                    .find(|&e| t.is_char_boundary(e))
                    .unwrap_or(t.len());
                t.replace_range(at..end, "");
            }
        }
        t
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn agrees_with_serde_json_the_shape_check_and_compaction(text in maybe_damaged()) {
        agree(&text)?;
    }

    #[test]
    fn any_json_value_gets_the_same_verdict(text in json()) {
        agree(&text)?;
    }
}

//! `symbolon collection delete`: a collection and everything stored in it go in one
//! transaction with an audit entry, after which `audit verify` still accounts for every
//! entry; nothing is deleted without `--yes`; another collection is untouched.

mod common;

use common::{Node, cli, create_collection, indicators, ok};

fn lookup_hits(data: &std::path::Path, value: &str) -> usize {
    let out = ok(cli(data, &["lookup", "--json", value]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["results"][0]["hits"].as_array().map_or(0, Vec::len)
}

#[test]
fn a_deleted_collection_is_gone_everywhere_and_the_log_still_covers_the_store() {
    let dir = common::fresh();
    let data = dir.path();
    let gone = create_collection(data, "gone");
    let kept = create_collection(data, "kept");
    let (bundle, _) = indicators(30);
    let (other, other_ids) = indicators(3);
    {
        let node = Node::start(data);
        assert_eq!(node.post(&gone, bundle).status(), 202);
        assert_eq!(node.post(&kept, other).status(), 202);
        node.kill();
    }
    // 203.0.113.9 is in every indicator: 33 holders before.
    assert_eq!(lookup_hits(data, "203.0.113.9"), 33);

    // Without --yes nothing goes, and the operator is told what would.
    let asked = cli(data, &["collection", "delete", "gone"]);
    assert_eq!(asked.status.code(), Some(2));
    let said = String::from_utf8_lossy(&asked.stderr);
    assert!(said.contains("--yes") && said.contains(&gone), "{said}");
    assert!(ok(cli(data, &["collection", "list"])).contains(&gone));

    let done = ok(cli(data, &["collection", "delete", "gone", "--yes"]));
    assert!(done.contains("30 object versions"), "{done}");
    let list = ok(cli(data, &["collection", "list"]));
    assert!(!list.contains(&gone) && list.contains(&kept), "{list}");
    // The correlation index forgot its objects; the other collection's remain.
    assert_eq!(lookup_hits(data, "203.0.113.9"), 3);
    // The log accounts for every entry: the deletion closes the collection's accounts.
    let verified = cli(data, &["audit", "verify"]);
    let text = String::from_utf8_lossy(&verified.stdout);
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert!(
        text.contains(&format!("collection {gone} (gone): deleted by entry")),
        "{text}"
    );
    // Deleting it again: nothing to delete, said so.
    let again = cli(data, &["collection", "delete", &gone, "--yes"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("no collection"));
    // Over TAXII the collection no longer exists; the other one serves as before.
    let node = Node::start(data);
    let client = Node::client();
    let get = |coll: &str| {
        client
            .get(format!("{}/api1/collections/{coll}/objects/", node.base))
            .basic_auth("admin", Some(common::PASSWORD))
            .header("Accept", common::TAXII)
            .send()
            .unwrap()
    };
    assert_eq!(get(&gone).status(), 404);
    let body: serde_json::Value = get(&kept).json().unwrap();
    assert_eq!(body["objects"].as_array().unwrap().len(), other_ids.len());
}

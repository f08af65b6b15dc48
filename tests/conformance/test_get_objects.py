"""TAXII 2.1 §5.3 Get Objects, §3.4 filtering, §3.5 pagination, §5.5-§5.8."""

import time

from stixgen import envelope, indicator, malware, ts
from taxii import Client, is_error, ok


def three_versions(c):
    """An indicator in three versions, posted newest first."""
    id = indicator()["id"]
    versions = [indicator(id=id, modified=ts(s)) for s in (2, 0, 1)]
    ok(c.post(envelope(*versions)), 202)
    return id


def ids_and_versions(body):
    return [(o["id"], o["modified"]) for o in body.get("objects", [])]


def test_the_default_is_the_latest_version(server):
    c = Client(server, server.writer)
    id = three_versions(c)
    body = ok(c.objects({"match[id]": id}))
    assert ids_and_versions(body) == [(id, ts(2))]


def test_match_version_first_all_and_a_timestamp(server):
    c = Client(server, server.writer)
    id = three_versions(c)
    assert ids_and_versions(ok(c.objects({"match[id]": id, "match[version]": "first"}))) == [(id, ts(0))]
    assert sorted(ids_and_versions(ok(c.objects({"match[id]": id, "match[version]": "all"})))) == [(id, ts(s)) for s in (0, 1, 2)]
    assert ids_and_versions(ok(c.objects({"match[id]": id, "match[version]": ts(1)}))) == [(id, ts(1))]
    both = ok(c.objects({"match[id]": id, "match[version]": "first,last"}))
    assert sorted(ids_and_versions(both)) == [(id, ts(0)), (id, ts(2))]


def test_match_type_and_id_select(server):
    c = Client(server, server.writer)
    i, m = indicator(), malware()
    ok(c.post(envelope(i, m)), 202)
    body = ok(c.objects({"match[id]": f"{i['id']},{m['id']}", "match[type]": "malware"}))
    assert [o["id"] for o in body["objects"]] == [m["id"]]


def test_match_spec_version(server):
    c = Client(server, server.writer)
    i = indicator()
    ok(c.post(envelope(i)), 202)
    assert len(ok(c.objects({"match[id]": i["id"], "match[spec_version]": "2.1"}))["objects"]) == 1
    assert "objects" not in ok(c.objects({"match[id]": i["id"], "match[spec_version]": "2.0"}))


def test_added_after_and_the_date_added_headers(server):
    c = Client(server, server.writer)
    first = indicator()
    ok(c.post(envelope(first)), 202)
    r = c.objects({"match[id]": first["id"]})
    added = r.headers["X-TAXII-Date-Added-Last"]
    assert r.headers["X-TAXII-Date-Added-First"] == added
    later = indicator()
    ok(c.post(envelope(later)), 202)
    body = ok(c.objects({"added_after": added, "match[id]": f"{first['id']},{later['id']}"}))
    assert [o["id"] for o in body["objects"]] == [later["id"]]


def test_paging_by_limit_and_next_returns_everything_once(server):
    c = Client(server, server.writer)
    objs = [indicator() for _ in range(25)]
    ok(c.post(envelope(*objs)), 202)
    ids = ",".join(o["id"] for o in objs)
    seen, params = [], {"match[id]": ids, "limit": 7}
    while True:
        body = ok(c.objects(params))
        assert len(body.get("objects", [])) <= 7
        seen += [o["id"] for o in body.get("objects", [])]
        if not body.get("more"):
            break
        params = {"match[id]": ids, "limit": 7, "next": body["next"]}
    assert sorted(seen) == sorted(o["id"] for o in objs)


def test_paging_by_added_after_never_loses_objects_from_one_post(server):
    # medallion stamps every object of one POST with the same date_added: paging by
    # X-TAXII-Date-Added-Last then skips the rest of the request.
    c = Client(server, server.writer)
    objs = [indicator() for _ in range(10)]
    ok(c.post(envelope(*objs)), 202)
    ids = ",".join(o["id"] for o in objs)
    seen, params = [], {"match[id]": ids, "limit": 3}
    for _ in range(20):
        r = c.objects(params)
        body = ok(r)
        if not body.get("objects"):
            break
        seen += [o["id"] for o in body["objects"]]
        params = {"match[id]": ids, "limit": 3, "added_after": r.headers["X-TAXII-Date-Added-Last"]}
    assert sorted(seen) == sorted(o["id"] for o in objs)


def test_date_added_is_strictly_increasing(server):
    c = Client(server, server.writer)
    objs = [indicator() for _ in range(20)]
    ok(c.post(envelope(*objs)), 202)
    body = ok(c.manifest({"match[id]": ",".join(o["id"] for o in objs)}))
    added = [m["date_added"] for m in body["objects"]]
    assert added == sorted(added) and len(set(added)) == len(added)


def test_malformed_parameters_are_400(server):
    c = Client(server, server.reader)
    for params in ({"added_after": "yesterday"}, {"limit": "0"}, {"limit": "many"}, {"next": "not-issued"},
                   {"match[version]": "newest"}, {"match[spec_version]": "two"}):
        is_error(c.objects(params), 400)


def test_a_reader_can_read_and_an_outsider_cannot(server):
    w = Client(server, server.writer)
    o = indicator()
    ok(w.post(envelope(o)), 202)
    assert ok(Client(server, server.reader).obj(o["id"]))["objects"][0]["id"] == o["id"]
    is_error(Client(server, server.outsider).obj(o["id"]), 404)


def test_rights_are_rechecked_on_every_page(server):
    if not server.binary:
        return  # needs the node's CLI to change a grant mid-paging
    import subprocess
    c = Client(server, ("pager", "pager-pass"))
    subprocess.run([server.binary, "user", "add", "pager", "--password-stdin", "--data", server.data_dir], input="pager-pass\n", text=True, check=True)
    subprocess.run([server.binary, "user", "grant", "pager", "--collection", server.collection, "--read", "--data", server.data_dir], check=True)
    objs = [indicator() for _ in range(4)]
    ok(Client(server, server.writer).post(envelope(*objs)), 202)
    ids = ",".join(o["id"] for o in objs)
    body = ok(c.objects({"match[id]": ids, "limit": 2}))
    assert body["more"]
    subprocess.run([server.binary, "user", "grant", "pager", "--collection", server.collection, "--data", server.data_dir], check=True)
    is_error(c.objects({"match[id]": ids, "limit": 2, "next": body["next"]}), 404)


def test_get_an_object_returns_its_latest_version(server):
    c = Client(server, server.writer)
    id = three_versions(c)
    assert ids_and_versions(ok(c.obj(id))) == [(id, ts(2))]
    assert len(ok(c.obj(id, {"match[version]": "all"}))["objects"]) == 3


def test_an_unknown_object_is_404(server):
    is_error(Client(server, server.reader).obj(indicator()["id"]), 404)


def test_versions_lists_every_version(server):
    c = Client(server, server.writer)
    id = three_versions(c)
    body = ok(c.versions(id))
    assert sorted(body["versions"]) == [ts(0), ts(1), ts(2)]
    assert body["more"] is False
    paged = ok(c.versions(id, {"limit": 2}))
    assert len(paged["versions"]) == 2 and paged["more"] is True


def test_manifest_entries(server):
    c = Client(server, server.writer)
    o = indicator()
    ok(c.post(envelope(o)), 202)
    r = c.manifest({"match[id]": o["id"]})
    [entry] = ok(r)["objects"]
    assert entry["id"] == o["id"] and entry["version"] == o["modified"]
    assert entry["media_type"] == "application/stix+json;version=2.1"
    assert r.headers["X-TAXII-Date-Added-First"] == entry["date_added"]


def test_delete_removes_the_object(server):
    c = Client(server, server.writer)
    o = indicator()
    ok(c.post(envelope(o)), 202)
    assert c.delete(o["id"]).status_code == 200
    is_error(c.obj(o["id"]), 404)
    is_error(c.delete(o["id"]), 404)


def test_delete_of_one_version_keeps_the_others(server):
    c = Client(server, server.writer)
    id = three_versions(c)
    assert c.delete(id, {"match[version]": "last"}).status_code == 200
    assert ids_and_versions(ok(c.obj(id))) == [(id, ts(1))]


def test_a_reader_cannot_delete(server):
    o = indicator()
    ok(Client(server, server.writer).post(envelope(o)), 202)
    is_error(Client(server, server.reader).delete(o["id"]), 403)


def test_unknown_properties_and_extensions_survive(server):
    c = Client(server, server.writer)
    o = indicator(x_acme_score=7, extensions={"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e": {"extension_type": "property-extension", "rank": 5}})
    ok(c.post(envelope(o)), 202)
    assert ok(c.obj(o["id"]))["objects"][0] == o

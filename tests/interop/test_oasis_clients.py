"""The OASIS client libraries drive a running node: taxii2-client and stix2's TAXII
data source and store."""

import stix2
from stix2 import Filter, TAXIICollectionSource, TAXIICollectionStore
from taxii2client.v21 import Server, as_pages

from stixgen import envelope, indicator, ts


def collection(server, auth):
    api = Server(server.discovery, user=auth[0], password=auth[1]).default
    [coll] = [c for c in api.collections if c.id == server.collection]
    return coll


def test_taxii2client_discovers_and_reads_the_collection(server):
    srv = Server(server.discovery, user=server.admin[0], password=server.admin[1])
    assert srv.title
    assert server.api_root in [a.url for a in srv.api_roots]
    coll = collection(server, server.reader)
    assert coll.can_read and not coll.can_write


def test_taxii2client_adds_and_pages_objects(server):
    coll = collection(server, server.writer)
    objs = [indicator() for _ in range(12)]
    status = coll.add_objects(envelope(*objs))
    assert status.status == "complete" and status.success_count == 12
    ids = ",".join(o["id"] for o in objs)
    seen = []
    for page in as_pages(coll.get_objects, per_request=5, id=ids):
        seen += [o["id"] for o in page.get("objects", [])]
    assert sorted(seen) == sorted(o["id"] for o in objs)


def test_taxii2client_object_versions_and_manifest(server):
    coll = collection(server, server.writer)
    id = indicator()["id"]
    coll.add_objects(envelope(*[indicator(id=id, modified=ts(s)) for s in (0, 1)]))
    assert coll.get_object(id)["objects"][0]["modified"] == ts(1)
    assert sorted(coll.object_versions(id)["versions"]) == [ts(0), ts(1)]
    [entry] = coll.get_manifest(id=id)["objects"]
    assert entry["version"] == ts(1)
    coll.delete_object(id)
    assert "objects" not in coll.get_objects(id=id)


def test_stix2_collection_store_round_trips_objects(server):
    store = TAXIICollectionStore(collection(server, server.writer))
    ind = stix2.Indicator(name="stix2 store", pattern="[domain-name:value = 'example.org']", pattern_type="stix",
                          valid_from="2024-01-01T00:00:00Z")
    store.add(ind)
    got = store.get(ind.id)
    assert got.id == ind.id and got.name == "stix2 store"


def test_stix2_collection_source_queries_with_filters(server):
    w = collection(server, server.writer)
    ind = indicator(name="queried")
    w.add_objects(envelope(ind))
    source = TAXIICollectionSource(collection(server, server.reader))
    found = source.query([Filter("type", "=", "indicator"), Filter("id", "=", ind["id"])])
    assert [o.id for o in found] == [ind["id"]]
    assert source.get(ind["id"]).name == "queried"

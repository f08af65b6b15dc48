"""TAXII 2.1 §5.1 Collections, §5.2 Collection, and per-user can_read / can_write."""

from taxii import Client, is_error, ok


def listed(server, auth):
    body = ok(Client(server, auth).request("GET", server.api_root + "collections/"))
    return {c["id"]: c for c in body.get("collections", [])}


def test_collections_carry_the_required_properties(server):
    c = listed(server, server.admin)[server.collection]
    for key in ("id", "title", "can_read", "can_write"):
        assert key in c
    assert "application/stix+json;version=2.1" in c.get("media_types", [])


def test_rights_are_reported_per_user(server):
    assert listed(server, server.writer)[server.collection]["can_write"] is True
    r = listed(server, server.reader)[server.collection]
    assert (r["can_read"], r["can_write"]) == (True, False)


def test_a_collection_without_rights_is_invisible(server):
    assert server.collection not in listed(server, server.outsider)
    is_error(Client(server, server.outsider).request("GET", Client(server, server.outsider).coll_url()), 404)
    is_error(Client(server, server.outsider).objects(), 404)


def test_one_collection_is_served_by_id(server):
    body = ok(Client(server, server.reader).request("GET", Client(server, server.reader).coll_url()))
    assert body["id"] == server.collection


def test_an_unknown_collection_is_404(server):
    c = Client(server, server.admin)
    is_error(c.objects(coll="0c6e7b3a-2d6c-4a8a-9b8e-1f1c2f1b0c9d"), 404)

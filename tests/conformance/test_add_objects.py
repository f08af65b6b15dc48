"""TAXII 2.1 §5.4 Add Objects and §4.3 Status."""

import json

from stixgen import envelope, indicator, malware
from taxii import Client, is_error, ok


def test_a_valid_envelope_is_accepted_with_a_status(server):
    c = Client(server, server.writer)
    objs = [indicator(), malware()]
    status = ok(c.post(envelope(*objs)), 202)
    for key in ("id", "status", "total_count", "success_count", "failure_count", "pending_count"):
        assert key in status
    assert status["total_count"] == 2 and status["success_count"] == 2 and status["failure_count"] == 0
    assert {s["id"] for s in status["successes"]} == {o["id"] for o in objs}
    again = ok(c.request("GET", server.api_root + f"status/{status['id']}/"))
    assert again["id"] == status["id"] and again["success_count"] == 2


def test_an_identical_repost_is_not_a_failure(server):
    c = Client(server, server.writer)
    o = indicator()
    ok(c.post(envelope(o)), 202)
    status = ok(c.post(envelope(o)), 202)
    assert status["failure_count"] == 0 and status["success_count"] == 1


def test_invalid_objects_are_failures_named_by_id_and_valid_ones_are_kept(server):
    c = Client(server, server.writer)
    good = indicator()
    bad = indicator()
    del bad["pattern"]
    status = ok(c.post(envelope(good, bad)), 202)
    assert status["success_count"] == 1 and status["failure_count"] == 1
    failure = status["failures"][0]
    assert failure["id"] == bad["id"] and "pattern" in failure["message"]
    assert ok(c.obj(good["id"]))["objects"][0]["id"] == good["id"]
    is_error(c.obj(bad["id"]), 404)


def test_a_changed_object_under_the_same_version_is_a_failure(server):
    c = Client(server, server.writer)
    o = indicator()
    ok(c.post(envelope(o)), 202)
    status = ok(c.post(envelope(dict(o, name="changed without a new modified"))), 202)
    assert status["failure_count"] == 1


def test_malformed_json_is_400(server):
    c = Client(server, server.writer)
    is_error(c.request("POST", c.coll_url() + "objects/", raw=b'{"objects": ['), 400)


def test_a_body_that_is_not_an_envelope_is_400(server):
    c = Client(server, server.writer)
    is_error(c.post([1, 2, 3]), 400)
    is_error(c.post({"objects": "nope"}), 400)


def test_a_wrong_content_type_is_415(server):
    c = Client(server, server.writer)
    r = c.request("POST", c.coll_url() + "objects/", raw=json.dumps(envelope(indicator())).encode(), content_type="application/json")
    is_error(r, 415)


def test_a_body_over_max_content_length_is_413(server):
    c = Client(server, server.admin)
    info = ok(c.request("GET", server.small_root))
    big = envelope(*[indicator(description="x" * 200) for _ in range(info["max_content_length"] // 200 + 10)])
    is_error(c.post(big, coll=server.small_collection, root=server.small_root), 413)


def test_a_reader_cannot_write(server):
    is_error(Client(server, server.reader).post(envelope(indicator())), 403)


def test_an_outsider_cannot_write(server):
    is_error(Client(server, server.outsider).post(envelope(indicator())), 404)


def test_a_status_is_visible_only_to_its_requester(server):
    status = ok(Client(server, server.writer).post(envelope(indicator())), 202)
    is_error(Client(server, server.reader).request("GET", server.api_root + f"status/{status['id']}/"), 404)

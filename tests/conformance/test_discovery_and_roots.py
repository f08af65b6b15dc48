"""TAXII 2.1 §4.1 discovery, §4.2 API root, §1.6 authentication, §3.2 media types."""

import requests

from taxii import TAXII, Client, is_error, ok


def test_discovery_lists_api_roots_and_a_default(server):
    body = ok(Client(server, server.admin).request("GET", server.discovery))
    assert isinstance(body["title"], str)
    assert server.api_root in body["api_roots"]
    assert body.get("default") in body["api_roots"]


def test_requests_without_credentials_get_a_basic_challenge(server):
    r = requests.get(server.discovery, headers={"Accept": TAXII})
    is_error(r, 401)
    assert r.headers["WWW-Authenticate"].lower().startswith("basic")


def test_a_wrong_password_is_401(server):
    r = Client(server, (server.admin[0], "wrong")).request("GET", server.discovery)
    is_error(r, 401)


def test_bare_taxii_media_type_is_accepted(server):
    ok(Client(server, server.admin).request("GET", server.discovery, accept="application/taxii+json"))


def test_accept_with_quality_parameters_is_accepted(server):
    c = Client(server, server.admin)
    ok(c.request("GET", server.discovery, accept="application/taxii+json;version=2.1;q=0.9, */*;q=0.1"))


def test_an_unsupported_accept_is_406(server):
    c = Client(server, server.admin)
    is_error(c.request("GET", server.discovery, accept="text/html"), 406)
    is_error(c.request("GET", server.discovery, accept="application/taxii+json;version=2.0"), 406)


def test_api_root_information(server):
    body = ok(Client(server, server.admin).request("GET", server.api_root))
    assert isinstance(body["title"], str)
    assert TAXII in [v.replace(" ", "") for v in body["versions"]]
    assert isinstance(body["max_content_length"], int) and body["max_content_length"] > 0


def test_an_unknown_api_root_is_404(server):
    is_error(Client(server, server.admin).request("GET", server.api_root + "../no-such-root/"), 404)


def test_an_unsupported_method_is_an_error_object(server):
    r = Client(server, server.admin).request("PUT", server.api_root, body={})
    assert r.status_code in (404, 405)
    is_error(r, r.status_code)


def test_an_unknown_status_is_404(server):
    is_error(Client(server, server.admin).request("GET", server.api_root + "status/2d086da7-4bdc-4f91-900e-d77486753710/"), 404)

"""A thin TAXII 2.1 HTTP client for the conformance suite (requests, nothing else)."""

import json

import requests

TAXII = "application/taxii+json;version=2.1"


class Client:
    def __init__(self, server, auth):
        self.server = server
        self.auth = auth
        self.s = requests.Session()

    def request(self, method, url, accept=TAXII, content_type=TAXII, body=None, params=None, auth="default", raw=None):
        headers = {}
        if accept is not None:
            headers["Accept"] = accept
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None and content_type is not None:
            headers["Content-Type"] = content_type
        return self.s.request(method, url, headers=headers, data=data, params=params,
                              auth=self.auth if auth == "default" else auth, timeout=60)

    def coll_url(self, coll=None, root=None):
        return f"{root or self.server.api_root}collections/{coll or self.server.collection}/"

    def objects(self, params=None, coll=None):
        return self.request("GET", self.coll_url(coll) + "objects/", params=params)

    def post(self, body, coll=None, root=None):
        return self.request("POST", self.coll_url(coll, root) + "objects/", body=body)

    def obj(self, id, params=None):
        return self.request("GET", self.coll_url() + f"objects/{id}/", params=params)

    def versions(self, id, params=None):
        return self.request("GET", self.coll_url() + f"objects/{id}/versions/", params=params)

    def delete(self, id, params=None):
        return self.request("DELETE", self.coll_url() + f"objects/{id}/", params=params)

    def manifest(self, params=None):
        return self.request("GET", self.coll_url() + "manifest/", params=params)


def is_error(resp, status):
    """A TAXII error message (§3.6.1) with the given status."""
    assert resp.status_code == status, (resp.status_code, resp.text)
    assert resp.headers["Content-Type"].startswith("application/taxii+json"), resp.headers
    body = resp.json()
    assert isinstance(body.get("title"), str) and body["title"], body
    return body


def ok(resp, status=200):
    assert resp.status_code == status, (resp.status_code, resp.text)
    assert resp.headers["Content-Type"].replace(" ", "") == TAXII, resp.headers
    return resp.json() if resp.content else None

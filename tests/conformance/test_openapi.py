"""The node's OpenAPI document (/symbolon/openapi.json) against the node itself, by
schemathesis: every documented operation, with every check schemathesis has (status codes,
content types, response schemas, negative and positive data, unsupported methods, ...)
but those tests/conformance/schemathesis.toml switches off with its reason.

The document is the node's own, so this runs against the node the suite started; against
another server (TAXII_URL) it is skipped with that reason.
"""

import os
import re
import subprocess
import sys

import pytest
import requests

HERE = os.path.dirname(os.path.abspath(__file__))


def sign_in(base, user, password):
    """A workspace session the way a browser gets one: the form's token, then the POST."""
    s = requests.Session()
    form = s.get(base + "/ui/login", timeout=10)
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token, "the sign-in form carries a CSRF token"
    answer = s.post(base + "/ui/login", data={"username": user, "password": password, "csrf": token.group(1)},
                    allow_redirects=False, timeout=10)
    assert answer.status_code == 303, answer.text
    session = s.cookies.get("symbolon_session")
    assert session, "signing in sets the session cookie"
    return session


def test_the_document_is_openapi_3_1_and_served_without_a_login(server):
    if not server.data_dir:
        pytest.skip("the OpenAPI document is Symbolon's own; TAXII_URL names another server")
    base = server.discovery.rsplit("/taxii2/", 1)[0]
    doc = requests.get(base + "/symbolon/openapi.json", timeout=10)
    assert doc.status_code == 200
    assert doc.headers["content-type"].startswith("application/json")
    body = doc.json()
    assert body["openapi"] == "3.1.0"
    assert "/{root}/collections/{coll}/objects/" in body["paths"]


def test_schemathesis_finds_no_failure(server, tmp_path):
    if not server.data_dir:
        pytest.skip("the OpenAPI document is Symbolon's own; TAXII_URL names another server")
    base = server.discovery.rsplit("/taxii2/", 1)[0]
    env = dict(os.environ,
               SYMBOLON_COLLECTION=server.collection,
               SYMBOLON_USER=server.admin[0], SYMBOLON_PASSWORD=server.admin[1],
               SYMBOLON_SESSION=sign_in(base, *server.admin),
               # schemathesis' own cache stays out of the repository.
               HOME=str(tmp_path))
    st = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    run = subprocess.run(
        [st, "--no-color", "--config-file", os.path.join(HERE, "schemathesis.toml"), "run",
         base + "/symbolon/openapi.json", "--url", base,
         "--report", "junit", "--report-dir", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-20000:]
    # The run reached every operation (a document that lost its paths would pass vacuously).
    tested = re.search(r"Tested: (\d+)", out)
    assert tested and int(tested.group(1)) >= 45, out[-3000:]

"""Shared fixtures: a running TAXII server and the accounts the suites use.

By default a fresh Symbolon node is started from SYMBOLON_BIN (target/release/symbolon) in a
temporary data directory, and the fixtures are created with its CLI. To run the suites
against another server, set TAXII_URL (discovery URL) and the variables read in
`external_server` below; nothing is skipped silently: a missing variable is an error.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass

import pytest
import requests

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass
class Server:
    discovery: str          # .../taxii2/
    api_root: str           # default API root URL
    collection: str         # id of a collection admin and writer can write, reader can read
    admin: tuple
    writer: tuple           # read+write on `collection`
    reader: tuple           # read only on `collection`
    outsider: tuple         # no rights on `collection`
    small_root: str         # an API root with a small max_content_length
    small_collection: str   # a writable collection in small_root
    data_dir: str = ""      # set when the suite started the node itself
    binary: str = ""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(binary, data, *args, stdin=None):
    out = subprocess.run([binary, *args, "--data", data], input=stdin, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def wait_until_up(url, auth, proc, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"node exited early with {proc.returncode}")
        try:
            requests.get(url, auth=auth, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError(f"node did not come up at {url}")


def start_symbolon():
    binary = os.environ.get("SYMBOLON_BIN", os.path.join(REPO, "target", "release", "symbolon"))
    if not os.path.exists(binary):
        raise RuntimeError(f"{binary} not found: build it with `cargo build --release -p node`")
    data = tempfile.mkdtemp(prefix="symbolon-suite-")
    env = dict(os.environ, SYMBOLON_ADMIN_PASSWORD="admin-pass")
    subprocess.run([binary, "init", "--data", data], env=env, check=True, capture_output=True)
    coll = cli(binary, data, "collection", "create", "--title", "Conformance", "--alias", "conformance")
    cli(binary, data, "api-root", "set", "small", "--title", "Small", "--max-content-length", "4096")
    small = cli(binary, data, "collection", "create", "--title", "Small", "--api-root", "small")
    users = {}
    for name, flags in [("writer", ["--read", "--write"]), ("reader", ["--read"]), ("outsider", [])]:
        cli(binary, data, "user", "add", name, "--password-stdin", stdin=f"{name}-pass\n")
        cli(binary, data, "user", "grant", name, "--collection", coll, *flags)
        users[name] = (name, f"{name}-pass")
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--data", data, "--listen", f"127.0.0.1:{port}"], env=env,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/taxii2/", ("admin", "admin-pass"), proc)
    server = Server(
        discovery=base + "/taxii2/", api_root=base + "/api1/", collection=coll,
        admin=("admin", "admin-pass"), writer=users["writer"], reader=users["reader"], outsider=users["outsider"],
        small_root=base + "/small/", small_collection=small, data_dir=data, binary=binary,
    )
    return server, proc


def external_server():
    def need(name):
        value = os.environ.get(name)
        if not value:
            raise RuntimeError(f"TAXII_URL is set, so {name} must be set too")
        return value

    def creds(prefix):
        return (need(prefix + "_USER"), need(prefix + "_PASSWORD"))

    return Server(
        discovery=need("TAXII_URL"), api_root=need("TAXII_API_ROOT"), collection=need("TAXII_COLLECTION"),
        admin=creds("TAXII_ADMIN"), writer=creds("TAXII_WRITER"), reader=creds("TAXII_READER"),
        outsider=creds("TAXII_OUTSIDER"), small_root=need("TAXII_SMALL_ROOT"),
        small_collection=need("TAXII_SMALL_COLLECTION"),
    )


@pytest.fixture(scope="session")
def server():
    if os.environ.get("TAXII_URL"):
        yield external_server()
        return
    srv, proc = start_symbolon()
    try:
        yield srv
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(srv.data_dir, ignore_errors=True)

"""MITRE ATT&CK for ICS through a node: imported with the CLI, served over TAXII, exported,
and checked by the OASIS stix2-validator."""

import json
import os
import subprocess

import pytest
from stix2validator import ValidationOptions, validate_file

from conftest import REPO

ATTACK = os.path.join(os.path.dirname(REPO), "shared", "data", "attack", "ics-attack-18.1.json")


@pytest.fixture(scope="module")
def attack(server):
    if not server.binary:
        pytest.fail("the ATT&CK round trip needs the node's CLI (run without TAXII_URL)")
    coll = subprocess.run([server.binary, "collection", "create", "--data", server.data_dir, "--title", "ATT&CK ICS",
                           "--alias", "attack-ics"], capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([server.binary, "import", "--data", server.data_dir, "--collection", coll, ATTACK], check=True,
                   capture_output=True)
    return coll


def by_version(objects):
    return {(o["id"], o.get("modified", o.get("created"))): o for o in objects}


def test_export_is_json_equal_to_the_input_object_for_object(server, attack, tmp_path):
    out = tmp_path / "export.json"
    subprocess.run([server.binary, "export", "--data", server.data_dir, "--collection", attack, "--out", str(out)],
                   check=True, capture_output=True)
    original = json.load(open(ATTACK))["objects"]
    exported = json.load(open(out))["objects"]
    assert len(exported) == len(original)
    assert by_version(exported) == by_version(original)


def test_export_passes_stix2_validator_without_errors(server, attack, tmp_path):
    out = tmp_path / "export.json"
    subprocess.run([server.binary, "export", "--data", server.data_dir, "--collection", attack, "--out", str(out)],
                   check=True, capture_output=True)
    results = validate_file(str(out), ValidationOptions(version="2.1"))
    errors = [e for r in results.object_results for e in r.errors]
    assert results.is_valid and not errors, errors[:5]


def test_taxii_serves_every_attack_object_unchanged(server, attack):
    from taxii2client.v21 import Server, as_pages
    api = Server(server.discovery, user=server.admin[0], password=server.admin[1]).default
    [coll] = [c for c in api.collections if c.id == attack]
    served = []
    for page in as_pages(coll.get_objects, per_request=1000):
        served += page.get("objects", [])
    assert by_version(served) == by_version(json.load(open(ATTACK))["objects"])

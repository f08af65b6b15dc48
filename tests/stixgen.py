"""Small, valid STIX 2.1 objects for tests, each with a fresh id."""

import uuid


def ts(second=0, day=1):
    return f"2024-01-{day:02d}T00:00:{second:02d}.000Z"


def indicator(id=None, modified=None, name="test indicator", **extra):
    obj = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": id or f"indicator--{uuid.uuid4()}",
        "created": ts(0),
        "modified": modified or ts(0),
        "name": name,
        "pattern": "[ipv4-addr:value = '198.51.100.7']",
        "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
    }
    obj.update(extra)
    return obj


def malware(**extra):
    obj = {
        "type": "malware",
        "spec_version": "2.1",
        "id": f"malware--{uuid.uuid4()}",
        "created": ts(0),
        "modified": ts(0),
        "name": "test malware",
        "is_family": False,
    }
    obj.update(extra)
    return obj


def envelope(*objects):
    return {"objects": list(objects)}

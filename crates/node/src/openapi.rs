//! The node's HTTP surface as an OpenAPI 3.1 document, served at `/symbolon/openapi.json`:
//! TAXII 2.1, the node's own endpoints (lookups, audit log, what peers ask of each other),
//! the operator's probes and metrics, and the workspace's pages and forms under `/ui/`.
//!
//! Written by hand rather than derived from the handlers: the TAXII part is a
//! specification's shape (media types, envelopes) that annotations would repeat anyway.
//! `tests/openapi.rs` keeps it true: every route the routers declare is here and every
//! operation here answers on a live node with a status it documents; schemathesis
//! (`tests/conformance/test_openapi.py`) checks the answers against the schemas.

use serde_json::{Map, Value, json};
use std::sync::OnceLock;

/// Where the document is served.
pub const PATH: &str = "/symbolon/openapi.json";

const TAXII: &str = "application/taxii+json;version=2.1";
const JSON: &str = "application/json";
const HTML: &str = "text/html; charset=utf-8";
const FORM: &str = "application/x-www-form-urlencoded";
const TEXT: &str = "text/plain; charset=utf-8";

/// The document, built once.
pub fn document() -> &'static [u8] {
    static DOC: OnceLock<Vec<u8>> = OnceLock::new();
    DOC.get_or_init(|| serde_json::to_vec_pretty(&build()).unwrap_or_default())
}

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn content(media: &str, schema: Value) -> Value {
    json!({ media: { "schema": schema } })
}

/// A response whose body is `schema` in `media`.
fn answer(description: &str, media: &str, schema: Value) -> Value {
    json!({ "description": description, "content": content(media, schema) })
}

fn taxii_error(description: &str) -> Value {
    answer(description, TAXII, r("Error"))
}

/// The failures every authenticated endpoint can answer, as TAXII error objects.
fn failures(codes: &[(&str, &str)]) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "401".into(),
        taxii_error(
            "No credentials, wrong credentials, or a password over plain HTTP from another host",
        ),
    );
    m.insert(
        "403".into(),
        taxii_error("The principal may not do this (the policy's reason is given)"),
    );
    m.insert(
        "429".into(),
        taxii_error(
            "Too many password attempts for this user name: try again after Retry-After seconds",
        ),
    );
    for (code, why) in codes {
        m.insert((*code).into(), taxii_error(why));
    }
    m
}

fn op(
    summary: &str,
    tag: &str,
    params: Value,
    ok: (&str, Value),
    errors: &[(&str, &str)],
) -> Value {
    let mut responses = failures(errors);
    responses.insert(ok.0.into(), ok.1);
    json!({
        "summary": summary,
        "tags": [tag],
        "parameters": params,
        "responses": responses,
    })
}

fn path_param(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description, "schema": schema })
}

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn purpose() -> Value {
    json!({
        "name": "X-Symbolon-Purpose", "in": "header", "required": false,
        "description": "The purpose of the request (agreement Art. 6.4); a principal bound to purposes must declare one of them",
        // Visible ASCII (an HTTP header's text), at least one character besides spaces.
        "schema": { "type": "string", "pattern": "^[\\t -~]*[!-~][\\t -~]*$" }
    })
}

fn root() -> Value {
    path_param(
        "root",
        "API root name",
        json!({ "type": "string", "examples": ["api1"] }),
    )
}

fn coll() -> Value {
    path_param(
        "coll",
        "Collection id or alias",
        json!({ "type": "string" }),
    )
}

fn object_id() -> Value {
    path_param(
        "id",
        "STIX identifier (type--UUID)",
        json!({ "type": "string" }),
    )
}

// The grammars of the TAXII parameters as the node reads them (`taxii::params`), so that
// a value the document calls valid is served and one it calls invalid is refused.

/// ASCII spaces the node trims around list items.
const SP: &str = "[ \\t\\n\\f\\r]*";
/// A STIX timestamp (RFC 3339 in UTC, `Z`, any fraction). February 29 is left out of the
/// pattern although the node takes it in leap years: a regular expression cannot count them.
const TIMESTAMP: &str = "[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))T(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\\.[0-9]+)?Z";
/// A STIX type name: 3-250 of a-z, 0-9 and `-`, from a letter, no `--`.
const TYPE_NAME: &str = "[a-z](?:-?[a-z0-9])*-?";
const UUID: &str =
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}";

fn type_name() -> String {
    format!("(?=[a-z0-9-]{{3,250}}(?![a-z0-9-])){TYPE_NAME}")
}

fn stix_id() -> String {
    format!("(?=[a-z0-9-]{{3,250}}--[0-9a-fA-F]{{8}}-){TYPE_NAME}--{UUID}")
}

/// A comma-separated list of `item`s as the node splits it: spaces around items and empty
/// items are allowed (and skipped).
fn list_of(item: &str) -> String {
    let one = format!("{SP}(?:{item})?{SP}");
    format!("^{one}(?:,{one})*$")
}

fn filters(id: bool, types: bool, version: bool) -> Vec<Value> {
    let mut p = vec![
        query(
            "added_after",
            "Only versions added after this time (a STIX timestamp)",
            json!({ "type": "string", "pattern": format!("^{TIMESTAMP}$") }),
        ),
        query(
            "limit",
            "Most objects in one page (at most 10,000 are served)",
            json!({ "type": "integer", "minimum": 1 }),
        ),
        query(
            "next",
            "The `next` value of the previous page",
            json!({ "type": "integer", "minimum": 1, "maximum": i64::MAX }),
        ),
        query(
            "match[spec_version]",
            "Comma-separated STIX versions (2.1)",
            json!({ "type": "string", "pattern": list_of("[0-9]+\\.[0-9]+") }),
        ),
    ];
    if id {
        p.push(query(
            "match[id]",
            "Comma-separated STIX identifiers",
            json!({ "type": "string", "pattern": list_of(&stix_id()) }),
        ));
    }
    if types {
        p.push(query(
            "match[type]",
            "Comma-separated STIX types",
            json!({ "type": "string", "pattern": list_of(&type_name()) }),
        ));
    }
    if version {
        p.push(version_filter(
            "first, last, all, or timestamps, comma-separated",
        ));
    }
    p
}

fn version_filter(description: &str) -> Value {
    query(
        "match[version]",
        description,
        json!({ "type": "string", "pattern": list_of(&format!("first|last|all|{TIMESTAMP}")) }),
    )
}

fn with(mut params: Vec<Value>, more: &[Value]) -> Value {
    params.extend(more.iter().cloned());
    Value::Array(params)
}

fn taxii_paths(p: &mut Map<String, Value>) {
    let tag = "TAXII 2.1";
    let e406 = (
        "406",
        "The Accept header does not admit application/taxii+json;version=2.1",
    );
    let e404 = (
        "404",
        "No such API root, collection or object (or none this principal may see)",
    );
    let e400 = ("400", "A malformed parameter, named");
    p.insert(
        "/taxii2/".into(),
        json!({ "get": op("Server discovery", tag, json!([]), ("200", answer("Discovery", TAXII, r("Discovery"))), &[e406]) }),
    );
    p.insert(
        "/{root}/".into(),
        json!({ "get": op("API root information", tag, json!([root()]), ("200", answer("The API root", TAXII, r("ApiRoot"))), &[e404, e406]) }),
    );
    p.insert(
        "/{root}/status/{status}/".into(),
        json!({ "get": op("The status of an add request", tag,
            json!([root(), path_param("status", "Status id", json!({"type": "string"}))]),
            ("200", answer("The status", TAXII, r("Status"))), &[e404, e406]) }),
    );
    p.insert(
        "/{root}/collections/".into(),
        json!({ "get": op("Collections", tag, json!([root()]),
            ("200", answer("The collections this principal may see", TAXII, r("Collections"))), &[e404, e406]) }),
    );
    p.insert(
        "/{root}/collections/{coll}/".into(),
        json!({ "get": op("One collection", tag, json!([root(), coll()]),
            ("200", answer("The collection", TAXII, r("Collection"))), &[e404, e406]) }),
    );
    let mut add = op(
        "Add objects (an envelope)",
        tag,
        json!([root(), coll(), purpose()]),
        (
            "202",
            answer("The status of the request", TAXII, r("Status")),
        ),
        &[
            e400,
            e404,
            e406,
            ("413", "The body exceeds the API root's max_content_length"),
            ("415", "The body is not application/taxii+json;version=2.1"),
        ],
    );
    add["requestBody"] = json!({ "required": true, "content": content(TAXII, r("EnvelopeIn")) });
    let objects_get = op(
        "Objects, filtered and paged",
        tag,
        with(filters(true, true, true), &[root(), coll(), purpose()]),
        ("200", envelope_answer()),
        &[e400, e404, e406],
    );
    p.insert(
        "/{root}/collections/{coll}/objects/".into(),
        json!({ "get": objects_get, "post": add }),
    );
    let object_get = op(
        "One object's versions",
        tag,
        with(
            filters(false, false, true),
            &[root(), coll(), object_id(), purpose()],
        ),
        ("200", envelope_answer()),
        &[e400, e404, e406],
    );
    let object_delete = op(
        "Delete an object (the writer's own, where the policy allows)",
        tag,
        with(
            vec![
                version_filter("Versions to delete"),
                query(
                    "match[spec_version]",
                    "Comma-separated STIX versions",
                    json!({ "type": "string", "pattern": list_of("[0-9]+\\.[0-9]+") }),
                ),
            ],
            &[root(), coll(), object_id(), purpose()],
        ),
        ("200", json!({ "description": "Deleted" })),
        &[e400, e404, e406],
    );
    p.insert(
        "/{root}/collections/{coll}/objects/{id}/".into(),
        json!({ "get": object_get, "delete": object_delete }),
    );
    p.insert(
        "/{root}/collections/{coll}/objects/{id}/versions/".into(),
        json!({ "get": op("The versions of one object", tag,
            with(filters(false, false, false), &[root(), coll(), object_id(), purpose()]),
            ("200", answer("Versions", TAXII, r("Versions"))), &[e400, e404, e406]) }),
    );
    p.insert(
        "/{root}/collections/{coll}/manifest/".into(),
        json!({ "get": op("The manifest of a collection", tag,
            with(filters(true, true, true), &[root(), coll(), purpose()]),
            ("200", answer("Manifest", TAXII, r("Manifest"))), &[e400, e404, e406]) }),
    );
}

fn envelope_answer() -> Value {
    let date = json!({ "schema": { "type": "string" }, "description": "RFC 3339 time" });
    json!({
        "description": "An envelope of objects",
        "headers": { "X-TAXII-Date-Added-First": date, "X-TAXII-Date-Added-Last": date },
        "content": content(TAXII, r("Envelope")),
    })
}

/// A count or position the node reads as a 64-bit unsigned number.
fn u64_schema() -> Value {
    json!({ "type": "integer", "minimum": 0, "maximum": u64::MAX })
}

fn node_paths(p: &mut Map<String, Value>) {
    let e400 = ("400", "A malformed parameter or body, named");
    let e404 = ("404", "No such entry, collection or object");
    p.insert(
        "/symbolon/lookup".into(),
        json!({
            "get": op("Look up observable values (correlation)", "Lookup",
                json!([{ "name": "value", "in": "query", "required": true, "description": "A value: IP, CIDR, domain, URL, hash, e-mail address (repeatable)",
                          "schema": { "type": "array", "items": { "type": "string" } }, "style": "form", "explode": true }, purpose()]),
                ("200", answer("One result per value, in the order asked", JSON, r("LookupResults"))), &[e400]),
            "post": {
                "summary": "Look up many values at once",
                "tags": ["Lookup"],
                "parameters": [purpose()],
                "requestBody": { "required": true, "content": content(JSON, json!({ "type": "array", "items": { "type": "string" }, "minItems": 1 })) },
                "responses": {
                    "200": answer("One result per value, in the order asked", JSON, r("LookupResults")),
                    "400": taxii_error("Not a JSON list of strings, or too many values"),
                    "401": taxii_error("No or wrong credentials"),
                    "403": taxii_error("The principal may not do this"),
                    "413": taxii_error("The body is larger than a lookup takes"),
                }
            }
        }),
    );
    let tag = "Audit log";
    p.insert(
        "/symbolon/audit/head".into(),
        json!({ "get": op("The latest signed tree head", tag, json!([]),
            ("200", answer("The head", JSON, r("TreeHead"))), &[]) }),
    );
    p.insert(
        "/symbolon/audit/entries/{index}".into(),
        json!({ "get": op("One entry with its inclusion proof", tag,
            json!([path_param("index", "Entry number, from 0", u64_schema()),
                   query("size", "Tree size to prove against (default: the latest head's)", u64_schema())]),
            ("200", answer("The entry and its proof", JSON, r("Inclusion"))), &[e400, e404]) }),
    );
    p.insert(
        "/symbolon/audit/consistency".into(),
        json!({ "get": op("A consistency proof between two tree sizes", tag,
            json!([{ "name": "from", "in": "query", "required": true, "schema": u64_schema(), "description": "The smaller tree size" },
                   query("to", "The larger tree size (default: the latest head's)", u64_schema())]),
            ("200", answer("The proof", JSON, r("Consistency"))), &[e400]) }),
    );
    let tag = "Peers";
    let signed = json!([{ "nodeSignature": [] }]);
    let mut view = op(
        "This node's head, and proof of consistency with what the asking peer saw (node-signed)",
        tag,
        json!([query(
            "since",
            "The size the peer witnessed last",
            u64_schema()
        )]),
        (
            "200",
            answer(
                "The head to witness",
                JSON,
                json!({ "type": "object", "required": ["head"] }),
            ),
        ),
        &[e400],
    );
    view["security"] = signed.clone();
    let mut take = op(
        "Witness the asking peer's head (node-signed)",
        tag,
        json!([]),
        (
            "200",
            answer(
                "The size witnessed",
                JSON,
                json!({ "type": "object", "required": ["witnessed"], "properties": { "witnessed": { "type": "integer" } } }),
            ),
        ),
        &[
            e400,
            (
                "409",
                "The head breaches what was witnessed before: exchange is halted",
            ),
        ],
    );
    take["security"] = signed.clone();
    take["requestBody"] = json!({ "required": true, "content": content(JSON, json!({ "type": "object", "required": ["head"] })) });
    p.insert(
        "/symbolon/peer/witness".into(),
        json!({ "get": view, "post": take }),
    );
    let mut records = op(
        "The agreement's signed records after a position (node-signed)",
        tag,
        json!([query(
            "after",
            "Position of the last record received",
            json!({ "type": "integer", "minimum": i64::MIN, "maximum": i64::MAX })
        )]),
        (
            "200",
            answer(
                "Records",
                JSON,
                json!({ "type": "object", "required": ["records", "last"],
            "properties": { "records": { "type": "array" }, "last": { "type": "integer" } } }),
            ),
        ),
        &[e400],
    );
    records["security"] = signed;
    p.insert("/symbolon/peer/records".into(), json!({ "get": records }));
    p.insert(
        "/symbolon/peer/provenance".into(),
        json!({ "get": op("The originator's seal over one object, with its audit path", tag,
            json!([{ "name": "collection", "in": "query", "required": true, "schema": { "type": "string", "minLength": 1 }, "description": "Collection id or alias" },
                   { "name": "object", "in": "query", "required": true, "description": "STIX identifier",
                     // The type's 3-250 characters as lengths of the whole (36 for the UUID, 2
                     // for `--`): simpler for generators than a look-ahead.
                     "schema": { "type": "string", "pattern": format!("^{TYPE_NAME}--{UUID}$"), "minLength": 41, "maxLength": 288 } },
                   query("version", "The version (modified); default the latest", json!({ "type": "string", "pattern": format!("^{TIMESTAMP}$") })), purpose()]),
            ("200", answer("The proof", JSON, json!({ "type": "object" }))), &[e400, e404]) }),
    );
}

fn ops_paths(p: &mut Map<String, Value>) {
    let tag = "Operations";
    p.insert(
        "/healthz".into(),
        json!({ "get": { "summary": "Liveness (no login, no data)", "tags": [tag], "security": [],
            "responses": { "200": answer("The process answers", JSON, json!({ "type": "object", "required": ["status"], "properties": { "status": { "const": "ok" } } })) } } }),
    );
    p.insert(
        "/readyz".into(),
        json!({ "get": { "summary": "Readiness: store, audit log and policy (no login, no data)", "tags": [tag], "security": [],
            "responses": { "200": answer("Ready", JSON, r("Ready")), "503": answer("Not ready, naming what is not", JSON, r("Ready")) } } }),
    );
    p.insert(
        "/metrics".into(),
        json!({ "get": op("Prometheus metrics (administrators)", tag, json!([]),
            ("200", json!({ "description": "OpenMetrics text", "content": { "application/openmetrics-text; version=1.0.0; charset=utf-8": { "schema": { "type": "string" } } } })), &[]) }),
    );
    p.insert(
        PATH.into(),
        json!({ "get": { "summary": "This document", "tags": [tag], "security": [],
            "responses": { "200": answer("OpenAPI 3.1", JSON, json!({ "type": "object" })) } } }),
    );
}

/// An HTML answer (a page, or the form again with what to correct).
fn html(description: &str) -> Value {
    json!({ "description": description, "content": { HTML: { "schema": { "type": "string" } } } })
}

/// A refusal as the workspace's page, or as an extractor's plain text.
fn html_or_text(description: &str) -> Value {
    let mut v = html(description);
    v["content"][TEXT] = json!({ "schema": { "type": "string" } });
    v
}

/// A workspace page: HTML for a signed-in user, otherwise a redirect to the sign-in form.
fn page(summary: &str, params: Value) -> Value {
    let mut all = vec![query(
        "lang",
        "Language of the page, remembered: en, fa or ru (others are ignored)",
        json!({ "type": "string" }),
    )];
    all.extend(params.as_array().into_iter().flatten().cloned());
    json!({
        "summary": summary,
        "tags": ["Workspace"],
        "security": [{ "session": [] }],
        "parameters": all,
        "responses": {
            "200": html("The page"),
            "303": { "description": "Not signed in: to /ui/login" },
            "400": html_or_text("A malformed parameter"),
            "403": html("Not this user's (operators only)"),
            "404": html("Nothing here (or nothing this user may see)"),
        }
    })
}

/// A workspace form: the session's CSRF token in `csrf`, then the fields named.
fn form(summary: &str, params: Value, fields: &[&str]) -> Value {
    let mut props = Map::new();
    props.insert("csrf".into(), json!({ "type": "string" }));
    for f in fields {
        props.insert((*f).into(), json!({ "type": "string" }));
    }
    json!({
        "summary": summary,
        "tags": ["Workspace"],
        "security": [{ "session": [] }],
        "parameters": params,
        "requestBody": { "required": true, "content": { FORM: { "schema": { "type": "object", "properties": props } } } },
        "responses": {
            "200": html("A page (the form again, with what to correct)"),
            "303": { "description": "Done, to the page that shows it; or not signed in, to /ui/login" },
            "400": html_or_text("A malformed field"),
            "403": html("No or a stale CSRF token, or not this user's"),
            "404": html("Nothing here (or nothing this user may see)"),
            "4XX": { "description": "The form cannot be read", "content": { TEXT: { "schema": { "type": "string" } } } },
        }
    })
}

fn workspace_paths(p: &mut Map<String, Value>) {
    let id = |name: &str, what: &str| path_param(name, what, json!({ "type": "string" }));
    p.insert(
        "/ui".into(),
        json!({ "get": { "summary": "To /ui/", "tags": ["Workspace"], "security": [], "responses": { "308": { "description": "To /ui/" } } } }),
    );
    p.insert(
        "/ui/".into(),
        json!({ "get": page("Collections with counts", json!([])) }),
    );
    let mut login_form = page("The sign-in form", json!([]));
    login_form["security"] = json!([]);
    let mut sign_in = form("Sign in", json!([]), &["username", "password"]);
    sign_in["security"] = json!([]);
    sign_in["responses"]["429"] = json!({ "description": "Too many attempts for this user name: try again after Retry-After seconds",
        "headers": { "Retry-After": { "schema": { "type": "integer" } } },
        "content": { HTML: { "schema": { "type": "string" } } } });
    p.insert(
        "/ui/login".into(),
        json!({ "get": login_form, "post": sign_in }),
    );
    p.insert(
        "/ui/logout".into(),
        json!({ "post": form("Sign out (ends the session on the server)", json!([]), &[]) }),
    );
    p.insert(
        "/ui/c/{coll}".into(),
        json!({ "get": page("A collection's objects", json!([id("coll", "Collection id"),
            query("type", "STIX types, comma-separated", json!({"type": "string"})), query("marking", "Marking definition id", json!({"type": "string"})),
            query("origin", "Originating party", json!({"type": "string"})),
            query("added_after", "Added after this day (YYYY-MM-DD; another value is named on the page)", json!({"type": "string"})),
            query("q", "Text in name or description", json!({"type": "string"})),
            query("after", "Cursor: where the previous page ended", json!({ "type": "integer", "minimum": i64::MIN, "maximum": i64::MAX }))])) }),
    );
    p.insert(
        "/ui/c/{coll}/o/{id}".into(),
        json!({ "get": page("An object: versions, markings, seal, relationships, sightings", json!([id("coll", "Collection id"), id("id", "STIX identifier")])) }),
    );
    p.insert(
        "/ui/c/{coll}/o/{id}/sighting".into(),
        json!({ "post": form("Record a sighting or a false positive", json!([id("coll", "Collection id"), id("id", "STIX identifier")]), &["count", "seen_at", "note", "false_positive"]) }),
    );
    p.insert(
        "/ui/search".into(),
        json!({ "get": page("Search by STIX id, observable value or text", json!([query("q", "What to look for", json!({"type": "string"}))])) }),
    );
    p.insert(
        "/ui/incidents".into(),
        json!({ "get": page("Incidents", json!([])),
                "post": form("Open an incident", json!([]), &["collection", "name", "description", "category"]) }),
    );
    p.insert(
        "/ui/incidents/{id}".into(),
        json!({ "get": page("One incident's timeline", json!([id("id", "Incident id")])) }),
    );
    p.insert(
        "/ui/incidents/{id}/{action}".into(),
        json!({ "post": form("Act on an incident (update, task, note, link, close)", json!([id("id", "Incident id"), id("action", "What to do")]), &["status", "determination", "name", "outcome"]) }),
    );
    p.insert(
        "/ui/agreement".into(),
        json!({ "get": page("The agreement: state, dates, deadlines, parties", json!([])) }),
    );
    p.insert(
        "/ui/consents".into(),
        json!({ "get": page("Consents and notices (operators)", json!([])) }),
    );
    p.insert("/ui/consents/grant".into(), json!({ "post": form("Grant a consent request (optionally a shorter term)", json!([]), &["request", "text", "until"]) }));
    p.insert("/ui/consents/{id}/decline".into(), json!({ "post": form("Decline a consent request waiting here (with a reason)", json!([id("id", "Request id")]), &["reason"]) }));
    p.insert("/ui/consents/{id}/revoke".into(), json!({ "post": form("Revoke a consent (asks for confirmation)", json!([id("id", "Consent id")]), &["confirm"]) }));
    p.insert("/ui/notices".into(), json!({ "post": form("Issue a confidentiality notice", json!([]), &["objects", "properties", "reach", "reason"]) }));
    p.insert(
        "/ui/transfer".into(),
        json!({ "get": page("Import and export, with an export's preview", json!([query("collection", "Collection to preview", json!({"type": "string"})), query("for", "Recipient to preview for", json!({"type": "string"}))])) }),
    );
    let mut import = form("Import a bundle (upload)", json!([]), &[]);
    import["requestBody"] = json!({ "required": true, "content": { "multipart/form-data": { "schema": { "type": "object",
        "additionalProperties": false,
        "properties": { "csrf": { "type": "string" }, "collection": { "type": "string" }, "origin": { "type": "string" },
            "bundle": { "type": "string", "contentMediaType": "application/json" } } } } } });
    p.insert("/ui/transfer/import".into(), json!({ "post": import }));
    let mut export = form(
        "Export a collection for a recipient (a file)",
        json!([]),
        &["collection", "recipient"],
    );
    export["responses"]["200"] = json!({ "description": "The bundle as a file, or the form with what to correct",
        "content": { "application/json": { "schema": { "type": "object" } }, HTML: { "schema": { "type": "string" } } } });
    p.insert("/ui/transfer/export".into(), json!({ "post": export }));
    p.insert(
        "/ui/peers".into(),
        json!({ "get": page("Peers: state, sync, witness, quarantine", json!([])) }),
    );
    p.insert("/ui/peers/{id}/resume".into(), json!({ "post": form("Resume exchange with a halted peer (asks for confirmation)", json!([id("id", "Peer id")]), &["confirm"]) }));
    p.insert("/ui/audit".into(), json!({ "get": page("The audit log: head, verification, entries", json!([query("verify", "Verify the log against the store (any value)", json!({"type": "string"}))])) }));
    p.insert(
        "/ui/audit/entries/{index}".into(),
        json!({ "get": page("One audit entry with its inclusion proof", json!([path_param("index", "Entry number", u64_schema())])) }),
    );
    let mut statics = page(
        "The stylesheet, the font and its licence",
        json!([id("file", "File name")]),
    );
    statics["security"] = json!([]);
    statics["responses"]["200"] = json!({ "description": "The file", "content": {
        "text/css; charset=utf-8": { "schema": { "type": "string" } },
        "font/woff2": { "schema": { "type": "string", "contentEncoding": "binary" } },
        TEXT: { "schema": { "type": "string" } } } });
    statics["responses"]["404"] = json!({ "description": "No such file", "content": { TEXT: { "schema": { "type": "string" } } } });
    p.insert("/ui/static/{file}".into(), json!({ "get": statics }));
}

fn schemas() -> Value {
    let string = json!({ "type": "string" });
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    let count = json!({ "type": "integer", "minimum": 0 });
    json!({
        "Error": { "type": "object", "required": ["title", "http_status"], "properties": {
            "title": string, "description": string, "http_status": string } },
        "Discovery": { "type": "object", "required": ["title"], "properties": {
            "title": string, "description": string, "contact": string, "default": string, "api_roots": strings } },
        "ApiRoot": { "type": "object", "required": ["title", "versions", "max_content_length"], "properties": {
            "title": string, "description": string, "versions": strings, "max_content_length": count } },
        "StatusDetail": { "type": "object", "required": ["id"], "properties": { "id": string, "version": string, "message": string } },
        "Status": { "type": "object", "required": ["id", "status", "total_count", "success_count", "failure_count", "pending_count"], "properties": {
            "id": string, "status": { "enum": ["pending", "complete"] }, "request_timestamp": string,
            "total_count": count, "success_count": count, "failure_count": count, "pending_count": count,
            "successes": { "type": "array", "items": r("StatusDetail") },
            "failures": { "type": "array", "items": r("StatusDetail") },
            "pendings": { "type": "array", "items": r("StatusDetail") } } },
        "Collection": { "type": "object", "required": ["id", "title", "can_read", "can_write"], "properties": {
            "id": string, "title": string, "description": string, "alias": string,
            "can_read": { "type": "boolean" }, "can_write": { "type": "boolean" }, "media_types": strings } },
        "Collections": { "type": "object", "properties": { "collections": { "type": "array", "items": r("Collection") } } },
        "StixObject": { "type": "object", "required": ["type", "id"], "properties": { "type": string, "id": string } },
        "Envelope": { "type": "object", "properties": {
            "more": { "type": "boolean" }, "next": string, "objects": { "type": "array", "items": r("StixObject") } } },
        // What POST takes: an envelope with `objects` (each object is checked on its own and
        // a bad one reported in the status), an empty envelope, or a STIX bundle. A JSON
        // object that is none of these (a bare STIX object sent by mistake) is refused
        // rather than read as "nothing to add".
        "EnvelopeIn": { "anyOf": [
            { "type": "object", "required": ["objects"], "not": { "required": ["type"] },
              "properties": { "objects": { "type": "array" }, "id": string } },
            { "type": "object", "additionalProperties": false, "properties": { "more": {}, "next": {} } },
            { "type": "object", "required": ["type", "id"], "properties": {
                "type": { "const": "bundle" }, "id": { "type": "string", "pattern": format!("^bundle--{UUID}$") }, "objects": { "type": "array" } } },
        ] },
        "Versions": { "type": "object", "properties": { "more": { "type": "boolean" }, "next": string, "versions": strings } },
        "Manifest": { "type": "object", "properties": { "more": { "type": "boolean" }, "next": string, "objects": { "type": "array", "items": {
            "type": "object", "required": ["id", "date_added", "version"], "properties": {
                "id": string, "date_added": string, "version": string, "media_type": string } } } } },
        "LookupResults": { "type": "object", "required": ["results"], "properties": { "results": { "type": "array", "items": {
            "type": "object", "required": ["value", "hits", "warninglists"], "properties": {
                "value": string, "kind": string, "normalised": string, "hits": { "type": "array" },
                "over_correlated": { "type": "boolean" }, "warninglists": { "type": "array" }, "error": string } } } } },
        "TreeHead": { "type": "object", "required": ["size", "public_key"], "properties": {
            "size": count, "timestamp": string, "root": string, "signature": string, "public_key": string } },
        "Inclusion": { "type": "object", "required": ["entry", "tree_size", "root", "leaf_hash", "entry_text", "inclusion_proof"], "properties": {
            "entry": count, "tree_size": count, "root": string, "leaf_hash": string, "entry_text": string, "inclusion_proof": strings } },
        "Consistency": { "type": "object", "required": ["from", "to", "from_root", "to_root", "consistency_proof"], "properties": {
            "from": count, "to": count, "from_root": string, "to_root": string, "consistency_proof": strings } },
        "Ready": { "type": "object", "required": ["ready"], "properties": { "ready": { "type": "boolean" } } },
    })
}

fn build() -> Value {
    let mut paths = Map::new();
    taxii_paths(&mut paths);
    node_paths(&mut paths);
    ops_paths(&mut paths);
    workspace_paths(&mut paths);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Symbolon node",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "STIX 2.1 over TAXII 2.1 under an information-security agreement: the TAXII API, correlation lookups, the audit log, what peer nodes ask of each other, the operator's probes and the analyst workspace.",
            "license": { "name": "Apache-2.0", "identifier": "Apache-2.0" },
        },
        "servers": [{ "url": "/" }],
        "security": [{ "basic": [] }, { "nodeSignature": [] }],
        "tags": [
            { "name": "TAXII 2.1", "description": "OASIS TAXII 2.1; every answer decided by the agreement's policy and recorded in the audit log" },
            { "name": "Lookup", "description": "Correlation: which objects this principal may receive hold a value" },
            { "name": "Audit log", "description": "RFC 9162 views of the node's audit log (administrators)" },
            { "name": "Peers", "description": "What the parties' nodes ask of each other" },
            { "name": "Operations", "description": "Probes, metrics and this document" },
            { "name": "Workspace", "description": "The analyst workspace (HTML pages and forms)" },
        ],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "basic": { "type": "http", "scheme": "basic", "description": "A node user (`symbolon user add`); over plain HTTP only from this host unless the node is served with --allow-basic-over-http" },
                "nodeSignature": { "type": "apiKey", "in": "header", "name": "X-Symbolon-Signature",
                    "description": "A peer node's Ed25519 signature over the request, with X-Symbolon-Node and X-Symbolon-Date; a node whose key was rotated adds X-Symbolon-Key-Designation (base64 of its designation of itself with the new key, signed with the old one), which a node holding the old key follows" },
                "session": { "type": "apiKey", "in": "cookie", "name": "symbolon_session", "description": "The workspace session (sign in at /ui/login)" },
            },
            "schemas": schemas(),
        }
    })
}

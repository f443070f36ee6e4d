//! `/openapi.json`, built from the code: the paths are the routes the
//! router registered (`note` is called by every route helper, and a test
//! fails when one is not described), each query parameter's schema is
//! written here beside the checks `params` and the pages apply, and every
//! operation's status codes follow from the kind of route it is. Summaries,
//! request bodies and response body schemas come from
//! `assets/openapi-base.json`.

use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};

use serde_json::{Map, Value, json};

const BASE: &str = include_str!("../assets/openapi-base.json");

static ROUTES: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Records a registered GET route (axum's `{id}` syntax).
pub(crate) fn note(path: &str) {
    if let Ok(mut routes) = ROUTES.lock() {
        routes.insert(path.to_string());
    }
}

/// Every GET route registered so far.
#[cfg(test)]
fn registered() -> BTreeSet<String> {
    ROUTES.lock().map(|r| r.clone()).unwrap_or_default()
}

/// Either a value or nothing at all: HTML forms send empty fields, and an
/// empty (or blank) parameter is read as absent.
fn or_empty(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "type": "string", "pattern": "^\\s*$" }] })
}

fn date() -> Value {
    or_empty(json!({ "type": "string", "format": "date" }))
}

fn text() -> Value {
    json!({ "type": "string" })
}

/// The schema of query parameter `name` on `path`, as the code checks it.
pub(crate) fn parameter_schema(name: &str, path: &str) -> Option<Value> {
    let search = path.starts_with("/search");
    Some(match name {
        "from" | "to" | "as_of" => date(),
        "month" => or_empty(json!({ "type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$" })),
        "q" if search => json!({ "type": "string", "maxLength": crate::pages::search::MAX_QUERY }),
        // Filters matched exactly: a value nothing has finds nothing.
        "region" | "grade" | "speaker" | "q" | "hl" => text(),
        "since" => or_empty(json!({
            "anyOf": [
                { "type": "string", "format": "date" },
                { "type": "string", "format": "date-time" },
            ]
        })),
        "kind" if search => {
            or_empty(json!({ "type": "string", "enum": crate::pages::search::KINDS }))
        }
        "kind" => text(),
        "language" => or_empty(json!({ "type": "string", "pattern": "^[a-z]{2,3}$" })),
        // Unknown keys sort by date, anything but `desc` is ascending.
        "sort" | "order" => text(),
        // `stream::wanted`: yes or no; blank is no.
        "_stream" => or_empty(json!({ "type": "string", "enum": ["0", "1", "false", "true"] })),
        // `cursor::decode`: blank is absent; longer is refused.
        "cursor" => json!({ "type": "string", "maxLength": crate::cursor::MAX_CURSOR }),
        // Read by the document write (`writes::DocumentQuery`); blank is absent.
        "replace" => text(),
        "page" if search => or_empty(json!({
            "type": "integer", "minimum": 1, "maximum": crate::pages::search::MAX_PAGE
        })),
        "per_page" if search => or_empty(json!({
            "type": "integer", "minimum": 1, "maximum": crate::pages::search::MAX_PER_PAGE
        })),
        // 0 is read as 1; per_page above the listing's maximum is read as
        // that maximum.
        "page" | "per_page" => or_empty(json!({
            "type": "integer", "minimum": 0, "maximum": crate::params::MAX_NUMBER
        })),
        _ => return None,
    })
}

fn error_body(csv: bool) -> Value {
    if csv {
        json!({ "text/plain": { "schema": { "type": "string" } } })
    } else {
        // A query string the framework cannot read at all (a parameter
        // given twice) is refused in plain text before any page runs.
        json!({
            "application/json": { "schema": { "$ref": "#/components/schemas/Error" } },
            "text/plain": { "schema": { "type": "string" } },
        })
    }
}

fn response(description: &str, content: Option<Value>) -> Value {
    match content {
        Some(c) => json!({ "description": description, "content": c }),
        None => json!({ "description": description }),
    }
}

/// The status codes a GET twin can answer with.
fn read_responses(path: &str, op: &mut Map<String, Value>) {
    let csv = path.ends_with(".csv");
    let responses = op
        .entry("responses")
        .or_insert_with(|| json!({}))
        .as_object_mut();
    let Some(responses) = responses else { return };
    if csv {
        responses.insert(
            "200".into(),
            response(
                "OK",
                Some(json!({ "text/csv; charset=utf-8": { "schema": { "type": "string" } } })),
            ),
        );
    }
    responses.insert(
        "304".into(),
        response(
            "Not modified: the ETag sent in If-None-Match still holds",
            None,
        ),
    );
    responses.insert(
        "400".into(),
        response("A query parameter is malformed", Some(error_body(csv))),
    );
    if path.contains('{') {
        responses.insert(
            "404".into(),
            response("No such item", Some(error_body(csv))),
        );
    } else {
        responses.remove("404");
    }
    responses.insert(
        "500".into(),
        response("The ledger could not be read", Some(error_body(csv))),
    );
}

/// Query parameters of one operation, their schemas from the code.
fn read_parameters(path: &str, op: &mut Map<String, Value>) {
    let Some(Value::Array(params)) = op.get_mut("parameters") else {
        return;
    };
    for p in params.iter_mut() {
        let Some(name) = p
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| {
                p.get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.rsplit('/').next())
                    .map(str::to_string)
            })
        else {
            continue;
        };
        if let Some(schema) = parameter_schema(&name, path) {
            let description = p
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| name.clone());
            *p = json!({
                "name": name, "in": "query", "required": false,
                "description": description, "schema": schema,
            });
        }
    }
}

fn build() -> Value {
    let mut doc: Value = serde_json::from_str(BASE).unwrap_or_else(|_| json!({}));
    // Referenced parameters are written inline per operation now.
    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
        let shared = components.remove("parameters");
        if let Some(Value::Object(shared)) = shared {
            inline_refs(&mut doc, &shared);
        }
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(get) = item.get_mut("get").and_then(Value::as_object_mut) else {
                continue;
            };
            if path == "/healthz" {
                continue;
            }
            read_parameters(path, get);
            read_responses(path, get);
            if is_streamed(path) {
                describe_stream(path, get);
                if path.ends_with(".csv") {
                    describe_next_link(get);
                }
            }
        }
    }
    doc
}

/// Is `path` a twin of a listing that streams (`pages::STREAMED`)?
fn is_streamed(path: &str) -> bool {
    crate::pages::STREAMED.iter().any(|listing| {
        path.strip_prefix(listing)
            .is_some_and(|rest| rest == ".json" || rest == ".csv")
    })
}

/// The `_stream` parameter of a listing twin, and its streamed JSON body:
/// an array of the rows a page lists.
fn describe_stream(path: &str, op: &mut Map<String, Value>) {
    if let Some(Value::Array(params)) = op.get_mut("parameters")
        && let Some(schema) = parameter_schema("_stream", path)
    {
        params.push(json!({
            "name": "_stream", "in": "query", "required": false,
            "description": "1: every row the filters match, streamed in the listing's order \
                (page and per_page are ignored); JSON as one array of rows, CSV with its \
                header once",
            "schema": schema,
        }));
    }
    let Some(content) = op
        .get_mut("responses")
        .and_then(|r| r.get_mut("200"))
        .and_then(|r| r.get_mut("content"))
        .and_then(|c| c.get_mut("application/json"))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let paged = content.remove("schema").unwrap_or_else(|| json!({}));
    content.insert(
        "schema".into(),
        json!({ "anyOf": [paged, { "type": "array", "items": { "type": "object" } }] }),
    );
}

/// The `Link` header of a paged CSV twin (`format::with_next_link`).
fn describe_next_link(op: &mut Map<String, Value>) {
    let Some(ok) = op
        .get_mut("responses")
        .and_then(|r| r.get_mut("200"))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    ok.insert(
        "headers".into(),
        json!({
            "Link": {
                "description": "The next page of the listing, as `<URL>; rel=\"next\"` \
                    (RFC 8288): the JSON twin's `next`, by the same `next_cursor`. \
                    Absent on the last page and on a streamed answer.",
                "required": false,
                "schema": { "type": "string", "pattern": "^<[^>]*>; rel=\"next\"$" },
            }
        }),
    );
}

fn inline_refs(doc: &mut Value, shared: &Map<String, Value>) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(ops) = item.as_object_mut() else {
            continue;
        };
        for op in ops.values_mut() {
            let Some(Value::Array(params)) = op.get_mut("parameters") else {
                continue;
            };
            for p in params.iter_mut() {
                let target = p
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/parameters/"))
                    .and_then(|name| shared.get(name));
                if let Some(target) = target {
                    *p = target.clone();
                }
            }
        }
    }
}

/// The description, built once.
pub(crate) fn document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| build().to_string())
}

/// The query parameter names `Params` reads.
#[cfg(test)]
fn param_names() -> BTreeSet<String> {
    let all = crate::params::Params::default();
    // Serialize with every field present to list them.
    let value = serde_json::to_value(&all).unwrap_or_default();
    let mut names: BTreeSet<String> = value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    // The one parameter of a write: `POST /documents?replace=ID`.
    names.insert("replace".to_string());
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parameter_described_is_one_the_code_reads() {
        let doc = build();
        let names = param_names();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for op in item.as_object().unwrap().values() {
                for p in op["parameters"].as_array().into_iter().flatten() {
                    if p["in"] != "query" {
                        continue;
                    }
                    let name = p["name"].as_str().unwrap();
                    assert!(
                        names.contains(name),
                        "{path}: {name} is not a query parameter"
                    );
                    assert!(
                        parameter_schema(name, path).is_some(),
                        "{path}: {name} has no schema in code"
                    );
                }
            }
        }
    }

    /// `{id}`, `{name}` → `{}`.
    fn shape(path: &str) -> String {
        let mut out = String::new();
        let mut inside = false;
        for c in path.chars() {
            match c {
                '{' => {
                    inside = true;
                    out.push('{');
                }
                '}' => {
                    inside = false;
                    out.push('}');
                }
                _ if inside => {}
                _ => out.push(c),
            }
        }
        out
    }

    #[test]
    fn every_route_is_described_and_every_description_routed() {
        // Routes register as the router is built, over any ledger: an
        // empty store will do.
        let dir = tempfile::tempdir().expect("temporary folder");
        let store = strikewatch_store::SqliteStore::open(&dir.path().join("ledger.db"))
            .expect("store opens");
        let _ = crate::router(std::sync::Arc::new(store), crate::WebOptions::default());
        let routed: BTreeSet<String> = registered().iter().map(|p| shape(p)).collect();
        let doc = build();
        let described: BTreeSet<String> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(p, item)| item.get("get").is_some() && p.as_str() != "/healthz")
            .map(|(p, _)| shape(p))
            .collect();
        assert_eq!(routed, described);
    }

    #[test]
    fn streamed_listings_describe_stream() {
        let doc = build();
        for path in [
            "/statements.csv",
            "/claims.json",
            "/incidents.json",
            "/changes.csv",
        ] {
            let params = doc["paths"][path]["get"]["parameters"].as_array().unwrap();
            assert!(params.iter().any(|p| p["name"] == "_stream"), "{path}");
        }
        let params = doc["paths"]["/timeline.json"]["get"]["parameters"].as_array();
        assert!(!params.into_iter().flatten().any(|p| p["name"] == "_stream"));
    }

    #[test]
    fn paged_csv_twins_describe_their_next_link() {
        let doc = build();
        for path in [
            "/statements.csv",
            "/claims.csv",
            "/incidents.csv",
            "/changes.csv",
        ] {
            let link = &doc["paths"][path]["get"]["responses"]["200"]["headers"]["Link"];
            assert_eq!(link["schema"]["type"], "string", "{path}");
        }
        for path in ["/incidents.json", "/timeline.csv"] {
            let headers = &doc["paths"][path]["get"]["responses"]["200"]["headers"];
            assert!(headers.get("Link").is_none(), "{path}");
        }
    }

    #[test]
    fn every_read_documents_its_errors() {
        let doc = build();
        for (path, item) in doc["paths"].as_object().unwrap() {
            if path == "/healthz" {
                continue;
            }
            if let Some(get) = item.get("get") {
                for code in ["200", "304", "400", "500"] {
                    assert!(get["responses"].get(code).is_some(), "{path} {code}");
                }
            }
        }
    }
}

//! Every body the OpenAPI description gives has real fields: no request body, response body
//! or component schema is a bare `{"type": "object"}` (or an untyped `{}`) without
//! properties. A map is fine when its values are typed (`additionalProperties` with a schema).
//! The description is built in-process from the single route list (`api::api_router`).

use serde_json::Value;

/// Where in `node` (reached by `at`) a schema is an object without a shape.
fn walk(node: &Value, at: &str, out: &mut Vec<String>) {
    let Some(obj) = node.as_object() else {
        return;
    };
    if obj.contains_key("$ref") {
        return;
    }
    for key in ["allOf", "oneOf", "anyOf", "prefixItems"] {
        if let Some(parts) = obj.get(key).and_then(Value::as_array) {
            for (i, part) in parts.iter().enumerate() {
                walk(part, &format!("{at}/{key}/{i}"), out);
            }
        }
    }
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            walk(prop, &format!("{at}.{name}"), out);
        }
    }
    if let Some(items) = obj.get("items") {
        walk(items, &format!("{at}[]"), out);
    }
    if let Some(extra) = obj.get("additionalProperties").filter(|e| e.is_object()) {
        walk(extra, &format!("{at}{{*}}"), out);
    }
    let typed_map = obj
        .get("additionalProperties")
        .and_then(Value::as_object)
        .is_some_and(|m| !m.is_empty());
    let shaped = [
        "properties",
        "allOf",
        "oneOf",
        "anyOf",
        "items",
        "enum",
        "const",
        "prefixItems",
    ]
    .iter()
    .any(|k| obj.contains_key(*k))
        || typed_map;
    let types: Vec<&str> = match obj.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let objectish = types.is_empty() || types.contains(&"object");
    if objectish && !shaped {
        out.push(at.to_string());
    }
}

/// The places in the description whose schema is an object without properties.
pub fn untyped_bodies(spec: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(schemas) = spec["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            walk(schema, &format!("#/components/schemas/{name}"), &mut out);
        }
    }
    for (path, ops) in spec["paths"].as_object().into_iter().flatten() {
        for (method, op) in ops.as_object().into_iter().flatten() {
            let mut bodies = vec![("request".to_string(), &op["requestBody"])];
            for (status, res) in op["responses"].as_object().into_iter().flatten() {
                bodies.push((status.clone(), res));
            }
            for (which, body) in bodies {
                for (mime, media) in body["content"].as_object().into_iter().flatten() {
                    // A file or stream is described by its media type, not by a schema.
                    if !mime.contains("json") {
                        continue;
                    }
                    match media.get("schema") {
                        Some(schema) => walk(
                            schema,
                            &format!("{} {path} {which} {mime}", method.to_uppercase()),
                            &mut out,
                        ),
                        None => out.push(format!(
                            "{} {path} {which} {mime} (no schema)",
                            method.to_uppercase()
                        )),
                    }
                }
            }
        }
    }
    out
}

/// Bodies allowed to stay bare objects (issue 12 began with 65; none are left). A new
/// untyped body fails the test below; a listed one fails once its body has fields.
const NOT_YET_TYPED: &[&str] = &[];

#[test]
fn every_body_in_the_description_has_fields() {
    let (_, spec) = servicehall_web::api::api_router().split_for_parts();
    let spec = serde_json::to_value(&spec).expect("the description serializes");
    let found = untyped_bodies(&spec);
    let new: Vec<&String> = found
        .iter()
        .filter(|f| !NOT_YET_TYPED.contains(&f.as_str()))
        .collect();
    assert!(
        new.is_empty(),
        "{} bodies or schemas are objects without fields (give them a view type):\n{}",
        new.len(),
        new.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let typed: Vec<&&str> = NOT_YET_TYPED
        .iter()
        .filter(|k| !found.iter().any(|f| f == *k))
        .collect();
    assert!(
        typed.is_empty(),
        "these now have fields; delete them from NOT_YET_TYPED: {typed:?}"
    );
}

#[test]
fn the_walker_tells_shapes_from_placeholders() {
    let spec = serde_json::json!({
        "components": {"schemas": {
            "Bare": {"type": "object"},
            "Any": {},
            "Map": {"type": "object", "additionalProperties": {"type": "integer"}},
            "Loose": {"type": "object", "additionalProperties": true},
            "Row": {"type": "object", "properties": {
                "id": {"type": "integer"},
                "data": {"type": ["object", "null"]}
            }},
            "List": {"type": "array", "items": {"$ref": "#/components/schemas/Row"}}
        }},
        "paths": {"/x": {"get": {"responses": {"200": {"content": {
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            "text/csv": {"schema": {"type": "string"}}
        }}}}}}
    });
    let mut found = untyped_bodies(&spec);
    found.sort();
    assert_eq!(
        found,
        [
            "#/components/schemas/Any",
            "#/components/schemas/Bare",
            "#/components/schemas/Loose",
            "#/components/schemas/Row.data",
            "GET /x 200 application/json[]",
        ]
    );
}

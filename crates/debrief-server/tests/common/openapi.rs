//! Checks answers against the server's OpenAPI document: that each one is documented, and
//! that its JSON has the documented types, required and no unknown properties, enums, array
//! items, `allOf`, `oneOf`, `anyOf` and `$ref`. Enough to catch an answer that drifted from
//! its documentation.

use debrief_server::http::openapi;
use serde_json::Value;

/// The documented answer to `method path` with `status` (`default` for errors): its media
/// type and schema, or `None` when it has no content. Panics when the document does not
/// list the answer at all: no answer goes unchecked.
pub fn documented_answer(
    method: &str,
    path: &str,
    status: u16,
) -> Option<(String, &'static Value)> {
    let document = openapi::document();
    let path = path.split('?').next().unwrap_or(path);
    let operation = document["paths"]
        .as_object()
        .and_then(|paths| paths.iter().find(|(template, _)| matches(template, path)))
        .and_then(|(_, operations)| operations.get(method.to_lowercase()));
    let Some(operation) = operation else {
        // An operation the API does not have: its answer is an error like any other.
        assert!(
            status == 404 || status == 405,
            "{method} {path} is not documented, yet answered {status}"
        );
        let error = &document["components"]["schemas"]["ErrorAnswer"];
        return Some(("application/json".into(), error));
    };
    let responses = &operation["responses"];
    let key = if status < 400 {
        status.to_string()
    } else {
        "default".to_string()
    };
    let response = responses
        .get(&key)
        .unwrap_or_else(|| panic!("{method} {path} answered {status}, which is not documented"));
    let (media_type, content) = response["content"].as_object()?.iter().next()?;
    Some((media_type.clone(), &content["schema"]))
}

/// Whether the document has the operation `method route` (`route` as axum matched it).
pub fn documents(method: &str, route: &str) -> bool {
    openapi::document()["paths"][route]
        .get(method.to_lowercase())
        .is_some()
}

fn matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && !p.is_empty()))
}

/// Whether `value` conforms to `schema`; the error says where it does not.
pub fn conforms(value: &Value, schema: &Value, at: &str) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or("");
        return conforms(
            value,
            &openapi::document()["components"]["schemas"][name],
            at,
        );
    }
    if let Some(all) = schema["allOf"].as_array() {
        for part in all {
            conforms(value, part, at)?;
        }
    }
    if let Some(options) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        return if options.iter().any(|o| conforms(value, o, at).is_ok()) {
            Ok(())
        } else {
            Err(format!("{at}: {value} matches none of {schema}"))
        };
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() && !types.iter().any(|t| is_type(value, t)) {
        return Err(format!("{at}: {value} is not {types:?}"));
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        return Err(format!("{at}: {value} is not one of {allowed:?}"));
    }
    if let Value::Object(object) = value {
        for required in schema["required"].as_array().into_iter().flatten() {
            let key = required.as_str().unwrap_or("");
            if !object.contains_key(key) {
                return Err(format!("{at}: missing {key}"));
            }
        }
        if let Some(properties) = schema["properties"].as_object() {
            for (key, item) in object {
                match properties.get(key) {
                    Some(property) => conforms(item, property, &format!("{at}.{key}"))?,
                    // Every object the API answers with is closed: a property the document
                    // does not name is drift, whatever `additionalProperties` says.
                    None => return Err(format!("{at}: undocumented property {key}")),
                }
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            conforms(item, item_schema, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

fn is_type(value: &Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

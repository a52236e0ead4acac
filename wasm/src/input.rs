//! JS values in: turned into JSON text on the JS side (`js/json.js`, which refuses what JSON
//! cannot hold with its path), then read by the engine's own JSON reader, exactly as the CLI reads
//! a profile file. One string crosses the boundary instead of one call per field.

use huiqi_engine::{InputError, InputErrors, Profile};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/json.js")]
extern "C" {
    /// JSON text, or `{path, message}` for a value JSON cannot hold.
    #[wasm_bindgen(js_name = toJson)]
    fn to_json(value: &JsValue) -> JsValue;
}

/// The JSON text of a JS value, or the located reason it has none.
fn json_text(value: &JsValue) -> Result<String, InputError> {
    let text = to_json(value);
    text.as_string().ok_or_else(|| {
        let field = |name: &str| {
            js_sys::Reflect::get(&text, &JsValue::from_str(name))
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        InputError::new(field("path"), field("message"))
    })
}

/// Reads a profile with the CLI's reader; errors name the field path.
pub fn profile(value: &JsValue) -> Result<Profile, InputErrors> {
    let text = json_text(value).map_err(InputErrors::one)?;
    Profile::from_json(&text).map_err(|InputErrors(errors)| {
        InputErrors(errors.into_iter().map(without_position).collect())
    })
}

/// Reads another argument (options, pack files); a problem is reported at `name` + its path.
pub fn argument<T: DeserializeOwned>(value: &JsValue, name: &str) -> Result<T, InputErrors> {
    let under = |InputError { path, message }| {
        let path = match path.as_str() {
            "" => name.to_owned(),
            _ if path.starts_with('[') => format!("{name}{path}"),
            _ => format!("{name}.{path}"),
        };
        InputErrors::one(InputError::new(path, message))
    };
    let text = json_text(value).map_err(under)?;
    huiqi_engine::from_json_located(&text).map_err(under)
}

/// serde_json places its errors in the JSON text ("… at line 1 column 57"): meaningful for the
/// CLI's files, not for a JS object whose text the caller never saw.
fn without_position(mut error: InputError) -> InputError {
    if let Some(at) = error.message.rfind(" at line ")
        && error.message[at + 9..]
            .split(" column ")
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    {
        error.message.truncate(at);
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_only_a_trailing_json_position() {
        let cut = |message: &str| without_position(InputError::new("p", message)).message;
        assert_eq!(
            cut("invalid type: string \"x\", expected u32 at line 1 column 17"),
            "invalid type: string \"x\", expected u32"
        );
        assert_eq!(cut("spent at line managers"), "spent at line managers");
        assert_eq!(cut("ends at line 3 column"), "ends at line 3 column");
    }
}

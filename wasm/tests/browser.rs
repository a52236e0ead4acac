//! The package's functions in headless Chromium (wasm-bindgen-test; `scripts/test-npm.sh` runs it
//! with Debian's chromium and chromedriver): results come back as plain JS objects and every
//! failure as a thrown JS `Error` with its path, in the browser build as in node.
#![cfg(target_arch = "wasm32")]

use huiqi_wasm::{evaluate, explain, load_packs, programs, validate, version};
use js_sys::{Array, JSON, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON parses")
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("an object")
}

fn options() -> Option<JsValue> {
    Some(js(r#"{"asOf": "2026-11-22"}"#))
}

/// The thrown error's `name` and `path`.
fn failure(error: &JsValue) -> (String, String) {
    assert!(error.is_instance_of::<js_sys::Error>(), "a JS Error");
    let text = |key| get(error, key).as_string().unwrap_or_default();
    (text("name"), text("path"))
}

#[wasm_bindgen_test]
fn evaluates_a_profile_into_plain_objects() {
    let profile = js(include_str!("../examples/profile.json"));
    let result = evaluate(profile, options()).expect("a result");
    assert_eq!(
        get(&result, "as_of").as_string().as_deref(),
        Some("2026-11-22")
    );
    let programs: Array = get(&result, "programs").dyn_into().expect("an array");
    let ids: Vec<String> = programs
        .iter()
        .filter_map(|p| get(&p, "id").as_string())
        .collect();
    assert!(ids.iter().any(|id| id == "cn.hnte"), "{ids:?}");
    let hnte = programs
        .iter()
        .find(|p| get(p, "id").as_string().as_deref() == Some("cn.hnte"))
        .expect("cn.hnte");
    assert!(
        get(&get(&hnte, "score"), "min").is_string(),
        "scores are decimal strings"
    );
}

#[wasm_bindgen_test]
fn bad_input_throws_a_located_error() {
    for (profile, path) in [
        (r#"{"employees": "40"}"#, "employees"),
        (
            r#"{"financials": [{"year": 2025, "sales": 1}]}"#,
            "financials[0].sales",
        ),
        (r#"[]"#, ""),
    ] {
        let error = evaluate(js(profile), options()).expect_err(profile);
        assert_eq!(failure(&error), ("HuiqiInputError".into(), path.into()));
    }
    let nan = js("{}");
    Reflect::set(&nan, &"employees".into(), &JsValue::from_f64(f64::NAN)).expect("set");
    let error = evaluate(nan.clone(), options()).expect_err("NaN");
    assert_eq!(failure(&error).1, "employees");
    let errors: Array = validate(nan, options())
        .expect("a list")
        .dyn_into()
        .expect("array");
    assert_eq!(errors.length(), 1);
}

#[wasm_bindgen_test]
fn catalogue_and_packs() {
    let all: Array = programs(None).expect("programs").dyn_into().expect("array");
    assert!(all.length() > 0);
    assert!(explain("cn.hnte").expect("explain").is_object());
    assert!(explain("no.such").expect("explain").is_undefined());
    let before = version();
    let broken = js(r#"[{"name": "broken.json", "text": "{\"pack\": {\"id\": 1}}"}]"#);
    let error = load_packs(broken).expect_err("a broken pack");
    assert_eq!(failure(&error).0, "HuiqiPackError");
    assert_eq!(version(), before, "a refused load keeps the packs in use");
}

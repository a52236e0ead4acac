//! huiqi-wasm: the engine's face for JavaScript, built by wasm-pack into the npm package `huiqi`.
//!
//! A thin shell over `huiqi-engine`. Values cross the boundary as JSON text, one string each way:
//! JS objects in are read by the engine's own JSON reader (so JS callers get the CLI's field
//! paths), results out are `JSON.parse`d into plain objects. Measured in node on a full result,
//! that is about 1.5 times as fast as serde-wasm-bindgen's one boundary call per field, and it
//! refuses unknown fields, which serde-wasm-bindgen's struct reading skips. Every failure is thrown
//! as a JS `Error` carrying its paths, never a wasm trap. TypeScript declarations come from the
//! Rust types (tsify), not written twice.

mod input;

use std::cell::RefCell;
use std::rc::Rc;

use huiqi_engine::{Date, Engine, InputErrors, Lang, Options, PackError, Region};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const ERRORS_TS: &str = r#"
/** Thrown for a bad profile or bad options: every problem with its field path. */
export interface HuiqiInputError extends Error {
    name: "HuiqiInputError";
    /** Path of the first problem, e.g. `financials[0].rd_expense`; empty for the whole profile. */
    path: string;
    /** Every problem found. */
    errors: InputError[];
}

/** Thrown by `loadPacks` when a rule pack does not compile: every problem with its file and place. */
export interface HuiqiPackError extends Error {
    name: "HuiqiPackError";
    errors: PackError[];
}
"#;

/// Options of `evaluate` and `validate`.
#[derive(Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EvaluateOptions {
    /// Evaluation (application) date, `YYYY-MM-DD`; today's local date when absent.
    #[tsify(optional, type = "string")]
    #[serde(default, with = "huiqi_engine::date::option")]
    pub as_of: Option<Date>,
    /// Language of the questions: `zh` (default) or `en`.
    #[tsify(optional)]
    #[serde(default)]
    pub lang: Option<Lang>,
    /// Word each criterion's `detail` (default `true`); `false` is faster for bulk screening.
    #[tsify(optional)]
    #[serde(default)]
    pub details: Option<bool>,
}

/// Which programs `programs` lists.
#[derive(Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProgramsQuery {
    /// Only the programs that apply in this 6-digit region code (national ones apply everywhere).
    #[tsify(optional)]
    #[serde(default)]
    pub region: Option<Region>,
    /// Mark `in_force` as of this date, `YYYY-MM-DD`.
    #[tsify(optional, type = "string")]
    #[serde(default, with = "huiqi_engine::date::option")]
    pub as_of: Option<Date>,
}

/// A rule pack given as its file name and JSON text.
#[derive(Deserialize, Serialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    /// File name, used in error messages, e.g. `my-city.json`.
    pub name: String,
    /// The pack in its JSON form: the TOML document of the project's `docs/rule-packs.md` as
    /// JSON, which `huiqi rules export` writes. (The package reads no TOML: a TOML reader would
    /// add about 30 KB, gzipped, for every visitor of every portal.)
    pub text: String,
}

thread_local! {
    /// The packs `loadPacks` compiled; `None` means the built-in ones.
    static LOADED: RefCell<Option<Rc<Engine>>> = const { RefCell::new(None) };
}

/// Runs `f` on the engine in use: the loaded packs, else the built-in ones.
fn with_engine<R>(f: impl FnOnce(&Engine) -> R) -> R {
    // Clone the handle out so that no borrow of the cell is held while `f` runs.
    match LOADED.with_borrow(Option::clone) {
        Some(engine) => f(&engine),
        None => f(Engine::builtin()),
    }
}

/// Evaluates an enterprise profile against every program of its region and above.
///
/// Returns the result of the public contract: per program a status, a trace of every criterion
/// with its citation, gaps, missing inputs and benefits; money as decimal strings.
/// Throws a `HuiqiInputError` (with `path` and `errors`) when the profile or the options are bad.
#[wasm_bindgen(unchecked_return_type = "Evaluation")]
pub fn evaluate(
    #[wasm_bindgen(unchecked_param_type = "Profile")] profile: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let options = evaluate_options(options)?;
    let profile = input::profile(&profile).map_err(input_error)?;
    let result = with_engine(|engine| engine.evaluate(&profile, &options)).map_err(input_error)?;
    to_js(&result)
}

/// Checks a profile without evaluating it: every problem with its field path, or `[]` when
/// `evaluate` with the same options would accept it.
#[wasm_bindgen(unchecked_return_type = "InputError[]")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "Profile")] profile: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let options = evaluate_options(options)?;
    let errors = input::profile(&profile)
        .and_then(|profile| profile.check_dates(options.as_of))
        .err()
        .map_or_else(Vec::new, |errors| errors.0);
    to_js(&errors)
}

/// The catalogue: every program (of `region` and above, when given) with its criteria, benefits
/// and citations; `in_force` reflects `asOf` when given.
#[wasm_bindgen(unchecked_return_type = "ProgramInfo[]")]
pub fn programs(
    #[wasm_bindgen(unchecked_optional_param_type = "ProgramsQuery")] query: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let query: ProgramsQuery = read_options(query)?;
    to_js(&with_engine(|engine| {
        engine.programs(query.region, query.as_of)
    }))
}

/// One program's criteria, benefits and citations by its catalogue id (e.g. `cn.hnte`), or
/// `undefined` when no program has that id.
#[wasm_bindgen(unchecked_return_type = "ProgramInfo | undefined")]
pub fn explain(id: &str) -> Result<JsValue, JsValue> {
    match with_engine(|engine| engine.explain(id)) {
        Some(info) => to_js(&info),
        None => Ok(JsValue::UNDEFINED),
    }
}

/// Replaces the rule packs used by every later call with these (in their JSON form), and returns
/// their `rules_version`. Throws a `HuiqiPackError` listing every problem when one does not
/// compile; the packs in use are then unchanged. `loadPacks(builtinPacks())` goes back to the
/// built-in ones.
#[wasm_bindgen(js_name = loadPacks)]
pub fn load_packs(
    #[wasm_bindgen(unchecked_param_type = "PackFile[]")] files: JsValue,
) -> Result<String, JsValue> {
    let files: Vec<PackFile> = input::argument(&files, "files").map_err(input_error)?;
    let sources: Vec<(&str, &str)> = files
        .iter()
        .map(|file| (file.name.as_str(), file.text.as_str()))
        .collect();
    let engine = Engine::from_sources(&sources).map_err(pack_error)?;
    let version = engine.rules_version().to_owned();
    LOADED.set(Some(Rc::new(engine)));
    Ok(version)
}

/// The rule packs built into the package, to extend with one's own before `loadPacks`: in the
/// canonical JSON form the engine compiles them from (their TOML sources are the repository's
/// `engine/packs/`); the rules version is the same either way.
#[wasm_bindgen(js_name = builtinPacks, unchecked_return_type = "PackFile[]")]
pub fn builtin_packs() -> Result<JsValue, JsValue> {
    let files: Vec<PackFile> = huiqi_engine::BUILTIN_PACKS_JSON
        .iter()
        .map(|&(name, text)| PackFile {
            name: name.to_owned(),
            text: text.to_owned(),
        })
        .collect();
    to_js(&files)
}

/// The rules version of the packs in use: pack ids and versions with a content hash. Store it
/// beside saved results to know which rules produced them.
#[wasm_bindgen]
pub fn version() -> String {
    with_engine(|engine| engine.rules_version().to_owned())
}

/// The engine's options from `evaluate`'s JS options; the date defaults to today.
fn evaluate_options(value: Option<JsValue>) -> Result<Options, JsValue> {
    let given: EvaluateOptions = read_options(value)?;
    let mut options = Options::at(match given.as_of {
        Some(date) => date,
        None => today()?,
    });
    if let Some(lang) = given.lang {
        options.lang = lang;
    }
    if let Some(details) = given.details {
        options.details = details;
    }
    Ok(options)
}

/// Reads an optional options object: absent, `undefined` and `null` all mean the defaults.
fn read_options<T: DeserializeOwned + Default>(value: Option<JsValue>) -> Result<T, JsValue> {
    match value {
        Some(value) if !value.is_null_or_undefined() => {
            input::argument(&value, "options").map_err(input_error)
        }
        _ => Ok(T::default()),
    }
}

/// Today's date on the user's clock, as the CLI's `--at` defaults to.
fn today() -> Result<Date, JsValue> {
    let now = js_sys::Date::new_0();
    let part = |n: u32| i8::try_from(n).unwrap_or(i8::MAX);
    i16::try_from(now.get_full_year())
        .ok()
        .and_then(|year| Date::new(year, part(now.get_month() + 1), part(now.get_date())).ok())
        .ok_or_else(|| {
            js_sys::Error::new("the system clock gives no valid date; pass `asOf`").into()
        })
}

/// Converts a result to plain JS objects (maps become objects, as in the JSON contract).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text =
        serde_json::to_string(value).map_err(|error| js_sys::Error::new(&error.to_string()))?;
    js_sys::JSON::parse(&text)
}

/// A JS `Error` named `name` whose `errors` property holds `errors` as plain objects.
fn error_with<T: Serialize>(name: &str, message: &str, errors: &[T]) -> js_sys::Error {
    let error = js_sys::Error::new(message);
    error.set_name(name);
    if let Ok(list) = to_js(errors) {
        // Setting a property on a fresh ordinary object cannot fail.
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str("errors"), &list);
    }
    error
}

/// The `HuiqiInputError` thrown for bad input.
fn input_error(errors: InputErrors) -> JsValue {
    let error = error_with("HuiqiInputError", &errors.to_string(), &errors.0);
    let _ = js_sys::Reflect::set(
        &error,
        &JsValue::from_str("path"),
        &JsValue::from_str(errors.first_path()),
    );
    error.into()
}

/// The `HuiqiPackError` thrown when rule packs do not compile.
fn pack_error(errors: Vec<PackError>) -> JsValue {
    let message = errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    error_with("HuiqiPackError", &message, &errors).into()
}

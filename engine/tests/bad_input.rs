//! The bad-input suite: every malformed profile in `tests/cases/bad-profiles.json` is refused with
//! no result, its first error at the expected field path, and a message in the contract's words.
//!
//! Each profile goes both ways a face can send it: as JSON text (CLI, `evaluate_json`) and as a
//! parsed value (the wasm face and CSV rows deserialize from a value); both must agree.

use huiqi_engine::{Date, Engine, InputErrors, Options, Profile};
use serde::Deserialize;

const CASES: &str = include_str!("../../tests/cases/bad-profiles.json");
/// The evaluation date of cases that do not name one.
const AS_OF: &str = "2026-11-22";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    profile: serde_json::Value,
    path: String,
    #[serde(default, with = "huiqi_engine::date::option")]
    as_of: Option<Date>,
}

/// Words that belong to Rust, not to someone filling in a form.
const JARGON: &[&str] = &[
    "u32", "u64", "i32", "i64", "f64", "struct ", "Option", "enum ",
];

/// The errors for a case, the same whether sent as text or as a value; or what went wrong.
fn errors(engine: &Engine, case: &Case) -> Result<InputErrors, String> {
    let as_of = case
        .as_of
        .unwrap_or_else(|| huiqi_engine::date::parse(AS_OF).expect("a date"));
    let options = Options::at(as_of);
    let from_text = engine.evaluate_json(&case.profile.to_string(), &options);
    let from_value =
        Profile::from_value(&case.profile).and_then(|profile| engine.evaluate(&profile, &options));
    match (from_text, from_value) {
        (Err(text), Err(value)) if text.first_path() == value.first_path() => Ok(text),
        (Err(text), Err(value)) => Err(format!("text and value disagree: {text} / {value}")),
        (Ok(_), _) | (_, Ok(_)) => Err("accepted: a result instead of an error".to_owned()),
    }
}

#[test]
fn every_bad_profile_is_refused_at_its_path() {
    let cases: Vec<Case> = serde_json::from_str(CASES).expect("bad-profiles.json parses");
    assert!(cases.len() >= 30, "the suite keeps at least 30 cases");
    let engine = Engine::builtin();
    let mut wrong = Vec::new();
    for case in &cases {
        let errors = match errors(engine, case) {
            Ok(errors) => errors,
            Err(why) => {
                wrong.push(format!("{}: {why}", case.name));
                continue;
            }
        };
        let Some(first) = errors.0.first() else {
            wrong.push(format!("{}: an empty error list", case.name));
            continue;
        };
        println!("{:<55} {:<38} {}", case.name, first.path, first.message);
        if first.path != case.path {
            wrong.push(format!(
                "{}: first error at {:?}, expected {:?} ({})",
                case.name, first.path, case.path, first.message
            ));
        }
        for error in &errors.0 {
            if error.message.trim().is_empty() {
                wrong.push(format!("{}: empty message at {:?}", case.name, error.path));
            }
            if let Some(word) = JARGON.iter().find(|w| error.message.contains(*w)) {
                wrong.push(format!(
                    "{}: message speaks Rust ({word:?}): {}",
                    case.name, error.message
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn case_names_are_unique() {
    let cases: Vec<Case> = serde_json::from_str(CASES).expect("bad-profiles.json parses");
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "duplicate case names");
}

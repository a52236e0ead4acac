//! Golden cases: policy examples a policy officer can read (format at the end of
//! `docs/rule-packs.md`), run by `cargo test` and `huiqi rules test`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use crate::result::{Check, Status};
use crate::{Engine, Options, Profile, date};

/// Outcome of running golden cases.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CaseReport {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed, with why.
    pub failed: Vec<CaseFailure>,
}

/// One failed case.
#[derive(Clone, Debug, Serialize)]
pub struct CaseFailure {
    /// Case file.
    pub file: String,
    /// Case name.
    pub case: String,
    /// What differed.
    pub message: String,
}

impl std::fmt::Display for CaseFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "{}: {}\n    {}",
            self.file,
            self.case,
            self.message.replace('\n', "\n    ")
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(default)]
    base: BTreeMap<String, toml::Value>,
    #[serde(default)]
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    as_of: String,
    #[serde(default)]
    program: Option<String>,
    #[serde(default)]
    base: Option<String>,
    #[serde(default)]
    profile: Option<toml::Value>,
    #[serde(default)]
    set: BTreeMap<String, toml::Value>,
    #[serde(default)]
    unset: Vec<String>,
    #[serde(default)]
    expect: Option<Status>,
    #[serde(default)]
    criteria: BTreeMap<String, Check>,
    #[serde(default)]
    gap: BTreeMap<String, String>,
    #[serde(default)]
    score: Option<(String, String)>,
    #[serde(default)]
    benefits: BTreeMap<String, (String, String)>,
    #[serde(default)]
    in_force: Option<bool>,
    #[serde(default)]
    missing: Vec<String>,
    /// For a bad profile: the path of the first error expected.
    #[serde(default)]
    error: Option<String>,
}

/// Runs every case of every file.
pub fn run<N: AsRef<str>, T: AsRef<str>>(engine: &Engine, files: &[(N, T)]) -> CaseReport {
    let mut report = CaseReport::default();
    for (name, text) in files {
        let name = name.as_ref();
        let file: CaseFile = match toml::from_str(text.as_ref()) {
            Ok(file) => file,
            Err(e) => {
                report.failed.push(CaseFailure {
                    file: name.into(),
                    case: String::new(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        for case in &file.case {
            match run_case(engine, &file, case) {
                Ok(()) => report.passed += 1,
                Err(message) => report.failed.push(CaseFailure {
                    file: name.into(),
                    case: case.name.clone(),
                    message,
                }),
            }
        }
    }
    report
}

/// Builds the case's profile as JSON: a base or inline profile, then `set` and `unset` paths.
fn profile_json(file: &CaseFile, case: &Case) -> Result<Json, String> {
    let mut json = match (&case.base, &case.profile) {
        (Some(_), Some(_)) => return Err("give `base` or `profile`, not both".into()),
        (Some(base), None) => toml_to_json(
            file.base
                .get(base)
                .ok_or_else(|| format!("no [base.{base}]"))?,
        ),
        (None, Some(profile)) => toml_to_json(profile),
        (None, None) => Json::Object(Map::new()),
    };
    for (path, value) in &case.set {
        let value = match value {
            toml::Value::String(s) if s == "null" => Json::Null,
            other => toml_to_json(other),
        };
        *slot(&mut json, path, true)? = value;
    }
    for path in &case.unset {
        let (parent, key) = path
            .rsplit_once('.')
            .map_or(("", path.as_str()), |(p, k)| (p, k));
        let target = if parent.is_empty() {
            &mut json
        } else {
            slot(&mut json, parent, false)?
        };
        if let Json::Object(map) = target {
            map.remove(key);
        }
    }
    Ok(json)
}

fn toml_to_json(value: &toml::Value) -> Json {
    match value {
        toml::Value::String(s) => Json::String(s.clone()),
        toml::Value::Integer(i) => Json::from(*i),
        // A float in a case file becomes a JSON number, which a profile reads through its
        // shortest text (`money::float_text`): no arithmetic is done on it.
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        toml::Value::Boolean(b) => Json::Bool(*b),
        toml::Value::Datetime(d) => Json::String(d.to_string()),
        toml::Value::Array(a) => Json::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Json::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

/// The place `path` names (`financials[-1].rd_expense`: -1 is the latest year, by `year`).
fn slot<'j>(json: &'j mut Json, path: &str, create: bool) -> Result<&'j mut Json, String> {
    let mut here = json;
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => {
                let index: i64 = rest
                    .trim_end_matches(']')
                    .parse()
                    .map_err(|_| format!("bad index in {path:?}"))?;
                (key, Some(index))
            }
            None => (part, None),
        };
        let Json::Object(map) = here else {
            return Err(format!("{path:?}: {key} is inside a non-object"));
        };
        if !map.contains_key(key) && !create {
            return Err(format!("{path:?}: no {key}"));
        }
        here = map.entry(key.to_owned()).or_insert_with(|| {
            if index.is_some() {
                Json::Array(Vec::new())
            } else {
                Json::Object(Map::new())
            }
        });
        if let Some(index) = index {
            let Json::Array(items) = here else {
                return Err(format!("{path:?}: {key} is not a list"));
            };
            let position = if index < 0 {
                // -1 = the latest fiscal year, -2 the one before, …
                let mut order: Vec<usize> = (0..items.len()).collect();
                order.sort_by_key(|&i| {
                    std::cmp::Reverse(
                        items[i]
                            .get("year")
                            .and_then(Json::as_i64)
                            .unwrap_or(i64::MIN),
                    )
                });
                order.get((-index - 1) as usize).copied()
            } else {
                Some(index as usize).filter(|&i| i < items.len())
            };
            let position =
                position.ok_or_else(|| format!("{path:?}: {key} has no entry {index}"))?;
            here = &mut items[position];
        }
    }
    Ok(here)
}

fn run_case(engine: &Engine, file: &CaseFile, case: &Case) -> Result<(), String> {
    let as_of = date::parse(&case.as_of).map_err(|e| format!("as_of: {e}"))?;
    let json = profile_json(file, case)?;
    let evaluated = Profile::from_value(&json)
        .and_then(|profile| engine.evaluate(&profile, &Options::at(as_of)));
    let result = match (evaluated, &case.error) {
        (Err(errors), Some(path)) => {
            return if errors.first_path() == path {
                Ok(())
            } else {
                Err(format!("expected an error at {path:?}, got: {errors}"))
            };
        }
        (Err(errors), None) => return Err(format!("the profile was refused: {errors}")),
        (Ok(_), Some(path)) => {
            return Err(format!(
                "expected an error at {path:?}, but the profile was accepted"
            ));
        }
        (Ok(result), None) => result,
    };
    let id = case
        .program
        .as_deref()
        .ok_or("a case names its `program`")?;
    let program = result
        .program(id)
        .ok_or_else(|| format!("program {id} is not in the result (region?)"))?;
    let mut problems = Vec::new();
    if let Some(want) = case.expect
        && program.status != want
    {
        let why: Vec<String> = program
            .criteria
            .iter()
            .filter(|c| c.status != Check::Pass)
            .map(|c| format!("{} {:?} {}", c.id, c.status, c.detail.zh))
            .collect();
        problems.push(format!(
            "status {:?}, expected {want:?}; not passing: [{}]; missing: {:?}",
            program.status,
            why.join(" | "),
            program.missing
        ));
    }
    for (criterion, want) in &case.criteria {
        match program.criteria.iter().find(|c| c.id == *criterion) {
            None => problems.push(format!("no criterion {criterion}")),
            Some(c) if c.status != *want => problems.push(format!(
                "criterion {criterion} is {:?}, expected {want:?} ({})",
                c.status, c.detail.zh
            )),
            _ => {}
        }
    }
    for (criterion, want) in &case.gap {
        let got = program
            .criteria
            .iter()
            .find(|c| c.id == *criterion)
            .and_then(|c| c.gap.as_ref());
        match got {
            Some(gap) if same_number(&gap.by.to_string(), want) => {}
            Some(gap) => problems.push(format!(
                "gap of {criterion} is {} ({}), expected {want}",
                gap.by, gap.detail.zh
            )),
            None => problems.push(format!("criterion {criterion} has no gap, expected {want}")),
        }
    }
    if let Some((min, max)) = &case.score {
        match &program.score {
            Some(s)
                if same_number(&s.min.to_string(), min) && same_number(&s.max.to_string(), max) => {
            }
            Some(s) => problems.push(format!("score {}..{}, expected {min}..{max}", s.min, s.max)),
            None => problems.push("the program has no score".into()),
        }
    }
    for (benefit, (min, max)) in &case.benefits {
        match program.benefits.iter().find(|b| b.id == *benefit) {
            None => problems.push(format!("no benefit {benefit}")),
            Some(b) => {
                let show = |d: &Option<rust_decimal::Decimal>| {
                    d.map_or("null".to_owned(), |d| d.to_string())
                };
                if !same_number(&show(&b.min_yuan), min) || !same_number(&show(&b.max_yuan), max) {
                    problems.push(format!(
                        "benefit {benefit} is {}..{}, expected {min}..{max}",
                        show(&b.min_yuan),
                        show(&b.max_yuan)
                    ));
                }
            }
        }
    }
    if let Some(want) = case.in_force
        && program.in_force != want
    {
        problems.push(format!("in_force is {}, expected {want}", program.in_force));
    }
    if !case.missing.is_empty()
        && !program
            .missing
            .iter()
            .zip(&case.missing)
            .all(|(a, b)| a == b)
    {
        problems.push(format!(
            "missing is {:?}, expected it to start with {:?}",
            program.missing, case.missing
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn same_number(got: &str, want: &str) -> bool {
    match (
        rust_decimal::Decimal::from_str_exact(got),
        rust_decimal::Decimal::from_str_exact(want),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => got == want,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_indexes_count_from_the_latest_year() {
        let mut json =
            serde_json::json!({"financials": [{"year": 2025}, {"year": 2023}, {"year": 2024}]});
        *slot(&mut json, "financials[-2].rd_expense", true).unwrap() = Json::from(5);
        assert_eq!(json["financials"][2]["rd_expense"], 5);
    }
}

//! What the user has typed, kept as typed, and its conversion into a contract profile: money in
//! 万元 becomes exact 元, percentages become shares, the three fiscal years become `financials[]`.
//! Each input the engine refuses is set aside with its located error, so the results keep
//! updating from everything else.

use std::collections::{BTreeMap, BTreeSet};

use huiqi_engine::fields::{FIELDS, Field, Kind};
use huiqi_engine::{Date, Decimal, Engine, Evaluation, Lang, Options, Profile, Region};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Select value standing for the contract's `null` of `industry_field` ("none of the eight").
pub const NULL_CHOICE: &str = "null";
/// Yes/no answers as the form writes them.
pub const YES: &str = "yes";
/// See [`YES`].
pub const NO: &str = "no";
/// How many yearly inputs `conversions` has (the latest three years).
pub const CONVERSION_YEARS: usize = 3;
/// The input key of the latest fiscal year.
pub const LAST_YEAR: &str = "financials[-1].year";

const FINANCIALS: &str = "financials[";
const WAN: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);
const HUNDRED: Decimal = Decimal::from_parts(100, 0, 0, false, 0);

/// The typed answers, by input key: a field's contract path, or `conversions[i]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Draft(BTreeMap<String, String>);

impl Draft {
    /// A draft with the latest fiscal year filled in: the year before `as_of`.
    pub fn new(as_of: Date) -> Draft {
        let mut draft = Draft::default();
        draft.set(LAST_YEAR, &(as_of.year() - 1).to_string());
        draft
    }

    /// The typed text of `key` ("" when unanswered).
    pub fn get(&self, key: &str) -> &str {
        self.0.get(key).map_or("", String::as_str)
    }

    /// Sets (or, with blank text, clears) the answer of `key`.
    pub fn set(&mut self, key: &str, text: &str) {
        if text.trim().is_empty() {
            self.0.remove(key);
        } else {
            self.0.insert(key.to_owned(), text.to_owned());
        }
    }

    /// The input keys a field is typed into: one, or one per year for `conversions`.
    pub fn keys(field: &Field) -> Vec<String> {
        if field.path == "conversions" {
            (0..CONVERSION_YEARS)
                .map(|i| format!("conversions[{i}]"))
                .collect()
        } else {
            vec![field.path.to_owned()]
        }
    }

    /// The profile JSON of the answers not in `skip`, in region `region`.
    fn build(&self, region: Option<Region>, as_of: Date, skip: &BTreeSet<String>) -> Built {
        let answered = |key: &str| !skip.contains(key) && !self.get(key).trim().is_empty();
        let mut root = Map::new();
        if let Some(region) = region {
            root.insert("region".into(), Value::String(region.to_string()));
        }
        let mut years: [Map<String, Value>; 3] = Default::default();
        for field in FIELDS {
            if field.path == "region" || field.path == LAST_YEAR {
                continue;
            }
            if field.path == "conversions" {
                let counts: Vec<Value> = Draft::keys(field)
                    .iter()
                    .filter(|key| answered(key))
                    .map(|key| count_value(self.get(key)))
                    .collect();
                if !counts.is_empty() {
                    root.insert("conversions".into(), Value::Array(counts));
                }
                continue;
            }
            if !answered(field.path) {
                continue;
            }
            let value = to_json(field.kind, self.get(field.path));
            match fiscal_year(field.path) {
                Some((back, name)) => {
                    years[back].insert(name.to_owned(), value);
                }
                None => insert_path(&mut root, field.path, value),
            }
        }
        // The latest year always leads: figures of earlier years alone must not become "last year".
        let kept = years
            .iter()
            .rposition(|y| !y.is_empty())
            .map_or(0, |i| i + 1);
        let last_year = self.get(LAST_YEAR).trim();
        let year_number = if answered(LAST_YEAR) {
            last_year.parse::<i64>().ok()
        } else {
            Some(i64::from(as_of.year()) - 1)
        };
        let mut financials = Vec::new();
        let mut offsets = Vec::new();
        for back in (0..kept).rev() {
            let mut entry = std::mem::take(&mut years[back]);
            let year = match year_number {
                Some(year) => Value::from(year - back as i64),
                None => Value::String(last_year.to_owned()),
            };
            entry.insert("year".into(), year);
            financials.push(Value::Object(entry));
            offsets.push(back);
        }
        if !financials.is_empty() {
            root.insert("financials".into(), Value::Array(financials));
        }
        Built {
            json: Value::Object(root),
            offsets,
        }
    }
}

/// A built profile and, per `financials[]` entry, how many years before the latest it is.
struct Built {
    json: Value,
    offsets: Vec<usize>,
}

impl Built {
    /// The input key an engine error path points at.
    fn input_key(&self, path: &str) -> String {
        let Some(rest) = path.strip_prefix(FINANCIALS) else {
            return path.to_owned();
        };
        let Some((index, field)) = rest.split_once("].") else {
            return path.to_owned();
        };
        match index
            .parse::<usize>()
            .ok()
            .and_then(|i| self.offsets.get(i))
        {
            // Earlier years' numbers are derived from the latest year's.
            Some(_) if field == "year" => LAST_YEAR.to_owned(),
            Some(back) => format!("financials[-{}].{field}", back + 1),
            None => path.to_owned(),
        }
    }
}

/// `financials[-k].name` → (k − 1, name).
fn fiscal_year(path: &str) -> Option<(usize, &str)> {
    let rest = path.strip_prefix("financials[-")?;
    let (k, name) = rest.split_once("].")?;
    let k: usize = k.parse().ok()?;
    (1..=3).contains(&k).then_some((k - 1, name))
}

fn insert_path(root: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            root.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let child = root
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(map) = child {
                insert_path(map, rest, value);
            }
        }
    }
}

/// Drops thousands separators and spaces people type in amounts.
fn clean_number(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '\u{3000}'))
        .collect()
}

/// An amount typed in 万元 as exact 元, e.g. `37.5` → `375000`.
pub fn wan_to_yuan(text: &str) -> Option<Decimal> {
    Decimal::from_str_exact(&clean_number(text))
        .ok()?
        .checked_mul(WAN)
        .map(|d| d.normalize())
}

/// The JSON value of a typed answer; what cannot be converted is passed on as text, so that the
/// engine names the problem.
fn to_json(kind: Kind, text: &str) -> Value {
    let text = text.trim();
    match kind {
        Kind::Bool => match text {
            YES => Value::Bool(true),
            NO => Value::Bool(false),
            other => Value::String(other.to_owned()),
        },
        // Shown with the unit, so that the engine's message quotes it as typed.
        Kind::Money => wan_to_yuan(text)
            .map_or_else(|| format!("{text} 万元"), |yuan| yuan.to_string())
            .into(),
        Kind::Share => Decimal::from_str_exact(&clean_number(text))
            .ok()
            .and_then(|percent| percent.checked_div(HUNDRED))
            .map_or_else(|| format!("{text}%"), |share| share.normalize().to_string())
            .into(),
        Kind::Count | Kind::Year => count_value(text),
        Kind::Choice if text == NULL_CHOICE => Value::Null,
        Kind::Choice | Kind::Date | Kind::Region => Value::String(text.to_owned()),
    }
}

fn count_value(text: &str) -> Value {
    let text = clean_number(text.trim());
    text.parse::<i64>()
        .map_or_else(|_| Value::String(text), Value::from)
}

/// An evaluation of the draft: the result of every acceptable answer, and why the others were
/// set aside.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// The checked profile the result is for.
    pub profile: Option<Profile>,
    /// The result; `None` only when the profile as a whole cannot be read.
    pub evaluation: Option<Evaluation>,
    /// Engine messages by input key.
    pub errors: BTreeMap<String, String>,
    /// Messages no input can be blamed for.
    pub general: Vec<String>,
}

/// Evaluates the draft in `region` on `as_of`, setting aside each answer the engine refuses.
pub fn evaluate(draft: &Draft, region: Option<Region>, as_of: Date, lang: Lang) -> Outcome {
    let engine = Engine::builtin();
    let options = Options {
        as_of,
        lang,
        details: true,
    };
    let mut skip = BTreeSet::new();
    let mut outcome = Outcome::default();
    // Each round sets aside at least one answer, so the loop ends.
    loop {
        let built = draft.build(region, as_of, &skip);
        let result = Profile::from_value(&built.json)
            .and_then(|profile| Ok((engine.evaluate(&profile, &options)?, profile)));
        let errors = match result {
            Ok((evaluation, profile)) => {
                outcome.evaluation = Some(evaluation);
                outcome.profile = Some(profile);
                return outcome;
            }
            Err(errors) => errors,
        };
        let mut progressed = false;
        for error in errors.0 {
            let key = built.input_key(&error.path);
            if !skip.contains(&key) && !draft.get(&key).is_empty() {
                outcome.errors.entry(key.clone()).or_insert(error.message);
                skip.insert(key);
                progressed = true;
            } else {
                outcome.general.push(error.to_string());
            }
        }
        if !progressed {
            return outcome;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_of() -> Date {
        Date::constant(2026, 11, 22)
    }

    #[test]
    fn wan_converts_exactly() {
        assert_eq!(wan_to_yuan("37.5").unwrap().to_string(), "375000");
        assert_eq!(wan_to_yuan("0.0001").unwrap().to_string(), "1");
        assert_eq!(wan_to_yuan("1,200").unwrap().to_string(), "12000000");
        assert!(wan_to_yuan("abc").is_none());
    }

    #[test]
    fn builds_three_years_latest_last() {
        let mut draft = Draft::new(as_of());
        draft.set("financials[-1].rd_expense", "150");
        draft.set("financials[-3].sales_revenue", "2000");
        draft.set("ip.class1", "2");
        draft.set("industry_field", NULL_CHOICE);
        draft.set("western_encouraged_share", "65");
        let built = draft.build(None, as_of(), &BTreeSet::new());
        let json = built.json;
        assert_eq!(json["financials"][0]["year"], 2023);
        assert_eq!(json["financials"][0]["sales_revenue"], "20000000");
        assert_eq!(json["financials"][2]["year"], 2025);
        assert_eq!(json["financials"][2]["rd_expense"], "1500000");
        assert_eq!(json["ip"]["class1"], 2);
        assert_eq!(json["industry_field"], Value::Null);
        assert_eq!(json["western_encouraged_share"], "0.65");
        assert_eq!(
            built.offsets.len(),
            3,
            "the middle year is kept so that positions stay right"
        );
        assert_eq!(
            Built {
                json: Value::Null,
                offsets: vec![2, 1, 0]
            }
            .input_key("financials[0].sales_revenue"),
            "financials[-3].sales_revenue"
        );
    }

    #[test]
    fn refused_answers_are_set_aside_with_their_message() {
        let mut draft = Draft::new(as_of());
        draft.set("employees", "10");
        draft.set("tech_staff", "12");
        draft.set("ip.class2", "many");
        draft.set("financials[-1].rd_expense", "-3");
        let outcome = evaluate(&draft, Region::parse("620102").ok(), as_of(), Lang::Zh);
        assert!(outcome.evaluation.is_some());
        assert!(outcome.errors.contains_key("tech_staff"), "{outcome:?}");
        assert!(outcome.errors.contains_key("ip.class2"), "{outcome:?}");
        assert!(
            outcome.errors.contains_key("financials[-1].rd_expense"),
            "{outcome:?}"
        );
        assert!(outcome.general.is_empty());
    }

    #[test]
    fn typed_amount_that_is_not_a_number_is_quoted_with_its_unit() {
        let mut draft = Draft::new(as_of());
        draft.set("taxable_income", "1e5");
        let outcome = evaluate(&draft, None, as_of(), Lang::En);
        assert!(outcome.errors["taxable_income"].contains("1e5 万元"));
    }
}

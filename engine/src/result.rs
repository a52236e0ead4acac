//! The evaluation result, as in `shared/spec/contract.md`: per program a status, a trace of every
//! criterion with the values it saw and its clause, score ranges, gaps, missing inputs and benefits.
//!
//! Texts from rule packs are shared, not copied (`Cow::Borrowed` of the loaded pack), so building a
//! result allocates little; a result read back from JSON owns its texts.

use std::borrow::Cow;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::profile::Region;

/// Shared or owned text.
#[cfg_attr(feature = "ts", tsify::declare)]
pub type Str = Cow<'static, str>;

/// A text in both languages of the contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Text {
    /// Simplified Chinese.
    pub zh: Str,
    /// English.
    pub en: Str,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Output language for the texts that are chosen rather than paired (questions, summaries).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum Lang {
    /// 简体中文 (default).
    #[default]
    #[serde(alias = "zh-CN", alias = "zh-cn")]
    Zh,
    /// English.
    #[serde(alias = "en-US", alias = "en-GB")]
    En,
}

/// Where a rule comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Citation {
    /// Document number or title, e.g. `国科发火〔2016〕32号`.
    pub source: Str,
    /// Clause, e.g. `第十一条（五）`.
    pub clause: Str,
    /// The clause text quoted.
    pub text: Str,
}

/// A program's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum Status {
    /// Every criterion passes.
    Eligible,
    /// Some criterion fails.
    Ineligible,
    /// Nothing fails, but something is still unknown.
    Undetermined,
}

/// A criterion's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum Check {
    /// Met.
    Pass,
    /// Not met.
    Fail,
    /// Cannot be told yet: an input is missing, or experts judge part of it.
    Unknown,
}

/// A value seen while evaluating, as shown in a trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum Seen {
    /// Not given.
    Missing(()),
    /// A yes/no.
    Bool(bool),
    /// An exact amount, ratio or count (as a decimal string).
    Number(
        #[serde(with = "decimal_text")]
        #[cfg_attr(feature = "ts", tsify(type = "string"))]
        Decimal,
    ),
    /// A range of possible values (expert-judged scores).
    Range {
        /// Lowest possible.
        #[serde(with = "decimal_text")]
        #[cfg_attr(feature = "ts", tsify(type = "string"))]
        min: Decimal,
        /// Highest possible.
        #[serde(with = "decimal_text")]
        #[cfg_attr(feature = "ts", tsify(type = "string"))]
        max: Decimal,
    },
    /// A word (enumeration value) or a date.
    Text(Str),
}

/// A score that may be a range where experts judge parts of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Score {
    /// Lowest possible total.
    #[serde(with = "decimal_text")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub min: Decimal,
    /// Highest possible total.
    #[serde(with = "decimal_text")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub max: Decimal,
    /// The pass mark.
    #[serde(with = "decimal_text")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub pass: Decimal,
    /// The parts, each a range.
    pub parts: Vec<ScorePart>,
}

/// One part of a score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ScorePart {
    /// Stable id within the program.
    pub id: Str,
    /// What it measures.
    pub label: Text,
    /// Lowest possible points.
    #[serde(with = "decimal_text")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub min: Decimal,
    /// Highest possible points.
    #[serde(with = "decimal_text")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub max: Decimal,
    /// Most points the part can give.
    #[serde(with = "decimal_text")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub out_of: Decimal,
    /// Missing inputs that would narrow it; empty when only experts can.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<Str>,
}

/// The smallest change to one input that would pass a failed criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Gap {
    /// Input to change, e.g. `financials[-1].rd_expense` (`-1` = latest year), or `as_of` to wait.
    pub field: Str,
    /// Signed change: positive raises the input, negative lowers it; days for `as_of`.
    #[serde(with = "decimal_text")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub by: Decimal,
    /// What `by` counts: `yuan`, `count` or `days`.
    pub unit: Unit,
    /// The change in words.
    pub detail: Text,
}

/// Unit of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum Unit {
    /// 元.
    Yuan,
    /// People, items, years.
    Count,
    /// Calendar days.
    Days,
    /// A share in 0..1.
    Share,
}

/// One criterion in a program's trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(hashmap_as_object))]
pub struct CriterionResult {
    /// Stable id within the program.
    pub id: Str,
    /// Its verdict.
    pub status: Check,
    /// Rests on the enterprise's own declaration, not on figures.
    pub self_declared: bool,
    /// What the criterion asks.
    pub label: Text,
    /// What was found, in words.
    pub detail: Text,
    /// The inputs and derived values it saw.
    pub values: std::collections::BTreeMap<Str, Seen>,
    /// The clause it encodes.
    pub citation: Citation,
    /// For a failed numeric criterion: the smallest change that passes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<Gap>,
    /// Inputs it still needs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<Str>,
}

/// How firm a benefit's amount is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum Basis {
    /// The policy fixes the amount and the inputs determine it.
    Fixed,
    /// The policy sets bounds ("up to …").
    Range,
    /// The policy names the benefit but fixes no amount.
    NotFixed,
    /// The policy fixes it, but an input it needs is missing.
    NeedsInput,
}

/// Kind of benefit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum BenefitKind {
    /// Money paid out: award, grant, subsidy.
    Grant,
    /// Tax not paid.
    TaxSaving,
    /// Non-monetary or unquantified support: priority, guidance, pool entry.
    Support,
}

/// A benefit a program carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct BenefitResult {
    /// Stable id (catalogue).
    pub id: Str,
    /// Grant, tax saving or support.
    pub kind: BenefitKind,
    /// Lowest amount in 元; null where the policy fixes none.
    #[serde(with = "decimal_opt_text")]
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub min_yuan: Option<Decimal>,
    /// Highest amount in 元; null where the policy fixes none.
    #[serde(with = "decimal_opt_text")]
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub max_yuan: Option<Decimal>,
    /// How firm the amount is.
    pub basis: Basis,
    /// What it is.
    pub detail: Text,
    /// How the amount is worked out, where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<Text>,
    /// The clause it comes from.
    pub citation: Citation,
    /// Inputs the amount still needs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<Str>,
}

/// One program's evaluation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ProgramResult {
    /// Stable id (catalogue).
    pub id: Str,
    /// Its name.
    pub name: Text,
    /// The rule pack that encodes it.
    pub pack: Str,
    /// Jurisdiction (GB/T 2260; `100000` = national).
    pub region: Region,
    /// Position on the ladder of tiers (1 = bottom), for tier programs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<u8>,
    /// In force on the evaluation date.
    pub in_force: bool,
    /// First day in force, where the text says.
    #[serde(
        default,
        with = "crate::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub valid_from: Option<Date>,
    /// Last day in force, where the text says.
    #[serde(
        default,
        with = "crate::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub valid_to: Option<Date>,
    /// The verdict.
    pub status: Status,
    /// For scored programs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Score>,
    /// Every criterion with its verdict.
    pub criteria: Vec<CriterionResult>,
    /// Inputs that would settle it, most decisive first (empty unless undetermined).
    pub missing: Vec<Str>,
    /// What it brings.
    pub benefits: Vec<BenefitResult>,
    /// Programs this one builds on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Str>,
    /// A caveat the policy attaches (competitive selection, quotas, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// Next application or recommendation batch after the evaluation date.
    #[serde(
        default,
        with = "crate::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub next_batch: Option<Date>,
}

/// A question still worth asking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Question {
    /// The input it fills.
    pub field: Str,
    /// The question, in the requested language.
    pub text: Str,
    /// How many undetermined programs it bears on.
    pub programs: u32,
}

/// The result of evaluating one profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Evaluation {
    /// The evaluation date.
    #[serde(with = "crate::date")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub as_of: Date,
    /// The profile's region, if given.
    #[cfg_attr(feature = "ts", tsify(type = "Region | null"))]
    pub region: Option<Region>,
    /// Language of `questions`.
    pub lang: Lang,
    /// Pack versions and a content hash.
    pub rules_version: Str,
    /// Every program of the profile's region and above.
    pub programs: Vec<ProgramResult>,
    /// Inputs that would settle undetermined programs, most decisive first.
    pub missing: Vec<Str>,
    /// The same, as questions in `lang`.
    pub questions: Vec<Question>,
}

impl Evaluation {
    /// The program with this id, if it is in the result.
    pub fn program(&self, id: &str) -> Option<&ProgramResult> {
        self.programs.iter().find(|p| p.id == id)
    }
}

/// A profile's verdicts before anything is worded: what registry screening needs, computed without
/// building traces. An [`Evaluation`] is these plus traces, texts and citations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Verdicts {
    /// Every program of the profile's region and above, in catalogue order.
    pub programs: Vec<Verdict>,
    // Gaps and benefits of all programs in one list each (a program holds its range): two
    // allocations per profile instead of two per program.
    pub(crate) gaps: Vec<GapFound>,
    pub(crate) amounts: Vec<Amount>,
}

impl Verdicts {
    /// No verdicts (the lists keep their room).
    pub fn clear(&mut self) {
        self.programs.clear();
        self.gaps.clear();
        self.amounts.clear();
    }

    /// The gaps of a program's failed criteria.
    pub fn gaps(&self, verdict: &Verdict) -> &[GapFound] {
        self.gaps.get(verdict.gaps.clone()).unwrap_or_default()
    }

    /// The amounts of a program's benefits, in the program's order.
    pub fn amounts(&self, verdict: &Verdict) -> &[Amount] {
        self.amounts
            .get(verdict.amounts.clone())
            .unwrap_or_default()
    }
}

/// One program's verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Stable id (catalogue).
    pub id: &'static str,
    /// The verdict.
    pub status: Status,
    /// In force on the evaluation date.
    pub in_force: bool,
    /// Score range `(min, max)`, for scored programs.
    pub score: Option<(Decimal, Decimal)>,
    /// Inputs that would settle it (empty unless undetermined).
    pub missing: crate::fields::FieldSet,
    pub(crate) program: usize,
    pub(crate) gaps: std::ops::Range<usize>,
    pub(crate) amounts: std::ops::Range<usize>,
}

/// A failed criterion's gap, unworded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GapFound {
    /// The criterion's id within the program.
    pub criterion: &'static str,
    /// Input to change (contract path), or `as_of`.
    pub field: &'static str,
    /// Signed change, as in [`Gap::by`].
    pub by: Decimal,
    /// What `by` counts.
    pub unit: Unit,
    pub(crate) index: usize,
    pub(crate) lever: crate::pack::Lever,
}

/// A benefit's amount, unworded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Amount {
    /// Stable id (catalogue).
    pub id: &'static str,
    /// Lowest amount in 元, to the fen; `None` where the policy fixes none.
    pub min_yuan: Option<Decimal>,
    /// Highest amount in 元, to the fen; `None` where the policy fixes none.
    pub max_yuan: Option<Decimal>,
    /// How firm the amount is.
    pub basis: Basis,
    /// Inputs the amount still needs.
    pub missing: crate::fields::FieldSet,
}

/// Appends `d` as results write it: its shortest exact form (`165000`, `0.0479`, `-12.5`).
pub fn write_decimal(out: &mut String, d: Decimal) {
    digits(out, d, false);
}

/// Writes `d` in its shortest form, its integer part grouped in threes when `group`. Digit by
/// digit from the mantissa: details write hundreds of numbers, and `Display` would allocate each.
pub(crate) fn digits(out: &mut String, d: Decimal, group: bool) {
    let d = d.normalize();
    let scale = d.scale() as usize;
    // Least significant digit first; a 96-bit mantissa has at most 29.
    let mut reversed = [0u8; 32];
    let mut len = 0;
    let mut rest = d.mantissa().unsigned_abs();
    while (rest > 0 || len <= scale) && len < reversed.len() {
        let digit = match u64::try_from(rest) {
            Ok(small) => {
                rest = u128::from(small / 10);
                small % 10
            }
            Err(_) => {
                let digit = (rest % 10) as u64;
                rest /= 10;
                digit
            }
        };
        reversed[len] = b'0' + digit as u8;
        len += 1;
    }
    if d.is_sign_negative() && !d.is_zero() {
        out.push('-');
    }
    let int_len = len - scale;
    for (i, &digit) in reversed[..len].iter().rev().enumerate() {
        if i == int_len {
            out.push('.');
        } else if group && i > 0 && i < int_len && (int_len - i) % 3 == 0 {
            out.push(',');
        }
        out.push(char::from(digit));
    }
}

/// Decimals cross JSON as strings, so that no consumer reads them into a float.
pub(crate) mod decimal_text {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        let mut text = String::with_capacity(32);
        super::write_decimal(&mut text, *value);
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        Decimal::from_str_exact(&text).map_err(serde::de::Error::custom)
    }
}

pub(crate) mod decimal_opt_text {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => super::decimal_text::serialize(value, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        Option::<std::borrow::Cow<str>>::deserialize(d)?
            .map(|text| Decimal::from_str_exact(&text).map_err(serde::de::Error::custom))
            .transpose()
    }
}

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

impl Verdict {
    /// The program's place in the engine's catalogue: the same in every profile's verdicts, so
    /// what a caller derives from the program alone can be kept by it.
    pub fn place(&self) -> usize {
        self.program
    }
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

impl GapFound {
    /// The criterion's place in its program, as [`Verdict::place`] is the program's.
    pub fn place(&self) -> usize {
        self.index
    }
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

/// Appends `d` as results write it: its shortest exact form (`165000`, `0.0479`, `-12.5`). As
/// bytes: screening writes its lines as bytes, a few dozen numbers a row.
pub fn write_decimal(out: &mut Vec<u8>, d: Decimal) {
    write_short::<false>(out, d);
}

/// Appends `d` as [`write_decimal`] does, between double quotes: a JSON string, as results carry
/// decimals.
pub fn write_quoted_decimal(out: &mut Vec<u8>, d: Decimal) {
    write_short::<true>(out, d);
}

fn write_short<const QUOTED: bool>(out: &mut Vec<u8>, d: Decimal) {
    // A mantissa within u64 and at most 19 places, as nearly every amount and score is, is written
    // two digits a step in 64-bit arithmetic: a fifth of the instructions of `Digits`.
    let mantissa = u64::try_from(d.mantissa().unsigned_abs()).ok();
    let (Some(mut rest), scale @ 0..=19) = (mantissa, d.scale()) else {
        let quote: &[u8] = if QUOTED { b"\"" } else { b"" };
        out.extend_from_slice(quote);
        out.extend_from_slice(Digits::new(d, false).as_bytes());
        out.extend_from_slice(quote);
        return;
    };
    let mut places = scale;
    while places > 0 && rest % 10 == 0 {
        rest /= 10;
        places -= 1;
    }
    let negative = d.is_sign_negative() && rest != 0;
    // At least one digit before the point (`0.05`).
    let digits = digit_count(rest).max(places + 1);
    let quotes = 2 * usize::from(QUOTED);
    let len = quotes + usize::from(negative) + digits as usize + usize::from(places > 0);
    // At most 20 digits, a point, a sign and two quotes, written last first from `len`. The buffer
    // is appended whole, a copy of fixed size done inline, then cut to `len`: cheaper than a call
    // to memcpy.
    let mut text = [b'"'; 24];
    let mut end = len - quotes / 2;
    let mut put = |bytes: &[u8]| {
        end -= bytes.len();
        text[end..end + bytes.len()].copy_from_slice(bytes);
    };
    let mut fraction = places;
    while fraction >= 2 {
        put(&PAIRS[(rest % 100) as usize]);
        rest /= 100;
        fraction -= 2;
    }
    if fraction == 1 {
        put(&[b'0' + (rest % 10) as u8]);
        rest /= 10;
    }
    if places > 0 {
        put(b".");
    }
    while rest >= 100 {
        put(&PAIRS[(rest % 100) as usize]);
        rest /= 100;
    }
    if rest >= 10 {
        put(&PAIRS[rest as usize]);
    } else {
        put(&[b'0' + rest as u8]);
    }
    if negative {
        put(b"-");
    }
    let at = out.len();
    out.extend_from_slice(&text);
    out.truncate(at + len);
}

/// How many decimal digits `n` has (none for 0): its bit length times log10(2) ≈ 1233 / 4096,
/// corrected by one comparison. `ilog10` takes four times the instructions.
fn digit_count(n: u64) -> u32 {
    let guess = ((u64::BITS - n.leading_zeros()) * 1233) >> 12;
    guess + u32::from(n >= POWERS[guess as usize])
}

/// `10^0` to `10^19`.
const POWERS: [u64; 20] = {
    let mut powers = [1; 20];
    let mut k = 1;
    while k < 20 {
        powers[k] = powers[k - 1] * 10;
        k += 1;
    }
    powers
};

/// `00` to `99`, for writing two digits a step.
const PAIRS: [[u8; 2]; 100] = {
    let mut pairs = [[0; 2]; 100];
    let mut n = 0;
    while n < 100 {
        pairs[n] = [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
        n += 1;
    }
    pairs
};

/// Writes `d` in its shortest form, its integer part grouped in threes when `group`.
pub(crate) fn digits(out: &mut String, d: Decimal, group: bool) {
    out.push_str(Digits::new(d, group).as_str());
}

/// A decimal's shortest form, written digit by digit from the mantissa, last digit first, into
/// the end of a buffer: details write hundreds of numbers, and `Display` would allocate each.
struct Digits {
    /// At most 29 digits, 9 group commas, a point and a sign.
    text: [u8; 40],
    start: usize,
}

impl Digits {
    fn new(d: Decimal, group: bool) -> Digits {
        let mut rest = d.mantissa().unsigned_abs();
        let mut scale = d.scale();
        // The shortest form has no trailing zeros after the point.
        while scale > 0 {
            let mut shorter = rest;
            if next_digit(&mut shorter) != 0 {
                break;
            }
            rest = shorter;
            scale -= 1;
        }
        let negative = d.is_sign_negative() && rest != 0;
        let mut digits = Digits {
            text: [0; 40],
            start: 40,
        };
        let mut put = |byte: u8| {
            digits.start -= 1;
            digits.text[digits.start] = byte;
        };
        for _ in 0..scale {
            put(b'0' + next_digit(&mut rest));
        }
        if scale > 0 {
            put(b'.');
        }
        // At least one integer digit, `0` before the point of a fraction.
        let mut written = 0;
        loop {
            if group && written > 0 && written % 3 == 0 {
                put(b',');
            }
            put(b'0' + next_digit(&mut rest));
            written += 1;
            if rest == 0 {
                break;
            }
        }
        if negative {
            put(b'-');
        }
        digits
    }

    fn as_bytes(&self) -> &[u8] {
        &self.text[self.start..]
    }

    fn as_str(&self) -> &str {
        // ASCII, so never the default; `expect` would add its panic path, 4 KB, to the wasm.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

/// Takes the last decimal digit off `rest`, in 64-bit arithmetic when it fits (nearly always):
/// 128-bit division is a library call.
fn next_digit(rest: &mut u128) -> u8 {
    match u64::try_from(*rest) {
        Ok(small) => {
            *rest = u128::from(small / 10);
            (small % 10) as u8
        }
        Err(_) => {
            let digit = (*rest % 10) as u8;
            *rest /= 10;
            digit
        }
    }
}

/// Decimals cross JSON as strings, so that no consumer reads them into a float.
pub(crate) mod decimal_text {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(super::Digits::new(*value, false).as_str())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_the_normal_form_that_display_writes() {
        for (mantissa, scale) in [
            (0, 0),
            (0, 3),
            (7, 0),
            (-125, 1),
            (1_650_000, 2),
            (479, 4),
            (1, 28),
            (-1, 28),
            (i128::from(u64::MAX) + 1, 0),
            (79_228_162_514_264_337_593_543_950_335, 0),
            (-79_228_162_514_264_337_593_543_950_335, 28),
            (100_000_000_000_000_000_000_000_000, 5),
            (9, 0),
            (10, 0),
            (99_999, 1),
            (100_000, 1),
            (9_999_999_999_999_999_999, 2),
            (10_000_000_000_000_000_000, 19),
            (i128::from(u64::MAX), 19),
        ] {
            let d = Decimal::from_i128_with_scale(mantissa, scale);
            let mut text = Vec::new();
            write_decimal(&mut text, d);
            assert_eq!(
                text,
                d.normalize().to_string().as_bytes(),
                "{mantissa}e-{scale}"
            );
        }
        let mut text = Vec::new();
        write_decimal(&mut text, Decimal::from_parts(0, 0, 0, true, 2));
        assert_eq!(text, b"0", "negative zero");
        let grouped = |mantissa, scale| {
            let mut text = String::new();
            digits(&mut text, Decimal::new(mantissa, scale), true);
            text
        };
        assert_eq!(grouped(0, 0), "0");
        assert_eq!(grouped(999, 0), "999");
        assert_eq!(grouped(1000, 0), "1,000");
        assert_eq!(grouped(-123_456_789, 2), "-1,234,567.89");
        assert_eq!(grouped(100_000_000, 3), "100,000");
    }

    #[test]
    fn digits_are_counted() {
        assert_eq!(digit_count(0), 0);
        for (k, power) in (0..).zip(POWERS).skip(1) {
            assert_eq!(digit_count(power - 1), k);
            assert_eq!(digit_count(power), k + 1);
        }
        assert_eq!(digit_count(u64::MAX), 20);
    }

    proptest::proptest! {
        /// The fast path of `write_decimal` writes what `Digits` writes; `write_quoted_decimal` the same between quotes.
        #[test]
        fn written_decimals_are_digits(
            mantissa in proptest::num::i128::ANY, scale in 0u32..=28, small in 0u8..4,
        ) {
            // Mostly mantissas within u64 and of few digits, as amounts and scores are.
            let mantissa = match small {
                0 => mantissa % 79_228_162_514_264_337_593_543_950_336,
                1 => mantissa % i128::from(u64::MAX),
                2 => mantissa % 1_000_000_000,
                _ => (mantissa % 1_000) * 1_000,
            };
            let d = Decimal::from_i128_with_scale(mantissa, scale);
            let mut text = Vec::new();
            write_decimal(&mut text, d);
            let digits = Digits::new(d, false);
            proptest::prop_assert_eq!(&text, digits.as_bytes());
            let mut quoted = Vec::new();
            write_quoted_decimal(&mut quoted, d);
            proptest::prop_assert_eq!(quoted, [b"\"", &text[..], b"\""].concat());
        }
    }
}

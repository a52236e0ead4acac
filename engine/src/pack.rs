//! Rule packs: TOML files (format in `docs/rule-packs.md`) parsed, checked and compiled into
//! programs whose rules are typed trees with every name resolved, so evaluation does no lookups.
//!
//! Texts of a compiled pack live as long as the process (they are leaked once per compilation):
//! results then share them instead of copying, which keeps evaluation allocation-light.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{InputError, PackError, from_json_located};
use crate::expr::{self, Ast, BinOp, Value};
use crate::fields::{self, FIELDS, FieldId, Kind};
use crate::object;
use crate::profile::Region;
use crate::result::{BenefitKind, Citation, Text};
use crate::{date, insert_ordered};

/// Largest pack file accepted.
pub const MAX_PACK_BYTES: usize = 1 << 20;
/// Most packs in one set.
pub const MAX_PACKS: usize = 64;
/// Most programs, criteria, parts, benefits, defines, table rows or params in one pack.
pub const MAX_ITEMS: usize = 2000;
/// Most points one score part may be worth.
pub const MAX_PART_POINTS: u32 = 1000;

// ---- the file, as written ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    #[serde(deserialize_with = "object::one")]
    pack: Header,
    #[serde(default)]
    define: BTreeMap<String, String>,
    #[serde(default)]
    table: BTreeMap<String, TableFile>,
    #[serde(default, deserialize_with = "object::list")]
    param: Vec<ParamFile>,
    #[serde(default, deserialize_with = "object::list")]
    program: Vec<ProgramFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    id: String,
    version: String,
    #[serde(deserialize_with = "object::one")]
    title: TextFile,
    source: String,
    region: String,
    #[serde(default)]
    valid_from: Option<String>,
    #[serde(default)]
    valid_to: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct TextFile {
    zh: String,
    en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    rows: Vec<(String, NumberText)>,
    #[serde(rename = "else")]
    otherwise: NumberText,
}

/// A number written as a TOML string (`"60%"`, `"7..8"`) or integer; never a float.
enum NumberText {
    Int(i64),
    Text(String),
}

// By hand, not `#[serde(untagged)]`: that buffers the value in serde's `Content` first, which
// costs the npm wasm about 5 KB and says only "did not match any variant".
impl<'de> Deserialize<'de> for NumberText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Number;
        impl Visitor<'_> for Number {
            type Value = NumberText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer or a string like \"60%\", \"2000万\" or \"7..8\"")
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<NumberText, E> {
                Ok(NumberText::Int(n))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<NumberText, E> {
                i64::try_from(n)
                    .map(NumberText::Int)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(n), &self))
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<NumberText, E> {
                Ok(NumberText::Text(text.to_owned()))
            }
        }
        deserializer.deserialize_any(Number)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamFile {
    name: String,
    #[serde(deserialize_with = "object::list")]
    values: Vec<ParamValueFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamValueFile {
    from: String,
    #[serde(default)]
    to: Option<String>,
    value: NumberText,
    /// The legal source of this value: read by people next to the number, not by the engine.
    #[serde(default)]
    #[allow(dead_code)]
    reference: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgramFile {
    id: String,
    #[serde(deserialize_with = "object::one")]
    name: TextFile,
    #[serde(default)]
    tier: Option<u8>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    valid_from: Option<String>,
    #[serde(default)]
    valid_to: Option<String>,
    #[serde(default, deserialize_with = "object::optional")]
    note: Option<TextFile>,
    /// Default citation source for this program's criteria and benefits.
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    batches: Vec<String>,
    #[serde(default, deserialize_with = "object::optional")]
    score: Option<ScoreFile>,
    #[serde(default, deserialize_with = "object::list")]
    criterion: Vec<CriterionFile>,
    #[serde(default, deserialize_with = "object::list")]
    benefit: Vec<BenefitFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoreFile {
    pass: NumberText,
    #[serde(deserialize_with = "object::list")]
    part: Vec<PartFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartFile {
    id: String,
    #[serde(deserialize_with = "object::one")]
    label: TextFile,
    out_of: NumberText,
    value: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CriterionFile {
    id: String,
    #[serde(deserialize_with = "object::one")]
    label: TextFile,
    clause: String,
    quote: String,
    #[serde(default)]
    source: Option<String>,
    rule: String,
    #[serde(default)]
    gap: Option<String>,
    #[serde(default)]
    self_declared: bool,
    #[serde(default, deserialize_with = "object::optional")]
    detail: Option<TextFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BenefitFile {
    id: String,
    kind: BenefitKind,
    #[serde(deserialize_with = "object::one")]
    label: TextFile,
    clause: String,
    quote: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    amount: Option<String>,
    #[serde(default, deserialize_with = "object::optional")]
    formula: Option<TextFile>,
}

// ---- the compiled form ----

/// A compiled rule.
///
/// `repr(u8)`: a tag byte of its own, where the compiler would otherwise fold the tag into
/// `Const`'s value, and the evaluator's every dispatch would first decode it (1.6k of the 67k
/// instructions of a screened row).
#[derive(Debug)]
#[repr(u8)]
pub enum Node {
    Const(Value),
    Field(FieldId),
    /// Rows of the latest, previous and one-before years of one money field.
    Sum3([FieldId; 3]),
    Years,
    Years3,
    AsOf,
    Score,
    Define(usize),
    Neg(Box<Node>),
    Not(Box<Node>),
    Bin(BinOp, Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    If(Box<[Node; 3]>),
    Min(Vec<Node>),
    Max(Vec<Node>),
    Range(Box<[Node; 2]>),
    Band(usize, Box<Node>),
    Param(usize, Box<Node>),
    YearEnd(Box<Node>),
    DaysSince(Box<Node>),
    Eligible(usize),
    Passes(usize, usize),
    InRegion(Vec<Region>),
    Growth(Box<[Node; 3]>),
    Default(Box<[Node; 2]>),
}

/// A band table: the first row whose threshold `x` meets gives the value.
#[derive(Debug)]
pub struct Table {
    pub rows: Vec<(bool, Decimal, Value)>,
    pub otherwise: Value,
    /// Each row's threshold as a mantissa at scale 28 ([`expr::at_scale_28`]), where it fits.
    pub thresholds_at_28: Vec<Option<i128>>,
}

/// A parameter whose value changes by date.
#[derive(Debug)]
pub struct Param {
    pub windows: Vec<(Date, Option<Date>, Decimal)>,
}

/// The input a gap changes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LeverTarget {
    Field(FieldId),
    AsOf,
}

/// A gap lever: which input, and which way passes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lever {
    pub target: LeverTarget,
    pub raise: bool,
}

/// Formatting of a value in a detail template.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fmt {
    Plain,
    Percent,
    Wan,
}

#[derive(Debug)]
pub enum Segment {
    Lit(&'static str),
    Value(Node, Fmt, Option<Kind>),
}

/// A criterion, compiled.
#[derive(Debug)]
pub struct Criterion {
    pub id: &'static str,
    pub label: Text,
    pub citation: Citation,
    pub rule_text: &'static str,
    pub rule: Node,
    pub self_declared: bool,
    pub gap: Option<Lever>,
    pub detail: Option<[Vec<Segment>; 2]>,
    /// Names the rule reads directly, shown in the trace.
    pub shown: Vec<(&'static str, Node, Option<Kind>)>,
    pub uses_score: bool,
}

/// A benefit, compiled.
#[derive(Debug)]
pub struct Benefit {
    pub id: &'static str,
    pub kind: BenefitKind,
    pub label: Text,
    pub citation: Citation,
    pub amount: Option<Node>,
    pub amount_text: Option<&'static str>,
    pub formula: Option<Text>,
}

/// One part of a score.
#[derive(Debug)]
pub struct Part {
    pub id: &'static str,
    pub label: Text,
    pub out_of: Decimal,
    pub value: Node,
}

/// A score definition.
#[derive(Debug)]
pub struct ScoreDef {
    pub pass: Decimal,
    pub parts: Vec<Part>,
}

/// A program, compiled.
#[derive(Debug)]
pub struct Program {
    pub id: &'static str,
    pub name: Text,
    pub pack: usize,
    pub region: Region,
    pub tier: Option<u8>,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    pub note: Option<Text>,
    pub batches: Vec<(i8, i8)>,
    pub score: Option<ScoreDef>,
    pub criteria: Vec<Criterion>,
    pub benefits: Vec<Benefit>,
    pub requires: Vec<usize>,
    pub inputs: fields::FieldSet,
    /// Where the program's criterion checks and score parts start in an evaluation's buffers,
    /// which hold every program's, in program order: fixed by the set, not worked out per run.
    pub checks_at: usize,
    pub parts_at: usize,
    /// Where its benefits' amounts start among all programs' (generated code's index).
    pub amounts_at: usize,
    /// `region.codes()`, first and last, worked out once: every program of every screened row
    /// asks. Not kept as the `RangeInclusive` (its exhaustion flag cost a row 150 instructions).
    pub(crate) region_codes: (u32, u32),
}

impl Program {
    /// Whether an enterprise registered in `region` lies within the program's region.
    pub fn covers(&self, region: Region) -> bool {
        let (first, last) = self.region_codes;
        (first..=last).contains(&region.code())
    }

    /// Whether the program is in force on `date`.
    pub fn in_force(&self, date: Date) -> bool {
        self.valid_from.is_none_or(|from| from <= date) && self.valid_to.is_none_or(|to| date <= to)
    }
}

/// A pack's header, compiled.
#[derive(Debug)]
pub struct PackMeta {
    pub id: &'static str,
    pub version: &'static str,
    pub title: Text,
}

/// A named value, compiled.
#[derive(Debug)]
pub struct Define {
    pub name: &'static str,
    pub body: Node,
    /// The inputs its value depends on, through other defines too (never the score: a define
    /// cannot read it): what a gap's change of one input can move.
    pub inputs: fields::FieldSet,
}

/// The compiled set of packs.
#[derive(Debug, Default)]
pub struct PackSet {
    pub version: &'static str,
    pub packs: Vec<PackMeta>,
    pub programs: Vec<Program>,
    pub defines: Vec<Define>,
    pub tables: Vec<Table>,
    pub params: Vec<Param>,
    /// How many criteria and score parts all programs have: the sizes of an evaluation's buffers.
    pub checks: usize,
    pub parts: usize,
    /// Whether these are the built-in packs, whose rules the engine also has as generated code.
    pub compiled: bool,
}

/// A program's description, for catalogues and `explain`.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ProgramInfo {
    /// Catalogue id.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Pack id.
    pub pack: String,
    /// Pack version.
    pub pack_version: String,
    /// Source document title.
    pub source: Text,
    /// Jurisdiction.
    pub region: Region,
    /// Ladder position.
    pub tier: Option<u8>,
    /// In force on the date asked (true when no date).
    pub in_force: bool,
    /// First day in force.
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub valid_from: Option<Date>,
    /// Last day in force.
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub valid_to: Option<Date>,
    /// Caveat.
    pub note: Option<Text>,
    /// Programs it builds on.
    pub requires: Vec<String>,
    /// Criteria.
    pub criteria: Vec<CriterionInfo>,
    /// Benefits, with the amount rule (empty rule: the policy fixes no amount).
    pub benefits: Vec<CriterionInfo>,
    /// Inputs the program reads (contract paths).
    pub inputs: Vec<String>,
}

/// A criterion's (or benefit's) description.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CriterionInfo {
    /// Stable id.
    pub id: String,
    /// What it asks.
    pub label: Text,
    /// The rule as written in the pack.
    pub rule: String,
    /// Rests on a declaration.
    pub self_declared: bool,
    /// Where it comes from.
    pub citation: Citation,
}

// ---- compilation ----

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn text(t: TextFile) -> Text {
    Text {
        zh: leak(t.zh).into(),
        en: leak(t.en).into(),
    }
}

/// A number (`"60%"`, `"2000万"`) or range (`"7..8"`) written in a pack.
fn number_value(n: &NumberText) -> Result<Value, String> {
    match n {
        NumberText::Int(i) => Ok(Value::Num(Decimal::from(*i))),
        NumberText::Text(t) => {
            if let Some((lo, hi)) = t.split_once("..") {
                let (lo, hi) = (number(lo)?, number(hi)?);
                if lo > hi {
                    return Err(format!("range {t:?} runs backwards"));
                }
                Ok(Value::from_bounds(lo, hi))
            } else {
                number(t).map(Value::Num)
            }
        }
    }
}

fn number(t: &str) -> Result<Decimal, String> {
    match expr::parse(t.trim()) {
        Ok(Ast::Num(n)) => Ok(n),
        Ok(Ast::Neg(inner)) if matches!(*inner, Ast::Num(_)) => match *inner {
            Ast::Num(n) => Ok(-n),
            _ => Err(format!("{t:?} is not a number")),
        },
        _ => Err(format!(
            "{t:?} is not a number like \"60%\", \"2000万\" or \"0.05\""
        )),
    }
}

fn single(n: &NumberText) -> Result<Decimal, String> {
    match number_value(n)? {
        Value::Num(d) => Ok(d),
        _ => Err("expected a single number, not a range".into()),
    }
}

/// What a score part is worth: bounded, so that no sum of parts can overflow.
fn points(out_of: Decimal) -> Result<Decimal, String> {
    if out_of.is_sign_negative() || out_of > Decimal::from(MAX_PART_POINTS) {
        return Err(format!(
            "a part is worth 0 to {MAX_PART_POINTS} points, not {out_of}"
        ));
    }
    Ok(out_of)
}

/// Where in the file a piece of text stands, for messages.
fn locate(source: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    source
        .find(needle)
        .map(|at| source[..at].lines().count().max(1))
}

/// Value types, checked when a pack is compiled so that a rule never meets a type it cannot use.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Ty {
    Num,
    Bool,
    Word(&'static [&'static str]),
    Date,
    Nothing,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Num => "a number",
            Ty::Bool => "yes/no",
            Ty::Word(_) => "a word",
            Ty::Date => "a date",
            Ty::Nothing => "none",
        }
    }
}

fn field_ty(kind: Kind, choices: &'static [&'static str]) -> Ty {
    match kind {
        Kind::Bool => Ty::Bool,
        Kind::Money | Kind::Count | Kind::Share | Kind::Year | Kind::Region => Ty::Num,
        Kind::Date => Ty::Date,
        Kind::Choice => Ty::Word(choices),
    }
}

/// Names and types visible while compiling one pack.
struct Scope<'a> {
    pack: usize,
    define_ids: &'a BTreeMap<(usize, String), usize>,
    define_types: &'a mut Vec<Option<Ty>>,
    define_asts: &'a [(usize, Ast)],
    in_progress: &'a mut Vec<usize>,
    define_nodes: &'a mut Vec<Option<Node>>,
    tables: &'a BTreeMap<(usize, String), usize>,
    params: &'a BTreeMap<(usize, String), usize>,
    program_ids: &'a BTreeMap<String, usize>,
    criterion_ids: &'a BTreeMap<(usize, String), usize>,
    allow_score: bool,
    /// Programs this rule refers to, directly or through defines.
    refs: Vec<usize>,
}

impl Scope<'_> {
    fn compile(&mut self, ast: &Ast) -> Result<(Node, Ty), String> {
        Ok(match ast {
            Ast::Num(n) => (Node::Const(Value::Num(*n)), Ty::Num),
            Ast::Bool(b) => (Node::Const(Value::Bool(*b)), Ty::Bool),
            Ast::Nothing => (Node::Const(Value::Nothing), Ty::Nothing),
            Ast::Str(s) => (Node::Const(Value::Word(leak(s.clone()))), Ty::Word(&[])),
            Ast::Name(name) => self.name(name)?,
            Ast::Neg(inner) => {
                let inner = self.typed(inner, Ty::Num, "`-`")?;
                (Node::Neg(Box::new(inner)), Ty::Num)
            }
            Ast::Not(inner) => {
                let inner = self.typed(inner, Ty::Bool, "`not`")?;
                (Node::Not(Box::new(inner)), Ty::Bool)
            }
            Ast::And(a, b) | Ast::Or(a, b) => {
                let word = if matches!(ast, Ast::And(..)) {
                    "`and`"
                } else {
                    "`or`"
                };
                let a = Box::new(self.typed(a, Ty::Bool, word)?);
                let b = Box::new(self.typed(b, Ty::Bool, word)?);
                let node = if matches!(ast, Ast::And(..)) {
                    Node::And(a, b)
                } else {
                    Node::Or(a, b)
                };
                (node, Ty::Bool)
            }
            Ast::If(c, a, b) => {
                let c = self.typed(c, Ty::Bool, "`if`")?;
                let (a, ta) = self.compile(a)?;
                let (b, tb) = self.compile(b)?;
                if !compatible(ta, tb) {
                    return Err(format!(
                        "the branches of `if` give {} and {}; they must agree",
                        ta.name(),
                        tb.name()
                    ));
                }
                (Node::If(Box::new([c, a, b])), ta)
            }
            Ast::Bin(op, a, b) => self.binary(*op, a, b)?,
            Ast::Call(name, args) => self.call(name, args)?,
        })
    }

    fn typed(&mut self, ast: &Ast, want: Ty, context: &str) -> Result<Node, String> {
        let (node, ty) = self.compile(ast)?;
        if compatible(ty, want) {
            Ok(node)
        } else {
            Err(format!(
                "{context} needs {}, but got {}",
                want.name(),
                ty.name()
            ))
        }
    }

    fn binary(&mut self, op: BinOp, a: &Ast, b: &Ast) -> Result<(Node, Ty), String> {
        let (na, ta) = self.compile(a)?;
        let (nb, tb) = self.compile(b)?;
        let ty = match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                if ta != Ty::Num || tb != Ty::Num {
                    return Err(format!(
                        "arithmetic needs numbers, but got {} and {}",
                        ta.name(),
                        tb.name()
                    ));
                }
                Ty::Num
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                if !(ta == tb && matches!(ta, Ty::Num | Ty::Date)) {
                    return Err(format!(
                        "an ordering compares two numbers or two dates, not {} and {}",
                        ta.name(),
                        tb.name()
                    ));
                }
                Ty::Bool
            }
            BinOp::Eq | BinOp::Ne => {
                check_word(ta, &nb)?;
                check_word(tb, &na)?;
                let words = matches!(
                    (ta, tb),
                    (Ty::Word(_) | Ty::Nothing, Ty::Word(_) | Ty::Nothing)
                );
                if !(compatible(ta, tb) || words) {
                    return Err(format!("cannot compare {} with {}", ta.name(), tb.name()));
                }
                Ty::Bool
            }
        };
        Ok((Node::Bin(op, Box::new(na), Box::new(nb)), ty))
    }

    fn name(&mut self, name: &str) -> Result<(Node, Ty), String> {
        if let Some(id) = fields::by_name(name) {
            let f = &FIELDS[id as usize];
            return Ok((Node::Field(id), field_ty(f.kind, f.choices)));
        }
        if let Some(fin) = name.strip_prefix("sum3.") {
            if !fields::FISCAL_MONEY_FIELDS.contains(&fin) {
                return Err(format!(
                    "sum3.{fin}: `{fin}` is not a money field of financials[]"
                ));
            }
            let row = |prefix: &str| fields::by_name(&format!("{prefix}.{fin}"));
            let (Some(a), Some(b), Some(c)) = (row("last"), row("prev"), row("prev2")) else {
                return Err(format!("sum3.{fin} has no per-year fields"));
            };
            return Ok((Node::Sum3([a, b, c]), Ty::Num));
        }
        match name {
            "years" => return Ok((Node::Years, Ty::Num)),
            "years3" => return Ok((Node::Years3, Ty::Num)),
            "as_of" => return Ok((Node::AsOf, Ty::Date)),
            "score" if self.allow_score => return Ok((Node::Score, Ty::Num)),
            "score" => {
                return Err("`score` is only known inside a scored program's criteria".into());
            }
            _ => {}
        }
        if let Some(&id) = self.define_ids.get(&(self.pack, name.to_owned())) {
            let ty = self.define_ty(id)?;
            return Ok((Node::Define(id), ty));
        }
        Err(format!(
            "unknown name `{name}`: not an input (see engine/src/fields.rs), a [define] of this pack, \
             sum3.X, years, years3, as_of or score"
        ))
    }

    /// Compiles a define on first use, so its type is known where it is used.
    fn define_ty(&mut self, id: usize) -> Result<Ty, String> {
        if let Some(ty) = self.define_types[id] {
            self.refs
                .extend(define_refs(self.define_nodes[id].as_ref()));
            return Ok(ty);
        }
        if self.in_progress.contains(&id) {
            return Err("defines refer to each other in a cycle".into());
        }
        self.in_progress.push(id);
        let (pack, ast) = &self.define_asts[id];
        let saved = (self.pack, self.allow_score);
        self.pack = *pack;
        self.allow_score = false;
        let compiled = self.compile(ast);
        (self.pack, self.allow_score) = saved;
        self.in_progress.pop();
        let (node, ty) = compiled?;
        self.define_types[id] = Some(ty);
        self.define_nodes[id] = Some(node);
        Ok(ty)
    }

    fn call(&mut self, name: &str, args: &[Ast]) -> Result<(Node, Ty), String> {
        let arity = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                Err(format!(
                    "{name}() takes {n} argument(s), got {}",
                    args.len()
                ))
            }
        };
        let word_arg = |ast: &Ast| match ast {
            Ast::Str(s) => Ok(s.clone()),
            _ => Err(format!("{name}() takes quoted ids, like \"cn.hnte\"")),
        };
        Ok(match name {
            "min" | "max" => {
                if args.is_empty() {
                    return Err(format!("{name}() needs at least one argument"));
                }
                let nodes = args
                    .iter()
                    .map(|a| self.typed(a, Ty::Num, &format!("{name}()")))
                    .collect::<Result<Vec<_>, _>>()?;
                (
                    if name == "min" {
                        Node::Min(nodes)
                    } else {
                        Node::Max(nodes)
                    },
                    Ty::Num,
                )
            }
            "range" => {
                arity(2)?;
                let lo = self.typed(&args[0], Ty::Num, "range()")?;
                let hi = self.typed(&args[1], Ty::Num, "range()")?;
                let node = match (&lo, &hi) {
                    // A judged item's fixed band (`range(0, 8)`): worked out once, not per profile.
                    (Node::Const(Value::Num(a)), Node::Const(Value::Num(b))) => {
                        Node::Const(crate::eval::range(*a, *b))
                    }
                    _ => Node::Range(Box::new([lo, hi])),
                };
                (node, Ty::Num)
            }
            "band" => {
                arity(2)?;
                let x = self.typed(&args[0], Ty::Num, "band()")?;
                let table = match &args[1] {
                    Ast::Name(t) => t.clone(),
                    _ => return Err("band(x, TABLE) takes a table name".into()),
                };
                let &id = self
                    .tables
                    .get(&(self.pack, table.clone()))
                    .ok_or_else(|| format!("no [table.{table}] in this pack"))?;
                (Node::Band(id, Box::new(x)), Ty::Num)
            }
            "param" => {
                arity(2)?;
                let param = match &args[0] {
                    Ast::Name(p) => p.clone(),
                    _ => return Err("param(NAME, date) takes a parameter name".into()),
                };
                let &id = self
                    .params
                    .get(&(self.pack, param.clone()))
                    .ok_or_else(|| format!("no [[param]] named {param} in this pack"))?;
                let date = self.typed(&args[1], Ty::Date, "param()")?;
                (Node::Param(id, Box::new(date)), Ty::Num)
            }
            "year_end" => {
                arity(1)?;
                (
                    Node::YearEnd(Box::new(self.typed(&args[0], Ty::Num, "year_end()")?)),
                    Ty::Date,
                )
            }
            "days_since" => {
                arity(1)?;
                (
                    Node::DaysSince(Box::new(self.typed(&args[0], Ty::Date, "days_since()")?)),
                    Ty::Num,
                )
            }
            "eligible" => {
                arity(1)?;
                let id = word_arg(&args[0])?;
                let &p = self
                    .program_ids
                    .get(&id)
                    .ok_or_else(|| format!("no program {id:?}"))?;
                self.refs.push(p);
                (Node::Eligible(p), Ty::Bool)
            }
            "passes" => {
                arity(2)?;
                let id = word_arg(&args[0])?;
                let criterion = word_arg(&args[1])?;
                let &p = self
                    .program_ids
                    .get(&id)
                    .ok_or_else(|| format!("no program {id:?}"))?;
                let &c = self
                    .criterion_ids
                    .get(&(p, criterion.clone()))
                    .ok_or_else(|| format!("program {id:?} has no criterion {criterion:?}"))?;
                self.refs.push(p);
                (Node::Passes(p, c), Ty::Bool)
            }
            "in_region" => {
                if args.is_empty() {
                    return Err("in_region() needs at least one region code".into());
                }
                let codes = args
                    .iter()
                    .map(|a| word_arg(a).and_then(|code| Region::parse(&code)))
                    .collect::<Result<Vec<_>, _>>()?;
                (Node::InRegion(codes), Ty::Bool)
            }
            "growth" => {
                arity(3)?;
                let [a, b, c] = [&args[0], &args[1], &args[2]];
                let nodes = [
                    self.typed(a, Ty::Num, "growth()")?,
                    self.typed(b, Ty::Num, "growth()")?,
                    self.typed(c, Ty::Num, "growth()")?,
                ];
                (Node::Growth(Box::new(nodes)), Ty::Num)
            }
            "default" => {
                arity(2)?;
                let (x, tx) = self.compile(&args[0])?;
                let (v, tv) = self.compile(&args[1])?;
                if !compatible(tx, tv) {
                    return Err(format!(
                        "default() gets {} and {}; they must agree",
                        tx.name(),
                        tv.name()
                    ));
                }
                (Node::Default(Box::new([x, v])), tx)
            }
            _ => {
                return Err(format!(
                    "unknown function {name}(); see docs/rule-packs.md for the functions rules can use"
                ));
            }
        })
    }
}

fn compatible(a: Ty, b: Ty) -> bool {
    a == b || matches!((a, b), (Ty::Word(_), Ty::Word(_)))
}

/// A word compared with a choice field must be one of its choices: catches typos like "vaild".
fn check_word(ty: Ty, other: &Node) -> Result<(), String> {
    if let (Ty::Word(choices), Node::Const(Value::Word(word))) = (ty, other)
        && !choices.is_empty()
        && !choices.contains(word)
    {
        return Err(format!("{word:?} is not one of {}", choices.join(", ")));
    }
    Ok(())
}

fn define_refs(node: Option<&Node>) -> Vec<usize> {
    let mut out = Vec::new();
    if let Some(node) = node {
        walk(node, &mut |n| match n {
            Node::Eligible(p) | Node::Passes(p, _) => out.push(*p),
            _ => {}
        });
    }
    out
}

/// Whether `id` is a stable public name: lowercase ASCII letters, digits, `.`, `-` and `_`. Such
/// ids also never need escaping in JSON, which screening relies on to write them as they are.
pub fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
        })
}

/// Visits every node of a tree.
pub fn walk(node: &Node, visit: &mut impl FnMut(&Node)) {
    visit(node);
    match node {
        Node::Neg(a)
        | Node::Not(a)
        | Node::Band(_, a)
        | Node::Param(_, a)
        | Node::YearEnd(a)
        | Node::DaysSince(a) => walk(a, visit),
        Node::Bin(_, a, b) | Node::And(a, b) | Node::Or(a, b) => {
            walk(a, visit);
            walk(b, visit);
        }
        Node::If(n) | Node::Growth(n) => n.iter().for_each(|n| walk(n, visit)),
        Node::Range(n) | Node::Default(n) => n.iter().for_each(|n| walk(n, visit)),
        Node::Min(n) | Node::Max(n) => n.iter().for_each(|n| walk(n, visit)),
        _ => {}
    }
}

/// The names a rule reads directly, in order of first appearance, for the trace.
fn shown_names(ast: &Ast, out: &mut Vec<String>) {
    match ast {
        Ast::Name(n) if !out.contains(n) => out.push(n.clone()),
        Ast::Neg(a) | Ast::Not(a) => shown_names(a, out),
        Ast::Bin(_, a, b) | Ast::And(a, b) | Ast::Or(a, b) => {
            shown_names(a, out);
            shown_names(b, out);
        }
        Ast::If(a, b, c) => {
            shown_names(a, out);
            shown_names(b, out);
            shown_names(c, out);
        }
        Ast::Call(f, args) => {
            // band/param take a table or parameter name, not a value
            let skip = match f.as_str() {
                "band" => Some(1),
                "param" => Some(0),
                _ => None,
            };
            for (i, a) in args.iter().enumerate() {
                if Some(i) != skip {
                    shown_names(a, out);
                }
            }
        }
        _ => {}
    }
}

/// A field's kind, for formatting a shown value.
fn kind_of(node: &Node) -> Option<Kind> {
    match node {
        Node::Field(id) => Some(FIELDS[*id as usize].kind),
        Node::Sum3(_) => Some(Kind::Money),
        _ => None,
    }
}

struct Collected {
    errors: Vec<PackError>,
}

impl Collected {
    fn date(
        &mut self,
        file: &str,
        source: &str,
        text: &Option<String>,
        what: &str,
    ) -> Option<Date> {
        text.as_deref()
            .map(date::parse)
            .transpose()
            .unwrap_or_else(|e| {
                self.push(file, source, text.as_deref().unwrap_or(""), what, e);
                None
            })
    }

    fn push(
        &mut self,
        file: &str,
        source: &str,
        near: &str,
        at: impl std::fmt::Display,
        message: impl Into<String>,
    ) {
        let location = match locate(source, near) {
            Some(line) => format!("line {line}, {at}"),
            None => at.to_string(),
        };
        self.errors.push(PackError::new(file, location, message));
    }
}

impl PackSet {
    /// Compiles packs given as `(file name, TOML text)`.
    pub fn compile<N: AsRef<str>, T: AsRef<str>>(
        sources: &[(N, T)],
    ) -> Result<PackSet, Vec<PackError>> {
        let mut errs = Collected { errors: Vec::new() };
        if sources.len() > MAX_PACKS {
            return Err(vec![PackError::new(
                "",
                "",
                format!("{} packs; at most {MAX_PACKS}", sources.len()),
            )]);
        }
        // 1. Parse every file.
        let mut files = Vec::new();
        for (name, source) in sources {
            let (name, source) = (name.as_ref(), source.as_ref());
            if source.len() > MAX_PACK_BYTES {
                errs.errors.push(PackError::new(
                    name,
                    "",
                    format!(
                        "{} bytes; a pack may hold at most {MAX_PACK_BYTES}",
                        source.len()
                    ),
                ));
                continue;
            }
            match parse_pack(name, source) {
                Ok((file, canonical)) => {
                    files.push((name.to_owned(), source.to_owned(), canonical, file))
                }
                Err(e) => errs.errors.push(e),
            }
        }
        if !errs.errors.is_empty() {
            return Err(errs.errors);
        }

        // 2. Names: packs, programs, criteria, defines, tables, params.
        let mut set = PackSet::default();
        let mut program_ids = BTreeMap::new();
        let mut criterion_ids = BTreeMap::new();
        let mut define_ids = BTreeMap::new();
        let mut define_asts = Vec::new();
        let mut tables = BTreeMap::new();
        let mut params = BTreeMap::new();
        let mut pack_ids = BTreeMap::new();
        let mut program_count = 0;
        for (p, (file, source, _, pack)) in files.iter().enumerate() {
            let too_many = [
                ("programs", pack.program.len()),
                ("defines", pack.define.len()),
                ("tables", pack.table.len()),
                ("params", pack.param.len()),
            ];
            for (what, n) in too_many {
                if n > MAX_ITEMS {
                    errs.push(
                        file,
                        source,
                        "",
                        "pack",
                        format!("{n} {what}; at most {MAX_ITEMS}"),
                    );
                }
            }
            if let Some(prev) = pack_ids.insert(pack.pack.id.clone(), file.clone()) {
                errs.push(
                    file,
                    source,
                    &pack.pack.id,
                    "[pack]",
                    format!("pack id {:?} is also used by {prev}", pack.pack.id),
                );
            }
            for program in &pack.program {
                let ids = std::iter::once(("program", &program.id))
                    .chain(program.criterion.iter().map(|c| ("criterion", &c.id)))
                    .chain(program.benefit.iter().map(|b| ("benefit", &b.id)));
                for (what, id) in ids {
                    if !is_plain_id(id) {
                        errs.push(
                            file,
                            source,
                            id,
                            format!("program {}", program.id),
                            format!(
                                "{what} id {id:?}: ids are lowercase letters, digits and . - _ \
                                 (stable public names)"
                            ),
                        );
                    }
                }
                if program_ids
                    .insert(program.id.clone(), program_count)
                    .is_some()
                {
                    errs.push(
                        file,
                        source,
                        &program.id,
                        format!("program {}", program.id),
                        "program id used twice",
                    );
                }
                for (c, criterion) in program.criterion.iter().enumerate() {
                    if criterion_ids
                        .insert((program_count, criterion.id.clone()), c)
                        .is_some()
                    {
                        errs.push(
                            file,
                            source,
                            &criterion.id,
                            format!("program {}, criterion {}", program.id, criterion.id),
                            "criterion id used twice in the program",
                        );
                    }
                }
                program_count += 1;
            }
            for (name, body) in &pack.define {
                if fields::by_name(name).is_some()
                    || matches!(name.as_str(), "years" | "years3" | "as_of" | "score")
                {
                    errs.push(
                        file,
                        source,
                        name,
                        format!("[define] {name}"),
                        "this name is already an input; choose another",
                    );
                }
                match expr::parse(body) {
                    Ok(ast) => {
                        define_ids.insert((p, name.clone()), define_asts.len());
                        define_asts.push((p, ast));
                        set.defines.push(Define {
                            name: leak(name.clone()),
                            body: Node::Const(Value::Undefined),
                            inputs: fields::FieldSet::EMPTY,
                        });
                    }
                    Err(e) => errs.push(
                        file,
                        source,
                        body,
                        format!("[define] {name}, column {}", e.column),
                        e.message,
                    ),
                }
            }
            for (name, table) in &pack.table {
                let mut rows = Vec::new();
                for (threshold, value) in &table.rows {
                    let t = threshold.trim();
                    let (strict, rest) =
                        if let Some(rest) = t.strip_prefix('>').filter(|r| !r.starts_with('=')) {
                            (true, rest)
                        } else {
                            (false, t.trim_start_matches(">=").trim_start_matches('≥'))
                        };
                    match (number(rest), number_value(value)) {
                        (Ok(threshold), Ok(value)) => rows.push((strict, threshold, value)),
                        (Err(e), _) | (_, Err(e)) => {
                            errs.push(file, source, threshold, format!("[table.{name}]"), e)
                        }
                    }
                }
                if rows.windows(2).any(|w| w[0].1 < w[1].1) {
                    errs.push(
                        file,
                        source,
                        name,
                        format!("[table.{name}]"),
                        "rows must go from the highest threshold down",
                    );
                }
                let otherwise = number_value(&table.otherwise).unwrap_or_else(|e| {
                    errs.push(file, source, name, format!("[table.{name}] else"), e);
                    Value::Undefined
                });
                tables.insert((p, name.clone()), set.tables.len());
                let thresholds_at_28 = rows.iter().map(|row| expr::at_scale_28(row.1)).collect();
                set.tables.push(Table {
                    rows,
                    otherwise,
                    thresholds_at_28,
                });
            }
            for param in &pack.param {
                let mut windows = Vec::new();
                for v in &param.values {
                    let from = date::parse(&v.from);
                    let to = v.to.as_deref().map(date::parse).transpose();
                    match (from, to, single(&v.value)) {
                        (Ok(from), Ok(to), Ok(value)) => windows.push((from, to, value)),
                        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => errs.push(
                            file,
                            source,
                            &param.name,
                            format!("[[param]] {}", param.name),
                            e,
                        ),
                    }
                }
                let overlapping = windows.iter().enumerate().any(|(i, a)| {
                    windows[i + 1..].iter().any(|b| {
                        a.1.is_none_or(|a_to| b.0 <= a_to) && b.1.is_none_or(|b_to| a.0 <= b_to)
                    })
                });
                if overlapping {
                    errs.push(
                        file,
                        source,
                        &param.name,
                        format!("[[param]] {}", param.name),
                        "date windows overlap",
                    );
                }
                params.insert((p, param.name.clone()), set.params.len());
                set.params.push(Param { windows });
            }
        }
        if !errs.errors.is_empty() {
            return Err(errs.errors);
        }

        // 3. Rules.
        let mut define_types = vec![None; define_asts.len()];
        let mut define_nodes: Vec<Option<Node>> = (0..define_asts.len()).map(|_| None).collect();
        let mut in_progress = Vec::new();
        let mut hasher = Fnv::new();
        let mut versions = Vec::new();
        for (p, (file, source, canonical, pack)) in files.into_iter().enumerate() {
            // The same packs give the same version in whatever order the files came.
            let version = (pack.pack.id.clone(), pack.pack.version.clone(), canonical);
            insert_ordered(&mut versions, version, |a, b| a < b);
            let region = Region::parse(&pack.pack.region).unwrap_or_else(|e| {
                errs.push(&file, &source, &pack.pack.region, "[pack] region", e);
                Region::CHINA
            });
            let pack_from = errs.date(&file, &source, &pack.pack.valid_from, "[pack] valid_from");
            let pack_to = errs.date(&file, &source, &pack.pack.valid_to, "[pack] valid_to");
            let pack_source = leak(pack.pack.source);
            set.packs.push(PackMeta {
                id: leak(pack.pack.id),
                version: leak(pack.pack.version),
                title: text(pack.pack.title),
            });
            let pack_defines: Vec<usize> = define_ids
                .iter()
                .filter(|((dp, _), _)| *dp == p)
                .map(|(_, &id)| id)
                .collect();
            let mut scope = Scope {
                pack: p,
                define_ids: &define_ids,
                define_types: &mut define_types,
                define_asts: &define_asts,
                in_progress: &mut in_progress,
                define_nodes: &mut define_nodes,
                tables: &tables,
                params: &params,
                program_ids: &program_ids,
                criterion_ids: &criterion_ids,
                allow_score: false,
                refs: Vec::new(),
            };
            // Defines nobody uses are still checked.
            for id in pack_defines {
                if let Err(e) = scope.define_ty(id) {
                    let name = set.defines[id].name;
                    errs.push(&file, &source, name, format!("[define] {name}"), e);
                }
            }
            for program in pack.program {
                let at = |what: &str| format!("program {}{what}", program.id);
                let program_source = program.source.map_or(pack_source, leak);
                let compile_rule = |scope: &mut Scope,
                                    text: &str,
                                    want: Option<Ty>,
                                    where_: String,
                                    errs: &mut Collected|
                 -> Option<Node> {
                    let ast = match expr::parse(text) {
                        Ok(ast) => ast,
                        Err(e) => {
                            errs.push(
                                &file,
                                &source,
                                text,
                                format!("{where_}, column {}", e.column),
                                e.message,
                            );
                            return None;
                        }
                    };
                    match scope.compile(&ast) {
                        Ok((node, ty)) => match want {
                            Some(want) if !compatible(ty, want) => {
                                errs.push(
                                    &file,
                                    &source,
                                    text,
                                    &where_,
                                    format!("must give {}, but gives {}", want.name(), ty.name()),
                                );
                                None
                            }
                            _ => Some(node),
                        },
                        Err(e) => {
                            errs.push(&file, &source, text, &where_, e);
                            None
                        }
                    }
                };
                scope.refs.clear();
                let score = program.score.and_then(|score| {
                    let pass = single(&score.pass)
                        .map_err(|e| errs.push(&file, &source, &program.id, at(" score pass"), e))
                        .ok()?;
                    let mut parts = Vec::new();
                    for part in score.part {
                        let out_of = single(&part.out_of)
                            .and_then(points)
                            .map_err(|e| {
                                errs.push(
                                    &file,
                                    &source,
                                    &part.id,
                                    at(&format!(" part {}", part.id)),
                                    e,
                                )
                            })
                            .ok();
                        let value = compile_rule(
                            &mut scope,
                            &part.value,
                            Some(Ty::Num),
                            at(&format!(", score part {}", part.id)),
                            &mut errs,
                        );
                        if let (Some(out_of), Some(value)) = (out_of, value) {
                            parts.push(Part {
                                id: leak(part.id),
                                label: text(part.label),
                                out_of,
                                value,
                            });
                        }
                    }
                    Some(ScoreDef { pass, parts })
                });
                scope.allow_score = score.is_some();
                let mut criteria = Vec::new();
                for c in program.criterion {
                    let where_ = at(&format!(", criterion {}", c.id));
                    let Some(rule) = compile_rule(
                        &mut scope,
                        &c.rule,
                        Some(Ty::Bool),
                        where_.clone(),
                        &mut errs,
                    ) else {
                        continue;
                    };
                    let mut names = Vec::new();
                    if let Ok(ast) = expr::parse(&c.rule) {
                        shown_names(&ast, &mut names);
                    }
                    let shown = names
                        .into_iter()
                        .filter_map(|n| {
                            scope.name(&n).ok().map(|(node, _)| {
                                let kind = kind_of(&node);
                                (leak(n), node, kind)
                            })
                        })
                        .collect::<Vec<_>>();
                    let uses_score = shown.iter().any(|(_, n, _)| matches!(n, Node::Score));
                    let gap = c.gap.as_deref().and_then(|g| match lever(g) {
                        Ok(l) => Some(l),
                        Err(e) => {
                            errs.push(&file, &source, g, format!("{where_}, gap"), e);
                            None
                        }
                    });
                    let detail = c.detail.and_then(|d| {
                        let zh = template(&mut scope, &d.zh);
                        let en = template(&mut scope, &d.en);
                        match (zh, en) {
                            (Ok(zh), Ok(en)) => Some([zh, en]),
                            (Err(e), _) | (_, Err(e)) => {
                                errs.push(&file, &source, &d.zh, format!("{where_}, detail"), e);
                                None
                            }
                        }
                    });
                    criteria.push(Criterion {
                        id: leak(c.id),
                        label: text(c.label),
                        citation: Citation {
                            source: c.source.map_or(program_source, leak).into(),
                            clause: leak(c.clause).into(),
                            text: leak(c.quote).into(),
                        },
                        rule_text: leak(c.rule),
                        rule,
                        self_declared: c.self_declared,
                        gap,
                        detail,
                        shown,
                        uses_score,
                    });
                }
                scope.allow_score = false;
                let mut benefits = Vec::new();
                for b in program.benefit {
                    let amount = match &b.amount {
                        Some(a) => match compile_rule(
                            &mut scope,
                            a,
                            Some(Ty::Num),
                            at(&format!(", benefit {}", b.id)),
                            &mut errs,
                        ) {
                            Some(node) => Some(node),
                            None => continue,
                        },
                        None => None,
                    };
                    benefits.push(Benefit {
                        id: leak(b.id),
                        kind: b.kind,
                        label: text(b.label),
                        citation: Citation {
                            source: b.source.map_or(program_source, leak).into(),
                            clause: leak(b.clause).into(),
                            text: leak(b.quote).into(),
                        },
                        amount,
                        amount_text: b.amount.map(leak),
                        formula: b.formula.map(text),
                    });
                }
                let mut requires = Vec::new();
                for id in scope.refs.drain(..) {
                    insert_ordered(&mut requires, id, |a, b| a < b);
                }
                requires.dedup();
                let program_region = match &program.region {
                    Some(r) => Region::parse(r).unwrap_or_else(|e| {
                        errs.push(&file, &source, r, at(" region"), e);
                        region
                    }),
                    None => region,
                };
                let mut batches = Vec::new();
                for b in &program.batches {
                    match b
                        .split_once('-')
                        .and_then(|(m, d)| Some((m.parse::<i8>().ok()?, d.parse::<i8>().ok()?)))
                    {
                        Some((m, d)) if jiff::civil::Date::new(2024, m, d).is_ok() => {
                            insert_ordered(&mut batches, (m, d), |a, b| a < b)
                        }
                        _ => errs.push(
                            &file,
                            &source,
                            b,
                            at(" batches"),
                            format!("{b:?} is not a month-day like \"06-30\""),
                        ),
                    }
                }
                let valid_from = errs
                    .date(&file, &source, &program.valid_from, "valid_from")
                    .or(pack_from);
                let valid_to = errs
                    .date(&file, &source, &program.valid_to, "valid_to")
                    .or(pack_to);
                set.programs.push(Program {
                    id: leak(program.id),
                    name: text(program.name),
                    pack: p,
                    region: program_region,
                    tier: program.tier,
                    valid_from,
                    valid_to,
                    note: program.note.map(text),
                    batches,
                    score,
                    criteria,
                    benefits,
                    requires,
                    inputs: fields::FieldSet::EMPTY,
                    checks_at: 0,
                    parts_at: 0,
                    amounts_at: 0,
                    region_codes: program_region.codes().into_inner(),
                });
            }
        }
        for (id, node) in define_nodes.into_iter().enumerate() {
            if let Some(node) = node {
                set.defines[id].body = node;
            }
        }
        for d in 0..set.defines.len() {
            set.defines[d].inputs = inputs_of([&set.defines[d].body], &set.defines);
        }
        let (mut checks, mut parts, mut amounts) = (0, 0, 0);
        for program in &mut set.programs {
            program.inputs = program_inputs(program, &set.defines);
            (program.checks_at, program.parts_at, program.amounts_at) = (checks, parts, amounts);
            checks += program.criteria.len();
            amounts += program.benefits.len();
            parts += program.score.as_ref().map_or(0, |s| s.parts.len());
        }
        (set.checks, set.parts) = (checks, parts);
        if let Some(cycle) = find_cycle(&set.programs) {
            errs.errors.push(PackError::new(
                "",
                "programs",
                format!("programs depend on each other in a cycle: {cycle}"),
            ));
        }
        if !errs.errors.is_empty() {
            return Err(errs.errors);
        }
        for (_, _, canonical) in &versions {
            hasher.write(canonical.as_bytes());
        }
        let ids: Vec<String> = versions
            .iter()
            .map(|(id, version, _)| format!("{id}@{version}"))
            .collect();
        set.version = leak(format!("{}#{:016x}", ids.join(";"), hasher.finish()));
        set.compiled = crate::eval::has_code(&set);
        Ok(set)
    }

    /// Descriptions of the programs that apply in `region`.
    pub fn program_infos(&self, region: Option<Region>, as_of: Option<Date>) -> Vec<ProgramInfo> {
        self.programs
            .iter()
            .filter(|p| region.is_none_or(|r| p.covers(r)))
            .map(|p| self.info(p, as_of))
            .collect()
    }

    /// One program's description.
    pub fn program_info(&self, id: &str) -> Option<ProgramInfo> {
        self.programs
            .iter()
            .find(|p| p.id == id)
            .map(|p| self.info(p, None))
    }

    fn info(&self, p: &Program, as_of: Option<Date>) -> ProgramInfo {
        let pack = &self.packs[p.pack];
        ProgramInfo {
            id: p.id.to_owned(),
            name: p.name.clone(),
            pack: pack.id.to_owned(),
            pack_version: pack.version.to_owned(),
            source: pack.title.clone(),
            region: p.region,
            tier: p.tier,
            in_force: as_of.is_none_or(|d| p.in_force(d)),
            valid_from: p.valid_from,
            valid_to: p.valid_to,
            note: p.note.clone(),
            requires: p
                .requires
                .iter()
                .map(|&r| self.programs[r].id.to_owned())
                .collect(),
            criteria: p
                .criteria
                .iter()
                .map(|c| CriterionInfo {
                    id: c.id.to_owned(),
                    label: c.label.clone(),
                    rule: c.rule_text.to_owned(),
                    self_declared: c.self_declared,
                    citation: c.citation.clone(),
                })
                .collect(),
            benefits: p
                .benefits
                .iter()
                .map(|b| CriterionInfo {
                    id: b.id.to_owned(),
                    label: b.label.clone(),
                    rule: b.amount_text.unwrap_or_default().to_owned(),
                    self_declared: false,
                    citation: b.citation.clone(),
                })
                .collect(),
            inputs: p
                .inputs
                .iter()
                .map(|id| FIELDS[id as usize].path.to_owned())
                .collect(),
        }
    }
}

/// The canonical JSON form of a rule pack given as its file name and TOML (or JSON) text: what
/// the npm package's `loadPacks` reads and `rules_version` hashes, the same text for the same
/// rules whichever form they came in. `huiqi rules export` writes it.
pub fn canonical_pack(name: &str, source: &str) -> Result<String, PackError> {
    parse_pack(name, source).map(|(_, canonical)| canonical)
}

/// Reads a pack written in TOML (for people) or JSON (as the build script writes the built-in
/// ones), and its canonical JSON text, which `rules_version` hashes: the same rules give the same
/// version whichever form they came in.
fn parse_pack(name: &str, source: &str) -> Result<(PackFile, String), PackError> {
    if !source.trim_start().starts_with('{') {
        return parse_toml(name, source);
    }
    let value: serde_json::Value = serde_json::from_str(source)
        .map_err(|e| PackError::new(name, format!("line {}", e.line()), e.to_string()))?;
    let file = from_json_located(source)
        .map_err(|InputError { path, message }| PackError::new(name, path, message))?;
    // A `Value` always serializes; `to_string`, not `Display`, which would bring the pretty
    // printer into the wasm too.
    let canonical = serde_json::to_string(&value).unwrap_or_default();
    Ok((file, canonical))
}

#[cfg(feature = "toml")]
fn parse_toml(name: &str, source: &str) -> Result<(PackFile, String), PackError> {
    let located = |e: toml::de::Error| {
        let location = e.span().map_or(String::new(), |span| {
            let line = source[..span.start.min(source.len())]
                .lines()
                .count()
                .max(1);
            format!("line {line}")
        });
        PackError::new(name, location, e.message().to_owned())
    };
    // Read through the JSON form: one `PackFile` reader serves both forms. Syntax errors keep
    // their line; a wrong field is located by its path, e.g. `program[0].criterion[2].rule`.
    let value = toml::from_str::<toml::Value>(source).map_err(located)?;
    let canonical =
        serde_json::to_string(&value).map_err(|e| PackError::new(name, "", e.to_string()))?;
    parse_pack(name, &canonical)
}

#[cfg(not(feature = "toml"))]
fn parse_toml(name: &str, _source: &str) -> Result<(PackFile, String), PackError> {
    Err(PackError::new(
        name,
        "",
        "this build reads rule packs in their JSON form only (a text starting with `{`); \
         `huiqi rules export` writes it from the TOML",
    ))
}

fn lever(text: &str) -> Result<Lever, String> {
    let (raise, name) = match text.trim().split_at_checked(1) {
        Some(("+", rest)) => (true, rest.trim()),
        Some(("-", rest)) => (false, rest.trim()),
        _ => {
            return Err(format!(
                "gap {text:?} must start with + (raise) or - (lower)"
            ));
        }
    };
    if name == "as_of" {
        return if raise {
            Ok(Lever {
                target: LeverTarget::AsOf,
                raise,
            })
        } else {
            Err("time only moves forward: use +as_of".into())
        };
    }
    let id = fields::by_name(name)
        .ok_or_else(|| format!("gap names {name:?}, which is not an input"))?;
    match FIELDS[id as usize].kind {
        Kind::Money | Kind::Count | Kind::Share => Ok(Lever {
            target: LeverTarget::Field(id),
            raise,
        }),
        _ => Err(format!(
            "gap input {name} is not an amount, a count or a share"
        )),
    }
}

fn template(scope: &mut Scope, text: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Segment::Lit(leak(rest[..open].to_owned())));
        }
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| format!("unclosed {{ in {text:?}"))?
            + open;
        let inner = &rest[open + 1..close];
        let (name, fmt) = match inner.split_once(':') {
            Some((n, "%")) => (n, Fmt::Percent),
            Some((n, "万")) => (n, Fmt::Wan),
            Some((_, f)) => return Err(format!("unknown format :{f} (use :% or :万)")),
            None => (inner, Fmt::Plain),
        };
        let (node, _) = scope.name(name.trim())?;
        let kind = kind_of(&node);
        out.push(Segment::Value(node, fmt, kind));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Segment::Lit(leak(rest.to_owned())));
    }
    Ok(out)
}

fn program_inputs(p: &Program, defines: &[Define]) -> fields::FieldSet {
    let roots = p
        .criteria
        .iter()
        .map(|c| &c.rule)
        .chain(
            p.score
                .iter()
                .flat_map(|s| s.parts.iter().map(|part| &part.value)),
        )
        .chain(p.benefits.iter().filter_map(|b| b.amount.as_ref()));
    inputs_of(roots, defines)
}

/// The inputs the nodes read, through defines too.
fn inputs_of<'n>(
    roots: impl IntoIterator<Item = &'n Node>,
    defines: &'n [Define],
) -> fields::FieldSet {
    let mut set = fields::FieldSet::EMPTY;
    let mut visited = vec![false; defines.len()];
    let mut stack: Vec<&Node> = roots.into_iter().collect();
    while let Some(node) = stack.pop() {
        let mut reached = Vec::new();
        walk(node, &mut |n| match n {
            Node::Field(id) => set = set.union(fields::FieldSet::one(*id)),
            Node::Sum3(ids) => ids
                .iter()
                .for_each(|id| set = set.union(fields::FieldSet::one(*id))),
            Node::InRegion(_) => set = set.union(fields::FieldSet::one(fields::REGION)),
            Node::Define(d) if !visited[*d] => {
                visited[*d] = true;
                reached.push(*d);
            }
            _ => {}
        });
        stack.extend(reached.into_iter().map(|d| &defines[d].body));
    }
    set
}

fn find_cycle(programs: &[Program]) -> Option<String> {
    // 0 = unvisited, 1 = on the path, 2 = done
    fn visit(p: usize, programs: &[Program], state: &mut [u8], path: &mut Vec<usize>) -> bool {
        match state[p] {
            1 => {
                path.push(p);
                return true;
            }
            2 => return false,
            _ => {}
        }
        state[p] = 1;
        path.push(p);
        for &r in &programs[p].requires {
            if visit(r, programs, state, path) {
                return true;
            }
        }
        path.pop();
        state[p] = 2;
        false
    }
    let mut state = vec![0u8; programs.len()];
    for p in 0..programs.len() {
        let mut path = Vec::new();
        if visit(p, programs, &mut state, &mut path) {
            return Some(
                path.iter()
                    .map(|&i| programs[i].id)
                    .collect::<Vec<_>>()
                    .join(" → "),
            );
        }
    }
    None
}

/// FNV-1a, 64 bits: a content fingerprint for `rules_version` (not a security hash).
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(name: &str, source: &str) -> PackError {
        match parse_pack(name, source) {
            Err(error) => error,
            Ok(_) => panic!("accepted: {source}"),
        }
    }

    const HEADER: &str = r#""pack":{"id":"p","version":"1","title":{"zh":"","en":""},"source":"s","region":"620000"}"#;

    #[test]
    fn json_pack_errors_name_the_field_path() {
        let program = r#"{"id":"a","name":{"zh":"","en":""},"tier":"x"}"#;
        let error = refusal("p.json", &format!(r#"{{{HEADER},"program":[{program}]}}"#));
        assert_eq!(error.location, "program[0].tier");
        let error = refusal(
            "p.json",
            &format!(r#"{{{HEADER},"param":[{{"name":"x"}}]}}"#),
        );
        assert_eq!(
            (error.location.as_str(), error.message.as_str()),
            ("param[0]", "missing field `values`")
        );
        let error = refusal("p.json", r#"{"pack":{"id":"p"},"program":[]}"#);
        assert_eq!(error.location, "pack", "{error}");
    }

    #[test]
    fn ids_are_plain_public_names() {
        assert!(is_plain_id("cn.tax.hnte-rate") && is_plain_id("org_management"));
        for id in ["", "CN.hnte", "a b", "a\"b", "高企", "a\\b"] {
            assert!(!is_plain_id(id), "{id:?}");
        }
        let program = r#"{"id":"a b","name":{"zh":"","en":""},"tier":1}"#;
        let errors =
            PackSet::compile(&[("p.json", format!(r#"{{{HEADER},"program":[{program}]}}"#))])
                .expect_err("refused");
        assert!(
            errors[0].to_string().contains("program id \"a b\""),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn score_parts_are_worth_a_bounded_number_of_points() {
        // Two parts of the largest decimal would overflow their sum while a profile is scored.
        let part = r#"{"id":"x","label":{"zh":"","en":""},"out_of":"79228162514264337593543950335","value":"employees"}"#;
        let program = format!(
            r#"{{"id":"a","name":{{"zh":"","en":""}},"tier":1,"score":{{"pass":"60","part":[{part},{part}]}}}}"#
        );
        let errors =
            PackSet::compile(&[("p.json", format!(r#"{{{HEADER},"program":[{program}]}}"#))])
                .expect_err("refused");
        assert!(
            errors[0]
                .to_string()
                .contains("a part is worth 0 to 1000 points"),
            "{}",
            errors[0]
        );
    }

    #[cfg(feature = "toml")]
    #[test]
    fn toml_pack_errors_name_the_line_or_the_field_path() {
        let at = |source: &str| refusal("p.toml", source).location;
        assert_eq!(at("[pack]\nid = \"p\"\nversion = 1 = 2\n"), "line 3");
        let pack = "[pack]\nid = \"p\"\nversion = \"1\"\nsource = \"s\"\nregion = \"620000\"\n\
                    title = { zh = \"\", en = \"\" }\n";
        let program = "[[program]]\nid = \"a\"\nname = { zh = \"\", en = \"\" }\ntier = \"x\"\n";
        assert_eq!(at(&format!("{pack}{program}")), "program[0].tier");
    }
}

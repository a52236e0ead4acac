//! Writes `compiled.rs`: the built-in packs' rules as Rust, node for node what [`Run::eval`]
//! does, so that each rule gets code (and branches) of its own. A test keeps the file current.

use std::fmt::Write;

use rust_decimal::Decimal;

use crate::expr::Value;
use crate::fields::{FIELDS, FieldId};
use crate::pack::{Lever, LeverTarget, Node, PackSet};

/// The source of `compiled.rs` for `set`.
pub(super) fn rust_source(set: &PackSet) -> String {
    let defines: Vec<Item> = set
        .defines
        .iter()
        .map(|d| Item {
            about: format!("define `{}`", d.name),
            node: Some(&d.body),
        })
        .collect();
    let rules: Vec<Item> = set
        .programs
        .iter()
        .flat_map(|p| {
            p.criteria.iter().map(move |c| Item {
                about: format!(
                    "{} · {} ({}): `{}`",
                    p.id, c.id, c.citation.clause, c.rule_text
                ),
                node: Some(&c.rule),
            })
        })
        .collect();
    let parts: Vec<Item> = set
        .programs
        .iter()
        .flat_map(|p| {
            p.score.iter().flat_map(move |s| {
                s.parts.iter().map(move |part| Item {
                    about: format!("{} · score part `{}`", p.id, part.id),
                    node: Some(&part.value),
                })
            })
        })
        .collect();
    let amounts: Vec<Item> = set
        .programs
        .iter()
        .flat_map(|p| {
            p.benefits.iter().map(move |b| Item {
                about: format!(
                    "{} · amount of {}: `{}`",
                    p.id,
                    b.id,
                    b.amount_text.unwrap_or("")
                ),
                node: b.amount.as_ref(),
            })
        })
        .collect();
    let mut emitter = Emitter::new(
        defines
            .iter()
            .map(|d| {
                d.node
                    .is_some_and(|n| Emitter::new(Vec::new()).expr(n).is_some())
            })
            .collect(),
    );
    let mut out = Source::default();
    out.table("DEFINES", &defines, &mut emitter);
    // Which criteria, score parts and amounts have generated code, by their index among all
    // programs' (`checks_at`, `parts_at`, `amounts_at`).
    let rule_code = out.table("RULES", &rules, &mut emitter);
    let part_code = out.table("PARTS", &parts, &mut emitter);
    out.table("AMOUNTS", &amounts, &mut emitter);
    let code = |has: &[bool], name: &str, at: usize| {
        if has.get(at) == Some(&true) {
            format!("Some({name}_{at})")
        } else {
            "None".to_owned()
        }
    };
    let Source {
        mut tables,
        mut functions,
    } = out;
    let mut heads = Vec::with_capacity(set.programs.len());
    for (p, program) in set.programs.iter().enumerate() {
        let mut body = match &program.score {
            None => "    let score = None;\n".to_owned(),
            Some(score) => {
                let mut sum = "    let mut sum = ScoreSum::NONE;\n".to_owned();
                for i in 0..score.parts.len() {
                    let code = code(&part_code, "part", program.parts_at + i);
                    let _ = writeln!(sum, "    run.part_step({p}, {i}, {code}, &mut sum);");
                }
                sum + "    let score = Some(sum.total());\n"
            }
        };
        body.push_str("    let mut standing = Standing::NONE;\n");
        for (i, c) in program.criteria.iter().enumerate() {
            let code = code(&rule_code, "rule", program.checks_at + i);
            let _ = writeln!(
                body,
                "    run.criterion_step({p}, {i}, {}, {code}, score, &mut standing);",
                c.gap.is_some()
            );
        }
        let _ = write!(
            functions,
            "\n/// {}: its criteria in a row.\nfn head_{p}(run: &mut Run<'_>) -> Head {{\n{body}    run.head_of({p}, standing, score)\n}}\n",
            program.id
        );
        heads.push(format!("Some(head_{p})"));
    }
    let mut gaps = Vec::new();
    for program in &set.programs {
        for (i, c) in program.criteria.iter().enumerate() {
            let at = program.checks_at + i;
            let steps = match c.gap {
                Some(Lever {
                    target: LeverTarget::Field(id),
                    raise,
                }) => emitter.steps(set, &c.rule, id, raise),
                _ => None,
            };
            let Some(steps) = steps else {
                gaps.push("None".to_owned());
                continue;
            };
            let _ = write!(
                functions,
                "\n/// {} · {}: the steps of `{}` from which `{}` passes.\n\
                 fn gap_{at}(run: &mut Run<'_>, base: Decimal, scale: u32) -> Option<Option<i128>> {{\n    {steps}\n}}\n",
                program.id,
                c.id,
                c.gap.map_or("", |g| match g.target {
                    LeverTarget::Field(id) => FIELDS[usize::from(id)].name,
                    LeverTarget::AsOf => "as_of",
                }),
                c.rule_text
            );
            gaps.push(format!("Some(gap_{at})"));
        }
    }
    let _ = writeln!(
        tables,
        "pub(super) static GAPS: [Option<GapCode>; {}] = [\n    {},\n];\n",
        gaps.len(),
        gaps.join(",\n    ")
    );
    let _ = writeln!(
        tables,
        "pub(super) static HEADS: [Option<HeadCode>; {}] = [\n    {},\n];\n",
        heads.len(),
        heads.join(",\n    ")
    );
    format!(
        "// @generated by `HUIQI_BLESS=1 cargo test -p huiqi-engine compiled_rules` from the built-in\n\
         // packs (`eval/codegen.rs`): do not edit. Each function is one rule, define, score part or\n\
         // amount, evaluated as `Run::eval` evaluates its node.\n\n\
         #![allow(clippy::all, unused_braces, unused_parens, unused_variables)]\n\n\
         use super::*;\n\n\
         /// The packs, in order, and their content: the set this code is for.\n\
         pub(super) const LAYOUT: &str = {:?};\n\n\
         {tables}{functions}",
        super::layout(set)
    )
}

/// The generated file's parts: the tables of code, and the functions they name.
#[derive(Default)]
struct Source {
    tables: String,
    functions: String,
}

impl Source {
    /// Writes each item as a function and the table `name` of them (`None` where an item has no
    /// code); returns which items have code.
    fn table(&mut self, name: &str, items: &[Item], emitter: &mut Emitter) -> Vec<bool> {
        let prefix = name.to_lowercase();
        let prefix = prefix.strip_suffix('s').unwrap_or(&prefix);
        let mut entries = Vec::with_capacity(items.len());
        let mut has_code = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item.node.and_then(|n| emitter.expr(n)) {
                Some(body) => {
                    let _ = write!(
                        self.functions,
                        "\n/// {}\nfn {prefix}_{i}(run: &mut Run<'_>) -> Value {{\n    {body}\n}}\n",
                        item.about.replace('\n', " ")
                    );
                    entries.push(format!("Some({prefix}_{i})"));
                    has_code.push(true);
                }
                None => {
                    entries.push("None".to_owned());
                    has_code.push(false);
                }
            }
        }
        let _ = writeln!(
            self.tables,
            "pub(super) static {name}: [Option<Code>; {}] = [\n    {},\n];\n",
            entries.len(),
            entries.join(",\n    ")
        );
        has_code
    }
}

/// A rule or value to write as a function.
struct Item<'a> {
    about: String,
    node: Option<&'a Node>,
}

/// Turns a node into a Rust expression of type `Value`, with `run: &mut Run` in scope.
struct Emitter {
    /// Which defines have generated code, which other code calls directly.
    defines_with_code: Vec<bool>,
    /// Closures named so far (`If` branches), for fresh names.
    closures: usize,
}

impl Emitter {
    fn new(defines_with_code: Vec<bool>) -> Emitter {
        Emitter {
            defines_with_code,
            closures: 0,
        }
    }

    fn expr(&mut self, node: &Node) -> Option<String> {
        Some(match node {
            Node::Const(v) => format!("const {{ {} }}", value(*v)?),
            Node::Field(id) => format!(
                "run.read_inline({id} /* {} */)",
                FIELDS[usize::from(*id)].name
            ),
            Node::Sum3(ids) => format!("run.sum3(&{ids:?})"),
            Node::Years => "Value::Num(Decimal::from(run.inputs.entered))".to_owned(),
            Node::Years3 => "Value::Num(Decimal::from(run.inputs.within_three))".to_owned(),
            Node::AsOf => "Value::Date(run.today())".to_owned(),
            Node::Score => "run.score.unwrap_or(Value::Undefined)".to_owned(),
            Node::Define(d) if self.defines_with_code.get(*d) == Some(&true) => {
                format!("run.define_by({d}, define_{d})")
            }
            Node::Define(d) => format!("run.define({d})"),
            Node::Neg(a) => format!(
                "arith(BinOp::Sub, Value::Num(Decimal::ZERO), {})",
                self.expr(a)?
            ),
            Node::Not(a) => format!(
                "match {} {{ Value::Bool(b) => Value::Bool(!b), other => other }}",
                self.expr(a)?
            ),
            Node::Bin(op, a, b) => {
                let f = if op.is_comparison() {
                    "compare_inline"
                } else {
                    "arith"
                };
                format!(
                    "{{ let a = {}; let b = {}; {f}(BinOp::{op:?}, a, b) }}",
                    self.expr(a)?,
                    self.expr(b)?
                )
            }
            Node::And(a, b) | Node::Or(a, b) => {
                let or_ = matches!(node, Node::Or(..));
                format!(
                    "{{ let a = {}; if matches!(a, Value::Bool({or_})) {{ a }} else {{ kleene(a, {}, {or_}) }} }}",
                    self.expr(a)?,
                    self.expr(b)?
                )
            }
            Node::If(n) => {
                let (t, e) = (self.closure(&n[1])?, self.closure(&n[2])?);
                format!(
                    "{{ {t_def} {e_def} match {c} {{ Value::Bool(true) => {t}(run), Value::Bool(false) => {e}(run), \
                     Value::Unknown {{ missing, judged }} => {{ let (a, b) = ({t}(run), {e}(run)); \
                     if a == b && !matches!(a, Value::Unknown {{ .. }}) {{ a }} else {{ Value::Unknown {{ missing, judged }} }} }} \
                     _ => Value::Undefined }} }}",
                    t_def = t.1,
                    e_def = e.1,
                    c = self.expr(&n[0])?,
                    t = t.0,
                    e = e.0,
                )
            }
            Node::Min(args) | Node::Max(args) => {
                let is_min = matches!(node, Node::Min(_));
                let Some((first, rest)) = args.split_first() else {
                    return Some("Value::Undefined".to_owned());
                };
                let mut s = format!("{{ let acc = {};", self.expr(first)?);
                for a in rest {
                    let _ = write!(s, " let acc = extreme(acc, {}, {is_min});", self.expr(a)?);
                }
                s.push_str(" acc }");
                s
            }
            Node::Range(n) => format!(
                "{{ let a = {}; let b = {}; range_of(a, b) }}",
                self.expr(&n[0])?,
                self.expr(&n[1])?
            ),
            Node::Band(t, x) => format!("{{ let x = {}; run.band({t}, x) }}", self.expr(x)?),
            Node::Param(p, d) => format!("{{ let d = {}; run.param({p}, d) }}", self.expr(d)?),
            Node::YearEnd(y) => format!("year_end({})", self.expr(y)?),
            Node::DaysSince(d) => format!("{{ let d = {}; run.days_since(d) }}", self.expr(d)?),
            Node::Eligible(p) => format!("run.eligible({p})"),
            Node::Passes(p, c) => format!("run.passes({p}, {c})"),
            Node::InRegion(codes) => {
                let codes: Vec<String> = codes
                    .iter()
                    .map(|r| format!("Region::known({})", r.code()))
                    .collect();
                format!("run.in_region(const {{ &[{}] }})", codes.join(", "))
            }
            Node::Growth(n) => format!(
                "{{ let a = {}; let b = {}; let c = {}; growth_of([a, b, c]) }}",
                self.expr(&n[0])?,
                self.expr(&n[1])?,
                self.expr(&n[2])?
            ),
            Node::Default(n) => format!(
                "match {} {{ Value::Unknown {{ judged: false, .. }} => {}, v => v }}",
                self.expr(&n[0])?,
                self.expr(&n[1])?
            ),
        })
    }

    /// [`Run::passes_from`] for `node` with its shape read here: an expression of type
    /// `Option<Option<i128>>`, `None` where the rule is not of a shape solved directly.
    fn steps(&mut self, set: &PackSet, node: &Node, id: FieldId, raise: bool) -> Option<String> {
        let (Node::And(a, b) | Node::Or(a, b)) = node else {
            let shape = super::compared(set, node, id)?;
            let rest = match shape.rest {
                Some(sum) => format!("run.rest_of_sum(&{sum:?}, {id}, base)"),
                None => "Some(Decimal::ZERO)".to_owned(),
            };
            let over = match shape.over {
                Some(over) => format!("Some({})", self.expr(over)?),
                None => "None".to_owned(),
            };
            return Some(format!(
                "{{ let still = {}; let rest = {rest}; let over = {over}; \
                 solve_compared(BinOp::{:?}, still, rest, over, {raise}, base, scale) }}",
                self.expr(shape.still)?,
                shape.op
            ));
        };
        let mut part = |node: &Node| -> Option<String> {
            if super::reads(set, node, id) {
                self.steps(set, node, id, raise)
            } else {
                Some(format!("still_part({})", self.expr(node)?))
            }
        };
        let (a, b) = (part(a)?, part(b)?);
        Some(format!(
            "{{ let a = {a}?; let b = {b}?; Some(joined({}, a, b)) }}",
            matches!(node, Node::And(..))
        ))
    }

    /// A closure evaluating `node`: its name and definition.
    fn closure(&mut self, node: &Node) -> Option<(String, String)> {
        self.closures += 1;
        let name = format!("branch_{}", self.closures);
        let body = self.expr(node)?;
        let def = format!("let {name} = |run: &mut Run<'_>| -> Value {{ {body} }};");
        Some((name, def))
    }
}

/// A constant value as a const expression; `None` where there is none to write.
fn value(v: Value) -> Option<String> {
    Some(match v {
        Value::Num(d) => format!("Value::Num({})", decimal(d)?),
        Value::Range(a, b) => format!("Value::Range({}, {})", decimal(a)?, decimal(b)?),
        Value::Bool(b) => format!("Value::Bool({b})"),
        Value::Word(w) => format!("Value::Word({w:?})"),
        Value::Date(d) => format!(
            "Value::Date(Date::constant({}, {}, {}))",
            d.year(),
            d.month(),
            d.day()
        ),
        Value::Nothing => "Value::Nothing".to_owned(),
        Value::Undefined => "Value::Undefined".to_owned(),
        Value::Unknown { .. } => return None,
    })
}

fn decimal(d: Decimal) -> Option<String> {
    let m = d.mantissa();
    // `from_parts` makes every zero positive: a negative zero is left to the interpreter.
    if m == 0 && d.is_sign_negative() {
        return None;
    }
    let u = m.unsigned_abs();
    Some(format!(
        "Decimal::from_parts({}, {}, {}, {}, {})",
        u as u32,
        (u >> 32) as u32,
        (u >> 64) as u32,
        m < 0,
        d.scale()
    ))
}

//! Evaluation of a profile against the compiled packs: three-valued (a missing input makes a
//! criterion unknown, never failed), exact (checked decimal arithmetic; an overflow or a zero
//! denominator is "not computable", never a panic), lazy (a program is evaluated when shown or when
//! another one builds on it) and memoised per profile.
//!
//! Natively, the built-in packs' rules also run as generated Rust (`compiled.rs`, written by
//! `codegen.rs` and kept current by a test): what `eval` does node for node, with the shapes of
//! the direct gap solves read beforehand. The code is taken only for the packs it was written
//! from ([`has_code`]); other packs, and the npm wasm, are interpreted.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BTreeMap;

use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::date;
use crate::decimal;
use crate::expr::{self, BinOp, Value, order};
use crate::fields::{FIELDS, FieldId, FieldSet, Kind, REGION};
use crate::pack::{Criterion, Fmt, Lever, LeverTarget, Node, PackSet, Program, Segment};
use crate::profile::{FiscalYear, Profile, Region};
use crate::result::*;
use crate::{Options, insert_ordered};

#[cfg(test)]
mod codegen;
#[cfg(not(any(target_arch = "wasm32", huiqi_interpret)))]
#[rustfmt::skip]
mod compiled;
#[cfg(not(any(target_arch = "wasm32", huiqi_interpret)))]
use compiled::{AMOUNTS, DEFINES, GAPS, HEADS, LAYOUT, PARTS, RULES};
// The npm wasm interprets every pack: generated code would double its rules' share of the size.
// `--cfg huiqi_interpret` builds natively without it too: to write `compiled.rs` anew where the
// one there no longer fits the engine.
#[cfg(all(huiqi_interpret, not(target_arch = "wasm32")))]
use self::no_code::GAPS;
#[cfg(any(target_arch = "wasm32", huiqi_interpret))]
use self::no_code::{AMOUNTS, DEFINES, HEADS, LAYOUT, PARTS, RULES};
#[cfg(any(target_arch = "wasm32", huiqi_interpret))]
mod no_code {
    pub(super) const LAYOUT: &str = "";
    pub(super) static DEFINES: [Option<super::Code>; 0] = [];
    pub(super) static RULES: [Option<super::Code>; 0] = [];
    pub(super) static PARTS: [Option<super::Code>; 0] = [];
    pub(super) static AMOUNTS: [Option<super::Code>; 0] = [];
    pub(super) static HEADS: [Option<super::HeadCode>; 0] = [];
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) static GAPS: [Option<super::GapCode>; 0] = [];
}

/// A rule of the built-in packs as generated Rust (`compiled.rs`).
type Code = for<'r, 'a> fn(&'r mut Run<'a>) -> Value;
/// A program's head as generated Rust: its criteria in a row, each rule's code called directly.
type HeadCode = for<'r, 'a> fn(&'r mut Run<'a>) -> Head;
/// A criterion's direct gap solve as generated Rust ([`Run::passes_from`] with the rule's shape
/// read beforehand): from the lever input's value and step scale, the steps from which it passes.
#[cfg(not(target_arch = "wasm32"))]
type GapCode = for<'r, 'a> fn(&'r mut Run<'a>, Decimal, u32) -> Option<Option<i128>>;

/// Whether `set` is the set of packs `compiled.rs` was generated from. The content hash alone
/// would not do: the same packs given in another order are compiled to other indices.
pub(crate) fn has_code(set: &PackSet) -> bool {
    // No layout: a build without generated code, which then need not write the set's out.
    !LAYOUT.is_empty() && layout(set) == LAYOUT
}

/// What generated code rests on: the packs in their order, and their content hash.
fn layout(set: &PackSet) -> String {
    let ids: Vec<&str> = set.packs.iter().map(|p| p.id).collect();
    format!("{} {}", ids.join(","), set.version)
}

/// The profile as rules read it: fiscal years ordered latest first.
pub struct Inputs<'p> {
    /// The validated profile.
    pub profile: &'p Profile,
    years: [Option<&'p FiscalYear>; 3],
    entered: usize,
    within_three: usize,
}

impl<'p> Inputs<'p> {
    fn new(profile: &'p Profile) -> Self {
        let mut years: [Option<&FiscalYear>; 3] = [None; 3];
        for fy in &profile.financials {
            // Insert into the three latest, kept in order without sorting the whole list.
            let mut carry = Some(fy);
            for slot in years.iter_mut() {
                match (*slot, carry) {
                    (None, _) => {
                        *slot = carry;
                        carry = None;
                    }
                    (Some(held), Some(new)) if new.year > held.year => {
                        *slot = Some(new);
                        carry = Some(held);
                    }
                    _ => {}
                }
            }
        }
        let latest = years[0].map(|y| y.year);
        let within_three = years
            .iter()
            .flatten()
            .filter(|y| latest.is_some_and(|l| y.year >= l - 2))
            .count();
        Inputs {
            profile,
            years,
            entered: profile.financials.len(),
            within_three,
        }
    }

    /// The fiscal year `k` places before the latest (0 = latest).
    pub fn year(&self, k: usize) -> Option<&'p FiscalYear> {
        self.years.get(k).copied().flatten()
    }

    /// Annual average of the conversions entered (HNTE: 近三年科技成果转化的年平均数).
    pub fn conversions_average(&self) -> Option<Value> {
        let list = self.profile.conversions.as_ref()?;
        if list.is_empty() {
            return Some(Value::Num(Decimal::ZERO));
        }
        let sum: u64 = list.iter().map(|&n| u64::from(n)).sum();
        decimal::div(Decimal::from(sum), Decimal::from(list.len())).map(Value::Num)
    }
}

/// A gap search's input change: which input, which way, from where, in steps of `10^-scale`.
/// Step counts are whole numbers (at most 10^18 fen), counted in `u64`.
#[derive(Clone, Copy)]
struct Trial {
    lever: Lever,
    scale: u32,
    base: Decimal,
}

/// A score's parts added up so far: the least and the most it can be, and the inputs it misses.
#[derive(Clone, Copy)]
struct ScoreSum {
    lo: Decimal,
    hi: Decimal,
    missing: FieldSet,
}

impl ScoreSum {
    const NONE: ScoreSum = ScoreSum {
        lo: Decimal::ZERO,
        hi: Decimal::ZERO,
        missing: FieldSet::EMPTY,
    };

    fn total(self) -> (Value, FieldSet) {
        (Value::from_bounds(self.lo, self.hi), self.missing)
    }
}

/// How a program's criteria stand, as its head goes through them.
#[derive(Clone, Copy)]
struct Standing {
    failed: bool,
    unknown: bool,
    missing: FieldSet,
}

impl Standing {
    const NONE: Standing = Standing {
        failed: false,
        unknown: false,
        missing: FieldSet::EMPTY,
    };
}

/// What a program came to, kept for programs that build on it and for the result.
#[derive(Clone, Copy)]
struct Head {
    status: Status,
    missing: FieldSet,
    /// The score's total and the inputs it misses, for scored programs.
    score: Option<(Value, FieldSet)>,
}

impl Head {
    /// The filler of unused memo entries.
    const NONE: Head = Head {
        status: Status::Undetermined,
        missing: FieldSet::EMPTY,
        score: None,
    };
}

/// A run's working memory, kept per thread from one run to the next: a registry screen evaluates
/// hundreds of thousands of profiles, and allocating these afresh for each cost 4% of a profile.
#[derive(Default)]
struct Buffers {
    /// The last run's stamp (0: none yet).
    run: u64,
    /// The memos: each entry stamped with the run that wrote it, so that what earlier runs left
    /// is stale without a pass to clear it.
    defines: Vec<(u64, Value)>,
    heads: Vec<(u64, Head)>,
    checks: Vec<Option<(Check, FieldSet)>>,
    parts: Vec<(Decimal, Decimal, FieldSet)>,
    turns: Vec<u64>,
}

thread_local! {
    static SPARE: std::cell::Cell<Buffers> = std::cell::Cell::new(Buffers::default());
}

struct Run<'a> {
    set: &'a PackSet,
    inputs: Inputs<'a>,
    as_of: Date,
    /// This run's stamp on the memos.
    stamp: u64,
    defines: Vec<(u64, Value)>,
    heads: Vec<(u64, Head)>,
    /// Every program's criterion checks, at its `checks_at`: one buffer, not one per program;
    /// `None` where the program's head left one aside.
    checks: Vec<Option<(Check, FieldSet)>>,
    /// Every scored program's parts as `(min, max, missing)`, at its `parts_at`.
    parts: Vec<(Decimal, Decimal, FieldSet)>,
    /// A gap search's turning points.
    turns: Vec<u64>,
    /// While searching for a gap: the input being changed and its trial value.
    trial: Option<(LeverTarget, Value)>,
    /// The score of the program whose criterion is being evaluated, if it has one.
    score: Option<Value>,
}

/// The verdicts of `profile` against every program of its region, unworded.
pub fn verdicts(set: &PackSet, profile: &Profile, as_of: Date) -> Verdicts {
    Run::new(set, profile, as_of).verdicts()
}

/// [`verdicts`], written into `out` (its lists reused).
pub fn verdicts_into(set: &PackSet, profile: &Profile, as_of: Date, out: &mut Verdicts) {
    Run::new(set, profile, as_of).verdicts_into(out)
}

/// Evaluates `profile` against every program of its region: the verdicts, worded and traced.
pub fn evaluate(set: &PackSet, profile: &Profile, options: &Options) -> Evaluation {
    let mut run = Run::new(set, profile, options.as_of);
    let verdicts = run.verdicts();
    let undetermined: Vec<FieldSet> = verdicts
        .programs
        .iter()
        .filter(|v| v.status == Status::Undetermined && v.in_force)
        .map(|v| v.missing)
        .collect();
    let missing = rank_missing(&undetermined);
    let questions = missing
        .iter()
        .map(|&(id, count)| {
            let f = &FIELDS[id as usize];
            Question {
                field: Cow::Borrowed(f.path),
                text: Cow::Borrowed(match options.lang {
                    Lang::Zh => f.label_zh,
                    Lang::En => f.label_en,
                }),
                programs: count,
            }
        })
        .collect();
    Evaluation {
        as_of: options.as_of,
        region: profile.region,
        lang: options.lang,
        rules_version: Cow::Borrowed(set.version),
        programs: verdicts
            .programs
            .iter()
            .map(|v| run.program_result(&verdicts, v, options))
            .collect(),
        missing: missing
            .iter()
            .map(|&(id, _)| Cow::Borrowed(FIELDS[id as usize].path))
            .collect(),
        questions,
    }
}

/// Orders missing inputs by how much answering them would settle: a field counts 1/n for each
/// undetermined program that still misses n fields, so a field that alone settles a program
/// comes before one of many; ties go to the one that bears on more programs.
fn rank_missing(undetermined: &[FieldSet]) -> Vec<(FieldId, u32)> {
    // 720720 is divisible by 1..=16: the shares stay whole numbers.
    const WHOLE: u64 = 720_720;
    let mut weight = [0u64; 128];
    let mut count = [0u32; 128];
    for missing in undetermined {
        let n = u64::from(missing.len()).max(1);
        for id in missing.iter() {
            weight[id as usize] += WHOLE / n;
            count[id as usize] += 1;
        }
    }
    let rank = |&id: &FieldId| {
        (
            Reverse(weight[id as usize]),
            Reverse(count[id as usize]),
            id,
        )
    };
    let mut ids: Vec<FieldId> = Vec::new();
    for id in (0..FIELDS.len() as u8).filter(|&i| count[i as usize] > 0) {
        insert_ordered(&mut ids, id, |a, b| rank(a) < rank(b));
    }
    ids.into_iter().map(|id| (id, count[id as usize])).collect()
}

impl Drop for Run<'_> {
    fn drop(&mut self) {
        let spare = Buffers {
            run: self.stamp,
            defines: std::mem::take(&mut self.defines),
            heads: std::mem::take(&mut self.heads),
            checks: std::mem::take(&mut self.checks),
            parts: std::mem::take(&mut self.parts),
            turns: std::mem::take(&mut self.turns),
        };
        // `try_with`: a thread that is ending has no spare to keep, and that is no panic.
        let _ = SPARE.try_with(|kept| kept.set(spare));
    }
}

impl<'a> Run<'a> {
    fn new(set: &'a PackSet, profile: &'a Profile, as_of: Date) -> Self {
        let Buffers {
            run,
            mut defines,
            mut heads,
            mut checks,
            mut parts,
            turns,
        } = SPARE.try_with(std::cell::Cell::take).unwrap_or_default();
        // A stamp these buffers have not seen; entries they gain are stamped 0, stale for every
        // run.
        let stamp = run + 1;
        // A program's checks and parts are written when its head is computed, before any read.
        defines.resize(set.defines.len(), (0, Value::Undefined));
        heads.resize(set.programs.len(), (0, Head::NONE));
        checks.resize(set.checks, None);
        parts.resize(set.parts, (Decimal::ZERO, Decimal::ZERO, FieldSet::EMPTY));
        Run {
            set,
            inputs: Inputs::new(profile),
            as_of,
            stamp,
            defines,
            heads,
            checks,
            parts,
            turns,
            trial: None,
            score: None,
        }
    }

    fn verdicts(&mut self) -> Verdicts {
        let mut out = Verdicts {
            programs: Vec::with_capacity(self.set.programs.len()),
            gaps: Vec::with_capacity(8),
            amounts: Vec::with_capacity(self.set.programs.len()),
        };
        self.verdicts_into(&mut out);
        out
    }

    fn verdicts_into(&mut self, out: &mut Verdicts) {
        let set = self.set;
        let region = self.inputs.profile.region;
        out.clear();
        for (p, program) in set.programs.iter().enumerate() {
            if region.is_some_and(|r| !program.covers(r)) {
                continue;
            }
            let head = self.head(p);
            let (gaps_from, amounts_from) = (out.gaps.len(), out.amounts.len());
            if head.status == Status::Ineligible {
                let score = head.score.map(|s| s.0);
                let at = self.set.programs[p].checks_at;
                for (index, c) in program.criteria.iter().enumerate() {
                    if let (Some((Check::Fail, _)), Some(lever)) = (self.checks[at + index], c.gap)
                        && let Some(by) = self.gap(p, index, lever, score)
                    {
                        let (field, unit) = match lever.target {
                            LeverTarget::AsOf => ("as_of", Unit::Days),
                            LeverTarget::Field(id) => {
                                (FIELDS[id as usize].path, FIELDS[id as usize].kind.unit())
                            }
                        };
                        out.gaps.push(GapFound {
                            criterion: c.id,
                            field,
                            by,
                            unit,
                            index,
                            lever,
                        });
                    }
                }
            }
            for (i, b) in program.benefits.iter().enumerate() {
                let amount = self.amount(b, program.amounts_at + i);
                out.amounts.push(amount);
            }
            out.programs.push(Verdict {
                id: program.id,
                status: head.status,
                in_force: program.in_force(self.as_of),
                score: head
                    .score
                    .map(|(total, _)| total.bounds().unwrap_or((Decimal::ZERO, Decimal::ZERO))),
                missing: head.missing,
                program: p,
                gaps: gaps_from..out.gaps.len(),
                amounts: amounts_from..out.amounts.len(),
            });
        }
    }

    /// The program's head, computed once. Other programs are judged on the profile as given, also
    /// while a gap search moves an input.
    fn head(&mut self, p: usize) -> Head {
        if let (stamp, head) = &self.heads[p]
            && *stamp == self.stamp
        {
            return *head;
        }
        let head = self.as_given(|run| run.compute(p));
        self.heads[p] = (self.stamp, head);
        head
    }

    /// `f` on the profile as given: a gap search's moved input set aside meanwhile.
    #[inline(always)]
    fn as_given<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        match self.trial.take() {
            None => f(self),
            trial => {
                let result = f(self);
                self.trial = trial;
                result
            }
        }
    }

    fn compute(&mut self, p: usize) -> Head {
        if let Some(head) = self.code(&HEADS, p) {
            return head(self);
        }
        let program = &self.set.programs[p];
        let score = self.score(p);
        let mut standing = Standing::NONE;
        for (i, c) in program.criteria.iter().enumerate() {
            let code = self.code(&RULES, program.checks_at + i);
            self.criterion_step(p, i, c.gap.is_some(), code, score, &mut standing);
        }
        self.head_of(p, standing, score)
    }

    /// Criterion `i` of program `p` (`code` its rule's), taken into the program's `standing`.
    #[inline(always)]
    fn criterion_step(
        &mut self,
        p: usize,
        i: usize,
        has_gap: bool,
        code: Option<Code>,
        score: Option<(Value, FieldSet)>,
        standing: &mut Standing,
    ) {
        let at = self.set.programs[p].checks_at + i;
        // Failed once, the program is ineligible: the other criteria count for their gaps, and
        // for the trace, which works them out when it asks ([`Run::check`]).
        if standing.failed && !has_gap {
            self.checks[at] = None;
            return;
        }
        let (check, needs) = self.criterion_check_by(p, i, code, score);
        standing.failed |= check == Check::Fail;
        standing.unknown |= check == Check::Unknown;
        standing.missing = standing.missing.union(needs);
        self.checks[at] = Some((check, needs));
    }

    /// Program `p`'s head, from how its criteria stand.
    #[inline(always)]
    fn head_of(&self, p: usize, standing: Standing, score: Option<(Value, FieldSet)>) -> Head {
        let program = &self.set.programs[p];
        let Standing {
            failed,
            unknown,
            missing,
        } = standing;
        let region = self.inputs.profile.region;
        let region_unknown = region.is_none() && program.region != Region::CHINA;
        let region_outside = region.is_some_and(|r| !program.covers(r));
        let status = if failed || region_outside {
            Status::Ineligible
        } else if unknown || region_unknown {
            Status::Undetermined
        } else {
            Status::Eligible
        };
        let missing = match status {
            Status::Undetermined if region_unknown => missing.union(FieldSet::one(REGION)),
            Status::Undetermined => missing,
            _ => FieldSet::EMPTY,
        };
        Head {
            status,
            missing,
            score,
        }
    }

    /// Criterion `i` of program `p`: its check and the inputs it misses.
    fn criterion_check(
        &mut self,
        p: usize,
        i: usize,
        score: Option<(Value, FieldSet)>,
    ) -> (Check, FieldSet) {
        let code = self.code(&RULES, self.set.programs[p].checks_at + i);
        self.criterion_check_by(p, i, code, score)
    }

    /// [`Run::criterion_check`] by the rule's `code`, where there is one.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn criterion_check_by(
        &mut self,
        p: usize,
        i: usize,
        code: Option<Code>,
        score: Option<(Value, FieldSet)>,
    ) -> (Check, FieldSet) {
        let c = &self.set.programs[p].criteria[i];
        let (check, needs) = check_of(self.eval_with(code, &c.rule, score.map(|s| s.0)));
        match score {
            Some((_, score_needs)) if check == Check::Unknown && c.uses_score => {
                (check, needs.union(score_needs))
            }
            _ => (check, needs),
        }
    }

    /// Criterion `i` of program `p` on the profile as given (also while a gap search moves an
    /// input), worked out here where the program's head left it aside.
    fn check(&mut self, p: usize, i: usize) -> (Check, FieldSet) {
        let head = self.head(p);
        let at = self.set.programs[p].checks_at + i;
        if let Some(check) = self.checks[at] {
            return check;
        }
        let check = self.as_given(|run| run.criterion_check(p, i, head.score));
        self.checks[at] = Some(check);
        check
    }

    /// A program's score and the inputs it misses: each part a range, an unknown part counting as
    /// anywhere in 0..its max. The parts are kept for the result unless a gap search is moving an
    /// input.
    fn score(&mut self, p: usize) -> Option<(Value, FieldSet)> {
        let def = self.set.programs[p].score.as_ref()?;
        let at = self.set.programs[p].parts_at;
        let mut sum = ScoreSum::NONE;
        for i in 0..def.parts.len() {
            let code = self.code(&PARTS, at + i);
            self.part_step(p, i, code, &mut sum);
        }
        Some(sum.total())
    }

    /// Part `i` of program `p`'s score (`code` its value's), added into `sum`.
    #[inline(always)]
    fn part_step(&mut self, p: usize, i: usize, code: Option<Code>, sum: &mut ScoreSum) {
        let program = &self.set.programs[p];
        let Some(part) = program.score.as_ref().and_then(|s| s.parts.get(i)) else {
            return;
        };
        let at = program.parts_at + i;
        let (a, b, m) = match self.eval_with(code, &part.value, None) {
            Value::Unknown { missing, .. } => (Decimal::ZERO, part.out_of, missing),
            Value::Undefined => (Decimal::ZERO, Decimal::ZERO, FieldSet::EMPTY),
            v => match v.bounds() {
                Some((a, b)) => (
                    clamp(a, Decimal::ZERO, part.out_of),
                    clamp(b, Decimal::ZERO, part.out_of),
                    FieldSet::EMPTY,
                ),
                None => (Decimal::ZERO, part.out_of, FieldSet::EMPTY),
            },
        };
        sum.lo += a;
        sum.hi += b;
        sum.missing = sum.missing.union(m);
        if self.trial.is_none() {
            self.parts[at] = (a, b, m);
        }
    }

    fn program_result(
        &mut self,
        verdicts: &Verdicts,
        verdict: &Verdict,
        options: &Options,
    ) -> ProgramResult {
        let p = verdict.program;
        let program = &self.set.programs[p];
        let head = self.head(p);
        let score_value = head.score.map(|s| s.0);
        let gaps = verdicts.gaps(verdict);
        let mut criteria = Vec::with_capacity(program.criteria.len());
        for (i, c) in program.criteria.iter().enumerate() {
            let (status, missing) = self.check(p, i);
            criteria.push(CriterionResult {
                id: Cow::Borrowed(c.id),
                status,
                self_declared: c.self_declared,
                label: c.label.clone(),
                detail: if options.details {
                    self.detail(c, status, score_value)
                } else {
                    c.label.clone()
                },
                values: if options.details {
                    self.values(c, score_value)
                } else {
                    BTreeMap::new()
                },
                citation: c.citation.clone(),
                gap: gaps
                    .iter()
                    .find(|g| g.index == i)
                    .map(|g| self.gap_text(g, options.details)),
                missing: paths(missing),
            });
        }
        let benefits = program
            .benefits
            .iter()
            .zip(verdicts.amounts(verdict))
            .map(|(b, amount)| BenefitResult {
                id: Cow::Borrowed(b.id),
                kind: b.kind,
                min_yuan: amount.min_yuan,
                max_yuan: amount.max_yuan,
                basis: amount.basis,
                detail: b.label.clone(),
                formula: b.formula.clone(),
                citation: b.citation.clone(),
                missing: paths(amount.missing),
            })
            .collect();
        let score = program
            .score
            .as_ref()
            .zip(verdict.score)
            .map(|(def, (min, max))| Score {
                min,
                max,
                pass: def.pass,
                parts: def
                    .parts
                    .iter()
                    .zip(&self.parts[program.parts_at..])
                    .map(|(part, &(min, max, missing))| ScorePart {
                        id: Cow::Borrowed(part.id),
                        label: part.label.clone(),
                        min,
                        max,
                        out_of: part.out_of,
                        missing: paths(missing),
                    })
                    .collect(),
            });
        ProgramResult {
            id: Cow::Borrowed(program.id),
            name: program.name.clone(),
            pack: Cow::Borrowed(self.set.packs[program.pack].id),
            region: program.region,
            tier: program.tier,
            in_force: verdict.in_force,
            valid_from: program.valid_from,
            valid_to: program.valid_to,
            status: verdict.status,
            score,
            criteria,
            missing: paths(verdict.missing),
            benefits,
            requires: program
                .requires
                .iter()
                .map(|&r| Cow::Borrowed(self.set.programs[r].id))
                .collect(),
            note: program.note.clone(),
            next_batch: if verdict.in_force {
                next_batch(program, self.as_of)
            } else {
                None
            },
        }
    }

    fn amount(&mut self, b: &crate::pack::Benefit, at: usize) -> Amount {
        let (min, max, basis, missing) = match &b.amount {
            None => (None, None, Basis::NotFixed, FieldSet::EMPTY),
            Some(node) => match self.eval_with(self.code(&AMOUNTS, at), node, None) {
                Value::Num(n) => (Some(n), Some(n), Basis::Fixed, FieldSet::EMPTY),
                Value::Range(lo, hi) => (Some(lo), Some(hi), Basis::Range, FieldSet::EMPTY),
                Value::Unknown { missing, .. } => (None, None, Basis::NeedsInput, missing),
                _ => (None, None, Basis::NeedsInput, FieldSet::EMPTY),
            },
        };
        Amount {
            id: b.id,
            min_yuan: min.map(round_cents),
            max_yuan: max.map(round_cents),
            basis,
            missing,
        }
    }

    fn values(&mut self, c: &Criterion, score: Option<Value>) -> BTreeMap<Str, Seen> {
        // Inserted one by one: collecting would sort, and bring std's sort into the wasm.
        let mut values = BTreeMap::new();
        for (name, node, _) in &c.shown {
            values.insert(
                Cow::Borrowed(*name),
                seen(self.eval_with(None, node, score)),
            );
        }
        values
    }

    fn detail(&mut self, c: &Criterion, status: Check, score: Option<Value>) -> Text {
        let mut render = |lang: Lang| -> String {
            // Room for a typical detail: one allocation, not a growth series.
            let mut out = String::with_capacity(256);
            match &c.detail {
                Some(template) => {
                    for segment in &template[lang as usize] {
                        match segment {
                            Segment::Lit(s) => out.push_str(s),
                            Segment::Value(node, fmt, kind) => {
                                let value = self.eval_with(None, node, score);
                                show_into(&mut out, value, *fmt, *kind, lang);
                            }
                        }
                    }
                }
                None => {
                    out.push_str(c.label.get(lang));
                    let mut first = true;
                    for (name, node, kind) in &c.shown {
                        let value = self.eval_with(None, node, score);
                        out.push_str(if first {
                            if lang == Lang::Zh { "：" } else { ": " }
                        } else if lang == Lang::Zh {
                            "；"
                        } else {
                            "; "
                        });
                        first = false;
                        let label = match node {
                            Node::Field(id) => match lang {
                                Lang::Zh => FIELDS[*id as usize].label_zh,
                                Lang::En => FIELDS[*id as usize].label_en,
                            },
                            _ => name,
                        };
                        out.push_str(label);
                        out.push(' ');
                        show_into(&mut out, value, Fmt::Plain, *kind, lang);
                    }
                }
            }
            let verdict = match (status, lang) {
                (Check::Pass, Lang::Zh) => "（符合）",
                (Check::Fail, Lang::Zh) => "（不符合）",
                (Check::Unknown, Lang::Zh) => "（待确认）",
                (Check::Pass, Lang::En) => " (met)",
                (Check::Fail, Lang::En) => " (not met)",
                (Check::Unknown, Lang::En) => " (to be confirmed)",
            };
            out.push_str(verdict);
            out
        };
        let zh = render(Lang::Zh);
        let en = render(Lang::En);
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The smallest change of the lever's input that passes the criterion, checked by evaluation.
    fn gap(
        &mut self,
        p: usize,
        index: usize,
        lever: Lever,
        score: Option<Value>,
    ) -> Option<Decimal> {
        let (scale, base, limit) = match lever.target {
            LeverTarget::AsOf => (0, Decimal::ZERO, 36_600),
            LeverTarget::Field(id) => {
                let Value::Num(base) = self.read(id) else {
                    return None;
                };
                // Steps of a fen, a basis point or one; `per_unit` steps make a whole one.
                let (scale, per_unit, max) = match FIELDS[id as usize].kind {
                    Kind::Money => (2, 100, crate::money::MAX_AMOUNT),
                    Kind::Share => (4, 10_000, Decimal::ONE),
                    _ => (0, 1, Decimal::from(crate::profile::MAX_COUNT)),
                };
                let room = if lever.raise { max - base } else { base };
                (
                    scale,
                    base,
                    whole((room * Decimal::from(per_unit)).floor())?,
                )
            }
        };
        if limit == 0 {
            return None;
        }
        let steps = match self.direct_steps(p, index, lever, base, scale) {
            Some(steps) => steps?,
            None => self.search(p, index, Trial { lever, scale, base }, limit, score)?,
        };
        if steps > limit {
            return None;
        }
        let change = Decimal::from_i128_with_scale(i128::from(steps), scale).normalize();
        Some(if lever.raise { change } else { -change })
    }

    /// Finds the least number of steps that passes: a linear solve first (most rules are linear
    /// in one input), confirmed by evaluation; doubling and bisection where that fails.
    fn search(
        &mut self,
        p: usize,
        index: usize,
        trial: Trial,
        limit: u64,
        score: Option<Value>,
    ) -> Option<u64> {
        let program = &self.set.programs[p];
        let c = &program.criteria[index];
        let code = self.code(&RULES, program.checks_at + index);
        let passes = |run: &mut Self, steps: u64| -> bool {
            run.with_trial(trial, steps, |run| {
                // A score criterion is re-scored with the changed input.
                let score = if c.uses_score {
                    run.score(p).map(|s| s.0)
                } else {
                    score
                };
                check_of(run.eval_with(code, &c.rule, score)).0 == Check::Pass
            })
        };
        // Each comparison in the rule turns at one step count; the rule, monotone in the lever,
        // turns at one of them. Tried lowest first.
        let mut turns = std::mem::take(&mut self.turns);
        turns.clear();
        self.turning_points(&c.rule, trial, limit, score, &mut turns);
        let found = 'turns: {
            // The step count last seen failing: the one below a passing candidate usually is.
            let mut failed = None;
            for &turn in &turns {
                // The solve is exact up to the last digit of a 28-digit quotient: the step may be
                // one off either way.
                for candidate in [turn - 1, turn, turn.saturating_add(1)] {
                    if candidate < 1 || candidate > limit {
                        continue;
                    }
                    if !passes(self, candidate) {
                        failed = Some(candidate);
                        continue;
                    }
                    let below = candidate - 1;
                    if candidate == 1 || failed == Some(below) || !passes(self, below) {
                        break 'turns Some(candidate);
                    }
                    break 'turns None;
                }
            }
            None
        };
        self.turns = turns;
        if found.is_some() {
            return found;
        }
        let mut hi = 1;
        while !passes(self, hi) {
            if hi >= limit {
                return None;
            }
            hi = hi.saturating_mul(2).min(limit);
        }
        let mut lo = 0; // fails (the criterion failed as given)
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if passes(self, mid) {
                hi = mid
            } else {
                lo = mid
            }
        }
        Some(hi)
    }

    /// The step counts where the comparisons under `node`'s and/or/not turn, in ascending order,
    /// for those linear in the lever.
    fn turning_points(
        &mut self,
        node: &Node,
        trial: Trial,
        limit: u64,
        score: Option<Value>,
        turns: &mut Vec<u64>,
    ) {
        match node {
            Node::And(a, b) | Node::Or(a, b) => {
                self.turning_points(a, trial, limit, score, turns);
                self.turning_points(b, trial, limit, score, turns);
            }
            Node::Not(a) => self.turning_points(a, trial, limit, score, turns),
            Node::Bin(op, lhs, rhs) if op.is_comparison() => {
                if let Some(turn) = self.linear_root(lhs, rhs, trial, limit, score) {
                    crate::insert_ordered(turns, turn, |a, b| a < b);
                }
            }
            _ => {}
        }
    }

    /// For `lhs - rhs` linear in the lever, the step count where it reaches zero.
    fn linear_root(
        &mut self,
        lhs: &Node,
        rhs: &Node,
        trial: Trial,
        limit: u64,
        score: Option<Value>,
    ) -> Option<u64> {
        let probe = limit.min(1_000_000);
        let diff = |run: &mut Self| -> Option<Decimal> {
            match (
                run.eval_with(None, lhs, score),
                run.eval_with(None, rhs, score),
            ) {
                (Value::Num(l), Value::Num(r)) => l.checked_sub(r),
                _ => None,
            }
        };
        // At no step the inputs are as given: evaluated without a trial, defines come from the memo.
        let d0 = diff(self)?;
        let d1 = self.with_trial(trial, probe, diff)?;
        // d0 + slope × steps = 0 with slope = (d1 − d0) / probe, in one division.
        let rise = d1.checked_sub(d0)?;
        if rise.is_zero() {
            return None;
        }
        let root = decimal::div((-d0).checked_mul(Decimal::from(probe))?, rise)?;
        // A root past u64 is past every limit: no turn to try.
        whole(root.ceil())
            .map(|steps| steps.max(1))
            .or((root < Decimal::ONE).then_some(1))
    }

    /// Evaluates `f` with the lever's input moved `steps` steps; the change ends with `f`.
    fn with_trial<R>(&mut self, trial: Trial, steps: u64, f: impl FnOnce(&mut Self) -> R) -> R {
        let moved = Decimal::from_i128_with_scale(i128::from(steps), trial.scale);
        let value = if trial.lever.raise {
            trial.base + moved
        } else {
            trial.base - moved
        };
        self.trial = Some((trial.lever.target, Value::Num(value)));
        let result = f(self);
        self.trial = None;
        result
    }

    fn gap_text(&self, found: &GapFound, worded: bool) -> Gap {
        let by = found.by;
        if !worded {
            let empty = Text {
                zh: Cow::Borrowed(""),
                en: Cow::Borrowed(""),
            };
            return Gap {
                field: Cow::Borrowed(found.field),
                by,
                unit: found.unit,
                detail: empty,
            };
        }
        match found.lever.target {
            LeverTarget::AsOf => {
                let days = by.trunc().mantissa() as i64;
                let on = date::add_days(self.as_of, days)
                    .map_or_else(String::new, |d| date::show(d).to_string());
                Gap {
                    field: Cow::Borrowed("as_of"),
                    by,
                    unit: Unit::Days,
                    detail: Text {
                        zh: format!("再过 {days} 天（{on} 起）满足").into(),
                        en: format!("met after {days} more days (from {on})").into(),
                    },
                }
            }
            LeverTarget::Field(id) => {
                let f = &FIELDS[id as usize];
                let amount = by.abs();
                let (zh_verb, en_verb) = if by.is_sign_positive() {
                    ("增加", "raise")
                } else {
                    ("减少", "lower")
                };
                Gap {
                    field: Cow::Borrowed(f.path),
                    by,
                    unit: f.kind.unit(),
                    detail: Text {
                        zh: format!(
                            "{}需{zh_verb} {}",
                            f.label_zh,
                            show(Value::Num(amount), Fmt::Plain, Some(f.kind), Lang::Zh)
                        )
                        .into(),
                        en: format!(
                            "{en_verb} {} by {}",
                            lower_first(f.label_en),
                            show(Value::Num(amount), Fmt::Plain, Some(f.kind), Lang::En)
                        )
                        .into(),
                    },
                }
            }
        }
    }

    fn read(&self, id: FieldId) -> Value {
        self.read_inline(id)
    }

    /// [`Run::read`] inlined: where `id` is a constant (generated code), the field's reader is
    /// called directly.
    #[inline(always)]
    fn read_inline(&self, id: FieldId) -> Value {
        if let Some((LeverTarget::Field(target), value)) = self.trial
            && target == id
        {
            return value;
        }
        (FIELDS[id as usize].read)(&self.inputs)
            .unwrap_or_else(|| Value::missing(FieldSet::one(id)))
    }

    /// `node` (by its generated `code` where there is one) with the program's score as `score`
    /// reads it.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn eval_with(&mut self, code: Option<Code>, node: &Node, score: Option<Value>) -> Value {
        let eval = |run: &mut Self| match code {
            Some(f) => f(run),
            None => run.eval(node),
        };
        // Most evaluations have no score either side: no value to swap in and out.
        if score.is_none() && self.score.is_none() {
            return eval(self);
        }
        let outer = std::mem::replace(&mut self.score, score);
        let value = eval(self);
        self.score = outer;
        value
    }

    /// The generated code at `at` of `table`, where this set's packs are the built-in ones.
    #[inline(always)]
    fn code<F: Copy>(&self, table: &[Option<F>], at: usize) -> Option<F> {
        if cfg!(target_arch = "wasm32") || !self.set.compiled {
            return None;
        }
        table.get(at).copied().flatten()
    }

    /// A node's value, leaves read in place: about half the nodes of a rule are constants,
    /// fields and already computed defines, and a call per leaf was most of the evaluator's cost.
    #[inline(always)]
    fn operand(&mut self, node: &Node) -> Value {
        match node {
            Node::Const(v) => *v,
            Node::Field(id) => self.read(*id),
            Node::Define(d) => self.define(*d),
            _ => self.eval(node),
        }
    }

    fn eval(&mut self, node: &Node) -> Value {
        match node {
            Node::Const(v) => *v,
            Node::Field(id) => self.read(*id),
            Node::Sum3(ids) => self.sum3(ids),
            Node::Score => self.score.unwrap_or(Value::Undefined),
            Node::Define(d) => self.define(*d),
            Node::Not(a) => match self.operand(a) {
                Value::Bool(b) => Value::Bool(!b),
                other => other,
            },
            Node::Bin(op, a, b) => {
                let (a, b) = (self.operand(a), self.operand(b));
                if op.is_comparison() {
                    compare(*op, a, b)
                } else {
                    arith(*op, a, b)
                }
            }
            Node::And(a, b) => {
                let a = self.operand(a);
                if matches!(a, Value::Bool(false)) {
                    return a;
                }
                kleene(a, self.operand(b), false)
            }
            Node::Or(a, b) => {
                let a = self.operand(a);
                if matches!(a, Value::Bool(true)) {
                    return a;
                }
                kleene(a, self.operand(b), true)
            }
            Node::If(n) => match self.operand(&n[0]) {
                Value::Bool(true) => self.operand(&n[1]),
                Value::Bool(false) => self.operand(&n[2]),
                Value::Unknown { missing, judged } => {
                    // Both branches alike: the condition does not matter.
                    let (a, b) = (self.operand(&n[1]), self.operand(&n[2]));
                    if a == b && !matches!(a, Value::Unknown { .. }) {
                        a
                    } else {
                        Value::Unknown { missing, judged }
                    }
                }
                _ => Value::Undefined,
            },
            _ => self.eval_rare(node),
        }
    }

    /// A three-year sum: of the years entered within the last three.
    #[inline]
    fn sum3(&self, ids: &[FieldId; 3]) -> Value {
        if self.inputs.entered == 0 {
            return Value::missing(FieldSet::one(ids[0]));
        }
        // The latest year always counts (`within_three` ≥ 1 once a year is entered); the sum
        // starts from it rather than from a zero that costs an addition.
        let mut sum = self.read(ids[0]);
        for &id in &ids[1..self.inputs.within_three.max(1)] {
            sum = arith(BinOp::Add, sum, self.read(id));
        }
        sum
    }

    /// A define's value, computed once per profile (while a gap search moves an input, afresh).
    #[inline(always)]
    fn define(&mut self, d: usize) -> Value {
        if let Some(v) = self.memo(d) {
            return v;
        }
        self.compute_define(d)
    }

    /// Define `d`'s value as this profile's memo holds it: none yet, or none while a gap search
    /// moves an input. The stamp is read before the value is copied out.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn memo(&self, d: usize) -> Option<Value> {
        let (stamp, value) = &self.defines[d];
        (self.trial.is_none() && *stamp == self.stamp).then_some(*value)
    }

    fn compute_define(&mut self, d: usize) -> Value {
        self.compute_define_by(d, self.code(&DEFINES, d))
    }

    /// [`Run::define`] from generated code, which names the define's code itself.
    #[cfg(not(any(target_arch = "wasm32", huiqi_interpret)))]
    #[inline(always)]
    fn define_by(&mut self, d: usize, code: Code) -> Value {
        if let Some(v) = self.memo(d) {
            return v;
        }
        self.compute_define_by(d, Some(code))
    }

    #[inline(always)]
    fn compute_define_by(&mut self, d: usize, code: Option<Code>) -> Value {
        let v = self.eval_with(code, &self.set.defines[d].body, None);
        if self.trial.is_none() {
            self.defines[d] = (self.stamp, v);
        }
        v
    }

    /// The less common nodes, apart so that `eval`'s frame stays small: it runs hundreds of
    /// times per profile.
    #[inline(never)]
    fn eval_rare(&mut self, node: &Node) -> Value {
        match node {
            Node::Years => Value::Num(Decimal::from(self.inputs.entered)),
            Node::Years3 => Value::Num(Decimal::from(self.inputs.within_three)),
            Node::AsOf => Value::Date(self.today()),
            Node::Neg(a) => arith(BinOp::Sub, Value::Num(Decimal::ZERO), self.operand(a)),
            Node::Min(args) | Node::Max(args) => {
                let is_min = matches!(node, Node::Min(_));
                let mut acc: Option<Value> = None;
                for a in args {
                    let v = self.operand(a);
                    acc = Some(match acc {
                        None => v,
                        Some(prev) => extreme(prev, v, is_min),
                    });
                }
                acc.unwrap_or(Value::Undefined)
            }
            Node::Range(n) => range_of(self.operand(&n[0]), self.operand(&n[1])),
            Node::Band(t, x) => {
                let x = self.operand(x);
                self.band(*t, x)
            }
            Node::Param(p, date) => {
                let date = self.operand(date);
                self.param(*p, date)
            }
            Node::YearEnd(y) => year_end(self.operand(y)),
            Node::DaysSince(d) => {
                let d = self.operand(d);
                self.days_since(d)
            }
            Node::Eligible(p) => self.eligible(*p),
            Node::Passes(p, c) => self.passes(*p, *c),
            Node::InRegion(codes) => self.in_region(codes),
            Node::Growth(n) => growth_of([
                self.operand(&n[0]),
                self.operand(&n[1]),
                self.operand(&n[2]),
            ]),
            Node::Default(n) => match self.operand(&n[0]) {
                Value::Unknown { judged: false, .. } => self.operand(&n[1]),
                v => v,
            },
            Node::Const(_)
            | Node::Field(_)
            | Node::Sum3(_)
            | Node::Score
            | Node::Define(_)
            | Node::Not(_)
            | Node::Bin(..)
            | Node::And(..)
            | Node::Or(..)
            | Node::If(_) => self.eval(node),
        }
    }

    /// `band(x, table)`: the first row whose threshold `x` meets; for a range, the range of the
    /// rows its ends meet.
    fn band(&self, t: usize, x: Value) -> Value {
        let table = &self.set.tables[t];
        let look = |x: Decimal| {
            // `x` aligned with the thresholds once, each row then one integer compare.
            let x_at_28 = expr::at_scale_28(x);
            table
                .rows
                .iter()
                .zip(&table.thresholds_at_28)
                .find(|((strict, threshold, _), threshold_at_28)| {
                    let o = match (x_at_28, threshold_at_28) {
                        (Some(x), Some(threshold)) => x.cmp(threshold),
                        _ => order(x, *threshold),
                    };
                    if *strict { o.is_gt() } else { o.is_ge() }
                })
                .map_or(table.otherwise, |row| row.0.2)
        };
        match x {
            Value::Num(x) => look(x),
            Value::Range(lo, hi) => {
                let (a, b) = (look(lo).bounds(), look(hi).bounds());
                match (a, b) {
                    (Some(a), Some(b)) => Value::from_bounds(smaller(a.0, b.0), larger(a.1, b.1)),
                    _ => Value::Undefined,
                }
            }
            Value::Undefined => table.otherwise,
            other => other,
        }
    }

    /// Parameter `p`'s value on `date`.
    fn param(&self, p: usize, date: Value) -> Value {
        match date {
            Value::Date(d) => Value::Num(
                self.set.params[p]
                    .windows
                    .iter()
                    .find(|(from, to, _)| *from <= d && to.is_none_or(|to| d <= to))
                    .map_or(Decimal::ZERO, |w| w.2),
            ),
            other => other,
        }
    }

    fn days_since(&self, d: Value) -> Value {
        match d {
            Value::Date(d) => Value::Num(Decimal::from(date::days_between(d, self.today()))),
            other => other,
        }
    }

    /// Whether program `p` is eligible, as a value.
    fn eligible(&mut self, p: usize) -> Value {
        let head = self.head(p);
        match head.status {
            Status::Eligible => Value::Bool(true),
            Status::Ineligible => Value::Bool(false),
            Status::Undetermined => Value::missing(head.missing),
        }
    }

    /// Whether criterion `c` of program `p` passes, as a value.
    fn passes(&mut self, p: usize, c: usize) -> Value {
        let (check, missing) = self.check(p, c);
        match check {
            Check::Pass => Value::Bool(true),
            Check::Fail => Value::Bool(false),
            Check::Unknown => Value::Unknown {
                missing,
                judged: missing.is_empty(),
            },
        }
    }

    fn in_region(&self, codes: &[Region]) -> Value {
        match self.inputs.profile.region {
            Some(r) => Value::Bool(codes.iter().any(|&area| r.is_within(area))),
            None => Value::missing(FieldSet::one(REGION)),
        }
    }

    fn today(&self) -> Date {
        match self.trial {
            Some((LeverTarget::AsOf, Value::Num(days))) => {
                let days = days.trunc().mantissa() as i64;
                date::add_days(self.as_of, days).unwrap_or(self.as_of)
            }
            _ => self.as_of,
        }
    }
}

/// Gaps solved directly (native builds; the npm wasm, where size counts more, searches them all):
/// where a rule moves linearly with the lever's input, the least change is worked out exactly
/// rather than searched for with five evaluations. A proptest holds the two equal.
#[cfg(not(target_arch = "wasm32"))]
impl<'a> Run<'a> {
    /// The least number of steps that passes, solved exactly (`Some(None)`: none does), or
    /// `None` where the rule is not of a shape [`Run::passes_from`] reads.
    fn direct_steps(
        &mut self,
        p: usize,
        index: usize,
        lever: Lever,
        base: Decimal,
        scale: u32,
    ) -> Option<Option<u64>> {
        let LeverTarget::Field(id) = lever.target else {
            return None;
        };
        let program = &self.set.programs[p];
        let from = match self.code(&GAPS, program.checks_at + index) {
            Some(code) => code(self, base, scale)?,
            None => {
                let rule = &program.criteria[index].rule;
                self.passes_from(rule, id, lever.raise, base, scale)?
            }
        };
        Some(from.and_then(|steps| u64::try_from(steps).ok()))
    }

    /// The step count from which on `node` passes (`Some(None)`: at none ahead), or `None`
    /// where it is not of a shape solved here: a comparison [`compared`] reads, or an `and`/`or`
    /// of such comparisons and of parts that do not move (`rd_share >= 5% or (not
    /// software_enterprise and rd_share >= 3%)`). Generated code (`compiled.rs`) takes the same
    /// steps with the shapes read beforehand.
    fn passes_from(
        &mut self,
        node: &Node,
        id: FieldId,
        raise: bool,
        base: Decimal,
        scale: u32,
    ) -> Option<Option<i128>> {
        let (Node::And(a, b) | Node::Or(a, b)) = node else {
            let shape = compared(self.set, node, id)?;
            let still = self.operand(shape.still);
            let rest = match shape.rest {
                Some(sum) => self.rest_of_sum(sum, id, base),
                None => Some(Decimal::ZERO),
            };
            let over = shape.over.map(|over| self.operand(over));
            return solve_compared(shape.op, still, rest, over, raise, base, scale);
        };
        let part = |run: &mut Self, node: &Node| {
            if reads(run.set, node, id) {
                run.passes_from(node, id, raise, base, scale)
            } else {
                still_part(run.operand(node))
            }
        };
        let (a, b) = (part(self, a)?, part(self, b)?);
        Some(joined(matches!(node, Node::And(..)), a, b))
    }

    /// For a three-year sum that counts input `id` (as `eval` counts the years), the rest of its
    /// value: what the input's moves leave as it is.
    #[inline(always)]
    fn rest_of_sum(&mut self, sum: &[FieldId; 3], id: FieldId, base: Decimal) -> Option<Decimal> {
        if !sum[..self.inputs.within_three.max(1)].contains(&id) {
            return None;
        }
        match self.sum3(sum) {
            Value::Num(sum) => checked(BinOp::Sub, sum, base),
            _ => None,
        }
    }
}

/// A comparison as [`solve_compared`] solves it: `moving op still`, where `moving` is the input,
/// plus `rest` (a three-year sum's other years), over `over` for a ratio.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) struct Compared<'n> {
    pub op: BinOp,
    pub rest: Option<&'n [FieldId; 3]>,
    pub over: Option<&'n Node>,
    pub still: &'n Node,
}

/// `rule` as `input op bound`, where one side moves with input `id` as the input itself, a
/// three-year sum of it, or one of those over a value that does not move, and the other side does
/// not move: `last.sales_revenue >= 5000万`, `high_tech_share >= 60%`, `rd_ratio_3y >=
/// rd_threshold`; all but one in twenty of a registry's gaps. [`solve`] then finds the step count
/// exactly, where the search takes five evaluations. Read from the rule alone, once per rule by
/// the code generator.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn compared<'n>(set: &'n PackSet, rule: &'n Node, id: FieldId) -> Option<Compared<'n>> {
    let Node::Bin(op, lhs, rhs) = rule else {
        return None;
    };
    // An ordering (`flipped` is one exactly for them), as `moving op still`.
    op.flipped()?;
    let (moving, op, still) = match (reads(set, lhs, id), reads(set, rhs, id)) {
        (true, false) => (&**lhs, *op, &**rhs),
        (false, true) => (&**rhs, op.flipped()?, &**lhs),
        _ => return None,
    };
    // The input itself, or a sum of years that can count it.
    let sum_of = |node: &'n Node| -> Option<Option<&'n [FieldId; 3]>> {
        match resolved(set, node)? {
            Node::Field(f) if *f == id => Some(None),
            Node::Sum3(ids) if ids.contains(&id) => Some(Some(ids)),
            _ => None,
        }
    };
    if let Some(rest) = sum_of(moving) {
        return Some(Compared {
            op,
            rest,
            over: None,
            still,
        });
    }
    let Node::Bin(BinOp::Div, sum, over) = resolved(set, moving)? else {
        return None;
    };
    let rest = sum_of(sum)?;
    if reads(set, over, id) {
        return None;
    }
    Some(Compared {
        op,
        rest,
        over: Some(over),
        still,
    })
}

/// The step count from which a [`Compared`] comparison passes, from the values of its parts as
/// given: `still`, the sum's `rest` and the ratio's `over`.
///
/// A ratio `(input + rest) / x op c` is `input op c·x − rest` for `x > 0`. The quotient is
/// rounded at its 28th place (it is below 7.9 near `c < 7`), and where it is not `c` it lies at
/// least `10^-places / x` from it, `places` counting those of `c`, `x` and the sum: with at most
/// 10 of them and `x < 10^16`, at least `10^-26` away, so the rounding never turns a comparison.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn solve_compared(
    op: BinOp,
    still: Value,
    rest: Option<Decimal>,
    over: Option<Value>,
    raise: bool,
    base: Decimal,
    scale: u32,
) -> Option<Option<i128>> {
    let Value::Num(c) = still else {
        return None;
    };
    let rest = rest?;
    let bound = match over {
        None => checked(BinOp::Sub, c, rest)?,
        Some(over) => {
            let Value::Num(x) = over else {
                return None;
            };
            let places = c.scale() + x.scale() + base.scale().max(scale).max(rest.scale());
            let exact = x.is_sign_positive()
                && !x.is_zero()
                && order(x, Decimal::from(10_000_000_000_000_000u64)).is_lt()
                && order(c, Decimal::from(7)).is_lt()
                && places <= 10;
            if !exact {
                return None;
            }
            checked(BinOp::Sub, checked(BinOp::Mul, c, x)?, rest)?
        }
    };
    solve(op, bound, raise, base, scale)
}

/// A part of an `and`/`or` that does not move: it passes at every step or at none.
#[cfg(not(target_arch = "wasm32"))]
fn still_part(value: Value) -> Option<Option<i128>> {
    match value {
        Value::Bool(true) => Some(Some(i128::MIN)),
        Value::Bool(false) => Some(None),
        _ => None,
    }
}

/// Where an `and` (or an `or`) of two parts passes from: the later (earlier) of the two.
#[cfg(not(target_arch = "wasm32"))]
fn joined(and: bool, a: Option<i128>, b: Option<i128>) -> Option<i128> {
    match (and, a, b) {
        (true, Some(a), Some(b)) => Some(a.max(b)),
        (true, _, _) => None,
        (false, Some(a), Some(b)) => Some(a.min(b)),
        (false, a, b) => a.or(b),
    }
}

/// Whether `node`'s value can change with input `id`: the program's score and unknown defines
/// count as changing. Other programs are judged on the profile as given.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn reads(set: &PackSet, node: &Node, id: FieldId) -> bool {
    let mut moves = false;
    crate::pack::walk(node, &mut |n| match n {
        Node::Field(f) => moves |= *f == id,
        Node::Sum3(ids) => moves |= ids.contains(&id),
        Node::Score => moves = true,
        Node::Define(d) => moves |= set.defines.get(*d).is_none_or(|d| d.inputs.contains(id)),
        _ => {}
    });
    moves
}

/// `node`, or the body of the define it names (followed a few steps).
#[cfg(not(target_arch = "wasm32"))]
fn resolved<'n>(set: &'n PackSet, mut node: &'n Node) -> Option<&'n Node> {
    for _ in 0..8 {
        match node {
            Node::Define(d) => node = &set.defines.get(*d)?.body,
            other => return Some(other),
        }
    }
    None
}

#[cfg(target_arch = "wasm32")]
impl Run<'_> {
    /// Every gap is searched in the npm wasm (see the native `direct_steps`).
    fn direct_steps(
        &mut self,
        _: usize,
        _: usize,
        _: Lever,
        _: Decimal,
        _: u32,
    ) -> Option<Option<u64>> {
        None
    }
}

/// Where `moving op bound` passes as the lever moves `moving` (the input, plus what does not
/// move) by steps of `10^-scale`: from a step count on, at no step ahead (`Some(None)`: it moves
/// away from the bound, failing), or, passing now but not for good, `None` (left to the search).
#[cfg(not(target_arch = "wasm32"))]
fn solve(
    op: BinOp,
    bound: Decimal,
    raise: bool,
    base: Decimal,
    scale: u32,
) -> Option<Option<i128>> {
    // How far the bound lies the lever's way, in steps.
    let ahead = if raise {
        checked(BinOp::Sub, bound, base)?
    } else {
        checked(BinOp::Sub, base, bound)?
    };
    let steps = checked(BinOp::Mul, ahead, Decimal::from(10u64.checked_pow(scale)?))?;
    match (op, raise) {
        // Reaching the bound passes.
        (BinOp::Ge, true) | (BinOp::Le, false) => Some(Some(integral(steps.ceil()))),
        // Passing it needs a step beyond.
        (BinOp::Gt, true) | (BinOp::Lt, false) => Some(integral(steps.floor()).checked_add(1)),
        // Moving away from the bound: failing now, it never passes.
        (BinOp::Le, true) | (BinOp::Ge, false) => (integral(steps.floor()) < 0).then_some(None),
        (BinOp::Lt, true) | (BinOp::Gt, false) => (integral(steps.ceil()) <= 0).then_some(None),
        _ => None,
    }
}

/// A whole, non-negative decimal as a step count; `None` past `u64`.
fn whole(d: Decimal) -> Option<u64> {
    u64::try_from(integral(d)).ok()
}

/// A whole decimal's value as an integer.
fn integral(mut d: Decimal) -> i128 {
    d.rescale(0);
    d.mantissa()
}

fn check_of(value: Value) -> (Check, FieldSet) {
    match value {
        Value::Bool(true) => (Check::Pass, FieldSet::EMPTY),
        Value::Unknown { missing, .. } => (Check::Unknown, missing),
        _ => (Check::Fail, FieldSet::EMPTY),
    }
}

fn paths(set: FieldSet) -> Vec<Str> {
    set.iter()
        .map(|id| Cow::Borrowed(FIELDS[id as usize].path))
        .collect()
}

/// An undefined or unknown operand decides the result of arithmetic on it.
fn poison(a: Value, b: Value) -> Option<Value> {
    match (a, b) {
        (Value::Undefined, _) | (_, Value::Undefined) => Some(Value::Undefined),
        (
            Value::Unknown {
                missing: m1,
                judged: j1,
            },
            Value::Unknown {
                missing: m2,
                judged: j2,
            },
        ) => Some(Value::Unknown {
            missing: m1.union(m2),
            judged: j1 || j2,
        }),
        (u @ Value::Unknown { .. }, _) | (_, u @ Value::Unknown { .. }) => Some(u),
        _ => None,
    }
}

/// Checked interval arithmetic: a number is a range of one point.
#[inline]
fn arith(op: BinOp, a: Value, b: Value) -> Value {
    // Exact numbers are the common case: one checked operation, no interval bookkeeping.
    if let (Value::Num(x), Value::Num(y)) = (a, b) {
        return checked(op, x, y).map_or(Value::Undefined, Value::Num);
    }
    arith_other(op, a, b)
}

/// [`arith`] of anything but two numbers.
#[inline(never)]
fn arith_other(op: BinOp, a: Value, b: Value) -> Value {
    if let Some(v) = poison(a, b) {
        return v;
    }
    let (Some((a1, a2)), Some((b1, b2))) = (a.bounds(), b.bounds()) else {
        return Value::Undefined;
    };
    let result = match op {
        BinOp::Add => checked(op, a1, b1).zip(checked(op, a2, b2)),
        BinOp::Sub => checked(op, a1, b2).zip(checked(op, a2, b1)),
        BinOp::Div if b1 <= Decimal::ZERO && b2 >= Decimal::ZERO => None,
        BinOp::Mul | BinOp::Div => corners([
            checked(op, a1, b1),
            checked(op, a1, b2),
            checked(op, a2, b1),
            checked(op, a2, b2),
        ]),
        _ => None,
    };
    result.map_or(Value::Undefined, |(lo, hi)| Value::from_bounds(lo, hi))
}

/// `x op y`, `None` on overflow or a zero divisor. Not inlined: each of rust_decimal's checked
/// operations is large, and inlined at every use they took 20 KB of the npm package's wasm.
#[inline(never)]
fn checked(op: BinOp, x: Decimal, y: Decimal) -> Option<Decimal> {
    match op {
        BinOp::Add => x.checked_add(y),
        BinOp::Sub => x.checked_sub(y),
        BinOp::Mul => x.checked_mul(y),
        BinOp::Div if y.is_zero() => None,
        BinOp::Div => decimal::div(x, y),
        _ => None,
    }
}

/// `range(a, b)`: the values between `a` and `b`, either way round.
pub(crate) fn range(a: Decimal, b: Decimal) -> Value {
    Value::from_bounds(smaller(a, b), larger(a, b))
}

/// `x.min(y)` by [`order`] (the first on a tie, as `Ord::min`).
fn smaller(x: Decimal, y: Decimal) -> Decimal {
    if order(x, y).is_le() { x } else { y }
}

/// `x.max(y)` by [`order`] (the second on a tie, as `Ord::max`).
fn larger(x: Decimal, y: Decimal) -> Decimal {
    if order(x, y).is_gt() { x } else { y }
}

/// `x.clamp(lo, hi)` by [`order`].
fn clamp(x: Decimal, lo: Decimal, hi: Decimal) -> Decimal {
    if order(x, lo).is_lt() {
        lo
    } else if order(x, hi).is_gt() {
        hi
    } else {
        x
    }
}

fn corners(products: [Option<Decimal>; 4]) -> Option<(Decimal, Decimal)> {
    let [a, b, c, d] = products;
    let (a, b, c, d) = (a?, b?, c?, d?);
    Some((
        smaller(smaller(smaller(a, b), c), d),
        larger(larger(larger(a, b), c), d),
    ))
}

fn compare(op: BinOp, a: Value, b: Value) -> Value {
    compare_inline(op, a, b)
}

/// [`compare`] inlined: in generated code, where the operator and often one side are constants.
#[inline(always)]
fn compare_inline(op: BinOp, a: Value, b: Value) -> Value {
    if let (Value::Num(x), Value::Num(y)) = (a, b) {
        let o = order(x, y);
        return Value::Bool(match op {
            BinOp::Ge => o.is_ge(),
            BinOp::Gt => o.is_gt(),
            BinOp::Le => o.is_le(),
            BinOp::Lt => o.is_lt(),
            BinOp::Eq => o.is_eq(),
            _ => o.is_ne(),
        });
    }
    compare_other(op, a, b)
}

/// [`compare`] of anything but two numbers: apart, so that the common case stays small where it
/// is inlined into the evaluator.
#[inline(never)]
fn compare_other(op: BinOp, a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Undefined, _) | (_, Value::Undefined) => return Value::Bool(false),
        _ => {}
    }
    if let Some(v) = poison(a, b) {
        return v;
    }
    if let (Some((a1, a2)), Some((b1, b2))) = (a.bounds(), b.bounds()) {
        // True when every possible pair satisfies it, false when none does, else judged.
        let (lo_hi, hi_lo) = (order(a1, b2), order(a2, b1));
        let point = order(a1, a2).is_eq() && order(b1, b2).is_eq() && order(a1, b1).is_eq();
        let apart = hi_lo.is_lt() || order(b2, a1).is_lt();
        let (all, none) = match op {
            BinOp::Ge => (lo_hi.is_ge(), hi_lo.is_lt()),
            BinOp::Gt => (lo_hi.is_gt(), hi_lo.is_le()),
            BinOp::Le => (hi_lo.is_le(), lo_hi.is_gt()),
            BinOp::Lt => (hi_lo.is_lt(), lo_hi.is_ge()),
            BinOp::Eq => (point, apart),
            BinOp::Ne => (apart, point),
            _ => (false, true),
        };
        return if all {
            Value::Bool(true)
        } else if none {
            Value::Bool(false)
        } else {
            Value::Unknown {
                missing: FieldSet::EMPTY,
                judged: true,
            }
        };
    }
    let ordering = match (a, b) {
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(&y)),
        _ => None,
    };
    let equal = match (a, b) {
        (Value::Word(x), Value::Word(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Nothing, Value::Nothing) => true,
        (Value::Date(x), Value::Date(y)) => x == y,
        _ => false,
    };
    Value::Bool(match (op, ordering) {
        (BinOp::Eq, _) => equal,
        (BinOp::Ne, _) => !equal,
        (BinOp::Lt, Some(o)) => o.is_lt(),
        (BinOp::Le, Some(o)) => o.is_le(),
        (BinOp::Gt, Some(o)) => o.is_gt(),
        (BinOp::Ge, Some(o)) => o.is_ge(),
        _ => false,
    })
}

/// Kleene `and` (`or_ = false`) / `or` (`or_ = true`) of two values.
fn kleene(a: Value, b: Value, or_: bool) -> Value {
    let decisive = Value::Bool(or_);
    if matches!(a, Value::Bool(x) if x == or_) || matches!(b, Value::Bool(x) if x == or_) {
        return decisive;
    }
    match (a, b) {
        (Value::Bool(_), Value::Bool(_)) => Value::Bool(!or_),
        (Value::Undefined, x) | (x, Value::Undefined) => match x {
            Value::Unknown { .. } => x,
            _ => Value::Bool(!or_),
        },
        _ => poison(a, b).unwrap_or(Value::Bool(!or_)),
    }
}

fn extreme(a: Value, b: Value, is_min: bool) -> Value {
    if let Some(v) = poison(a, b) {
        return v;
    }
    match (a.bounds(), b.bounds()) {
        (Some((a1, a2)), Some((b1, b2))) => {
            if is_min {
                Value::from_bounds(smaller(a1, b1), smaller(a2, b2))
            } else {
                Value::from_bounds(larger(a1, b1), larger(a2, b2))
            }
        }
        _ => Value::Undefined,
    }
}

/// `range(a, b)` of two values.
fn range_of(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Num(a), Value::Num(b)) => range(a, b),
        (a, b) => poison(a, b).unwrap_or(Value::Undefined),
    }
}

/// `year_end(y)`: 31 December of year `y`.
fn year_end(y: Value) -> Value {
    match y {
        Value::Num(y) => i16::try_from(y.trunc().mantissa())
            .ok()
            .filter(|_| y.fract().is_zero())
            .and_then(|y| Date::new(y, 12, 31).ok())
            .map_or(Value::Undefined, Value::Date),
        other => other,
    }
}

/// `growth(x1, x2, x3)` of three values.
fn growth_of(v: [Value; 3]) -> Value {
    match v {
        [Value::Num(a), Value::Num(b), Value::Num(c)] => growth(a, b, c),
        _ => poison(poison(v[0], v[1]).unwrap_or(v[0]), v[2]).unwrap_or(Value::Undefined),
    }
}

/// HNTE growth rate ½(x2/x1 + x3/x2) − 1; 0 where a base is not positive (it then scores 0).
fn growth(x1: Decimal, x2: Decimal, x3: Decimal) -> Value {
    if x1 <= Decimal::ZERO || x2 <= Decimal::ZERO {
        return Value::Num(Decimal::ZERO);
    }
    let rate = decimal::div(x2, x1)
        .zip(decimal::div(x3, x2))
        .and_then(|(a, b)| a.checked_add(b))
        .and_then(|s| decimal::div(s, Decimal::TWO))
        .and_then(|h| h.checked_sub(Decimal::ONE));
    rate.map_or(Value::Undefined, Value::Num)
}

fn round_cents(d: Decimal) -> Decimal {
    // Whole amounts (most awards) are their own normal form; rounding them costs a division.
    if d.scale() == 0 && !d.is_sign_negative() {
        return d;
    }
    // Tax savings (an amount times a rate) have a few places and a mantissa within u64: rounded
    // in u64, a sixth of rust_decimal's general rounding.
    if let (Ok(mantissa), 3..=19) = (u64::try_from(d.mantissa()), d.scale()) {
        let unit = 10u64.pow(d.scale() - 2);
        let (cents, rest) = (mantissa / unit, mantissa % unit);
        let cents = cents + u64::from(rest >= unit - rest);
        return Decimal::from_i128_with_scale(i128::from(cents), 2).normalize();
    }
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

fn seen(value: Value) -> Seen {
    match value {
        Value::Num(n) => Seen::Number(n.normalize()),
        Value::Range(lo, hi) => Seen::Range {
            min: lo.normalize(),
            max: hi.normalize(),
        },
        Value::Bool(b) => Seen::Bool(b),
        Value::Word(w) => Seen::Text(Cow::Borrowed(w)),
        Value::Date(d) => Seen::Text(Cow::Owned(date::show(d).to_string())),
        Value::Nothing => Seen::Text(Cow::Borrowed("none")),
        Value::Undefined => Seen::Text(Cow::Borrowed("undefined")),
        Value::Unknown { .. } => Seen::Missing(()),
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if !s.starts_with("R&D") && !s.starts_with("HNTE") && !s.starts_with("IP") => {
            c.to_lowercase().chain(chars).collect()
        }
        _ => s.to_owned(),
    }
}

/// Writes `d` with its integer part grouped in threes: 37500000 → 37,500,000.
fn grouped(out: &mut String, d: Decimal) {
    digits(out, d, true);
}

/// A value in words for details: money in 万元 (Chinese) or yuan (English), shares as percents.
pub(crate) fn show(value: Value, fmt: Fmt, kind: Option<Kind>, lang: Lang) -> String {
    let mut out = String::new();
    show_into(&mut out, value, fmt, kind, lang);
    out
}

/// [`show`], appended to `out` (details write many values into one text).
fn show_into(out: &mut String, value: Value, fmt: Fmt, kind: Option<Kind>, lang: Lang) {
    use std::fmt::Write;
    // d / 10 000 exactly, by moving the decimal point (a division would cost far more).
    let wan = |d: Decimal| {
        let mut moved = d;
        match moved.set_scale(d.scale() + 4) {
            Ok(()) => moved.round_dp(4),
            Err(_) => (d / Decimal::from(10_000)).round_dp(4),
        }
    };
    let number = |out: &mut String, d: Decimal| match (fmt, kind) {
        (Fmt::Percent, _) | (Fmt::Plain, Some(Kind::Share)) => {
            match d.checked_mul(Decimal::ONE_HUNDRED) {
                Some(percent) => {
                    digits(out, percent.round_dp(2), false);
                    out.push('%');
                }
                None => grouped(out, d),
            }
        }
        // The template writes the unit itself: "{x:万} 万元".
        (Fmt::Wan, _) => grouped(out, wan(d)),
        (Fmt::Plain, Some(Kind::Money)) => match lang {
            Lang::Zh if d.abs() >= Decimal::from(10_000) => {
                grouped(out, wan(d));
                out.push_str(" 万元");
            }
            Lang::Zh => {
                grouped(out, d.round_dp(2));
                out.push_str(" 元");
            }
            Lang::En => {
                grouped(out, d.round_dp(2));
                out.push_str(" yuan");
            }
        },
        (_, Some(Kind::Year | Kind::Region)) => digits(out, d, false),
        _ => grouped(out, d.round_dp(4)),
    };
    let zh = lang == Lang::Zh;
    match value {
        Value::Num(n) => number(out, n),
        Value::Range(lo, hi) => {
            number(out, lo);
            out.push('–');
            number(out, hi);
        }
        Value::Bool(b) => out.push_str(match (b, zh) {
            (true, true) => "是",
            (false, true) => "否",
            (true, false) => "yes",
            (false, false) => "no",
        }),
        Value::Word(w) => out.push_str(w),
        Value::Date(d) => {
            let _ = write!(out, "{}", date::show(d));
        }
        Value::Nothing => out.push_str(if zh { "无" } else { "none" }),
        Value::Undefined => out.push_str(if zh { "无法计算" } else { "not computable" }),
        Value::Unknown { .. } => out.push_str(if zh { "未填写" } else { "not given" }),
    }
}

fn next_batch(program: &Program, as_of: Date) -> Option<Date> {
    [as_of.year(), as_of.year().checked_add(1)?]
        .into_iter()
        .flat_map(|year| {
            program
                .batches
                .iter()
                .filter_map(move |&(m, d)| Date::new(year, m, d).ok())
        })
        .find(|&date| date > as_of)
        .filter(|&date| program.valid_to.is_none_or(|to| date <= to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Value {
        Value::Num(Decimal::from_str_exact(s).unwrap())
    }

    /// The generated rules are those of the built-in packs as they are: `HUIQI_BLESS=1` writes
    /// them anew.
    #[test]
    fn compiled_rules_are_current() {
        let set = &crate::Engine::builtin().set;
        let source = codegen::rust_source(set);
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/eval/compiled.rs");
        if std::env::var_os("HUIQI_BLESS").is_some() {
            std::fs::write(path, source).unwrap();
            return;
        }
        let current = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            current == source,
            "engine/src/eval/compiled.rs is stale: run `HUIQI_BLESS=1 cargo test -p huiqi-engine \
             compiled_rules` (with `RUSTFLAGS=--cfg=huiqi_interpret` where it no longer compiles)"
        );
        #[cfg(not(huiqi_interpret))]
        assert!(set.compiled, "the built-in packs run the generated rules");
    }

    #[test]
    fn ranges_compare_three_ways() {
        let score = Value::Range(Decimal::from(64), Decimal::from(83));
        assert_eq!(
            compare(BinOp::Ge, score, num("71")),
            Value::Unknown {
                missing: FieldSet::EMPTY,
                judged: true
            }
        );
        assert_eq!(compare(BinOp::Ge, score, num("64")), Value::Bool(true));
        assert_eq!(compare(BinOp::Ge, score, num("84")), Value::Bool(false));
    }

    proptest::proptest! {
        #[test]
        fn order_is_decimal_order(
            a in proptest::num::u32::ANY, b in proptest::num::u32::ANY, c in 0u32..=u32::MAX,
            x in proptest::num::u32::ANY, y in proptest::num::u32::ANY, z in 0u32..=u32::MAX,
            small in proptest::bool::ANY, negative in proptest::bool::ANY, other_negative in proptest::bool::ANY,
            s in 0u32..=28, t in 0u32..=28,
        ) {
            // Small mantissas half the time: the common shapes, and ties across scales.
            let (c, z) = if small { (0, 0) } else { (c, z) };
            let (b, y) = if small { (b % 4, y % 4) } else { (b, y) };
            let p = Decimal::from_parts(a, b, c, negative, s);
            let q = Decimal::from_parts(x, y, z, other_negative, t);
            proptest::prop_assert_eq!(order(p, q), p.cmp(&q));
            let same = Decimal::from_parts(a, b, c, negative, s);
            let mut rescaled = same;
            rescaled.rescale(t.max(s));
            proptest::prop_assert_eq!(order(same, rescaled), same.cmp(&rescaled));
        }
    }

    #[cfg(feature = "toml")]
    #[test]
    fn gaps_are_the_least_change_that_passes_linear_or_not() {
        let criterion = |id: &str, rule: &str, gap: &str| {
            format!(
                "[[program.criterion]]\nid = \"{id}\"\nlabel = {{ zh = \"\", en = \"\" }}\n\
                 clause = \"一\"\nquote = \"\"\nrule = \"{rule}\"\ngap = \"{gap}\"\n"
            )
        };
        let pack = format!(
            "[pack]\nid = \"p\"\nversion = \"1\"\nsource = \"s\"\nregion = \"100000\"\n\
             title = {{ zh = \"\", en = \"\" }}\n\
             [[program]]\nid = \"p.a\"\nname = {{ zh = \"\", en = \"\" }}\ntier = 1\n{}{}{}",
            // The input against a constant: solved directly.
            criterion("staff", "employees >= 40", "+employees"),
            // Not linear: 31² = 961 fails, 32² = 1024 passes; found by bisection.
            criterion("square", "employees * employees >= 1000", "+employees"),
            criterion("few", "employees <= 4", "-employees"),
        );
        let engine = crate::Engine::from_sources(&[("p.toml", pack)]).expect("the pack compiles");
        let profile = Profile::from_json(r#"{"employees": 10}"#).expect("a profile");
        let verdicts = engine
            .verdicts(&profile, date::parse("2026-11-22").expect("a date"))
            .expect("verdicts");
        let gaps: Vec<_> = verdicts
            .gaps(&verdicts.programs[0])
            .iter()
            .map(|g| (g.criterion, g.by))
            .collect();
        let by = |n: i64| Decimal::from(n);
        assert_eq!(
            gaps,
            [("staff", by(30)), ("square", by(22)), ("few", by(-6))]
        );
    }

    #[cfg(feature = "toml")]
    proptest::proptest! {
        /// A rule comparing the lever's input, or its ratio to another input, with a constant, or
        /// an `and`/`or` of such, is solved directly; the same rule with `+ 0` on the input goes
        /// through the search. Both give the same gap.
        #[test]
        fn direct_gaps_are_the_searched_gaps(
            sales in 0u64..10_000_000_000, sales_bound in 0u64..10_000_000_000,
            staff in 0u32..1_000, staff_bound in 0u32..1_000, tech_share in 0u32..=100,
            share in 0u32..=10_000, share_bound in 0u32..=10_000,
            income in 0u64..10_000_000_000, high_tech_share in 0u32..=100,
            ratio_bound in 0u32..=10_000, ops in proptest::array::uniform12(0usize..4),
            rd in proptest::array::uniform3(0u64..1_000_000_000),
            earlier_sales in proptest::array::uniform2(0u64..10_000_000_000), years in 1usize..=3,
            joined_ops in proptest::array::uniform6(0usize..4),
        ) {
            const OPS: [&str; 4] = [">=", ">", "<=", "<"];
            const FLIPPED: [&str; 4] = ["<=", "<", ">=", ">"];
            let yuan = |fen: u64| Decimal::new(fen as i64, 2);
            let share_of = |bp: u32| Decimal::new(i64::from(bp), 4);
            let ratio = share_of(ratio_bound).to_string();
            // (input, the rest of the left side, operator, bound, lever)
            let rules = [
                ("last.sales_revenue", "", OPS[ops[0]], yuan(sales_bound).to_string(), "+last.sales_revenue"),
                ("employees", "", OPS[ops[1]], staff_bound.to_string(), "-employees"),
                ("western_encouraged_share", "", OPS[ops[2]], share_of(share_bound).to_string(), "+western_encouraged_share"),
                ("last.sales_revenue", "", OPS[ops[3]], yuan(sales_bound).to_string(), "-last.sales_revenue"),
                ("last.high_tech_income", " / last.total_income", OPS[ops[4]], ratio.clone(), "+last.high_tech_income"),
                ("tech_staff", " / employees", OPS[ops[5]], ratio.clone(), "+tech_staff"),
                ("last.high_tech_income", " / last.sales_revenue", OPS[ops[6]], ratio.clone(), "-last.high_tech_income"),
                ("high_tech", "", OPS[ops[7]], ratio.clone(), "+last.high_tech_income"),
                // Three-year sums, over a sum, against a define that does not move.
                ("sum3.rd_expense", " / sum3.sales_revenue", OPS[ops[8]], "rd_threshold".into(), "+last.rd_expense"),
                ("sum3.rd_expense", " / sum3.sales_revenue", OPS[ops[9]], ratio.clone(), "-last.rd_expense"),
                ("sum3.rd_expense", "", OPS[ops[10]], yuan(sales_bound / 10).to_string(), "+last.rd_expense"),
                // Written `bound op input` below (odd rules): the sides swapped.
                ("last.high_tech_income", " / last.total_income", OPS[ops[11]], share_of(ratio_bound / 2).to_string(), "+last.high_tech_income"),
            ];
            // `and`/`or` of such comparisons and of parts that do not move, `{x}` the input.
            let [o0, o1, o2, o3, o4, o5] = joined_ops.map(|o| OPS[o]);
            let (sales_at, staff_at) = (yuan(sales_bound), staff_bound);
            let joined = [
                (format!("{{x}} / last.sales_revenue {o0} {ratio} or (employees {o1} {staff_at} and {{x}} / last.sales_revenue {o2} {})", share_of(ratio_bound / 2)), "last.rd_expense", "+last.rd_expense"),
                (format!("employees {o3} {staff_at} and {{x}} {o4} {}", share_of(share_bound)), "western_encouraged_share", "+western_encouraged_share"),
                (format!("{{x}} {o5} {sales_at} and {{x}} / last.total_income {o0} {ratio}"), "last.high_tech_income", "+last.high_tech_income"),
                (format!("{{x}} {o1} {sales_at} or {{x}} {o4} {}", yuan(sales_bound / 3)), "last.sales_revenue", "-last.sales_revenue"),
            ];
            let mut criteria = String::new();
            for (i, (rule, input, gap)) in joined.iter().enumerate() {
                let [direct, searched] = [input.to_string(), format!("({input} + 0)")]
                    .map(|input| rule.replace("{x}", &input));
                for (kind, rule) in [("direct", direct), ("searched", searched)] {
                    criteria.push_str(&format!(
                        "[[program.criterion]]\nid = \"{kind}-joined-{i}\"\nlabel = {{ zh = \"\", en = \"\" }}\n\
                         clause = \"一\"\nquote = \"\"\nrule = \"{rule}\"\ngap = \"{gap}\"\n"
                    ));
                }
            }
            for (i, (input, rest, op, bound, gap)) in rules.iter().enumerate() {
                let [direct, searched] = [input.to_string(), format!("({input} + 0)")]
                    .map(|input| match i % 2 {
                        0 => format!("{input}{rest} {op} {bound}"),
                        _ => format!("{bound} {} {input}{rest}", FLIPPED[OPS.iter().position(|o| o == op).unwrap_or(0)]),
                    });
                for (kind, rule) in [("direct", direct), ("searched", searched)] {
                    criteria.push_str(&format!(
                        "[[program.criterion]]\nid = \"{kind}-{i}\"\nlabel = {{ zh = \"\", en = \"\" }}\n\
                         clause = \"一\"\nquote = \"\"\nrule = \"{rule}\"\ngap = \"{gap}\"\n"
                    ));
                }
            }
            let pack = format!(
                "[pack]\nid = \"p\"\nversion = \"1\"\nsource = \"s\"\nregion = \"100000\"\n\
                 title = {{ zh = \"\", en = \"\" }}\n\
                 [define]\nhigh_tech = \"last.high_tech_income / last.total_income\"\n\
                 rd_threshold = \"if last.sales_revenue <= 5000万 then 5% else 4%\"\n\
                 [[program]]\nid = \"p.a\"\nname = {{ zh = \"\", en = \"\" }}\ntier = 1\n{criteria}"
            );
            let engine = crate::Engine::from_sources(&[("p.toml", pack)]).expect("the pack compiles");
            let high_tech_income = income / 100 * u64::from(high_tech_share);
            let mut financials = vec![format!(
                r#"{{"year": 2025, "sales_revenue": "{}", "total_income": "{}", "high_tech_income": "{}", "rd_expense": "{}"}}"#,
                yuan(sales), yuan(income), yuan(high_tech_income), yuan(rd[0]),
            )];
            for k in 1..years {
                financials.push(format!(
                    r#"{{"year": {}, "sales_revenue": "{}", "rd_expense": "{}"}}"#,
                    2025 - k, yuan(earlier_sales[k - 1]), yuan(rd[k]),
                ));
            }
            let profile = Profile::from_json(&format!(
                r#"{{"employees": {staff}, "tech_staff": {}, "western_encouraged_share": "{}", "financials": [{}]}}"#,
                staff * tech_share / 100, share_of(share), financials.join(", "),
            )).expect("a profile");
            let verdicts = engine
                .verdicts(&profile, date::parse("2026-11-22").expect("a date"))
                .expect("verdicts");
            let gap = |id: &str| verdicts.gaps(&verdicts.programs[0]).iter().find(|g| g.criterion == id).map(|g| g.by);
            for i in 0..rules.len() {
                proptest::prop_assert_eq!(gap(&format!("direct-{i}")), gap(&format!("searched-{i}")), "rule {}", i);
            }
            for i in 0..joined.len() {
                proptest::prop_assert_eq!(gap(&format!("direct-joined-{i}")), gap(&format!("searched-joined-{i}")), "joined rule {}", i);
            }
        }
    }

    proptest::proptest! {
        /// Rounding to cents in u64 is rust_decimal's rounding, to the bit.
        #[test]
        fn cents_are_rounded_half_away_from_zero(
            mantissa in proptest::num::i64::ANY, scale in 0u32..=28, few in 0u32..6,
        ) {
            let d = Decimal::from_i128_with_scale(i128::from(mantissa / 10i64.pow(few * 3)), scale);
            let expected = d
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                .normalize();
            let rounded = round_cents(d);
            proptest::prop_assert_eq!(
                (rounded.mantissa(), rounded.scale(), rounded.is_sign_negative()),
                (expected.mantissa(), expected.scale(), expected.is_sign_negative())
            );
        }
    }

    #[test]
    fn kleene_logic() {
        let unknown = Value::missing(FieldSet::one(3));
        assert_eq!(
            kleene(Value::Bool(false), unknown, false),
            Value::Bool(false)
        );
        assert_eq!(kleene(Value::Bool(true), unknown, true), Value::Bool(true));
        assert_eq!(kleene(Value::Bool(true), unknown, false), unknown);
    }

    #[test]
    fn zero_denominator_is_not_computable_and_fails_comparisons() {
        let ratio = arith(BinOp::Div, num("5"), num("0"));
        assert_eq!(ratio, Value::Undefined);
        assert_eq!(compare(BinOp::Ge, ratio, num("0.1")), Value::Bool(false));
    }

    #[test]
    fn growth_formula() {
        // ½(120/100 + 150/120) − 1 = ½(1.2 + 1.25) − 1 = 0.225
        assert_eq!(
            growth(Decimal::from(100), Decimal::from(120), Decimal::from(150)),
            num("0.225")
        );
        assert_eq!(
            growth(Decimal::from(-5), Decimal::from(120), Decimal::from(150)),
            num("0")
        );
    }

    #[test]
    fn grouping() {
        let grouped = |d: Decimal| {
            let mut out = String::new();
            super::grouped(&mut out, d);
            out
        };
        assert_eq!(grouped(Decimal::from(37_500_000)), "37,500,000");
        assert_eq!(
            grouped(Decimal::from_str_exact("1234.5").unwrap()),
            "1,234.5"
        );
        for (text, expected) in [
            ("0", "0"),
            ("0.05", "0.05"),
            ("-0.5", "-0.5"),
            ("100", "100"),
            ("1000", "1,000"),
            ("-1234567.891", "-1,234,567.891"),
            (
                "79228162514264337593543950335",
                "79,228,162,514,264,337,593,543,950,335",
            ),
        ] {
            assert_eq!(grouped(Decimal::from_str_exact(text).unwrap()), expected);
        }
    }

    #[test]
    fn digits_ungrouped_are_the_normal_form() {
        for text in [
            "0",
            "1",
            "-7",
            "0.0001",
            "12345.6789",
            "1.2300",
            "-98765432109876543210.5",
            "0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "-7.9228162514264337593543950335",
        ] {
            let d = Decimal::from_str_exact(text).unwrap();
            let mut out = String::new();
            digits(&mut out, d, false);
            assert_eq!(out, d.normalize().to_string(), "{text}");
        }
    }
}

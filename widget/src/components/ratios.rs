//! Bars (SVG) that set a value against its threshold: score ranges against the pass mark, and the
//! key ratios of the tier programs against what each requires.

use std::collections::BTreeMap;

use huiqi_engine::{Decimal, Lang, Seen, Str};
use yew::prelude::*;

use crate::components::Shared;
use crate::draft::Outcome;
use crate::format::percent;
use crate::i18n::strings;
use crate::plan::Plan;

/// Width of a bar in SVG user units.
const WIDTH: Decimal = Decimal::from_parts(300, 0, 0, false, 0);

/// `value` as an x coordinate on a bar running from 0 to `top`, clamped to the bar.
fn at(value: Decimal, top: Decimal) -> Decimal {
    if top <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    value.max(Decimal::ZERO).min(top) * WIDTH / top
}

/// A coordinate as SVG writes it.
fn num(value: Decimal) -> String {
    value.round_dp(1).normalize().to_string()
}

/// A bar from 0 to `top`: solid up to `min` (sure), lighter from `min` to `max` (possible, where
/// experts judge), and a mark at `pass`; `words` says the same for screen readers.
pub fn range_bar(min: Decimal, max: Decimal, pass: Decimal, top: Decimal, words: &str) -> Html {
    let (x0, x1, xp) = (at(min, top), at(max, top), at(pass, top));
    let class = if min >= pass {
        "hq-bar-fill hq-bar-met"
    } else {
        "hq-bar-fill hq-bar-short"
    };
    html! {
        <svg class="hq-bar" viewBox="0 0 300 24" role="img" aria-label={words.to_owned()} preserveAspectRatio="none">
            <rect class="hq-bar-track" x="0" y="8" width="300" height="8" rx="4" />
            if x1 > x0 {
                <rect class="hq-bar-range" x={num(x0)} y="8" width={num(x1 - x0)} height="8" />
            }
            <rect {class} x="0" y="8" width={num(x0)} height="8" rx="4" />
            <line class="hq-bar-pass" x1={num(xp)} x2={num(xp)} y1="2" y2="22" />
        </svg>
    }
}

/// A comparison a rule makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    AtLeast,
    Above,
    AtMost,
    Below,
}

impl Op {
    fn holds(self, value: Decimal, threshold: Decimal) -> bool {
        match self {
            Op::AtLeast => value >= threshold,
            Op::Above => value > threshold,
            Op::AtMost => value <= threshold,
            Op::Below => value < threshold,
        }
    }

    fn sign(self) -> &'static str {
        match self {
            Op::AtLeast => "≥",
            Op::Above => ">",
            Op::AtMost => "≤",
            Op::Below => "<",
        }
    }
}

/// A rule of the shape `ratio OP threshold`, read from its text: `a OP b` where each side is a
/// number, a percentage, a name the trace shows, or `name / name`. Anything richer is no simple
/// ratio and is left to the criteria list.
fn comparison(rule: &str, values: &BTreeMap<Str, Seen>) -> Option<(Decimal, Op, Decimal)> {
    const OPS: [(&str, Op); 6] = [
        (">=", Op::AtLeast),
        ("≥", Op::AtLeast),
        ("<=", Op::AtMost),
        ("≤", Op::AtMost),
        (">", Op::Above),
        ("<", Op::Below),
    ];
    if [" and ", " or ", "(", "if "]
        .iter()
        .any(|w| rule.contains(w))
    {
        return None;
    }
    let (at, token, op) = OPS
        .iter()
        .filter_map(|(token, op)| rule.find(token).map(|at| (at, *token, *op)))
        .min_by_key(|(at, _, _)| *at)?;
    let (left, right) = (&rule[..at], &rule[at + token.len()..]);
    Some((operand(left, values)?, op, operand(right, values)?))
}

fn operand(text: &str, values: &BTreeMap<Str, Seen>) -> Option<Decimal> {
    let text = text.trim();
    if let Some((a, b)) = text.split_once('/') {
        return operand(a, values)?.checked_div(operand(b, values)?);
    }
    if let Some(percent) = text.strip_suffix('%') {
        return Decimal::from_str_exact(percent.trim())
            .ok()?
            .checked_div(Decimal::ONE_HUNDRED);
    }
    if let Ok(number) = Decimal::from_str_exact(text) {
        return Some(number);
    }
    match values.get(text)? {
        Seen::Number(number) => Some(*number),
        _ => None,
    }
}

/// Props of [`KeyRatios`].
#[derive(Properties, PartialEq)]
pub struct KeyRatiosProps {
    pub lang: Lang,
    pub outcome: Shared<Outcome>,
    pub plan: Shared<Plan>,
}

/// One bar per ratio criterion of the tier programs whose value is known, against its threshold.
#[function_component(KeyRatios)]
pub fn key_ratios(props: &KeyRatiosProps) -> Html {
    let lang = props.lang;
    let t = strings(lang);
    let Some(evaluation) = &props.outcome.evaluation else {
        return html! {};
    };
    let mut seen = Vec::new();
    let mut bars = Vec::new();
    for p in evaluation
        .programs
        .iter()
        .filter(|p| p.in_force && p.tier.is_some())
    {
        let Some(info) = props.plan.programs.iter().find(|i| i.id == p.id) else {
            continue;
        };
        for c in &p.criteria {
            let Some(rule) = info.criteria.iter().find(|i| i.id == c.id).map(|i| &i.rule) else {
                continue;
            };
            let Some((value, op, threshold)) = comparison(rule, &c.values) else {
                continue;
            };
            // Ratios only (thresholds within 0..1), each once.
            if threshold <= Decimal::ZERO
                || threshold > Decimal::ONE
                || seen.contains(&(rule.clone(), threshold))
            {
                continue;
            }
            seen.push((rule.clone(), threshold));
            let met = op.holds(value, threshold);
            // The bar runs a quarter past the larger of value and threshold, at most to 100%;
            // clamping first keeps an absurd ratio from overflowing.
            let top =
                (value.min(Decimal::ONE).max(threshold) * Decimal::new(125, 2)).min(Decimal::ONE);
            let required = format!(
                "{} {} {}",
                t.ratios_threshold,
                op.sign(),
                percent(threshold)
            );
            let words = format!(
                "{} {}",
                t.note(&t.pair(c.label.get(lang), percent(value)), required),
                if met { "✓" } else { "✗" }
            );
            bars.push(html! {
                <li class={if met { "hq-ratio hq-ratio-met" } else { "hq-ratio" }}>
                    <p class="hq-ratio-text">{ words.clone() }</p>
                    { ratio_bar(value, threshold, top, met, &words) }
                </li>
            });
        }
    }
    if bars.is_empty() {
        return html! {};
    }
    html! {
        <div class="hq-ratios">
            <h4 class="hq-sub-title">{ t.ratios_heading }</h4>
            <ul class="hq-ratio-list">{ for bars }</ul>
        </div>
    }
}

/// A value bar against a threshold mark.
fn ratio_bar(value: Decimal, threshold: Decimal, top: Decimal, met: bool, words: &str) -> Html {
    let class = if met {
        "hq-bar-fill hq-bar-met"
    } else {
        "hq-bar-fill hq-bar-short"
    };
    let xt = at(threshold, top);
    html! {
        <svg class="hq-bar" viewBox="0 0 300 24" role="img" aria-label={words.to_owned()} preserveAspectRatio="none">
            <rect class="hq-bar-track" x="0" y="8" width="300" height="8" rx="4" />
            <rect {class} x="0" y="8" width={num(at(value, top).max(Decimal::TWO))} height="8" rx="4" />
            <line class="hq-bar-pass" x1={num(xt)} x2={num(xt)} y1="2" y2="22" />
        </svg>
    }
}

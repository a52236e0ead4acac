//! The benefits summary: each award and tax saving of the programs the enterprise qualifies for,
//! with amounts or ranges ("amount set case by case" where the policy fixes none) and a total;
//! benefits of programs still open are listed apart, uncounted.

use std::collections::BTreeSet;

use huiqi_engine::{Basis, BenefitKind, BenefitResult, Decimal, Lang, ProgramResult, Status};
use yew::prelude::*;

use crate::components::Shared;
use crate::components::disclosure::Disclosure;
use crate::draft::Outcome;
use crate::format::{money, money_range};
use crate::i18n::strings;
use crate::plan::Plan;

/// Props of [`Benefits`].
#[derive(Properties, PartialEq)]
pub struct BenefitsProps {
    pub lang: Lang,
    pub outcome: Shared<Outcome>,
    pub plan: Shared<Plan>,
}

/// A benefit's amount in words.
pub fn amount(b: &BenefitResult, lang: Lang) -> String {
    let t = strings(lang);
    match (b.min_yuan, b.max_yuan) {
        (Some(min), Some(max)) if min.is_zero() && !max.is_zero() => {
            format!("{} {}", t.up_to, money(max, lang))
        }
        (Some(min), Some(max)) => money_range(min, max, lang),
        (Some(min), None) => format!("≥ {}", money(min, lang)),
        (None, Some(max)) => format!("{} {}", t.up_to, money(max, lang)),
        (None, None) if b.basis == Basis::NeedsInput => t.needs_input.to_owned(),
        (None, None) => t.case_by_case.to_owned(),
    }
}

fn kind_word(kind: BenefitKind, lang: Lang) -> &'static str {
    let t = strings(lang);
    match kind {
        BenefitKind::Grant => t.kind_grant,
        BenefitKind::TaxSaving => t.kind_tax,
        BenefitKind::Support => t.kind_support,
    }
}

/// The benefits of `programs` with status `status`, each id once.
fn collect<'a>(
    programs: &[&'a ProgramResult],
    status: Status,
    taken: &mut BTreeSet<&'a str>,
) -> Vec<(&'a ProgramResult, &'a BenefitResult)> {
    programs
        .iter()
        .filter(|p| p.status == status)
        .flat_map(|p| p.benefits.iter().map(move |b| (*p, b)))
        .filter(|(_, b)| taken.insert(b.id.as_ref()))
        .collect()
}

fn rows(list: &[(&ProgramResult, &BenefitResult)], lang: Lang) -> Html {
    html! {
        <ul class="hq-benefit-list">
            { for list.iter().map(|(p, b)| html! {
                <li class="hq-benefit" data-benefit={b.id.to_string()}>
                    <div class="hq-benefit-what">
                        <span class="hq-tag">{ kind_word(b.kind, lang) }</span>
                        <span>{ b.detail.get(lang).to_owned() }</span>
                        <span class="hq-benefit-from">{ format!("{} · {} {}", p.name.get(lang), b.citation.source, b.citation.clause) }</span>
                    </div>
                    <div class="hq-benefit-amount">{ amount(b, lang) }</div>
                </li>
            }) }
        </ul>
    }
}

/// The summary card.
#[function_component(Benefits)]
pub fn benefits(props: &BenefitsProps) -> Html {
    let lang = props.lang;
    let t = strings(lang);
    let Some(evaluation) = &props.outcome.evaluation else {
        return html! {};
    };
    let shown: Vec<&ProgramResult> = evaluation
        .programs
        .iter()
        .filter(|p| p.in_force && props.plan.programs.iter().any(|i| i.id == p.id))
        .collect();
    let mut taken = BTreeSet::new();
    let expected = collect(&shown, Status::Eligible, &mut taken);
    let possible = collect(&shown, Status::Undetermined, &mut taken);
    let priced: Vec<_> = expected
        .iter()
        .filter_map(|(_, b)| b.min_yuan.zip(b.max_yuan))
        .collect();
    let open_amounts = expected.len() - priced.len();
    let total_min: Decimal = priced.iter().map(|(min, _)| *min).sum();
    let total_max: Decimal = priced.iter().map(|(_, max)| *max).sum();
    let total = match lang {
        Lang::Zh if open_amounts > 0 => {
            t.note("", format!("另有 {open_amounts} 项{}", t.case_by_case))
        }
        Lang::En if open_amounts > 0 => {
            format!(" (plus {open_amounts} with the {})", t.case_by_case)
        }
        _ => String::new(),
    };
    html! {
        <div class="hq-card hq-benefits">
            <h3 class="hq-card-title">{ t.benefits_heading }</h3>
            if expected.is_empty() {
                <p class="hq-muted">{ t.benefits_none }</p>
            } else {
                <h4 class="hq-sub-title">{ t.benefits_expected }</h4>
                { rows(&expected, lang) }
                if !priced.is_empty() {
                    <p class="hq-total">
                        <span>{ t.benefits_total }</span>
                        <strong>{ money_range(total_min, total_max, lang) }</strong>
                        <span class="hq-muted">{ total }</span>
                    </p>
                }
            }
            if !possible.is_empty() {
                <Disclosure class="hq-possible" summary={html! { t.note(t.benefits_possible, possible.len()) }}>
                    { rows(&possible, lang) }
                </Disclosure>
            }
        </div>
    }
}

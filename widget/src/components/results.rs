//! The results column: a spoken summary, the tier ladder, the benefits, then one card per
//! program in force, and apart from them the programs no longer in force.

use huiqi_engine::{Lang, Status};
use yew::prelude::*;

use crate::components::Shared;
use crate::components::benefits::Benefits;
use crate::components::disclosure::Disclosure;
use crate::components::ladder::Ladder;
use crate::components::program::ProgramCard;
use crate::draft::Outcome;
use crate::i18n::strings;
use crate::plan::Plan;

/// Id of the results heading, the target of "see results".
pub const RESULTS_ID: &str = "hq-results";

/// Props of [`Results`].
#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub lang: Lang,
    pub plan: Shared<Plan>,
    pub outcome: Shared<Outcome>,
    /// Whether a region is known (else the user must pick one first).
    pub picked: bool,
}

/// The shown programs: position in the evaluation, in force, status.
fn shown(outcome: &Outcome, plan: &Plan) -> Vec<(usize, bool, Status)> {
    outcome
        .evaluation
        .iter()
        .flat_map(|e| e.programs.iter().enumerate())
        .filter(|(_, p)| plan.programs.iter().any(|i| i.id == p.id))
        .map(|(i, p)| (i, p.in_force, p.status))
        .collect()
}

/// How many shown programs in force qualify, do not yet, and need more answers.
pub fn tally(outcome: &Outcome, plan: &Plan) -> [usize; 3] {
    let shown = shown(outcome, plan);
    [Status::Eligible, Status::Ineligible, Status::Undetermined].map(|status| {
        shown
            .iter()
            .filter(|(_, in_force, s)| *in_force && *s == status)
            .count()
    })
}

/// The results.
#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let lang = props.lang;
    let t = strings(lang);
    let shown = shown(&props.outcome, &props.plan);
    let summary = if !props.picked {
        t.region_prompt.to_owned()
    } else if shown.is_empty() {
        t.no_programs.to_owned()
    } else {
        let [eligible, not_yet, open] = tally(&props.outcome, &props.plan);
        (t.summary)(eligible, not_yet, open)
    };
    let card = |index: usize| {
        html! {
            <ProgramCard key={index} {lang} outcome={props.outcome.clone()} plan={props.plan.clone()} {index} />
        }
    };
    let expired: Vec<usize> = shown
        .iter()
        .filter(|(_, f, _)| !f)
        .map(|(i, _, _)| *i)
        .collect();
    html! {
        <div class="hq-results">
            <h3 class="hq-results-title" id={RESULTS_ID} tabindex="-1">{ t.results_heading }</h3>
            <p class="hq-summary" role="status" aria-live="polite">{ summary }</p>
            <Ladder {lang} outcome={props.outcome.clone()} plan={props.plan.clone()} />
            <Benefits {lang} outcome={props.outcome.clone()} plan={props.plan.clone()} />
            <div class="hq-programs">
                { for shown.iter().filter(|(_, f, _)| *f).map(|(i, _, _)| card(*i)) }
            </div>
            if !expired.is_empty() {
                <Disclosure class="hq-card hq-expired" summary_class="hq-card-title"
                    summary={html! { t.note(t.expired_heading, expired.len()) }}>
                    <p class="hq-muted">{ t.expired_note }</p>
                    <div class="hq-programs">{ for expired.into_iter().map(card) }</div>
                </Disclosure>
            }
        </div>
    }
}

//! On narrow screens the results sit below the form: a bar pinned to the bottom of the form keeps
//! the count of ✓ ✗ ? in view while typing, and jumps to the results.

use huiqi_engine::{Lang, Status};
use web_sys::Element;
use yew::prelude::*;

use crate::components::results::{RESULTS_ID, tally};
use crate::components::{Shared, focus_element};
use crate::draft::Outcome;
use crate::i18n::{self, status_mark, strings};
use crate::plan::Plan;

/// Props of [`StatusBar`].
#[derive(Properties, PartialEq)]
pub struct StatusBarProps {
    pub lang: Lang,
    pub plan: Shared<Plan>,
    pub outcome: Shared<Outcome>,
}

/// The pinned tally (hidden by CSS when form and results sit side by side).
#[function_component(StatusBar)]
pub fn status_bar(props: &StatusBarProps) -> Html {
    let lang = props.lang;
    if props.plan.programs.is_empty() {
        return html! {};
    }
    let counts = tally(&props.outcome, &props.plan);
    let statuses = [Status::Eligible, Status::Ineligible, Status::Undetermined];
    let onclick = Callback::from(|e: MouseEvent| {
        let origin: Element = e.target_unchecked_into();
        focus_element(&origin, RESULTS_ID);
    });
    html! {
        <div class="hq-statusbar">
            <span class="hq-tally">
                { for statuses.iter().zip(counts).map(|(status, n)| html! {
                    <span class={format!("hq-tally-{}", i18n::status_class(*status))}
                        title={i18n::status(*status, lang)}>
                        <span aria-hidden="true">{ format!("{} {n}", status_mark(*status)) }</span>
                        <span class="hq-sr">{ strings(lang).pair(i18n::status(*status, lang), n) }</span>
                    </span>
                }) }
            </span>
            <button type="button" class="hq-btn hq-btn-primary" {onclick}>{ strings(lang).see_results }</button>
        </div>
    }
}

//! "Answer these first": the open questions the engine ranks most decisive for the programs shown.

use std::collections::BTreeSet;

use huiqi_engine::fields::{FIELDS, by_path};
use huiqi_engine::{Lang, Status};
use web_sys::Element;
use yew::prelude::*;

use crate::components::{Shared, focus_input};
use crate::draft::{Draft, LAST_YEAR, Outcome};
use crate::i18n::strings;
use crate::plan::{Plan, label};

/// How many questions to suggest at once.
const SHOWN: usize = 5;

/// Props of [`NextQuestions`].
#[derive(Properties, PartialEq)]
pub struct NextQuestionsProps {
    pub lang: Lang,
    pub plan: Shared<Plan>,
    pub outcome: Shared<Outcome>,
}

/// The most decisive unanswered questions, each a button that moves to its input.
#[function_component(NextQuestions)]
pub fn next_questions(props: &NextQuestionsProps) -> Html {
    let t = strings(props.lang);
    let (Some(evaluation), false) = (&props.outcome.evaluation, props.plan.sections.is_empty())
    else {
        return html! {};
    };
    let open: BTreeSet<&str> = evaluation
        .programs
        .iter()
        .filter(|p| p.in_force && p.status == Status::Undetermined)
        .filter(|p| props.plan.programs.iter().any(|info| info.id == p.id))
        .flat_map(|p| p.missing.iter().map(|m| m.as_ref()))
        .collect();
    let questions: Vec<(String, String)> = evaluation
        .missing
        .iter()
        .map(|m| m.as_ref())
        // The latest year is filled in from the evaluation date.
        .filter(|path| *path != LAST_YEAR && open.contains(path) && props.plan.asks(path))
        .take(SHOWN)
        .filter_map(|path| {
            let field = &FIELDS[usize::from(by_path(path)?)];
            let text = evaluation
                .questions
                .iter()
                .find(|q| q.field == path)
                .map_or_else(
                    || label(field, props.lang).to_owned(),
                    |q| q.text.to_string(),
                );
            Some((Draft::keys(field).swap_remove(0), text))
        })
        .collect();
    html! {
        <div class="hq-card hq-next">
            <h3 class="hq-card-title">{ t.next_heading }</h3>
            if questions.is_empty() {
                <p class="hq-muted">{ t.next_done }</p>
            } else {
                <p class="hq-muted">{ t.next_intro }</p>
                <ol class="hq-next-list">
                    { for questions.into_iter().map(|(key, text)| {
                        let onclick = Callback::from(move |e: MouseEvent| {
                            let origin: Element = e.target_unchecked_into();
                            focus_input(&origin, &key);
                        });
                        html! {
                            <li>
                                <button type="button" class="hq-link" {onclick}>
                                    { text }<span class="hq-go" aria-hidden="true">{ " →" }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ol>
            }
        </div>
    }
}

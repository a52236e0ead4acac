//! The questions, in sections, only those a shown program reads, most decisive first.

use huiqi_engine::fields::Section;
use huiqi_engine::{Date, Lang};
use yew::prelude::*;

use crate::components::Shared;
use crate::components::field::{FieldInput, FieldRef};
use crate::components::finances::Finances;
use crate::draft::{Draft, LAST_YEAR, Outcome};
use crate::i18n::{section, strings};
use crate::plan::Plan;

/// Props of [`Form`].
#[derive(Properties, PartialEq)]
pub struct FormProps {
    pub lang: Lang,
    pub plan: Shared<Plan>,
    pub outcome: Shared<Outcome>,
    pub draft: UseReducerHandle<Draft>,
    pub as_of: Date,
}

/// The form: one card per section.
#[function_component(Form)]
pub fn form(props: &FormProps) -> Html {
    let t = strings(props.lang);
    if props.plan.sections.is_empty() {
        return html! {};
    }
    let last_year = props
        .draft
        .get(LAST_YEAR)
        .trim()
        .parse::<i32>()
        .unwrap_or(i32::from(props.as_of.year()) - 1);
    let onsubmit = Callback::from(|e: SubmitEvent| e.prevent_default());
    html! {
        <form class="hq-form" {onsubmit} novalidate=true>
            if !props.outcome.errors.is_empty() {
                <p class="hq-alert" role="status">{ t.fix_errors }</p>
            }
            { for props.plan.sections.iter().map(|(s, fields)| {
                let fields: Vec<FieldRef> = fields.iter().copied().map(FieldRef).collect();
                let body = if *s == Section::Finances {
                    html! { <Finances lang={props.lang} {fields} draft={props.draft.clone()} outcome={props.outcome.clone()} {last_year} /> }
                } else {
                    fields.into_iter().map(|field| html! {
                        <FieldInput key={field.0.path} lang={props.lang} {field} draft={props.draft.clone()} outcome={props.outcome.clone()} {last_year} />
                    }).collect::<Html>()
                };
                html! {
                    <div class="hq-card hq-section">
                        <h3 class="hq-card-title">{ section(*s, props.lang) }</h3>
                        { body }
                    </div>
                }
            }) }
        </form>
    }
}

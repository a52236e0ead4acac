//! One program's result: status, score range, what is still needed, what fails and by how much,
//! every criterion with its clause, and the next application batch.

use huiqi_engine::fields::{FIELDS, by_path};
use huiqi_engine::{Check, Lang, ProgramResult, Score, Status};
use web_sys::Element;
use yew::prelude::*;

use crate::components::criterion::Criterion;
use crate::components::disclosure::Disclosure;
use crate::components::{Shared, focus_input};
use crate::draft::{Draft, Outcome};
use crate::format::points;
use crate::i18n::{self, status_mark, strings};
use crate::plan::{Plan, label};

/// How many missing inputs a card names.
const MISSING_SHOWN: usize = 6;

/// Props of [`ProgramCard`].
#[derive(Properties, PartialEq)]
pub struct ProgramCardProps {
    pub lang: Lang,
    pub outcome: Shared<Outcome>,
    pub plan: Shared<Plan>,
    /// Position in `outcome.evaluation.programs`.
    pub index: usize,
}

/// The status word with its sign, as a badge.
pub fn badge(status: Status, lang: Lang) -> Html {
    let class = match status {
        Status::Eligible => "hq-badge hq-badge-ok",
        Status::Ineligible => "hq-badge hq-badge-no",
        Status::Undetermined => "hq-badge hq-badge-open",
    };
    html! {
        <span class={class}><span aria-hidden="true">{ status_mark(status) }</span>{ " " }{ i18n::status(status, lang) }</span>
    }
}

/// A program card.
#[function_component(ProgramCard)]
pub fn program_card(props: &ProgramCardProps) -> Html {
    let Some(p) = props
        .outcome
        .evaluation
        .as_ref()
        .and_then(|e| e.programs.get(props.index))
    else {
        return html! {};
    };
    let lang = props.lang;
    let t = strings(lang);
    let title_id = format!("hq-p-{}", p.id.replace('.', "-"));
    let met = p
        .criteria
        .iter()
        .filter(|c| c.status == Check::Pass)
        .count();
    let failed = p.criteria.iter().filter(|c| c.status == Check::Fail);
    html! {
        <article class={format!("hq-program hq-program-{}", i18n::status_class(p.status))} aria-labelledby={title_id.clone()}
            data-program={p.id.to_string()} data-status={i18n::status_class(p.status)}>
            <header class="hq-program-head">
                <h4 id={title_id} class="hq-program-name">{ p.name.get(lang).to_owned() }</h4>
                { badge(p.status, lang) }
            </header>
            if let Some(score) = &p.score { { score_view(score, lang) } }
            { missing(p, &props.plan, lang) }
            if p.status == Status::Ineligible {
                <ul class="hq-criteria hq-failed">
                    { for failed.map(|c| html! { <Criterion {lang} criterion={c.clone()} /> }) }
                </ul>
            }
            <Disclosure class="hq-all-criteria" summary={html! { t.note(t.criteria, format!("{met}/{}", p.criteria.len())) }}>
                <ul class="hq-criteria">
                    { for p.criteria.iter().map(|c| html! { <Criterion {lang} criterion={c.clone()} /> }) }
                </ul>
            </Disclosure>
            if let Some(note) = &p.note { <p class="hq-note">{ note.get(lang).to_owned() }</p> }
            if let Some(date) = p.next_batch { <p class="hq-batch">{ t.pair(t.next_batch, date) }</p> }
        </article>
    }
}

/// "Still needed": the program's missing inputs that the form asks, each a link to its input.
fn missing(p: &ProgramResult, plan: &Plan, lang: Lang) -> Html {
    let fields: Vec<_> = p
        .missing
        .iter()
        .filter(|path| plan.asks(path))
        .filter_map(|path| by_path(path).map(|id| &FIELDS[usize::from(id)]))
        .collect();
    if fields.is_empty() {
        return html! {};
    }
    // The most decisive few; the rest follow once these are answered.
    let more = fields.len().saturating_sub(MISSING_SHOWN);
    html! {
        <div class="hq-missing">
            <span class="hq-missing-title">{ strings(lang).pair(strings(lang).still_needed, "") }</span>
            { for fields.into_iter().take(MISSING_SHOWN).map(|field| {
                let key = Draft::keys(field).swap_remove(0);
                let onclick = Callback::from(move |e: MouseEvent| {
                    let origin: Element = e.target_unchecked_into();
                    focus_input(&origin, &key);
                });
                html! { <button type="button" class="hq-chip" {onclick}>{ label(field, lang) }</button> }
            }) }
            if more > 0 { <span class="hq-muted">{ (strings(lang).and_more)(more) }</span> }
        </div>
    }
}

/// A score as a range against its pass mark, drawn as a bar (SVG) and said in words.
fn score_view(score: &Score, lang: Lang) -> Html {
    let t = strings(lang);
    let total: huiqi_engine::Decimal = score.parts.iter().map(|p| p.out_of).sum();
    let words = t.note(
        &format!("{} {} {}", t.score, points(score.min, score.max), t.points),
        format!(
            "{} {} {}",
            t.score_pass,
            points(score.pass, score.pass),
            t.points
        ),
    );
    html! {
        <div class="hq-score">
            <p class="hq-score-text">{ words.clone() }</p>
            { crate::components::ratios::range_bar(score.min, score.max, score.pass, total, &words) }
            <Disclosure class="hq-score-parts" summary={html! { t.score_parts }}>
                <table class="hq-parts">
                    <tbody>
                        { for score.parts.iter().map(|part| html! {
                            <tr>
                                <th scope="row">{ part.label.get(lang).to_owned() }</th>
                                <td>{ format!("{} / {}", points(part.min, part.max), part.out_of.normalize()) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </Disclosure>
        </div>
    }
}

//! One criterion of a program: its verdict (sign and word), what was found, the gap to close,
//! and the clause it comes from with the quote behind a disclosure.

use huiqi_engine::{Check, CriterionResult, Lang};
use yew::prelude::*;

use crate::components::disclosure::Disclosure;
use crate::i18n::{check, strings};

/// Props of [`Criterion`].
#[derive(Properties, PartialEq)]
pub struct CriterionProps {
    pub lang: Lang,
    pub criterion: CriterionResult,
}

/// A criterion as a list item.
#[function_component(Criterion)]
pub fn criterion(props: &CriterionProps) -> Html {
    let (c, lang) = (&props.criterion, props.lang);
    let t = strings(lang);
    let (mark, word) = check(c.status, lang);
    let class = match c.status {
        Check::Pass => "hq-crit hq-pass",
        Check::Fail => "hq-crit hq-fail",
        Check::Unknown => "hq-crit hq-unknown",
    };
    let detail = c.detail.get(lang);
    html! {
        <li class={class}>
            <span class="hq-mark" aria-hidden="true">{ mark }</span>
            <div class="hq-crit-body">
                <p class="hq-crit-label">
                    <span class="hq-sr">{ t.pair(word, "") }</span>
                    { c.label.get(lang).to_owned() }
                    if c.self_declared { <span class="hq-tag">{ t.self_declared }</span> }
                </p>
                if !detail.is_empty() { <p class="hq-crit-detail">{ detail.to_owned() }</p> }
                if let Some(gap) = &c.gap {
                    <p class="hq-gap"><strong>{ t.pair(t.gap, "") }</strong>{ gap.detail.get(lang).to_owned() }</p>
                }
                <Disclosure class="hq-quote" summary={html! { format!("{} {}", c.citation.source, c.citation.clause) }}>
                    <blockquote lang="zh-CN">{ c.citation.text.to_string() }</blockquote>
                </Disclosure>
            </div>
        </li>
    }
}

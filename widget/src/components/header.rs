//! The title bar: what this is, that nothing leaves the page, the place, and the language switch.

use huiqi_engine::{Lang, Region};
use yew::prelude::*;

use crate::i18n::{place, strings};

/// Props of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub lang: Lang,
    /// The place fixed by the portal, if any.
    pub region: Option<Region>,
    pub on_lang: Callback<()>,
}

/// The widget's heading.
#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let t = strings(props.lang);
    let on_lang = props.on_lang.reform(|_: MouseEvent| ());
    let other_lang = match props.lang {
        Lang::Zh => "en",
        Lang::En => "zh-CN",
    };
    html! {
        <header class="hq-head">
            <div class="hq-head-text">
                <h2 class="hq-title">{ t.title }
                    if let Some(region) = props.region {
                        <span class="hq-place">{ place(&region.to_string(), props.lang) }</span>
                    }
                </h2>
                <p class="hq-sub">{ t.subtitle }</p>
                <p class="hq-privacy">
                    <svg class="hq-lock" viewBox="0 0 16 16" aria-hidden="true">
                        <rect x="3" y="7" width="10" height="8" rx="1.5" />
                        <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" />
                    </svg>
                    { t.privacy }
                </p>
            </div>
            <button type="button" class="hq-btn hq-lang" lang={other_lang} onclick={on_lang}>{ t.lang_switch }</button>
        </header>
    }
}

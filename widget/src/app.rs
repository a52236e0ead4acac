//! The root component: holds the answers, evaluates them on every change, and lays out the form
//! beside the results.

use std::rc::Rc;

use huiqi_engine::{Lang, Region};
use yew::prelude::*;

use crate::components::{
    Actions, Form, Header, NextQuestions, RegionPicker, Results, Shared, StatusBar,
};
use crate::draft::{self, Draft};
use crate::i18n::{place, strings};
use crate::options::Settings;
use crate::plan::Plan;
use crate::storage;

/// The root's props: the checked embedding options.
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// Options from the portal.
    pub settings: Settings,
    /// Counts the portal's updates: each one re-applies its language, even an unchanged one.
    pub revision: u32,
}

/// A change to the answers.
pub enum Edit {
    /// Set (or with blank text, clear) one input.
    Set(String, String),
    /// Replace every answer.
    Replace(Draft),
}

impl Reducible for Draft {
    type Action = Edit;

    fn reduce(self: Rc<Self>, action: Edit) -> Rc<Self> {
        match action {
            Edit::Set(key, text) => {
                let mut next = (*self).clone();
                next.set(&key, &text);
                Rc::new(next)
            }
            Edit::Replace(draft) => Rc::new(draft),
        }
    }
}

/// The self-check.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let settings = &props.settings;
    let lang = use_state_eq(|| settings.lang);
    {
        // Follow the portal whenever it sets the language.
        let lang = lang.clone();
        use_effect_with((settings.lang, props.revision), move |(portal_lang, _)| {
            lang.set(*portal_lang)
        });
    }
    let draft = {
        let (key, as_of) = (settings.draft_key.clone(), settings.as_of);
        // Reading a draft the user saved earlier stores nothing.
        use_reducer_eq(move || storage::load(&key).unwrap_or_else(|| Draft::new(as_of)))
    };
    let saving = {
        let key = settings.draft_key.clone();
        use_state_eq(move || storage::exists(&key))
    };
    {
        // While the user keeps a draft, keep it in step with every answer.
        let key = settings.draft_key.clone();
        use_effect_with((draft.clone(), *saving), move |(draft, saving)| {
            if *saving {
                storage::save(&key, draft);
            }
        });
    }
    let region = settings
        .region
        .or_else(|| Region::parse(draft.get("region")).ok());
    let plan = use_memo((settings.clone(), region), |(settings, region)| {
        Plan::new(settings, *region)
    });
    let outcome = use_memo(
        (draft.clone(), region, settings.as_of, *lang),
        |(draft, region, as_of, lang)| draft::evaluate(draft, *region, *as_of, *lang),
    );
    let (plan, outcome) = (Shared(plan), Shared(outcome));

    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |_| {
            lang.set(match *lang {
                Lang::Zh => Lang::En,
                Lang::En => Lang::Zh,
            })
        })
    };
    let on_saving = {
        let (saving, key) = (saving.clone(), settings.draft_key.clone());
        Callback::from(move |on: bool| {
            if !on {
                storage::clear(&key);
            }
            saving.set(on);
        })
    };
    let on_reset = {
        let (draft, as_of) = (draft.clone(), settings.as_of);
        Callback::from(move |_| draft.dispatch(Edit::Replace(Draft::new(as_of))))
    };
    let lang = *lang;
    // One landmark per instance, named by its place so that several on a page stay distinct.
    let name = match region {
        Some(region) => format!(
            "{} · {}",
            strings(lang).title,
            place(&region.to_string(), lang)
        ),
        None => strings(lang).title.to_owned(),
    };
    let lang_tag = match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };

    html! {
        <section class="hq" lang={lang_tag} aria-label={name}>
            <Header {lang} region={region.filter(|_| settings.region.is_some())} {on_lang} />
            <div class="hq-body">
                <div class="hq-form-col">
                    if settings.region.is_none() {
                        <RegionPicker {lang} draft={draft.clone()} />
                    }
                    <NextQuestions {lang} plan={plan.clone()} outcome={outcome.clone()} />
                    <Form {lang} plan={plan.clone()} outcome={outcome.clone()} draft={draft.clone()} as_of={settings.as_of} />
                    <StatusBar {lang} plan={plan.clone()} outcome={outcome.clone()} />
                </div>
                <div class="hq-result-col">
                    <Results {lang} plan={plan.clone()} outcome={outcome.clone()} picked={region.is_some()} />
                </div>
            </div>
            <Actions {lang} outcome={outcome} saving={*saving} {on_saving} {on_reset} as_of={settings.as_of} />
        </section>
    }
}

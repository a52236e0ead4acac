//! One question, as the input its kind calls for: yes/no radios, a choice, a date, or a number
//! with its unit (万元, %). Its error, if any, is the engine's, said in the user's language.

use huiqi_engine::Lang;
use huiqi_engine::fields::{Field, Kind};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::Edit;
use crate::components::{Shared, error_id, input_id};
use crate::draft::{Draft, NO, NULL_CHOICE, Outcome, YES};
use crate::i18n::{self, strings};
use crate::plan::label;

/// A row of the fields table, compared by identity.
#[derive(Clone, Copy)]
pub struct FieldRef(pub &'static Field);

impl PartialEq for FieldRef {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

/// Props of [`FieldInput`].
#[derive(Clone, Properties, PartialEq)]
pub struct FieldInputProps {
    pub lang: Lang,
    pub field: FieldRef,
    pub draft: UseReducerHandle<Draft>,
    pub outcome: Shared<Outcome>,
    /// The latest fiscal year, to label yearly inputs.
    pub last_year: i32,
}

/// The unit shown after a number input, if any.
pub fn unit(kind: Kind, lang: Lang) -> Option<&'static str> {
    let t = strings(lang);
    match kind {
        Kind::Money => Some(t.unit_wan),
        Kind::Share => Some(t.unit_percent),
        _ => None,
    }
}

/// The engine's message about input `key`, in `lang`.
pub fn error_of(outcome: &Outcome, key: &str, kind: Kind, lang: Lang) -> Option<String> {
    outcome
        .errors
        .get(key)
        .map(|message| i18n::input_error(message, kind, lang))
}

/// A callback storing what was typed into `key`.
pub fn on_text(draft: &UseReducerHandle<Draft>, key: &str) -> Callback<InputEvent> {
    let (draft, key) = (draft.clone(), key.to_owned());
    Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        draft.dispatch(Edit::Set(key.clone(), input.value()));
    })
}

/// One question.
#[function_component(FieldInput)]
pub fn field_input(props: &FieldInputProps) -> Html {
    let field = props.field.0;
    let (lang, key) = (props.lang, field.path);
    let error = error_of(&props.outcome, key, field.kind, lang);
    let message = error_message(key, error.as_deref());
    match field.kind {
        Kind::Bool => {
            let value = props.draft.get(key);
            let t = strings(lang);
            let options = [(YES, t.yes), (NO, t.no), ("", t.unanswered)];
            html! {
                <fieldset class="hq-field hq-bool" aria-describedby={error.as_ref().map(|_| error_id(key))}>
                    <legend class="hq-label">{ label(field, lang) }</legend>
                    <div class="hq-seg">
                        { for options.iter().enumerate().map(|(i, &(word, text))| {
                            let draft = props.draft.clone();
                            let onchange = Callback::from(move |_: Event| {
                                draft.dispatch(Edit::Set(key.to_owned(), word.to_string()));
                            });
                            html! {
                                <label class={if word.is_empty() { "hq-seg-opt hq-seg-none" } else { "hq-seg-opt" }}>
                                    <input type="radio" name={input_id(key)} id={(i == 0).then(|| input_id(key))}
                                        value={word} checked={value == word} {onchange} />
                                    <span>{ text }</span>
                                </label>
                            }
                        }) }
                    </div>
                    { message }
                </fieldset>
            }
        }
        Kind::Choice => {
            let value = props.draft.get(key).to_owned();
            let draft = props.draft.clone();
            let onchange = Callback::from(move |e: Event| {
                let select: HtmlSelectElement = e.target_unchecked_into();
                draft.dispatch(Edit::Set(key.to_owned(), select.value()));
            });
            // `industry_field` may be null: none of the eight fields.
            let none_of_them = (key == "industry_field").then(|| html! {
                <option value={NULL_CHOICE} selected={value == NULL_CHOICE}>{ strings(lang).field_none }</option>
            });
            html! {
                <div class="hq-field">
                    <label class="hq-label" for={input_id(key)}>{ label(field, lang) }</label>
                    <select id={input_id(key)} class="hq-select" {onchange}
                        aria-invalid={error.as_ref().map(|_| "true")}
                        aria-describedby={error.as_ref().map(|_| error_id(key))}>
                        <option value="" selected={value.is_empty()}>{ strings(lang).choose }</option>
                        { for field.choices.iter().map(|word| html! {
                            <option value={*word} selected={value == *word}>{ i18n::choice(word, lang) }</option>
                        }) }
                        { none_of_them }
                    </select>
                    { message }
                </div>
            }
        }
        _ if key == "conversions" => html! { <Conversions ..props.clone() /> },
        kind => html! {
            <div class="hq-field">
                <label class="hq-label" for={input_id(key)}>
                    { label(field, lang) }
                    if let Some(unit) = unit(kind, lang) { <span class="hq-sr">{ strings(lang).note("", unit) }</span> }
                </label>
                <div class="hq-input-wrap">
                    <TextInput id={input_id(key)} {kind} value={props.draft.get(key).to_owned()}
                        oninput={on_text(&props.draft, key)} invalid={error.is_some()} described={error_id(key)} />
                    if let Some(unit) = unit(kind, lang) { <span class="hq-unit" aria-hidden="true">{ unit }</span> }
                </div>
                { message }
            </div>
        },
    }
}

/// The error line under an input, referenced by its `aria-describedby`.
pub fn error_message(key: &str, error: Option<&str>) -> Html {
    match error {
        Some(text) => {
            html! { <p class="hq-error" id={error_id(key)}><span aria-hidden="true">{ "⚠ " }</span>{ text.to_owned() }</p> }
        }
        None => html! {},
    }
}

/// Props of [`TextInput`].
#[derive(Properties, PartialEq)]
pub struct TextInputProps {
    pub id: String,
    pub kind: Kind,
    pub value: String,
    pub oninput: Callback<InputEvent>,
    pub invalid: bool,
    /// Id of the error message describing it.
    pub described: String,
    /// Accessible name when no `<label for>` names it (table cells).
    #[prop_or_default]
    pub aria_label: Option<String>,
}

/// A text box for numbers, years and dates, with the keyboard each calls for on phones.
#[function_component(TextInput)]
pub fn text_input(props: &TextInputProps) -> Html {
    let (input_type, mode) = match props.kind {
        Kind::Date => ("date", None),
        Kind::Money | Kind::Share => ("text", Some("decimal")),
        _ => ("text", Some("numeric")),
    };
    html! {
        <input id={props.id.clone()} class="hq-input" type={input_type} inputmode={mode}
            autocomplete="off" value={props.value.clone()} oninput={props.oninput.clone()}
            aria-label={props.aria_label.clone()}
            aria-invalid={props.invalid.then_some("true")}
            aria-describedby={props.invalid.then(|| props.described.clone())} />
    }
}

/// Technology-result conversions: one count per year of the latest three.
#[function_component(Conversions)]
fn conversions(props: &FieldInputProps) -> Html {
    let field = props.field.0;
    let lang = props.lang;
    let t = strings(lang);
    let keys = Draft::keys(field);
    let errors: Vec<(&String, String)> = keys
        .iter()
        .filter_map(|k| error_of(&props.outcome, k, field.kind, lang).map(|e| (k, e)))
        .collect();
    html! {
        <fieldset class="hq-field">
            <legend class="hq-label">{ label(field, lang) }</legend>
            <div class="hq-years">
                { for keys.iter().enumerate().map(|(back, key)| {
                    let year = format!("{}{}", props.last_year - back as i32, t.conversions_year);
                    let invalid = props.outcome.errors.contains_key(key);
                    html! {
                        <label class="hq-year">
                            <span class="hq-year-label">{ year }</span>
                            <TextInput id={input_id(key)} kind={field.kind} value={props.draft.get(key).to_owned()}
                                oninput={on_text(&props.draft, key)} {invalid} described={error_id(key)} />
                        </label>
                    }
                }) }
            </div>
            { for errors.iter().map(|(key, e)| error_message(key, Some(e))) }
        </fieldset>
    }
}

//! Three fiscal years side by side: one row per figure, one column per year, in 万元. Fields
//! outside `financials[]` (the latest year, taxable income) are asked as ordinary questions.

use huiqi_engine::Lang;
use huiqi_engine::fields::Field;
use yew::prelude::*;

use crate::components::field::{
    FieldInput, FieldRef, TextInput, error_message, error_of, on_text, unit,
};
use crate::components::{Shared, error_id, input_id};
use crate::draft::{Draft, LAST_YEAR, Outcome};
use crate::i18n::strings;
use crate::plan::label;

/// Props of [`Finances`].
#[derive(Properties, PartialEq)]
pub struct FinancesProps {
    pub lang: Lang,
    /// The section's fields, most decisive first.
    pub fields: Vec<FieldRef>,
    pub draft: UseReducerHandle<Draft>,
    pub outcome: Shared<Outcome>,
    pub last_year: i32,
}

/// `financials[-k].name` → (k − 1, name); `None` for other paths and the year itself.
fn cell(path: &str) -> Option<(usize, &str)> {
    let (k, name) = path.strip_prefix("financials[-")?.split_once("].")?;
    let back = k.parse::<usize>().ok()?.checked_sub(1)?;
    (back < 3 && path != LAST_YEAR).then_some((back, name))
}

/// A figure's name without its year: the fields table labels each year's figure separately.
fn figure_label(field: &Field, lang: Lang) -> &'static str {
    const YEAR_PREFIXES: [&str; 6] = [
        "上年度",
        "上年末",
        "前一年度",
        "前一年末",
        "前两年度",
        "前两年末",
    ];
    let text = label(field, lang);
    match lang {
        Lang::Zh => YEAR_PREFIXES
            .iter()
            .find_map(|p| text.strip_prefix(p))
            .unwrap_or(text),
        Lang::En => text.split_once(", ").map_or(text, |(figure, _)| figure),
    }
}

/// The finances section.
#[function_component(Finances)]
pub fn finances(props: &FinancesProps) -> Html {
    let lang = props.lang;
    // Rows in order of their most decisive year.
    let mut rows: Vec<(&str, [Option<&'static Field>; 3])> = Vec::new();
    let mut others = Vec::new();
    for field in &props.fields {
        match cell(field.0.path) {
            Some((back, name)) => match rows.iter_mut().find(|(n, _)| *n == name) {
                Some((_, years)) => years[back] = Some(field.0),
                None => {
                    let mut years = [None; 3];
                    years[back] = Some(field.0);
                    rows.push((name, years));
                }
            },
            None => others.push(*field),
        }
    }
    let (leading, trailing): (Vec<FieldRef>, Vec<FieldRef>) =
        others.into_iter().partition(|f| f.0.path == LAST_YEAR);
    let field_input = |field: FieldRef| {
        html! {
            <FieldInput key={field.0.path} {lang} {field} draft={props.draft.clone()} outcome={props.outcome.clone()} last_year={props.last_year} />
        }
    };
    let year_text = |back: usize| match lang {
        Lang::Zh => format!("{} 年", props.last_year - back as i32),
        Lang::En => (props.last_year - back as i32).to_string(),
    };
    let mut errors = Vec::new();
    let table = html! {
        <table class="hq-fin">
            <thead>
                <tr>
                    <td></td>
                    { for (0..3).map(|back| html! { <th scope="col">{ year_text(back) }</th> }) }
                </tr>
            </thead>
            <tbody>
                { for rows.iter().map(|(name, years)| {
                    let head = years.iter().flatten().next().map_or("", |f| figure_label(f, lang));
                    html! {
                        <tr key={*name}>
                            <th scope="row">{ head }</th>
                            { for years.iter().enumerate().map(|(back, field)| match field {
                                Some(field) => {
                                    let key = field.path;
                                    let error = error_of(&props.outcome, key, field.kind, lang);
                                    let name = strings(lang).note(label(field, lang), unit(field.kind, lang).unwrap_or(""));
                                    let invalid = error.is_some();
                                    if let Some(e) = error {
                                        errors.push(error_message(key, Some(&format!("{} {}: {e}", head, year_text(back)))));
                                    }
                                    html! {
                                        <td>
                                            <TextInput id={input_id(key)} kind={field.kind} value={props.draft.get(key).to_owned()}
                                                oninput={on_text(&props.draft, key)} {invalid} described={error_id(key)}
                                                aria_label={name} />
                                        </td>
                                    }
                                }
                                None => html! { <td class="hq-fin-none"></td> },
                            }) }
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    };
    html! {
        <>
            { for leading.into_iter().map(field_input) }
            if !rows.is_empty() {
                <div class="hq-fin-wrap">{ table }</div>
                { for errors }
            }
            { for trailing.into_iter().map(field_input) }
        </>
    }
}

//! The place question, asked first when the portal leaves it to the user.

use huiqi_engine::{Lang, Region};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::app::Edit;
use crate::components::input_id;
use crate::draft::Draft;
use crate::i18n::{PLACES, strings};

/// Props of [`RegionPicker`].
#[derive(Properties, PartialEq)]
pub struct RegionPickerProps {
    pub lang: Lang,
    pub draft: UseReducerHandle<Draft>,
}

/// A choice of the places the rule packs cover, or elsewhere (national programs only).
#[function_component(RegionPicker)]
pub fn region_picker(props: &RegionPickerProps) -> Html {
    let t = strings(props.lang);
    let current = props.draft.get("region").to_owned();
    let onchange = {
        let draft = props.draft.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            draft.dispatch(Edit::Set("region".into(), select.value()));
        })
    };
    let china = Region::CHINA.to_string();
    let id = input_id("region");
    html! {
        <section class="hq-card hq-region">
            <label class="hq-label" for={id.clone()}>{ t.region_prompt }</label>
            <select id={id} class="hq-select" {onchange}>
                <option value="" selected={current.is_empty()}>{ t.choose }</option>
                { for PLACES.iter().map(|(code, zh, en)| html! {
                    <option value={*code} selected={current == *code}>
                        { if props.lang == Lang::Zh { *zh } else { *en } }
                    </option>
                }) }
                <option value={china.clone()} selected={current == china}>{ t.region_other }</option>
            </select>
        </section>
    }
}

//! The tier ladder (SVG): the region's tiers from the bottom rung up, each with its verdict, and
//! a marker on the highest tier the enterprise reaches.

use huiqi_engine::{Lang, Status};
use yew::prelude::*;

use crate::components::Shared;
use crate::draft::Outcome;
use crate::i18n::{self, status_mark, strings};
use crate::plan::Plan;

/// Props of [`Ladder`].
#[derive(Properties, PartialEq)]
pub struct LadderProps {
    pub lang: Lang,
    pub outcome: Shared<Outcome>,
    pub plan: Shared<Plan>,
}

const WIDTH: u32 = 360;
const ROW: u32 = 52;
const INDENT: u32 = 22;

/// The ladder, or nothing when the region has no tiers.
#[function_component(Ladder)]
pub fn ladder(props: &LadderProps) -> Html {
    let lang = props.lang;
    let t = strings(lang);
    let Some(evaluation) = &props.outcome.evaluation else {
        return html! {};
    };
    let mut tiers: Vec<_> = evaluation
        .programs
        .iter()
        .filter(|p| p.in_force && p.tier.is_some())
        .filter(|p| props.plan.programs.iter().any(|info| info.id == p.id))
        .collect();
    if tiers.is_empty() {
        return html! {};
    }
    tiers.sort_by_key(|p| p.tier);
    let reached = tiers.iter().rposition(|p| p.status == Status::Eligible);
    let n = tiers.len() as u32;
    let height = n * ROW + 4;
    let words: Vec<String> = tiers
        .iter()
        .map(|p| format!("{} {}", p.name.get(lang), i18n::status(p.status, lang)))
        .collect();
    let position = match reached {
        Some(i) => t.pair(t.ladder_here, tiers[i].name.get(lang)),
        None => t.ladder_none.to_owned(),
    };
    let description = format!("{}{}{position}", words.join(t.list_sep), t.full_stop);
    html! {
        <figure class="hq-card hq-ladder">
            <figcaption class="hq-card-title">{ t.ladder_heading }</figcaption>
            <svg viewBox={format!("0 0 {WIDTH} {height}")} role="img" aria-label={description} class="hq-ladder-svg">
                // Highest tier on top; each rung steps in from the left like a stair.
                { for tiers.iter().enumerate().map(|(i, p)| {
                    let i = i as u32;
                    let x = i * INDENT;
                    let y = (n - 1 - i) * ROW + 2;
                    let here = reached == Some(i as usize);
                    let class = match p.status {
                        Status::Eligible => "hq-rung hq-rung-ok",
                        Status::Ineligible => "hq-rung hq-rung-no",
                        Status::Undetermined => "hq-rung hq-rung-open",
                    };
                    html! {
                        <g class={if here { format!("{class} hq-rung-here") } else { class.to_owned() }}>
                            <rect x={x.to_string()} y={y.to_string()} width={(WIDTH - x - 2).to_string()} height={(ROW - 6).to_string()} rx="6" />
                            <text class="hq-rung-name" x={(x + 12).to_string()} y={(y + 19).to_string()}>
                                { format!("{} {}", status_mark(p.status), p.name.get(lang)) }
                            </text>
                            <text class="hq-rung-status" x={(x + 12).to_string()} y={(y + 38).to_string()}>
                                { format!("{} · {}", tier_word(p.tier.unwrap_or_default(), lang), i18n::status(p.status, lang)) }
                            </text>
                            if here {
                                <text class="hq-rung-here-text" x={(WIDTH - 12).to_string()} y={(y + 38).to_string()} text-anchor="end">
                                    { format!("▶ {}", t.ladder_here) }
                                </text>
                            }
                        </g>
                    }
                }) }
            </svg>
            if reached.is_none() && tiers[0].status == Status::Ineligible {
                <p class="hq-muted">{ t.ladder_none }</p>
            }
            <super::ratios::KeyRatios {lang} outcome={props.outcome.clone()} plan={props.plan.clone()} />
        </figure>
    }
}

fn tier_word(tier: u8, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第{tier}级"),
        Lang::En => format!("Tier {tier}"),
    }
}

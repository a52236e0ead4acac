//! Embedding options: what a portal passes to `mount(element, options)` or writes as attributes
//! of `<huiqi-check>`, checked once and turned into the widget's settings.

use std::rc::Rc;

use huiqi_engine::{Date, Lang, Region};
use serde::Deserialize;

/// Options as a portal writes them (all optional).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawOptions {
    /// 6-digit region code; absent: the user picks.
    region: Option<String>,
    /// `zh-CN` (default) or `en`.
    lang: Option<String>,
    /// Evaluation date `YYYY-MM-DD`; absent: today.
    as_of: Option<String>,
    /// Program ids to show; absent: every program of the region.
    programs: Option<Vec<String>>,
    /// Theme colours.
    theme: Option<Theme>,
    /// Key under which a saved draft is kept (several widgets on one page keep separate drafts).
    draft_key: Option<String>,
}

/// Theme colours, as CSS colour values.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Theme {
    /// Main colour: headings, buttons, focus ring.
    pub accent: Option<String>,
    /// Body text.
    pub ink: Option<String>,
    /// Card background.
    pub surface: Option<String>,
    /// Page background of the widget.
    pub background: Option<String>,
}

impl Theme {
    /// The theme as a `:host` rule of custom properties; refuses anything but a plain colour so that
    /// an option can never inject CSS.
    pub fn to_css(&self) -> Result<String, String> {
        let mut rule = String::from(":host{");
        for (name, value) in [
            ("accent", &self.accent),
            ("ink", &self.ink),
            ("surface", &self.surface),
            ("background", &self.background),
        ] {
            if let Some(value) = value {
                if !is_plain_colour(value) {
                    return Err(format!(
                        "theme.{name}: {value:?} is not a colour like \"#0b5cad\" or \"rgb(11 92 173)\""
                    ));
                }
                rule.push_str(&format!("--hq-{name}:{value};"));
            }
        }
        rule.push('}');
        Ok(rule)
    }
}

fn is_plain_colour(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " #,.%()/-".contains(c))
}

/// The checked settings a widget instance runs with.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Fixed region, or `None` when the user picks it.
    pub region: Option<Region>,
    /// Starting language.
    pub lang: Lang,
    /// Evaluation date.
    pub as_of: Date,
    /// Program ids to show; `None`: all of the region.
    pub programs: Option<Rc<[String]>>,
    /// Theme colours.
    pub theme: Theme,
    /// Storage key of a saved draft.
    pub draft_key: String,
}

impl Settings {
    /// Checks raw options; `today` is the default evaluation date.
    pub fn from_raw(raw: RawOptions, today: Date) -> Result<Settings, String> {
        let region = raw
            .region
            .filter(|r| !r.trim().is_empty())
            .map(|r| Region::parse(r.trim()).map_err(|e| format!("region: {e}")))
            .transpose()?;
        let as_of = match raw.as_of.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => {
                huiqi_engine::date::parse(text).map_err(|e| format!("asOf: {e}"))?
            }
            _ => today,
        };
        let programs = raw
            .programs
            .map(|ids| ids.into_iter().map(|id| id.trim().to_owned()).collect())
            .filter(|ids: &Rc<[String]>| !ids.is_empty());
        let theme = raw.theme.unwrap_or_default();
        theme.to_css()?;
        let draft_key = raw.draft_key.unwrap_or_else(|| {
            format!(
                "huiqi-check:draft:{}",
                region.map_or_else(|| "any".to_owned(), |r| r.to_string())
            )
        });
        Ok(Settings {
            region,
            lang: parse_lang(raw.lang.as_deref()),
            as_of,
            programs,
            theme,
            draft_key,
        })
    }

    /// Whether the program with `id` is one the portal shows.
    pub fn shows(&self, id: &str) -> bool {
        self.programs
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|p| p == id))
    }
}

/// `en`, `en-US`, … are English; anything else is Chinese, the default.
pub fn parse_lang(lang: Option<&str>) -> Lang {
    match lang {
        Some(l) if l.trim().to_ascii_lowercase().starts_with("en") => Lang::En,
        _ => Lang::Zh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::constant(2026, 11, 22)
    }

    #[test]
    fn defaults_and_parsing() {
        let s = Settings::from_raw(RawOptions::default(), today()).unwrap();
        assert_eq!((s.region, s.lang, s.as_of), (None, Lang::Zh, today()));
        let raw = RawOptions {
            region: Some("620102".into()),
            lang: Some("en-GB".into()),
            as_of: Some("2025-06-01".into()),
            programs: Some(vec!["cn.hnte".into()]),
            ..RawOptions::default()
        };
        let s = Settings::from_raw(raw, today()).unwrap();
        assert_eq!(s.region.map(|r| r.code()), Some(620102));
        assert_eq!(s.lang, Lang::En);
        assert!(s.shows("cn.hnte") && !s.shows("cn.tech-sme"));
        assert_eq!(s.draft_key, "huiqi-check:draft:620102");
    }

    #[test]
    fn theme_refuses_css_injection() {
        let theme = Theme {
            accent: Some("red;}*{display:none".into()),
            ..Theme::default()
        };
        assert!(theme.to_css().is_err());
        let theme = Theme {
            accent: Some("#0b5cad".into()),
            ..Theme::default()
        };
        assert_eq!(theme.to_css().unwrap(), ":host{--hq-accent:#0b5cad;}");
    }

    #[test]
    fn bad_region_and_date_are_named() {
        let raw = RawOptions {
            region: Some("99".into()),
            ..RawOptions::default()
        };
        assert!(
            Settings::from_raw(raw, today())
                .unwrap_err()
                .starts_with("region")
        );
        let raw = RawOptions {
            as_of: Some("2026-13-01".into()),
            ..RawOptions::default()
        };
        assert!(
            Settings::from_raw(raw, today())
                .unwrap_err()
                .starts_with("asOf")
        );
    }
}

//! Which questions the form asks and in what order, derived from the engine: only inputs that a
//! shown program in force reads, the most decisive first (as the engine ranks them for a blank profile).

use std::collections::BTreeSet;

use huiqi_engine::fields::{FIELDS, Field, Section};
use huiqi_engine::{Date, Engine, Lang, Options, Profile, ProgramInfo, Region};

use crate::draft::LAST_YEAR;
use crate::options::Settings;

/// The form's layout for one region and date.
pub struct Plan {
    /// The programs shown, as the engine describes them.
    pub programs: Vec<ProgramInfo>,
    /// Sections in form order, each with its fields, most decisive first.
    pub sections: Vec<(Section, Vec<&'static Field>)>,
}

impl Plan {
    /// Plans the form for `region` (none: only the region question) under `settings`.
    pub fn new(settings: &Settings, region: Option<Region>) -> Plan {
        let Some(region) = region else {
            return Plan {
                programs: Vec::new(),
                sections: Vec::new(),
            };
        };
        let engine = Engine::builtin();
        let programs: Vec<ProgramInfo> = engine
            .programs(Some(region), Some(settings.as_of))
            .into_iter()
            .filter(|p| settings.shows(&p.id))
            .collect();
        // Programs no longer in force are still shown, but never worth a question.
        let needed: BTreeSet<&str> = programs
            .iter()
            .filter(|p| p.in_force)
            .flat_map(|p| p.inputs.iter().map(String::as_str))
            .collect();
        let rank = decisive_order(region, settings.as_of);
        let position = |field: &Field| {
            rank.iter()
                .position(|path| path == field.path)
                .unwrap_or(usize::MAX)
        };
        let mut sections: Vec<(Section, Vec<&'static Field>)> = Vec::new();
        for field in FIELDS {
            // The region is asked on its own; the latest year leads the finances whenever asked.
            let asked = field.path != "region"
                && (needed.contains(field.path)
                    || (field.path == LAST_YEAR
                        && needed.iter().any(|p| p.starts_with("financials"))));
            if !asked {
                continue;
            }
            match sections.iter_mut().find(|(s, _)| *s == field.section) {
                Some((_, fields)) => fields.push(field),
                None => sections.push((field.section, vec![field])),
            }
        }
        sections.sort_by_key(|(section, _)| *section);
        for (_, fields) in &mut sections {
            // A stable sort keeps the table's order among equally decisive fields.
            fields.sort_by_key(|f| (f.path != LAST_YEAR, position(f)));
        }
        Plan { programs, sections }
    }

    /// Whether the form asks for the input at `path`.
    pub fn asks(&self, path: &str) -> bool {
        self.sections
            .iter()
            .any(|(_, fields)| fields.iter().any(|f| f.path == path))
    }
}

/// The inputs the engine finds most decisive for a blank profile of `region`.
fn decisive_order(region: Region, as_of: Date) -> Vec<String> {
    let profile = Profile {
        region: Some(region),
        ..Profile::default()
    };
    Engine::builtin()
        .evaluate(&profile, &Options::at(as_of))
        .map(|e| e.missing.into_iter().map(|m| m.into_owned()).collect())
        .unwrap_or_default()
}

/// The label of a field in `lang`.
pub fn label(field: &Field, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => field.label_zh,
        Lang::En => field.label_en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::RawOptions;

    fn settings(programs: Option<Vec<String>>) -> Settings {
        let raw: RawOptions = serde_json::from_value(serde_json::json!({
            "region": "620102",
            "asOf": "2026-11-22",
            "programs": programs,
        }))
        .unwrap();
        Settings::from_raw(raw, Date::constant(2026, 11, 22)).unwrap()
    }

    #[test]
    fn asks_only_what_programs_in_force_read() {
        let s = settings(None);
        let plan = Plan::new(&s, s.region);
        assert!(plan.asks("employees") && plan.asks("financials[-1].rd_expense"));
        assert!(plan.asks(LAST_YEAR));
        // Lanzhou's reserve-pool criteria expired in 2019: nobody is asked for them in 2026.
        assert!(
            !plan.asks("credit_good"),
            "credit_good is read only by expired programs"
        );
        assert!(
            !plan.asks("region"),
            "the region is asked apart, when not fixed"
        );
        let order: Vec<Section> = plan.sections.iter().map(|(s, _)| *s).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted, "sections keep form order");
    }

    #[test]
    fn fewer_programs_fewer_questions() {
        let all = settings(None);
        let hnte = settings(Some(vec!["cn.hnte".into()]));
        let (all, hnte) = (Plan::new(&all, all.region), Plan::new(&hnte, hnte.region));
        let count = |p: &Plan| p.sections.iter().map(|(_, f)| f.len()).sum::<usize>();
        assert_eq!(hnte.programs.len(), 1);
        assert!(count(&hnte) < count(&all));
        assert!(
            !hnte.asks("taxable_income"),
            "only tax estimates need taxable income"
        );
    }

    #[test]
    fn no_region_no_questions() {
        let plan = Plan::new(&settings(None), None);
        assert!(plan.programs.is_empty() && plan.sections.is_empty());
    }
}

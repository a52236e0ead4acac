//! Evaluation of a profile against the compiled packs.
use crate::pack::PackSet;
use crate::{Evaluation, Options, Profile};

pub fn evaluate(set: &PackSet, profile: &Profile, options: &Options) -> Evaluation {
    Evaluation {
        as_of: options.as_of,
        region: profile.region,
        lang: options.lang,
        rules_version: set.version.clone().into(),
        programs: Vec::new(),
        missing: Vec::new(),
        questions: Vec::new(),
    }
}

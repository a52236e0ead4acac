//! Rule packs: TOML files parsed, checked and compiled into programs.
use serde::Serialize;

use crate::Date;
use crate::error::PackError;
use crate::profile::Region;
use crate::result::{Citation, Text};

/// The compiled set of packs.
#[derive(Debug, Default)]
pub struct PackSet {
    pub version: String,
}

/// A program's description, for catalogues and `explain`.
#[derive(Clone, Debug, Serialize)]
pub struct ProgramInfo {
    /// Catalogue id.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Pack id.
    pub pack: String,
    /// Source document title.
    pub source: Text,
    /// Jurisdiction.
    pub region: Region,
    /// Ladder position.
    pub tier: Option<u8>,
    /// In force on the date asked (true when no date).
    pub in_force: bool,
    /// First day in force.
    pub valid_from: Option<Date>,
    /// Last day in force.
    pub valid_to: Option<Date>,
    /// Caveat.
    pub note: Option<Text>,
    /// Programs it builds on.
    pub requires: Vec<String>,
    /// Criteria.
    pub criteria: Vec<CriterionInfo>,
    /// Benefits: id, label, citation, amount rule.
    pub benefits: Vec<CriterionInfo>,
    /// Inputs the program reads (contract paths).
    pub inputs: Vec<String>,
}

/// A criterion's (or benefit's) description.
#[derive(Clone, Debug, Serialize)]
pub struct CriterionInfo {
    /// Stable id.
    pub id: String,
    /// What it asks.
    pub label: Text,
    /// The rule as written in the pack.
    pub rule: String,
    /// Rests on a declaration.
    pub self_declared: bool,
    /// Where it comes from.
    pub citation: Citation,
}

impl PackSet {
    pub fn compile<N: AsRef<str>, T: AsRef<str>>(
        _sources: &[(N, T)],
    ) -> Result<PackSet, Vec<PackError>> {
        Ok(PackSet::default())
    }
    pub fn program_infos(&self, _region: Option<Region>, _as_of: Option<Date>) -> Vec<ProgramInfo> {
        Vec::new()
    }
    pub fn program_info(&self, _id: &str) -> Option<ProgramInfo> {
        None
    }
}

//! Golden cases.
use serde::Serialize;

use crate::Engine;

/// Outcome of running golden cases.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CaseReport {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed, with why.
    pub failed: Vec<CaseFailure>,
}

/// One failed case.
#[derive(Clone, Debug, Serialize)]
pub struct CaseFailure {
    /// Case file.
    pub file: String,
    /// Case name.
    pub case: String,
    /// What differed.
    pub message: String,
}

pub fn run<N: AsRef<str>, T: AsRef<str>>(_engine: &Engine, _files: &[(N, T)]) -> CaseReport {
    CaseReport::default()
}

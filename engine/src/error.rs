//! Located errors: every problem names where it is (a field path in a profile, a file and
//! position in a rule pack) and what was expected.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One problem with an input profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct InputError {
    /// Field path, e.g. `financials[2].rd_expense`; empty for the whole document.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl InputError {
    /// An error at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Every problem found in a profile (never empty).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(transparent)]
pub struct InputErrors(pub Vec<InputError>);

impl InputErrors {
    /// A single error.
    pub fn one(error: InputError) -> Self {
        InputErrors(vec![error])
    }

    /// The first error's path, for callers that report one.
    pub fn first_path(&self) -> &str {
        self.0.first().map_or("", |e| e.path.as_str())
    }
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            fmt::Display::fmt(error, f)?;
        }
        Ok(())
    }
}

/// A problem in a rule pack: which file, where in it, and what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{file}: {location}: {message}")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct PackError {
    /// The pack's file name.
    pub file: String,
    /// Line and column, or the program/criterion it concerns.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl PackError {
    /// An error in `file` at `location`.
    pub fn new(file: &str, location: impl Into<String>, message: impl Into<String>) -> Self {
        PackError {
            file: file.to_owned(),
            location: location.into(),
            message: message.into(),
        }
    }
}

/// serde_path_to_error writes the root as `.`; the contract writes it as an empty path.
pub(crate) fn normalize_path(path: &str) -> String {
    if path == "." || path == "?" {
        String::new()
    } else {
        path.to_owned()
    }
}

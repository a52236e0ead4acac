//! Located errors: every problem names where it is (a field path in a profile, a file and
//! position in a rule pack) and what was expected.

use std::fmt;

use serde::de::DeserializeOwned;
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

/// Reads a `T` from JSON text; a refusal names the field path where serde_json stopped, e.g.
/// `program[0].criterion[2].rule` (empty for the whole document). The path is found by scanning
/// the text up to that place: tracking it while reading (serde_path_to_error) took about 10 KB of
/// the npm package's gzipped wasm, for input (rule packs, options) read once.
pub fn from_json_located<T: DeserializeOwned>(text: &str) -> Result<T, InputError> {
    serde_json::from_str(text).map_err(|error| located(text, &error))
}

/// serde_json's refusal of `text` at its field path (not generic: one copy serves every type).
fn located(text: &str, error: &serde_json::Error) -> InputError {
    let message = error.to_string();
    // serde_json ends the message with the place, which the path now says.
    let place = format!(" at line {} column {}", error.line(), error.column());
    let message = message.strip_suffix(&place).unwrap_or(&message);
    InputError::new(json_path_at(text, error.line(), error.column()), message)
}

/// The path of the value JSON `text` holds at `line` and `column`, as serde_json counts them:
/// 1-based lines, bytes into the line. serde_json places a refusal just after the key or value
/// it refused (after its closing `}` for an object missing a field) when the refusal comes from
/// its own reading or from a `Visitor`; a `Deserialize` that refuses after reading is placed at
/// the end of the enclosing object, so the engine's own types refuse in their visitors.
fn json_path_at(text: &str, line: usize, column: usize) -> String {
    enum Frame {
        /// An object and the byte range of the key being read, if any.
        Object(Option<std::ops::Range<usize>>),
        /// An array and the index of the item being read.
        Array(usize),
    }
    let bytes = text.as_bytes();
    let line_start = match line.checked_sub(2) {
        Some(newlines) => bytes
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .nth(newlines)
            .map_or(bytes.len(), |(i, _)| i + 1),
        None => 0,
    };
    let end = line_start.saturating_add(column).min(bytes.len());
    let mut stack = Vec::new();
    let mut key_next = false;
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'{' => {
                stack.push(Frame::Object(None));
                key_next = true;
            }
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
                key_next = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(index)) => *index += 1,
                Some(Frame::Object(key)) => {
                    *key = None;
                    key_next = true;
                }
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i = start;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if let (true, Some(Frame::Object(key))) = (key_next, stack.last_mut()) {
                    *key = Some(start..i.min(bytes.len()));
                }
                key_next = false;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(text.get(key).unwrap_or_default());
            }
            Frame::Object(None) => {}
            Frame::Array(index) => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[serde(default)]
        items: Vec<Item>,
        #[serde(default)]
        note: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        id: u8,
        #[serde(default)]
        tags: Vec<String>,
    }

    fn refusal(text: &str) -> (String, String) {
        let error = from_json_located::<Doc>(text).unwrap_err();
        (error.path, error.message)
    }

    #[test]
    fn reads_what_it_accepts() {
        let doc: Doc =
            from_json_located(r#"{"items":[{"id":1,"tags":["a"]}],"note":"n"}"#).unwrap();
        let item = &doc.items[0];
        assert_eq!(
            (item.id, item.tags.len(), doc.note.as_deref()),
            (1, 1, Some("n"))
        );
    }

    #[test]
    fn refusals_name_the_field_path() {
        let at = |text: &str| refusal(text).0;
        assert_eq!(at(r#"{"items":[{"id":1},{"id":"x"}]}"#), "items[1].id");
        assert_eq!(
            at(r#"{"items":[{"id":1,"tags":["a",5]}]}"#),
            "items[0].tags[1]"
        );
        assert_eq!(
            at(r#"{"note":"a\"},{","items":[{"idd":1}]}"#),
            "items[0].idd"
        );
        assert_eq!(at(r#"{"items":[{"tags":[]}]}"#), "items[0]");
        assert_eq!(at(r#"{"items":[{}]}"#), "items[0]");
        assert_eq!(
            at("{\n  \"items\": [\n    {\"id\": 300}\n  ]\n}"),
            "items[0].id"
        );
        assert_eq!(at(r#"{"items":{"id":1}}"#), "items");
        assert_eq!(at(r#"true"#), "");
        assert_eq!(at(r#"{"items":[{"id":1}]} x"#), "");
        assert_eq!(at(r#"{"notes":1}"#), "notes");
    }

    #[test]
    fn messages_leave_the_place_to_the_path() {
        assert_eq!(
            refusal(r#"{"items":[{"id":"x"}]}"#).1,
            "invalid type: string \"x\", expected u8"
        );
    }
}

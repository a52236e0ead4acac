//! CSV registries: a header row of contract field paths, then one profile per row.
//!
//! A column is a path as the contract writes it (`region`, `financials[0].rd_expense`, `ip.class1`,
//! `conversions[2]`); an empty cell is a missing value. Each row becomes the JSON object those paths
//! describe, then goes through the same validation as any JSON profile, so errors carry the same
//! paths. The kind of each cell (yes/no, whole number, amount, word) comes from the engine's field
//! table: the CSV face never keeps its own list of fields.

use std::fmt::Write;

use huiqi_engine::fields::{self, FIELDS, Kind};
use huiqi_engine::{Decimal, write_decimal};
use huiqi_engine::{InputError, InputErrors, Profile};

use super::whole_row;

/// The profile fields that are lists, written with an index in CSV headers.
const LISTS: &[&str] = &["financials", "conversions"];
/// The column carried into the output to name the enterprise.
const ID: &str = "id";

/// What each column of a CSV registry holds, and the profile object they make together.
pub struct CsvPlan {
    columns: Vec<Column>,
    shape: Shape,
}

enum Column {
    Id,
    Ignored,
    Field { path: Vec<Seg>, kind: Kind },
}

/// One step of a field path.
enum Seg {
    Key(String),
    Index(usize),
}

impl Seg {
    fn step(&self) -> Step<'_> {
        match self {
            Seg::Key(key) => Step::Key(key),
            Seg::Index(index) => Step::Index(*index),
        }
    }
}

/// A step of a path, borrowed: a row's JSON is written with a stack of them, turned into text
/// only for the few paths kept (an item moved up a list).
#[derive(Clone, Copy)]
enum Step<'s> {
    Key(&'s str),
    Index(usize),
}

impl CsvPlan {
    /// Reads the header row; refuses unknown, malformed and duplicated columns.
    pub fn new(headers: &csv::StringRecord, ignored: &[String]) -> anyhow::Result<CsvPlan> {
        let mut columns = Vec::with_capacity(headers.len());
        for (n, header) in headers.iter().enumerate() {
            let header = header.trim();
            if headers.iter().take(n).any(|h| h.trim() == header) {
                anyhow::bail!("CSV column {} {header:?} appears twice", n + 1);
            }
            let column = if header == ID {
                Column::Id
            } else if ignored.iter().any(|i| i == header) {
                Column::Ignored
            } else {
                let (path, kind) = field(header).map_err(|why| {
                    anyhow::anyhow!(
                        "CSV column {} {header:?} {why}; columns are contract paths such as \
                         region, employees, financials[0].year, financials[0].sales_revenue, \
                         ip.class1, conversions[0] (or `id`); skip other columns with \
                         --ignore-column NAME",
                        n + 1
                    )
                })?;
                Column::Field { path, kind }
            };
            columns.push(column);
        }
        let mut shape = Shape::Object(Vec::new());
        for (n, column) in columns.iter().enumerate() {
            if let Column::Field { path, kind } = column {
                shape.insert(path, n, *kind);
            }
        }
        Ok(CsvPlan { columns, shape })
    }

    /// A row's `id` cell, and its profile or the errors in it (paths as in the header). `json`
    /// is room for the row's JSON text, kept from row to row.
    pub fn row(
        &self,
        record: &csv::ByteRecord,
        json: &mut String,
    ) -> (Option<String>, Result<Profile, InputErrors>) {
        if record.len() != self.columns.len() {
            let message = format!(
                "the row has {} cells but the header has {} columns",
                record.len(),
                self.columns.len()
            );
            return (None, Err(whole_row(&message)));
        }
        let mut id = None;
        let mut cells = Vec::with_capacity(record.len());
        for (column, cell) in self.columns.iter().zip(record.iter()) {
            let Ok(cell) = super::utf8(cell) else {
                let path = match column {
                    Column::Field { path, .. } => display(path.iter().map(Seg::step)),
                    Column::Id => ID.to_owned(),
                    Column::Ignored => String::new(),
                };
                let error = InputError::new(path, "the cell is not valid UTF-8 text");
                return (id, Err(InputErrors::one(error)));
            };
            let cell = Some(trimmed(cell)).filter(|cell| !cell.is_empty());
            if let (Column::Id, Some(cell)) = (column, cell) {
                id = Some(cell.to_owned());
            }
            cells.push(cell);
        }
        // As JSON text, read by the same typed reader as a JSONL row: no tree of values to build
        // and drop.
        let mut renames = Vec::new();
        let mut bytes = std::mem::take(json).into_bytes();
        bytes.clear();
        let written = self
            .shape
            .write_json(&cells, &mut bytes, &mut Vec::new(), &mut renames);
        if !written {
            bytes.extend_from_slice(b"{}");
        }
        // Cells are UTF-8 (checked above) and the rest is ASCII.
        *json = String::from_utf8(bytes).unwrap_or_default();
        let profile = Profile::from_json(json).map_err(|mut errors| {
            for error in &mut errors.0 {
                rename(&mut error.path, &renames);
            }
            errors
        });
        (id, profile)
    }
}

/// `cell` without the white space around it (`str::trim`), the test skipped for the usual cell,
/// which begins and ends with a visible ASCII character.
fn trimmed(cell: &str) -> &str {
    match (cell.as_bytes().first(), cell.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => cell,
        _ => cell.trim(),
    }
}

/// Parses a header into a path and finds its kind in the engine's field table.
fn field(header: &str) -> Result<(Vec<Seg>, Kind), String> {
    let mut path = Vec::new();
    for part in header.split('.') {
        let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err("is not a field path".to_owned());
        }
        path.push(Seg::Key(key.to_owned()));
        let is_list = path.len() == 1 && LISTS.contains(&key);
        let mut indexed = false;
        while let Some(inner) = rest.strip_prefix('[') {
            let (digits, after) = inner.split_at(inner.find(']').unwrap_or(inner.len()));
            let index = digits
                .parse::<usize>()
                .map_err(|_| format!("has a bad index [{digits}]; expected [0], [1], …"))?;
            if !is_list || indexed {
                return Err(format!("indexes {key}, which is not a list"));
            }
            path.push(Seg::Index(index));
            indexed = true;
            rest = after.strip_prefix(']').unwrap_or(after);
        }
        if !rest.is_empty() {
            return Err("is not a field path".to_owned());
        }
        if is_list && !indexed {
            return Err(format!("needs an index: {key} is a list, e.g. {key}[0]"));
        }
    }
    // The field table writes list items as the latest one (`financials[-1].x`), or the list itself.
    let table_path: String = path
        .iter()
        .map(|seg| match seg {
            Seg::Key(key) => format!(".{key}"),
            Seg::Index(_) => "[-1]".to_owned(),
        })
        .collect();
    let table_path = &table_path[1..];
    let row = fields::by_path(table_path)
        .or_else(|| fields::by_path(table_path.trim_end_matches("[-1]")))
        .ok_or_else(|| "is not a profile field".to_owned())?;
    Ok((path, FIELDS[usize::from(row)].kind))
}

/// A non-empty cell as JSON: the validation that follows reports any misfit by path.
enum Leaf<'r> {
    /// `true`, `false` or `null`.
    Literal(&'static str),
    Whole(i128),
    Text(&'r str),
}

fn cell_value(kind: Kind, cell: &str) -> Leaf<'_> {
    match kind {
        Kind::Bool => {
            let any = |words: [&str; 5]| words.iter().any(|w| cell.eq_ignore_ascii_case(w));
            if any(["true", "yes", "y", "1", "是"]) {
                Leaf::Literal("true")
            } else if any(["false", "no", "n", "0", "否"]) {
                Leaf::Literal("false")
            } else {
                Leaf::Text(cell)
            }
        }
        Kind::Count | Kind::Year => match cell.parse::<u64>() {
            Ok(n) => Leaf::Whole(n.into()),
            Err(_) => cell
                .parse::<i64>()
                .map_or(Leaf::Text(cell), |n| Leaf::Whole(n.into())),
        },
        // `industry_field` may be null: none of the eight fields.
        Kind::Choice if cell == "null" => Leaf::Literal("null"),
        // Amounts stay text, so that they are parsed exactly.
        _ => Leaf::Text(cell),
    }
}

impl Leaf<'_> {
    fn write_json(&self, out: &mut Vec<u8>) {
        match *self {
            Leaf::Literal(word) => out.extend_from_slice(word.as_bytes()),
            Leaf::Whole(n) => write_decimal(out, Decimal::from(n)),
            Leaf::Text(text) if text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') => {
                // Writing to a Vec cannot fail.
                let _ = serde_json::to_writer(&mut *out, text);
            }
            Leaf::Text(text) => {
                out.push(b'"');
                out.extend_from_slice(text.as_bytes());
                out.push(b'"');
            }
        }
    }
}

/// The path as the header wrote it.
fn display<'s>(path: impl IntoIterator<Item = Step<'s>>) -> String {
    let mut text = String::new();
    for step in path {
        match step {
            Step::Key(key) if text.is_empty() => text.push_str(key),
            Step::Key(key) => {
                text.push('.');
                text.push_str(key);
            }
            Step::Index(index) => {
                let _ = write!(text, "[{index}]");
            }
        }
    }
    text
}

/// The objects and lists the header's columns make, with a column at each leaf: the same for
/// every row, so that a row is written out as JSON without building a tree of its own.
enum Shape {
    Cell(usize, Kind),
    Object(Vec<(String, Shape)>),
    /// Items by their index in the header, in order.
    List(Vec<(usize, Shape)>),
}

impl Shape {
    /// An empty shape of the kind `rest` walks into.
    fn for_path(rest: &[Seg], column: usize, kind: Kind) -> Shape {
        match rest.first() {
            Some(Seg::Key(_)) => Shape::Object(Vec::new()),
            Some(Seg::Index(_)) => Shape::List(Vec::new()),
            None => Shape::Cell(column, kind),
        }
    }

    fn insert(&mut self, path: &[Seg], column: usize, kind: Kind) {
        let Some((seg, rest)) = path.split_first() else {
            return;
        };
        // The header check lets a path only through objects and lists, so the kinds always match.
        let child = match (self, seg) {
            (Shape::Object(entries), Seg::Key(key)) => {
                let at = entries
                    .iter()
                    .position(|(k, _)| k == key)
                    .unwrap_or_else(|| {
                        entries.push((key.clone(), Shape::for_path(rest, column, kind)));
                        entries.len() - 1
                    });
                &mut entries[at].1
            }
            (Shape::List(items), Seg::Index(index)) => {
                let at = items.partition_point(|(i, _)| i < index);
                if items.get(at).is_none_or(|(i, _)| i != index) {
                    items.insert(at, (*index, Shape::for_path(rest, column, kind)));
                }
                &mut items[at].1
            }
            _ => return,
        };
        child.insert(rest, column, kind);
    }

    /// Writes the part of a row this shape holds as JSON text; `false`, writing nothing, when all
    /// its cells are empty (an object or list of empty cells is left out). Lists close their gaps
    /// (a year left blank is no year), and `renames` records each moved item as (path in the
    /// JSON, path in the header). `path` is where the shape sits, grown and cut back in place:
    /// paths are written out only for a moved item.
    fn write_json<'s>(
        &'s self,
        cells: &[Option<&str>],
        out: &mut Vec<u8>,
        path: &mut Vec<Step<'s>>,
        renames: &mut Vec<(String, String)>,
    ) -> bool {
        let start = out.len();
        let mut written = 0;
        match self {
            Shape::Cell(column, kind) => match cells[*column] {
                Some(cell) => {
                    cell_value(*kind, cell).write_json(out);
                    return true;
                }
                None => return false,
            },
            Shape::Object(entries) => {
                out.push(b'{');
                for (key, shape) in entries {
                    path.push(Step::Key(key));
                    written +=
                        usize::from(shape.member(written, Some(key), cells, out, path, renames));
                    path.pop();
                }
                out.push(b'}');
            }
            Shape::List(items) => {
                out.push(b'[');
                for (index, shape) in items {
                    path.push(Step::Index(written));
                    if shape.member(written, None, cells, out, path, renames) {
                        if written != *index
                            && let Some((_, above)) = path.split_last()
                        {
                            let header = above.iter().copied().chain([Step::Index(*index)]);
                            renames.push((display(path.iter().copied()), display(header)));
                        }
                        written += 1;
                    }
                    path.pop();
                }
                out.push(b']');
            }
        }
        if written == 0 {
            out.truncate(start);
        }
        written > 0
    }

    /// Writes this shape as the member (with `key`) or item after `written` others, its comma
    /// first; `false`, writing nothing, when its cells are all empty.
    fn member<'s>(
        &'s self,
        written: usize,
        key: Option<&str>,
        cells: &[Option<&str>],
        out: &mut Vec<u8>,
        path: &mut Vec<Step<'s>>,
        renames: &mut Vec<(String, String)>,
    ) -> bool {
        let mark = out.len();
        if written > 0 {
            out.push(b',');
        }
        if let Some(key) = key {
            // Header keys are lowercase letters, digits and `_` (see `field`): no escapes.
            out.push(b'"');
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(b"\":");
        }
        let wrote = self.write_json(cells, out, path, renames);
        if !wrote {
            out.truncate(mark);
        }
        wrote
    }
}

/// Rewrites an error path from the JSON built to the columns of the header.
fn rename(path: &mut String, renames: &[(String, String)]) {
    for (built, header) in renames {
        if let Some(rest) = path.strip_prefix(built.as_str())
            && (rest.is_empty() || rest.starts_with(['.', '[']))
        {
            *path = format!("{header}{rest}");
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_trimmed_as_str_trim_trims_them() {
        for cell in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\n",
            "12.50",
            "　甲　",
            "甲",
            "a　",
            "\u{a0}1",
        ] {
            assert_eq!(trimmed(cell), cell.trim(), "{cell:?}");
        }
    }

    #[test]
    fn yes_and_no_are_read_in_any_case() {
        for (cell, word) in [
            ("TRUE", "true"),
            ("Yes", "true"),
            ("y", "true"),
            ("是", "true"),
            ("False", "false"),
            ("NO", "false"),
            ("0", "false"),
            ("否", "false"),
        ] {
            assert!(
                matches!(cell_value(Kind::Bool, cell), Leaf::Literal(w) if w == word),
                "{cell}"
            );
        }
        assert!(matches!(
            cell_value(Kind::Bool, "maybe"),
            Leaf::Text("maybe")
        ));
    }
}

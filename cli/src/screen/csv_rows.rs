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

/// What each column of a CSV registry holds.
pub struct CsvPlan {
    columns: Vec<Column>,
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
        Ok(CsvPlan { columns })
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
        let mut tree = Node::Object(Vec::new());
        for (column, cell) in self.columns.iter().zip(record.iter()) {
            let Ok(cell) = std::str::from_utf8(cell) else {
                let path = match column {
                    Column::Field { path, .. } => display(path),
                    Column::Id => ID.to_owned(),
                    Column::Ignored => String::new(),
                };
                let error = InputError::new(path, "the cell is not valid UTF-8 text");
                return (id, Err(InputErrors::one(error)));
            };
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            match column {
                Column::Id => id = Some(cell.to_owned()),
                Column::Ignored => {}
                Column::Field { path, kind } => tree.insert(path, cell_value(*kind, cell)),
            }
        }
        // As JSON text, read by the same typed reader as a JSONL row: no tree of values to build
        // and drop.
        let mut renames = Vec::new();
        let mut bytes = std::mem::take(json).into_bytes();
        bytes.clear();
        tree.write_json(&mut bytes, &mut String::with_capacity(64), &mut renames);
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
        Kind::Bool => match cell.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" | "是" => Leaf::Literal("true"),
            "false" | "no" | "n" | "0" | "否" => Leaf::Literal("false"),
            _ => Leaf::Text(cell),
        },
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
fn display(path: &[Seg]) -> String {
    let mut text = String::new();
    for seg in path {
        match seg {
            Seg::Key(key) if text.is_empty() => text.push_str(key),
            Seg::Key(key) => {
                text.push('.');
                text.push_str(key);
            }
            Seg::Index(index) => text.push_str(&format!("[{index}]")),
        }
    }
    text
}

/// A row's cells as a tree of objects and lists, before it becomes JSON.
enum Node<'p, 'r> {
    Leaf(Leaf<'r>),
    Object(Vec<(&'p str, Node<'p, 'r>)>),
    List(Vec<(usize, Node<'p, 'r>)>),
}

impl<'p, 'r> Node<'p, 'r> {
    /// An empty node of the kind `rest` walks into.
    fn for_path(rest: &[Seg]) -> Node<'p, 'r> {
        match rest.first() {
            Some(Seg::Key(_)) => Node::Object(Vec::new()),
            Some(Seg::Index(_)) => Node::List(Vec::new()),
            None => Node::Leaf(Leaf::Literal("null")),
        }
    }

    fn insert(&mut self, path: &'p [Seg], value: Leaf<'r>) {
        let Some((seg, rest)) = path.split_first() else {
            *self = Node::Leaf(value);
            return;
        };
        // The header check lets a path only through objects and lists, so the kinds always match.
        match (self, seg) {
            (Node::Object(entries), Seg::Key(key)) => {
                let at = match entries.iter().position(|(k, _)| k == key) {
                    Some(at) => at,
                    None => {
                        entries.push((key, Node::for_path(rest)));
                        entries.len() - 1
                    }
                };
                entries[at].1.insert(rest, value);
            }
            (Node::List(items), Seg::Index(index)) => {
                let at = match items.iter().position(|(i, _)| i == index) {
                    Some(at) => at,
                    None => {
                        items.push((*index, Node::for_path(rest)));
                        items.len() - 1
                    }
                };
                items[at].1.insert(rest, value);
            }
            _ => {}
        }
    }

    /// Writes the node as JSON text. Lists close their gaps (a year left blank is no year), and
    /// `renames` records each moved item as (path in the JSON, path in the header). `path` is
    /// where the node sits, grown and cut back in place: paths are written out only for a moved
    /// item.
    fn write_json(self, out: &mut Vec<u8>, path: &mut String, renames: &mut Vec<(String, String)>) {
        match self {
            // Writing to a Vec cannot fail.
            Node::Leaf(leaf) => leaf.write_json(out),
            Node::Object(entries) => {
                out.push(b'{');
                for (i, (key, node)) in entries.into_iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    // Header keys are lowercase letters, digits and `_` (see `field`): no escapes.
                    out.push(b'"');
                    out.extend_from_slice(key.as_bytes());
                    out.extend_from_slice(b"\":");
                    let len = path.len();
                    if len > 0 {
                        path.push('.');
                    }
                    path.push_str(key);
                    node.write_json(out, path, renames);
                    path.truncate(len);
                }
                out.push(b'}');
            }
            Node::List(mut items) => {
                items.sort_by_key(|(index, _)| *index);
                out.push(b'[');
                for (at, (index, node)) in items.into_iter().enumerate() {
                    if at > 0 {
                        out.push(b',');
                    }
                    let len = path.len();
                    let _ = write!(path, "[{at}]");
                    if at != index {
                        renames.push((path.clone(), format!("{}[{index}]", &path[..len])));
                    }
                    node.write_json(out, path, renames);
                    path.truncate(len);
                }
                out.push(b']');
            }
        }
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

//! CSV registries: a header row of contract field paths, then one profile per row.
//!
//! A column is a path as the contract writes it (`region`, `financials[0].rd_expense`, `ip.class1`,
//! `conversions[2]`); an empty cell is a missing value. Each row becomes the JSON object those paths
//! describe, then goes through the same validation as any JSON profile, so errors carry the same
//! paths. The kind of each cell (yes/no, whole number, amount, word) comes from the engine's field
//! table: the CSV face never keeps its own list of fields.

use huiqi_engine::fields::{self, FIELDS, Kind};
use huiqi_engine::{InputError, InputErrors, Profile};
use serde_json::{Map, Value};

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

    /// A row's `id` cell, and its profile or the errors in it (paths as in the header).
    pub fn row(&self, record: &csv::ByteRecord) -> (Option<String>, Result<Profile, InputErrors>) {
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
        let mut renames = Vec::new();
        let value = tree.into_value("", &mut renames);
        let profile = Profile::from_value(&value).map_err(|mut errors| {
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

/// The JSON value of a non-empty cell: the validation that follows reports any misfit by path.
fn cell_value(kind: Kind, cell: &str) -> Value {
    match kind {
        Kind::Bool => match cell.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" | "是" => Value::Bool(true),
            "false" | "no" | "n" | "0" | "否" => Value::Bool(false),
            _ => Value::String(cell.to_owned()),
        },
        Kind::Count | Kind::Year => {
            if let Ok(n) = cell.parse::<u64>() {
                Value::from(n)
            } else if let Ok(n) = cell.parse::<i64>() {
                Value::from(n)
            } else {
                Value::String(cell.to_owned())
            }
        }
        // `industry_field` may be null: none of the eight fields.
        Kind::Choice if cell == "null" => Value::Null,
        // Amounts stay text, so that they are parsed exactly.
        _ => Value::String(cell.to_owned()),
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
enum Node<'p> {
    Leaf(Value),
    Object(Vec<(&'p str, Node<'p>)>),
    List(Vec<(usize, Node<'p>)>),
}

impl<'p> Node<'p> {
    /// An empty node of the kind `rest` walks into.
    fn for_path(rest: &[Seg]) -> Node<'p> {
        match rest.first() {
            Some(Seg::Key(_)) => Node::Object(Vec::new()),
            Some(Seg::Index(_)) => Node::List(Vec::new()),
            None => Node::Leaf(Value::Null),
        }
    }

    fn insert(&mut self, path: &'p [Seg], value: Value) {
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

    /// The JSON value. Lists close their gaps (a year left blank is no year), and `renames`
    /// records each moved item as (path in the JSON, path in the header).
    fn into_value(self, prefix: &str, renames: &mut Vec<(String, String)>) -> Value {
        match self {
            Node::Leaf(value) => value,
            Node::Object(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for (key, node) in entries {
                    let path = if prefix.is_empty() {
                        key.to_owned()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    map.insert(key.to_owned(), node.into_value(&path, renames));
                }
                Value::Object(map)
            }
            Node::List(mut items) => {
                items.sort_by_key(|(index, _)| *index);
                let mut list = Vec::with_capacity(items.len());
                for (at, (index, node)) in items.into_iter().enumerate() {
                    let path = format!("{prefix}[{at}]");
                    if at != index {
                        renames.push((path.clone(), format!("{prefix}[{index}]")));
                    }
                    list.push(node.into_value(&path, renames));
                }
                Value::Array(list)
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

//! `huiqi screen`: evaluates a registry (JSONL or CSV) and prints one JSONL line per profile.
//!
//! The input is streamed in batches, so memory stays flat whatever the file size. Each batch is cut
//! into one chunk per thread; every chunk writes its lines into its own buffer, and the buffers are
//! written in order, so the output order is the input order. While the workers evaluate a batch, the
//! main thread reads the next one.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, ValueEnum};
use huiqi_engine::{
    Decimal, Engine, Evaluation, InputError, InputErrors, Lang, Options, Profile, Status, Unit,
    Verdicts, plain_json, write_decimal, write_quoted_decimal,
};
use plain_json::Declined;
use serde::Serialize;
use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StringDeserializer};
use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;

use crate::AtArg;
use csv_rows::CsvPlan;

mod csv_rows;

/// Rows evaluated per thread between two writes: big enough to amortise the hand-over (256 were
/// slower on two threads), small enough that a batch's text and lines stay in the processor's
/// caches (4096 were 5% slower on one).
const ROWS_PER_THREAD: usize = 1024;

/// A compact line's usual length, about two and a half kilobytes, with room to spare.
const LINE_BYTES: usize = 3072;

/// Options of `huiqi screen`.
#[derive(Args)]
pub struct ScreenArgs {
    #[command(flatten)]
    at: AtArg,
    /// Print complete results (every criterion with its trace and citation) instead of compact lines.
    #[arg(long)]
    full: bool,
    /// Input format; by default from the file name (`.csv` is CSV, anything else JSONL).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// CSV: ignore this column (repeatable), e.g. a company name that is no profile field.
    #[arg(long = "ignore-column", value_name = "NAME")]
    ignore_columns: Vec<String>,
    /// Threads that evaluate; defaults to the number of cores.
    #[arg(long, value_name = "N")]
    threads: Option<NonZeroUsize>,
    /// Do not print the closing summary (rows, errors, speed) on stderr.
    #[arg(long, short)]
    quiet: bool,
    /// Registry file (`.jsonl` or `.csv`); `-` reads stdin.
    input: PathBuf,
}

/// Input format of a registry.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One JSON profile object per line.
    Jsonl,
    /// A header row of contract field paths, then one profile per row.
    Csv,
}

/// Runs the screen and prints a summary on stderr.
pub fn run(engine: &Engine, args: &ScreenArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let format = args.format.unwrap_or_else(|| {
        let csv = args
            .input
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if csv { Format::Csv } else { Format::Jsonl }
    });
    let input = open(&args.input)?;
    let (mut source, plan) = match format {
        Format::Jsonl => (Source::Jsonl { input, line: 0 }, None),
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
            let headers = reader
                .headers()
                .with_context(|| format!("cannot read the CSV header of {}", args.input.display()))?
                .clone();
            let plan = CsvPlan::new(&headers, &args.ignore_columns)?;
            (Source::Csv { reader }, Some(plan))
        }
    };
    let threads = args
        .threads
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get);
    let job = Job {
        engine,
        options: Options {
            as_of: args.at.date(),
            lang,
            details: args.full,
        },
        full: args.full,
        plan,
    };
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let tally = screen(&job, &mut source, &mut out, threads, ROWS_PER_THREAD)?;
    out.flush()?;
    if !args.quiet {
        let seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "huiqi: screened {} rows ({} results, {} errors) in {seconds:.3} s: {:.0} rows/s, {:.2} µs/row, {threads} thread{}",
            tally.rows,
            tally.rows - tally.errors,
            tally.errors,
            tally.rows as f64 / seconds,
            seconds * 1e6 / tally.rows.max(1) as f64,
            if threads == 1 { "" } else { "s" },
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn open(path: &Path) -> anyhow::Result<Box<dyn BufRead + Send>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin())));
    }
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
}

/// What every row is evaluated with.
struct Job<'a> {
    engine: &'a Engine,
    options: Options,
    full: bool,
    plan: Option<CsvPlan>,
}

/// Counts for the summary.
#[derive(Default)]
struct Tally {
    rows: u64,
    errors: u64,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.rows += other.rows;
        self.errors += other.errors;
    }
}

/// One input row, as read.
struct Row {
    /// 1-based line number in the input where the row starts.
    line: u64,
    body: Body,
}

enum Body {
    /// Where the row's text lies in its batch's [`Batch::text`].
    Json(std::ops::Range<usize>),
    Csv(csv::ByteRecord),
    /// A row that could not even be read (not UTF-8, …).
    Unreadable(String),
}

/// Rows read together. The text of JSONL rows lies in one buffer, kept from batch to batch, not
/// in a `String` of its own per row.
#[derive(Default)]
struct Batch {
    rows: Vec<Row>,
    text: String,
}

impl Batch {
    fn clear(&mut self) {
        self.rows.clear();
        self.text.clear();
    }
}

/// Where rows come from.
enum Source {
    Jsonl {
        input: Box<dyn BufRead + Send>,
        line: u64,
    },
    Csv {
        reader: csv::Reader<Box<dyn BufRead + Send>>,
    },
}

impl Source {
    /// Appends up to `n` rows to `batch`; fewer only at the end of the input.
    fn fill(&mut self, batch: &mut Batch, n: usize) -> anyhow::Result<()> {
        let rows = &mut batch.rows;
        match self {
            Source::Jsonl { input, line } => {
                let mut spill = Vec::new();
                while rows.len() < n {
                    let read = read_line(input, &mut spill, |bytes| {
                        *line += 1;
                        let body = match utf8(bytes) {
                            Ok(mut text) => {
                                // A byte-order mark may start the file.
                                if *line == 1 {
                                    text = text.strip_prefix('\u{feff}').unwrap_or(text);
                                }
                                // Blank lines are no rows; JSON allows the white space around a
                                // value.
                                if text.trim().is_empty() {
                                    return;
                                }
                                let start = batch.text.len();
                                batch.text.push_str(text);
                                Body::Json(start..batch.text.len())
                            }
                            Err(_) => {
                                Body::Unreadable("the line is not valid UTF-8 text".to_owned())
                            }
                        };
                        rows.push(Row { line: *line, body });
                    })?;
                    if !read {
                        break;
                    }
                }
            }
            Source::Csv { reader } => {
                // Room for a row like the last one, so that its record is not grown cell by cell.
                let (mut bytes, mut fields) = (0, 0);
                while rows.len() < n {
                    let mut record = csv::ByteRecord::with_capacity(bytes, fields);
                    match reader.read_byte_record(&mut record) {
                        Ok(false) => break,
                        Ok(true) => {
                            (bytes, fields) = (record.as_slice().len(), record.len());
                            let line = record.position().map_or(0, |p| p.line());
                            rows.push(Row {
                                line,
                                body: Body::Csv(record),
                            });
                        }
                        Err(error) => {
                            if let csv::ErrorKind::Io(_) = error.kind() {
                                return Err(error.into());
                            }
                            let line = error.position().map_or(0, |p| p.line());
                            rows.push(Row {
                                line,
                                body: Body::Unreadable(error.to_string()),
                            });
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// `bytes` as text if they are UTF-8. Registries are nearly always ASCII, which an OR of every
/// byte, vectorised by the compiler, tells in half the instructions `from_utf8` spends on it.
fn utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    if bytes.iter().fold(0, |all, byte| all | byte) < 0x80 {
        // SAFETY: ASCII is UTF-8.
        Ok(unsafe { std::str::from_utf8_unchecked(bytes) })
    } else {
        std::str::from_utf8(bytes)
    }
}

/// Hands the next line, with its `\n` if it has one, to `then`; `false` at the end of the input.
/// As `read_until`, but memchr's vector search finds the end of kilobyte-long rows in a fraction
/// of the instructions of std's word-at-a-time one, and a line that lies whole in the input's
/// buffer is handed over from there, not copied out first: only one that crosses the buffer's
/// end is gathered in `spill` (left empty after).
fn read_line(
    input: &mut dyn BufRead,
    spill: &mut Vec<u8>,
    mut then: impl FnMut(&[u8]),
) -> io::Result<bool> {
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            if spill.is_empty() {
                return Ok(false);
            }
            then(spill);
            spill.clear();
            return Ok(true);
        }
        let Some(end) = memchr::memchr(b'\n', available) else {
            spill.extend_from_slice(available);
            let taken = available.len();
            input.consume(taken);
            continue;
        };
        let line = &available[..=end];
        if spill.is_empty() {
            then(line);
        } else {
            spill.extend_from_slice(line);
            then(spill);
            spill.clear();
        }
        input.consume(end + 1);
        return Ok(true);
    }
}

/// Screens every row of `source` into `out`, in order, on `threads` threads.
fn screen(
    job: &Job,
    source: &mut Source,
    out: &mut impl Write,
    threads: usize,
    rows_per_thread: usize,
) -> anyhow::Result<Tally> {
    let batch = rows_per_thread * threads;
    let mut tally = Tally::default();
    // Two batches, reused: the one being screened and the one being read.
    let mut current = Batch::default();
    let mut next = Batch::default();
    source.fill(&mut current, batch)?;
    let mut buffers: Vec<Vec<u8>> = (0..threads).map(|_| Vec::new()).collect();
    while !current.rows.is_empty() {
        buffers.iter_mut().for_each(Vec::clear);
        let text = current.text.as_str();
        if threads == 1 {
            tally += screen_rows(job, &current.rows, text, &mut buffers[0])?;
            source.fill(&mut next, batch)?;
        } else {
            let chunk = current.rows.len().div_ceil(threads);
            let read = std::thread::scope(|scope| {
                let workers: Vec<_> = current
                    .rows
                    .chunks(chunk)
                    .zip(buffers.iter_mut())
                    .map(|(rows, buffer)| scope.spawn(move || screen_rows(job, rows, text, buffer)))
                    .collect();
                let read = source.fill(&mut next, batch);
                let mut screened = Tally::default();
                for worker in workers {
                    // The engine never panics; if it did, fail loudly rather than drop rows.
                    screened += worker
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
                }
                read.map(|()| screened)
            });
            tally += read?;
        }
        for buffer in &buffers {
            out.write_all(buffer)?;
        }
        std::mem::swap(&mut current, &mut next);
        next.clear();
    }
    Ok(tally)
}

/// Evaluates `rows`, whose JSONL text lies in `text`, appending one JSON line per row to `out`.
fn screen_rows(
    job: &Job,
    rows: &[Row],
    text: &str,
    out: &mut Vec<u8>,
) -> serde_json::Result<Tally> {
    let mut tally = Tally::default();
    // One set of verdicts for the chunk, its lists reused row after row.
    let mut verdicts = Verdicts::default();
    let mut room = Room::default();
    let mut pieces = Pieces::default();
    // Room for the usual line, so that the buffer, kept from batch to batch, is not grown (and
    // copied) a dozen times in the first one. Room not written is never touched.
    out.reserve(rows.len() * LINE_BYTES);
    for row in rows {
        tally.rows += 1;
        let written = read_row(job, row, text, &mut room, |id, profile| {
            let evaluated;
            let line = match profile {
                Ok(p) => {
                    evaluated = if job.full {
                        job.engine.evaluate(p, &job.options).map(Line::Full)
                    } else {
                        job.engine
                            .verdicts_into(p, job.options.as_of, &mut verdicts)
                            .map(|()| Line::Compact)
                    };
                    evaluated.as_ref()
                }
                Err(errors) => Err(errors),
            };
            match line {
                Ok(Line::Full(result)) => serde_json::to_writer(
                    &mut *out,
                    &FullLine {
                        row: row.line,
                        id,
                        result,
                    },
                ),
                Ok(Line::Compact) => {
                    compact_line(out, row.line, id, &verdicts, &mut pieces);
                    Ok(())
                }
                Err(errors) => {
                    tally.errors += 1;
                    serde_json::to_writer(
                        &mut *out,
                        &ErrorLine {
                            row: row.line,
                            id,
                            errors,
                        },
                    )
                }
            }
        });
        written?;
        out.push(b'\n');
    }
    Ok(tally)
}

/// Room kept from row to row for reading rows.
#[derive(Default)]
struct Room {
    /// A JSONL row is read into it, the room of its lists reused.
    profile: Profile,
    /// A CSV row is written out as JSON here.
    csv_json: String,
}

/// An error about a row as a whole (empty path).
fn whole_row(message: &str) -> InputErrors {
    InputErrors::one(InputError::new("", message))
}

/// Reads `row` and hands its `id` (if any) and its profile, or why there is none, to `then`.
///
/// Handed borrowed, not returned: a profile is a kilobyte, and every move of it a call to memcpy.
fn read_row<R>(
    job: &Job,
    row: &Row,
    text: &str,
    room: &mut Room,
    then: impl FnOnce(Option<&str>, Result<&Profile, &InputErrors>) -> R,
) -> R {
    match &row.body {
        Body::Json(at) => json_row(&text[at.clone()], &mut room.profile, then),
        Body::Csv(record) => match &job.plan {
            Some(plan) => {
                let (id, profile) = plan.row(record, &mut room.csv_json);
                then(id.as_deref(), profile.as_ref())
            }
            None => then(None, Err(&whole_row("a CSV row without a CSV header"))),
        },
        Body::Unreadable(message) => then(None, Err(&whole_row(message))),
    }
}

/// A JSONL row: the `id` field (if any) apart, and the profile, handed to `then`.
///
/// Most rows are valid: they are read in one pass, straight into the profile's types, with the
/// `id` member set aside as the reader meets it: by the engine's reader of plain JSON, or where
/// it declines a row as not plain, by serde. A row refused on that pass is read again by
/// [`json_row_worded`], so that its errors are worded and placed as for a profile file.
fn json_row<R>(
    text: &str,
    spare: &mut Profile,
    then: impl FnOnce(Option<&str>, Result<&Profile, &InputErrors>) -> R,
) -> R {
    fn checked<R>(
        id: Option<&str>,
        profile: &Profile,
        then: impl FnOnce(Option<&str>, Result<&Profile, &InputErrors>) -> R,
    ) -> R {
        match profile.check() {
            Ok(()) => then(id, Ok(profile)),
            Err(errors) => then(id, Err(&errors)),
        }
    }
    match plain_json::row_into(text, spare) {
        Ok(id) => return checked(id, spare, then),
        // serde would refuse it too.
        Err(Declined::Refused) => {}
        Err(Declined::NotPlain) => {
            if let Some((id, profile)) = &one_pass(text) {
                return checked(id.as_deref(), profile, then);
            }
        }
    }
    let (id, profile) = json_row_worded(text);
    then(id.as_deref(), profile.as_ref())
}

/// A row's `id` and profile read by serde in one pass, or `None` where serde refuses it.
fn one_pass(text: &str) -> Option<(Option<String>, Profile)> {
    let mut id = None;
    let mut reader = serde_json::Deserializer::from_str(text);
    let profile = IdApart { id: &mut id }
        .deserialize(&mut reader)
        .and_then(|profile| reader.end().map(|()| profile))
        .ok()?;
    let id = id.map(id_text).transpose().ok()?;
    Some((id, profile))
}

/// A row's `id`: a string, or a number written as JSON writes it.
fn id_text(raw: &RawValue) -> Result<String, ()> {
    match serde_json::from_str::<Value>(raw.get()) {
        Ok(Value::String(text)) => Ok(text),
        Ok(Value::Number(number)) => Ok(number.to_string()),
        _ => Err(()),
    }
}

/// Reads a profile from a JSON object, handing its top-level `id` members (the last one counts)
/// to `id` instead of to the profile.
struct IdApart<'a, 'de> {
    id: &'a mut Option<&'de RawValue>,
}

impl<'de> DeserializeSeed<'de> for IdApart<'_, 'de> {
    type Value = Profile;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Profile, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for IdApart<'_, 'de> {
    type Value = Profile;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Profile, A::Error> {
        Profile::deserialize(MapAccessDeserializer::new(Members { map, id: self.id }))
    }
}

/// The members of a row but its `id`.
struct Members<'a, 'de, A> {
    map: A,
    id: &'a mut Option<&'de RawValue>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Members<'_, 'de, A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            match self.map.next_key::<Key>()? {
                None => return Ok(None),
                Some(Key(key)) if key == "id" => *self.id = Some(self.map.next_value()?),
                Some(Key(Cow::Borrowed(key))) => {
                    return seed
                        .deserialize(BorrowedStrDeserializer::new(key))
                        .map(Some);
                }
                Some(Key(Cow::Owned(key))) => {
                    return seed.deserialize(StringDeserializer::new(key)).map(Some);
                }
            }
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// A refused JSONL row, read again to word its errors as for a profile file.
///
/// The row is split into its top-level members as raw JSON text, and the `id` is taken out. The
/// error is then the first that the engine's walk of the other members finds ([`refusal`]), as
/// `Profile::from_json` gives it; where the walk finds none (a repeated member, which a JSON
/// value cannot hold), the members are handed to that parser as they were written.
fn json_row_worded(text: &str) -> (Option<String>, Result<Profile, InputErrors>) {
    let Ok(RawMembers(members)) = serde_json::from_str::<RawMembers>(text) else {
        // Not a JSON object: the engine words the error.
        return (None, Profile::from_json(text));
    };
    let id = match row_id(&members) {
        Ok(id) => id,
        Err(error) => return (None, Err(InputErrors::one(error))),
    };
    if let Some(errors) = refusal(&members) {
        return (id, Err(errors));
    }
    (id, Profile::from_json(&profile_text(&members)))
}

/// The text of a row's last `id` member; an error at the first that is no id.
fn row_id(members: &[(Cow<str>, &RawValue)]) -> Result<Option<String>, InputError> {
    let mut id = None;
    for (_, value) in members.iter().filter(|(key, _)| key == "id") {
        match id_text(value) {
            Ok(text) => id = Some(text),
            Err(()) => {
                return Err(InputError::new(
                    "id",
                    format!("{} is not an id; expected a string", value.get()),
                ));
            }
        }
    }
    Ok(id)
}

/// The first error the engine's walk finds in a row's members but its `id`, the last of a
/// repeated name counting (as in a JSON value); `None` where it finds none.
fn refusal(members: &[(Cow<str>, &RawValue)]) -> Option<InputErrors> {
    let mut fields = serde_json::Map::new();
    for (key, value) in members.iter().filter(|(key, _)| key != "id") {
        // A raw value is JSON, but one a `Value` cannot hold (a number past f64) is left to the
        // parser's wording.
        let value = serde_json::from_str(value.get()).ok()?;
        fields.insert(key.to_string(), value);
    }
    Profile::refusal(&Value::Object(fields))
}

/// A row's members but its `id`, as a profile's JSON text, each as it was written.
fn profile_text(members: &[(Cow<str>, &RawValue)]) -> String {
    let mut profile = String::with_capacity(members.iter().map(|(_, v)| v.get().len() + 24).sum());
    profile.push('{');
    for (key, value) in members.iter().filter(|(key, _)| key != "id") {
        if profile.len() > 1 {
            profile.push(',');
        }
        match key {
            // Borrowed: the key had no escapes, so its text is itself.
            Cow::Borrowed(key) => {
                profile.push('"');
                profile.push_str(key);
                profile.push('"');
            }
            Cow::Owned(key) => profile.push_str(&Value::from(key.as_str()).to_string()),
        }
        profile.push(':');
        profile.push_str(value.get());
    }
    profile.push('}');
    profile
}

/// A JSON object's members in order, duplicates kept, values as raw text.
struct RawMembers<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

/// A member's name, borrowed from the row unless it had escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(text)))
            }
            fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(text.to_owned())))
            }
        }
        deserializer.deserialize_str(Visit)
    }
}

impl<'de> Deserialize<'de> for RawMembers<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = RawMembers<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(32));
                while let Some((Key(key), value)) = map.next_entry()? {
                    members.push((key, value));
                }
                Ok(RawMembers(members))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    row: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    errors: &'a InputErrors,
}

#[derive(Serialize)]
struct FullLine<'a> {
    row: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    result: &'a Evaluation,
}

/// A row's result: complete, or the verdicts alone.
enum Line {
    Full(Evaluation),
    /// The verdicts are in the chunk's reused [`Verdicts`].
    Compact,
}

/// Appends a row's compact line: per program its verdict, score, missing inputs, gaps and benefit
/// amounts. Written by hand, not through serde: this is screening's inner loop, and all its
/// strings but the row's id are pack identifiers and field paths, which rarely need escaping.
/// Each append checks the room left, so constant parts are written together and the parts made of
/// pack texts come rendered from `pieces`.
fn compact_line(
    out: &mut Vec<u8>,
    row: u64,
    id: Option<&str>,
    verdicts: &Verdicts,
    pieces: &mut Pieces,
) {
    let decimal = |out: &mut Vec<u8>, value: Option<Decimal>| match value {
        Some(value) => write_quoted_decimal(out, value),
        None => out.extend_from_slice(b"null"),
    };
    out.extend_from_slice(b"{\"row\":");
    write_decimal(out, Decimal::from(row));
    if let Some(id) = id {
        out.extend_from_slice(b",\"id\":");
        string(out, id);
    }
    out.extend_from_slice(b",\"programs\":[");
    for (i, v) in verdicts.programs.iter().enumerate() {
        let program = slot(&mut pieces.programs, v.place());
        let head = &mut program.heads[v.status as usize * 2 + usize::from(v.in_force)];
        let head = head.get([v.id, ""], |[id, _], out| {
            out.extend_from_slice(b",{\"id\":");
            quoted(out, id);
            out.extend_from_slice(match v.status {
                Status::Eligible => b",\"status\":\"eligible\"".as_slice(),
                Status::Ineligible => b",\"status\":\"ineligible\"",
                Status::Undetermined => b",\"status\":\"undetermined\"",
            });
            out.extend_from_slice(if v.in_force {
                b",\"in_force\":true".as_slice()
            } else {
                b",\"in_force\":false"
            });
        });
        // The first program has no comma before it.
        out.extend_from_slice(&head[usize::from(i == 0)..]);
        if let Some((min, max)) = v.score {
            out.extend_from_slice(b",\"score\":[");
            write_quoted_decimal(out, min);
            out.push(b',');
            write_quoted_decimal(out, max);
            out.push(b']');
        }
        list(out, b",\"missing\":[", v.missing.paths(), quoted);
        list(out, b",\"gaps\":[", verdicts.gaps(v), |out, gap| {
            let piece = slot(&mut program.gaps, gap.place());
            let piece = piece.get([gap.criterion, gap.field], |[criterion, field], out| {
                out.extend_from_slice(b"{\"criterion\":");
                quoted(out, criterion);
                out.extend_from_slice(b",\"field\":");
                quoted(out, field);
                out.extend_from_slice(b",\"by\":");
            });
            out.extend_from_slice(piece);
            write_quoted_decimal(out, gap.by);
            out.extend_from_slice(match gap.unit {
                Unit::Yuan => b",\"unit\":\"yuan\"}".as_slice(),
                Unit::Count => b",\"unit\":\"count\"}",
                Unit::Days => b",\"unit\":\"days\"}",
                Unit::Share => b",\"unit\":\"share\"}",
            });
        });
        let amounts = verdicts.amounts(v).iter().enumerate();
        list(out, b",\"benefits\":[", amounts, |out, (j, amount)| {
            let piece = slot(&mut program.benefits, j).get([amount.id, ""], |[id, _], out| {
                out.extend_from_slice(b"{\"id\":");
                quoted(out, id);
                out.extend_from_slice(b",\"min_yuan\":");
            });
            out.extend_from_slice(piece);
            decimal(out, amount.min_yuan);
            out.extend_from_slice(b",\"max_yuan\":");
            decimal(out, amount.max_yuan);
            out.push(b'}');
        });
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
}

/// The parts of compact lines made of pack texts alone, rendered once per chunk instead of once
/// per row: a program's `,{"id":"…","status":"…","in_force":…`, a gap's
/// `{"criterion":"…","field":"…","by":`, a benefit's `{"id":"…","min_yuan":`. Kept by place: the
/// program's in the catalogue, the criterion's or benefit's in its program.
#[derive(Default)]
struct Pieces {
    programs: Vec<ProgramPieces>,
}

#[derive(Default)]
struct ProgramPieces {
    /// By status and in force.
    heads: [Piece; 6],
    gaps: Vec<Piece>,
    benefits: Vec<Piece>,
}

/// Bytes rendered from up to two pack texts, and those texts.
#[derive(Default)]
struct Piece {
    from: [&'static str; 2],
    bytes: Vec<u8>,
}

impl Piece {
    /// The bytes for `from`, rendered by `render` unless they already are. Pack texts are
    /// `&'static` and stay where they are, so comparing addresses tells whether they are the same
    /// texts: cheap, and no piece is ever written for texts it was not rendered from.
    fn get(
        &mut self,
        from: [&'static str; 2],
        render: impl FnOnce([&str; 2], &mut Vec<u8>),
    ) -> &[u8] {
        if !(std::ptr::eq(self.from[0], from[0]) && std::ptr::eq(self.from[1], from[1])) {
            self.bytes.clear();
            render(from, &mut self.bytes);
            self.from = from;
        }
        &self.bytes
    }
}

/// `items[at]`, adding default items up to it.
fn slot<T: Default>(items: &mut Vec<T>, at: usize) -> &mut T {
    if at >= items.len() {
        items.resize_with(at + 1, T::default);
    }
    &mut items[at]
}

/// Appends `head` (`,"key":[`), the items, and `]`; or nothing when there are no items (as
/// serde's `skip_serializing_if` left empty lists out).
fn list<T>(
    out: &mut Vec<u8>,
    head: &[u8],
    items: impl IntoIterator<Item = T>,
    mut item: impl FnMut(&mut Vec<u8>, T),
) {
    let mut items = items.into_iter().peekable();
    if items.peek().is_none() {
        return;
    }
    out.extend_from_slice(head);
    for (i, x) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, x);
    }
    out.push(b']');
}

/// Appends `text` as a JSON string.
fn string(out: &mut Vec<u8>, text: &str) {
    if text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, text);
    } else {
        quoted(out, text);
    }
}

/// Appends `text`, which needs no escaping, between quotes: pack, program, criterion and benefit
/// ids (the pack compiler refuses any that would, see `is_plain_id`) and field paths.
fn quoted(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    out.extend_from_slice(text.as_bytes());
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Screens `input` (JSONL) with small batches, so that many batches and chunks are crossed.
    fn screen_text(input: &str, threads: usize) -> (String, u64, u64) {
        let job = Job {
            engine: Engine::builtin(),
            options: Options::at("2026-11-22".parse().expect("a date")),
            full: false,
            plan: None,
        };
        let mut source = Source::Jsonl {
            input: Box::new(io::Cursor::new(input.as_bytes().to_vec())),
            line: 0,
        };
        let mut out = Vec::new();
        let tally = screen(&job, &mut source, &mut out, threads, 3).expect("screened");
        let out = String::from_utf8(out).expect("UTF-8");
        (out, tally.rows, tally.errors)
    }

    #[test]
    fn output_keeps_input_order_whatever_the_threads() {
        let rows: Vec<String> = (0..47)
            .map(|n| match n % 5 {
                0 => format!(r#"{{"id": "E{n}", "employees": -1}}"#),
                1 => String::new(),
                _ => format!(r#"{{"id": "E{n}", "region": "620102", "employees": {n}}}"#),
            })
            .collect();
        let input = rows.join("\n");
        let (one, rows_one, errors_one) = screen_text(&input, 1);
        for threads in [2, 3, 8] {
            let (many, rows_many, errors_many) = screen_text(&input, threads);
            assert_eq!(one, many, "{threads} threads");
            assert_eq!((rows_one, errors_one), (rows_many, errors_many));
        }
        let lines: Vec<serde_json::Value> = one
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON"))
            .collect();
        assert_eq!(rows_one, 37, "blank lines are no rows");
        assert_eq!(errors_one, 10);
        let numbers: Vec<u64> = lines.iter().filter_map(|l| l["row"].as_u64()).collect();
        let expected: Vec<u64> = (1..=47).filter(|n| (n - 1) % 5 != 1).collect();
        assert_eq!(numbers, expected);
        for line in &lines {
            let n = line["row"].as_u64().expect("a row") - 1;
            assert_eq!(line["id"], format!("E{n}"));
        }
    }

    #[test]
    fn one_pass_rows_read_as_the_worded_reading_does() {
        for row in [
            r#"{"id": "A1", "region": "620102", "employees": 40}"#,
            r#"{"region": "620102", "id": 17, "employees": 40}"#,
            r#"{"employees": 40, "id": "first", "id": "second"}"#,
            r#"{"\u0069d": "escaped key", "\u0072egion": "620102"}"#,
            r#"{"id": "quote \" inside", "tech_staff": 3}"#,
            r#"{"id": 1.5e3}"#,
            r#"{}"#,
            r#"{"id": {"nested": true}, "employees": 1}"#,
            r#"{"id": "A", "employees": -1}"#,
            r#"{"id": "A", "employees": 1, "employees": 2}"#,
            r#"{"id": "A", "unknown_field": 1}"#,
            r#"{"id": "A"} trailing"#,
            r#"[1, 2]"#,
            r#"{"id": "A", "financials": [{"year": 2025, "rd_expense": "12.50"}]}"#,
        ] {
            // Read into a profile that held another row, as in a screen.
            let mut spare = Profile::from_json(include_str!("../../examples/chengguan-hnte.json"))
                .expect("the example");
            let read = json_row(row, &mut spare, |id, profile| {
                (
                    id.map(str::to_owned),
                    profile.cloned().map_err(Clone::clone),
                )
            });
            assert_eq!(read, json_row_worded(row), "{row}");
        }
    }

    /// Where the walk of a row's members finds an error, it is the one they get written out as a
    /// profile file: every bad profile of the suite, as a row with an id.
    #[test]
    fn refusals_are_those_of_the_profile_reading() {
        #[derive(serde::Deserialize)]
        struct Case {
            name: String,
            profile: Value,
        }
        let cases: Vec<Case> =
            serde_json::from_str(include_str!("../../tests/cases/bad-profiles.json"))
                .expect("the bad-input suite");
        let mut walked = 0;
        for case in &cases {
            let mut row = case.profile.clone();
            if let Some(members) = row.as_object_mut() {
                members.insert("id".into(), Value::from("A1"));
            }
            let text = row.to_string();
            let Ok(RawMembers(members)) = serde_json::from_str::<RawMembers>(&text) else {
                continue;
            };
            let written_out = Profile::from_json(&profile_text(&members));
            if let Some(errors) = refusal(&members) {
                walked += 1;
                assert_eq!(Err(errors), written_out, "{}", case.name);
            }
        }
        // All but the cross-field checks (tech staff, domestic R&D, …) and repeated members.
        assert!(walked >= 40, "{walked} of {} walked", cases.len());
    }

    #[test]
    fn plain_rows_read_as_serde_reads_them() {
        let mut read = 0;
        for row in [
            r#"{"id": "A1", "region": "620102", "employees": 40}"#,
            r#"{"region": "620102", "id": 17, "employees": 40}"#,
            r#"{"id": 0}"#,
            r#"{"id": 9999999999999999999}"#,
            r#"{"id": 18446744073709551615}"#,
            r#"{"id": 18446744073709551616}"#,
            r#"{"id": -17}"#,
            r#"{"id": 17.0}"#,
            r#"{"id": 1.5e3}"#,
            r#"{"id": "甘肃 企业", "tech_staff": 3}"#,
            r#"{"id": "tab\tinside"}"#,
            r#"{"id": "quote \" inside"}"#,
            r#"{"id": null}"#,
            r#"{"id": true}"#,
            r#"{"id": ["A"]}"#,
            r#"{"employees": 40, "id": "first", "id": "second"}"#,
            r#"{"id": {"nested": true}, "id": "second"}"#,
            r#"{"id": "first", "id": 2}"#,
            r#"{"\u0069d": "escaped key"}"#,
            r#"{"id": "A", "employees": 1, "employees": 2}"#,
            r#"{"id": "A", "unknown_field": 1}"#,
            r#"{"id": "A"} trailing"#,
            "{\"id\": \"A\"}\r\n",
            r#"{"id": "A", "financials": [{"year": 2025, "rd_expense": "12.50"}]}"#,
        ] {
            if let Ok((id, profile)) = plain_json::row(row) {
                read += 1;
                assert_eq!(
                    Some((id.map(str::to_owned), profile)),
                    one_pass(row),
                    "{row}"
                );
            }
        }
        assert_eq!(read, 9);
    }

    #[test]
    fn lines_are_read_across_buffer_ends() {
        let text = "first line\n\nthird, longer than the buffer\nlast, no newline";
        let mut input = BufReader::with_capacity(4, text.as_bytes());
        let (mut ours, mut spill) = (Vec::new(), Vec::new());
        while read_line(&mut input, &mut spill, |line| {
            ours.push(String::from_utf8(line.to_vec()).expect("UTF-8"));
        })
        .expect("read")
        {
            assert!(spill.is_empty());
        }
        let theirs: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn text_is_checked_as_from_utf8_checks_it() {
        let long = [b'a'; 200];
        for bytes in [
            b"{}".as_slice(),
            "{\"id\": \"甘肃\"}".as_bytes(),
            b"{\"id\": \"\xff\"}",
            b"",
            &long,
        ] {
            assert_eq!(utf8(bytes), std::str::from_utf8(bytes));
        }
    }

    #[test]
    fn pieces_are_rendered_again_for_other_texts() {
        let (x, y, z): (&'static str, &'static str, &'static str) = ("x", "y", "z");
        let render = |[a, b]: [&str; 2], out: &mut Vec<u8>| {
            out.extend_from_slice(a.as_bytes());
            out.extend_from_slice(b.as_bytes());
        };
        let mut piece = Piece::default();
        assert_eq!(piece.get([x, y], render), b"xy");
        assert_eq!(piece.get([x, y], |_, _| panic!("rendered again")), b"xy");
        assert_eq!(piece.get([z, y], render), b"zy");
    }

    #[test]
    fn an_empty_input_prints_nothing() {
        assert_eq!(screen_text("", 2), (String::new(), 0, 0));
        assert_eq!(screen_text("\n\n", 2), (String::new(), 0, 0));
    }
}

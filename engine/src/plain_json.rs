//! A one-pass reader for profiles in plain JSON: the JSON that valid registry rows use (objects,
//! lists, strings without escapes, non-negative integers, `true`, `false`, `null`, white space).
//!
//! serde's typed reader spends most of a registry row's reading in its generic machinery; this
//! reader walks the text once, knowing the profile's shape. It builds exactly the profile serde
//! would, or declines (`None`) on anything it is not certain of: escapes, unknown or repeated
//! keys, fractions, exponents, signs, out-of-range values, misplaced or trailing text. The
//! caller then takes serde's path, which words the error or reads the rare form. Each value is
//! read by its type's own reader: its serde visitor, handed the value as serde_json hands it (a
//! borrowed string, a `u64`, a `bool`), or for amounts `Money::parse` / `Share::parse`, which
//! that visitor calls, and for integers the `try_from` of the `u64` that serde's visitors do;
//! so what a value means is decided in one place for both readers. Not in
//! the npm package's wasm, where size counts more than speed.

use std::cell::Cell;
use std::ops::Range;

use jiff::civil::Date;
use serde::Deserialize;
use serde::de::value::{BoolDeserializer, BorrowedStrDeserializer, Error, U64Deserializer};

use crate::date::Day;
use crate::money::{Amount, Money, Share};
use crate::profile::{
    Achievements, ByLevel, Certifications, FiscalYear, HnteCertificate, HnteSelfAssessment,
    Incidents, IndustryField, Ip, Level, Profile, Region, StandardCounts, Team,
};

/// Reads the members of an object into the struct `$value` of type `$ty`, each field from the
/// member of its name (serde's derive names them so: these structs rename nothing), with
/// [`Plain::read`], the function given after `field:`, or the expression after `field =>` (in
/// place: a closure there may be called out of line); any other key goes to the `else`
/// expression (with the key, its quotes left out, bound to the name given), or declines.
/// Evaluates to the bits of the fields seen (field `n` is bit `n`); declines, by returning
/// `None` from the function it is used in, where the text is not such an object or gives a
/// field twice (serde refuses that). Written out in place rather than through closures, so
/// that each struct's members are read in one loop with its reader in registers. Destructuring
/// `$ty` without `..` makes a field added to the struct fail to compile until it is read here.
macro_rules! members {
    ($reader:ident, $value:ident: $ty:ident {
        $($field:ident $(: $read:expr)? $(=> $reading:expr)?),* $(,)?
    }
        $(else |$key:ident| $other:expr)?) => {{
        // `BorrowMut`: `$value` may be the struct or a reference to it.
        let $ty { $($field),* } = ::core::borrow::BorrowMut::<$ty>::borrow_mut(&mut $value);
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy)]
        enum Field { $($field),* }
        const FIELDS: &[Field] = &[$(Field::$field),*];
        const GUESSES: [[u8; 32]; FIELDS.len() + 1] =
            Order::of(&[$(stringify!($field)),*]).guesses();
        let mut seen = 0u64;
        if $reader.open()? {
            // The row of `GUESSES` for the field read last.
            let mut last = 0;
            loop {
                // The fields are most often written in an order: the next after the last one
                // in either is tried first, name, quotes and colon at once, which spares
                // finding the name's end and looking it up.
                let guess = $reader.guess(&GUESSES, last)?;
                let field = match FIELDS.get(guess) {
                    $(Some(Field::$field) if $reader
                        .name(concat!("\"", stringify!($field), "\":").as_bytes()) =>
                    {
                        Some(Field::$field)
                    })*
                    _ => match $reader.key()? {
                        $(key if key == stringify!($field).as_bytes() => Some(Field::$field),)*
                        key => members!(@other key $(, |$key| $other)?),
                    },
                };
                match field {
                    $(Some(Field::$field) => {
                        const BIT: u64 = 1 << Field::$field as u32;
                        if seen & BIT != 0 {
                            return refused();
                        }
                        seen |= BIT;
                        *$field = members!(@read $reader $(, $read)? $(=> $reading)?)?;
                        last = Field::$field as usize + 1;
                    })*
                    None => {}
                }
                if !$reader.more()? {
                    break;
                }
            }
        }
        seen
    }};
    (@read $reader:ident) => { Plain::read($reader) };
    (@read $reader:ident, $read:expr) => { $read($reader) };
    (@read $reader:ident => $reading:expr) => { $reading };
    (@other $found:ident) => { return unknown($found) };
    (@other $found:ident, |$key:ident| $other:expr) => {{
        let $key = $found;
        $other;
        None
    }};
}

/// The orders in which a struct's fields are most likely written: the struct's own (serde's
/// derive writes it) and sorted by name (serde_json's `Value`, `jq -S` and many exports write
/// it). Holds the first field sorted and, for each field, the one after it and its name's first
/// letter.
struct Order {
    first: usize,
    next: [usize; MAX_FIELDS],
    letters: [u8; MAX_FIELDS],
}

/// Fields a struct may have: one bit each in a `u64`.
const MAX_FIELDS: usize = 64;

impl Order {
    const fn of(names: &[&str]) -> Order {
        assert!(names.len() <= MAX_FIELDS);
        // `MAX_FIELDS` is no field: for none, and after the last.
        let mut order = Order {
            first: MAX_FIELDS,
            next: [MAX_FIELDS; MAX_FIELDS],
            letters: [0; MAX_FIELDS],
        };
        let mut i = 0;
        while i < names.len() {
            order.letters[i] = names[i].as_bytes()[0];
            if order.first == MAX_FIELDS || before(names[i], names[order.first]) {
                order.first = i;
            }
            let mut j = 0;
            while j < names.len() {
                let next = order.next[i];
                if before(names[i], names[j])
                    && (next == MAX_FIELDS || before(names[j], names[next]))
                {
                    order.next[i] = j;
                }
                j += 1;
            }
            i += 1;
        }
        order
    }

    /// The field after field `n`, sorted.
    const fn next(&self, n: usize) -> usize {
        if n < MAX_FIELDS {
            self.next[n]
        } else {
            MAX_FIELDS
        }
    }

    /// The field most likely to come after field `last` (or first) in a name whose first
    /// letter has the low five bits `letter`: the next one sorted whose name does, past up to
    /// three left out, else the next in the struct's order.
    const fn guess(&self, last: Option<usize>, letter: u8) -> usize {
        let (mut sorted, declared) = match last {
            None => (self.first, 0),
            Some(n) => (self.next(n), n + 1),
        };
        let mut tries = 0;
        while tries < 4 && sorted < MAX_FIELDS {
            if self.letters[sorted] & 31 == letter {
                return sorted;
            }
            sorted = self.next(sorted);
            tries += 1;
        }
        declared
    }

    /// [`Order::guess`] for every case, looked up at run time by [`Reader::guess`]: row 0 for
    /// the first member, row `n + 1` after field `n`; a column for each five low bits of a
    /// first letter (enough to tell field names' letters apart; a name it mistakes for another
    /// is looked up in full).
    const fn guesses<const ROWS: usize>(&self) -> [[u8; 32]; ROWS] {
        let mut guesses = [[0; 32]; ROWS];
        let mut row = 0;
        while row < ROWS {
            let last = if row == 0 { None } else { Some(row - 1) };
            let mut letter = 0;
            while letter < 32 {
                // At most `MAX_FIELDS` (no field), which fits a byte.
                guesses[row][letter] = self.guess(last, letter as u8) as u8;
                letter += 1;
            }
            row += 1;
        }
        guesses
    }
}

/// Whether `a` sorts before `b` (as `<` on `str`, which is not `const`).
const fn before(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

/// A profile read from plain JSON text, as `serde_json` reads it, not yet checked
/// ([`Profile::check`]); `None` where the text is not plain or not a profile, for serde to read
/// or refuse.
pub fn profile(text: &str) -> Option<Profile> {
    let read = read(text, Id::Refused);
    if read.is_none() {
        declined();
    }
    read
}

/// A JSONL row read from plain JSON text: its `id` member (the last one, if given more than
/// once) as text, and the profile of its other members, not yet checked ([`Profile::check`]).
/// An id is a string or a non-negative integer, whose text is the one `serde_json` writes for
/// it. Declined, with why, where the row is not plain or not a profile.
pub fn row(text: &str) -> Result<(Option<&str>, Profile), Declined> {
    let mut profile = Profile::default();
    let id = row_into(text, &mut profile)?;
    Ok((id, profile))
}

/// [`row`], the profile read into `profile` in place, the room of its lists reused: a registry
/// screened row after row allocates nothing for them. What `profile` held is gone; after a
/// decline it holds no profile to read.
pub fn row_into<'a>(text: &'a str, profile: &mut Profile) -> Result<Option<&'a str>, Declined> {
    let mut id = None;
    match read_into(text, Id::Apart(&mut id), profile) {
        Some(()) => Ok(id),
        None => Err(declined()),
    }
}

/// Why a text was declined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declined {
    /// serde refuses it too: plain JSON with a value its type's reader refuses, an unknown or
    /// repeated member, or a fiscal year without its `year`. A caller may go straight to
    /// wording the error.
    Refused,
    /// Not plain JSON (escapes, fractions, …) or not read to the end: serde may read it.
    NotPlain,
}

thread_local! {
    /// Whether the reading under way was declined as serde refuses it: a side channel rather
    /// than a field of the reader, which stays in registers only while it is small (a flag
    /// there cost a row 2% more instructions). Set by [`refused`] only, so never on the way of
    /// a plain row; taken by [`declined`] after every decline.
    static REFUSED: Cell<bool> = const { Cell::new(false) };
}

/// Declines the text as one serde refuses too.
#[cold]
#[inline(never)]
fn refused<T>() -> Option<T> {
    REFUSED.with(|refused| refused.set(true));
    None
}

/// Declines at a member named `key` that is no field: refused, unless the name has escapes,
/// which may spell a field's name.
#[cold]
#[inline(never)]
fn unknown<T>(key: &[u8]) -> Option<T> {
    if key.contains(&b'\\') {
        None
    } else {
        refused()
    }
}

/// Why the reading under way was declined, the flag cleared for the next.
fn declined() -> Declined {
    if REFUSED.with(Cell::take) {
        Declined::Refused
    } else {
        Declined::NotPlain
    }
}

/// What a top-level `id` member is.
enum Id<'r, 'a> {
    /// An unknown field, as in a profile file.
    Refused,
    /// A JSONL row's name for the enterprise, kept here.
    Apart(&'r mut Option<&'a str>),
}

fn read<'a>(text: &'a str, id: Id<'_, 'a>) -> Option<Profile> {
    let mut profile = Profile::default();
    read_into(text, id, &mut profile)?;
    Some(profile)
}

/// Reads a profile into `profile`, the room of its lists reused; `None` where declined.
#[inline(always)]
fn read_into<'a>(text: &'a str, mut id: Id<'_, 'a>, mut profile: &mut Profile) -> Option<()> {
    let reader = &mut Reader { text, at: 0 };
    let mut years = std::mem::take(&mut profile.financials);
    let mut counts = profile.conversions.take().unwrap_or_default();
    *profile = Profile::default();
    members!(reader, profile: Profile {
        region,
        registered_on,
        resident_enterprise,
        independent_legal_person,
        industry_field: present,
        software_enterprise,
        manufacturing,
        traditional_industry,
        restricted_industry,
        super_deduction_excluded,
        western_encouraged_share,
        employees,
        tech_staff,
        financials => list_into(reader, &mut years),
        taxable_income,
        ip,
        conversions => optional_items_into(reader, &mut counts),
        rd_institution_level,
        has_rd_management_system,
        national_award_top3_5y,
        standards_led_5y,
        credit_good,
        incidents,
        certifications,
        relocating_hnte_from_other_province,
        out_of_province_hnte_subsidiary,
        above_designated_size,
        achievements,
        hnte_self_assessment,
        team,
    } else |key| match &mut id {
        // No field, so no bit: the last `id` counts, as in the serde reading of a row.
        Id::Apart(id) if key == b"id" => **id = Some(reader.id()?),
        _ => return unknown(key),
    });
    // Nothing but white space may follow.
    match reader.peek() {
        None => Some(()),
        Some(_) => None,
    }
}

/// A value read from plain JSON.
trait Plain<'a>: Sized {
    fn read(reader: &mut Reader<'a>) -> Option<Self>;
}

/// `null` is `None`, as serde_json reads an `Option`.
impl<'a, T: Plain<'a>> Plain<'a> for Option<T> {
    #[inline(always)]
    fn read(reader: &mut Reader<'a>) -> Option<Self> {
        match reader.peek()? {
            b'n' => reader.word(b"null").then_some(None),
            _ => T::read(reader).map(Some),
        }
    }
}

/// A list, its items read into the room of `spare`, which is taken (and left empty).
#[inline(always)]
fn items_into<'a, T: Plain<'a>>(reader: &mut Reader<'a>, spare: &mut Vec<T>) -> Option<Vec<T>> {
    if !reader.eat(b'[') {
        return None;
    }
    let mut items = std::mem::take(spare);
    items.clear();
    if reader.eat(b']') {
        return Some(items);
    }
    // The room a first push makes (four items), without the way there.
    items.reserve(4);
    loop {
        items.push(T::read(reader)?);
        match reader.peek()? {
            b',' => reader.at += 1,
            b']' => {
                reader.at += 1;
                return Some(items);
            }
            _ => return None,
        }
    }
}

macro_rules! scalars {
    ($($ty:ty),*) => {$(
        impl<'a> Plain<'a> for $ty {
            #[inline(always)]
            fn read(reader: &mut Reader<'a>) -> Option<$ty> {
                reader.scalar()
            }
        }
    )*};
}
scalars!(bool, Region, IndustryField, Level, HnteCertificate);

/// As serde's visitors read them from the `u64` serde_json hands over: where it fits; straight,
/// as that visitor is a call apart.
macro_rules! integers {
    ($($ty:ty),*) => {$(
        impl<'a> Plain<'a> for $ty {
            #[inline(always)]
            fn read(reader: &mut Reader<'a>) -> Option<$ty> {
                <$ty>::try_from(reader.whole()?.0).ok().or_else(refused)
            }
        }
    )*};
}
integers!(u32, i32);

/// As their visitor reads amounts: a string, or an integer's digits (the text of its `u64`),
/// with `Money::parse` or `Share::parse`, straight rather than through the visitor, for speed;
/// a string that is a plain figure is read as its end is found.
impl<'a> Plain<'a> for Money {
    #[inline(always)]
    fn read(reader: &mut Reader<'a>) -> Option<Money> {
        reader.amount()
    }
}

impl<'a> Plain<'a> for Share {
    #[inline(always)]
    fn read(reader: &mut Reader<'a>) -> Option<Share> {
        reader.amount()
    }
}

/// As `crate::date::option` reads it, through [`Day`].
impl<'a> Plain<'a> for Date {
    #[inline(always)]
    fn read(reader: &mut Reader<'a>) -> Option<Date> {
        reader.scalar().map(|Day(date)| date)
    }
}

/// The structs whose fields are all optional: an absent member is the field's default.
macro_rules! objects {
    ($($ty:ident { $($field:ident),* $(,)? })*) => {$(
        impl<'a> Plain<'a> for $ty {
            #[inline(always)]
            fn read(reader: &mut Reader<'a>) -> Option<$ty> {
                let mut value = $ty::default();
                members!(reader, value: $ty { $($field),* });
                Some(value)
            }
        }
    )*};
}
objects! {
    Ip { class1, class2, self_developed, core_to_main_product, drafted_standards }
    Incidents { major_accident, environmental_violation, research_dishonesty, abnormal_list }
    Certifications {
        hnte,
        hnte_certified_on,
        tech_sme_registered,
        provincial_innovation_enterprise,
        urumqi_little_giant,
        little_giant_cultivation,
        innovation_hq,
    }
    ByLevel { national, provincial, municipal }
    StandardCounts { international, national, industry }
    Achievements {
        rd_institution_recognized,
        platforms,
        national_labs,
        pilot_projects,
        standards,
        key_new_products,
        tech_transaction_amount,
        tech_transfer_income,
    }
    HnteSelfAssessment { advancement, core_support, org_management }
    Team { registered, four_new_project }
}

impl<'a> Plain<'a> for FiscalYear {
    #[inline(always)]
    fn read(reader: &mut Reader<'a>) -> Option<FiscalYear> {
        let mut fiscal = FiscalYear::default();
        let seen = members!(reader, fiscal: FiscalYear {
            year,
            sales_revenue,
            main_product_revenue,
            total_income,
            high_tech_income,
            rd_expense,
            rd_expense_domestic,
            total_cost,
            total_assets,
            total_liabilities,
        });
        // serde requires `year`, the first field (bit 0); every other one has a default.
        if seen & 1 == 0 {
            return refused();
        }
        Some(fiscal)
    }
}

/// As `profile::present` reads `industry_field`: a present `null` is `Some(None)`.
#[inline(always)]
fn present<'a, T: Plain<'a>>(reader: &mut Reader<'a>) -> Option<Option<T>> {
    T::read(reader).map(Some)
}

/// As `object::list` reads `financials`: `null` is an empty list. Into the room of `spare`.
#[inline(always)]
fn list_into<'a, T: Plain<'a>>(reader: &mut Reader<'a>, spare: &mut Vec<T>) -> Option<Vec<T>> {
    optional_items_into(reader, spare).map(Option::unwrap_or_default)
}

/// A list or `null`, the list's items read into the room of `spare`.
#[inline(always)]
fn optional_items_into<'a, T: Plain<'a>>(
    reader: &mut Reader<'a>,
    spare: &mut Vec<T>,
) -> Option<Option<Vec<T>>> {
    match reader.peek()? {
        b'n' => reader.word(b"null").then_some(None),
        _ => items_into(reader, spare).map(Some),
    }
}

/// The text, and how far it has been read.
struct Reader<'a> {
    text: &'a str,
    at: usize,
}

/// The index of the first byte of `rest` that `byte` flags, eight bytes at a time: `word`
/// gives the high bit of each flagged byte of a word, exact up to the first one.
#[inline(always)]
fn first(rest: &[u8], word: impl Fn(u64) -> u64, byte: impl Fn(u8) -> bool) -> Option<usize> {
    let mut tail = rest;
    while let Some((chunk, after)) = tail.split_first_chunk::<8>() {
        let flags = word(u64::from_le_bytes(*chunk));
        if flags != 0 {
            return Some(rest.len() - tail.len() + flags.trailing_zeros() as usize / 8);
        }
        tail = after;
    }
    let last = tail.iter().position(|&b| byte(b))?;
    Some(rest.len() - tail.len() + last)
}

/// Eight copies of a byte.
const fn lanes(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// The high bit of each byte of `word` (in text order from the low end) that is below `n` (at
/// most 0x80), exact up to the first one: past it a borrow may flag more.
const fn below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(lanes(n)) & !word & lanes(0x80)
}

/// The quotes of `word` (a quote is the one byte that `^ 0x22` makes 0).
const fn quotes(word: u64) -> u64 {
    below(word ^ lanes(b'"'), 1)
}

/// The quotes, backslashes and control characters of `word`: `^ 0x02` maps the quote to 0x20
/// and keeps the control characters below it, so one test takes both.
const fn stops(word: u64) -> u64 {
    below(word ^ lanes(0x02), 0x21) | below(word ^ lanes(b'\\'), 1)
}

/// Where the white space from `at` in `bytes` ends, for [`Reader::peek`]: out of line, as
/// compact rows have none, and apart from the reader, which stays in registers.
#[cold]
#[inline(never)]
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(at) {
        at += 1;
    }
    at
}

impl<'a> Reader<'a> {
    /// Skips JSON's white space and shows the next byte.
    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        match bytes.get(self.at) {
            Some(&byte) if byte > b' ' => Some(byte),
            _ => {
                self.at = skip_space(bytes, self.at);
                bytes.get(self.at).copied()
            }
        }
    }

    /// Takes `byte` if it comes next (after white space).
    #[inline(always)]
    fn eat(&mut self, byte: u8) -> bool {
        let next = self.peek() == Some(byte);
        self.at += usize::from(next);
        next
    }

    /// Takes the literal `word` (`null`, `true`, `false`) if it comes next; what follows it is
    /// checked by whoever reads on, as serde_json does.
    #[inline(always)]
    fn word(&mut self, word: &[u8]) -> bool {
        self.peek();
        self.name(word)
    }

    /// A member's name, the bytes up to the next quote, and the colon after it. A name with
    /// escapes is no field's name (theirs have none), so it need not be told from one without.
    #[inline(always)]
    fn key(&mut self) -> Option<&'a [u8]> {
        if !self.eat(b'"') {
            return None;
        }
        let rest = self.text.as_bytes().get(self.at..)?;
        let end = first(rest, quotes, |b| b == b'"')?;
        self.at += end + 1;
        self.eat(b':').then(|| rest.get(..end))?
    }

    /// Where the next string lies between its quotes, if it has no escapes; `None` at a
    /// backslash or a control character (serde_json refuses those).
    #[inline(always)]
    fn string_span(&mut self) -> Option<Range<usize>> {
        if !self.eat(b'"') {
            return None;
        }
        let start = self.at;
        let rest = self.text.as_bytes().get(start..)?;
        let end = first(rest, stops, |b| matches!(b, b'"' | b'\\' | ..0x20))?;
        if rest.get(end) != Some(&b'"') {
            return None;
        }
        self.at = start + end + 1;
        Some(start..start + end)
    }

    /// A string without escapes, which serde_json would lend as it is.
    #[inline(always)]
    fn string(&mut self) -> Option<&'a str> {
        let span = self.string_span()?;
        // The quotes are ASCII, so the string lies between character boundaries.
        self.text.get(span)
    }

    /// A non-negative integer of at most 19 digits (so it fits the `u64` serde_json hands it
    /// over as), and where it lies, its text being the one Rust writes for that `u64`: JSON
    /// allows no leading zeros. `None` before a fraction or exponent (serde_json reads a
    /// float), and for longer integers (a float too, beyond `u64`).
    #[inline(always)]
    fn whole(&mut self) -> Option<(u64, Range<usize>)> {
        self.peek();
        let start = self.at;
        let rest = self.text.as_bytes().get(start..)?;
        let (mut value, mut digits) = (0u64, 0);
        for &byte in rest {
            let digit = byte.wrapping_sub(b'0');
            if digit > 9 {
                break;
            }
            if digits == 19 {
                return None;
            }
            value = value * 10 + u64::from(digit);
            digits += 1;
        }
        let leading_zero = digits > 1 && rest.first() == Some(&b'0');
        if digits == 0 || leading_zero || matches!(rest.get(digits), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        self.at = start + digits;
        Some((value, start..self.at))
    }

    /// The text of a whole number.
    #[inline(always)]
    fn whole_text(&mut self) -> Option<&'a str> {
        let (_, span) = self.whole()?;
        self.text.get(span)
    }

    /// A string, integer or `true`/`false` handed to `T`'s serde visitor as serde_json hands
    /// it; `None` for other values and where the visitor refuses.
    #[inline(always)]
    fn scalar<T: Deserialize<'a>>(&mut self) -> Option<T> {
        let read = match self.peek()? {
            b'"' => T::deserialize(BorrowedStrDeserializer::<Error>::new(self.string()?)),
            b'0'..=b'9' => T::deserialize(U64Deserializer::<Error>::new(self.whole()?.0)),
            b't' if self.word(b"true") => T::deserialize(BoolDeserializer::<Error>::new(true)),
            b'f' if self.word(b"false") => T::deserialize(BoolDeserializer::<Error>::new(false)),
            _ => return None,
        };
        read.ok().or_else(refused)
    }

    /// An amount, a string or an integer, read from its text by [`Amount::parse`]; or, where
    /// the string is a plain figure (digits and a point, so no escapes), by
    /// [`Amount::plain_prefix`] as far as its closing quote, which reads it as `parse` does.
    #[inline(always)]
    fn amount<T: Amount>(&mut self) -> Option<T> {
        let text = match self.peek()? {
            b'"' => {
                let rest = self.text.as_bytes().get(self.at + 1..)?;
                if let Some((value, len)) = T::plain_prefix(rest)
                    && rest.get(len) == Some(&b'"')
                {
                    self.at += len + 2;
                    return Some(value);
                }
                self.string()?
            }
            b'0'..=b'9' => self.whole_text()?,
            _ => return None,
        };
        T::parse(text).ok().or_else(refused)
    }

    /// A row's id: a string as it is, or an integer as Rust writes the `u64` serde_json reads.
    #[inline(always)]
    fn id(&mut self) -> Option<&'a str> {
        match self.peek()? {
            b'"' => self.string(),
            _ => self.whole_text(),
        }
    }

    /// Takes the `{` that opens an object: whether members follow, rather than its `}`.
    #[inline(always)]
    fn open(&mut self) -> Option<bool> {
        if !self.eat(b'{') {
            return None;
        }
        Some(!self.eat(b'}'))
    }

    /// The field to try first for the next member, from row `last` of `guesses`
    /// ([`Order::guesses`]) by the first letter of the member's name. White space first, as
    /// after `, ` (Python's `json.dumps` writes it).
    #[inline(always)]
    fn guess(&mut self, guesses: &[[u8; 32]], last: usize) -> Option<usize> {
        self.peek()?;
        let letter = self.text.as_bytes().get(self.at + 1).map_or(0, |&b| b & 31);
        let guess = guesses.get(last)?.get(usize::from(letter))?;
        Some(usize::from(*guess))
    }

    /// Takes `name` (a member's name, quotes and colon; or a literal) if it comes next, white
    /// space not skipped.
    #[inline(always)]
    fn name(&mut self, name: &[u8]) -> bool {
        let next = self
            .text
            .as_bytes()
            .get(self.at..)
            .is_some_and(|rest| rest.starts_with(name));
        if next {
            self.at += name.len();
        }
        next
    }

    /// After a member: whether another follows (a `,`), rather than the object's `}`.
    #[inline(always)]
    fn more(&mut self) -> Option<bool> {
        let more = match self.peek()? {
            b',' => true,
            b'}' => false,
            _ => return None,
        };
        self.at += 1;
        Some(more)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::object::Object;
    use crate::profile::tests::every_field;

    /// serde's reading of a profile file (as `Profile::from_json` without this reader).
    fn serde(text: &str) -> Option<Profile> {
        serde_json::from_str::<Object<Profile>>(text)
            .ok()
            .map(|Object(profile)| profile)
    }

    /// The plain reading of `text`, checked against serde's: the same profile, down to the
    /// scale of each amount (which `==` on decimals does not see), or a decline.
    /// A decline as refused is one serde refuses too.
    fn plain(text: &str) -> Option<Profile> {
        let read = read(text, Id::Refused);
        match &read {
            Some(read) => {
                let serde = serde(text).unwrap_or_else(|| panic!("serde refuses {text}"));
                assert_eq!(read, &serde, "{text}");
                assert_eq!(show(read), show(&serde), "{text}");
            }
            None => {
                if declined() == Declined::Refused {
                    assert_eq!(serde(text), None, "refused, but serde reads {text}");
                }
            }
        }
        read
    }

    #[test]
    fn tells_refused_rows_from_rows_not_plain() {
        let refused = [
            r#"{"employees":1,"employees":2}"#,
            r#"{"employee":1}"#,
            r#"{"ip":{"class3":1}}"#,
            r#"{"employees":4294967296}"#,
            r#"{"taxable_income":"1.2.3"}"#,
            r#"{"region":"62010"}"#,
            r#"{"registered_on":"2023-02-29"}"#,
            r#"{"industry_field":"biology"}"#,
            r#"{"financials":[{}]}"#,
            r#"{"resident_enterprise":"true"}"#,
        ];
        let not_plain = [
            r#"{"\u0072egion":"620102"}"#,
            r#"{"\u0065mployee":1}"#,
            r#"{"employees":1.0}"#,
            r#"{"taxable_income":12.5}"#,
            r#"{"employees":1,}"#,
        ];
        let declines = refused.iter().map(|text| (text, Declined::Refused));
        for (text, why) in declines.chain(not_plain.iter().map(|text| (text, Declined::NotPlain))) {
            assert_eq!(row(text).err(), Some(why), "{text}");
            assert_eq!(plain(text), None, "{text}");
        }
        // A valid row after a refused one is read as valid: the flag does not stay set.
        assert!(row(refused[0]).is_err());
        assert!(row(r#"{"employees":1}"#).is_ok());
        assert_eq!(row(r#"{"employees":1.5}"#).err(), Some(Declined::NotPlain));
    }

    fn show(profile: &Profile) -> String {
        serde_json::to_string(profile).unwrap_or_default()
    }

    /// `profile` with the member `key` of the object at `path` (dotted; empty for the top) set
    /// to the JSON `value`, as text.
    fn with(path: &str, key: &str, value: &str) -> String {
        let mut json = serde_json::to_value(every_field()).unwrap();
        let mut object = &mut json;
        for step in path.split('.').filter(|s| !s.is_empty()) {
            object = match step.parse::<usize>() {
                Ok(i) => &mut object[i],
                Err(_) => &mut object[step],
            };
        }
        object[key] = Value::from("\u{0}");
        // The placeholder is the only control character, written as `"\u0000"`.
        json.to_string().replace(r#""\u0000""#, value)
    }

    #[test]
    fn reads_every_field_as_serde_does() {
        let full = every_field();
        // In the struct's order, sorted (`Value` sorts its keys), and spaced.
        for text in [
            serde_json::to_string(&full).unwrap(),
            serde_json::to_value(&full).unwrap().to_string(),
            serde_json::to_string_pretty(&full).unwrap(),
        ] {
            assert_eq!(plain(&text), Some(full.clone()));
        }
        for text in [
            include_str!("../../examples/chengguan-hnte.json"),
            include_str!("../../wasm/examples/profile.json"),
        ] {
            assert!(plain(text).is_some(), "{text}");
        }
    }

    #[test]
    fn orders_fields_by_name() {
        let order = Order::of(&["b", "ab", "c", "a"]);
        assert_eq!(order.first, 3);
        let sorted: Vec<usize> = std::iter::successors(Some(order.first), |&n| {
            Some(order.next(n)).filter(|&n| n != MAX_FIELDS)
        })
        .collect();
        assert_eq!(sorted, [3, 1, 0, 2]);
        assert_eq!(order.next(2), MAX_FIELDS);
        assert_eq!(order.next(MAX_FIELDS), MAX_FIELDS);
        // First `a` (3), or `b` (0) past `ab`; after `a`, `ab` (1); after `ab`, `b` (0), past
        // it `c` (2), and where no sorted name starts so, the next declared: `ab` after `b`.
        let guesses: [[u8; 32]; 5] = order.guesses();
        let letter = |b: u8| usize::from(b & 31);
        assert_eq!(guesses[0][letter(b'a')], 3);
        assert_eq!(guesses[0][letter(b'b')], 0);
        assert_eq!(guesses[4][letter(b'a')], 1);
        assert_eq!(guesses[2][letter(b'b')], 0);
        assert_eq!(guesses[2][letter(b'c')], 2);
        assert_eq!(guesses[1][letter(b'x')], 1);
    }

    #[test]
    fn reads_what_serde_reads() {
        for text in [
            "{}",
            " \t\r\n{ \t\r\n} \t\r\n",
            r#"{"employees":0,"tech_staff":4294967295}"#,
            r#"{ "employees" : 7 , "ip" : { "class1" : 1 } }"#,
            r#"{"employees": 7, "tech_staff": 2, "ip": {"class1": 1, "class2": 2}}"#,
            r#"{"region":null,"registered_on":null,"employees":null,"ip":null,"team":null}"#,
            r#"{"industry_field":null}"#,
            r#"{"industry_field":"new_energy"}"#,
            r#"{"financials":null,"conversions":[]}"#,
            r#"{"financials":[],"conversions":[0,1,100000]}"#,
            r#"{"financials":[{"year":2025}]}"#,
            r#"{"financials":[{"year":2147483647}]}"#,
            r#"{"financials":[{"year":2025,"rd_expense":null}]}"#,
            r#"{"taxable_income":"0"}"#,
            r#"{"taxable_income":"00012.500"}"#,
            r#"{"taxable_income":" 12.50 "}"#,
            r#"{"taxable_income":"12.50 "}"#,
            r#"{"taxable_income":"12.5e1"}"#,
            r#"{"taxable_income":"12."}"#,
            r#"{"taxable_income":"1e3"}"#,
            r#"{"taxable_income":"10000000000000000"}"#,
            r#"{"taxable_income":1050000}"#,
            r#"{"taxable_income":0}"#,
            r#"{"western_encouraged_share":"0.650"}"#,
            r#"{"western_encouraged_share":1}"#,
            r#"{"certifications":{"hnte":"expired","hnte_certified_on":"2024-02-29"}}"#,
            r#"{"achievements":{"platforms":{},"standards":{"industry":2}}}"#,
        ] {
            assert!(plain(text).is_some(), "{text}");
        }
        let read = plain(r#"{"industry_field":null}"#).unwrap();
        assert_eq!(read.industry_field, Some(None));
        let read = plain(r#"{"taxable_income":"00012.500"}"#).unwrap();
        assert_eq!(read.taxable_income.unwrap().0.to_string(), "12.5");
    }

    #[test]
    fn declines_what_it_is_not_sure_of() {
        for text in [
            // Escapes, in names and values, and control characters.
            r#"{"\u0072egion":"620102"}"#,
            r#"{"region":"62010\u0032"}"#,
            r#"{"taxable_income":"1\"2"}"#,
            "{\"taxable_income\":\"12\t\"}",
            // Keys given twice, also where the first is null; unknown keys, also nested.
            r#"{"employees":1,"employees":2}"#,
            r#"{"employees":null,"employees":2}"#,
            r#"{"ip":{"class1":null,"class1":null}}"#,
            r#"{"financials":[{"year":2025,"year":2025}]}"#,
            r#"{"employee":1}"#,
            r#"{"区域":"620102"}"#,
            r#"{"region":"６２０１０２"}"#,
            r#"{"id":"A1"}"#,
            r#"{"ip":{"class3":1}}"#,
            r#"{"financials":[{"year":2025,"tax":"1"}]}"#,
            r#"{"achievements":{"platforms":{"global":1}}}"#,
            // Numbers serde reads as floats or refuses; out of range; in the wrong place.
            r#"{"employees":1.0}"#,
            r#"{"employees":1e2}"#,
            r#"{"employees":-1}"#,
            r#"{"employees":-0}"#,
            r#"{"employees":01}"#,
            r#"{"employees":4294967296}"#,
            r#"{"employees":99999999999999999999}"#,
            r#"{"employees":"7"}"#,
            r#"{"taxable_income":12.5}"#,
            r#"{"taxable_income":-0}"#,
            r#"{"taxable_income":1e3}"#,
            r#"{"taxable_income":10000000000000001}"#,
            r#"{"taxable_income":"-1"}"#,
            r#"{"taxable_income":"1.2.3"}"#,
            r#"{"taxable_income":"１２"}"#,
            r#"{"western_encouraged_share":"1.01"}"#,
            r#"{"financials":[{"year":-2025}]}"#,
            r#"{"financials":[{"year":2147483648}]}"#,
            r#"{"region":620102}"#,
            r#"{"region":"62010"}"#,
            r#"{"registered_on":"2023-02-29"}"#,
            r#"{"industry_field":"biology"}"#,
            r#"{"industry_field":{"biomedicine":null}}"#,
            r#"{"rd_institution_level":null,"rd_institution_level":"none"}"#,
            // Wrong shapes, and a fiscal year without its year.
            r#"{"ip":[]}"#,
            r#"{"ip":true}"#,
            r#"{"financials":{}}"#,
            r#"{"financials":[{}]}"#,
            r#"{"financials":[{"year":null}]}"#,
            r#"{"financials":[null]}"#,
            r#"{"conversions":null,"conversions":[1]}"#,
            r#"{"conversions":[null]}"#,
            r#"{"conversions":[1,]}"#,
            r#"{"resident_enterprise":"true"}"#,
            r#"{"resident_enterprise":True}"#,
            r#"{"resident_enterprise":nul}"#,
            // Not JSON, or more than one value.
            "",
            "[]",
            "null",
            "\u{feff}{}",
            "{",
            "{}}",
            "{} {}",
            r#"{"employees":1,}"#,
            r#"{"employees" 1}"#,
            r#"{"employees":1 "tech_staff":1}"#,
            r#"{"employees":true1}"#,
            r#"{"employees":12x}"#,
        ] {
            assert_eq!(plain(text), None, "{text}");
        }
    }

    #[test]
    fn declines_each_field_given_twice() {
        let json = serde_json::to_value(every_field()).unwrap();
        let text = json.to_string();
        let objects: Vec<(&str, &Value)> = vec![
            ("", &json),
            ("financials.0", &json["financials"][0]),
            ("ip", &json["ip"]),
            ("achievements", &json["achievements"]),
            ("achievements.platforms", &json["achievements"]["platforms"]),
        ];
        for (path, object) in objects {
            for (key, value) in object.as_object().unwrap() {
                let twice = format!(r#"{value},"{key}":{value}"#);
                let text_twice = with(path, key, &twice);
                assert_ne!(text_twice, text);
                assert_eq!(plain(&text_twice), None, "{text_twice}");
                let null_first = format!(r#"null,"{key}":{value}"#);
                assert_eq!(plain(&with(path, key, &null_first)), None, "{key}");
            }
        }
    }

    #[test]
    fn rows_set_their_id_apart() {
        let profile = plain(r#"{"employees":7}"#).unwrap();
        for (text, id) in [
            (
                r#"{"id":"91000000MA91948D23","employees":7}"#,
                "91000000MA91948D23",
            ),
            (r#"{"employees":7,"id":17}"#, "17"),
            (r#"{"id":0,"employees":7}"#, "0"),
            (
                r#"{"id":9999999999999999999,"employees":7}"#,
                "9999999999999999999",
            ),
            (r#"{"id":"甘肃 企业","employees":7}"#, "甘肃 企业"),
            (r#"{"id":"","employees":7}"#, ""),
            (r#"{"id":"first","employees":7,"id":"last"}"#, "last"),
        ] {
            assert_eq!(row(text).ok(), Some((Some(id), profile.clone())), "{text}");
        }
        assert_eq!(row(r#"{"employees":7}"#).ok(), Some((None, profile)));
        for text in [
            r#"{"id":"A\"1"}"#,
            r#"{"id":"A\u0031"}"#,
            r#"{"id":null}"#,
            r#"{"id":true}"#,
            r#"{"id":-1}"#,
            r#"{"id":1.5}"#,
            r#"{"id":1e3}"#,
            r#"{"id":01}"#,
            r#"{"id":12345678901234567890}"#,
            r#"{"id":["A"]}"#,
            r#"{"id":{"x":1},"id":"last"}"#,
        ] {
            assert_eq!(row(text).ok(), None, "{text}");
        }
    }
}

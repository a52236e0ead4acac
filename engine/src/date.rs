//! Dates as the contract writes them, `YYYY-MM-DD`: read, written and counted in days here, with
//! `jiff::civil::Date` as the type. jiff's general parser and printer (every ISO 8601 and RFC 9557
//! form), its spans and its error texts took about 40 KB of the npm package's gzipped wasm; a
//! profile and a rule pack only ever hold this one form.
//!
//! Fields use the serde helpers: `#[serde(with = "huiqi_engine::date")]` on a `Date`,
//! `#[serde(with = "huiqi_engine::date::option")]` on an `Option<Date>`.

use std::fmt;

use jiff::SignedDuration;
use jiff::civil::Date;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serializer};

/// Reads exactly `YYYY-MM-DD`, a day of the calendar.
pub fn parse(text: &str) -> Result<Date, String> {
    let bytes = text.as_bytes();
    let number = |from: usize, to: usize| {
        bytes.get(from..to)?.iter().try_fold(0i16, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + i16::from(b - b'0'))
        })
    };
    let dashes = bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-';
    let (Some(year), Some(month), Some(day), true) =
        (number(0, 4), number(5, 7), number(8, 10), dashes)
    else {
        return Err(format!(
            "{text:?} is not a date; expected YYYY-MM-DD, e.g. \"2024-03-01\""
        ));
    };
    // Two digits fit an i8; jiff's own error is not shown, its wording is about its parser.
    let (month, day) = (month as i8, day as i8);
    Date::new(year, month, day).map_err(|_| {
        if (1..=12).contains(&month) {
            format!("{text:?} is not a date: {year:04}-{month:02} has no day {day}")
        } else {
            format!("{text:?} is not a date: there is no month {month}")
        }
    })
}

/// Shows a date as `YYYY-MM-DD`.
pub fn show(date: Date) -> impl fmt::Display {
    Shown(date)
}

struct Shown(Date);

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let date = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}",
            date.year(),
            date.month(),
            date.day()
        )
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.duration_until(to).as_secs() / SECONDS_A_DAY
}

/// `date` moved by `days`, or `None` beyond the dates jiff holds.
pub fn add_days(date: Date, days: i64) -> Option<Date> {
    let seconds = days.checked_mul(SECONDS_A_DAY)?;
    date.checked_add(SignedDuration::from_secs(seconds)).ok()
}

const SECONDS_A_DAY: i64 = 24 * 60 * 60;

/// Serializes a date as `YYYY-MM-DD`.
pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&show(*date))
}

/// Deserializes a `YYYY-MM-DD` string.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
    deserializer.deserialize_str(DateText)
}

struct DateText;

impl Visitor<'_> for DateText {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date string YYYY-MM-DD")
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<Date, E> {
        parse(text).map_err(E::custom)
    }
}

/// The same for an `Option<Date>`: `null` is `None`.
pub mod option {
    use super::*;

    /// Serializes `Some` as `YYYY-MM-DD`, `None` as `null`.
    pub fn serialize<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => super::serialize(date, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes `null` or a `YYYY-MM-DD` string.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Date>, D::Error> {
        Option::<Day>::deserialize(deserializer).map(|day| day.map(|Day(date)| date))
    }
}

/// A date that reads itself as `YYYY-MM-DD`, where serde needs a type rather than a function.
pub(crate) struct Day(pub(crate) Date);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize(deserializer).map(Day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_exactly_the_contract_form() {
        assert_eq!(parse("2024-02-29"), Ok(Date::constant(2024, 2, 29)));
        assert_eq!(show(Date::constant(2024, 3, 1)).to_string(), "2024-03-01");
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-3-1",
            "20240301",
            "2024/03/01",
            "2024-03-01T00:00",
            " 2024-03-01",
            "yesterday",
            "",
            "２０２４-03-01",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse("2023-02-30").unwrap_err(),
            "\"2023-02-30\" is not a date: 2023-02 has no day 30"
        );
    }

    #[test]
    fn counts_days() {
        let (a, b) = (Date::constant(2024, 2, 28), Date::constant(2024, 3, 1));
        assert_eq!(days_between(a, b), 2);
        assert_eq!(days_between(b, a), -2);
        assert_eq!(add_days(a, 2), Some(b));
        assert_eq!(add_days(b, -2), Some(a));
        assert_eq!(add_days(a, i64::MAX), None);
        assert_eq!(add_days(a, 10_000_000), None);
    }
}

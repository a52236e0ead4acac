//! Exact amounts: money in 元 and ratios, parsed from JSON strings or numbers without ever going
//! through binary floating point arithmetic.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Largest amount accepted on input: 10^16 元 (ten thousand trillion), far above any enterprise's
/// figures, and low enough that every product the rule packs form stays inside `Decimal`.
pub const MAX_AMOUNT: Decimal =
    Decimal::from_parts(MAX_YUAN as u32, (MAX_YUAN >> 32) as u32, 0, false, 0);
/// [`MAX_AMOUNT`] as an integer, for the bound check of plain figures.
const MAX_YUAN: u64 = 10_000_000_000_000_000;

/// A non-negative exact amount of money in 元 (yuan).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string | number"))]
pub struct Money(pub Decimal);

/// An exact share between 0 and 1 inclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string | number"))]
pub struct Share(pub Decimal);

impl Money {
    /// Parses a decimal string exactly (`"12345.67"`), refusing negatives and absurd magnitudes.
    pub fn parse(text: &str) -> Result<Self, String> {
        parse_bounded(text, MAX_YUAN, "a non-negative amount in 元").map(Money)
    }
}

impl Share {
    /// Parses a share in 0..1 exactly (`"0.65"`).
    pub fn parse(text: &str) -> Result<Self, String> {
        parse_bounded(text, 1, "a share between 0 and 1").map(Share)
    }
}

/// The amounts, for a reader that finds where a figure ends as it reads it (`plain_json`).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) trait Amount: Sized {
    /// The plain figure (`digits[.digits]`) that starts `bytes`, as [`Amount::parse`] reads it
    /// alone, and its length.
    fn plain_prefix(bytes: &[u8]) -> Option<(Self, usize)>;
    /// [`Money::parse`] or [`Share::parse`].
    fn parse(text: &str) -> Result<Self, String>;
}

#[cfg(not(target_arch = "wasm32"))]
impl Amount for Money {
    #[inline(always)]
    fn plain_prefix(bytes: &[u8]) -> Option<(Money, usize)> {
        plain_figure(bytes, MAX_YUAN).map(|(value, len)| (Money(value), len))
    }
    fn parse(text: &str) -> Result<Money, String> {
        Money::parse(text)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Amount for Share {
    #[inline(always)]
    fn plain_prefix(bytes: &[u8]) -> Option<(Share, usize)> {
        plain_figure(bytes, 1).map(|(value, len)| (Share(value), len))
    }
    fn parse(text: &str) -> Result<Share, String> {
        Share::parse(text)
    }
}

/// Parses a decimal between 0 and `max` inclusive, in its normal form.
fn parse_bounded(text: &str, max: u64, expected: &str) -> Result<Decimal, String> {
    if let Some(value) = plain_decimal(text, max) {
        return Ok(value);
    }
    let trimmed = text.trim();
    let value = Decimal::from_str_exact(trimmed)
        .or_else(|_| Decimal::from_scientific(trimmed))
        .map_err(|_| {
            if looks_numeric(trimmed) {
                format!("{trimmed:?} is too large or too precise; expected {expected}")
            } else {
                format!("{trimmed:?} is not a number; expected {expected}")
            }
        })?;
    if value < Decimal::ZERO || value > Decimal::from(max) {
        return Err(format!(
            "{value} is out of range; expected {expected} (at most {max})"
        ));
    }
    Ok(value.normalize())
}

/// The common form of registry figures, `digits[.digits]` of at most 18 digits and at most `max`,
/// read straight into its normal form (no trailing zeros after the point); `None` for anything
/// else, which the general reader takes. Registries are read at hundreds of thousands of rows a
/// second, ~30 figures a row: hence one tight loop per digit run, trailing zeros left out rather
/// than divided away, and the bound checked on the integer part, with no white space to trim and
/// no `Decimal` comparison.
fn plain_decimal(text: &str, max: u64) -> Option<Decimal> {
    match plain_figure(text.as_bytes(), max)? {
        (value, len) if len == text.len() => Some(value),
        _ => None,
    }
}

/// The plain figure that starts `bytes`, as [`plain_decimal`] reads it alone, and its length;
/// `None` where `bytes` starts with none.
#[inline(always)]
fn plain_figure(bytes: &[u8], max: u64) -> Option<(Decimal, usize)> {
    let (whole, whole_digits) = digits(bytes);
    // At most 18 digits: no overflow of u64.
    if whole_digits == 0 || whole_digits > 18 {
        return None;
    }
    let (mut mantissa, mut scale, mut len) = (whole, 0, whole_digits);
    if let Some([b'.', fraction @ ..]) = bytes.get(whole_digits..) {
        // The normal form ends in no zero after the point: the mantissa and scale are those as
        // of the last digit that is not 0, found in the one pass.
        let mut value = whole;
        for (n, &byte) in fraction.iter().enumerate() {
            let digit = byte.wrapping_sub(b'0');
            if digit > 9 {
                break;
            }
            value = value.wrapping_mul(10).wrapping_add(u64::from(digit));
            if digit != 0 {
                (mantissa, scale) = (value, n + 1);
            }
            len = whole_digits + 2 + n;
        }
        // At most 18 digits in all, as above.
        if len > 19 {
            return None;
        }
    }
    // The normal form has a fraction exactly when its scale is not 0.
    if whole > max || (whole == max && scale > 0) {
        return None;
    }
    let value = Decimal::from_parts(
        mantissa as u32,
        (mantissa >> 32) as u32,
        0,
        false,
        scale as u32,
    );
    Some((value, len))
}

/// The number the ASCII digits that start `bytes` write, and how many there are; the callers
/// keep to 18 digits, beyond which the number wraps. Natively eight digits at a time where
/// eight bytes are left (the npm package's wasm reads one at a time, for size): their byte
/// values less `'0'`, turned into one number by three multiply-adds that each join neighbours
/// (two digits, then four, then eight).
#[inline(always)]
fn digits(bytes: &[u8]) -> (u64, usize) {
    let (mut value, mut count) = (0u64, 0);
    #[cfg_attr(target_arch = "wasm32", allow(unused_mut))]
    let mut rest = bytes;
    #[cfg(not(target_arch = "wasm32"))]
    while let Some((chunk, after)) = rest.split_first_chunk::<8>() {
        const POWERS: [u64; 9] = [
            1,
            10,
            100,
            1_000,
            10_000,
            100_000,
            1_000_000,
            10_000_000,
            100_000_000,
        ];
        let lanes = |byte: u8| u64::from_ne_bytes([byte; 8]);
        let values = u64::from_le_bytes(*chunk).wrapping_sub(lanes(b'0'));
        // The high bit of each byte that is no digit (above 9, or borrowed below 0), exact up
        // to the first one: a borrow or a carry only reaches the bytes after it.
        let others = (values.wrapping_add(lanes(0x76)) | values) & lanes(0x80);
        let n = others.trailing_zeros() as usize / 8;
        let Some(&power) = POWERS.get(n).filter(|_| n > 0) else {
            return (value, count);
        };
        // The n digits to the top of the word, zeros before them.
        let mut x = values << (64 - 8 * n);
        x = (x.wrapping_mul(10) + (x >> 8)) & 0x00FF_00FF_00FF_00FF;
        x = (x.wrapping_mul(100) + (x >> 16)) & 0x0000_FFFF_0000_FFFF;
        x = (x.wrapping_mul(10_000) + (x >> 32)) & 0xFFFF_FFFF;
        value = value.wrapping_mul(power).wrapping_add(x);
        count += n;
        // Most figures end within a word or right after one: then no word more is read.
        if n < 8 || !after.first().is_some_and(u8::is_ascii_digit) {
            return (value, count);
        }
        rest = after;
    }
    for &byte in rest {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        value = value.wrapping_mul(10).wrapping_add(u64::from(digit));
        count += 1;
    }
    (value, count)
}

fn looks_numeric(text: &str) -> bool {
    // "12.3.4" is no number at all, however digit-like it looks.
    !text.is_empty()
        && text.matches('.').count() <= 1
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
}

/// Turns a JSON/JS number into the decimal the user typed: Rust prints the shortest string that
/// round-trips, so `0.1` becomes exactly `0.1`, not 0.1000000000000000055….
fn float_text(value: f64) -> Result<String, String> {
    if value.is_finite() {
        Ok(format!("{value}"))
    } else {
        Err(format!("{value} is not a finite number"))
    }
}

struct DecimalVisitor {
    parse: fn(&str) -> Result<Decimal, String>,
    expected: &'static str,
}

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expected)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        (self.parse)(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        (self.parse)(&v.to_string()).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        (self.parse)(&v.to_string()).map_err(E::custom)
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Decimal, E> {
        (self.parse)(&v.to_string()).map_err(E::custom)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Decimal, E> {
        (self.parse)(&v.to_string()).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        let text = float_text(v).map_err(E::custom)?;
        (self.parse)(&text).map_err(E::custom)
    }
    /// serde_json's `arbitrary_precision` hands numbers over as a one-entry map holding the
    /// literal text, which keeps integers beyond 2^53 exact.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
        let Some((_, text)) = map.next_entry::<String, String>()? else {
            return Err(de::Error::custom(format!("expected {}", self.expected)));
        };
        (self.parse)(&text).map_err(de::Error::custom)
    }
}

macro_rules! decimal_serde {
    ($ty:ident, $expected:literal) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer
                    .deserialize_any(DecimalVisitor {
                        parse: |text| $ty::parse(text).map(|value| value.0),
                        expected: $expected,
                    })
                    .map($ty)
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(&self.0)
            }
        }

        impl FromStr for $ty {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                $ty::parse(text)
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

decimal_serde!(
    Money,
    "a non-negative amount in 元, as a string like \"12345.67\" or a number"
);
decimal_serde!(
    Share,
    "a share between 0 and 1, as a string like \"0.65\" or a number"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_amount_is_ten_to_the_sixteenth() {
        assert_eq!(MAX_AMOUNT, Decimal::from(10_000_000_000_000_000u64));
    }

    #[test]
    fn numbers_keep_the_typed_digits() {
        let money: Money = serde_json::from_str("0.1").unwrap();
        assert_eq!(money.0.to_string(), "0.1");
        let money: Money = serde_json::from_str("\"12345.67\"").unwrap();
        assert_eq!(money.0.to_string(), "12345.67");
    }

    #[test]
    fn plain_figures_read_as_the_general_reader_reads_them() {
        for text in [
            "0",
            "00",
            "0.00",
            "7",
            "007",
            "12345.67",
            "1050000",
            "0.05",
            "0.50",
            "1.000",
            "999999999999999999",
            "99999999999999999.9",
            "0.00000000000000001",
            "10000000000000000",
        ] {
            let general = Decimal::from_str_exact(text).unwrap().normalize();
            let plain = plain_decimal(text, u64::MAX).unwrap();
            assert_eq!(
                (plain.mantissa(), plain.scale()),
                (general.mantissa(), general.scale()),
                "{text}"
            );
        }
        for text in [
            "",
            ".5",
            "5.",
            "1.2.3",
            "-1",
            "+1",
            "1e3",
            "1_000",
            "9999999999999999999",
        ] {
            assert_eq!(plain_decimal(text, u64::MAX), None, "{text}");
        }
    }

    #[test]
    fn refuses_negative_and_huge() {
        assert!(serde_json::from_str::<Money>("-1").is_err());
        assert!(serde_json::from_str::<Money>("\"1e40\"").is_err());
        assert!(serde_json::from_str::<Money>("\"abc\"").is_err());
        assert!(serde_json::from_str::<Share>("1.5").is_err());
    }

    #[test]
    fn bounds_are_inclusive_on_both_paths() {
        let money = |text| Money::parse(text).map(|m| m.0.to_string());
        let share = |text| Share::parse(text).map(|s| s.0.to_string());
        assert_eq!(money("10000000000000000"), Ok("10000000000000000".into()));
        assert_eq!(
            money("10000000000000000.00"),
            Ok("10000000000000000".into())
        );
        assert_eq!(money(" 12.50 "), Ok("12.5".into()));
        assert_eq!(
            money("10000000000000000.1"),
            Err(
                "10000000000000000.1 is out of range; expected a non-negative amount in 元 \
                 (at most 10000000000000000)"
                    .into()
            )
        );
        assert_eq!(share("1.000"), Ok("1".into()));
        assert_eq!(share("0.65"), Ok("0.65".into()));
        assert_eq!(
            share("1.01"),
            Err("1.01 is out of range; expected a share between 0 and 1 (at most 1)".into())
        );
        assert!(share("-0.5").is_err());
    }

    proptest::proptest! {
        /// A plain figure that starts a text is read as the figure alone is, and a plain figure
        /// followed by a quote (as a reader of JSON strings meets it) is found whole.
        #[test]
        fn plain_prefixes_read_as_the_figure_alone(
            text in "[0-9.]{0,21}|[0-9]{1,12}[.][0-9]{0,9}0{0,4}",
            after in "[\"0-9. ex]{0,3}",
        ) {
            let bytes = format!("{text}{after}");
            if let Some((value, len)) = plain_figure(bytes.as_bytes(), MAX_YUAN) {
                proptest::prop_assert_eq!(plain_decimal(&bytes[..len], MAX_YUAN), Some(value));
            }
            if let Some(value) = plain_decimal(&text, MAX_YUAN) {
                let quoted = format!("{text}\"{after}");
                let found = plain_figure(quoted.as_bytes(), MAX_YUAN);
                proptest::prop_assert_eq!(found, Some((value, text.len())));
            }
        }

        /// The plain reader takes exactly `digits[.digits]` of at most 18 digits (19 bytes) and
        /// at most `max`, into the normal form the general reader gives.
        #[test]
        fn plain_figures_are_exactly_the_plain_form(
            text in "[0-9.]{0,21}|0{0,6}[0-9]{1,19}|[0-9]{1,12}[.][0-9]{0,9}0{0,6}|[0-9 e+-]{0,6}",
            max in proptest::prop_oneof![
                proptest::strategy::Just(MAX_YUAN),
                proptest::strategy::Just(1u64),
                0..=u64::MAX,
            ],
        ) {
            let (whole, fraction) = match text.split_once('.') {
                Some((whole, fraction)) => (whole, Some(fraction)),
                None => (text.as_str(), None),
            };
            let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
            let general = Decimal::from_str_exact(&text).map(|d| d.normalize());
            let plain_form = digits(whole)
                && fraction.is_none_or(digits)
                && text.len() <= 19
                && (fraction.is_some() || whole.len() <= 18);
            let within = general.as_ref().is_ok_and(|d| {
                *d <= Decimal::from(max) && whole.parse::<u64>().is_ok_and(|w| w <= max)
            });
            let read = plain_decimal(&text, max);
            proptest::prop_assert_eq!(read.is_some(), plain_form && within, "{}", text);
            if let (Some(read), Ok(general)) = (read, general) {
                let (read, general) = (
                    (read.mantissa(), read.scale()),
                    (general.mantissa(), general.scale()),
                );
                proptest::prop_assert_eq!(read, general, "{}", text);
            }
        }
    }
}

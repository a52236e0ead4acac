//! Numbers as people read them: amounts in 万元 with grouping, shares as percentages. Exact
//! decimal arithmetic throughout; rounding happens only for display.

use huiqi_engine::{Decimal, Lang};
use rust_decimal::RoundingStrategy;

const WAN: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);
const HUNDRED: Decimal = Decimal::from_parts(100, 0, 0, false, 0);

/// An amount of 元 written in 万元 without the unit, e.g. `375000` → `37.5`, `123456789` →
/// `12,345.6789`.
pub fn wan(yuan: Decimal) -> String {
    group(&(yuan / WAN).normalize().to_string())
}

/// An amount of 元 with its unit: `20 万元` in Chinese, `¥200,000` in English.
pub fn money(yuan: Decimal, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{} 万元", wan(yuan)),
        Lang::En => format!("¥{}", yuan_text(yuan)),
    }
}

/// A range of 元 with its unit, collapsed when both ends agree.
pub fn money_range(min: Decimal, max: Decimal, lang: Lang) -> String {
    if min == max {
        return money(min, lang);
    }
    match lang {
        Lang::Zh => format!("{}–{} 万元", wan(min), wan(max)),
        Lang::En => format!("¥{}–{}", yuan_text(min), yuan_text(max)),
    }
}

fn yuan_text(yuan: Decimal) -> String {
    group(&yuan.normalize().to_string())
}

/// A share as a percentage with at most two decimals, cut rather than rounded so that a share
/// just under a threshold never reads as reaching it: `0.04999` → `4.99%`, `0.375` → `37.5%`.
pub fn percent(share: Decimal) -> String {
    match share.checked_mul(HUNDRED) {
        Some(percent) => format!(
            "{}%",
            percent
                .round_dp_with_strategy(2, RoundingStrategy::ToZero)
                .normalize()
        ),
        // Only a share beyond any real figure gets here; say it as a plain number.
        None => share.normalize().to_string(),
    }
}

/// Points, e.g. `64` or `64–83`.
pub fn points(min: Decimal, max: Decimal) -> String {
    if min == max {
        min.normalize().to_string()
    } else {
        format!("{}–{}", min.normalize(), max.normalize())
    }
}

/// Thousands separators in the integer part of a plain decimal string.
fn group(text: &str) -> String {
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or(("", text), |rest| ("-", rest));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::with_capacity(text.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    #[test]
    fn amounts_in_wan() {
        assert_eq!(wan(d("375000")), "37.5");
        assert_eq!(wan(d("200000.00")), "20");
        assert_eq!(wan(d("123456789")), "12,345.6789");
        assert_eq!(money(d("200000"), Lang::Zh), "20 万元");
        assert_eq!(money(d("200000"), Lang::En), "¥200,000");
        assert_eq!(money_range(d("0"), d("1000000"), Lang::Zh), "0–100 万元");
    }

    #[test]
    fn percentages_and_points() {
        assert_eq!(percent(d("0.375")), "37.5%");
        assert_eq!(percent(d("0.6")), "60%");
        assert_eq!(percent(d("0.04999")), "4.99%");
        assert_eq!(points(d("64"), d("83")), "64–83");
    }
}

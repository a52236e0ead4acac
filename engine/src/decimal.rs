//! Decimal division, to the bit what `Decimal::checked_div` gives (mantissa, scale and sign),
//! with the common case on native integers: rust_decimal divides on 32-bit limbs, 300–600
//! instructions a division, and a profile's ratios and growth rates take ~20 of them.
//!
//! What `checked_div` computes (rust_decimal 1.43, `ops/div.rs`), with mantissas `xm`, `ym` and
//! `d = x.scale − y.scale`: `xm / ym` at scale `d`; exact with `d ≥ 0`, that is the result as is
//! (1.50 / 3 = 0.50). Otherwise long division goes on in steps that `find_scale` sizes: 9 digits
//! while the scale is ≤ 19, then up to 28, fewer only where the 96-bit quotient could overflow.
//! It stops at the first step whose remainder is 0 at a scale ≥ 0 (below 0 it multiplies the
//! quotient up to scale 0), else at scale 28, rounding the last remainder half to even. If a
//! remainder was ever not 0, `unscale` then strips trailing zeros in a fixed pattern that can
//! leave some: 8 at a time while the low 32 bits are 0, then 4, 2 and 1 once each (1 / 10 = 0.10:
//! 10^8 at scale 9, less 4 + 2 + 1 zeros).
//!
//! The fast path takes `ym < 2^64` with `|x / y| < 7`, and exact quotients. Below 7 the quotient
//! at scale `s` is under `7·10^s`, so every `find_scale` step is a full one (for `k` digits it
//! allows up to `(2^96 − 1) / 10^k` ≈ 7.92·10^s; the coarsest test, 42·2^64 for 8 digits from
//! scale 20, ≈ 7.75·10^20) and nothing overflows 96 bits, rounding included: the steps end at
//! `d, d + 9, …` (up to 28) and 28. A quotient at a scale is the same however it is computed, so
//! the fast path computes the one at scale 28 in one or two divisions. A remainder other than 0
//! there means no step ended early (a quotient exact at a step is exact at 28), and it rounds; a
//! remainder of 0 takes rust_decimal's steps to find the one that ended. The rest goes to
//! `checked_div`, and so does everything in the wasm build: the fast path's code would take the
//! npm package past its size limit.

use rust_decimal::Decimal;

/// `x / y` exactly as `x.checked_div(y)`: `None` when `y` is 0 or the quotient overflows.
pub(crate) fn div(x: Decimal, y: Decimal) -> Option<Decimal> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(q) = fast(x, y) {
        return Some(q);
    }
    x.checked_div(y)
}

/// 10^0 ..= 10^28.
#[cfg(not(target_arch = "wasm32"))]
const POW10: [u128; 29] = {
    let mut p = [1u128; 29];
    let mut i = 1;
    while i < 29 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// 7·10^d: at scale d, the whole part of a quotient below 7, the fast path's bound (module doc).
#[cfg(not(target_arch = "wasm32"))]
const LIMITS: [u128; 29] = {
    let mut p = POW10;
    let mut i = 0;
    while i < 29 {
        p[i] *= 7;
        i += 1;
    }
    p
};

/// `find_scale`'s full step, in digits.
#[cfg(not(target_arch = "wasm32"))]
const STEP: u32 = 9;

#[cfg(not(target_arch = "wasm32"))]
fn pow10(n: u32) -> u128 {
    // ok: every caller's exponent is at most 28 (scales are at most 28).
    POW10[n as usize]
}

/// Mantissa, scale and sign.
#[cfg(not(target_arch = "wasm32"))]
fn unpack(d: Decimal) -> (u128, u32, bool) {
    let b = d.serialize();
    let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let m = u128::from(word(4)) | u128::from(word(8)) << 32 | u128::from(word(12)) << 64;
    (m, u32::from(b[2]), b[3] & 0x80 != 0)
}

/// `n / m` and `n % m`, on a u64 division when `n` fits one.
#[cfg(not(target_arch = "wasm32"))]
fn divmod(n: u128, m: u64) -> (u128, u64) {
    match u64::try_from(n) {
        Ok(n) => (u128::from(n / m), n % m),
        // ok: the remainder is below m, so its low 64 bits are all of it.
        Err(_) => {
            let q = n / u128::from(m);
            (q, (n as u64).wrapping_sub((q as u64).wrapping_mul(m)))
        }
    }
}

/// `x / y` when the fast path covers it (module doc), else `None` (for `checked_div` to decide).
#[cfg(not(target_arch = "wasm32"))]
fn fast(x: Decimal, y: Decimal) -> Option<Decimal> {
    let (xm, xs, xn) = unpack(x);
    let (ym, ys, yn) = unpack(y);
    let ym = u64::try_from(ym).ok().filter(|&m| m != 0)?;
    if xm == 0 {
        // As `checked_div`: 0 at scale 0, never -0.
        return Some(Decimal::ZERO);
    }
    let negative = xn != yn;
    // The dividend's mantissa at the base scale, the whole part there and its remainder (not 0),
    // and the step to the next checkpoint.
    let (num, whole, rem, base, first) = if xs >= ys {
        let d = xs - ys;
        let (q, r) = divmod(xm, ym);
        if r == 0 {
            return Some(make(q, d, negative));
        }
        // Also keeps d ≤ 28 (as a Decimal's scale is): the table has 29 entries.
        if q >= *LIMITS.get(d as usize)? {
            return None;
        }
        (xm, q, r, d, STEP)
    } else {
        let e = ys - xs;
        if xm >= u128::from(ym) {
            // A quotient of 10 or more: taken only when exact, which rust_decimal multiplies up
            // to scale 0 (it overflows past 2^96).
            let (q, r) = divmod(xm, ym);
            let q = (r == 0).then(|| q.checked_mul(*POW10.get(e as usize)?))??;
            return (q >> 96 == 0).then(|| make(q, 0, negative));
        }
        // Below 7 the quotient at a negative scale is 0 with the dividend as remainder, and
        // every step is 9 digits: the digits are those from scale 0 with the whole part, and the
        // checkpoints d + 9k that are ≥ 0 start at d mod 9.
        let x64 = u64::try_from(xm).ok().filter(|_| e <= 19)?;
        // ok: both factors are below 2^64.
        let xb = u128::from(x64) * pow10(e);
        if xb >= LIMITS[0] * u128::from(ym) {
            return None;
        }
        let (q, r) = divmod(xb, ym);
        if r == 0 {
            // A whole quotient below 7 has no factor 10: exact first at that checkpoint.
            let first = (STEP - e % STEP) % STEP;
            let (q, scale) = unscale(q * pow10(first), first);
            return Some(make(q, scale, negative));
        }
        (xb, q, r, 0, STEP - e % STEP)
    };
    let digits = 28 - base;
    // The quotient at scale 28 before rounding, `num·10^digits / ym`: in one division when that
    // product fits a u128 (most dividends), else as whole·10^digits and `rem·10^digits / ym`, the
    // latter in one division likewise or in two (19 digits, then the rest) whose quotients fit a
    // u64. ok: below 2^34, times 10^28 < 2^94, is below 2^128.
    let (q, last) = if digits == 0 {
        (whole, rem)
    } else if num >> 34 == 0 {
        divmod(num * pow10(digits), ym)
    } else {
        let (frac, last) = fraction(rem, ym, digits);
        // ok: whole·10^digits + frac < 7·10^28.
        (whole * pow10(digits) + frac, last)
    };
    if last == 0 {
        let (q, scale) = exact(whole, rem, ym, base, first);
        return Some(make(q, scale, negative));
    }
    let half = ym - last;
    let up = last > half || (last == half && q & 1 == 1);
    // ok: q < 7·10^28, so q + 1 < 2^96.
    let q = q + u128::from(up);
    // Each strip of trailing zeros needs a factor 10, which most quotients lack.
    let (q, scale) = if q % 10 == 0 { unscale(q, 28) } else { (q, 28) };
    Some(make(q, scale, negative))
}

/// `rem·10^digits / ym` and its remainder, for `rem < ym`.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn fraction(rem: u64, ym: u64, digits: u32) -> (u128, u64) {
    if rem >> 34 == 0 {
        // ok: rem < 2^34 and 10^28 < 2^94.
        divmod(u128::from(rem) * pow10(digits), ym)
    } else {
        let high = digits.min(19);
        let low = digits - high;
        // ok: rem < 2^64 and 10^19 < 2^64; the second product alike, with 10^low ≤ 10^9.
        let (a, rem) = divmod(u128::from(rem) * pow10(high), ym);
        let (b, rem) = divmod(u128::from(rem) * pow10(low), ym);
        (a * pow10(low) + b, rem)
    }
}

/// The quotient when the division is exact by scale 28: rust_decimal's steps again from `whole`
/// at scale `base` with remainder `rem`, `step` digits and then 9 (the last up to 28), to the
/// first checkpoint whose remainder is 0. Then unscaled.
#[cfg(not(target_arch = "wasm32"))]
#[inline(never)]
fn exact(mut q: u128, mut rem: u64, ym: u64, mut scale: u32, step: u32) -> (u128, u32) {
    let mut step = step.min(28 - scale);
    loop {
        // ok: rem < 2^64 and 10^9 < 2^30; the quotient stays below 7·10^28.
        let (digits, r) = divmod(u128::from(rem) * pow10(step), ym);
        q = q * pow10(step) + digits;
        scale += step;
        rem = r;
        if rem == 0 || scale >= 28 {
            return unscale(q, scale);
        }
        step = STEP.min(28 - scale);
    }
}

/// rust_decimal's `unscale`: trailing zeros stripped 8 at a time only while the low 32 bits are 0,
/// then 4, 2 and 1 once each, never below scale 0.
#[cfg(not(target_arch = "wasm32"))]
#[inline(never)]
fn unscale(mut q: u128, mut scale: u32) -> (u128, u32) {
    while q as u32 == 0 && scale >= 8 {
        match div_small(q, 100_000_000) {
            (d, 0) => q = d,
            _ => break,
        }
        scale -= 8;
    }
    // 2^k divides 10^k: the low bits rule most out without a division.
    for (power, k) in [(10_000, 4), (100, 2), (10, 1)] {
        if scale >= k && q & ((1 << k) - 1) == 0 {
            if let (d, 0) = div_small(q, power) {
                q = d;
                scale -= k;
            }
        }
    }
    (q, scale)
}

/// `q / p` and `q % p` for `q < 2^96`, on u64 divisions (by a constant: multiplications).
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn div_small(q: u128, p: u32) -> (u128, u32) {
    let p = u64::from(p);
    if let Ok(q) = u64::try_from(q) {
        // ok: the remainder is below p.
        return (u128::from(q / p), (q % p) as u32);
    }
    // ok: q < 2^96, so q >> 32 fits a u64; the second dividend is below p·2^32.
    let high = (q >> 32) as u64;
    let low = (high % p) << 32 | (q as u32 as u64);
    let q = u128::from(high / p) << 32 | u128::from(low / p);
    (q, (low % p) as u32)
}

/// The decimal `±q / 10^scale`, with `q < 2^96` and `scale ≤ 28`; 0 is +0, as rust_decimal has it.
#[cfg(not(target_arch = "wasm32"))]
fn make(q: u128, scale: u32, negative: bool) -> Decimal {
    // ok: every caller's scale is at most 28, so `from_parts` does not panic.
    Decimal::from_parts(
        q as u32,
        (q >> 32) as u32,
        (q >> 64) as u32,
        negative,
        scale,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

    /// The largest mantissa, 2^96 − 1.
    const MAX: u128 = (1 << 96) - 1;

    fn dec(m: u128, scale: u32, negative: bool) -> Decimal {
        let mut d = Decimal::from_i128_with_scale(m.min(MAX) as i128, scale);
        // After construction, so that a zero can be -0 too.
        d.set_sign_negative(negative);
        d
    }

    fn parts(d: Decimal) -> (i128, u32, bool) {
        (d.mantissa(), d.scale(), d.is_sign_negative())
    }

    /// `div` and `checked_div` to the bit: `serialize` is the sign, scale and mantissa.
    fn same(x: Decimal, y: Decimal) -> Result<(), String> {
        let (got, want) = (div(x, y), x.checked_div(y));
        if got.map(|q| q.serialize()) == want.map(|q| q.serialize()) {
            Ok(())
        } else {
            Err(format!(
                "{x:?} / {y:?} = {:?}, checked_div {:?}",
                got.map(parts),
                want.map(parts)
            ))
        }
    }

    /// Mantissas of every bit length up to 96, so small and large are equally likely.
    fn mantissa() -> impl Strategy<Value = u128> {
        (0u32..=96).prop_flat_map(|bits| 0..=(1u128 << bits) - 1)
    }

    fn side(
        m: impl Strategy<Value = u128> + 'static,
        scale: impl Strategy<Value = u32> + 'static,
    ) -> BoxedStrategy<Decimal> {
        (m, scale, any::<bool>())
            .prop_map(|(m, s, n)| dec(m, s, n))
            .boxed()
    }

    /// Amounts in yuan to a ten-thousandth, up to 10^15.
    fn money() -> BoxedStrategy<(Decimal, Decimal)> {
        let amount = || side(0..=1_000_000_000_000_000u128, 0..=4u32);
        (amount(), amount()).boxed()
    }

    /// Head counts and the like: small whole numbers, 0 included.
    fn counts() -> BoxedStrategy<(Decimal, Decimal)> {
        let count = || side(0..=100_000u128, Just(0));
        (count(), count()).boxed()
    }

    /// Any mantissa at any scale.
    fn mixed() -> BoxedStrategy<(Decimal, Decimal)> {
        (side(mantissa(), 0..=28u32), side(mantissa(), 0..=28u32)).boxed()
    }

    /// Tiny and huge mantissas against each other, up to 2^96 − 1.
    fn extremes() -> BoxedStrategy<(Decimal, Decimal)> {
        let m = || prop_oneof![0..=10u128, MAX - 10..=MAX, mantissa()];
        (side(m(), 0..=28u32), side(m(), 0..=28u32)).boxed()
    }

    /// Dividends that are a multiple of the divisor's mantissa.
    fn exact() -> BoxedStrategy<(Decimal, Decimal)> {
        (
            mantissa(),
            1..=u128::from(u64::MAX),
            0..=28u32,
            0..=28u32,
            any::<[bool; 2]>(),
        )
            .prop_map(|(q, ym, xs, ys, [nx, ny])| {
                let xm = q.checked_mul(ym).filter(|&m| m <= MAX).unwrap_or(ym);
                (dec(xm, xs, nx), dec(ym, ys, ny))
            })
            .boxed()
    }

    /// Quotients near 7, the fast path's bound (and 6 and 8 on either side), at every scale
    /// difference: the dividend is `k·ym·10^d`, or `k·ym / 10^-d`, moved by a little.
    fn near_limit() -> BoxedStrategy<(Decimal, Decimal)> {
        (
            1..=u128::from(u64::MAX),
            6..=8u128,
            0..=28u32,
            0..=28u32,
            -3..=3i128,
            any::<[bool; 2]>(),
        )
            .prop_map(|(ym, k, xs, ys, nudge, [nx, ny])| {
                let target = if xs >= ys {
                    (k * ym).checked_mul(pow10(xs - ys))
                } else {
                    Some(k * ym / pow10(ys - xs))
                };
                let xm = target
                    .and_then(|t| t.checked_add_signed(nudge))
                    .filter(|&m| m <= MAX)
                    .unwrap_or(k);
                (dec(xm, xs, nx), dec(ym, ys, ny))
            })
            .boxed()
    }

    /// Quotients near 2^96: huge dividends over small divisors, and about 7.92 at scale 28.
    fn near_max() -> BoxedStrategy<(Decimal, Decimal)> {
        prop_oneof![
            (
                side(MAX - (1 << 40)..=MAX, 0..=28u32),
                side(1..=20u128, 0..=28u32)
            ),
            (side(MAX - 1000..=MAX, Just(28)), side(1..=3u128, Just(0))),
        ]
        .boxed()
    }

    /// Divisors at the widths where rust_decimal and the fast path change method: 2^32, 2^34, 2^64.
    fn divisor_widths() -> BoxedStrategy<(Decimal, Decimal)> {
        let edge = prop_oneof![Just(32u32), Just(34), Just(64)]
            .prop_flat_map(|bits| (1u128 << bits) - 3..=(1u128 << bits) + 3);
        (side(mantissa(), 0..=28u32), side(edge, 0..=28u32)).boxed()
    }

    fn all() -> BoxedStrategy<(Decimal, Decimal)> {
        prop_oneof![
            money(),
            counts(),
            mixed(),
            extremes(),
            exact(),
            near_limit(),
            near_max(),
            divisor_widths()
        ]
        .boxed()
    }

    proptest! {
        #![proptest_config(Config::with_cases(20_000))]

        #[test]
        fn money_as_checked_div((x, y) in money()) {
            same(x, y).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn counts_as_checked_div((x, y) in counts()) {
            same(x, y).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn mixed_as_checked_div((x, y) in mixed()) {
            same(x, y).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn extremes_as_checked_div((x, y) in extremes()) {
            same(x, y).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn exact_as_checked_div((x, y) in exact()) {
            same(x, y).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn near_limit_as_checked_div((x, y) in near_limit()) {
            same(x, y).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn near_max_as_checked_div((x, y) in near_max()) {
            same(x, y).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn divisor_widths_as_checked_div((x, y) in divisor_widths()) {
            same(x, y).map_err(TestCaseError::fail)?;
        }
    }

    #[test]
    fn known_quotients() {
        let d = |s: &str| Decimal::from_str_exact(s).unwrap();
        for (x, y, want) in [
            // rust_decimal's own forms: kept scale, partial zero stripping, rounding half to even.
            ("1.50", "3", "0.50"),
            ("1", "10", "0.10"),
            ("12", "40", "0.30"),
            ("1", "8", "0.125"),
            ("1", "0.2", "5.0"),
            ("5", "0.5", "10"),
            ("1", "0.00000008", "12500000"),
            ("2", "3", "0.6666666666666666666666666667"),
            ("-0.00", "5", "0"),
            ("0.0000000000000000000000000001", "-3", "0"),
            ("-1", "3", "-0.3333333333333333333333333333"),
            ("19000000000000", "10000.00", "1900000000"),
        ] {
            let q = div(d(x), d(y)).unwrap();
            assert_eq!(q.to_string(), want, "{x} / {y}");
            assert!(!q.is_zero() || !q.is_sign_negative(), "{x} / {y} is -0");
            same(d(x), d(y)).unwrap();
        }
        assert_eq!(div(Decimal::ONE, Decimal::ZERO), None);
        same(Decimal::MAX, d("0.1")).unwrap();
    }

    /// The divisions a profile makes take the fast path (else the checks above prove little).
    #[test]
    fn fast_path_takes_the_usual_divisions() {
        let d = |s: &str| Decimal::from_str_exact(s).unwrap();
        for (x, y) in [
            ("46", "222"),
            ("267830.5", "26783056.8"),
            ("267830.5", "22578111.15"),
            ("1234567890.12", "9876543210.98"),
            ("3.0329037819260017663572960241", "2"),
            ("100", "4"),
            ("12", "40"),
            ("19000000000000", "10000.00"),
            ("-5", "8"),
        ] {
            assert!(fast(d(x), d(y)).is_some(), "{x} / {y}");
        }
    }

    /// A long check of every distribution above: `DIV_CASES` cases (100 million unless set) over
    /// two threads. `cargo test --release -p huiqi-engine decimal::tests::long -- --ignored`
    #[test]
    #[ignore = "minutes: run on purpose, in release"]
    fn long_random_check() {
        let cases: u64 = std::env::var("DIV_CASES").map_or(100_000_000, |n| n.parse().unwrap());
        let threads = 2u64;
        let failures: Vec<String> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|t| {
                    scope.spawn(move || {
                        let mut seed = [0u8; 32];
                        seed[0] = t as u8 + 1;
                        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed);
                        let mut runner = TestRunner::new_with_rng(Config::default(), rng);
                        let strategy = all();
                        let mut failures = Vec::new();
                        for _ in 0..cases / threads {
                            let (x, y) = strategy.new_tree(&mut runner).unwrap().current();
                            if let Err(e) = same(x, y) {
                                failures.push(e);
                            }
                        }
                        failures
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap())
                .collect()
        });
        eprintln!(
            "{} cases, {} differences",
            cases / threads * threads,
            failures.len()
        );
        assert!(
            failures.is_empty(),
            "{:#?}",
            &failures[..failures.len().min(20)]
        );
    }
}

//! Properties that hold for every profile, checked on generated ones (proptest):
//! - the engine never panics, whatever the profile (even one that breaks the cross-field rules that
//!   parsing enforces) or the JSON text;
//! - monotone rules stay monotone: more R&D never fails an R&D criterion that passed, more tech staff
//!   never fails a tech-staff criterion that passed;
//! - results and profiles survive a JSON round trip unchanged;
//! - the verdicts alone (screening's fast path) agree with the full result;
//! - the generated code of the built-in packs evaluates as the interpreter does;
//! - the reader of plain JSON reads a profile as serde does, or declines, whatever the key order,
//!   the white space or the damage done to the text.

use huiqi_engine::fields::{FIELDS, Kind};
use huiqi_engine::plain_json;
use huiqi_engine::{
    Achievements, ByLevel, Certifications, Check, Date, Decimal, Engine, Evaluation, FiscalYear,
    HnteCertificate, HnteSelfAssessment, Incidents, IndustryField, InputErrors, Ip, Lang, Level,
    Money, Options, Profile, Region, Share, StandardCounts, Status, Team, Verdicts,
};
use proptest::option;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use rust_decimal::RoundingStrategy;
use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;

/// Criteria that only get easier with more R&D in the latest year (R&D spent in China rising by
/// the same amount, so that the domestic share can only rise too).
const RD_CRITERIA: &[(&str, &str)] = &[
    ("cn.hnte", "rd-intensity"),
    ("cn.hnte", "rd-domestic"),
    ("cn.tech-sme", "score-or-direct"),
    ("cn.tax.rd-super-deduction", "rd-expense"),
    ("lanzhou.little-giant-reserve", "rd-share"),
];
/// Criteria that only get easier with more tech staff (employees unchanged).
const STAFF_CRITERIA: &[(&str, &str)] = &[
    ("cn.hnte", "tech-staff"),
    ("cn.tech-sme", "score-or-direct"),
    ("lanzhou.little-giant-reserve", "tech-staff"),
    ("xinxiang.hnte-reserve", "hnte-conditions-1-4"),
];
/// Programs whose every criterion is monotone in R&D and tech staff: eligible stays eligible.
const MONOTONE_PROGRAMS: &[&str] = &["cn.tech-sme", "cn.hnte"];

/// The regions the packs name, their parents, others, and China as a whole.
const REGIONS: &[&str] = &[
    "620102", "620100", "620000", "620103", "210300", "210302", "650105", "650100", "410700",
    "410702", "110101", "440305", "100000",
];

/// Mostly given: a field left out makes criteria unknown, and the properties want verdicts.
fn maybe<T: std::fmt::Debug>(
    value: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    option::weighted(0.85, value).boxed()
}

fn maybe_bool() -> BoxedStrategy<Option<bool>> {
    maybe(any::<bool>())
}

fn region() -> BoxedStrategy<Region> {
    proptest::sample::select(REGIONS)
        .prop_map(|code| code.parse().expect("a listed region"))
        .boxed()
}

fn date() -> BoxedStrategy<Date> {
    (1990i16..=2030, 1i8..=12, 1i8..=28)
        .prop_map(|(y, m, d)| Date::new(y, m, d).expect("a day ≤ 28"))
        .boxed()
}

/// Amounts in 元 across every magnitude up to the input cap, with fen.
fn amount() -> BoxedStrategy<Decimal> {
    prop_oneof![
        4 => (0i64..=100_000_000_000).prop_map(|fen| Decimal::new(fen, 2)),
        1 => (0i64..=10_000_000_000_000_000).prop_map(Decimal::from),
        1 => Just(Decimal::ZERO),
    ]
    .boxed()
}

/// The largest amount a profile may give (10^16 元).
fn cap() -> Decimal {
    Decimal::from(10_000_000_000_000_000i64)
}

/// A share 0..1 with four decimals.
fn fraction() -> BoxedStrategy<Decimal> {
    prop_oneof![
        4 => (0i64..=10_000).prop_map(|n| Decimal::new(n, 4)),
        1 => Just(Decimal::ZERO),
        1 => Just(Decimal::ONE),
    ]
    .boxed()
}

/// `whole × share`, rounded down to the fen: never above `whole`.
fn part(whole: Decimal, share: Decimal) -> Money {
    Money(
        whole
            .checked_mul(share)
            .unwrap_or(whole)
            .round_dp_with_strategy(2, RoundingStrategy::ToZero),
    )
}

/// One fiscal year. `consistent` keeps the parts within their wholes (as parsing demands);
/// otherwise every amount is drawn on its own.
fn fiscal_year(year: i32, consistent: bool) -> BoxedStrategy<FiscalYear> {
    let amounts = proptest::collection::vec(amount(), 6);
    let shares = proptest::collection::vec(fraction(), 6);
    let present = proptest::collection::vec(proptest::bool::weighted(0.85), 9);
    (amounts, shares, present)
        .prop_map(move |(a, s, present)| {
            let sales = a[0];
            let total_income = if consistent {
                sales.checked_add(a[1]).unwrap_or(sales).min(cap())
            } else {
                a[1]
            };
            // R&D as a share of sales (up to 20%), so that R&D criteria are met about as often as not.
            let rd = part(sales, s[0] / Decimal::from(5)).0;
            let pick = |n: usize, money: Money| present[n].then_some(money);
            let (domestic, main, high_tech) = if consistent {
                (part(rd, s[1]), part(sales, s[2]), part(total_income, s[3]))
            } else {
                (Money(a[2]), Money(a[3]), Money(a[4]))
            };
            FiscalYear {
                year,
                sales_revenue: pick(0, Money(sales)),
                main_product_revenue: pick(1, main),
                total_income: pick(2, Money(total_income)),
                high_tech_income: pick(3, high_tech),
                rd_expense: pick(4, Money(rd)),
                rd_expense_domestic: pick(5, domestic),
                total_cost: pick(6, part(sales, s[4])),
                total_assets: pick(7, Money(a[5])),
                total_liabilities: pick(8, part(a[5], s[5])),
            }
        })
        .boxed()
}

/// Up to four distinct consecutive years ending in 2019..=2026, in any order.
fn financials(consistent: bool) -> BoxedStrategy<Vec<FiscalYear>> {
    (2019i32..=2026, 0usize..=4)
        .prop_flat_map(move |(last, n)| {
            let years: Vec<_> = (0..n)
                .map(|i| fiscal_year(last - i as i32, consistent))
                .collect();
            years
        })
        .prop_shuffle()
        .boxed()
}

/// Counts: mostly small, sometimes the largest accepted, or (when not `consistent`) beyond.
fn count(max: u32, consistent: bool) -> BoxedStrategy<Option<u32>> {
    let beyond = if consistent { max } else { u32::MAX };
    maybe(prop_oneof![4 => 0..=max.min(50), 1 => 0..=max, 1 => max..=beyond]).boxed()
}

fn industry_field() -> BoxedStrategy<Option<Option<IndustryField>>> {
    // The eight fields as the contract spells them, read into the engine's type.
    let all: Vec<IndustryField> = huiqi_engine::fields::INDUSTRY_FIELDS
        .iter()
        .map(|name| serde_json::from_value(serde_json::json!(name)).expect("a contract field name"))
        .collect();
    let field = proptest::sample::select(all);
    maybe(maybe(field)).boxed()
}

fn level() -> BoxedStrategy<Level> {
    proptest::sample::select(vec![
        Level::None,
        Level::Municipal,
        Level::Provincial,
        Level::National,
    ])
    .boxed()
}

fn ip(consistent: bool) -> BoxedStrategy<Option<Ip>> {
    let b = maybe_bool;
    maybe(
        (count(30, consistent), count(100, consistent), b(), b(), b()).prop_map(
            |(c1, c2, s, c, d)| Ip {
                class1: c1,
                class2: c2,
                self_developed: s,
                core_to_main_product: c,
                drafted_standards: d,
            },
        ),
    )
    .boxed()
}

fn certifications() -> BoxedStrategy<Option<Certifications>> {
    let b = maybe_bool;
    let hnte = maybe(proptest::sample::select(vec![
        HnteCertificate::None,
        HnteCertificate::Valid,
        HnteCertificate::Expired,
    ]));
    maybe((hnte, maybe(date()), b(), b(), b(), b()).prop_map(
        |(hnte, on, sme, provincial, giant, cultivation)| Certifications {
            hnte,
            hnte_certified_on: on,
            tech_sme_registered: sme,
            provincial_innovation_enterprise: provincial,
            urumqi_little_giant: giant,
            little_giant_cultivation: cultivation,
            ..Certifications::default()
        },
    ))
    .boxed()
}

fn achievements(consistent: bool) -> BoxedStrategy<Option<Achievements>> {
    let c = move || count(1000, consistent);
    let platforms = maybe(
        (c(), c(), c()).prop_map(|(national, provincial, municipal)| ByLevel {
            national,
            provincial,
            municipal,
        }),
    );
    let standards = maybe(
        (c(), c(), c()).prop_map(|(international, national, industry)| StandardCounts {
            international,
            national,
            industry,
        }),
    );
    maybe(
        (
            maybe_bool(),
            platforms,
            (c(), c(), c()),
            standards,
            maybe(amount()),
            maybe(amount()),
        )
            .prop_map(
                |(recognized, platforms, (labs, pilots, products), standards, deals, transfer)| {
                    Achievements {
                        rd_institution_recognized: recognized,
                        platforms,
                        national_labs: labs,
                        pilot_projects: pilots,
                        standards,
                        key_new_products: products,
                        tech_transaction_amount: deals.map(Money),
                        tech_transfer_income: transfer.map(Money),
                    }
                },
            ),
    )
    .boxed()
}

/// A whole profile. `consistent` ones pass validation; the others may break any cross-field or
/// range rule (the engine must still not panic on them).
fn profile(consistent: bool) -> BoxedStrategy<Profile> {
    let b = maybe_bool;
    let basics = (
        maybe(region()),
        maybe(date()),
        (b(), b(), b(), b(), b(), b(), b()),
        industry_field(),
        maybe(fraction().prop_map(Share)),
    );
    let people = (count(3000, consistent), fraction()).prop_map(move |(employees, share)| {
        let staff = employees.map(|n| part(Decimal::from(n), share).0);
        let staff = staff.and_then(|s| u32::try_from(s.trunc().mantissa()).ok());
        (employees, staff)
    });
    let people = (people, count(3000, consistent)).prop_map(move |((employees, staff), wild)| {
        (employees, if consistent { staff } else { wild })
    });
    let conversions = maybe(proptest::collection::vec(
        0u32..=if consistent { 12 } else { u32::MAX },
        0..=if consistent { 3 } else { 5 },
    ));
    let history = (
        financials(consistent),
        maybe(amount().prop_map(Money)),
        ip(consistent),
        conversions,
        maybe(level()),
    );
    let declarations = (b(), b(), b(), b(), b(), b(), b(), b(), b());
    let self_scores = maybe(
        (
            count(8, consistent),
            count(8, consistent),
            count(20, consistent),
        )
            .prop_map(
                |(advancement, core_support, org_management)| HnteSelfAssessment {
                    advancement,
                    core_support,
                    org_management,
                },
            ),
    );
    let later = (
        certifications(),
        achievements(consistent),
        self_scores,
        maybe((b(), b()).prop_map(|(registered, four_new_project)| Team {
            registered,
            four_new_project,
        })),
    );
    (basics, people, history, declarations, later)
        .prop_map(
            |(
                (
                    region,
                    registered_on,
                    (resident, legal, software, manufacturing, traditional, restricted, excluded),
                    industry_field,
                    western,
                ),
                (employees, tech_staff),
                (financials, taxable_income, ip, conversions, rd_institution_level),
                (
                    system,
                    award,
                    standards,
                    credit,
                    accident,
                    environment,
                    dishonesty,
                    abnormal,
                    relocating,
                ),
                (certifications, achievements, hnte_self_assessment, team),
            )| Profile {
                region,
                registered_on,
                resident_enterprise: resident,
                independent_legal_person: legal,
                industry_field,
                software_enterprise: software,
                manufacturing,
                traditional_industry: traditional,
                restricted_industry: restricted,
                super_deduction_excluded: excluded,
                western_encouraged_share: western,
                employees,
                tech_staff,
                financials,
                taxable_income,
                ip,
                conversions,
                rd_institution_level,
                has_rd_management_system: system,
                national_award_top3_5y: award,
                standards_led_5y: standards,
                credit_good: credit,
                incidents: Some(Incidents {
                    major_accident: accident,
                    environmental_violation: environment,
                    research_dishonesty: dishonesty,
                    abnormal_list: abnormal,
                }),
                certifications,
                relocating_hnte_from_other_province: relocating,
                achievements,
                hnte_self_assessment,
                team,
                ..Profile::default()
            },
        )
        .boxed()
}

fn options() -> BoxedStrategy<Options> {
    (date(), any::<bool>(), any::<bool>())
        .prop_map(|(as_of, english, details)| Options {
            as_of,
            lang: if english { Lang::En } else { Lang::Zh },
            details,
        })
        .boxed()
}

/// The status of one criterion of one program, if both are in the result.
fn criterion(result: &Evaluation, program: &str, id: &str) -> Option<Check> {
    result
        .program(program)?
        .criteria
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.status)
}

/// The monotone programs that were eligible before are eligible after.
fn still_eligible(before: &Evaluation, after: &Evaluation) -> Result<(), TestCaseError> {
    for id in MONOTONE_PROGRAMS {
        if before.program(id).map(|p| p.status) == Some(Status::Eligible) {
            prop_assert_eq!(
                after.program(id).map(|p| p.status),
                Some(Status::Eligible),
                "{}",
                id
            );
        }
    }
    Ok(())
}

/// A date after every generated registration and certificate date, so that valid profiles
/// evaluate.
fn late_options() -> Options {
    Options::at(Date::new(2031, 6, 30).expect("a date"))
}

/// The built-in packs with every rule interpreted, as the npm wasm evaluates them.
fn interpreted() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::from_sources(huiqi_engine::BUILTIN_PACKS)
            .expect("the built-in packs compile")
            .interpreted()
    })
}

/// 512 cases a property, or `PROPTEST_CASES` for a longer hunt.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn never_panics_on_any_profile(profile in profile(false), options in options()) {
        // Ok or a located error; a panic fails the test.
        if let Err(errors) = Engine::builtin().evaluate(&profile, &options) {
            prop_assert!(!errors.0.is_empty());
        }
    }

    #[test]
    fn valid_profiles_always_evaluate(profile in profile(true)) {
        prop_assert_eq!(profile.check(), Ok(()));
        prop_assert!(Engine::builtin().evaluate(&profile, &late_options()).is_ok());
    }

    #[test]
    fn verdicts_are_the_full_result_unworded(profile in profile(false), options in options()) {
        let engine = Engine::builtin();
        let (Ok(full), Ok(verdicts)) = (
            engine.evaluate(&profile, &options),
            engine.verdicts(&profile, options.as_of),
        ) else {
            return Ok(());
        };
        prop_assert_eq!(full.programs.len(), verdicts.programs.len());
        for (p, v) in full.programs.iter().zip(&verdicts.programs) {
            prop_assert_eq!(&p.id, v.id);
            prop_assert_eq!(p.status, v.status);
            prop_assert_eq!(p.in_force, v.in_force);
            prop_assert_eq!(p.score.as_ref().map(|s| (s.min, s.max)), v.score);
            prop_assert!(p.missing.iter().eq(v.missing.paths()));
            let gaps: Vec<_> = p
                .criteria
                .iter()
                .filter_map(|c| c.gap.as_ref().map(|g| (c.id.as_ref(), g.field.as_ref(), g.by, g.unit)))
                .collect();
            let found: Vec<_> = verdicts.gaps(v).iter().map(|g| (g.criterion, g.field, g.by, g.unit)).collect();
            prop_assert_eq!(gaps, found);
            let amounts: Vec<_> = p.benefits.iter().map(|b| (b.id.as_ref(), b.min_yuan, b.max_yuan, b.basis)).collect();
            let found: Vec<_> = verdicts
                .amounts(v)
                .iter()
                .map(|a| (a.id, a.min_yuan, a.max_yuan, a.basis))
                .collect();
            prop_assert_eq!(amounts, found);
        }
    }

    #[test]
    fn generated_rules_evaluate_as_the_interpreter(profile in profile(false), options in options()) {
        let full = |engine: &Engine| engine.evaluate(&profile, &options);
        let verdicts = |engine: &Engine| engine.verdicts(&profile, options.as_of);
        let interpreted = interpreted();
        prop_assert_eq!(full(Engine::builtin()), full(interpreted));
        prop_assert_eq!(verdicts(Engine::builtin()), verdicts(interpreted));
    }

    #[test]
    fn verdicts_into_a_reused_buffer_are_the_verdicts(
        first in profile(false),
        second in profile(false),
        options in options(),
    ) {
        // The buffer first holds another profile's verdicts (or is emptied by its error).
        let engine = Engine::builtin();
        let mut reused = Verdicts::default();
        let _ = engine.verdicts_into(&first, options.as_of, &mut reused);
        match engine.verdicts(&second, options.as_of) {
            Ok(fresh) => {
                prop_assert_eq!(engine.verdicts_into(&second, options.as_of, &mut reused), Ok(()));
                prop_assert_eq!(reused, fresh);
            }
            Err(errors) => {
                prop_assert_eq!(engine.verdicts_into(&second, options.as_of, &mut reused), Err(errors));
                prop_assert_eq!(reused, Verdicts::default());
            }
        }
    }

    #[test]
    fn results_round_trip_through_json(profile in profile(true), options in options()) {
        let Ok(result) = Engine::builtin().evaluate(&profile, &options) else {
            return Ok(());
        };
        let text = serde_json::to_string(&result).expect("results serialise");
        let back: Evaluation = serde_json::from_str(&text).expect("results read back");
        prop_assert_eq!(back, result);
    }

    #[test]
    fn profiles_round_trip_through_json(profile in profile(true)) {
        let text = serde_json::to_string(&profile).expect("profiles serialise");
        prop_assert_eq!(Profile::from_json(&text), Ok(profile));
    }

    #[test]
    fn more_rd_never_fails_a_passed_rd_criterion(
        profile in profile(true),
        extra in (1i64..=1_000_000_000).prop_map(Decimal::from),
    ) {
        let engine = Engine::builtin();
        let options = late_options();
        let before = engine.evaluate(&profile, &options).expect("valid profiles evaluate");
        let mut richer = profile.clone();
        // The latest fiscal year is the one with the highest year number.
        let Some(last) = richer.financials.iter_mut().max_by_key(|y| y.year) else {
            return Ok(());
        };
        let Some(rd) = last.rd_expense else { return Ok(()) };
        // Stay within the accepted amounts.
        let extra = extra.min(cap() - rd.0);
        last.rd_expense = Some(Money(rd.0 + extra));
        last.rd_expense_domestic = last.rd_expense_domestic.map(|d| Money(d.0 + extra));
        let after = engine.evaluate(&richer, &options).expect("still valid");
        still_eligible(&before, &after)?;
        for (program, id) in RD_CRITERIA {
            if criterion(&before, program, id) == Some(Check::Pass) {
                prop_assert_eq!(criterion(&after, program, id), Some(Check::Pass), "{} {}", program, id);
            }
        }
    }

    #[test]
    fn more_tech_staff_never_fails_a_passed_staff_criterion(profile in profile(true), extra in 1u32..=500) {
        let engine = Engine::builtin();
        let options = late_options();
        let (Some(employees), Some(staff)) = (profile.employees, profile.tech_staff) else {
            return Ok(());
        };
        let before = engine.evaluate(&profile, &options).expect("valid profiles evaluate");
        let mut more = profile.clone();
        more.tech_staff = Some(staff.saturating_add(extra).min(employees));
        let after = engine.evaluate(&more, &options).expect("still valid");
        still_eligible(&before, &after)?;
        for (program, id) in STAFF_CRITERIA {
            if criterion(&before, program, id) == Some(Check::Pass) {
                prop_assert_eq!(criterion(&after, program, id), Some(Check::Pass), "{} {}", program, id);
            }
        }
    }

    #[test]
    fn any_json_is_read_alike_as_text_and_as_value(value in json_value()) {
        let text = value.to_string();
        let _ = Engine::builtin().evaluate_json(&text, &late_options());
        // Accepted or refused at the same paths (a float may differ in its last digit: the
        // text serde_json writes for an f64 does not always read back as the same f64).
        let paths = |read: Result<Profile, InputErrors>| {
            read.map(drop).map_err(|e| e.0.into_iter().map(|e| e.path).collect::<Vec<_>>())
        };
        let from_value = paths(Profile::from_value(&value));
        prop_assert_eq!(paths(Profile::from_json(&text)), from_value.clone());
        // A refused object is refused at a field: the walk found what serde refused.
        if let Err(paths) = from_value {
            prop_assert!(!paths[0].is_empty(), "{:?}", paths);
        }
    }

    #[test]
    fn never_panics_on_any_text(text in "\\PC{0,200}") {
        let _ = Engine::builtin().evaluate_json(&text, &late_options());
    }

    #[test]
    fn plain_json_reads_profiles_as_serde_does(profile in profile(false), seed in any::<u64>()) {
        let text = scrambled(&profile, seed);
        let read = plain_json::profile(&text);
        prop_assert_eq!(read.as_ref(), Some(&profile), "{}", text);
        agrees_with_serde(&text, read)?;
    }

    #[test]
    fn plain_json_never_reads_what_serde_refuses(text in mutated()) {
        agrees_with_serde(&text, plain_json::profile(&text))?;
    }
}

/// serde's reading of a profile file, which `Profile::from_json` falls back on: an object only,
/// read into the profile's types, with nothing but white space after it.
fn serde_profile(text: &str) -> Option<Profile> {
    struct Fields;
    impl<'de> Visitor<'de> for Fields {
        type Value = Profile;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a profile object")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Profile, A::Error> {
            Profile::deserialize(MapAccessDeserializer::new(map))
        }
    }
    let mut reader = serde_json::Deserializer::from_str(text);
    let profile = (&mut reader).deserialize_map(Fields).ok()?;
    reader.end().ok()?;
    Some(profile)
}

/// The plain reader's `read` of `text` is serde's reading, down to the scale of each amount
/// (which `==` on decimals does not see), or a decline.
fn agrees_with_serde(text: &str, read: Option<Profile>) -> Result<(), TestCaseError> {
    if let Some(read) = read {
        let serde = serde_profile(text);
        prop_assert!(serde.is_some(), "read what serde refuses: {}", text);
        let show = |p: &Profile| serde_json::to_string(p).expect("profiles serialise");
        prop_assert_eq!(show(&read), show(serde.as_ref().unwrap()), "{}", text);
        prop_assert_eq!(Some(read), serde, "{}", text);
    }
    Ok(())
}

/// A small random source for the shape of a text (xorshift), from a proptest seed.
struct Tape(u64);

impl Tape {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// `profile` as JSON text with its members in random order, random white space between the
/// tokens, and amounts that are whole numbers sometimes written as JSON numbers.
fn scrambled(profile: &Profile, seed: u64) -> String {
    let value = serde_json::to_value(profile).expect("profiles serialise");
    let mut tape = Tape(seed | 1);
    let mut text = String::new();
    write_scrambled(&value, false, &mut tape, &mut text);
    text
}

fn write_scrambled(value: &Value, amount: bool, tape: &mut Tape, out: &mut String) {
    const SPACE: &[&str] = &["", "", "", " ", "\n", "\t", "\r\n  "];
    let space = |tape: &mut Tape, out: &mut String| out.push_str(SPACE[tape.next(SPACE.len())]);
    match value {
        Value::Object(map) => {
            let mut members: Vec<_> = map.iter().collect();
            for i in (1..members.len()).rev() {
                members.swap(i, tape.next(i + 1));
            }
            out.push('{');
            for (n, (key, item)) in members.into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                space(tape, out);
                out.push_str(&Value::from(key.as_str()).to_string());
                space(tape, out);
                out.push(':');
                space(tape, out);
                let amount = FIELDS.iter().any(|f| {
                    matches!(f.kind, Kind::Money | Kind::Share)
                        && f.path.rsplit('.').next() == Some(key.as_str())
                });
                write_scrambled(item, amount, tape, out);
                space(tape, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                space(tape, out);
                write_scrambled(item, false, tape, out);
                space(tape, out);
            }
            out.push(']');
        }
        // A whole amount may be given as a number: serde reads its digits.
        Value::String(text) if amount && text.parse::<u64>().is_ok() && tape.next(2) == 0 => {
            out.push_str(text)
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The JSON text of a generated profile (compact, or scrambled as above), damaged by a few
/// random edits: bytes replaced, inserted or deleted, snippets inserted, digits or literals
/// changed, which the plain reader must decline or read exactly as serde does.
fn mutated() -> BoxedStrategy<String> {
    const BYTES: &[u8] = b"{}[]:,\" \t\n\\0123456789.-+eEtrufalsnxy_";
    const SNIPPETS: &[&str] = &[
        "\\u0041",
        "\\\"",
        "null",
        "true",
        "\"id\":1,",
        "\"year\":2025,",
        "1e3",
        "-0",
        ".5",
        "0",
        "\"x\":1,",
        "\u{feff}",
        "中",
        "\u{1}",
        "[",
        "]",
        "{}",
        ",",
        " ",
    ];
    const LITERALS: &[&str] = &["true", "false", "null"];
    let edit = (
        0u8..8,
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
    );
    (
        profile(false),
        any::<u64>(),
        any::<bool>(),
        proptest::collection::vec(edit, 1..4),
    )
        .prop_filter_map(
            "an edit left no UTF-8 text",
            |(profile, seed, compact, edits)| {
                let mut text = if compact {
                    serde_json::to_string(&profile).expect("profiles serialise")
                } else {
                    scrambled(&profile, seed)
                };
                for (kind, at, what) in edits {
                    let mut bytes = text.into_bytes();
                    let at = at.index(bytes.len() + 1);
                    let digits: Vec<usize> = (0..bytes.len())
                        .filter(|&i| bytes[i].is_ascii_digit())
                        .collect();
                    match kind {
                        0 if at < bytes.len() => bytes[at] = BYTES[what.index(BYTES.len())],
                        1 => bytes.insert(at, BYTES[what.index(BYTES.len())]),
                        2 if at < bytes.len() => {
                            bytes.remove(at);
                        }
                        3 => {
                            let snippet = SNIPPETS[what.index(SNIPPETS.len())].bytes();
                            bytes.splice(at..at, snippet);
                        }
                        // Often still valid: another digit in an amount, a count or a year.
                        4..=6 if !digits.is_empty() => {
                            bytes[digits[at % digits.len()]] = b'0' + what.index(10) as u8;
                        }
                        _ => {
                            let mut changed = String::from_utf8(bytes).ok()?;
                            let word = LITERALS[at % LITERALS.len()];
                            if let Some(found) = changed.find(word) {
                                changed.replace_range(
                                    found..found + word.len(),
                                    LITERALS[what.index(3)],
                                );
                            }
                            bytes = changed.into_bytes();
                        }
                    }
                    text = String::from_utf8(bytes).ok()?;
                }
                Some(text)
            },
        )
        .boxed()
}

/// The damage test only tests something where the plain reader still reads the damaged text:
/// make sure that it does often enough, and declines often enough.
#[test]
fn mutations_are_not_vacuous() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = mutated();
    let samples = 2000;
    let read = (0..samples)
        .filter(|_| {
            let text = strategy.new_tree(&mut runner).expect("a text").current();
            plain_json::profile(&text).is_some()
        })
        .count();
    println!("the plain reader read {read} of {samples} damaged profiles");
    assert!(
        (samples / 10..=samples * 9 / 10).contains(&read),
        "read {read} of {samples}"
    );
}

/// JSON objects built from the profile's own keys, with values of every JSON type, nested: the
/// shapes a careless or hostile caller sends.
fn json_value() -> BoxedStrategy<serde_json::Value> {
    use serde_json::Value;
    const KEYS: &[&str] = &[
        "region",
        "registered_on",
        "employees",
        "tech_staff",
        "financials",
        "year",
        "sales_revenue",
        "rd_expense",
        "rd_expense_domestic",
        "total_income",
        "high_tech_income",
        "ip",
        "class1",
        "class2",
        "conversions",
        "certifications",
        "hnte",
        "hnte_certified_on",
        "industry_field",
        "western_encouraged_share",
        "hnte_self_assessment",
        "advancement",
        "achievements",
        "platforms",
        "national",
        "taxable_income",
        "id",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[0-9.eE+-]{0,30}".prop_map(Value::String),
        "\\PC{0,12}".prop_map(Value::String),
        Just(Value::String("620102".into())),
        Just(Value::String("2024-02-29".into())),
    ];
    let tree = leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(proptest::sample::select(KEYS), inner, 0..8).prop_map(
                |map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            ),
        ]
    });
    proptest::collection::btree_map(proptest::sample::select(KEYS), tree, 0..10)
        .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
        .boxed()
}

/// The monotone properties only test something where the criterion passed first: make sure the
/// generated profiles pass (and fail) each listed criterion often enough.
#[test]
fn monotone_properties_are_not_vacuous() {
    let engine = Engine::builtin();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = profile(true);
    let criteria: Vec<_> = RD_CRITERIA.iter().chain(STAFF_CRITERIA).collect();
    let mut passes = vec![0; criteria.len()];
    let samples = 2000;
    for _ in 0..samples {
        let profile = strategy.new_tree(&mut runner).expect("a profile").current();
        let result = engine
            .evaluate(&profile, &late_options())
            .expect("valid profiles evaluate");
        for (n, (program, id)) in criteria.iter().enumerate() {
            if criterion(&result, program, id) == Some(Check::Pass) {
                passes[n] += 1;
            }
        }
    }
    for ((program, id), passed) in criteria.iter().zip(&passes) {
        println!("{program} {id}: passed in {passed} of {samples}");
        assert!(
            *passed >= samples / 100,
            "{program} {id} passed in only {passed} of {samples} profiles"
        );
    }
}

#[test]
fn monotone_criteria_exist() {
    let engine = Engine::builtin();
    for id in MONOTONE_PROGRAMS {
        assert!(engine.explain(id).is_some(), "no program {id}");
    }
    for (program, id) in RD_CRITERIA.iter().chain(STAFF_CRITERIA) {
        let info = engine
            .explain(program)
            .unwrap_or_else(|| panic!("no program {program}"));
        assert!(
            info.criteria.iter().any(|c| c.id == *id),
            "{program} has no criterion {id}: the monotone properties would test nothing"
        );
    }
}

//! Writes a deterministic registry of generated enterprise profiles, for benchmarking and trying
//! out `huiqi screen`:
//!
//! ```text
//! cargo run --release -p huiqi --example gen_profiles -- 100000 > registry.jsonl
//! cargo run --release -p huiqi --example gen_profiles -- 1000 --csv > registry.csv
//! ```
//!
//! The same count (and `--seed N`) always gives the same file. About 1% of the rows are
//! deliberately bad (a typo'd field, an impossible figure), as in a real registry export.

use std::io::{self, BufWriter, Write};

use huiqi_engine::fields::{FISCAL_MONEY_FIELDS, INDUSTRY_FIELDS};
use serde_json::{Map, Value, json};

/// splitmix64: a tiny, fixed generator, so the file never changes with a library's version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `low..=high`.
    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.range(1, 100) <= percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as u64 - 1) as usize]
    }
}

/// Regions of the five seed policies, their neighbours, and elsewhere.
const REGIONS: &[&str] = &[
    "620102", "620102", "620102", "620103", "620104", "210302", "210303", "650105", "650102",
    "410702", "410703", "110108", "440305", "330106",
];
const LEVELS: &[&str] = &["none", "none", "municipal", "provincial", "national"];

/// An amount in 元 with fen, `share_per_mille` ‰ of `whole`.
fn part(whole: u64, share_per_mille: u64) -> u64 {
    whole / 1000 * share_per_mille
}

fn yuan(fen: u64) -> Value {
    Value::String(format!("{}.{:02}", fen / 100, fen % 100))
}

fn profile(rng: &mut Rng, n: u64) -> Map<String, Value> {
    let mut p = Map::new();
    // A unified social credit code look-alike: 18 characters.
    p.insert(
        "id".into(),
        json!(format!("91{:06}MA{:08X}", n % 1_000_000, rng.next() as u32)),
    );
    p.insert("region".into(), json!(rng.pick(REGIONS)));
    let registered = format!(
        "{}-{:02}-{:02}",
        rng.range(2003, 2025),
        rng.range(1, 12),
        rng.range(1, 28)
    );
    p.insert("registered_on".into(), json!(registered));
    for key in ["resident_enterprise", "independent_legal_person"] {
        p.insert(key.into(), json!(rng.chance(97)));
    }
    if rng.chance(85) {
        let field = if rng.chance(85) {
            json!(rng.pick(INDUSTRY_FIELDS))
        } else {
            Value::Null
        };
        p.insert("industry_field".into(), field);
    }
    for key in [
        "software_enterprise",
        "manufacturing",
        "restricted_industry",
        "above_designated_size",
    ] {
        if rng.chance(70) {
            p.insert(key.into(), json!(rng.chance(25)));
        }
    }
    if rng.chance(60) {
        p.insert("credit_good".into(), json!(rng.chance(85)));
    }
    let employees = rng.range(3, 900);
    p.insert("employees".into(), json!(employees));
    if rng.chance(90) {
        p.insert(
            "tech_staff".into(),
            json!(employees * rng.range(0, 60) / 100),
        );
    }
    // One to three fiscal years ending in 2025, sales from 500万 to 5亿, growing or not.
    let years = rng.range(1, 3);
    let mut sales = rng.range(5_000_000, 500_000_000) * 100 / rng.range(1, 10);
    let mut financials = Vec::new();
    for year in (2026 - years)..=2025 {
        sales = sales / 100 * rng.range(85, 140);
        let rd = part(sales, rng.range(5, 90));
        let total_income = sales + part(sales, rng.range(0, 80));
        let assets = part(sales, rng.range(600, 2500));
        let mut fy = Map::new();
        fy.insert("year".into(), json!(year));
        fy.insert("sales_revenue".into(), yuan(sales));
        fy.insert(
            "main_product_revenue".into(),
            yuan(part(sales, rng.range(400, 1000))),
        );
        fy.insert("total_income".into(), yuan(total_income));
        fy.insert(
            "high_tech_income".into(),
            yuan(part(total_income, rng.range(200, 950))),
        );
        fy.insert("rd_expense".into(), yuan(rd));
        fy.insert(
            "rd_expense_domestic".into(),
            yuan(part(rd, rng.range(500, 1000))),
        );
        fy.insert("total_cost".into(), yuan(part(sales, rng.range(700, 1100))));
        fy.insert("total_assets".into(), yuan(assets));
        fy.insert(
            "total_liabilities".into(),
            yuan(part(assets, rng.range(100, 800))),
        );
        financials.push(Value::Object(fy));
    }
    p.insert("financials".into(), Value::Array(financials));
    if rng.chance(70) {
        p.insert(
            "taxable_income".into(),
            yuan(part(sales, rng.range(0, 150))),
        );
    }
    p.insert(
        "ip".into(),
        json!({
            "class1": rng.range(0, 4) * u64::from(rng.chance(50)),
            "class2": rng.range(0, 12),
            "self_developed": rng.chance(80),
            "core_to_main_product": rng.chance(75),
            "drafted_standards": rng.chance(20),
        }),
    );
    if rng.chance(75) {
        p.insert(
            "conversions".into(),
            json!([rng.range(0, 6), rng.range(0, 6), rng.range(0, 6)]),
        );
    }
    p.insert("rd_institution_level".into(), json!(rng.pick(LEVELS)));
    p.insert("has_rd_management_system".into(), json!(rng.chance(60)));
    p.insert(
        "incidents".into(),
        json!({
            "major_accident": rng.chance(2),
            "environmental_violation": rng.chance(2),
            "research_dishonesty": rng.chance(1),
            "abnormal_list": rng.chance(3),
        }),
    );
    let hnte = *rng.pick(&["none", "none", "none", "valid", "expired"]);
    let mut certifications = json!({
        "hnte": hnte,
        "tech_sme_registered": rng.chance(40),
    });
    if hnte != "none" {
        let on = format!(
            "{}-{:02}-{:02}",
            rng.range(2016, 2025),
            rng.range(1, 12),
            rng.range(1, 28)
        );
        certifications["hnte_certified_on"] = json!(on);
    }
    p.insert("certifications".into(), certifications);
    if rng.chance(30) {
        p.insert(
            "hnte_self_assessment".into(),
            json!({
                "advancement": rng.range(0, 8),
                "core_support": rng.range(0, 8),
                "org_management": rng.range(0, 20),
            }),
        );
    }
    // About 1% of rows carry a mistake a registry export might hold.
    match rng.range(0, 399) {
        0 => {
            p.insert("employes".into(), json!(employees));
        }
        1 => {
            p.insert("tech_staff".into(), json!(employees + 1));
        }
        2 => {
            p.insert("registered_on".into(), json!("2023-02-30"));
        }
        3 => {
            p.insert("region".into(), json!("62010"));
        }
        _ => {}
    }
    p
}

/// The CSV columns: contract paths, three fiscal years.
fn csv_header() -> Vec<String> {
    let mut columns: Vec<String> = [
        "id",
        "region",
        "registered_on",
        "resident_enterprise",
        "independent_legal_person",
        "industry_field",
        "software_enterprise",
        "manufacturing",
        "restricted_industry",
        "above_designated_size",
        "credit_good",
        "employees",
        "tech_staff",
        "taxable_income",
    ]
    .map(String::from)
    .to_vec();
    for i in 0..3 {
        for field in std::iter::once("year").chain(FISCAL_MONEY_FIELDS) {
            columns.push(format!("financials[{i}].{field}"));
        }
    }
    columns.extend(
        [
            "ip.class1",
            "ip.class2",
            "ip.self_developed",
            "ip.core_to_main_product",
            "ip.drafted_standards",
            "conversions[0]",
            "conversions[1]",
            "conversions[2]",
            "rd_institution_level",
            "has_rd_management_system",
            "incidents.major_accident",
            "incidents.environmental_violation",
            "incidents.research_dishonesty",
            "incidents.abnormal_list",
            "certifications.hnte",
            "certifications.hnte_certified_on",
            "certifications.tech_sme_registered",
            "hnte_self_assessment.advancement",
            "hnte_self_assessment.core_support",
            "hnte_self_assessment.org_management",
        ]
        .map(String::from),
    );
    columns
}

/// The cell at `path` in the profile: empty when absent, `null` for a given null. (A row's typo'd
/// field has no column and is lost: CSV cannot hold an unknown field.)
fn cell(profile: &Value, path: &str) -> String {
    let mut at = Some(profile);
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        at = at.and_then(|v| v.get(key));
        if let Some(index) = index {
            at = at.and_then(|v| v.get(index));
        }
    }
    match at {
        None => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut count = 100_000u64;
    let mut seed = 2026u64;
    let mut csv = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--csv" => csv = true,
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(seed),
            n => {
                count = n.parse().map_err(|_| {
                    io::Error::new(
                        io::ErrorKind::InvalidInput,
                        "usage: gen_profiles [COUNT] [--seed N] [--csv]",
                    )
                })?
            }
        }
    }
    let mut rng = Rng(seed);
    let mut out = BufWriter::new(io::stdout().lock());
    let header = csv_header();
    if csv {
        writeln!(out, "{}", header.join(","))?;
    }
    for n in 0..count {
        let profile = Value::Object(profile(&mut rng, n));
        if csv {
            let cells: Vec<String> = header.iter().map(|path| cell(&profile, path)).collect();
            writeln!(out, "{}", cells.join(","))?;
        } else {
            serde_json::to_writer(&mut out, &profile)?;
            writeln!(out)?;
        }
    }
    out.flush()
}

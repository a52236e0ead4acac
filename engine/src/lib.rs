//! huiqi-engine: evaluates an enterprise profile against rule packs that encode Chinese support
//! programs for technology enterprises, with exact decimals and three-valued logic.
//!
//! Policies are data: each source document is a TOML rule pack (see `docs/rule-packs.md`) whose
//! criteria carry their clause, quote, region and validity. The engine compiles packs once, then
//! evaluates profiles in microseconds, returning per program a verdict, a trace, gaps, missing
//! inputs and benefit estimates. It knows nothing of the CLI, wasm or the widget.
//!
//! ```
//! use huiqi_engine::{Engine, Options, Profile};
//! let engine = Engine::builtin();
//! let profile = Profile::from_json(r#"{"region": "620102", "employees": 40, "tech_staff": 12}"#).unwrap();
//! let as_of = huiqi_engine::date::parse("2026-11-22").unwrap();
//! let result = engine.evaluate(&profile, &Options::at(as_of)).unwrap();
//! assert!(result.program("cn.hnte").is_some());
//! ```

#[cfg(feature = "toml")]
mod cases;
pub mod date;
mod decimal;
mod error;
mod eval;
mod expr;
pub mod fields;
mod money;
mod object;
mod pack;
// Natively only: the npm package's wasm reads profiles with serde alone, for size.
#[cfg(not(target_arch = "wasm32"))]
pub mod plain_json;
mod profile;
mod result;

#[cfg(feature = "toml")]
pub use cases::{CaseFailure, CaseReport};
pub use error::{InputError, InputErrors, PackError, from_json_located};
pub use jiff::civil::Date;
pub use money::{Money, Share};
pub use pack::{CriterionInfo, ProgramInfo, canonical_pack};
pub use profile::*;
pub use result::*;
pub use rust_decimal::Decimal;

/// How to evaluate.
#[derive(Clone, Debug)]
pub struct Options {
    /// The evaluation (application) date: validity windows, day counts and parameters use it.
    pub as_of: Date,
    /// Language of the questions.
    pub lang: Lang,
    /// Render the worded `detail` of each criterion; off for registry screening.
    pub details: bool,
}

impl Options {
    /// Evaluate on `as_of`, in Chinese, with details.
    pub fn at(as_of: Date) -> Options {
        Options {
            as_of,
            lang: Lang::Zh,
            details: true,
        }
    }
}

/// The compiled rule packs.
#[derive(Debug)]
pub struct Engine {
    pub(crate) set: pack::PackSet,
}

/// The rule packs compiled into the engine: one per source document, plus the national rules.
pub static BUILTIN_PACKS: &[(&str, &str)] = &[
    (
        "cn-tech-sme.toml",
        include_str!("../packs/cn-tech-sme.toml"),
    ),
    ("cn-hnte.toml", include_str!("../packs/cn-hnte.toml")),
    ("cn-tax.toml", include_str!("../packs/cn-tax.toml")),
    (
        "000-lanzhou.toml",
        include_str!("../packs/000-lanzhou.toml"),
    ),
    (
        "001-chengguan.toml",
        include_str!("../packs/001-chengguan.toml"),
    ),
    ("002-anshan.toml", include_str!("../packs/002-anshan.toml")),
    (
        "003-shuimogou.toml",
        include_str!("../packs/003-shuimogou.toml"),
    ),
    (
        "004-xinxiang.toml",
        include_str!("../packs/004-xinxiang.toml"),
    ),
];

/// The built-in packs as the build script turned them into canonical JSON: what
/// [`Engine::builtin`] compiles, with no TOML parser needed.
pub static BUILTIN_PACKS_JSON: &[(&str, &str)] = &[
    (
        "cn-tech-sme.json",
        include_str!(concat!(env!("OUT_DIR"), "/packs/cn-tech-sme.json")),
    ),
    (
        "cn-hnte.json",
        include_str!(concat!(env!("OUT_DIR"), "/packs/cn-hnte.json")),
    ),
    (
        "cn-tax.json",
        include_str!(concat!(env!("OUT_DIR"), "/packs/cn-tax.json")),
    ),
    (
        "000-lanzhou.json",
        include_str!(concat!(env!("OUT_DIR"), "/packs/000-lanzhou.json")),
    ),
    (
        "001-chengguan.json",
        include_str!(concat!(env!("OUT_DIR"), "/packs/001-chengguan.json")),
    ),
    (
        "002-anshan.json",
        include_str!(concat!(env!("OUT_DIR"), "/packs/002-anshan.json")),
    ),
    (
        "003-shuimogou.json",
        include_str!(concat!(env!("OUT_DIR"), "/packs/003-shuimogou.json")),
    ),
    (
        "004-xinxiang.json",
        include_str!(concat!(env!("OUT_DIR"), "/packs/004-xinxiang.json")),
    ),
];

/// The golden cases of the built-in packs, run by `cargo test` and `huiqi rules test`.
pub static BUILTIN_CASES: &[(&str, &str)] = &[
    (
        "cn-tech-sme.cases.toml",
        include_str!("../packs/cases/cn-tech-sme.cases.toml"),
    ),
    (
        "cn-hnte.cases.toml",
        include_str!("../packs/cases/cn-hnte.cases.toml"),
    ),
    (
        "cn-tax.cases.toml",
        include_str!("../packs/cases/cn-tax.cases.toml"),
    ),
    (
        "000-lanzhou.cases.toml",
        include_str!("../packs/cases/000-lanzhou.cases.toml"),
    ),
    (
        "001-chengguan.cases.toml",
        include_str!("../packs/cases/001-chengguan.cases.toml"),
    ),
    (
        "002-anshan.cases.toml",
        include_str!("../packs/cases/002-anshan.cases.toml"),
    ),
    (
        "003-shuimogou.cases.toml",
        include_str!("../packs/cases/003-shuimogou.cases.toml"),
    ),
    (
        "004-xinxiang.cases.toml",
        include_str!("../packs/cases/004-xinxiang.cases.toml"),
    ),
];

impl Engine {
    /// The engine with the built-in packs, compiled once per process.
    pub fn builtin() -> &'static Engine {
        static BUILTIN: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| match Engine::from_sources(BUILTIN_PACKS_JSON) {
            Ok(engine) => engine,
            // The built-in packs are compiled and golden-tested by `cargo test`: a broken one
            // cannot ship. (Not `expect`: printing the errors would bring their `Debug` into
            // the wasm for a panic that cannot happen.)
            Err(_) => unreachable!("built-in rule packs compile"), // ok: see above
        })
    }

    /// Compiles rule packs given as `(file name, TOML or JSON text)`: every problem found, or the
    /// engine. Without the `toml` feature, JSON only.
    pub fn from_sources<N: AsRef<str>, T: AsRef<str>>(
        sources: &[(N, T)],
    ) -> Result<Engine, Vec<PackError>> {
        pack::PackSet::compile(sources).map(|set| Engine { set })
    }

    /// This engine with every rule interpreted, as the npm package's wasm evaluates them. Natively
    /// the built-in packs run as generated code (`eval/compiled.rs`); tests and benchmarks compare
    /// the two with this.
    pub fn interpreted(mut self) -> Engine {
        self.set.compiled = false;
        self
    }

    /// Pack ids and versions with a content hash, e.g. `cn-hnte@2026.1+…;…#9f2c…`.
    pub fn rules_version(&self) -> &str {
        self.set.version
    }

    /// Evaluates a valid profile on `options.as_of`.
    pub fn evaluate(
        &self,
        profile: &Profile,
        options: &Options,
    ) -> Result<Evaluation, InputErrors> {
        profile.check_dates(options.as_of)?;
        Ok(eval::evaluate(&self.set, profile, options))
    }

    /// The verdicts alone, unworded and without traces: what screening a registry needs, at a
    /// fraction of a full evaluation's cost. Same verdicts, gaps and amounts as [`Engine::evaluate`].
    pub fn verdicts(&self, profile: &Profile, as_of: Date) -> Result<Verdicts, InputErrors> {
        profile.check_dates(as_of)?;
        Ok(eval::verdicts(&self.set, profile, as_of))
    }

    /// [`Engine::verdicts`] written into `out`, whose lists are reused: a registry screen keeps one
    /// `Verdicts` per thread instead of allocating three lists a profile. On an error `out` is
    /// left empty.
    pub fn verdicts_into(
        &self,
        profile: &Profile,
        as_of: Date,
        out: &mut Verdicts,
    ) -> Result<(), InputErrors> {
        if let Err(errors) = profile.check_dates(as_of) {
            out.clear();
            return Err(errors);
        }
        eval::verdicts_into(&self.set, profile, as_of, out);
        Ok(())
    }

    /// Parses, validates and evaluates a JSON profile.
    pub fn evaluate_json(&self, json: &str, options: &Options) -> Result<Evaluation, InputErrors> {
        let profile = Profile::from_json(json)?;
        self.evaluate(&profile, options)
    }

    /// The programs that apply in `region` (all when `None`), with criteria and citations;
    /// `in_force` reflects `as_of` when given.
    pub fn programs(&self, region: Option<Region>, as_of: Option<Date>) -> Vec<ProgramInfo> {
        self.set.program_infos(region, as_of)
    }

    /// One program's criteria and citations, by id.
    pub fn explain(&self, id: &str) -> Option<ProgramInfo> {
        self.set.program_info(id)
    }

    #[cfg(feature = "toml")]
    /// Runs golden cases given as `(file name, TOML text)` against this engine.
    pub fn run_cases<N: AsRef<str>, T: AsRef<str>>(&self, files: &[(N, T)]) -> CaseReport {
        cases::run(self, files)
    }
}

/// Inserts `item` into `list`, kept so that no item comes before one it is `before`, after the
/// items equal to it. The engine's few short ordered lists are built this way rather than sorted:
/// each instantiation of std's sort added 3 to 9 KB to the npm package's wasm.
pub(crate) fn insert_ordered<T>(list: &mut Vec<T>, item: T, before: impl Fn(&T, &T) -> bool) {
    let at = list.partition_point(|x| !before(&item, x));
    list.insert(at, item);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_ordered_keeps_order_and_arrival_of_equals() {
        let mut list = Vec::new();
        for item in [(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')] {
            insert_ordered(&mut list, item, |x, y| x.0 < y.0);
        }
        assert_eq!(list, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
    }

    #[test]
    fn builtin_packs_compile() {
        if let Err(errors) = Engine::from_sources(BUILTIN_PACKS) {
            let listed: Vec<String> = errors.iter().map(ToString::to_string).collect();
            panic!("{} pack errors:\n{}", errors.len(), listed.join("\n"));
        }
    }

    #[test]
    fn toml_and_json_forms_give_the_same_rules_version() {
        let from_toml = Engine::from_sources(BUILTIN_PACKS)
            .map_err(|e| e.len())
            .unwrap();
        assert_eq!(from_toml.rules_version(), Engine::builtin().rules_version());
    }
}

//! The golden cases of the built-in packs (`engine/packs/cases/*.cases.toml`): policy readings
//! written as cases a policy officer can check, each failure printed with its name.

use huiqi_engine::{BUILTIN_CASES, Engine};

#[test]
fn builtin_golden_cases_pass() {
    assert_cases_pass(Engine::builtin());
}

/// The same cases with every rule interpreted, as the npm package's wasm evaluates them (natively
/// the built-in packs run as generated code).
#[test]
fn builtin_golden_cases_pass_interpreted() {
    let engine = Engine::from_sources(huiqi_engine::BUILTIN_PACKS)
        .expect("the built-in packs compile")
        .interpreted();
    assert_cases_pass(&engine);
}

fn assert_cases_pass(engine: &Engine) {
    let report = engine.run_cases(BUILTIN_CASES);
    for failure in &report.failed {
        eprintln!(
            "FAIL {}: {}: {}",
            failure.file, failure.case, failure.message
        );
    }
    println!("{} passed, {} failed", report.passed, report.failed.len());
    assert!(
        report.failed.is_empty(),
        "{} golden cases failed (listed above)",
        report.failed.len()
    );
    // A suite that ran nothing proves nothing.
    assert!(report.passed > 0, "no golden case ran");
}

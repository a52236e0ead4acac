//! Evaluates a profile file repeatedly and prints rough timings of the full result (worded and
//! compact) and of the verdicts alone: `cargo run --release --example smoke -- PROFILE.json`.
//! `CORE_ONLY=1` times the verdicts alone (for profilers).
use std::time::Instant;

fn time(label: &str, mut f: impl FnMut()) {
    let n = 20_000;
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    let us = start.elapsed().as_secs_f64() * 1e6 / n as f64;
    eprintln!("{label}: {us:.2} µs per profile");
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: smoke PROFILE.json");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    let engine = huiqi_engine::Engine::builtin();
    let profile = huiqi_engine::Profile::from_json(&text).unwrap_or_else(|e| panic!("{e}"));
    let mut options = huiqi_engine::Options::at("2026-11-22".parse().expect("date"));
    let as_of = options.as_of;
    time("verdicts", || {
        std::hint::black_box(engine.verdicts(&profile, as_of).ok());
    });
    if std::env::var_os("CORE_ONLY").is_some() {
        return;
    }
    for details in [false, true] {
        options.details = details;
        time(&format!("evaluate, details={details}"), || {
            std::hint::black_box(engine.evaluate(&profile, &options).ok());
        });
    }
}

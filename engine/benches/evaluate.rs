//! Speed of one evaluation: the full example profile (three fiscal years, every section filled)
//! against every built-in pack. Target: ≤ 5 µs per profile natively.
//!
//! `cargo bench -p huiqi-engine --bench evaluate` (or `scripts/bench.sh`, which also times
//! `huiqi screen` over 100,000 profiles).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use huiqi_engine::{Engine, Options, Profile};

const PROFILE: &str = include_str!("../../examples/chengguan-hnte.json");

fn evaluate(c: &mut Criterion) {
    let engine = Engine::builtin();
    let profile = Profile::from_json(PROFILE).expect("the example profile is valid");
    let as_of = "2026-11-22".parse().expect("a date");
    let detailed = Options::at(as_of);
    let compact = Options {
        details: false,
        ..detailed.clone()
    };
    let mut group = c.benchmark_group("evaluate");
    group.bench_function("full profile, all packs, with details", |b| {
        b.iter(|| engine.evaluate(black_box(&profile), &detailed))
    });
    group.bench_function("full profile, all packs, compact", |b| {
        b.iter(|| engine.evaluate(black_box(&profile), &compact))
    });
    group.bench_function("full profile, all packs, verdicts only", |b| {
        b.iter(|| engine.verdicts(black_box(&profile), as_of))
    });
    // What the npm wasm does: the same packs, every rule interpreted.
    let interpreted = Engine::from_sources(huiqi_engine::BUILTIN_PACKS)
        .expect("the built-in packs compile")
        .interpreted();
    group.bench_function("full profile, all packs, verdicts only, interpreted", |b| {
        b.iter(|| interpreted.verdicts(black_box(&profile), as_of))
    });
    let mut reused = huiqi_engine::Verdicts::default();
    group.bench_function(
        "full profile, all packs, verdicts into a reused buffer",
        |b| b.iter(|| engine.verdicts_into(black_box(&profile), as_of, &mut reused)),
    );
    group.bench_function("parse JSON + evaluate, compact", |b| {
        b.iter(|| engine.evaluate_json(black_box(PROFILE), &compact))
    });
    group.bench_function("parse JSON only", |b| {
        b.iter(|| Profile::from_json(black_box(PROFILE)))
    });
    group.finish();
}

criterion_group!(benches, evaluate);
criterion_main!(benches);

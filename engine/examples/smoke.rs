//! Evaluates a profile file and prints the result, with a rough timing: `cargo run --release
//! --example smoke -- PROFILE.json`.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: smoke PROFILE.json");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    let engine = huiqi_engine::Engine::builtin();
    let profile = huiqi_engine::Profile::from_json(&text).unwrap_or_else(|e| panic!("{e}"));
    let mut options = huiqi_engine::Options::at("2026-11-22".parse().expect("date"));
    let modes: &[bool] = if std::env::var_os("CORE_ONLY").is_some() {
        &[false]
    } else {
        &[true, false]
    };
    for &details in modes {
        options.details = details;
        let n = 20_000;
        let start = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(engine.evaluate(&profile, &options).ok());
        }
        eprintln!(
            "details={details}: {:.2} µs per evaluation",
            start.elapsed().as_secs_f64() * 1e6 / n as f64
        );
    }
}

//! The native twin of the npm package, for its tests and budget (not shipped):
//!
//! - `native eval` reads JSON lines `{"profile": …, "as_of": "YYYY-MM-DD", "lang"?: "zh"|"en"}`
//!   and prints per line the result JSON, or `{"errors": [{path, message}, …]}`, so that the node
//!   tests can compare the package's results with the engine's own;
//! - `native time PROFILE.json [N]` prints the mean time of one evaluation, as `evaluate` in JS
//!   does it (profile in, result out: here JSON text both ways) and of the engine core alone.

use std::io::{BufRead, Write};
use std::time::Instant;

use huiqi_engine::{Date, Engine, InputErrors, Lang, Options, Profile};
use serde::Deserialize;

#[derive(Deserialize)]
struct Request {
    profile: serde_json::Value,
    #[serde(with = "huiqi_engine::date")]
    as_of: Date,
    #[serde(default)]
    lang: Lang,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["eval"] => eval_lines(),
        ["time", path] => time(path, 20_000),
        ["time", path, n] => time(path, n.parse()?),
        _ => Err("usage: native eval < requests.jsonl | native time PROFILE.json [N]".into()),
    }
}

fn eval_lines() -> Result<(), Box<dyn std::error::Error>> {
    let engine = Engine::builtin();
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let request: Request = serde_json::from_str(&line?)?;
        let mut options = Options::at(request.as_of);
        options.lang = request.lang;
        let result = Profile::from_value(&request.profile)
            .and_then(|profile| engine.evaluate(&profile, &options));
        let json = match result {
            Ok(evaluation) => serde_json::to_string(&evaluation)?,
            Err(InputErrors(errors)) => serde_json::json!({ "errors": errors }).to_string(),
        };
        writeln!(out, "{json}")?;
    }
    Ok(())
}

fn time(path: &str, n: u32) -> Result<(), Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)?;
    let engine = Engine::builtin();
    let options = Options::at("2026-11-22".parse()?);
    let profile = Profile::from_json(&text)?;
    let call = || -> Result<usize, Box<dyn std::error::Error>> {
        let result = engine.evaluate_json(&text, &options)?;
        Ok(serde_json::to_string(&result)?.len())
    };
    let core = || {
        engine
            .evaluate(&profile, &options)
            .map(|r| r.programs.len())
    };
    // warm up caches and the lazily compiled packs
    for _ in 0..n / 10 {
        call()?;
        core()?;
    }
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(call()?);
    }
    let full = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(core()?);
    }
    let core_us = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    println!("{{\"json_call_us\": {full:.2}, \"core_us\": {core_us:.2}, \"n\": {n}}}");
    Ok(())
}

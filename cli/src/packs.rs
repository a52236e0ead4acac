//! `huiqi rules check|test|export DIR`, and loading rule packs from a directory for `--packs`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use huiqi_engine::{Engine, PackError};

/// Compiles the `*.toml` packs directly in `dir`: the engine, or every located error.
pub fn load(dir: &Path) -> anyhow::Result<Result<Engine, Vec<PackError>>> {
    Ok(Engine::from_sources(&sources(dir)?))
}

/// `(file name, text)` of the `*.toml` packs directly in `dir`; at least one.
fn sources(dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let sources = read_dir_files(dir, ".toml")?;
    if sources.is_empty() {
        anyhow::bail!("no rule packs (*.toml) in {}", dir.display());
    }
    Ok(sources)
}

/// `rules check`: compile, print each error, exit 1 on any.
pub fn check(dir: &Path) -> anyhow::Result<ExitCode> {
    match load(dir)? {
        Ok(engine) => {
            let programs = engine.programs(None, None).len();
            println!("ok: {programs} programs; rules {}", engine.rules_version());
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            print_errors(&errors);
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `rules test`: compile, run `cases/*.cases.toml`, print each failure and `N passed, M failed`.
pub fn test(dir: &Path) -> anyhow::Result<ExitCode> {
    let engine = match load(dir)? {
        Ok(engine) => engine,
        Err(errors) => {
            print_errors(&errors);
            return Ok(ExitCode::FAILURE);
        }
    };
    let cases_dir = dir.join("cases");
    let cases = read_dir_files(&cases_dir, ".cases.toml")?;
    if cases.is_empty() {
        anyhow::bail!("no golden cases (*.cases.toml) in {}", cases_dir.display());
    }
    let report = engine.run_cases(&cases);
    for failure in &report.failed {
        println!(
            "FAIL {}: {}: {}",
            failure.file, failure.case, failure.message
        );
    }
    println!("{} passed, {} failed", report.passed, report.failed.len());
    if report.passed + report.failed.len() == 0 {
        eprintln!("huiqi: the case files hold no case");
        return Ok(ExitCode::FAILURE);
    }
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `rules export`: compile, then write each pack's canonical JSON, the form the npm package's
/// `loadPacks` reads, as `out/NAME.json`; print each file written.
pub fn export(dir: &Path, out: &Path) -> anyhow::Result<ExitCode> {
    let sources = sources(dir)?;
    if let Err(errors) = Engine::from_sources(&sources) {
        print_errors(&errors);
        return Ok(ExitCode::FAILURE);
    }
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create directory {}", out.display()))?;
    for (name, text) in &sources {
        let json = huiqi_engine::canonical_pack(name, text)?;
        let path = out.join(Path::new(name).with_extension("json"));
        std::fs::write(&path, json).with_context(|| format!("cannot write {}", path.display()))?;
        println!("{}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints pack errors, one per line: `file: location: message`.
fn print_errors(errors: &[PackError]) {
    for error in errors {
        println!("{error}");
    }
    let plural = if errors.len() == 1 { "" } else { "s" };
    println!("{} error{plural}", errors.len());
}

/// `(file name, text)` of the files in `dir` whose names end with `suffix`, sorted by name.
fn read_dir_files(dir: &Path, suffix: &str) -> anyhow::Result<Vec<(String, String)>> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read directory {}", dir.display()))?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read directory {}", dir.display()))?
            .path();
        let matches = path
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| name.ends_with(suffix));
        if matches && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Ok((name, text))
        })
        .collect()
}

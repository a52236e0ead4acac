//! Turns the built-in rule packs (TOML, for people) into canonical JSON (for the engine), so that
//! builds that only use the built-in packs need no TOML parser at run time, and every face hashes
//! the same text into `rules_version`.

use std::fs;
use std::path::Path;

fn main() {
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("packs");
    fs::create_dir_all(&out).expect("create OUT_DIR/packs");
    println!("cargo:rerun-if-changed=packs");
    let mut names: Vec<_> = fs::read_dir("packs")
        .expect("engine/packs")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    names.sort();
    for path in names {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).expect("read pack");
        // A broken pack fails the build here with toml's located message; `cargo test` and
        // `huiqi rules check` explain it further.
        let value: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let json = serde_json::to_string(&value).expect("a TOML value is JSON");
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("pack file name");
        fs::write(out.join(format!("{stem}.json")), json).expect("write pack JSON");
    }
}

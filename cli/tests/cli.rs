//! The `huiqi` binary as a user runs it: exit statuses, stdout/stderr, and the contract's shapes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const AS_OF: &str = "2026-11-22";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_owned()
}

/// Runs `huiqi ARGS` with `stdin` as standard input.
fn huiqi(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_huiqi"))
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("huiqi starts");
    let mut input = child.stdin.take().expect("a stdin pipe");
    // A huiqi that refuses its arguments may end before it reads its input: no failure.
    if let Err(error) = input.write_all(stdin.as_bytes()) {
        assert_eq!(
            error.kind(),
            std::io::ErrorKind::BrokenPipe,
            "stdin: {error}"
        );
    }
    drop(input);
    child.wait_with_output().expect("huiqi ends")
}

fn stdout(output: &Output) -> &str {
    std::str::from_utf8(&output.stdout).expect("UTF-8 output")
}

fn stderr(output: &Output) -> &str {
    std::str::from_utf8(&output.stderr).expect("UTF-8 errors")
}

fn lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

/// A scratch directory of its own for each test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("huiqi-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

#[test]
fn version_names_the_cli_and_the_rules() {
    let out = huiqi(&["--version"], "");
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.starts_with(concat!("huiqi ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(
        text.contains("rules cn-hnte@") || text.contains(";cn-hnte@"),
        "{text}"
    );
}

#[test]
fn eval_prints_the_result_of_the_example() {
    let out = huiqi(&["eval", "--at", AS_OF, "examples/chengguan-hnte.json"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let result: Value = serde_json::from_str(stdout(&out)).expect("a JSON result");
    assert_eq!(result["as_of"], AS_OF);
    assert_eq!(result["region"], "620102");
    let programs = result["programs"].as_array().expect("programs");
    assert!(programs.iter().any(|p| p["id"] == "cn.hnte"));
}

#[test]
fn eval_reads_stdin_and_speaks_english() {
    let profile = r#"{"region": "620102", "employees": 40}"#;
    let out = huiqi(&["eval", "--at", AS_OF, "--lang", "en", "-"], profile);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let result: Value = serde_json::from_str(stdout(&out)).expect("a JSON result");
    assert_eq!(result["lang"], "en");
}

#[test]
fn eval_refuses_bad_input_with_located_errors_and_status_2() {
    let out = huiqi(
        &["eval", "--at", AS_OF, "-"],
        r#"{"employees": 3, "tech_staff": 5, "financials": [{"year": 2025, "rd_expense": "1", "rd_expense_domestic": "2"}]}"#,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty(), "no result beside an error");
    let errors = stderr(&out);
    assert!(errors.contains("\ntech_staff: "), "{errors}");
    assert!(
        errors.contains("\nfinancials[0].rd_expense_domestic: "),
        "{errors}"
    );
    let out = huiqi(&["eval", "--at", AS_OF, "-"], "{not json");
    assert_eq!(out.status.code(), Some(2));
    let out = huiqi(&["eval", "--at", AS_OF, "no/such/file.json"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no/such/file.json"),
        "{}",
        stderr(&out)
    );
    let out = huiqi(&["eval", "--at", "2023-02-30", "-"], "{}");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn screen_jsonl_keeps_order_ids_and_goes_on_after_a_bad_row() {
    let input = [
        "\u{feff}{\"id\": \"A1\", \"region\": \"620102\", \"employees\": 40, \"tech_staff\": 8}\r",
        r#"{"id": "B2", "region": "62010"}"#,
        "",
        "not json",
        r#"{"region": "650105", "employees": 12}"#,
    ]
    .join("\n");
    let out = huiqi(&["screen", "--at", AS_OF, "--format", "jsonl", "-"], &input);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = lines(&out);
    assert_eq!(lines.len(), 4, "one line per row, blank lines skipped");
    let rows: Vec<_> = lines.iter().map(|l| l["row"].as_u64()).collect();
    assert_eq!(rows, [Some(1), Some(2), Some(4), Some(5)]);
    assert_eq!(lines[0]["id"], "A1");
    let hnte = lines[0]["programs"]
        .as_array()
        .expect("programs")
        .iter()
        .find(|p| p["id"] == "cn.hnte")
        .expect("cn.hnte in every region");
    assert!(hnte["status"].is_string());
    assert!(
        hnte.get("criteria").is_none(),
        "compact lines carry no trace"
    );
    assert_eq!(lines[1]["id"], "B2");
    assert_eq!(lines[1]["errors"][0]["path"], "region");
    assert_eq!(lines[2]["errors"][0]["path"], "");
    assert!(lines[3]["programs"].is_array());
    assert!(lines[3].get("id").is_none());
    assert!(
        stderr(&out).contains("4 rows (2 results, 2 errors)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn screen_full_prints_complete_results() {
    let out = huiqi(
        &[
            "screen", "--full", "--at", AS_OF, "--format", "jsonl", "-q", "-",
        ],
        r#"{"region": "620102"}"#,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "--quiet prints no summary");
    let lines = lines(&out);
    assert_eq!(lines[0]["result"]["as_of"], AS_OF);
    assert!(lines[0]["result"]["programs"][0]["criteria"].is_array());
}

#[test]
fn screen_csv_maps_contract_paths_and_locates_errors_by_column() {
    let dir = scratch("csv");
    let file = dir.join("registry.csv");
    let csv = "\u{feff}id,name,region,employees,tech_staff,industry_field,ip.class1,resident_enterprise,\
               financials[0].year,financials[0].rd_expense,financials[1].year,financials[1].rd_expense,\
               financials[1].rd_expense_domestic,conversions[0]\n\
               A,甲公司,620102,40,8,electronic_information,1,是,2024,100,2025,200,150,2\n\
               B,乙公司,620102,40,,null,,no,,,2025,200,300,\n\
               C,丙公司,620102,forty,,,,,,,,,,\n\
               D,丁公司,620102\n";
    std::fs::write(&file, csv).expect("a CSV file");
    let path = file.to_str().expect("a UTF-8 path");
    let out = huiqi(&["screen", "--at", AS_OF, path], "");
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown column stops the run"
    );
    assert!(stderr(&out).contains("\"name\""), "{}", stderr(&out));
    let out = huiqi(
        &["screen", "--at", AS_OF, "--ignore-column", "name", path],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = lines(&out);
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[0]["row"], 2,
        "rows are line numbers; the header is line 1"
    );
    assert_eq!(lines[0]["id"], "A");
    assert!(lines[0]["programs"].is_array(), "{}", lines[0]);
    // Row B gave only its second year: the error still names the column it came from.
    assert_eq!(lines[1]["id"], "B");
    assert_eq!(
        lines[1]["errors"][0]["path"],
        "financials[1].rd_expense_domestic"
    );
    assert_eq!(lines[2]["errors"][0]["path"], "employees");
    assert_eq!(lines[3]["errors"][0]["path"], "");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn screen_csv_refuses_malformed_headers() {
    for header in [
        "financials.year",
        "financials[x].year",
        "ip[0].class1",
        "region,region",
        "conversions",
    ] {
        let out = huiqi(
            &["screen", "--at", AS_OF, "--format", "csv", "-"],
            &format!("{header}\n1\n"),
        );
        assert_eq!(out.status.code(), Some(2), "{header}: {}", stderr(&out));
        assert!(stderr(&out).contains("CSV column"), "{}", stderr(&out));
    }
}

#[test]
fn rules_check_and_test_the_builtin_packs() {
    let out = huiqi(&["rules", "check", "engine/packs"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("ok: "), "{}", stdout(&out));
    let out = huiqi(&["rules", "test", "engine/packs"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let last = stdout(&out).lines().last().unwrap_or_default().to_owned();
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
}

#[test]
fn rules_export_writes_the_json_the_npm_package_reads() {
    let dir = scratch("export");
    let out = huiqi(
        &[
            "rules",
            "export",
            "engine/packs",
            dir.to_str().expect("UTF-8"),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    for (name, json) in huiqi_engine::BUILTIN_PACKS_JSON {
        let written = std::fs::read_to_string(dir.join(name)).expect("an exported pack");
        assert_eq!(&written, json, "{name}: as the build script writes it");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn rules_check_prints_located_errors_and_fails() {
    let dir = scratch("broken-pack");
    std::fs::write(
        dir.join("broken.toml"),
        "[pack]\nid = \"broken\"\nversion = 1 = 2\n",
    )
    .expect("a pack file");
    let out = huiqi(&["rules", "check", dir.to_str().expect("UTF-8")], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("broken.toml"), "{}", stdout(&out));
    let out = huiqi(&["rules", "test", dir.to_str().expect("UTF-8")], "");
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn explain_shows_criteria_and_citations() {
    let out = huiqi(&["explain", "cn.hnte", "--lang", "en"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("cn.hnte"), "{text}");
    assert!(text.contains("Criteria:"), "{text}");
    assert!(text.contains("国科发火〔2016〕32号"), "{text}");
    let out = huiqi(&["explain", "cn.hnte", "--json"], "");
    let info: Value = serde_json::from_str(stdout(&out)).expect("JSON");
    assert_eq!(info["id"], "cn.hnte");
    let out = huiqi(&["explain", "cn.nothing"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cn.hnte"), "lists the known programs");
}

#[test]
fn packs_option_uses_another_rule_directory() {
    let out = huiqi(&["--packs", "engine/packs", "explain", "cn.hnte"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = huiqi(&["--packs", "no/such/dir", "--version"], "");
    assert_eq!(out.status.code(), Some(2));
}

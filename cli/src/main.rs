//! `huiqi`: the command line face of huiqi-engine (惠企自测).
//!
//! A thin shell over the engine: it reads profiles (a file, stdin, a JSONL or CSV registry), picks the
//! evaluation date and language, and prints results as the public contract
//! (`shared/spec/contract.md`) shapes them. Policy officers also use it to check and test rule packs.

mod explain;
mod packs;
mod screen;

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use huiqi_engine::{Date, Engine, InputErrors, Lang, Options, Profile};

/// 惠企自测 huiqi: check an enterprise against Chinese tech-enterprise support programs.
#[derive(Parser)]
#[command(
    name = "huiqi",
    disable_version_flag = true,
    arg_required_else_help = true
)]
struct Cli {
    /// Print the CLI version and the version of the rules in use.
    #[arg(short = 'V', long)]
    version: bool,
    /// Language of human-readable text (questions, explanations).
    #[arg(long, global = true, value_enum, default_value = "zh")]
    lang: LangArg,
    /// Use the rule packs (`*.toml`) in this directory instead of the built-in ones.
    #[arg(long, global = true, value_name = "DIR")]
    packs: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate one profile and print the result JSON.
    ///
    /// Exit status: 0 with a result, 2 on bad input (each error on stderr as `path: message`).
    Eval {
        #[command(flatten)]
        at: AtArg,
        /// Profile JSON file; `-` reads stdin.
        profile: PathBuf,
    },
    /// Screen a registry: one JSONL line per profile, in input order.
    ///
    /// Input is JSONL (one profile object per line) or CSV (a header row of contract field paths:
    /// `region`, `employees`, `financials[0].year`, `financials[0].sales_revenue`, `ip.class1`,
    /// `conversions[0]`, …; an empty cell is a missing value). An `id` field or column is carried
    /// into the output. Each output line has the `row` (the line number in the input file, so
    /// 2 for the first CSV row), and `programs`, `result` (with `--full`) or
    /// `errors: [{path, message}]`; a bad row never stops the run.
    ///
    /// By default each line is compact: per program its id, status, in_force, score range
    /// (scored programs), missing inputs, gaps (criterion, field, by, unit) and benefit amounts
    /// (min_yuan, max_yuan; null where the policy fixes none). `--full` prints complete results
    /// with every criterion, its trace and its citation.
    Screen(screen::ScreenArgs),
    /// Check or test rule packs.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Show a program's criteria, benefits and citations in words.
    Explain {
        /// Catalogue id, e.g. `cn.hnte`.
        program: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Compile every `*.toml` pack in DIR and print every located error (exit 1 on any).
    Check {
        /// Directory of rule packs.
        dir: PathBuf,
    },
    /// Compile DIR's packs and run the golden cases in DIR/cases/*.cases.toml (exit 1 on failure).
    Test {
        /// Directory of rule packs, with a `cases/` subdirectory.
        dir: PathBuf,
    },
    /// Compile DIR's packs and write each one's canonical JSON to OUT/NAME.json: the form the npm
    /// package's `loadPacks` reads (exit 1, writing nothing, when a pack does not compile).
    Export {
        /// Directory of rule packs.
        dir: PathBuf,
        /// Directory to write the JSON files into (created when missing).
        out: PathBuf,
    },
}

/// The evaluation date option, shared by `eval` and `screen`.
#[derive(Args, Clone, Copy)]
struct AtArg {
    /// Evaluation (application) date, YYYY-MM-DD; defaults to today (local date).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = huiqi_engine::date::parse)]
    at: Option<Date>,
}

impl AtArg {
    fn date(self) -> Date {
        self.at.unwrap_or_else(|| jiff::Zoned::now().date())
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    /// 简体中文
    Zh,
    /// English
    En,
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

/// Exit status for bad input (a profile, a file that cannot be read, a usage error).
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("huiqi: {error:#}");
            ExitCode::from(BAD_INPUT)
        }
    }
}

/// A reader such as `head` closing the pipe early is not a failure.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        let kind = e
            .downcast_ref::<io::Error>()
            .map(io::Error::kind)
            .or_else(|| e.downcast_ref::<serde_json::Error>()?.io_error_kind());
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let lang = Lang::from(cli.lang);
    let packs = cli.packs.as_deref();
    if cli.version {
        println!("huiqi {}", env!("CARGO_PKG_VERSION"));
        println!("rules {}", engine(packs)?.rules_version());
        return Ok(ExitCode::SUCCESS);
    }
    let Some(command) = cli.command else {
        anyhow::bail!("a command is needed; see `huiqi --help`");
    };
    match command {
        Command::Eval { at, profile } => eval(engine(packs)?, &profile, at.date(), lang),
        Command::Screen(args) => screen::run(engine(packs)?, &args, lang),
        Command::Rules { command } => match command {
            RulesCommand::Check { dir } => packs::check(&dir),
            RulesCommand::Test { dir } => packs::test(&dir),
            RulesCommand::Export { dir, out } => packs::export(&dir, &out),
        },
        Command::Explain { program, json } => explain::run(engine(packs)?, &program, lang, json),
    }
}

/// The built-in rules, or those compiled from `--packs DIR`.
fn engine(packs: Option<&Path>) -> anyhow::Result<&'static Engine> {
    let Some(dir) = packs else {
        return Ok(Engine::builtin());
    };
    match packs::load(dir)? {
        // Lives until the process ends, like the built-in engine.
        Ok(engine) => Ok(Box::leak(Box::new(engine))),
        Err(errors) => {
            let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            anyhow::bail!(
                "the rule packs in {} do not compile:\n{}",
                dir.display(),
                lines.join("\n")
            )
        }
    }
}

fn eval(engine: &Engine, path: &Path, as_of: Date, lang: Lang) -> anyhow::Result<ExitCode> {
    let text = read_input(path)?;
    let options = Options {
        as_of,
        lang,
        details: true,
    };
    let result = Profile::from_json(&text).and_then(|profile| engine.evaluate(&profile, &options));
    match result {
        Ok(evaluation) => {
            let mut out = io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &evaluation)?;
            writeln!(out)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            print_input_errors(path, &errors);
            Ok(ExitCode::from(BAD_INPUT))
        }
    }
}

/// One line per error, `path: message`, under a line naming the file.
fn print_input_errors(path: &Path, errors: &InputErrors) {
    let name = if path.as_os_str() == "-" {
        "stdin".into()
    } else {
        path.display().to_string()
    };
    eprintln!("huiqi: {name} is not a valid profile:");
    for error in &errors.0 {
        let path = if error.path.is_empty() {
            "(profile)"
        } else {
            &error.path
        };
        eprintln!("{path}: {}", error.message);
    }
}

/// The whole text of a file, or of stdin for `-`.
fn read_input(path: &Path) -> anyhow::Result<String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .context("cannot read stdin")?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    }
}

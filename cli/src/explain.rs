//! `huiqi explain PROGRAM_ID`: a program's criteria, benefits and citations, in words.

use std::fmt::{self, Write as _};
use std::io::{self, Write};
use std::process::ExitCode;

use huiqi_engine::{CriterionInfo, Engine, Lang, ProgramInfo};

/// Prints the program as text in `lang`, or as JSON.
pub fn run(engine: &Engine, id: &str, lang: Lang, json: bool) -> anyhow::Result<ExitCode> {
    let Some(info) = engine.explain(id) else {
        let known: Vec<String> = engine
            .programs(None, None)
            .into_iter()
            .map(|p| p.id)
            .collect();
        eprintln!(
            "huiqi: no program {id:?}; known programs: {}",
            known.join(", ")
        );
        return Ok(ExitCode::from(crate::BAD_INPUT));
    };
    let mut out = io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &info)?;
        writeln!(out)?;
    } else {
        out.write_all(render(&info, lang)?.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Picks the Chinese or the English of a pair of labels.
fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The program as readable text.
fn render(info: &ProgramInfo, lang: Lang) -> Result<String, fmt::Error> {
    let mut s = String::new();
    writeln!(s, "{}  {}", info.id, info.name.get(lang))?;
    writeln!(
        s,
        "{}{}",
        t(lang, "政策来源：", "Source: "),
        info.source.get(lang)
    )?;
    write!(s, "{}{}", t(lang, "适用地区：", "Region: "), info.region)?;
    if let Some(tier) = info.tier {
        write!(s, "   {}{tier}", t(lang, "梯度层级：", "Tier: "))?;
    }
    writeln!(s)?;
    let from = info
        .valid_from
        .map_or_else(|| "…".to_owned(), |d| d.to_string());
    let to = info
        .valid_to
        .map_or_else(|| "…".to_owned(), |d| d.to_string());
    writeln!(s, "{}{from} .. {to}", t(lang, "有效期：", "In force: "))?;
    if !info.requires.is_empty() {
        writeln!(
            s,
            "{}{}",
            t(lang, "前提项目：", "Builds on: "),
            info.requires.join(", ")
        )?;
    }
    if let Some(note) = &info.note {
        writeln!(s, "{}{}", t(lang, "说明：", "Note: "), note.get(lang))?;
    }
    section(&mut s, t(lang, "条件：", "Criteria:"), &info.criteria, lang)?;
    section(
        &mut s,
        t(lang, "惠企内容：", "Benefits:"),
        &info.benefits,
        lang,
    )?;
    if !info.inputs.is_empty() {
        writeln!(
            s,
            "\n{}{}",
            t(lang, "需要的信息：", "Inputs read: "),
            info.inputs.join(", ")
        )?;
    }
    Ok(s)
}

/// A numbered list of criteria or benefits, each with its rule and citation.
fn section(s: &mut String, title: &str, items: &[CriterionInfo], lang: Lang) -> fmt::Result {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(s, "\n{title}")?;
    for (n, item) in items.iter().enumerate() {
        let declared = if item.self_declared {
            t(lang, "（企业自行声明）", " (self-declared)")
        } else {
            ""
        };
        writeln!(
            s,
            "{:>3}. [{}] {}{declared}",
            n + 1,
            item.id,
            item.label.get(lang)
        )?;
        if !item.rule.is_empty() {
            writeln!(s, "     {}{}", t(lang, "规则：", "rule: "), item.rule)?;
        }
        let c = &item.citation;
        writeln!(
            s,
            "     {}{} {}",
            t(lang, "依据：", "source: "),
            c.source,
            c.clause
        )?;
        if !c.text.is_empty() {
            writeln!(s, "     “{}”", c.text.trim())?;
        }
    }
    Ok(())
}

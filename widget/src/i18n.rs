//! The widget's own words in both languages. Policy texts (program names, criteria, quotes,
//! questions) come from the engine; only the interface's wording lives here.

use huiqi_engine::fields::{Kind, Section};
use huiqi_engine::{Check, Lang, Status};

/// Every interface string, one set per language.
pub struct Strings {
    pub colon: &'static str,
    pub lp: &'static str,
    pub rp: &'static str,
    pub list_sep: &'static str,
    pub full_stop: &'static str,
    pub title: &'static str,
    pub subtitle: &'static str,
    pub privacy: &'static str,
    pub lang_switch: &'static str,
    pub region_prompt: &'static str,
    pub region_other: &'static str,
    pub results_heading: &'static str,
    pub see_results: &'static str,
    pub next_heading: &'static str,
    pub next_intro: &'static str,
    pub next_done: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub unanswered: &'static str,
    pub choose: &'static str,
    pub field_none: &'static str,
    pub unit_wan: &'static str,
    pub unit_percent: &'static str,
    pub conversions_year: &'static str,
    pub fix_errors: &'static str,
    pub summary: fn(usize, usize, usize) -> String,
    pub criteria: &'static str,
    pub self_declared: &'static str,
    pub gap: &'static str,
    pub score: &'static str,
    pub score_pass: &'static str,
    pub score_parts: &'static str,
    pub points: &'static str,
    pub still_needed: &'static str,
    pub and_more: fn(usize) -> String,
    pub next_batch: &'static str,
    pub ladder_heading: &'static str,
    pub ladder_here: &'static str,
    pub ladder_none: &'static str,
    pub ratios_heading: &'static str,
    pub ratios_threshold: &'static str,
    pub benefits_heading: &'static str,
    pub benefits_expected: &'static str,
    pub benefits_possible: &'static str,
    pub benefits_total: &'static str,
    pub benefits_none: &'static str,
    pub case_by_case: &'static str,
    pub needs_input: &'static str,
    pub up_to: &'static str,
    pub expired_heading: &'static str,
    pub expired_note: &'static str,
    pub kind_grant: &'static str,
    pub kind_tax: &'static str,
    pub kind_support: &'static str,
    pub save_draft: &'static str,
    pub clear_draft: &'static str,
    pub draft_saved: &'static str,
    pub print: &'static str,
    pub download: &'static str,
    pub reset: &'static str,
    pub as_of: &'static str,
    pub rules_version: &'static str,
    pub disclaimer: &'static str,
    pub no_programs: &'static str,
}

const ZH: Strings = Strings {
    colon: "：",
    lp: "（",
    rp: "）",
    list_sep: "；",
    full_stop: "。",
    title: "惠企政策自测",
    subtitle: "填写企业基本情况，即时查看可申报的科技企业梯度培育政策、差距与可享受的奖补和税收优惠。",
    privacy: "所填信息只在本页面内计算，不会上传。",
    lang_switch: "English",
    region_prompt: "请选择企业注册地",
    region_other: "其他地区（仅国家政策）",
    results_heading: "自测结果",
    see_results: "查看结果 ↓",
    next_heading: "建议先回答",
    next_intro: "以下问题最能帮助确定结果：",
    next_done: "关键问题已全部回答。",
    yes: "是",
    no: "否",
    unanswered: "暂不回答",
    choose: "请选择",
    field_none: "不属于以上领域",
    unit_wan: "万元",
    unit_percent: "%",
    conversions_year: "年",
    fix_errors: "有填写需要修改，相关项已暂不计入结果。",
    summary: |eligible, not_yet, open| {
        format!("{eligible} 项符合条件，{not_yet} 项暂不符合，{open} 项需补充信息。")
    },
    criteria: "申报条件",
    self_declared: "企业自行声明",
    gap: "差距",
    score: "评分",
    score_pass: "合格线",
    score_parts: "评分明细",
    points: "分",
    still_needed: "还需填写",
    and_more: |n| format!("等，另有 {n} 项"),
    next_batch: "下一批次截止",
    ladder_heading: "梯度培育阶梯",
    ladder_here: "当前位置",
    ladder_none: "尚未达到第一级",
    ratios_heading: "关键指标",
    ratios_threshold: "要求",
    benefits_heading: "可享受的奖补与优惠",
    benefits_expected: "符合条件即可享受",
    benefits_possible: "补充信息后可能享受",
    benefits_total: "预计合计",
    benefits_none: "暂无可确定的奖补或优惠。",
    case_by_case: "金额视情况而定",
    needs_input: "金额待补充信息后计算",
    up_to: "最高",
    expired_heading: "已失效的政策",
    expired_note: "以下政策已不在有效期内，仅供参考。",
    kind_grant: "奖补",
    kind_tax: "税收优惠",
    kind_support: "扶持",
    save_draft: "在本机保存草稿",
    clear_draft: "清除已保存的草稿",
    draft_saved: "草稿已保存在本浏览器中。",
    print: "打印结果",
    download: "下载结果（JSON）",
    reset: "清空填写",
    as_of: "测评日期",
    rules_version: "规则版本",
    disclaimer: "本结果依据政策原文自动测算，仅供参考，最终以主管部门认定为准。",
    no_programs: "该地区暂无收录的政策。",
};

const EN: Strings = Strings {
    colon: ": ",
    lp: " (",
    rp: ")",
    list_sep: "; ",
    full_stop: ". ",
    title: "Policy self-check",
    subtitle: "Enter your enterprise's figures to see at once which support programs you qualify for, what is missing, and the awards and tax savings to expect.",
    privacy: "Everything you enter stays on this page; nothing is sent anywhere.",
    lang_switch: "中文",
    region_prompt: "Place of registration",
    region_other: "Elsewhere (national programs only)",
    results_heading: "Results",
    see_results: "See results ↓",
    next_heading: "Answer these first",
    next_intro: "These questions settle the most:",
    next_done: "All decisive questions are answered.",
    yes: "Yes",
    no: "No",
    unanswered: "Not now",
    choose: "Choose…",
    field_none: "None of these fields",
    unit_wan: "10k yuan (万元)",
    unit_percent: "%",
    conversions_year: "",
    fix_errors: "Some answers need fixing; they are left out of the results until then.",
    summary: |eligible, not_yet, open| {
        format!("{eligible} qualify, {not_yet} not yet, {open} need more answers.")
    },
    criteria: "Criteria",
    self_declared: "self-declared",
    gap: "Gap",
    score: "Score",
    score_pass: "pass mark",
    score_parts: "Score parts",
    points: "pts",
    still_needed: "Still needed",
    and_more: |n| format!("and {n} more"),
    next_batch: "Next batch closes",
    ladder_heading: "Tier ladder",
    ladder_here: "You are here",
    ladder_none: "Not yet on the first tier",
    ratios_heading: "Key ratios",
    ratios_threshold: "required",
    benefits_heading: "Awards and tax savings",
    benefits_expected: "You qualify for",
    benefits_possible: "Possible once settled",
    benefits_total: "Expected total",
    benefits_none: "No award or saving can be settled yet.",
    case_by_case: "amount set case by case",
    needs_input: "amount needs more answers",
    up_to: "up to",
    expired_heading: "No longer in force",
    expired_note: "These programs have expired; shown for reference only.",
    kind_grant: "Award",
    kind_tax: "Tax saving",
    kind_support: "Support",
    save_draft: "Save a draft on this device",
    clear_draft: "Clear saved draft",
    draft_saved: "Draft saved in this browser.",
    print: "Print result",
    download: "Download my result (JSON)",
    reset: "Start over",
    as_of: "Evaluated on",
    rules_version: "Rules version",
    disclaimer: "Computed from the policy texts for guidance only; the competent authority decides.",
    no_programs: "No programs are recorded for this place yet.",
};

impl Strings {
    /// `label：value` in Chinese, `label: value` in English.
    pub fn pair(&self, label: &str, value: impl std::fmt::Display) -> String {
        format!("{label}{}{value}", self.colon)
    }

    /// `text（note）` in Chinese, `text (note)` in English.
    pub fn note(&self, text: &str, note: impl std::fmt::Display) -> String {
        format!("{text}{}{note}{}", self.lp, self.rp)
    }
}

/// The interface strings in `lang`.
pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// A section's heading.
pub fn section(section: Section, lang: Lang) -> &'static str {
    match (section, lang) {
        (Section::Basic, Lang::Zh) => "基本情况",
        (Section::Basic, Lang::En) => "Basic facts",
        (Section::People, Lang::Zh) => "人员",
        (Section::People, Lang::En) => "People",
        (Section::Finances, Lang::Zh) => "近三年财务（单位：万元）",
        (Section::Finances, Lang::En) => "Finances, last three years (in 万元 = 10,000 yuan)",
        (Section::Ip, Lang::Zh) => "知识产权与研发成果",
        (Section::Ip, Lang::En) => "IP and results",
        (Section::Certifications, Lang::Zh) => "资质与新取得的成果",
        (Section::Certifications, Lang::En) => "Certifications and achievements",
    }
}

/// A program status, in words (never conveyed by colour alone).
pub fn status(status: Status, lang: Lang) -> &'static str {
    match (status, lang) {
        (Status::Eligible, Lang::Zh) => "符合条件",
        (Status::Eligible, Lang::En) => "Qualifies",
        (Status::Ineligible, Lang::Zh) => "暂不符合",
        (Status::Ineligible, Lang::En) => "Not yet",
        (Status::Undetermined, Lang::Zh) => "需补充信息",
        (Status::Undetermined, Lang::En) => "Need more answers",
    }
}

/// A status as a class-name word: `ok`, `no`, `open`.
pub fn status_class(status: Status) -> &'static str {
    match status {
        Status::Eligible => "ok",
        Status::Ineligible => "no",
        Status::Undetermined => "open",
    }
}

/// The sign shown beside a status: ✓ ✗ ?.
pub fn status_mark(status: Status) -> &'static str {
    match status {
        Status::Eligible => "✓",
        Status::Ineligible => "✗",
        Status::Undetermined => "?",
    }
}

/// The sign and word of a criterion verdict.
pub fn check(check: Check, lang: Lang) -> (&'static str, &'static str) {
    match (check, lang) {
        (Check::Pass, Lang::Zh) => ("✓", "满足"),
        (Check::Pass, Lang::En) => ("✓", "met"),
        (Check::Fail, Lang::Zh) => ("✗", "未满足"),
        (Check::Fail, Lang::En) => ("✗", "not met"),
        (Check::Unknown, Lang::Zh) => ("?", "待确定"),
        (Check::Unknown, Lang::En) => ("?", "unknown"),
    }
}

/// The words of a choice field's value (the fields table holds the contract words).
pub fn choice(word: &str, lang: Lang) -> &str {
    let zh = lang == Lang::Zh;
    match word {
        "electronic_information" => pick(zh, "电子信息", "Electronic information"),
        "biomedicine" => pick(zh, "生物与新医药", "Biology and new medicine"),
        "aerospace" => pick(zh, "航空航天", "Aerospace"),
        "new_materials" => pick(zh, "新材料", "New materials"),
        "high_tech_services" => pick(zh, "高技术服务", "High-tech services"),
        "new_energy" => pick(zh, "新能源与节能", "New energy and energy saving"),
        "resources_environment" => pick(zh, "资源与环境", "Resources and environment"),
        "advanced_manufacturing" => pick(zh, "先进制造与自动化", "Advanced manufacturing"),
        "none" => pick(zh, "无", "None"),
        "municipal" => pick(zh, "市级", "Municipal"),
        "provincial" => pick(zh, "省级", "Provincial"),
        "national" => pick(zh, "国家级", "National"),
        "valid" => pick(zh, "持有有效证书", "Holds a valid certificate"),
        "expired" => pick(zh, "证书已过期", "Certificate expired"),
        other => other,
    }
}

/// Names of the places whose programs the built-in packs hold (the packs know codes, not names).
pub const PLACES: &[(&str, &str, &str)] = &[
    (
        "620102",
        "甘肃省兰州市城关区",
        "Chengguan District, Lanzhou, Gansu",
    ),
    ("620100", "甘肃省兰州市", "Lanzhou, Gansu"),
    ("210300", "辽宁省鞍山市", "Anshan, Liaoning"),
    (
        "650105",
        "新疆乌鲁木齐市水磨沟区",
        "Shuimogou District, Urumqi, Xinjiang",
    ),
    ("410700", "河南省新乡市", "Xinxiang, Henan"),
];

/// The name of a place code, or the code itself.
pub fn place(code: &str, lang: Lang) -> String {
    PLACES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, zh, en)| pick(lang == Lang::Zh, zh, en).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

fn pick<'a>(zh: bool, zh_text: &'a str, en_text: &'a str) -> &'a str {
    if zh { zh_text } else { en_text }
}

/// An engine message about an input, in `lang`. The engine writes English; the usual cases are
/// said in Chinese, anything else is shown as the engine wrote it.
pub fn input_error(message: &str, kind: Kind, lang: Lang) -> String {
    if lang == Lang::En {
        return message.to_owned();
    }
    const CROSS_FIELD: &[(&str, &str)] = &[
        (
            "tech staff but",
            "科技人员数不能多于职工总数（科技人员计入职工总数）。",
        ),
        (
            "spent in China exceeds",
            "境内研发费用不能超过研发费用总额。",
        ),
        (
            "from the main product exceeds",
            "主营产品销售额不能超过销售收入。",
        ),
        (
            "of high-tech income exceeds",
            "高新技术产品（服务）收入不能超过收入总额。",
        ),
        ("is after the evaluation date", "日期不能晚于测评日期。"),
        ("not a plausible fiscal year", "请填写有效的年份，如 2025。"),
    ];
    if let Some((_, zh)) = CROSS_FIELD.iter().find(|(en, _)| message.contains(en)) {
        return (*zh).to_owned();
    }
    let max = message
        .split_once("from 0 to ")
        .map(|(_, rest)| rest.trim_end_matches(|c: char| !c.is_ascii_digit()));
    match (kind, max) {
        (Kind::Count, Some(max)) => format!("请填写 0 到 {max} 之间的整数。"),
        (Kind::Count, None) => "请填写不小于 0 的整数。".to_owned(),
        (Kind::Money, _) => "请填写不小于 0 的金额（单位：万元），如 150 或 37.5。".to_owned(),
        (Kind::Share, _) => "请填写 0 到 100 之间的百分比。".to_owned(),
        (Kind::Date, _) => "请填写有效日期（年-月-日）。".to_owned(),
        (Kind::Year, _) => "请填写有效的年份，如 2025。".to_owned(),
        _ => message.to_owned(),
    }
}

//! The inputs rule packs can read, one row each: the name a rule uses, the contract path it is
//! reported under, its kind, the form section it belongs to, and the question that asks for it.
//! Forms and "questions still worth asking" are derived from this table, never written twice.

use jiff::civil::Date;
use serde::Serialize;

use crate::eval::Inputs;
use crate::expr::Value;
use crate::money::{Money, Share};

use crate::result::Unit;

/// What kind of value a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Yes/no.
    Bool,
    /// Money in 元.
    Money,
    /// A non-negative whole number.
    Count,
    /// A share 0..1.
    Share,
    /// A date.
    Date,
    /// One of fixed words (`choices`).
    Choice,
    /// A region code.
    Region,
    /// A fiscal year number.
    Year,
}

impl Kind {
    /// The unit a gap on such a field is counted in.
    pub fn unit(self) -> Unit {
        match self {
            Kind::Money => Unit::Yuan,
            Kind::Share => Unit::Share,
            Kind::Date => Unit::Days,
            _ => Unit::Count,
        }
    }
}

/// Form sections, in the order a form shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Basic facts.
    Basic,
    /// People.
    People,
    /// Finances by fiscal year.
    Finances,
    /// IP and results.
    Ip,
    /// Certifications and achievements.
    Certifications,
}

/// One readable input.
#[derive(Clone, Copy, Serialize)]
pub struct Field {
    /// Name in rule expressions, e.g. `last.rd_expense`.
    pub name: &'static str,
    /// Path in the contract, e.g. `financials[-1].rd_expense`.
    pub path: &'static str,
    /// Value kind.
    pub kind: Kind,
    /// Form section.
    pub section: Section,
    /// Allowed words for `Choice` fields.
    pub choices: &'static [&'static str],
    /// Short label, Chinese.
    pub label_zh: &'static str,
    /// Short label, English.
    pub label_en: &'static str,
    /// Reads the field from a profile; `None` when not given.
    #[serde(skip)]
    pub read: fn(&Inputs) -> Option<Value>,
}

/// Identifies a field by its row in [`FIELDS`].
pub type FieldId = u8;

/// The row of `region` (first in the table).
pub const REGION: FieldId = 0;

macro_rules! fields {
    ($( $name:literal, $path:literal, $kind:ident, $section:ident, $choices:expr, $zh:literal, $en:literal, $read:expr; )*) => {
        /// Every input a rule can read.
        pub const FIELDS: &[Field] = &[ $( Field {
            name: $name, path: $path, kind: Kind::$kind, section: Section::$section,
            choices: $choices, label_zh: $zh, label_en: $en, read: $read,
        }, )* ];
    };
}

const NONE: &[&str] = &[];
/// The eight HNTE fields, as written in profiles.
pub const INDUSTRY_FIELDS: &[&str] = &[
    "electronic_information",
    "biomedicine",
    "aerospace",
    "new_materials",
    "high_tech_services",
    "new_energy",
    "resources_environment",
    "advanced_manufacturing",
];
/// The money fields of a `financials[]` entry, as rules name them (`last.X`, `sum3.X`).
pub const FISCAL_MONEY_FIELDS: [&str; 9] = [
    "sales_revenue",
    "main_product_revenue",
    "total_income",
    "high_tech_income",
    "rd_expense",
    "rd_expense_domestic",
    "total_cost",
    "total_assets",
    "total_liabilities",
];
pub(crate) const LEVELS: &[&str] = &["none", "municipal", "provincial", "national"];
pub(crate) const HNTE_STATES: &[&str] = &["none", "valid", "expired"];

fields! {
    "region", "region", Region, Basic, NONE, "注册地（行政区划代码）", "Place of registration (region code)", |i| i.profile.region.map(|r| Value::Num(r.code().into()));
    "registered_on", "registered_on", Date, Basic, NONE, "注册成立日期", "Date of registration", |i| date(i.profile.registered_on);
    "resident_enterprise", "resident_enterprise", Bool, Basic, NONE, "在中国境内（不含港澳台）注册的居民企业", "Resident enterprise registered in mainland China", |i| boolean(i.profile.resident_enterprise);
    "independent_legal_person", "independent_legal_person", Bool, Basic, NONE, "具有独立法人资格", "Independent legal person", |i| boolean(i.profile.independent_legal_person);
    "industry_field", "industry_field", Choice, Basic, INDUSTRY_FIELDS, "核心技术所属国家重点支持的高新技术领域", "HNTE field of the core technology", |i| i.profile.industry_field.map(|f| f.map_or(Value::Nothing, |f| Value::Word(INDUSTRY_FIELDS[f as usize])));
    "software_enterprise", "software_enterprise", Bool, Basic, NONE, "软件类企业", "Software enterprise", |i| boolean(i.profile.software_enterprise);
    "manufacturing", "manufacturing", Bool, Basic, NONE, "制造业企业（制造业收入占50%以上）", "Manufacturing enterprise (≥50% of income)", |i| boolean(i.profile.manufacturing);
    "traditional_industry", "traditional_industry", Bool, Basic, NONE, "传统优势产业企业", "Traditional-industry enterprise", |i| boolean(i.profile.traditional_industry);
    "restricted_industry", "restricted_industry", Bool, Basic, NONE, "产品（服务）属于禁止、限制和淘汰类", "Products in the prohibited/restricted/eliminated catalogue", |i| boolean(i.profile.restricted_industry);
    "super_deduction_excluded", "super_deduction_excluded", Bool, Basic, NONE, "属于不适用研发费用加计扣除的行业", "In an industry excluded from the R&D super-deduction", |i| boolean(i.profile.super_deduction_excluded);
    "western_encouraged_share", "western_encouraged_share", Share, Basic, NONE, "西部鼓励类产业主营业务收入占收入总额比例", "Share of income from western encouraged-industry business", |i| share(i.profile.western_encouraged_share);
    "above_designated_size", "above_designated_size", Bool, Basic, NONE, "规模以上企业", "Above designated size (规模以上)", |i| boolean(i.profile.above_designated_size);
    "credit_good", "credit_good", Bool, Basic, NONE, "具有良好的信用等级与融资能力", "Good credit standing and financing capacity", |i| boolean(i.profile.credit_good);
    "employees", "employees", Count, People, NONE, "职工总数", "Total employees", |i| count(i.profile.employees);
    "tech_staff", "tech_staff", Count, People, NONE, "科技人员数", "Tech staff (R&D and related)", |i| count(i.profile.tech_staff);
    "last.year", "financials[-1].year", Year, Finances, NONE, "最近一个会计年度", "Latest fiscal year", |i| i.year(0).map(|y| Value::Num(y.year.into()));
    "last.sales_revenue", "financials[-1].sales_revenue", Money, Finances, NONE, "上年度销售收入", "Sales revenue, latest year", |i| money(i.year(0)?.sales_revenue);
    "last.main_product_revenue", "financials[-1].main_product_revenue", Money, Finances, NONE, "上年度主营产品销售额", "Main-product sales, latest year", |i| money(i.year(0)?.main_product_revenue);
    "last.total_income", "financials[-1].total_income", Money, Finances, NONE, "上年度收入总额", "Total income, latest year", |i| money(i.year(0)?.total_income);
    "last.high_tech_income", "financials[-1].high_tech_income", Money, Finances, NONE, "上年度高新技术产品（服务）收入", "High-tech product/service income, latest year", |i| money(i.year(0)?.high_tech_income);
    "last.rd_expense", "financials[-1].rd_expense", Money, Finances, NONE, "上年度研发费用", "R&D expense, latest year", |i| money(i.year(0)?.rd_expense);
    "last.rd_expense_domestic", "financials[-1].rd_expense_domestic", Money, Finances, NONE, "上年度境内研发费用", "R&D spent in China, latest year", |i| money(i.year(0)?.rd_expense_domestic);
    "last.total_cost", "financials[-1].total_cost", Money, Finances, NONE, "上年度成本费用总额", "Total cost and expenses, latest year", |i| money(i.year(0)?.total_cost);
    "last.total_assets", "financials[-1].total_assets", Money, Finances, NONE, "上年度资产总额", "Total assets, latest year", |i| money(i.year(0)?.total_assets);
    "last.total_liabilities", "financials[-1].total_liabilities", Money, Finances, NONE, "上年度负债总额", "Total liabilities, latest year", |i| money(i.year(0)?.total_liabilities);
    "prev.sales_revenue", "financials[-2].sales_revenue", Money, Finances, NONE, "前一年度销售收入", "Sales revenue, year before", |i| money(i.year(1)?.sales_revenue);
    "prev.main_product_revenue", "financials[-2].main_product_revenue", Money, Finances, NONE, "前一年度主营产品销售额", "Main-product sales, year before", |i| money(i.year(1)?.main_product_revenue);
    "prev.total_income", "financials[-2].total_income", Money, Finances, NONE, "前一年度收入总额", "Total income, year before", |i| money(i.year(1)?.total_income);
    "prev.high_tech_income", "financials[-2].high_tech_income", Money, Finances, NONE, "前一年度高新技术产品（服务）收入", "High-tech product/service income, year before", |i| money(i.year(1)?.high_tech_income);
    "prev.rd_expense", "financials[-2].rd_expense", Money, Finances, NONE, "前一年度研发费用", "R&D expense, year before", |i| money(i.year(1)?.rd_expense);
    "prev.rd_expense_domestic", "financials[-2].rd_expense_domestic", Money, Finances, NONE, "前一年度境内研发费用", "R&D spent in China, year before", |i| money(i.year(1)?.rd_expense_domestic);
    "prev.total_cost", "financials[-2].total_cost", Money, Finances, NONE, "前一年度成本费用总额", "Total cost and expenses, year before", |i| money(i.year(1)?.total_cost);
    "prev.total_assets", "financials[-2].total_assets", Money, Finances, NONE, "前一年度资产总额", "Total assets, year before", |i| money(i.year(1)?.total_assets);
    "prev.total_liabilities", "financials[-2].total_liabilities", Money, Finances, NONE, "前一年度负债总额", "Total liabilities, year before", |i| money(i.year(1)?.total_liabilities);
    "prev2.sales_revenue", "financials[-3].sales_revenue", Money, Finances, NONE, "前两年度销售收入", "Sales revenue, two years before", |i| money(i.year(2)?.sales_revenue);
    "prev2.main_product_revenue", "financials[-3].main_product_revenue", Money, Finances, NONE, "前两年度主营产品销售额", "Main-product sales, two years before", |i| money(i.year(2)?.main_product_revenue);
    "prev2.total_income", "financials[-3].total_income", Money, Finances, NONE, "前两年度收入总额", "Total income, two years before", |i| money(i.year(2)?.total_income);
    "prev2.high_tech_income", "financials[-3].high_tech_income", Money, Finances, NONE, "前两年度高新技术产品（服务）收入", "High-tech product/service income, two years before", |i| money(i.year(2)?.high_tech_income);
    "prev2.rd_expense", "financials[-3].rd_expense", Money, Finances, NONE, "前两年度研发费用", "R&D expense, two years before", |i| money(i.year(2)?.rd_expense);
    "prev2.rd_expense_domestic", "financials[-3].rd_expense_domestic", Money, Finances, NONE, "前两年度境内研发费用", "R&D spent in China, two years before", |i| money(i.year(2)?.rd_expense_domestic);
    "prev2.total_cost", "financials[-3].total_cost", Money, Finances, NONE, "前两年度成本费用总额", "Total cost and expenses, two years before", |i| money(i.year(2)?.total_cost);
    "prev2.total_assets", "financials[-3].total_assets", Money, Finances, NONE, "前两年度资产总额", "Total assets, two years before", |i| money(i.year(2)?.total_assets);
    "prev2.total_liabilities", "financials[-3].total_liabilities", Money, Finances, NONE, "前两年度负债总额", "Total liabilities, two years before", |i| money(i.year(2)?.total_liabilities);
    "taxable_income", "taxable_income", Money, Finances, NONE, "上年度应纳税所得额", "Taxable income, latest year", |i| money(i.profile.taxable_income);
    "ip.class1", "ip.class1", Count, Ip, NONE, "Ⅰ类知识产权数（发明专利等）", "Class I IP (invention patents, …)", |i| count(i.profile.ip.as_ref()?.class1);
    "ip.class2", "ip.class2", Count, Ip, NONE, "Ⅱ类知识产权数（实用新型、外观设计、软件著作权）", "Class II IP (utility models, designs, software)", |i| count(i.profile.ip.as_ref()?.class2);
    "ip.self_developed", "ip.self_developed", Bool, Ip, NONE, "知识产权为自主研发取得", "IP developed in-house", |i| boolean(i.profile.ip.as_ref()?.self_developed);
    "ip.core_to_main_product", "ip.core_to_main_product", Bool, Ip, NONE, "知识产权对主要产品起核心支持作用", "IP is core to the main products", |i| boolean(i.profile.ip.as_ref()?.core_to_main_product);
    "ip.drafted_standards", "ip.drafted_standards", Bool, Ip, NONE, "参与制定标准、检测方法或技术规范", "Took part in drafting standards or specs", |i| boolean(i.profile.ip.as_ref()?.drafted_standards);
    "conversions.avg", "conversions", Count, Ip, NONE, "近三年每年科技成果转化数", "Technology-result conversions per year, last 3 years", |i| i.conversions_average();
    "has_rd_management_system", "has_rd_management_system", Bool, Ip, NONE, "建立研发组织管理制度（研发机构、计划、核算、激励）", "R&D organisation and management systems in place", |i| boolean(i.profile.has_rd_management_system);
    "rd_institution_level", "rd_institution_level", Choice, Ip, LEVELS, "经认定的研发机构级别", "Level of recognised R&D institution", |i| i.profile.rd_institution_level.map(|l| Value::Word(LEVELS[l as usize]));
    "national_award_top3_5y", "national_award_top3_5y", Bool, Ip, NONE, "近五年获国家级科技奖励且排名前三", "National science award in 5 years, top-3 unit", |i| boolean(i.profile.national_award_top3_5y);
    "standards_led_5y", "standards_led_5y", Bool, Ip, NONE, "近五年主导制定国际、国家或行业标准", "Led an international/national/industry standard in 5 years", |i| boolean(i.profile.standards_led_5y);
    "hnte_self_assessment.advancement", "hnte_self_assessment.advancement", Count, Ip, NONE, "自评：知识产权技术先进程度（0–8分）", "Self-score: IP technical advancement (0–8)", |i| count(i.profile.hnte_self_assessment.as_ref()?.advancement);
    "hnte_self_assessment.core_support", "hnte_self_assessment.core_support", Count, Ip, NONE, "自评：知识产权对产品的核心支持作用（0–8分）", "Self-score: IP core support (0–8)", |i| count(i.profile.hnte_self_assessment.as_ref()?.core_support);
    "hnte_self_assessment.org_management", "hnte_self_assessment.org_management", Count, Ip, NONE, "自评：研发组织管理水平（0–20分）", "Self-score: R&D organisation and management (0–20)", |i| count(i.profile.hnte_self_assessment.as_ref()?.org_management);
    "incidents.major_accident", "incidents.major_accident", Bool, Certifications, NONE, "近一年内发生重大安全、重大质量事故", "Major safety or quality accident in the last year", |i| boolean(i.profile.incidents.as_ref()?.major_accident);
    "incidents.environmental_violation", "incidents.environmental_violation", Bool, Certifications, NONE, "近一年内有严重环境违法行为", "Serious environmental violation in the last year", |i| boolean(i.profile.incidents.as_ref()?.environmental_violation);
    "incidents.research_dishonesty", "incidents.research_dishonesty", Bool, Certifications, NONE, "近一年内有严重科研失信行为", "Serious research dishonesty in the last year", |i| boolean(i.profile.incidents.as_ref()?.research_dishonesty);
    "incidents.abnormal_list", "incidents.abnormal_list", Bool, Certifications, NONE, "列入经营异常名录或严重违法失信名单", "On the abnormal-operations or dishonesty list", |i| boolean(i.profile.incidents.as_ref()?.abnormal_list);
    "certifications.hnte", "certifications.hnte", Choice, Certifications, HNTE_STATES, "高新技术企业证书状态", "HNTE certificate", |i| i.profile.certifications.as_ref()?.hnte.map(|h| Value::Word(HNTE_STATES[h as usize]));
    "certifications.hnte_certified_on", "certifications.hnte_certified_on", Date, Certifications, NONE, "高新技术企业证书发证日期", "HNTE certificate date", |i| date(i.profile.certifications.as_ref()?.hnte_certified_on);
    "certifications.tech_sme_registered", "certifications.tech_sme_registered", Bool, Certifications, NONE, "已入库科技型中小企业", "Registered as a tech-based SME", |i| boolean(i.profile.certifications.as_ref()?.tech_sme_registered);
    "certifications.provincial_innovation_enterprise", "certifications.provincial_innovation_enterprise", Bool, Certifications, NONE, "已认定为甘肃省科技创新型企业", "Recognised Gansu tech-innovation enterprise", |i| boolean(i.profile.certifications.as_ref()?.provincial_innovation_enterprise);
    "certifications.urumqi_little_giant", "certifications.urumqi_little_giant", Bool, Certifications, NONE, "被命名为乌鲁木齐市“科技小巨人”", "Named an Urumqi little giant", |i| boolean(i.profile.certifications.as_ref()?.urumqi_little_giant);
    "certifications.little_giant_cultivation", "certifications.little_giant_cultivation", Bool, Certifications, NONE, "列入市级科技小巨人培育工程", "In a city little-giant cultivation programme", |i| boolean(i.profile.certifications.as_ref()?.little_giant_cultivation);
    "certifications.innovation_hq", "certifications.innovation_hq", Bool, Certifications, NONE, "经认定的科技创新型总部企业", "Recognised tech-innovation headquarters enterprise", |i| boolean(i.profile.certifications.as_ref()?.innovation_hq);
    "relocating_hnte_from_other_province", "relocating_hnte_from_other_province", Bool, Certifications, NONE, "省外高新技术企业整体迁入", "HNTE moving in whole from another province", |i| boolean(i.profile.relocating_hnte_from_other_province);
    "out_of_province_hnte_subsidiary", "out_of_province_hnte_subsidiary", Bool, Certifications, NONE, "省外高企在本区设立独立法人研发生产子公司", "Out-of-province HNTE setting up a subsidiary here", |i| boolean(i.profile.out_of_province_hnte_subsidiary);
    "achievements.rd_institution_recognized", "achievements.rd_institution_recognized", Bool, Certifications, NONE, "新认定企业研发机构", "Newly recognised enterprise R&D institution", |i| boolean(i.profile.achievements.as_ref()?.rd_institution_recognized);
    "achievements.platforms.national", "achievements.platforms.national", Count, Certifications, NONE, "新获批国家级创新平台数", "New national-level platforms", |i| count(i.profile.achievements.as_ref()?.platforms.as_ref()?.national);
    "achievements.platforms.provincial", "achievements.platforms.provincial", Count, Certifications, NONE, "新获批省级创新平台数", "New provincial-level platforms", |i| count(i.profile.achievements.as_ref()?.platforms.as_ref()?.provincial);
    "achievements.platforms.municipal", "achievements.platforms.municipal", Count, Certifications, NONE, "新获批市级创新平台数", "New municipal-level platforms", |i| count(i.profile.achievements.as_ref()?.platforms.as_ref()?.municipal);
    "achievements.national_labs", "achievements.national_labs", Count, Certifications, NONE, "新获国家工程实验室、国家重点实验室、国家地方联合实验室数", "New national engineering/key/joint labs", |i| count(i.profile.achievements.as_ref()?.national_labs);
    "achievements.pilot_projects", "achievements.pilot_projects", Count, Certifications, NONE, "进入中试、试制、推广阶段的自主知识产权研发项目数", "R&D projects in pilot/trial/promotion stage", |i| count(i.profile.achievements.as_ref()?.pilot_projects);
    "achievements.standards.international", "achievements.standards.international", Count, Certifications, NONE, "新技术转化为国际标准数", "New international standards", |i| count(i.profile.achievements.as_ref()?.standards.as_ref()?.international);
    "achievements.standards.national", "achievements.standards.national", Count, Certifications, NONE, "新技术转化为国家标准数", "New national standards", |i| count(i.profile.achievements.as_ref()?.standards.as_ref()?.national);
    "achievements.standards.industry", "achievements.standards.industry", Count, Certifications, NONE, "新技术转化为行业标准数", "New industry standards", |i| count(i.profile.achievements.as_ref()?.standards.as_ref()?.industry);
    "achievements.key_new_products", "achievements.key_new_products", Count, Certifications, NONE, "转化基地取得的国家重点新产品数", "National key new products from a conversion base", |i| count(i.profile.achievements.as_ref()?.key_new_products);
    "achievements.tech_transaction_amount", "achievements.tech_transaction_amount", Money, Certifications, NONE, "转化基地内技术交易合同额", "Technology transaction amount in a conversion base", |i| money(i.profile.achievements.as_ref()?.tech_transaction_amount);
    "achievements.tech_transfer_income", "achievements.tech_transfer_income", Money, Certifications, NONE, "上年度技术转让所得", "Technology-transfer income, latest year", |i| money(i.profile.achievements.as_ref()?.tech_transfer_income);
    "team.registered", "team.registered", Bool, Basic, NONE, "团队已注册企业", "Team already registered as an enterprise", |i| boolean(i.profile.team.as_ref()?.registered);
    "team.four_new_project", "team.four_new_project", Bool, Basic, NONE, "拥有“四新”项目（新技术、新产业、新业态、新模式）", "Has a 四新 project", |i| boolean(i.profile.team.as_ref()?.four_new_project);
}

fn boolean(value: Option<bool>) -> Option<Value> {
    value.map(Value::Bool)
}
fn count(value: Option<u32>) -> Option<Value> {
    value.map(|n| Value::Num(n.into()))
}
fn money(value: Option<Money>) -> Option<Value> {
    value.map(|m| Value::Num(m.0))
}
fn share(value: Option<Share>) -> Option<Value> {
    value.map(|s| Value::Num(s.0))
}
fn date(value: Option<Date>) -> Option<Value> {
    value.map(Value::Date)
}

/// The row of a rule name, e.g. `last.rd_expense`.
pub fn by_name(name: &str) -> Option<FieldId> {
    FIELDS
        .iter()
        .position(|f| f.name == name)
        .and_then(|i| FieldId::try_from(i).ok())
}

/// The row of a contract path, e.g. `financials[-1].rd_expense`.
pub fn by_path(path: &str) -> Option<FieldId> {
    FIELDS
        .iter()
        .position(|f| f.path == path)
        .and_then(|i| FieldId::try_from(i).ok())
}

/// A set of fields (for "missing" lists), one bit per row of [`FIELDS`]. Two words rather than a
/// `u128`: the evaluator's values carry a set, and a `u128`'s 16-byte alignment made them a fifth
/// larger.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldSet([u64; 2]);

impl FieldSet {
    /// No field.
    pub const EMPTY: FieldSet = FieldSet([0; 2]);

    fn bits(self) -> u128 {
        u128::from(self.0[0]) | u128::from(self.0[1]) << 64
    }
    fn from_bits(bits: u128) -> FieldSet {
        FieldSet([bits as u64, (bits >> 64) as u64])
    }

    /// Just `id`.
    pub fn one(id: FieldId) -> FieldSet {
        FieldSet::from_bits(1u128 << id)
    }
    /// Both sets.
    pub fn union(self, other: FieldSet) -> FieldSet {
        FieldSet([self.0[0] | other.0[0], self.0[1] | other.0[1]])
    }
    /// True when empty.
    pub fn is_empty(self) -> bool {
        self.0 == [0; 2]
    }
    /// Whether `id` is in the set.
    pub fn contains(self, id: FieldId) -> bool {
        self.bits() & (1u128 << id) != 0
    }
    /// How many fields.
    pub fn len(self) -> u32 {
        self.0[0].count_ones() + self.0[1].count_ones()
    }
    /// The field rows, in table order.
    pub fn iter(self) -> impl Iterator<Item = FieldId> {
        let mut bits = self.bits();
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let id = bits.trailing_zeros() as FieldId;
            bits &= bits - 1;
            Some(id)
        })
    }
    /// The fields' contract paths, in table order.
    pub fn paths(self) -> impl Iterator<Item = &'static str> {
        self.iter().map(|id| FIELDS[id as usize].path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_fits_a_field_set_and_names_are_unique() {
        assert!(FIELDS.len() <= 128);
        assert_eq!(FIELDS[REGION as usize].name, "region");
        for (i, f) in FIELDS.iter().enumerate() {
            assert_eq!(by_name(f.name), Some(i as u8), "{}", f.name);
            assert_eq!(by_path(f.path), Some(i as u8), "{}", f.path);
            // Screening writes paths into JSON as they are.
            assert!(!f.path.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'));
        }
    }
}

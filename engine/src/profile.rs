//! The enterprise profile (企业画像): what the enterprise enters, as in `shared/spec/contract.md`.
//!
//! Every field is optional; a missing one makes the criteria that need it unknown. Unknown fields
//! are refused so that a typo is never silently ignored. [`Profile::from_json`] and
//! [`Profile::from_value`] return every problem with its field path, or a profile that is valid.

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{InputError, InputErrors};
use crate::money::{Money, Share};

/// Highest count accepted for people, items and years of conversions: beyond any real enterprise.
pub const MAX_COUNT: u32 = 10_000_000;
/// Fiscal years accepted in `financials[].year`.
pub const YEARS: std::ops::RangeInclusive<i32> = 1949..=2100;
/// At most this many fiscal years may be entered.
pub const MAX_FISCAL_YEARS: usize = 20;

/// The enterprise's figures and declarations.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Profile {
    /// 6-digit GB/T 2260 code of the place of registration, e.g. `620102`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    /// Date of business registration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub registered_on: Option<Date>,
    /// Resident enterprise registered in mainland China.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_enterprise: Option<bool>,
    /// Independent legal person (独立法人).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub independent_legal_person: Option<bool>,
    /// The HNTE field of the core technology; `null` means none of the eight.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ts", tsify(type = "IndustryField | null"))]
    pub industry_field: Option<Option<IndustryField>>,
    /// Software enterprise (Lanzhou's 5% R&D rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_enterprise: Option<bool>,
    /// Main business is manufacturing (≥50% of income).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturing: Option<bool>,
    /// Traditional-industry enterprise (Lanzhou).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traditional_industry: Option<bool>,
    /// Products or services in the prohibited/restricted/eliminated catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restricted_industry: Option<bool>,
    /// In an industry excluded from the R&D super-deduction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub super_deduction_excluded: Option<bool>,
    /// Share of income from encouraged-industry main business (西部大开发).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub western_encouraged_share: Option<Share>,
    /// Total employees (职工总数).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employees: Option<u32>,
    /// Staff in R&D and related technical innovation (科技人员).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tech_staff: Option<u32>,
    /// One entry per fiscal year; the latest year is "last year".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub financials: Vec<FiscalYear>,
    /// Taxable income of the latest fiscal year, for tax estimates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxable_income: Option<Money>,
    /// Intellectual property tied to the main product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<Ip>,
    /// Technology-result conversions per year, latest three years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversions: Option<Vec<u32>>,
    /// Level of the recognised R&D institution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rd_institution_level: Option<Level>,
    /// R&D organisation, plan, accounting and incentive systems in place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_rd_management_system: Option<bool>,
    /// National science award in the last five years, ranked among the top three units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_award_top3_5y: Option<bool>,
    /// Led an international, national or industry standard in the last five years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standards_led_5y: Option<bool>,
    /// Good credit standing and financing capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_good: Option<bool>,
    /// Incidents in the last and the current year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incidents: Option<Incidents>,
    /// Certificates and recognitions already held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certifications: Option<Certifications>,
    /// An HNTE moving its whole operation in from another province (Chengguan 五.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relocating_hnte_from_other_province: Option<bool>,
    /// An out-of-province HNTE setting up a subsidiary here (Chengguan 五.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_province_hnte_subsidiary: Option<bool>,
    /// 规模以上企业.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above_designated_size: Option<bool>,
    /// New items in the period that earn one-off awards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievements: Option<Achievements>,
    /// Self-scores narrowing the expert-judged HNTE items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hnte_self_assessment: Option<HnteSelfAssessment>,
    /// For teams not yet registered (Anshan seed stage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Team>,
}

/// A 6-digit GB/T 2260 region code, checked on input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
pub struct Region(u32);

/// Province-level prefixes of GB/T 2260 (the first two digits of a code).
const PROVINCES: [u32; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

impl Region {
    /// The whole country: national programs apply everywhere.
    pub const CHINA: Region = Region(100_000);

    /// Parses a place code: six digits, a real province prefix.
    pub fn parse(text: &str) -> Result<Region, String> {
        if text.len() != 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "{text:?} is not a 6-digit GB/T 2260 region code, e.g. \"620102\""
            ));
        }
        let code: u32 = text
            .parse()
            .map_err(|_| format!("{text:?} is not a region code"))?;
        if code == Self::CHINA.0 || PROVINCES.contains(&(code / 10_000)) {
            Ok(Region(code))
        } else {
            Err(format!(
                "{text:?} has no province {:02} in GB/T 2260",
                code / 10_000
            ))
        }
    }

    /// The numeric code.
    pub fn code(self) -> u32 {
        self.0
    }

    /// Whether `self` lies in `area`: a code is inside itself, its prefecture (`xxxx00`), its
    /// province (`xx0000`), and China (`100000`).
    pub fn is_within(self, area: Region) -> bool {
        let (code, area) = (self.0, area.0);
        area == Self::CHINA.0
            || code == area
            || (area % 10_000 == 0 && code / 10_000 == area / 10_000)
            || (area % 100 == 0 && code / 100 == area / 100)
    }
}

impl std::fmt::Display for Region {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

impl std::str::FromStr for Region {
    type Err = String;
    fn from_str(text: &str) -> Result<Region, String> {
        Region::parse(text)
    }
}

impl<'de> Deserialize<'de> for Region {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer).map_err(|_| {
            serde::de::Error::custom("expected a 6-digit region code in quotes, e.g. \"620102\"")
        })?;
        Region::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Region {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The eight fields of 国家重点支持的高新技术领域.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum IndustryField {
    /// 电子信息
    ElectronicInformation,
    /// 生物与新医药
    Biomedicine,
    /// 航空航天
    Aerospace,
    /// 新材料
    NewMaterials,
    /// 高技术服务
    HighTechServices,
    /// 新能源与节能
    NewEnergy,
    /// 资源与环境
    ResourcesEnvironment,
    /// 先进制造与自动化
    AdvancedManufacturing,
}

/// Government level of an institution or platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum Level {
    /// None recognised.
    None,
    /// 市级
    Municipal,
    /// 省级
    Provincial,
    /// 国家级
    National,
}

/// One fiscal year's figures, all in 元.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FiscalYear {
    /// The fiscal (calendar) year.
    pub year: i32,
    /// 销售收入
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_revenue: Option<Money>,
    /// 主营产品销售额
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_product_revenue: Option<Money>,
    /// 总收入
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_income: Option<Money>,
    /// 高新技术产品（服务）收入
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_tech_income: Option<Money>,
    /// 研究开发费用
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rd_expense: Option<Money>,
    /// 在中国境内发生的研究开发费用
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rd_expense_domestic: Option<Money>,
    /// 成本费用总额
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_cost: Option<Money>,
    /// 资产总额
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_assets: Option<Money>,
    /// 负债总额
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_liabilities: Option<Money>,
}

/// Valid IP tied to the main product.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Ip {
    /// Class I: invention patents, new plant varieties, IC layouts, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class1: Option<u32>,
    /// Class II: utility models, designs, software copyrights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class2: Option<u32>,
    /// Any of it developed in-house.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_developed: Option<bool>,
    /// It gives core technical support to the main products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core_to_main_product: Option<bool>,
    /// Took part in drafting national/industry standards, test methods or technical specs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drafted_standards: Option<bool>,
}

/// Incidents in the last and the current year.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Incidents {
    /// Major safety or quality accident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub major_accident: Option<bool>,
    /// Serious environmental violation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environmental_violation: Option<bool>,
    /// Serious research dishonesty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub research_dishonesty: Option<bool>,
    /// On the abnormal-operations or serious-dishonesty list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abnormal_list: Option<bool>,
}

/// State of an HNTE certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum HnteCertificate {
    /// Never certified.
    None,
    /// Holds a valid certificate.
    Valid,
    /// Held one that has expired.
    Expired,
}

/// Certificates and recognitions already held.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Certifications {
    /// HNTE certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hnte: Option<HnteCertificate>,
    /// Date of the (latest) HNTE certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub hnte_certified_on: Option<Date>,
    /// Registered in the national tech-based SME database this year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tech_sme_registered: Option<bool>,
    /// Recognised as a Gansu provincial tech-innovation enterprise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provincial_innovation_enterprise: Option<bool>,
    /// Named an Urumqi 科技小巨人.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urumqi_little_giant: Option<bool>,
    /// In a city 科技小巨人 cultivation programme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub little_giant_cultivation: Option<bool>,
    /// Recognised tech-innovation headquarters enterprise (Shuimogou 28; an extension of the contract).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub innovation_hq: Option<bool>,
}

/// Counts of platforms by level.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ByLevel {
    /// National level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national: Option<u32>,
    /// Provincial level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provincial: Option<u32>,
    /// Municipal level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipal: Option<u32>,
}

/// Counts of standards by kind.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct StandardCounts {
    /// International standards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub international: Option<u32>,
    /// National standards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national: Option<u32>,
    /// Industry standards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<u32>,
}

/// New items in the period that earn one-off awards.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Achievements {
    /// A newly recognised enterprise R&D institution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rd_institution_recognized: Option<bool>,
    /// Newly approved platforms by level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platforms: Option<ByLevel>,
    /// National engineering/key/joint labs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_labs: Option<u32>,
    /// R&D projects with own IP in pilot, trial or promotion stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pilot_projects: Option<u32>,
    /// New technology turned into standards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standards: Option<StandardCounts>,
    /// National key new products from a conversion base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_new_products: Option<u32>,
    /// Technology transaction contract amount in a conversion base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tech_transaction_amount: Option<Money>,
    /// Technology-transfer income of the latest year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tech_transfer_income: Option<Money>,
}

/// Self-scores for the expert-judged HNTE items.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct HnteSelfAssessment {
    /// IP technical advancement, 0..8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advancement: Option<u32>,
    /// IP core support to products, 0..8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core_support: Option<u32>,
    /// R&D organisation and management, 0..20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_management: Option<u32>,
}

/// A team not yet registered (Anshan seed stage).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Team {
    /// Already registered as an enterprise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered: Option<bool>,
    /// Has a 四新 (new technology, industry, business form, model) project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub four_new_project: Option<bool>,
}

/// Tells a present `null` (Some(None)) from an absent field (None).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

impl Profile {
    /// Parses and validates a profile from JSON text.
    pub fn from_json(text: &str) -> Result<Profile, InputErrors> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| InputErrors::one(InputError::new("", format!("not valid JSON: {e}"))))?;
        Self::from_value(&value)
    }

    /// Parses and validates a profile from any serde data model (a JS value through
    /// serde-wasm-bindgen, TOML, …): the first structural error, or every semantic one.
    pub fn deserialize_located<'de, D>(deserializer: D) -> Result<Profile, InputErrors>
    where
        D: Deserializer<'de>,
    {
        let value: serde_json::Value =
            serde_path_to_error::deserialize(deserializer).map_err(located)?;
        Self::from_value(&value)
    }

    /// Parses and validates a profile held as a JSON value.
    pub fn from_value(value: &serde_json::Value) -> Result<Profile, InputErrors> {
        check_shape(value, &String::new)?;
        let profile: Profile = serde_path_to_error::deserialize(value).map_err(located)?;
        profile.check()?;
        Ok(profile)
    }

    /// Checks the rules that span fields; every violation is reported with its path.
    pub fn check(&self) -> Result<(), InputErrors> {
        let mut errors = Vec::new();
        count(&mut errors, "employees", self.employees, MAX_COUNT);
        count(&mut errors, "tech_staff", self.tech_staff, MAX_COUNT);
        if let Some(ip) = &self.ip {
            count(&mut errors, "ip.class1", ip.class1, MAX_COUNT);
            count(&mut errors, "ip.class2", ip.class2, MAX_COUNT);
        }
        if let Some(a) = &self.achievements {
            count(
                &mut errors,
                "achievements.national_labs",
                a.national_labs,
                1000,
            );
            count(
                &mut errors,
                "achievements.pilot_projects",
                a.pilot_projects,
                1000,
            );
            count(
                &mut errors,
                "achievements.key_new_products",
                a.key_new_products,
                1000,
            );
            if let Some(p) = &a.platforms {
                count(
                    &mut errors,
                    "achievements.platforms.national",
                    p.national,
                    1000,
                );
                count(
                    &mut errors,
                    "achievements.platforms.provincial",
                    p.provincial,
                    1000,
                );
                count(
                    &mut errors,
                    "achievements.platforms.municipal",
                    p.municipal,
                    1000,
                );
            }
            if let Some(s) = &a.standards {
                count(
                    &mut errors,
                    "achievements.standards.international",
                    s.international,
                    1000,
                );
                count(
                    &mut errors,
                    "achievements.standards.national",
                    s.national,
                    1000,
                );
                count(
                    &mut errors,
                    "achievements.standards.industry",
                    s.industry,
                    1000,
                );
            }
        }
        if let Some(s) = &self.hnte_self_assessment {
            count(
                &mut errors,
                "hnte_self_assessment.advancement",
                s.advancement,
                8,
            );
            count(
                &mut errors,
                "hnte_self_assessment.core_support",
                s.core_support,
                8,
            );
            count(
                &mut errors,
                "hnte_self_assessment.org_management",
                s.org_management,
                20,
            );
        }
        if let Some(conversions) = &self.conversions {
            if conversions.len() > 3 {
                errors.push(InputError::new(
                    "conversions",
                    format!(
                        "{} values given; expected at most 3 (the latest three years)",
                        conversions.len()
                    ),
                ));
            }
            for (i, &n) in conversions.iter().enumerate() {
                count(&mut errors, &format!("conversions[{i}]"), Some(n), 100_000);
            }
        }
        if let (Some(staff), Some(all)) = (self.tech_staff, self.employees)
            && staff > all
        {
            errors.push(InputError::new(
                "tech_staff",
                format!(
                    "{staff} tech staff but {all} employees; tech staff are counted among employees"
                ),
            ));
        }
        if self.financials.len() > MAX_FISCAL_YEARS {
            errors.push(InputError::new(
                "financials",
                format!(
                    "{} fiscal years given; expected at most {MAX_FISCAL_YEARS}",
                    self.financials.len()
                ),
            ));
        }
        for (i, year) in self.financials.iter().enumerate() {
            let at = |field: &str| format!("financials[{i}].{field}");
            if !YEARS.contains(&year.year) {
                errors.push(InputError::new(
                    at("year"),
                    format!(
                        "{} is not a plausible fiscal year; expected {}..{}",
                        year.year,
                        YEARS.start(),
                        YEARS.end()
                    ),
                ));
            }
            if let Some(first) = self.financials[..i]
                .iter()
                .position(|y| y.year == year.year)
            {
                errors.push(InputError::new(
                    at("year"),
                    format!("year {} appears twice (also financials[{first}]); one entry per fiscal year", year.year),
                ));
            }
            if let (Some(domestic), Some(all)) = (year.rd_expense_domestic, year.rd_expense)
                && domestic > all
            {
                errors.push(InputError::new(
                    at("rd_expense_domestic"),
                    format!("{domestic} spent in China exceeds the R&D total {all}"),
                ));
            }
            if let (Some(main), Some(sales)) = (year.main_product_revenue, year.sales_revenue)
                && main > sales
            {
                errors.push(InputError::new(
                    at("main_product_revenue"),
                    format!("{main} from the main product exceeds sales revenue {sales}"),
                ));
            }
            if let (Some(high_tech), Some(total)) = (year.high_tech_income, year.total_income)
                && high_tech > total
            {
                errors.push(InputError::new(
                    at("high_tech_income"),
                    format!("{high_tech} of high-tech income exceeds total income {total}"),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(InputErrors(errors))
        }
    }

    /// Checks the rules that need the evaluation date.
    pub fn check_dates(&self, as_of: Date) -> Result<(), InputErrors> {
        let mut errors = Vec::new();
        if let Some(on) = self.registered_on
            && on > as_of
        {
            errors.push(InputError::new(
                "registered_on",
                format!("{on} is after the evaluation date {as_of}"),
            ));
        }
        if let Some(on) = self
            .certifications
            .as_ref()
            .and_then(|c| c.hnte_certified_on)
            && on > as_of
        {
            errors.push(InputError::new(
                "certifications.hnte_certified_on",
                format!("{on} is after the evaluation date {as_of}"),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(InputErrors(errors))
        }
    }
}

fn located<E: std::fmt::Display>(e: serde_path_to_error::Error<E>) -> InputErrors {
    let path = crate::error::normalize_path(&e.path().to_string());
    InputErrors::one(InputError::new(
        path,
        clean_serde_message(&e.inner().to_string()),
    ))
}

/// serde would read a struct from a list of its fields in order; a profile says what each value
/// is, so lists are refused everywhere except `financials` (of objects) and `conversions`.
fn check_shape(value: &serde_json::Value, path: &dyn Fn() -> String) -> Result<(), InputErrors> {
    use serde_json::Value;
    // Paths are built only when there is an error to report: this runs on every profile.
    let refuse = |what: &str| {
        let at = path();
        let expected = if at.is_empty() {
            "a profile object {…}"
        } else {
            "an object {…}"
        };
        Err(InputErrors::one(InputError::new(
            at,
            format!("expected {expected}, not {what}"),
        )))
    };
    let map = match value {
        Value::Object(map) => map,
        Value::Array(_) => return refuse("a list"),
        Value::String(_) => return refuse("a string"),
        Value::Number(_) => return refuse("a number"),
        Value::Bool(_) => return refuse("true/false"),
        Value::Null => return refuse("null"),
    };
    let top = path().is_empty();
    for (key, item) in map {
        let at = || {
            let parent = path();
            if parent.is_empty() {
                key.clone()
            } else {
                format!("{parent}.{key}")
            }
        };
        match (top, key.as_str(), item) {
            (true, "financials", Value::Array(years)) => {
                for (i, year) in years.iter().enumerate() {
                    check_shape(year, &|| format!("financials[{i}]"))?;
                }
            }
            (true, "conversions", Value::Array(_)) => {}
            (_, _, Value::Array(_)) => {
                return Err(InputErrors::one(InputError::new(
                    at(),
                    "expected a single value or an object, not a list",
                )));
            }
            (_, _, Value::Object(_)) => check_shape(item, &at)?,
            _ => {}
        }
    }
    Ok(())
}

fn count(errors: &mut Vec<InputError>, path: &str, value: Option<u32>, max: u32) {
    if let Some(value) = value
        && value > max
    {
        errors.push(InputError::new(
            path,
            format!("{value} is out of range; expected a whole number from 0 to {max}"),
        ));
    }
}

/// serde's messages are written for Rust programmers; say the same in the contract's words.
fn clean_serde_message(message: &str) -> String {
    // jiff's parse errors describe its parser; say what a person typed wrong.
    if message.contains("four digit integer as year")
        || message.contains("parsing date")
        || message.contains("invalid date")
        || message.contains("failed to parse")
    {
        return format!("not a date; expected YYYY-MM-DD, e.g. \"2024-03-01\" ({message})");
    }
    message
        .replace("unknown variant", "unknown value")
        .replace(
            "invalid type: map, expected a sequence",
            "expected a list […], not an object",
        )
        .replace("expected a sequence", "expected a list […]")
        .replace("expected u32", "expected a non-negative whole number")
        .replace("expected i32", "expected a whole number")
        .replace("expected a boolean", "expected true or false")
        .replace("struct Profile", "a profile object")
        .replace("struct FiscalYear", "a fiscal-year object")
}

//! The enterprise profile (企业画像): what the enterprise enters, as in `shared/spec/contract.md`.
//!
//! Every field is optional; a missing one makes the criteria that need it unknown. Unknown fields
//! are refused so that a typo is never silently ignored. [`Profile::from_json`] and
//! [`Profile::from_value`] return every problem with its field path, or a profile that is valid.

use std::fmt;

use jiff::civil::Date;
use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::date;
use crate::error::{InputError, InputErrors, from_json_located};
use crate::fields::{FIELDS, Field, Kind};
use crate::money::{Money, Share};
use crate::object::{self, Object};

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
    #[serde(
        default,
        with = "crate::date::option",
        skip_serializing_if = "Option::is_none"
    )]
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
    #[serde(
        default,
        deserialize_with = "object::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub financials: Vec<FiscalYear>,
    /// Taxable income of the latest fiscal year, for tax estimates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxable_income: Option<Money>,
    /// Intellectual property tied to the main product.
    #[serde(
        default,
        deserialize_with = "object::optional",
        skip_serializing_if = "Option::is_none"
    )]
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
    #[serde(
        default,
        deserialize_with = "object::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub incidents: Option<Incidents>,
    /// Certificates and recognitions already held.
    #[serde(
        default,
        deserialize_with = "object::optional",
        skip_serializing_if = "Option::is_none"
    )]
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
    #[serde(
        default,
        deserialize_with = "object::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub achievements: Option<Achievements>,
    /// Self-scores narrowing the expert-judged HNTE items.
    #[serde(
        default,
        deserialize_with = "object::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub hnte_self_assessment: Option<HnteSelfAssessment>,
    /// For teams not yet registered (Anshan seed stage).
    #[serde(
        default,
        deserialize_with = "object::optional",
        skip_serializing_if = "Option::is_none"
    )]
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

    /// A code known to be valid: a pack's, written into generated code.
    #[cfg(not(any(target_arch = "wasm32", huiqi_interpret)))]
    pub(crate) const fn known(code: u32) -> Region {
        Region(code)
    }

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
        area.codes().contains(&self.0)
    }

    /// The codes that lie within `self`: every code for China, `xx0000..=xx9999` for a
    /// province, `xxxx00..=xxxx99` for a prefecture, itself for a county.
    pub fn codes(self) -> std::ops::RangeInclusive<u32> {
        let size = match self.0 {
            _ if self == Self::CHINA => return 0..=u32::MAX,
            code if code % 10_000 == 0 => 10_000,
            code if code % 100 == 0 => 100,
            _ => 1,
        };
        self.0..=self.0 + (size - 1)
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
        // In a visitor, so that serde_json places a refusal at the code (see `error.rs`).
        struct Code;
        impl Visitor<'_> for Code {
            type Value = Region;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a 6-digit region code in quotes, e.g. \"620102\"")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Region, E> {
                Region::parse(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Code)
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
    #[serde(
        default,
        with = "crate::date::option",
        skip_serializing_if = "Option::is_none"
    )]
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
    #[serde(
        default,
        deserialize_with = "object::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub platforms: Option<ByLevel>,
    /// National engineering/key/joint labs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_labs: Option<u32>,
    /// R&D projects with own IP in pilot, trial or promotion stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pilot_projects: Option<u32>,
    /// New technology turned into standards.
    #[serde(
        default,
        deserialize_with = "object::optional",
        skip_serializing_if = "Option::is_none"
    )]
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
        // Most profiles are valid (a registry's rows, a form's answers): read them straight into
        // the types (natively, plain JSON in one pass of its own), and walk the JSON for the
        // place of the error only when that fails.
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(profile) = crate::plain_json::profile(text) {
            return profile.checked();
        }
        match serde_json::from_str::<Object<Profile>>(text) {
            Ok(Object(profile)) => profile.checked(),
            Err(error) => {
                let value = serde_json::from_str(text).map_err(|e| {
                    InputErrors::one(InputError::new("", format!("not valid JSON: {e}")))
                })?;
                Err(refused(&value, &error))
            }
        }
    }

    /// Parses and validates a profile held as a JSON value (a CSV row, a form's draft).
    pub fn from_value(value: &Value) -> Result<Profile, InputErrors> {
        match Object::<Profile>::deserialize(value) {
            Ok(Object(profile)) => profile.checked(),
            Err(error) => Err(refused(value, &error)),
        }
    }

    /// Where a profile held as a JSON value is refused, as [`Profile::from_value`] and
    /// [`Profile::from_json`] place and word it, for a caller that knows it is refused (a
    /// registry row the plain reader declined as such); `None` where nothing a value holds is
    /// refused (a repeated member in its text may be).
    pub fn refusal(value: &Value) -> Option<InputErrors> {
        first_error(value).map(InputErrors::one)
    }

    fn checked(self) -> Result<Profile, InputErrors> {
        self.check()?;
        Ok(self)
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
                count(
                    &mut errors,
                    format_args!("conversions[{i}]"),
                    Some(n),
                    100_000,
                );
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
                format!(
                    "{} is after the evaluation date {}",
                    date::show(on),
                    date::show(as_of)
                ),
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
                format!(
                    "{} is after the evaluation date {}",
                    date::show(on),
                    date::show(as_of)
                ),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(InputErrors(errors))
        }
    }
}

/// Why serde refused `value`, located by [`first_error`]. Should the walk find nothing (it
/// cannot see a key given twice in the text, which serde refuses), serde's own message stands
/// for the whole profile.
fn refused(value: &Value, error: &serde_json::Error) -> InputErrors {
    InputErrors::one(
        first_error(value)
            .unwrap_or_else(|| InputError::new("", clean_serde_message(&error.to_string()))),
    )
}

/// A fiscal year's `year` is the one field that must be given; any other may be absent or `null`.
const YEAR: &str = "financials[-1].year";
/// The one field entered as a list of values (one count a year; rules read their average).
const LISTED: &str = "conversions";

/// What the contract holds at a path, as the paths of [`FIELDS`] tell.
enum Slot {
    /// A value of the field's kind.
    Value(&'static Field),
    /// A list of values of the field's kind ([`LISTED`]).
    Values(&'static Field),
    /// An object whose fields' paths start with `path.`.
    Object,
    /// A list of objects whose fields' paths start with `path[-1].` (`financials`).
    Objects,
}

/// The slot at path `{schema}{key}`, found without writing the path out: an error walk goes
/// through every key of a profile.
fn slot(schema: &str, key: &str) -> Option<Slot> {
    // The rest of `path` after `{schema}{key}`, where it starts so: lengths first, as most don't.
    let after = |path: &'static str| {
        path.get(schema.len()..)?
            .strip_prefix(key)
            .filter(|_| path.starts_with(schema))
    };
    let len = schema.len() + key.len();
    if let Some(field) = FIELDS
        .iter()
        .find(|f| f.path.len() == len && after(f.path).is_some())
    {
        return Some(if field.path == LISTED {
            Slot::Values(field)
        } else {
            Slot::Value(field)
        });
    }
    FIELDS.iter().find_map(|f| {
        if f.path.len() <= len {
            return None;
        }
        match after(f.path)?.as_bytes().first()? {
            b'.' => Some(Slot::Object),
            b'[' => Some(Slot::Objects),
            _ => None,
        }
    })
}

/// The first place where serde refuses a profile, with its field path: walks the JSON along the
/// contract paths of [`FIELDS`] and reads each value into the type the profile holds it in, so
/// the messages are serde's (in the contract's words). serde accepts what this accepts; the unit
/// tests hold the two together.
fn first_error(value: &Value) -> Option<InputError> {
    match value {
        Value::Object(map) => first_in_fields(map, &mut String::new(), &mut String::new()),
        other => Some(InputError::new(
            "",
            format!("expected a profile object {{…}}, not {}", what(other)),
        )),
    }
}

/// The first error among the fields of the object at `at` (e.g. `financials[2].`), whose
/// contract paths start with `schema` (e.g. `financials[-1].`: every fiscal year has the fields
/// of the latest). Both are buffers that the walk extends on its way down and cuts back after,
/// so that a path is written out only for the error.
fn first_in_fields(
    map: &Map<String, Value>,
    schema: &mut String,
    at: &mut String,
) -> Option<InputError> {
    map.iter().find_map(|(key, item)| {
        // A dotted key is no field, even where its text is a path.
        let slot = slot(schema, key).filter(|_| !key.contains(['.', '[']));
        let is_year = YEAR.len() == schema.len() + key.len()
            && YEAR.starts_with(schema.as_str())
            && YEAR.ends_with(key.as_str());
        // Most of a profile's values are plainly valid.
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(Slot::Value(field)) = &slot
            && !is_year
            && accepted(field, item)
        {
            return None;
        }
        let (schema_len, at_len) = (schema.len(), at.len());
        schema.push_str(key);
        at.push_str(key);
        let found = match (slot, item) {
            (None, _) => Some(InputError::new(
                at.as_str(),
                format!(
                    "unknown field `{key}`, expected one of {}",
                    names(&schema[..schema_len])
                ),
            )),
            (Some(_), Value::Null) if !is_year => None,
            (Some(Slot::Value(field)), item) => read_error(field, item, at),
            (Some(Slot::Object), Value::Object(fields)) => {
                schema.push('.');
                at.push('.');
                first_in_fields(fields, schema, at)
            }
            (Some(Slot::Object), other) => Some(not_object(at, other)),
            (Some(Slot::Values(field)), Value::Array(items)) => {
                items.iter().enumerate().find_map(|(i, item)| {
                    let len = at.len();
                    push_index(at, i);
                    let found = read_error(field, item, at);
                    at.truncate(len);
                    found
                })
            }
            (Some(Slot::Objects), Value::Array(items)) => {
                schema.push_str("[-1].");
                items.iter().enumerate().find_map(|(i, item)| {
                    let len = at.len();
                    push_index(at, i);
                    let found = match item {
                        Value::Object(fields) => {
                            at.push('.');
                            let found = first_in_fields(fields, schema, at);
                            at.truncate(at.len() - 1);
                            found.or_else(|| {
                                let year = YEAR.strip_prefix(schema.as_str())?;
                                (!fields.contains_key(year)).then(|| {
                                    InputError::new(at.as_str(), format!("missing field `{year}`"))
                                })
                            })
                        }
                        other => Some(not_object(at, other)),
                    };
                    at.truncate(len);
                    found
                })
            }
            (Some(Slot::Values(_) | Slot::Objects), other) => Some(InputError::new(
                at.as_str(),
                format!("expected a list […], not {}", what(other)),
            )),
        };
        schema.truncate(schema_len);
        at.truncate(at_len);
        found
    })
}

/// `[i]`, a list item's place in a path.
fn push_index(path: &mut String, i: usize) {
    use std::fmt::Write;
    // ok: writing to a String does not fail.
    let _ = write!(path, "[{i}]");
}

/// Whether `item` is plainly a value of `field`, as [`read_error`] finds: `null`, yes/no for a
/// yes/no, a whole number in range for a count, an amount's text that its parser takes. Anything
/// else is left to [`read_error`], which reads the value's JSON text back (natively only: the npm
/// wasm, where size counts more, takes the one reader).
#[cfg(not(target_arch = "wasm32"))]
fn accepted(field: &Field, item: &Value) -> bool {
    match (field.kind, item) {
        (_, Value::Null) | (Kind::Bool, Value::Bool(_)) => true,
        (Kind::Count, Value::Number(n)) => n.as_u64().is_some_and(|n| u32::try_from(n).is_ok()),
        // Money's and Share's visitors hand a string to these parsers as it is.
        (Kind::Money, Value::String(text)) => Money::parse(text).is_ok(),
        (Kind::Share, Value::String(text)) => Share::parse(text).is_ok(),
        _ => false,
    }
}

/// The error of reading `item` as the profile holds a value of `field`, at `at`.
fn read_error(field: &Field, item: &Value, at: &str) -> Option<InputError> {
    // Read from its JSON text with the reader `from_json` uses: the two agree by construction,
    // and the wasm carries that one reader rather than a second one for `Value`s.
    fn read<T: DeserializeOwned>(text: &str) -> Result<(), String> {
        from_json_located::<T>(text)
            .map(drop)
            .map_err(|e| e.message)
    }
    // (A `Value` always has a JSON text; `to_string`, not `Display`, keeps the pretty printer
    // out of the wasm.)
    let text = serde_json::to_string(item).unwrap_or_default();
    let read = match field.kind {
        Kind::Bool => read::<bool>(&text),
        Kind::Count => read::<u32>(&text),
        Kind::Year => read::<i32>(&text),
        Kind::Money => read::<Money>(&text),
        Kind::Share => read::<Share>(&text),
        Kind::Date => read::<date::Day>(&text),
        Kind::Region => read::<Region>(&text),
        Kind::Choice => {
            let words = quoted(field.choices.iter().copied());
            return match item {
                Value::String(word) if field.choices.contains(&word.as_str()) => None,
                Value::String(word) => {
                    Some(format!("unknown value `{word}`, expected one of {words}"))
                }
                other => Some(format!("expected one of {words}, not {}", what(other))),
            }
            .map(|message| InputError::new(at, message));
        }
    };
    read.err()
        .map(|message| InputError::new(at, clean_serde_message(&message)))
}

/// The names an object at `schema` may hold, in table order.
fn names(schema: &str) -> String {
    let mut names: Vec<&str> = Vec::new();
    for field in FIELDS {
        if let Some(name) = field
            .path
            .strip_prefix(schema)
            .and_then(|rest| rest.split(['.', '[']).next())
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
    quoted(names.into_iter())
}

/// The words in backquotes, separated by commas.
fn quoted<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for word in words {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(word);
        out.push('`');
    }
    out
}

fn not_object(at: &str, item: &Value) -> InputError {
    InputError::new(at, format!("expected an object {{…}}, not {}", what(item)))
}

/// What a JSON value is, in words.
fn what(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "an object",
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "true/false",
        Value::Null => "null",
    }
}

/// `path` is written out only for an error: a valid profile's checks allocate nothing.
fn count(errors: &mut Vec<InputError>, path: impl fmt::Display, value: Option<u32>, max: u32) {
    if let Some(value) = value
        && value > max
    {
        errors.push(InputError::new(
            path.to_string(),
            format!("{value} is out of range; expected a whole number from 0 to {max}"),
        ));
    }
}

/// serde's messages are written for Rust programmers; say the same in the contract's words.
fn clean_serde_message(message: &str) -> String {
    message
        .replace("invalid type: map,", "invalid type: an object,")
        .replace("invalid type: sequence,", "invalid type: a list,")
        .replace("expected u32", "expected a non-negative whole number")
        .replace("expected i32", "expected a whole number")
        .replace("expected a boolean", "expected true or false")
}

#[cfg(test)]
pub(crate) mod tests {
    use rust_decimal::Decimal;

    use super::*;

    /// The slow path alone: the walk, then serde on what the walk accepted, which must not fail.
    fn slow(value: &Value) -> Result<Profile, InputErrors> {
        match first_error(value) {
            Some(error) => Err(InputErrors::one(error)),
            None => match Object::<Profile>::deserialize(value) {
                Ok(Object(profile)) => profile.checked(),
                Err(e) => panic!("the walk accepted what serde refuses ({e}): {value}"),
            },
        }
    }

    /// Every field of the profile given, listed here in full so that a new field fails to
    /// compile until it is added (and so checked against [`FIELDS`]).
    pub(crate) fn every_field() -> Profile {
        Profile {
            region: Some(Region(620_102)),
            registered_on: Some(Date::constant(2020, 1, 1)),
            resident_enterprise: Some(true),
            independent_legal_person: Some(true),
            industry_field: Some(Some(IndustryField::Biomedicine)),
            software_enterprise: Some(true),
            manufacturing: Some(true),
            traditional_industry: Some(true),
            restricted_industry: Some(true),
            super_deduction_excluded: Some(true),
            western_encouraged_share: Some(Share(Decimal::ONE)),
            employees: Some(1),
            tech_staff: Some(1),
            financials: vec![FiscalYear {
                year: 2025,
                sales_revenue: Some(Money(Decimal::ONE)),
                main_product_revenue: Some(Money(Decimal::ONE)),
                total_income: Some(Money(Decimal::ONE)),
                high_tech_income: Some(Money(Decimal::ONE)),
                rd_expense: Some(Money(Decimal::ONE)),
                rd_expense_domestic: Some(Money(Decimal::ONE)),
                total_cost: Some(Money(Decimal::ONE)),
                total_assets: Some(Money(Decimal::ONE)),
                total_liabilities: Some(Money(Decimal::ONE)),
            }],
            taxable_income: Some(Money(Decimal::ONE)),
            ip: Some(Ip {
                class1: Some(1),
                class2: Some(1),
                self_developed: Some(true),
                core_to_main_product: Some(true),
                drafted_standards: Some(true),
            }),
            conversions: Some(vec![1, 2]),
            rd_institution_level: Some(Level::National),
            has_rd_management_system: Some(true),
            national_award_top3_5y: Some(true),
            standards_led_5y: Some(true),
            credit_good: Some(true),
            incidents: Some(Incidents {
                major_accident: Some(true),
                environmental_violation: Some(true),
                research_dishonesty: Some(true),
                abnormal_list: Some(true),
            }),
            certifications: Some(Certifications {
                hnte: Some(HnteCertificate::Valid),
                hnte_certified_on: Some(Date::constant(2020, 1, 1)),
                tech_sme_registered: Some(true),
                provincial_innovation_enterprise: Some(true),
                urumqi_little_giant: Some(true),
                little_giant_cultivation: Some(true),
                innovation_hq: Some(true),
            }),
            relocating_hnte_from_other_province: Some(true),
            out_of_province_hnte_subsidiary: Some(true),
            above_designated_size: Some(true),
            achievements: Some(Achievements {
                rd_institution_recognized: Some(true),
                platforms: Some(ByLevel {
                    national: Some(1),
                    provincial: Some(1),
                    municipal: Some(1),
                }),
                national_labs: Some(1),
                pilot_projects: Some(1),
                standards: Some(StandardCounts {
                    international: Some(1),
                    national: Some(1),
                    industry: Some(1),
                }),
                key_new_products: Some(1),
                tech_transaction_amount: Some(Money(Decimal::ONE)),
                tech_transfer_income: Some(Money(Decimal::ONE)),
            }),
            hnte_self_assessment: Some(HnteSelfAssessment {
                advancement: Some(1),
                core_support: Some(1),
                org_management: Some(1),
            }),
            team: Some(Team {
                registered: Some(true),
                four_new_project: Some(true),
            }),
        }
    }

    /// The JSON of `value` at a dotted `path`, e.g. `certifications.hnte`.
    fn at(path: &str, value: Value) -> Value {
        path.rsplit('.')
            .fold(value, |inner, key| serde_json::json!({ key: inner }))
    }

    #[test]
    fn fast_and_slow_paths_agree() {
        #[derive(Deserialize)]
        struct Case {
            name: String,
            profile: Value,
        }
        let cases: Vec<Case> =
            serde_json::from_str(include_str!("../../tests/cases/bad-profiles.json")).unwrap();
        let mut profiles: Vec<(String, Value)> =
            cases.into_iter().map(|c| (c.name, c.profile)).collect();
        for (name, text) in [
            (
                "example",
                include_str!("../../examples/chengguan-hnte.json"),
            ),
            (
                "npm example",
                include_str!("../../wasm/examples/profile.json"),
            ),
        ] {
            profiles.push((name.into(), serde_json::from_str(text).unwrap()));
        }
        let full = serde_json::to_value(every_field()).unwrap();
        profiles.push(("every field".into(), full.clone()));
        // Valid everywhere but one field: the error must be found there, not elsewhere.
        for key in full.as_object().unwrap().keys() {
            let mut broken = full.clone();
            broken[key] = Value::from("?");
            profiles.push((format!("every field, {key} broken"), broken));
        }
        for (name, value) in &profiles {
            let slow = slow(value);
            assert_eq!(
                Profile::from_json(&value.to_string()),
                slow,
                "{name}: from text"
            );
            assert_eq!(Profile::from_value(value), slow, "{name}: from a value");
            if name.starts_with("every field, ") {
                let key = name.rsplit(' ').nth(1).unwrap();
                assert_eq!(slow.unwrap_err().first_path(), key, "{name}");
            }
        }
        assert_eq!(slow(&full), Ok(every_field()));
    }

    #[test]
    fn regions_lie_within_their_prefecture_province_and_china() {
        let areas = [
            100_000, 620_000, 620_100, 620_102, 410_700, 410_702, 650_100, 659_000,
        ];
        for code in (100_000..999_999).step_by(97).chain(areas) {
            for area in areas {
                let share = |digits: u32| code / digits == area / digits;
                let expected = area == 100_000
                    || code == area
                    || (area % 10_000 == 0 && share(10_000))
                    || (area % 100 == 0 && share(100));
                assert_eq!(
                    Region(code).is_within(Region(area)),
                    expected,
                    "{code} in {area}"
                );
            }
        }
    }

    #[test]
    fn every_choice_is_read() {
        for field in FIELDS.iter().filter(|f| f.kind == Kind::Choice) {
            for &word in field.choices {
                let profile = at(field.path, Value::from(word));
                assert!(
                    Profile::from_value(&profile).is_ok(),
                    "{}: {word}",
                    field.path
                );
            }
        }
    }
}

//! The price list as its file says it (`data/catalog/*.json`, or its compact twin in the
//! browser): lines, feature groups and choices with their declarative rules, and the terms of
//! financing, leasing and delivery. Plain data; `catalog.rs` checks it and `rules.rs` compiles
//! its rules, both from these types.

use crate::i18n::Text;
use crate::money::Cents;
use serde::{Deserialize, Serialize};

/// The configurator's steps, in order; each group belongs to one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Line,
    Exterior,
    Wheels,
    Interior,
    Options,
    Extras,
    Summary,
}

impl Step {
    pub const ALL: [Step; 7] = [
        Step::Line,
        Step::Exterior,
        Step::Wheels,
        Step::Interior,
        Step::Options,
        Step::Extras,
        Step::Summary,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Step::Line => "line",
            Step::Exterior => "exterior",
            Step::Wheels => "wheels",
            Step::Interior => "interior",
            Step::Options => "options",
            Step::Extras => "extras",
            Step::Summary => "summary",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

/// A stored step read back.
impl TryFrom<String> for Step {
    type Error = String;

    fn try_from(slug: String) -> Result<Step, String> {
        Step::from_slug(&slug).ok_or_else(|| format!("unknown configurator step {slug:?}"))
    }
}

/// `single`: exactly one choice (paint). `multi`: each choice on or off (options).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    Single,
    Multi,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub label: Text,
    pub value: Text,
}

/// What the car looks like with this choice (for the drawn picture).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Look {
    /// A CSS colour such as "#b3001b".
    #[serde(default)]
    pub colour: Option<String>,
    /// A second colour (accents, a chequered roof, two-tone rims).
    #[serde(default)]
    pub accent: Option<String>,
    /// A design name the picture knows ("aero", "prism", "brabus", ...).
    #[serde(default)]
    pub design: Option<String>,
}

/// What the Pkw-EnVKV requires beside every price of a new car: the combined WLTP electricity
/// consumption. An electric car emits 0 g CO2/km, which is CO2 class A.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Energy {
    /// kWh per 100 km, in tenths (168 = 16.8 kWh/100 km).
    pub consumption_kwh_100km_tenths: u32,
    /// True where the figure is not a verified fact (CATALOG_FACTS.md).
    #[serde(default)]
    pub sample: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub code: String,
    pub name: Text,
    #[serde(default)]
    pub description: Text,
    /// Gross list price incl. VAT, in cents.
    pub price: Cents,
    /// On a line: its consumption label (see [`Energy`]).
    #[serde(default)]
    pub energy: Option<Energy>,
    /// True where the entry is not a verified fact (CATALOG_FACTS.md): a business user replaces it.
    #[serde(default)]
    pub sample: bool,
    /// Only on these lines (line codes); empty: on every line.
    #[serde(default)]
    pub available_on: Vec<String>,
    /// Each inner list: at least one of these codes must be chosen too.
    #[serde(default)]
    pub requires: Vec<Vec<String>>,
    /// None of these may be chosen together with this one.
    #[serde(default)]
    pub excludes: Vec<String>,
    /// Chosen with this one and not charged again (pack contents, a line's fixed look).
    #[serde(default)]
    pub includes: Vec<String>,
    /// Weeks this choice adds to the delivery time (built to order).
    #[serde(default)]
    pub extra_weeks: u32,
    #[serde(default)]
    pub specs: Vec<Spec>,
    #[serde(default)]
    pub look: Look,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub code: String,
    pub name: Text,
    pub step: Step,
    pub kind: GroupKind,
    /// Preferred choices in order; the first one possible completes the car.
    #[serde(default)]
    pub defaults: Vec<String>,
    pub choices: Vec<Choice>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinancingTerms {
    /// Nominal annual interest rate in basis points (499 = 4.99 %).
    pub nominal_rate_bp: u32,
    pub min_term_months: u32,
    pub max_term_months: u32,
    pub default_term_months: u32,
    pub default_down_payment: Cents,
    /// The largest final instalment (balloon) as a share of the price, in basis points;
    /// 0 offers no balloon financing.
    #[serde(default)]
    pub max_balloon_bp: u32,
    #[serde(default)]
    pub sample: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeasingTerms {
    pub terms_months: Vec<u32>,
    pub yearly_km: Vec<u32>,
    /// Monthly rate as basis points of the gross price: `factors_bp[term][mileage]`.
    pub factors_bp: Vec<Vec<u32>>,
    pub default_term_months: u32,
    pub default_yearly_km: u32,
    pub default_down_payment: Cents,
    #[serde(default)]
    pub sample: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryTerms {
    /// A stock-like car.
    pub base_weeks: u32,
    /// Built to order, at most.
    pub max_weeks: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    pub price_list_version: String,
    /// A small number naming the version inside configuration codes.
    pub price_list_id: u16,
    pub valid_from: String,
    pub model: Text,
    /// VAT in basis points (1900 = 19 %).
    pub vat_rate_bp: u32,
    pub seller: String,
    pub groups: Vec<Group>,
    pub financing: FinancingTerms,
    pub leasing: LeasingTerms,
    pub delivery: DeliveryTerms,
}

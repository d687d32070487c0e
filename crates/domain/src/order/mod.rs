//! The agency-model order, defined once for the app and the server: what the customer sends
//! ([`OrderRequest`]), every check of its fields ([`Invalid`] names the field and the problem, so
//! the app words it in the customer's language), the status model ([`OrderStatus`]) and the
//! order as it is stored and shown ([`OrderRecord`], [`OrderView`]).
//!
//! The checks that need the catalog or the agency network (price, configuration, financing,
//! location) are the server's; everything a form can check on its own is here, and the app runs
//! the same functions before it sends.

use crate::hygiene::{
    clean_optional, clean_text, limits, normalise_email, parse_date, TextProblem,
};
use crate::i18n::Text;
use crate::money::Cents;
use crate::pricing::{Financing, Leasing, PriceBreakdown};
use serde::{Deserialize, Serialize};
use std::fmt;

mod accept;
mod events;
mod status_change;

pub use accept::{accept, Accepted, Origin, Refused};
pub use events::{OrderEvent, StatusChanged, Topic};
pub use status_change::{change_status, ChangeRefused, Mover, StatusMove};

/// The version of the terms a customer accepts: the one the terms page shows
/// (`data/legal/legal.json`).
pub fn terms_version() -> &'static str {
    crate::legal::Legal::embedded().terms_version()
}

/// A desired delivery date may be at most this many days ahead.
pub const LATEST_DELIVERY_DAYS: i64 = 2 * 366;
/// A staff note on a status change, at most.
pub const NOTE_MAX: usize = 500;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    #[default]
    Private,
    Business,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    pub kind: CustomerKind,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub vat_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
}

/// How the customer pays, as requested.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Payment {
    Cash,
    Financing {
        term_months: u32,
        down_payment: Cents,
        /// The final instalment of a balloon financing; none for a plain loan.
        #[serde(default)]
        balloon: Cents,
    },
    Leasing {
        term_months: u32,
        yearly_km: u32,
        down_payment: Cents,
    },
}

pub use crate::channel::Channel;

/// `POST /api/orders`: the car (as a configuration code), the price the customer accepted, who
/// orders, where and how they pay, and their consents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderRequest {
    pub code: String,
    pub price_list_version: String,
    /// The gross total the customer saw and accepted.
    pub expected_total: Cents,
    pub customer: Customer,
    pub location_id: String,
    pub payment: Payment,
    /// "YYYY-MM-DD", not before the earliest delivery.
    #[serde(default)]
    pub desired_delivery: Option<String>,
    pub terms_version: String,
    pub withdrawal_notice_shown: bool,
    /// The privacy notice was shown with the order (Art. 13 GDPR). Processing for the contract
    /// needs no consent (Art. 6 (1) b), so an order never depends on it.
    #[serde(default)]
    pub privacy_accepted: bool,
    #[serde(default)]
    pub marketing_consent: bool,
    /// The language the customer ordered in: the confirmation mail is written in it.
    #[serde(default)]
    pub language: crate::Lang,
}

/// The fields a refusal can name (`customer.postcode` on the wire).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub enum Field {
    #[serde(rename = "customer.company")]
    Company,
    #[serde(rename = "customer.vat_id")]
    VatId,
    #[serde(rename = "customer.first_name")]
    FirstName,
    #[serde(rename = "customer.last_name")]
    LastName,
    #[serde(rename = "customer.email")]
    Email,
    #[serde(rename = "customer.phone")]
    Phone,
    #[serde(rename = "customer.street")]
    Street,
    #[serde(rename = "customer.postcode")]
    Postcode,
    #[serde(rename = "customer.city")]
    City,
    #[serde(rename = "staff")]
    Staff,
    #[serde(rename = "desired_delivery")]
    DesiredDelivery,
    #[serde(rename = "terms_version")]
    Terms,
    #[serde(rename = "privacy_accepted")]
    Privacy,
    #[serde(rename = "withdrawal_notice_shown")]
    Withdrawal,
    #[serde(rename = "code")]
    Code,
    #[serde(rename = "price_list_version")]
    PriceList,
    #[serde(rename = "location_id")]
    Location,
    #[serde(rename = "payment")]
    Payment,
    #[serde(rename = "note")]
    Note,
    #[serde(rename = "to")]
    Status,
    #[serde(rename = "reason")]
    Reason,
    /// A test drive's line.
    #[serde(rename = "line")]
    Line,
    /// A test drive's slot.
    #[serde(rename = "starts_at")]
    Slot,
    /// A test drive needs a valid driving licence, confirmed.
    #[serde(rename = "licence_confirmed")]
    Licence,
}

/// Read by its name (see [`crate::serde_name::find`]).
impl TryFrom<String> for Field {
    type Error = String;

    fn try_from(name: String) -> Result<Field, String> {
        crate::serde_name::find(&Field::ALL, &name).ok_or_else(|| format!("unknown field {name:?}"))
    }
}

impl Field {
    pub const ALL: [Field; 24] = [
        Field::Company,
        Field::VatId,
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Phone,
        Field::Street,
        Field::Postcode,
        Field::City,
        Field::Staff,
        Field::DesiredDelivery,
        Field::Terms,
        Field::Privacy,
        Field::Withdrawal,
        Field::Code,
        Field::PriceList,
        Field::Location,
        Field::Payment,
        Field::Note,
        Field::Status,
        Field::Reason,
        Field::Line,
        Field::Slot,
        Field::Licence,
    ];

    /// Its name in English, for the server's `message`.
    fn english(self) -> &'static str {
        match self {
            Field::Company => "Company",
            Field::VatId => "VAT ID",
            Field::FirstName => "First name",
            Field::LastName => "Last name",
            Field::Email => "E-mail address",
            Field::Phone => "Phone",
            Field::Street => "Street",
            Field::Postcode => "Postcode",
            Field::City => "Town",
            Field::Staff => "Staff member",
            Field::DesiredDelivery => "Desired delivery date",
            Field::Terms => "Terms",
            Field::Privacy => "Privacy notice",
            Field::Withdrawal => "Withdrawal notice",
            Field::Code => "Configuration",
            Field::PriceList => "Price list",
            Field::Location => "Agency location",
            Field::Payment => "Payment",
            Field::Note => "Note",
            Field::Status => "Status",
            Field::Reason => "Cancellation reason",
            Field::Line => "Line",
            Field::Slot => "Slot",
            Field::Licence => "Driving licence",
        }
    }
}

/// Why a field is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// Empty, or only invisible characters.
    Required,
    TooLong,
    /// Control characters, line breaks or text-direction overrides.
    Characters,
    /// Not written the way this field is written (postcode, VAT ID, e-mail, phone, date).
    Format,
    /// A date before the earliest delivery.
    TooEarly,
    /// A date too far ahead.
    TooLate,
    /// A consent or notice the order needs is missing.
    NotAccepted,
    /// Not one the server knows or offers (a location, a price list, a terms version).
    Unknown,
    /// The configuration cannot be built as it is.
    NotBuildable,
    /// Financing or leasing parameters outside what is offered.
    OutOfRange,
    /// A status the order cannot move to from where it is.
    NotAllowed,
}

impl Problem {
    pub const ALL: [Problem; 11] = [
        Problem::Required,
        Problem::TooLong,
        Problem::Characters,
        Problem::Format,
        Problem::TooEarly,
        Problem::TooLate,
        Problem::NotAccepted,
        Problem::Unknown,
        Problem::NotBuildable,
        Problem::OutOfRange,
        Problem::NotAllowed,
    ];
}

/// A refused field: the server answers it as 422 `{error: "invalid", field, problem, message}`,
/// the app shows its own sentence for the pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invalid {
    pub field: Field,
    pub problem: Problem,
}

impl Invalid {
    pub fn new(field: Field, problem: Problem) -> Invalid {
        Invalid { field, problem }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.field.english();
        match (self.field, self.problem) {
            (Field::Postcode, Problem::Format) => write!(f, "A German postcode has 5 digits."),
            (Field::VatId, _) => write!(f, "A German VAT ID is DE followed by 9 digits."),
            (Field::Email, Problem::Format) => write!(f, "Please enter a valid e-mail address."),
            (Field::Phone, Problem::Format) => write!(
                f,
                "Please enter a phone number: at least 6 digits, and only digits, spaces and + - / ( )."
            ),
            (Field::DesiredDelivery, Problem::Format) => write!(
                f,
                "The desired delivery date is written YYYY-MM-DD, e.g. 2030-01-31."
            ),
            (Field::DesiredDelivery, Problem::TooEarly) => write!(
                f,
                "The desired delivery date cannot be before the earliest estimate."
            ),
            (Field::DesiredDelivery, Problem::TooLate) => write!(
                f,
                "The desired delivery date can be at most two years from today."
            ),
            (Field::Terms, _) => write!(f, "Please accept the current terms (version {}).", terms_version()),
            (Field::Privacy, _) => write!(f, "Please confirm that you have read the privacy notice."),
            (Field::Withdrawal, _) => write!(f, "Consumers must be shown the withdrawal notice."),
            (Field::Staff, Problem::Required) => {
                write!(f, "An order in a store names the serving staff member.")
            }
            (Field::Company, Problem::Required) => {
                write!(f, "Business customers need a company name.")
            }
            (Field::PriceList, _) => write!(
                f,
                "This price list is not offered any more; please check the car at today's prices."
            ),
            (Field::Code, _) => write!(f, "The configuration cannot be built as it is."),
            (Field::Location, _) => write!(f, "There is no agency location with this id."),
            (Field::Payment, _) => write!(
                f,
                "The financing or leasing terms are outside what is offered."
            ),
            (Field::Status, _) => write!(f, "The order cannot move to this status from where it is."),
            (
                Field::FirstName | Field::LastName | Field::Company | Field::Street | Field::City,
                Problem::Format,
            ) => write!(f, "{name} must not be a web or e-mail address."),
            (_, Problem::Required) => write!(f, "{name} is needed."),
            (_, Problem::TooLong) => write!(f, "{name} is too long."),
            (_, Problem::Characters) => write!(
                f,
                "{name} must not contain control characters, line breaks or text-direction overrides."
            ),
            (_, _) => write!(f, "{name} is not valid."),
        }
    }
}

impl std::error::Error for Invalid {}

/// A required text field, cleaned as it is stored (`hygiene::clean_text`).
pub fn check_text(field: Field, value: &str, max: usize) -> Result<String, Invalid> {
    clean_text(value, max).map_err(|p| Invalid::new(field, text_problem(p)))
}

/// A text about the customer that the confirmation mail repeats (name, company, street, town):
/// as [`check_text`], and not a web or mail address, which a mail program would show as a link
/// in a mail from the shop's own address.
pub fn check_own_text(field: Field, value: &str, max: usize) -> Result<String, Invalid> {
    let text = check_text(field, value, max)?;
    let person = matches!(field, Field::FirstName | Field::LastName);
    if crate::hygiene::looks_like_link(&text, person) {
        return Err(Invalid::new(field, Problem::Format));
    }
    Ok(text)
}

/// An optional text field: `None` when blank.
pub fn check_optional(
    field: Field,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, Invalid> {
    clean_optional(value, max).map_err(|p| Invalid::new(field, text_problem(p)))
}

fn text_problem(p: TextProblem) -> Problem {
    match p {
        TextProblem::Empty => Problem::Required,
        TextProblem::TooLong { .. } => Problem::TooLong,
        TextProblem::Control | TextProblem::Bidi => Problem::Characters,
    }
}

/// A German postcode: five digits.
pub fn check_postcode(value: &str) -> Result<String, Invalid> {
    let p = value.trim();
    if p.is_empty() {
        return Err(Invalid::new(Field::Postcode, Problem::Required));
    }
    if p.len() == 5 && p.bytes().all(|b| b.is_ascii_digit()) {
        Ok(p.to_string())
    } else {
        Err(Invalid::new(Field::Postcode, Problem::Format))
    }
}

/// A German VAT ID: "DE" and nine digits (spaces allowed in between); stored without spaces.
pub fn check_vat_id(value: &str) -> Result<String, Invalid> {
    let id: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if id.is_empty() {
        return Err(Invalid::new(Field::VatId, Problem::Required));
    }
    if id.len() == 11 && id.starts_with("DE") && id[2..].bytes().all(|b| b.is_ascii_digit()) {
        Ok(id)
    } else {
        Err(Invalid::new(Field::VatId, Problem::Format))
    }
}

/// A phone number: at least 6 digits, and only what phone numbers are written with.
pub fn check_phone(value: &str) -> Result<String, Invalid> {
    let p = check_text(Field::Phone, value, limits::PHONE)?;
    let digits = p.chars().filter(char::is_ascii_digit).count();
    let allowed = p
        .chars()
        .all(|c| c.is_ascii_digit() || " +-/()".contains(c));
    if digits >= 6 && allowed {
        Ok(p)
    } else {
        Err(Invalid::new(Field::Phone, Problem::Format))
    }
}

/// The order's e-mail address: as written (trimmed), if it is one.
pub fn check_email(value: &str) -> Result<String, Invalid> {
    let email = check_text(Field::Email, value, limits::EMAIL)?;
    if normalise_email(&email).is_some() {
        Ok(email)
    } else {
        Err(Invalid::new(Field::Email, Problem::Format))
    }
}

impl Customer {
    /// The customer as stored: every text NFC, trimmed and checked, or the first problem.
    pub fn cleaned(&self) -> Result<Customer, Invalid> {
        let business = self.kind == CustomerKind::Business;
        let optional = |field| if business { self.problem(field) } else { None };
        if let Some(problem) = optional(Field::Company).or(optional(Field::VatId)) {
            return Err(problem);
        }
        Ok(Customer {
            kind: self.kind,
            company: business
                .then(|| {
                    self.company
                        .as_deref()
                        .map(|c| check_own_text(Field::Company, c, limits::COMPANY))
                })
                .flatten()
                .transpose()?,
            vat_id: business
                .then(|| self.vat_id.as_deref().map(check_vat_id))
                .flatten()
                .transpose()?,
            first_name: check_own_text(Field::FirstName, &self.first_name, limits::NAME)?,
            last_name: check_own_text(Field::LastName, &self.last_name, limits::NAME)?,
            email: check_email(&self.email)?,
            phone: check_phone(&self.phone)?,
            street: check_own_text(Field::Street, &self.street, limits::STREET)?,
            postcode: check_postcode(&self.postcode)?,
            city: check_own_text(Field::City, &self.city, limits::CITY)?,
        })
    }

    /// What is wrong with one field, as [`Customer::cleaned`] would refuse it (the form shows
    /// each field's own problem beneath it). Company and VAT ID count for business customers.
    pub fn problem(&self, field: Field) -> Option<Invalid> {
        let optional = |v: &Option<String>| v.as_deref().unwrap_or_default().to_string();
        let business = self.kind == CustomerKind::Business;
        match field {
            Field::Company if business => {
                check_own_text(field, &optional(&self.company), limits::COMPANY).err()
            }
            Field::VatId if business => check_vat_id(&optional(&self.vat_id)).err(),
            Field::FirstName => check_own_text(field, &self.first_name, limits::NAME).err(),
            Field::LastName => check_own_text(field, &self.last_name, limits::NAME).err(),
            Field::Email => check_email(&self.email).err(),
            Field::Phone => check_phone(&self.phone).err(),
            Field::Street => check_own_text(field, &self.street, limits::STREET).err(),
            Field::Postcode => check_postcode(&self.postcode).err(),
            Field::City => check_own_text(field, &self.city, limits::CITY).err(),
            _ => None,
        }
    }
}

impl OrderRequest {
    /// The terms, notices and consents the order needs. (Channel and advisor are not the
    /// browser's to say: the server takes them from the screen's store-mode token.)
    pub fn check_consents(&self) -> Result<(), Invalid> {
        if self.terms_version != terms_version() {
            return Err(Invalid::new(Field::Terms, Problem::NotAccepted));
        }
        if self.customer.kind == CustomerKind::Private && !self.withdrawal_notice_shown {
            return Err(Invalid::new(Field::Withdrawal, Problem::NotAccepted));
        }
        Ok(())
    }
}

/// A desired delivery date ("YYYY-MM-DD"), if any: not before `earliest` and at most
/// [`LATEST_DELIVERY_DAYS`] after `today` (both days since 1970-01-01).
pub fn check_desired_delivery(
    desired: Option<&str>,
    today: i64,
    earliest: i64,
) -> Result<Option<i64>, Invalid> {
    let Some(text) = desired.filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    let day = parse_date(text).ok_or(Invalid::new(Field::DesiredDelivery, Problem::Format))?;
    if day < earliest {
        return Err(Invalid::new(Field::DesiredDelivery, Problem::TooEarly));
    }
    if day > today + LATEST_DELIVERY_DAYS {
        return Err(Invalid::new(Field::DesiredDelivery, Problem::TooLate));
    }
    Ok(Some(day))
}

/// Where an order is, in order; `Cancelled` can follow any status before `HandedOver`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Received,
    Confirmed,
    AssignedToAgent,
    InProduction,
    ReadyForHandover,
    HandedOver,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 7] = [
        OrderStatus::Received,
        OrderStatus::Confirmed,
        OrderStatus::AssignedToAgent,
        OrderStatus::InProduction,
        OrderStatus::ReadyForHandover,
        OrderStatus::HandedOver,
        OrderStatus::Cancelled,
    ];

    /// The name stored in the database and sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Received => "received",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::AssignedToAgent => "assigned_to_agent",
            OrderStatus::InProduction => "in_production",
            OrderStatus::ReadyForHandover => "ready_for_handover",
            OrderStatus::HandedOver => "handed_over",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(name: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The statuses an order may move to: the next one along the model, and `Cancelled` until
    /// the car is handed over.
    pub fn next(self) -> Vec<OrderStatus> {
        use OrderStatus::*;
        let following = match self {
            Received => Confirmed,
            Confirmed => AssignedToAgent,
            AssignedToAgent => InProduction,
            InProduction => ReadyForHandover,
            ReadyForHandover => HandedOver,
            HandedOver | Cancelled => return Vec::new(),
        };
        vec![following, Cancelled]
    }

    pub fn can_become(self, to: OrderStatus) -> bool {
        self.next().contains(&to)
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The agent (partner dealer location) an order is credited to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agent {
    pub partner_id: String,
    pub partner: String,
    pub location_id: String,
    pub location: String,
    /// "Street 1, 12345 Town".
    pub address: String,
    pub phone: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChosenItem {
    pub code: String,
    pub name: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderedCar {
    /// The configuration code the order was placed with.
    pub code: String,
    pub choices: Vec<ChosenItem>,
}

/// The payment as accepted, with the computed rates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum PaymentTerms {
    Cash,
    Financing { financing: Financing },
    Leasing { leasing: Leasing },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub estimated_weeks: u32,
    /// Days since 1970-01-01 of the earliest delivery when the order was placed.
    pub earliest_date_days: i64,
    /// "YYYY-MM-DD", as the customer asked.
    pub desired: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consents {
    pub privacy: bool,
    pub marketing: bool,
}

/// The complete order as it was accepted: the contract's content, stored as it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderRecord {
    /// The contract partner: the manufacturer's sales company.
    pub seller: String,
    pub customer: Customer,
    pub agent: Agent,
    pub channel: Channel,
    pub staff: Option<String>,
    pub configuration: OrderedCar,
    pub price_list_version: String,
    pub price: PriceBreakdown,
    pub payment: PaymentTerms,
    pub delivery: Delivery,
    pub terms_version: String,
    pub withdrawal_notice_shown: bool,
    pub consents: Consents,
    /// The customer's language (orders stored before it was kept read as German).
    #[serde(default)]
    pub language: crate::Lang,
}

/// A day since 1970-01-01 as people write it: "31.01.2030" in German, "2030-01-31" in English.
pub fn day_text(days: i64, lang: crate::Lang) -> String {
    let (y, m, d) = crate::hygiene::civil_from_days(days);
    match lang {
        crate::Lang::De => format!("{d:02}.{m:02}.{y}"),
        crate::Lang::En => format!("{y}-{m:02}-{d:02}"),
    }
}

/// A rate in basis points as a percentage: "4,99 %" / "4.99 %".
pub fn percent_text(bp: u32, lang: crate::Lang) -> String {
    let text = format!("{}.{:02} %", bp / 100, bp % 100);
    match lang {
        crate::Lang::De => text.replace('.', ","),
        crate::Lang::En => text,
    }
}

impl OrderRecord {
    /// Every term the customer agreed, as (label, value) lines in `lang` ([`Terms::lines`]).
    /// The confirmation mail, the order page and the staff desk all show these lines, so none
    /// can leave a term out.
    pub fn terms(&self, lang: crate::Lang) -> Vec<(&'static str, String)> {
        Terms {
            price: &self.price,
            payment: &self.payment,
            delivery: &self.delivery,
            customer: &self.customer,
            staff: self.staff.as_deref(),
        }
        .lines(lang)
    }
}

/// What a customer agrees to in an order: shown on the checkout's review from the values it
/// sends, and from the stored order everywhere after (mail, order page, staff desk).
pub struct Terms<'a> {
    pub price: &'a PriceBreakdown,
    pub payment: &'a PaymentTerms,
    pub delivery: &'a Delivery,
    pub customer: &'a Customer,
    /// The store's advisor.
    pub staff: Option<&'a str>,
}

impl Terms<'_> {
    /// The terms as (label, value) lines in `lang`: the total, the payment with all its figures
    /// (down payment, term, rate, final instalment, interest, total; km a year for leasing),
    /// the delivery estimate and the desired date, the customer kind with company and VAT ID,
    /// and the store's advisor.
    pub fn lines(&self, lang: crate::Lang) -> Vec<(&'static str, String)> {
        let de = lang == crate::Lang::De;
        let w = |de_text: &'static str, en_text: &'static str| if de { de_text } else { en_text };
        let money = |c: Cents| c.format(lang);
        let mut lines = vec![
            (
                w("Gesamtpreis (inkl. MwSt.)", "Total price (incl. VAT)"),
                money(self.price.gross),
            ),
            (w("darin MwSt.", "of which VAT"), money(self.price.vat)),
        ];
        lines.extend(payment_lines(self.payment, lang));
        lines.push((
            w("Lieferung (geschätzt)", "Delivery (estimate)"),
            format!(
                "{} {} {}, {} {}",
                w("ca.", "about"),
                self.delivery.estimated_weeks,
                w("Wochen", "weeks"),
                w("frühestens", "at the earliest"),
                day_text(self.delivery.earliest_date_days, lang)
            ),
        ));
        if let Some(day) = self
            .delivery
            .desired
            .as_deref()
            .and_then(crate::hygiene::parse_date)
        {
            lines.push((w("Wunschtermin", "Desired date"), day_text(day, lang)));
        }
        let kind = match self.customer.kind {
            CustomerKind::Private => w("Privatkunde", "Private customer"),
            CustomerKind::Business => w("Geschäftskunde", "Business customer"),
        };
        lines.push((w("Kunde", "Customer"), kind.into()));
        // A business's company and VAT ID; a private customer has none (the checkout's form
        // keeps the fields empty while they are hidden).
        let business = self.customer.kind == CustomerKind::Business;
        let given = |v: &Option<String>| v.clone().filter(|v| business && !v.trim().is_empty());
        if let Some(company) = given(&self.customer.company) {
            lines.push((w("Firma", "Company"), company));
        }
        if let Some(vat_id) = given(&self.customer.vat_id) {
            lines.push((w("USt-IdNr.", "VAT ID"), vat_id));
        }
        if let Some(advisor) = self.staff {
            lines.push((
                w(
                    "Beraten im smart Store von",
                    "Advised in the smart Store by",
                ),
                advisor.to_string(),
            ));
        }
        lines
    }
}

/// The payment's lines of [`Terms::lines`]: the method and every figure of a financing or a
/// lease.
fn payment_lines(payment: &PaymentTerms, lang: crate::Lang) -> Vec<(&'static str, String)> {
    let de = lang == crate::Lang::De;
    let w = |de_text: &'static str, en_text: &'static str| if de { de_text } else { en_text };
    let money = |c: Cents| c.format(lang);
    let months = |n: u32| format!("{n} {}", w("Monate", "months"));
    let mut lines = Vec::new();
    match payment {
        PaymentTerms::Cash => lines.push((
            w("Zahlung", "Payment"),
            w("Barkauf", "Cash purchase").into(),
        )),
        PaymentTerms::Financing { financing: f } => {
            lines.push((
                w("Zahlung", "Payment"),
                w("Finanzierung", "Financing").into(),
            ));
            lines.push((w("Anzahlung", "Down payment"), money(f.down_payment)));
            lines.push((w("Laufzeit", "Term"), months(f.term_months)));
            lines.push((w("Monatliche Rate", "Monthly rate"), money(f.monthly_rate)));
            if f.balloon.0 > 0 {
                lines.push((w("Schlussrate", "Final instalment"), money(f.balloon)));
            }
            lines.push((
                w("Sollzins (gebunden)", "Nominal interest rate (fixed)"),
                percent_text(f.nominal_rate_bp, lang),
            ));
            lines.push((
                w("Effektiver Jahreszins", "Effective annual rate"),
                percent_text(f.effective_rate_bp, lang),
            ));
            lines.push((
                w("Nettodarlehensbetrag", "Amount financed"),
                money(f.principal),
            ));
            lines.push((
                w("Gesamtbetrag", "Total amount payable"),
                money(f.total_amount),
            ));
        }
        PaymentTerms::Leasing { leasing: l } => {
            lines.push((w("Zahlung", "Payment"), w("Leasing", "Leasing").into()));
            lines.push((
                w("Leasing-Sonderzahlung", "Down payment"),
                money(l.down_payment),
            ));
            lines.push((w("Laufzeit", "Term"), months(l.term_months)));
            lines.push((
                w("Fahrleistung pro Jahr", "Mileage per year"),
                format!(
                    "{} km",
                    crate::money::group_thousands(u64::from(l.yearly_km), lang)
                ),
            ));
            lines.push((w("Monatliche Rate", "Monthly rate"), money(l.monthly_rate)));
            lines.push((
                w("Gesamtbetrag", "Total amount payable"),
                money(l.total_amount),
            ));
        }
    }
    lines
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusEntry {
    pub status: OrderStatus,
    /// Unix seconds.
    pub at: i64,
    /// The staff's note (who and why): for staff only, empty in the customer's view.
    pub note: String,
    /// Why an order was cancelled, in words for the customer: shown to them and mailed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// An order as its owner sees it (`GET /api/orders/{id}`, and the answer to placing it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderView {
    pub id: String,
    /// "S1-7KQ9-M3XF".
    pub number: String,
    pub status: OrderStatus,
    /// Unix seconds.
    pub created_at: i64,
    pub order: OrderRecord,
    pub history: Vec<StatusEntry>,
}

/// An order as the agent's staff see it: with the statuses it may move to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffOrderView {
    #[serde(flatten)]
    pub view: OrderView,
    pub next: Vec<OrderStatus>,
}

/// `POST /api/agent/orders/{id}/status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    /// The status the staff member saw: if it changed meanwhile, nothing happens (409).
    pub from: OrderStatus,
    pub to: OrderStatus,
    #[serde(default)]
    pub note: Option<String>,
    /// Required to cancel: why, in words for the customer (it is mailed to them and sent with
    /// the webhook). At most [`NOTE_MAX`] characters.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The answer to a refused order whose price changed (409 `price_changed`): today's price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CurrentPrice {
    pub price: PriceBreakdown,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer() -> Customer {
        Customer {
            kind: CustomerKind::Private,
            company: None,
            vat_id: None,
            first_name: " Erika ".into(),
            last_name: "Mustermann".into(),
            email: "Erika@Example.de ".into(),
            phone: "+49 30 1234567".into(),
            street: "Hauptstraße 1".into(),
            postcode: "10115".into(),
            city: "Berlin".into(),
        }
    }

    #[test]
    fn the_terms_name_company_and_vat_id_for_a_business_only() {
        let price = PriceBreakdown {
            price_list_version: "X".into(),
            items: vec![],
            gross: Cents(100),
            net: Cents(84),
            vat: Cents(16),
            vat_rate_bp: 1900,
        };
        let delivery = Delivery {
            estimated_weeks: 12,
            earliest_date_days: 20_000,
            desired: None,
        };
        let mut who = customer();
        who.company = Some(String::new());
        who.vat_id = Some(String::new());
        let lines = |who: &Customer| {
            Terms {
                price: &price,
                payment: &PaymentTerms::Cash,
                delivery: &delivery,
                customer: who,
                staff: None,
            }
            .lines(crate::Lang::En)
            .into_iter()
            .map(|(label, _)| label)
            .collect::<Vec<_>>()
        };
        assert!(!lines(&who)
            .iter()
            .any(|l| *l == "Company" || *l == "VAT ID"));
        who.kind = CustomerKind::Business;
        who.company = Some("ACME GmbH".into());
        who.vat_id = Some("DE123456789".into());
        assert!(lines(&who).contains(&"Company") && lines(&who).contains(&"VAT ID"));
    }

    #[test]
    fn a_customer_is_cleaned_as_stored() {
        let c = customer().cleaned().unwrap();
        assert_eq!(c.first_name, "Erika");
        assert_eq!(c.email, "Erika@Example.de");
    }

    #[test]
    fn each_customer_field_names_itself_when_refused() {
        type Spoil = fn(&mut Customer);
        let cases: [(Spoil, Invalid); 11] = [
            (
                |c| c.first_name = " ".into(),
                Invalid::new(Field::FirstName, Problem::Required),
            ),
            // Issue 34: text the confirmation mail repeats must not be a link.
            (
                |c| c.first_name = "Visit https://evil.example/1".into(),
                Invalid::new(Field::FirstName, Problem::Format),
            ),
            (
                |c| c.last_name = "evil.example".into(),
                Invalid::new(Field::LastName, Problem::Format),
            ),
            (
                |c| c.city = "www.evil.example".into(),
                Invalid::new(Field::City, Problem::Format),
            ),
            (
                |c| c.last_name = "a\u{202E}b".into(),
                Invalid::new(Field::LastName, Problem::Characters),
            ),
            (
                |c| c.email = "no-at-sign".into(),
                Invalid::new(Field::Email, Problem::Format),
            ),
            (
                |c| c.phone = "12345".into(),
                Invalid::new(Field::Phone, Problem::Format),
            ),
            (
                |c| c.postcode = "1011".into(),
                Invalid::new(Field::Postcode, Problem::Format),
            ),
            (
                |c| c.city = "x".repeat(101),
                Invalid::new(Field::City, Problem::TooLong),
            ),
            (
                |c| {
                    c.kind = CustomerKind::Business;
                    c.company = Some("ACME GmbH".into());
                },
                Invalid::new(Field::VatId, Problem::Required),
            ),
            (
                |c| {
                    c.kind = CustomerKind::Business;
                    c.company = Some("ACME GmbH".into());
                    c.vat_id = Some("AT123456789".into());
                },
                Invalid::new(Field::VatId, Problem::Format),
            ),
        ];
        for (spoil, expected) in cases {
            let mut c = customer();
            spoil(&mut c);
            assert_eq!(c.cleaned(), Err(expected));
        }
    }

    #[test]
    fn a_field_problem_is_the_refusal_of_the_whole_customer() {
        let mut c = customer();
        c.postcode = "123".into();
        c.city = String::new();
        assert_eq!(
            c.problem(Field::Postcode),
            Some(Invalid::new(Field::Postcode, Problem::Format))
        );
        assert_eq!(
            c.problem(Field::City),
            Some(Invalid::new(Field::City, Problem::Required))
        );
        assert_eq!(c.problem(Field::FirstName), None);
        assert!(matches!(c.cleaned(), Err(i) if c.problem(i.field) == Some(i)));
        // A private customer's company and VAT ID are not asked for, and not stored.
        c = customer();
        c.company = Some("x".into());
        c.vat_id = Some("nonsense".into());
        assert_eq!(c.problem(Field::VatId), None);
        assert_eq!(c.cleaned().unwrap().vat_id, None);
    }

    #[test]
    fn vat_ids() {
        assert_eq!(check_vat_id("DE 123 456 789").unwrap(), "DE123456789");
        assert!(check_vat_id("DE12345678").is_err());
        assert!(check_vat_id("AT123456789").is_err());
    }

    #[test]
    fn orders_move_forward_one_status_at_a_time_or_are_cancelled() {
        use OrderStatus::*;
        assert_eq!(Received.next(), [Confirmed, Cancelled]);
        assert_eq!(ReadyForHandover.next(), [HandedOver, Cancelled]);
        assert!(HandedOver.next().is_empty());
        assert!(Cancelled.next().is_empty());
        assert!(!Received.can_become(InProduction));
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(OrderStatus::parse("unknown"), None);
    }

    #[test]
    fn desired_delivery_dates() {
        let today = crate::hygiene::days_from_civil(2030, 1, 1);
        let earliest = today + 56;
        assert_eq!(check_desired_delivery(None, today, earliest), Ok(None));
        assert_eq!(check_desired_delivery(Some(""), today, earliest), Ok(None));
        let refused = |d: &str| {
            check_desired_delivery(Some(d), today, earliest)
                .unwrap_err()
                .problem
        };
        assert_eq!(refused("2030-1-31"), Problem::Format);
        assert_eq!(refused("2030-01-31"), Problem::TooEarly);
        assert_eq!(refused("2033-01-31"), Problem::TooLate);
        assert!(check_desired_delivery(Some("2030-03-31"), today, earliest).is_ok());
    }

    #[test]
    fn fields_go_on_the_wire_by_their_json_path() {
        assert_eq!(
            serde_json::to_value(Invalid::new(Field::Postcode, Problem::Format)).unwrap(),
            serde_json::json!({ "field": "customer.postcode", "problem": "format" })
        );
        for f in Field::ALL {
            let name = serde_json::to_value(f).unwrap();
            assert_eq!(serde_json::from_value::<Field>(name).unwrap(), f);
        }
    }

    #[test]
    fn every_refusal_has_an_english_message() {
        for field in Field::ALL {
            for problem in Problem::ALL {
                let m = Invalid::new(field, problem).to_string();
                assert!(m.ends_with('.') && m.len() > 10, "{m}");
            }
        }
    }
}

//! What the customer enters at the checkout, as one value: the form's fields read and write it,
//! and the order body and the review are both made from it by the same functions.

use domain::order::{Customer, CustomerKind, Delivery, Field, OrderRequest, Payment, PaymentTerms};
use domain::{Cents, Configuration, Financing, FinancingRequest, Lang, Leasing, LeasingRequest};

/// How the customer chose to pay; the terms are the ones set in the summary.
#[derive(Clone, Copy, Default, PartialEq)]
pub(super) enum PayBy {
    #[default]
    Cash,
    Financing,
    Leasing,
}

#[derive(Clone, PartialEq)]
pub(super) struct OrderEntry {
    pub customer: Customer,
    pub pay_by: PayBy,
    /// "YYYY-MM-DD" as the date field gives it, or "".
    pub desired: String,
    pub terms: bool,
    pub withdrawal: bool,
    pub marketing: bool,
}

impl OrderEntry {
    pub(super) fn new(email: String) -> OrderEntry {
        OrderEntry {
            customer: Customer {
                kind: CustomerKind::Private,
                company: Some(String::new()),
                vat_id: Some(String::new()),
                first_name: String::new(),
                last_name: String::new(),
                email,
                phone: String::new(),
                street: String::new(),
                postcode: String::new(),
                city: String::new(),
            },
            pay_by: PayBy::Cash,
            desired: String::new(),
            terms: false,
            withdrawal: false,
            marketing: false,
        }
    }

    pub(super) fn business(&self) -> bool {
        self.customer.kind == CustomerKind::Business
    }

    /// The legal step is complete: the terms, and the withdrawal notice for a consumer.
    pub(super) fn consents_given(&self) -> bool {
        self.terms && (self.business() || self.withdrawal)
    }

    /// The order body, exactly as it is sent.
    pub(super) fn request(&self, offer: &Offer, location_id: String, lang: Lang) -> OrderRequest {
        let (fin, lease) = (&offer.financing_request, &offer.leasing_request);
        let payment = match self.pay_by {
            PayBy::Cash => Payment::Cash,
            PayBy::Financing => Payment::Financing {
                term_months: fin.term_months,
                down_payment: fin.down_payment,
                balloon: fin.balloon,
            },
            PayBy::Leasing => Payment::Leasing {
                term_months: lease.term_months,
                yearly_km: lease.yearly_km,
                down_payment: lease.down_payment,
            },
        };
        OrderRequest {
            code: offer.code.clone(),
            price_list_version: crate::state::catalog().version().to_string(),
            expected_total: offer.price.gross,
            customer: self.customer.clone(),
            location_id,
            payment,
            desired_delivery: Some(self.desired.clone()).filter(|d| !d.is_empty()),
            terms_version: domain::order::terms_version().to_string(),
            withdrawal_notice_shown: self.withdrawal || self.business(),
            // The notice is on the page the order is placed from.
            privacy_accepted: true,
            marketing_consent: self.marketing,
            language: lang,
        }
    }
}

/// The text a form field edits (company and VAT ID are kept while hidden, sent only for a
/// business); `None` for a field that is no text of the customer's.
pub(super) fn text_mut(customer: &mut Customer, field: Field) -> Option<&mut String> {
    Some(match field {
        Field::Company => customer.company.get_or_insert_with(String::new),
        Field::VatId => customer.vat_id.get_or_insert_with(String::new),
        Field::FirstName => &mut customer.first_name,
        Field::LastName => &mut customer.last_name,
        Field::Email => &mut customer.email,
        Field::Phone => &mut customer.phone,
        Field::Street => &mut customer.street,
        Field::Postcode => &mut customer.postcode,
        Field::City => &mut customer.city,
        _ => return None,
    })
}

pub(super) fn text(customer: &Customer, field: Field) -> String {
    let text = match field {
        Field::Company => customer.company.as_deref().unwrap_or_default(),
        Field::VatId => customer.vat_id.as_deref().unwrap_or_default(),
        Field::FirstName => &customer.first_name,
        Field::LastName => &customer.last_name,
        Field::Email => &customer.email,
        Field::Phone => &customer.phone,
        Field::Street => &customer.street,
        Field::Postcode => &customer.postcode,
        Field::City => &customer.city,
        _ => "",
    };
    text.to_string()
}

/// What is ordered: the car, its price and delivery, and the payment terms set in the summary.
pub(super) struct Offer {
    pub code: String,
    pub car: Configuration,
    pub price: domain::PriceBreakdown,
    pub weeks: u32,
    /// The earliest delivery the server accepts, "YYYY-MM-DD".
    pub earliest: String,
    pub financing_request: FinancingRequest,
    pub leasing_request: LeasingRequest,
    pub financing: Option<Financing>,
    pub leasing: Option<Leasing>,
}

impl Offer {
    /// The terms of a payment as the order's page and the mail word them.
    pub(super) fn payment_terms(&self, payment: &Payment) -> PaymentTerms {
        let terms = match payment {
            Payment::Financing { .. } => self
                .financing
                .clone()
                .map(|financing| PaymentTerms::Financing { financing }),
            Payment::Leasing { .. } => self
                .leasing
                .clone()
                .map(|leasing| PaymentTerms::Leasing { leasing }),
            Payment::Cash => None,
        };
        terms.unwrap_or(PaymentTerms::Cash)
    }

    pub(super) fn delivery(&self, desired: Option<String>) -> Delivery {
        Delivery {
            estimated_weeks: self.weeks,
            earliest_date_days: domain::hygiene::parse_date(&self.earliest).unwrap_or_default(),
            desired,
        }
    }

    /// The monthly rate of a payment by instalments, formatted.
    pub(super) fn rate(&self, by: PayBy, lang: Lang) -> String {
        let rate: Option<Cents> = match by {
            PayBy::Financing => self.financing.as_ref().map(|f| f.monthly_rate),
            PayBy::Leasing => self.leasing.as_ref().map(|l| l.monthly_rate),
            PayBy::Cash => None,
        };
        rate.map(|r| r.format(lang)).unwrap_or_default()
    }
}

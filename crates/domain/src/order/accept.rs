//! Taking an order: every check and computation of `POST /api/orders`, without a server. The
//! handler parses, calls [`accept`], stores what it returns and answers; the clock and who took
//! the order (a showroom screen is the server's fact, never the browser's) are passed in.

use super::{
    check_desired_delivery, Agent, Channel, ChosenItem, Consents, Delivery, Field, Invalid,
    OrderEvent, OrderRecord, OrderRequest, OrderedCar, Payment, PaymentTerms, Problem,
};
use crate::configure::Configuration;
use crate::locations::Network;
use crate::money::Cents;
use crate::pricing::{FinancingRequest, LeasingRequest, PriceBreakdown};
use crate::Catalog;

/// Where the order was taken: on the web, or on a showroom screen by its advisor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub channel: Channel,
    /// The staff member who set the showroom screen up.
    pub advisor: Option<String>,
}

/// An order as accepted: the record to store, when, and what it raises.
#[derive(Clone, Debug, PartialEq)]
pub struct Accepted {
    pub record: OrderRecord,
    /// Unix seconds: the order's creation and its first status.
    pub at: i64,
    /// In the order they are delivered: the webhook, then the confirmation mail.
    pub events: Vec<OrderEvent>,
}

/// Why an order is not taken.
#[derive(Clone, Debug, PartialEq)]
pub enum Refused {
    /// A field the customer can correct.
    Invalid(Invalid),
    /// The price the customer accepted is not today's: they see `current` and accept it again.
    PriceChanged {
        expected: Cents,
        current: PriceBreakdown,
    },
}

impl From<Invalid> for Refused {
    fn from(invalid: Invalid) -> Refused {
        Refused::Invalid(invalid)
    }
}

/// Checks the order against the catalog and the network, recomputes every price and rate, and
/// returns the record as the contract's content. `now` is Unix seconds.
pub fn accept(
    cat: &Catalog,
    network: &Network,
    request: &OrderRequest,
    origin: Origin,
    now: i64,
) -> Result<Accepted, Refused> {
    let (car, price) = priced_car(cat, request)?;
    let agent = agent(network, &request.location_id)?;
    let customer = request.customer.cleaned()?;
    request.check_consents()?;
    let payment = payment_terms(cat, price.gross, &request.payment)?;
    let delivery = delivery(cat, &car, request.desired_delivery.as_deref(), now)?;
    let record = OrderRecord {
        seller: cat.data.seller.clone(),
        customer,
        agent,
        channel: origin.channel,
        staff: origin.advisor,
        configuration: OrderedCar {
            code: request.code.clone(),
            choices: cat
                .chosen(&car)
                .map(|ch| ChosenItem {
                    code: ch.code.clone(),
                    name: ch.name.clone(),
                })
                .collect(),
        },
        price_list_version: cat.version().to_string(),
        price,
        payment,
        delivery,
        terms_version: request.terms_version.clone(),
        withdrawal_notice_shown: request.withdrawal_notice_shown,
        consents: Consents {
            privacy: request.privacy_accepted,
            marketing: request.marketing_consent,
        },
        language: request.language,
    };
    Ok(Accepted {
        record,
        at: now,
        events: vec![OrderEvent::Placed, OrderEvent::Confirmation],
    })
}

/// The car of the order's code, buildable under today's price list, at the price accepted.
fn priced_car(
    cat: &Catalog,
    request: &OrderRequest,
) -> Result<(Configuration, PriceBreakdown), Refused> {
    if request.price_list_version != cat.version() {
        return Err(Invalid::new(Field::PriceList, Problem::Unknown).into());
    }
    let not_buildable = || Refused::from(Invalid::new(Field::Code, Problem::NotBuildable));
    let selection = cat.decode(&request.code).map_err(|_| not_buildable())?;
    let car = cat.complete(&selection).ok_or_else(not_buildable)?;
    cat.validate(&car).map_err(|_| not_buildable())?;
    let price = cat.price(&car);
    if price.gross != request.expected_total {
        return Err(Refused::PriceChanged {
            expected: request.expected_total,
            current: price,
        });
    }
    Ok((car, price))
}

/// The location the order is credited to, with its partner.
fn agent(network: &Network, location_id: &str) -> Result<Agent, Invalid> {
    let location = network
        .location(location_id)
        .ok_or(Invalid::new(Field::Location, Problem::Unknown))?;
    let partner = network
        .partner(&location.partner)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    Ok(Agent {
        partner_id: location.partner.clone(),
        partner,
        location_id: location.id.clone(),
        location: location.name.clone(),
        address: format!(
            "{}, {} {}",
            location.street, location.postcode, location.city
        ),
        phone: location.phone.clone(),
    })
}

/// The payment asked for, with its rates computed from the price list.
fn payment_terms(cat: &Catalog, gross: Cents, payment: &Payment) -> Result<PaymentTerms, Invalid> {
    let out_of_range = |_| Invalid::new(Field::Payment, Problem::OutOfRange);
    Ok(match *payment {
        Payment::Cash => PaymentTerms::Cash,
        Payment::Financing {
            term_months,
            down_payment,
            balloon,
        } => PaymentTerms::Financing {
            financing: cat
                .financing(
                    gross,
                    &FinancingRequest {
                        term_months,
                        down_payment,
                        balloon,
                    },
                )
                .map_err(out_of_range)?,
        },
        Payment::Leasing {
            term_months,
            yearly_km,
            down_payment,
        } => PaymentTerms::Leasing {
            leasing: cat
                .leasing(
                    gross,
                    &LeasingRequest {
                        term_months,
                        yearly_km,
                        down_payment,
                    },
                )
                .map_err(out_of_range)?,
        },
    })
}

/// The delivery estimate as of `now`, and the customer's desired date if it can be met.
fn delivery(
    cat: &Catalog,
    car: &Configuration,
    desired: Option<&str>,
    now: i64,
) -> Result<Delivery, Invalid> {
    let weeks = cat.delivery_weeks(car);
    let today = now.div_euclid(86_400);
    let earliest = today + 7 * i64::from(weeks);
    check_desired_delivery(desired, today, earliest)?;
    Ok(Delivery {
        estimated_weeks: weeks,
        earliest_date_days: earliest,
        desired: desired.filter(|d| !d.is_empty()).map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::{Customer, CustomerKind};

    const NOW: i64 = 20_000 * 86_400 + 3_600;

    fn request(cat: &Catalog) -> OrderRequest {
        let selection = cat.select(&cat.empty_selection(), "PREMIUM").unwrap();
        OrderRequest {
            code: cat.encode(&selection),
            price_list_version: cat.version().to_string(),
            expected_total: cat.price(&cat.complete(&selection).unwrap()).gross,
            customer: Customer {
                kind: CustomerKind::Private,
                company: None,
                vat_id: None,
                first_name: " Erika".into(),
                last_name: "Mustermann".into(),
                email: "erika@example.de".into(),
                phone: "+49 40 123456".into(),
                street: "Jungfernstieg 1".into(),
                postcode: "20095".into(),
                city: "Hamburg".into(),
            },
            location_id: "hamburg-01".into(),
            payment: Payment::Financing {
                term_months: 48,
                down_payment: Cents(500_000),
                balloon: Cents(0),
            },
            desired_delivery: None,
            terms_version: crate::order::terms_version().to_string(),
            withdrawal_notice_shown: true,
            privacy_accepted: true,
            marketing_consent: false,
            language: crate::Lang::En,
        }
    }

    fn store() -> Origin {
        Origin {
            channel: Channel::Store,
            advisor: Some("Jana Berger".into()),
        }
    }

    #[test]
    fn an_order_is_priced_credited_and_dated_by_the_domain() {
        let (cat, network) = (Catalog::current(), Network::embedded());
        let r = request(&cat);
        let accepted = accept(&cat, &network, &r, store(), NOW).unwrap();
        let o = &accepted.record;
        assert_eq!(accepted.at, NOW);
        assert_eq!(o.price.gross, r.expected_total);
        assert_eq!(o.customer.first_name, "Erika", "the customer is cleaned");
        assert_eq!(
            (o.agent.location_id.as_str(), o.agent.partner_id.is_empty()),
            ("hamburg-01", false)
        );
        assert_eq!(
            (o.channel, o.staff.as_deref()),
            (Channel::Store, Some("Jana Berger"))
        );
        let PaymentTerms::Financing { financing } = &o.payment else {
            panic!("financing expected: {:?}", o.payment)
        };
        assert_eq!(financing.term_months, 48);
        assert_eq!(
            o.delivery.earliest_date_days,
            20_000 + 7 * i64::from(o.delivery.estimated_weeks)
        );
        assert_eq!(
            accepted.events,
            [OrderEvent::Placed, OrderEvent::Confirmation]
        );
    }

    #[test]
    fn a_changed_price_is_refused_with_todays() {
        let (cat, network) = (Catalog::current(), Network::embedded());
        let mut r = request(&cat);
        let today = r.expected_total;
        r.expected_total = Cents(today.0 - 1);
        match accept(&cat, &network, &r, Origin::default(), NOW) {
            Err(Refused::PriceChanged { expected, current }) => {
                assert_eq!((expected, current.gross), (Cents(today.0 - 1), today))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn each_wrong_part_names_its_field() {
        let (cat, network) = (Catalog::current(), Network::embedded());
        type Spoil = fn(&mut OrderRequest);
        let cases: [(Spoil, Field, Problem); 7] = [
            (
                |r| r.price_list_version = "1999-01".into(),
                Field::PriceList,
                Problem::Unknown,
            ),
            (
                |r| r.code = "not a code".into(),
                Field::Code,
                Problem::NotBuildable,
            ),
            (
                |r| r.location_id = "atlantis-01".into(),
                Field::Location,
                Problem::Unknown,
            ),
            (
                |r| r.customer.postcode = "2009".into(),
                Field::Postcode,
                Problem::Format,
            ),
            (
                |r| r.withdrawal_notice_shown = false,
                Field::Withdrawal,
                Problem::NotAccepted,
            ),
            (
                |r| {
                    r.payment = Payment::Leasing {
                        term_months: 7,
                        yearly_km: 10_000,
                        down_payment: Cents(0),
                    }
                },
                Field::Payment,
                Problem::OutOfRange,
            ),
            // Before the earliest delivery (the day the order is placed).
            (
                |r| r.desired_delivery = Some("2024-10-04".into()),
                Field::DesiredDelivery,
                Problem::TooEarly,
            ),
        ];
        for (spoil, field, problem) in cases {
            let mut r = request(&cat);
            spoil(&mut r);
            assert_eq!(
                accept(&cat, &network, &r, Origin::default(), NOW),
                Err(Refused::Invalid(Invalid::new(field, problem))),
                "{field:?}"
            );
        }
    }
}

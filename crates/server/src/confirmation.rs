//! The order confirmation mail, in the customer's language: the order number with a link to its
//! page, the car, every agreed term (`OrderRecord::terms`: price, payment with all its figures,
//! delivery, customer kind with company and VAT ID), the details the customer gave, the agent
//! with address and phone, the terms version and the seller. A consumer's mail also carries the
//! withdrawal instructions and the model withdrawal form (`domain::legal`, the texts the
//! checkout showed); a business customer has no right of withdrawal and gets neither. A plain
//! text and an HTML part say the same.
//!
//! It goes to the account's address: the order form's address is shown inside, never mailed to
//! (anyone can type a stranger's into a form).

use crate::mail::escape_html;
use domain::legal::Legal;
use domain::order::{CustomerKind, OrderRecord};
use domain::Lang;

pub struct ConfirmationMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The words of the mail, per language.
struct Words {
    subject: &'static str,
    greeting: &'static str,
    thanks: &'static str,
    number: &'static str,
    online: &'static str,
    car: &'static str,
    terms_heading: &'static str,
    contact: &'static str,
    agent: &'static str,
    agent_note: &'static str,
    terms: &'static str,
    seller: &'static str,
    account: &'static str,
    set_password: &'static str,
}

/// How long the link to choose a password stays good (a showroom order's new account).
pub const SET_PASSWORD_TTL: i64 = 7 * 24 * 3600;

fn words(lang: Lang) -> Words {
    match lang {
        Lang::De => Words {
            subject: "Ihre smart #1 Bestellung",
            greeting: "Guten Tag",
            thanks: "vielen Dank für Ihre Bestellung. Wir haben sie erhalten.",
            number: "Bestellnummer",
            online: "Ihre Bestellung und ihren Stand sehen Sie hier",
            car: "Ihr Fahrzeug",
            terms_heading: "Vereinbarte Bedingungen",
            contact: "Ihre Angaben in der Bestellung",
            agent: "Ihr smart Agent",
            agent_note: "Ihr Agent meldet sich bei Ihnen, um Probefahrt und Übergabe abzustimmen.",
            terms: "Es gelten die Allgemeinen Geschäftsbedingungen in der Fassung",
            seller: "Ihr Vertragspartner",
            account: "Ihr Konto",
            set_password: "Sie haben im smart Store ohne Passwort bestellt. Mit diesem Link wählen Sie Ihr Passwort und sehen Ihre Bestellung dann auf jedem Gerät (gültig 7 Tage, einmal)",
        },
        Lang::En => Words {
            subject: "Your smart #1 order",
            greeting: "Hello",
            thanks: "thank you for your order. We have received it.",
            number: "Order number",
            online: "See your order and where it stands here",
            car: "Your car",
            terms_heading: "Agreed terms",
            contact: "Your details in the order",
            agent: "Your smart agent",
            agent_note: "Your agent will contact you to arrange the test drive and the handover.",
            terms: "The general terms and conditions apply in the version",
            seller: "Your contract partner",
            account: "Your account",
            set_password: "You ordered in the smart store without a password. Choose your password with this link, then see your order on any device (valid for 7 days, once)",
        },
    }
}

/// The customer's details as ordered, one per line.
fn contact_lines(order: &OrderRecord) -> Vec<String> {
    let c = &order.customer;
    let mut lines = vec![format!("{} {}", c.first_name, c.last_name)];
    lines.extend(c.company.clone());
    lines.push(format!("{}, {} {}", c.street, c.postcode, c.city));
    lines.push(c.email.clone());
    lines.push(c.phone.clone());
    lines
}

/// The order's page on `origin` (`PUBLIC_ORIGIN`), for both mails.
fn order_link(origin: &str, number: &str) -> String {
    format!("{}/orders/{number}", origin.trim_end_matches('/'))
}

/// A section of the mail: a heading and its lines, said the same in both parts.
struct Section {
    heading: String,
    lines: Vec<String>,
}

/// The mail's sections, in order: the password link (if any), the car, the terms, the
/// contact, the agent, the seller and, for a consumer, the withdrawal notice and form.
fn sections(order: &OrderRecord, set_password: Option<&str>) -> Vec<Section> {
    let lang = order.language;
    let w = words(lang);
    let agent = &order.agent;
    let mut sections: Vec<Section> = set_password
        .map(|link| Section {
            heading: w.account.into(),
            lines: vec![format!("{}: {link}", w.set_password)],
        })
        .into_iter()
        .collect();
    sections.extend([
        Section {
            heading: format!("{}: smart #1", w.car),
            lines: order
                .configuration
                .choices
                .iter()
                .map(|c| format!("- {}", c.name.get(lang)))
                .collect(),
        },
        Section {
            heading: w.terms_heading.into(),
            lines: order
                .terms(lang)
                .into_iter()
                .map(|(label, value)| format!("{label}: {value}"))
                .collect(),
        },
        Section {
            heading: w.contact.into(),
            lines: contact_lines(order),
        },
        Section {
            heading: w.agent.into(),
            lines: vec![
                format!("{}, {}", agent.partner, agent.location),
                agent.address.clone(),
                agent.phone.clone(),
                w.agent_note.into(),
            ],
        },
        Section {
            heading: w.seller.into(),
            lines: vec![
                order.seller.clone(),
                format!("{} {}.", w.terms, order.terms_version),
            ],
        },
    ]);
    // Consumers only: a business customer has no right of withdrawal (§ 14 BGB).
    if order.customer.kind == CustomerKind::Private {
        let legal = Legal::embedded();
        for doc in [&legal.withdrawal, &legal.withdrawal_form] {
            sections.push(Section {
                heading: doc.title.get(lang).into(),
                lines: doc.paragraphs(lang, &legal.trader),
            });
        }
    }
    sections
}

/// The mail for order `number`, in the language the customer ordered in, to the account's
/// address `to`; `origin` (`PUBLIC_ORIGIN`) makes the link to the order's page. `set_password`:
/// the link to choose a password, for an account made by a showroom order.
pub fn render(
    number: &str,
    order: &OrderRecord,
    to: &str,
    origin: &str,
    set_password: Option<&str>,
) -> ConfirmationMail {
    let lang = order.language;
    let w = words(lang);
    let customer = &order.customer;
    let name = format!("{} {}", customer.first_name, customer.last_name);
    let link = order_link(origin, number);
    let sections = sections(order, set_password);

    let mut text = format!(
        "{} {name},\n\n{}\n\n{}: {number}\n{}: {link}\n",
        w.greeting, w.thanks, w.number, w.online
    );
    for s in &sections {
        text.push_str(&format!("\n{}\n{}\n", s.heading, s.lines.join("\n")));
    }

    let e = escape_html;
    let mut html = format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{subject} {number}</title></head>\
         <body style=\"font-family:sans-serif;line-height:1.5\">\
         <p>{greeting} {name},</p><p>{thanks}</p>\
         <p><strong>{number_l}: {number}</strong><br>{online}: <a href=\"{link}\">{link}</a></p>",
        code = lang.code(),
        subject = e(w.subject),
        greeting = e(w.greeting),
        name = e(&name),
        thanks = e(w.thanks),
        number_l = e(w.number),
        number = e(number),
        online = e(w.online),
        link = e(&link),
    );
    for s in &sections {
        let lines: Vec<String> = s.lines.iter().map(|l| e(l)).collect();
        html.push_str(&format!(
            "<h2>{}</h2><p>{}</p>",
            e(&s.heading),
            lines.join("<br>")
        ));
    }
    html.push_str("</body></html>");
    ConfirmationMail {
        to: to.to_string(),
        subject: format!("{} {number}", w.subject),
        text,
        html,
    }
}

/// The mail telling the customer that order `number` was cancelled, and why (`reason`, the
/// staff's words for the customer), in the order's language, to the account's address.
pub fn cancellation(
    number: &str,
    order: &OrderRecord,
    to: &str,
    origin: &str,
    reason: &str,
) -> ConfirmationMail {
    let lang = order.language;
    let c = &order.customer;
    let name = format!("{} {}", c.first_name, c.last_name);
    let link = order_link(origin, number);
    let agent = &order.agent;
    let (subject, greeting, body, reason_l, questions) = match lang {
        Lang::De => (
            "Ihre smart #1 Bestellung wurde storniert",
            "Guten Tag",
            format!("Ihre Bestellung {number} wurde storniert."),
            "Grund",
            "Fragen beantwortet Ihr smart Agent",
        ),
        Lang::En => (
            "Your smart #1 order was cancelled",
            "Hello",
            format!("your order {number} was cancelled."),
            "Reason",
            "Your smart agent answers any questions",
        ),
    };
    let contact = format!(
        "{}, {}, {}, {}",
        agent.partner, agent.location, agent.address, agent.phone
    );
    let text = format!(
        "{greeting} {name},\n\n{body}\n{reason_l}: {reason}\n\n{questions}: {contact}\n{link}\n"
    );
    let e = escape_html;
    let html = format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{subject_h}</title></head>\
         <body style=\"font-family:sans-serif;line-height:1.5\">\
         <p>{greeting_h} {name_h},</p><p>{body_h}<br>{reason_lh}: {reason_h}</p>\
         <p>{questions_h}: {contact_h}<br><a href=\"{link_h}\">{link_h}</a></p></body></html>",
        code = lang.code(),
        subject_h = e(subject),
        greeting_h = e(greeting),
        name_h = e(&name),
        body_h = e(&body),
        reason_lh = e(reason_l),
        reason_h = e(reason),
        questions_h = e(questions),
        contact_h = e(&contact),
        link_h = e(&link),
    );
    ConfirmationMail {
        to: to.to_string(),
        subject: format!("{subject} ({number})"),
        text,
        html,
    }
}

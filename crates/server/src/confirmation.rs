//! The order confirmation mail, in the customer's language: the order number, the car with its
//! total, the contact details as ordered, the agent with address and phone, the withdrawal
//! notice and the terms version. A plain text and an HTML part say the same. It goes to the
//! account's address (the order form's address is shown inside, never mailed to: anyone can
//! type a stranger's into a form).

use crate::mail::escape_html;
use domain::order::{OrderRecord, PaymentTerms};
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
    car: &'static str,
    total: &'static str,
    payment: &'static str,
    agent: &'static str,
    agent_note: &'static str,
    withdrawal_heading: &'static str,
    withdrawal: &'static str,
    terms: &'static str,
    seller: &'static str,
    contact: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::De => Words {
            subject: "Ihre smart #1 Bestellung",
            greeting: "Guten Tag",
            thanks: "vielen Dank für Ihre Bestellung. Wir haben sie erhalten.",
            number: "Bestellnummer",
            car: "Ihr Fahrzeug",
            total: "Gesamtpreis (inkl. MwSt.)",
            payment: "Zahlung",
            agent: "Ihr smart Agent",
            agent_note: "Ihr Agent meldet sich bei Ihnen, um Probefahrt und Übergabe abzustimmen.",
            withdrawal_heading: "Widerrufsbelehrung",
            withdrawal: "Sie haben das Recht, binnen vierzehn Tagen ohne Angabe von Gründen diesen Vertrag zu widerrufen. Die Widerrufsfrist beträgt vierzehn Tage ab dem Tag des Vertragsschlusses. Um Ihr Widerrufsrecht auszuüben, genügt eine eindeutige Erklärung (z. B. per E-Mail) an den Verkäufer.",
            terms: "Es gelten die Allgemeinen Geschäftsbedingungen in der Fassung",
            seller: "Ihr Vertragspartner",
            contact: "Ihre Angaben in der Bestellung",
        },
        Lang::En => Words {
            subject: "Your smart #1 order",
            greeting: "Hello",
            thanks: "thank you for your order. We have received it.",
            number: "Order number",
            car: "Your car",
            total: "Total price (incl. VAT)",
            payment: "Payment",
            agent: "Your smart agent",
            agent_note: "Your agent will contact you to arrange the test drive and the handover.",
            withdrawal_heading: "Right of withdrawal",
            withdrawal: "You have the right to withdraw from this contract within fourteen days without giving any reason. The withdrawal period is fourteen days from the day the contract is concluded. To exercise it, a clear statement (e.g. by e-mail) to the seller is enough.",
            terms: "The general terms and conditions apply in the version",
            seller: "Your contract partner",
            contact: "Your details in the order",
        },
    }
}

fn payment_text(payment: &PaymentTerms, lang: Lang) -> String {
    let de = lang == Lang::De;
    match payment {
        PaymentTerms::Cash => (if de { "Barkauf" } else { "Cash purchase" }).into(),
        PaymentTerms::Financing { financing } => format!(
            "{} {} × {}",
            if de { "Finanzierung:" } else { "Financing:" },
            financing.term_months,
            financing.monthly_rate.format(lang)
        ),
        PaymentTerms::Leasing { leasing } => format!(
            "Leasing: {} × {}",
            leasing.term_months,
            leasing.monthly_rate.format(lang)
        ),
    }
}

/// The customer's details as ordered, one per line (company and VAT ID for a business).
fn contact_lines(order: &OrderRecord) -> Vec<String> {
    let c = &order.customer;
    let mut lines = vec![format!("{} {}", c.first_name, c.last_name)];
    lines.extend(c.company.clone());
    lines.extend(c.vat_id.clone());
    lines.push(format!("{}, {} {}", c.street, c.postcode, c.city));
    lines.push(c.email.clone());
    lines.push(c.phone.clone());
    lines
}

/// The mail for order `number`, in the language the customer ordered in, to the account's
/// address `to`.
pub fn render(number: &str, order: &OrderRecord, to: &str) -> ConfirmationMail {
    let lang = order.language;
    let w = words(lang);
    let customer = &order.customer;
    let name = format!("{} {}", customer.first_name, customer.last_name);
    let car: Vec<&str> = order
        .configuration
        .choices
        .iter()
        .map(|c| c.name.get(lang))
        .collect();
    let total = order.price.gross.format(lang);
    let payment = payment_text(&order.payment, lang);
    let agent = &order.agent;
    let contact = contact_lines(order);
    let text = format!(
        "{greeting} {name},\n\n{thanks}\n\n{number_l}: {number}\n\n{car_l}: smart #1\n{car_list}\n\n{total_l}: {total}\n{payment_l}: {payment}\n\n{contact_l}:\n{contact_list}\n\n{agent_l}:\n{partner}, {location}\n{address}\n{phone}\n{agent_note}\n\n{withdrawal_h}\n{withdrawal}\n\n{terms} {terms_version}.\n{seller_l}: {seller}\n",
        greeting = w.greeting,
        thanks = w.thanks,
        number_l = w.number,
        car_l = w.car,
        car_list = car.iter().map(|c| format!("- {c}")).collect::<Vec<_>>().join("\n"),
        total_l = w.total,
        payment_l = w.payment,
        contact_l = w.contact,
        contact_list = contact.join("\n"),
        agent_l = w.agent,
        partner = agent.partner,
        location = agent.location,
        address = agent.address,
        phone = agent.phone,
        agent_note = w.agent_note,
        withdrawal_h = w.withdrawal_heading,
        withdrawal = w.withdrawal,
        terms = w.terms,
        terms_version = order.terms_version,
        seller_l = w.seller,
        seller = order.seller,
    );
    let e = escape_html;
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{subject} {number}</title></head>\
         <body style=\"font-family:sans-serif;line-height:1.5\">\
         <p>{greeting} {name},</p><p>{thanks}</p>\
         <p><strong>{number_l}: {number}</strong></p>\
         <h2>{car_l}: smart #1</h2><ul>{car_list}</ul>\
         <p><strong>{total_l}: {total}</strong><br>{payment_l}: {payment}</p>\
         <h2>{contact_l}</h2><p>{contact_list}</p>\
         <h2>{agent_l}</h2><p>{partner}, {location}<br>{address}<br><a href=\"tel:{tel}\">{phone}</a></p><p>{agent_note}</p>\
         <h2>{withdrawal_h}</h2><p>{withdrawal}</p>\
         <p>{terms} {terms_version}.<br>{seller_l}: {seller}</p></body></html>",
        lang = lang.code(),
        subject = e(w.subject),
        greeting = e(w.greeting),
        name = e(&name),
        thanks = e(w.thanks),
        number_l = e(w.number),
        number = e(number),
        car_l = e(w.car),
        car_list = car.iter().map(|c| format!("<li>{}</li>", e(c))).collect::<String>(),
        total_l = e(w.total),
        total = e(&total),
        payment_l = e(w.payment),
        payment = e(&payment),
        contact_l = e(w.contact),
        contact_list = contact.iter().map(|l| e(l)).collect::<Vec<_>>().join("<br>"),
        agent_l = e(w.agent),
        partner = e(&agent.partner),
        location = e(&agent.location),
        address = e(&agent.address),
        tel = e(&agent.phone.replace(' ', "")),
        phone = e(&agent.phone),
        agent_note = e(w.agent_note),
        withdrawal_h = e(w.withdrawal_heading),
        withdrawal = e(w.withdrawal),
        terms = e(w.terms),
        terms_version = e(&order.terms_version),
        seller_l = e(w.seller),
        seller = e(&order.seller),
    );
    ConfirmationMail {
        to: to.to_string(),
        subject: format!("{} {number}", w.subject),
        text,
        html,
    }
}

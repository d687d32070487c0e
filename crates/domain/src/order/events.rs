//! What an order raises for others: the agents' and the manufacturer's systems get webhooks, the
//! customer gets mail. The outbox stores each event under its [`Topic`]; the relay delivers it.

use super::OrderStatus;
use serde::{Deserialize, Serialize};

/// An outbox topic: the event's name in the outbox table, in webhooks and in the staff's list of
/// failed deliveries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Topic {
    #[serde(rename = "order.placed")]
    OrderPlaced,
    #[serde(rename = "order.status_changed")]
    OrderStatusChanged,
    /// The order confirmation mail.
    #[serde(rename = "customer.confirmation")]
    Confirmation,
    /// The mail telling the customer why their order was cancelled.
    #[serde(rename = "customer.cancellation")]
    Cancellation,
    /// A test drive was booked, moved or cancelled (to the agent's systems, as orders' events).
    #[serde(rename = "test_drive.booked")]
    TestDriveBooked,
    #[serde(rename = "test_drive.rescheduled")]
    TestDriveRescheduled,
    #[serde(rename = "test_drive.cancelled")]
    TestDriveCancelled,
    /// The mail with the drive's calendar invite and manage link (on booking and on each move).
    #[serde(rename = "customer.test_drive_confirmation")]
    TestDriveConfirmation,
    /// The mail a day before the drive.
    #[serde(rename = "customer.test_drive_reminder")]
    TestDriveReminder,
    /// The mail with the cancelling invite.
    #[serde(rename = "customer.test_drive_cancellation")]
    TestDriveCancellation,
}

impl Topic {
    pub const ALL: [Topic; 10] = [
        Topic::OrderPlaced,
        Topic::OrderStatusChanged,
        Topic::Confirmation,
        Topic::Cancellation,
        Topic::TestDriveBooked,
        Topic::TestDriveRescheduled,
        Topic::TestDriveCancelled,
        Topic::TestDriveConfirmation,
        Topic::TestDriveReminder,
        Topic::TestDriveCancellation,
    ];
    /// Delivered as signed webhooks.
    pub const WEBHOOKS: [Topic; 5] = [
        Topic::OrderPlaced,
        Topic::OrderStatusChanged,
        Topic::TestDriveBooked,
        Topic::TestDriveRescheduled,
        Topic::TestDriveCancelled,
    ];
    /// Delivered by e-mail: to the ordering account, or to the driver a booking names.
    pub const MAILS: [Topic; 5] = [
        Topic::Confirmation,
        Topic::Cancellation,
        Topic::TestDriveConfirmation,
        Topic::TestDriveReminder,
        Topic::TestDriveCancellation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::OrderPlaced => "order.placed",
            Topic::OrderStatusChanged => "order.status_changed",
            Topic::Confirmation => "customer.confirmation",
            Topic::Cancellation => "customer.cancellation",
            Topic::TestDriveBooked => "test_drive.booked",
            Topic::TestDriveRescheduled => "test_drive.rescheduled",
            Topic::TestDriveCancelled => "test_drive.cancelled",
            Topic::TestDriveConfirmation => "customer.test_drive_confirmation",
            Topic::TestDriveReminder => "customer.test_drive_reminder",
            Topic::TestDriveCancellation => "customer.test_drive_cancellation",
        }
    }

    pub fn parse(name: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.as_str() == name)
    }

    pub fn is_mail(self) -> bool {
        Topic::MAILS.contains(&self)
    }
}

/// A stored topic read back (the outbox table holds only these names).
impl TryFrom<String> for Topic {
    type Error = String;

    fn try_from(name: String) -> Result<Topic, String> {
        Topic::parse(&name).ok_or_else(|| format!("unknown outbox topic {name:?}"))
    }
}

impl std::fmt::Display for Topic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An event an order raises. The relay reads the order itself when it delivers; an event keeps
/// only what it adds to the order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderEvent {
    Placed,
    Confirmation,
    StatusChanged(StatusChanged),
    Cancellation { reason: String },
}

/// A status change as agents' systems receive it (`order.status_changed`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChanged {
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub partner_id: String,
    /// The staff member's note, with who moved the order on.
    pub note: String,
    /// Why it was cancelled, in words for the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Unix seconds.
    pub at: i64,
}

impl OrderEvent {
    pub fn topic(&self) -> Topic {
        match self {
            OrderEvent::Placed => Topic::OrderPlaced,
            OrderEvent::Confirmation => Topic::Confirmation,
            OrderEvent::StatusChanged(_) => Topic::OrderStatusChanged,
            OrderEvent::Cancellation { .. } => Topic::Cancellation,
        }
    }

    /// The JSON stored with the event. The order's number is for people reading the outbox.
    pub fn payload(&self, number: &str) -> serde_json::Value {
        match self {
            OrderEvent::Placed | OrderEvent::Confirmation => {
                serde_json::json!({ "number": number })
            }
            OrderEvent::StatusChanged(change) => {
                let mut payload = serde_json::json!({ "number": number });
                if let (Some(out), Ok(serde_json::Value::Object(fields))) =
                    (payload.as_object_mut(), serde_json::to_value(change))
                {
                    out.extend(fields);
                }
                payload
            }
            OrderEvent::Cancellation { reason } => serde_json::json!({ "reason": reason }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_keep_their_wire_names() {
        for topic in Topic::ALL {
            assert_eq!(
                serde_json::to_value(topic).unwrap(),
                serde_json::json!(topic.as_str())
            );
            assert_eq!(Topic::parse(topic.as_str()), Some(topic));
            assert_eq!(topic.is_mail(), !Topic::WEBHOOKS.contains(&topic));
        }
    }

    #[test]
    fn a_status_change_payload_names_the_order_and_the_move() {
        let event = OrderEvent::StatusChanged(StatusChanged {
            from: OrderStatus::Received,
            to: OrderStatus::Cancelled,
            partner_id: "P01".into(),
            note: "by a@b.de".into(),
            reason: Some("Sold out".into()),
            at: 7,
        });
        assert_eq!(
            event.payload("S1-AAAA-BBBB"),
            serde_json::json!({"number": "S1-AAAA-BBBB", "from": "received", "to": "cancelled",
                "partner_id": "P01", "note": "by a@b.de", "reason": "Sold out", "at": 7})
        );
        assert_eq!(event.topic(), Topic::OrderStatusChanged);
    }
}

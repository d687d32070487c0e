//! A staff member moves an order along the status model: checked here, without a server, as
//! [`super::accept`] checks a new order. The handler reads the order, calls [`change_status`],
//! stores the move with a compare-and-set on `from`, and answers.

use super::{
    check_optional, Field, Invalid, OrderEvent, OrderStatus, Problem, StatusChange, StatusChanged,
    NOTE_MAX,
};

/// Who moves the order on: a staff member of the partner the order is credited to.
#[derive(Clone, Copy, Debug)]
pub struct Mover<'a> {
    pub email: &'a str,
    pub partner_id: &'a str,
}

/// A checked move, to be stored only if the order is still in `from`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusMove {
    pub from: OrderStatus,
    pub to: OrderStatus,
    /// For staff: the note with who made the change.
    pub note: String,
    /// For the customer: why it was cancelled (mailed to them).
    pub reason: Option<String>,
    /// Unix seconds.
    pub at: i64,
    /// The webhook, and the mail for a cancellation.
    pub events: Vec<OrderEvent>,
}

/// Why a move is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeRefused {
    /// The order is no longer in the status the staff member saw.
    Stale,
    Invalid(Invalid),
}

impl From<Invalid> for ChangeRefused {
    fn from(invalid: Invalid) -> ChangeRefused {
        ChangeRefused::Invalid(invalid)
    }
}

/// Checks `change` against the order's `current` status; `now` is Unix seconds.
pub fn change_status(
    current: OrderStatus,
    change: &StatusChange,
    by: Mover<'_>,
    now: i64,
) -> Result<StatusMove, ChangeRefused> {
    if current != change.from {
        return Err(ChangeRefused::Stale);
    }
    if !current.can_become(change.to) {
        return Err(Invalid::new(Field::Status, Problem::NotAllowed).into());
    }
    let note = check_optional(Field::Note, change.note.as_deref(), NOTE_MAX)?;
    // A cancellation tells the customer why; other changes carry no reason.
    let cancelled = change.to == OrderStatus::Cancelled;
    let reason =
        check_optional(Field::Reason, change.reason.as_deref(), NOTE_MAX)?.filter(|_| cancelled);
    if cancelled && reason.is_none() {
        return Err(Invalid::new(Field::Reason, Problem::Required).into());
    }
    let note = match note {
        None => format!("by {}", by.email),
        Some(note) => format!("{note} (by {})", by.email),
    };
    let mut events = vec![OrderEvent::StatusChanged(StatusChanged {
        from: current,
        to: change.to,
        partner_id: by.partner_id.to_string(),
        note: note.clone(),
        reason: reason.clone(),
        at: now,
    })];
    if let Some(reason) = &reason {
        events.push(OrderEvent::Cancellation {
            reason: reason.clone(),
        });
    }
    Ok(StatusMove {
        from: current,
        to: change.to,
        note,
        reason,
        at: now,
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    const BY: Mover<'static> = Mover {
        email: "staff@partner.de",
        partner_id: "P01",
    };

    fn change(from: OrderStatus, to: OrderStatus, reason: Option<&str>) -> StatusChange {
        StatusChange {
            from,
            to,
            note: Some(" called the customer ".into()),
            reason: reason.map(str::to_string),
        }
    }

    #[test]
    fn a_move_names_who_made_it_and_raises_the_webhook() {
        let moved =
            change_status(Received, &change(Received, Confirmed, Some("x")), BY, 9).unwrap();
        assert_eq!(moved.note, "called the customer (by staff@partner.de)");
        assert_eq!(moved.reason, None, "only a cancellation carries a reason");
        assert_eq!(moved.at, 9);
        assert!(
            matches!(moved.events.as_slice(), [OrderEvent::StatusChanged(c)] if c.to == Confirmed && c.partner_id == "P01")
        );
    }

    #[test]
    fn a_cancellation_needs_a_reason_and_mails_it() {
        assert_eq!(
            change_status(Confirmed, &change(Confirmed, Cancelled, None), BY, 1),
            Err(ChangeRefused::Invalid(Invalid::new(
                Field::Reason,
                Problem::Required
            )))
        );
        let moved = change_status(
            Confirmed,
            &change(Confirmed, Cancelled, Some("Sold out")),
            BY,
            1,
        )
        .unwrap();
        assert_eq!(
            moved.events.last(),
            Some(&OrderEvent::Cancellation {
                reason: "Sold out".into()
            })
        );
    }

    #[test]
    fn a_stale_or_skipping_move_is_refused() {
        assert_eq!(
            change_status(Confirmed, &change(Received, Confirmed, None), BY, 1),
            Err(ChangeRefused::Stale)
        );
        assert_eq!(
            change_status(Received, &change(Received, InProduction, None), BY, 1),
            Err(ChangeRefused::Invalid(Invalid::new(
                Field::Status,
                Problem::NotAllowed
            )))
        );
        assert_eq!(
            change_status(HandedOver, &change(HandedOver, Cancelled, Some("x")), BY, 1),
            Err(ChangeRefused::Invalid(Invalid::new(
                Field::Status,
                Problem::NotAllowed
            )))
        );
    }
}

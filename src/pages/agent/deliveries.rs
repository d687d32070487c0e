//! Deliveries the outbox relay gave up on (webhooks, mails), to send again.

use super::Desk;
use crate::api;
use crate::i18n::{local_time, t, use_lang};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What a delivery was, in words.
fn topic_label(topic: domain::order::Topic) -> &'static str {
    use domain::order::Topic;
    match topic {
        Topic::OrderPlaced => "agent.topic_placed",
        Topic::OrderStatusChanged => "agent.topic_status",
        Topic::Cancellation => "agent.topic_cancel_mail",
        Topic::Confirmation => "agent.topic_mail",
        Topic::TestDriveBooked | Topic::TestDriveRescheduled | Topic::TestDriveCancelled => {
            "agent.topic_drive"
        }
        Topic::TestDriveConfirmation | Topic::TestDriveReminder | Topic::TestDriveCancellation => {
            "agent.topic_drive_mail"
        }
    }
}

#[component]
pub(super) fn DeadDeliveries(desk: Desk) -> impl IntoView {
    let lang = use_lang();
    let l = move || lang.get();
    let dead = desk.list(api::dead_deliveries);
    let replay = move |id: String| {
        spawn_local(async move { desk.done(api::replay_delivery(&id).await) });
    };
    {
        move || match dead.get() {
            Some(Ok(Some(list))) if !list.is_empty() => Some(view! {
                <h2>{t(l(), "agent.dead")}</h2>
                <p class="lead">{t(l(), "agent.dead_lead")}</p>
                <ul class="order-list" data-testid="agent-dead">
                    {list.into_iter().map(|d| {
                        let id = d.id.clone();
                        view! {
                            <li data-testid=format!("dead-{}-{}", d.number, d.topic)>
                                <strong>{d.number.clone()}</strong>" · "{t(l(), topic_label(d.topic))}" · "
                                {format!("{}× · ", d.attempts)}{local_time(d.dead_at, l(), true)}
                                {d.last_error.clone().map(|e| view! { <br/><small>{e}</small> })}
                                " "<button type="button" data-testid="replay" on:click=move |_| replay(id.clone())>{t(l(), "agent.replay")}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }),
            _ => None,
        }
    }
}

//! A car as pages link and name it: its configurator link at a step, the label of a step, and
//! the name a car saved without one gets. Shared by the configurator, "My smart", the hand-over
//! and the staff desk, so no page imports another for them.

use crate::state::catalog;
use domain::Step;

/// The link that opens this car at this step.
pub fn configure_url(code: &str, step: Step) -> String {
    format!("/configure?c={code}&step={}", step.slug())
}

/// The text key of a step's name.
pub fn step_label(step: Step) -> &'static str {
    match step {
        Step::Line => "step.line",
        Step::Exterior => "step.exterior",
        Step::Wheels => "step.wheels",
        Step::Interior => "step.interior",
        Step::Options => "step.options",
        Step::Extras => "step.extras",
        Step::Summary => "step.summary",
    }
}

/// A name for a car saved without one: "smart #1 Premium".
pub fn default_name(code: &str) -> String {
    let cat = catalog();
    let (sel, _) = cat.decode_nearest(code);
    let line = cat
        .complete(&sel)
        .and_then(|c| cat.chosen_in(&c, "line").map(|l| l.name.de.clone()))
        .unwrap_or_default();
    format!("smart #1 {line}")
}

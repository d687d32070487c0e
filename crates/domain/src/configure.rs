//! Configuring a car in catalog terms: the customer's explicit choices (a [`Selection`]), the
//! complete car they stand for (a [`Configuration`], filled by the catalog's defaults), what is
//! still possible, why not, and the smallest change that makes a wanted choice possible.

use crate::catalog::Catalog;
use crate::catalog_file::{Choice, Energy, GroupKind};
use crate::i18n::Text;
use crate::money::Cents;
use crate::rules::Rule;
use rules::{Engine, Val};
use serde::{Deserialize, Serialize};

/// What the customer chose explicitly, per engine variable (`None`: left to the defaults).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Selection(pub Vec<Option<Val>>);

/// A complete car: one value per engine variable.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Configuration(pub Vec<Val>);

/// How a choice appears to the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    /// On the car.
    Chosen,
    /// On the car because another choice includes or requires it; it cannot be taken off alone.
    Fixed,
    /// Can be chosen as things stand.
    Available,
    /// Choosing it needs other changes (see [`Catalog::why_not`] and [`Catalog::resolve`]).
    Unavailable,
}

impl Status {
    /// "chosen", "fixed", "available", "unavailable": for markup and tests.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Chosen => "chosen",
            Status::Fixed => "fixed",
            Status::Available => "available",
            Status::Unavailable => "unavailable",
        }
    }
}

/// A change proposed to make a wanted choice possible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    pub selection: Selection,
    pub configuration: Configuration,
    /// What changes on the car, group by group: (group name, before, after).
    pub changes: Vec<(Text, Text, Text)>,
}

/// What picking a choice does to the car, beyond the choice itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Pick {
    pub selection: Selection,
    pub configuration: Configuration,
    /// Everything else that changes on its own, group by group: (group, before, after). A
    /// default follows the new choice (another line's paint), a required option comes along.
    pub also: Vec<(Text, Text, Text)>,
    /// The new total minus the old, and how much of it the picked choice alone does not explain.
    pub total_change: Cents,
    pub also_price: Cents,
    /// The customer says yes first: the line would change, or what changes on its own replaces
    /// or removes something worth more than [`CONFIRM_ABOVE`] either way. What the choice needs
    /// and brings along (a tow bar for a bike carrier) and smaller changes are shown, with undo.
    pub needs_confirmation: bool,
}

/// Changes the customer did not ask for are confirmed first above this (gross).
pub const CONFIRM_ABOVE: Cents = Cents(30_000);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SelectError {
    #[error("unknown choice code {0}")]
    UnknownCode(String),
    #[error("{0} is not possible with the current choices")]
    NotPossible(String),
}

impl Catalog {
    /// A car of `line` with that line's defaults: what its card and its "from" price show.
    pub fn line_car(&self, line: &str) -> Option<Configuration> {
        self.complete(&self.select(&self.empty_selection(), line).ok()?)
    }

    /// The consumption label of a car: its line's.
    pub fn energy(&self, config: &Configuration) -> Option<Energy> {
        self.chosen_in(config, "line")?.energy
    }

    pub fn empty_selection(&self) -> Selection {
        Selection(vec![None; self.model.vars().len()])
    }

    /// The car the selection stands for: explicit choices, the rest by the catalog's defaults.
    pub fn complete(&self, selection: &Selection) -> Option<Configuration> {
        if selection.0.len() != self.model.vars().len() {
            return None;
        }
        Engine::new(&self.model)
            .complete(&selection.0)
            .map(Configuration)
    }

    /// Every choice explicitly, as a selection (for a car restored from an order, say).
    pub fn selection_of(&self, config: &Configuration) -> Selection {
        Selection(config.0.iter().map(|&v| Some(v)).collect())
    }

    /// `Err` with the reason of a rule the configuration breaks.
    pub fn validate(&self, config: &Configuration) -> Result<(), ValidationError> {
        if config.0.len() != self.model.vars().len() {
            return Err(ValidationError::Shape);
        }
        for (var, &v) in config.0.iter().enumerate() {
            if v as usize >= self.model.vars()[var].size {
                return Err(ValidationError::Shape);
            }
        }
        Engine::new(&self.model)
            .check(&config.0)
            .map_err(|c| ValidationError::Rule(Box::new(self.rules[c.0].clone())))
    }

    pub fn is_chosen(&self, config: &Configuration, code: &str) -> bool {
        self.refs
            .get(code)
            .is_some_and(|r| config.0[r.var] == r.val)
    }

    /// The choices on the car, in catalog order.
    pub fn chosen<'a>(
        &'a self,
        config: &'a Configuration,
    ) -> impl Iterator<Item = &'a Choice> + 'a {
        self.data.groups.iter().flat_map(move |g| {
            g.choices
                .iter()
                .filter(move |c| self.is_chosen(config, &c.code))
        })
    }

    /// The chosen choice of a single-choice group.
    pub fn chosen_in(&self, config: &Configuration, group: &str) -> Option<&Choice> {
        let g = self.group(group)?;
        g.choices.iter().find(|c| self.is_chosen(config, &c.code))
    }

    /// The selection after the customer picks `code` (an option toggles on/off).
    /// `NotPossible` when that conflicts with other choices: see [`Catalog::resolve`].
    pub fn select(&self, selection: &Selection, code: &str) -> Result<Selection, SelectError> {
        let (var, val) = self.target(selection, code)?;
        let mut next = selection.clone();
        next.0[var] = Some(val);
        if Engine::new(&self.model).is_consistent(&next.0) {
            Ok(next)
        } else {
            Err(SelectError::NotPossible(code.to_string()))
        }
    }

    /// Picking `code`, with what else it changes and whether the customer must confirm first:
    /// a default is not a choice the customer made, but a change of line, or of more than a
    /// few hundred euros, must never happen unseen. Picking a line is itself asking for one.
    pub fn pick(&self, selection: &Selection, code: &str) -> Result<Pick, SelectError> {
        let next = match self.select(selection, code) {
            Ok(next) => next,
            // An option that excludes another of its own group (a second wallbox) replaces it,
            // as a customer expects; shown with undo like anything else that changes along.
            Err(SelectError::NotPossible(c)) => self
                .replacement_in_group(selection, code)
                .ok_or(SelectError::NotPossible(c))?,
            Err(e) => return Err(e),
        };
        let (var, _) = self.target(selection, code)?;
        let not_possible = || SelectError::NotPossible(code.to_string());
        let before = self.complete(selection).ok_or_else(not_possible)?;
        let after = self.complete(&next).ok_or_else(not_possible)?;
        let mut own = before.clone();
        own.0[var] = after.0[var];
        let also = self.differences(&own, &after);
        let (total_before, total_after) = (self.price(&before).gross, self.price(&after).gross);
        // The picked choice's own price step (a single group's old choice replaced, an option
        // added or removed), from the list prices.
        let own_step = self.list_price(&after, var) - self.list_price(&before, var);
        let also_price = total_after - total_before - own_step;
        let line_var = self
            .var_groups
            .iter()
            .position(|&(g, choice)| g == self.line_group && choice.is_none());
        let line_changed = line_var.is_some_and(|l| l != var && before.0[l] != after.0[l]);
        // Changes in the picked choice's own group are part of the pick (a wallbox for another).
        let own_group = self.var_groups[var].0;
        let swapped: i64 = (0..after.0.len())
            .filter(|&v| self.var_groups[v].0 != own_group && before.0[v] != after.0[v])
            .filter(|&v| !(self.var_groups[v].1.is_some() && after.0[v] == 1))
            .map(|v| (self.list_price(&after, v) - self.list_price(&before, v)).0)
            .sum();
        let picks_line = line_var == Some(var);
        Ok(Pick {
            needs_confirmation: !picks_line && (line_changed || swapped.abs() > CONFIRM_ABOVE.0),
            selection: next,
            configuration: after,
            also,
            total_change: total_after - total_before,
            also_price,
        })
    }

    /// The car picking `code` leads to, as the configurator applies it: the pick with whatever
    /// changes along (a default, a swapped paint), or, for a choice not possible as things
    /// stand, the smallest change that makes it possible (the conflict dialog's proposal).
    /// `None` when nothing makes it possible.
    pub fn car_after_pick(&self, selection: &Selection, code: &str) -> Option<Configuration> {
        match self.pick(selection, code) {
            Ok(p) => Some(p.configuration),
            Err(SelectError::NotPossible(_)) => Some(self.resolve(selection, code)?.configuration),
            Err(SelectError::UnknownCode(_)) => None,
        }
    }

    /// The selection where the option `code` replaces the options of its own group that exclude
    /// it, when that is the whole smallest change; None otherwise.
    fn replacement_in_group(&self, selection: &Selection, code: &str) -> Option<Selection> {
        let (var, _) = self.target(selection, code).ok()?;
        let (group, option) = self.var_groups[var];
        option?;
        let before = self.complete(selection)?;
        let resolution = self.resolve(selection, code)?;
        let after = &resolution.configuration;
        let only_siblings_off = (0..after.0.len())
            .filter(|&v| v != var && before.0[v] != after.0[v])
            .all(|v| {
                let (g, choice) = self.var_groups[v];
                g == group && choice.is_some() && after.0[v] == 0
            });
        only_siblings_off.then_some(resolution.selection)
    }

    /// The list price of what `var` holds in `config` (an option that is off: nothing).
    fn list_price(&self, config: &Configuration, var: usize) -> Cents {
        let (g, choice) = self.var_groups[var];
        let group = &self.data.groups[g];
        match choice {
            None => group.choices[config.0[var] as usize].price,
            Some(i) if config.0[var] == 1 => group.choices[i].price,
            Some(_) => Cents::ZERO,
        }
    }

    /// The variable and value that picking `code` asks for.
    fn target(&self, selection: &Selection, code: &str) -> Result<(usize, Val), SelectError> {
        let r = self
            .refs
            .get(code)
            .ok_or_else(|| SelectError::UnknownCode(code.to_string()))?;
        match self.data.groups[r.group].kind {
            GroupKind::Single => Ok((r.var, r.val)),
            GroupKind::Multi => {
                let on = self.complete(selection).is_some_and(|c| c.0[r.var] == 1);
                Ok((r.var, if on { 0 } else { 1 }))
            }
        }
    }

    /// The status of every choice, in catalog order, for the selection.
    pub fn statuses(&self, selection: &Selection) -> Option<Vec<(String, Status)>> {
        let config = self.complete(selection)?;
        let possible = Engine::new(&self.model).alternatives(&selection.0).ok()?;
        let mut out = Vec::new();
        for g in &self.data.groups {
            for c in &g.choices {
                let r = self.refs[&c.code];
                let on = config.0[r.var] == r.val;
                let status = match (g.kind, on) {
                    // An option whose "off" is impossible is fixed by another choice.
                    (GroupKind::Multi, true) if !possible[r.var].contains(0) => Status::Fixed,
                    (_, true) => Status::Chosen,
                    (_, false) if possible[r.var].contains(r.val) => Status::Available,
                    _ => Status::Unavailable,
                };
                out.push((c.code.clone(), status));
            }
        }
        Some(out)
    }

    /// The rules that keep `code` from being picked (or, for a fixed option, from being taken off).
    pub fn why_not(&self, selection: &Selection, code: &str) -> Vec<&Rule> {
        let Ok((var, val)) = self.target(selection, code) else {
            return Vec::new();
        };
        let mut relaxed = selection.clone();
        relaxed.0[var] = None;
        let culprits = Engine::new(&self.model).explain(&relaxed.0, var, val);
        culprits.into_iter().map(|c| &self.rules[c]).collect()
    }

    /// [`Catalog::why_not`] on the car as it stands: its line counts as chosen even when it is
    /// the default one, so a Technik-Paket Plus on a Pro is refused with "only for the Pro+".
    pub fn why_not_on_car(&self, selection: &Selection, code: &str) -> Vec<&Rule> {
        let mut sel = selection.clone();
        let line = self
            .var_groups
            .iter()
            .position(|&(g, choice)| g == self.line_group && choice.is_none());
        if let (Some(car), Some(line)) = (self.complete(selection), line) {
            sel.0[line] = Some(car.0[line]);
        }
        self.why_not(&sel, code)
    }

    /// The smallest change of the customer's other choices that makes `code` possible, and the
    /// car it leads to. `None` when nothing helps.
    pub fn resolve(&self, selection: &Selection, code: &str) -> Option<Resolution> {
        let (var, val) = self.target(selection, code).ok()?;
        let before = self.complete(selection)?;
        let change = Engine::new(&self.model).smallest_change(&selection.0, var, val)?;
        let mut next = selection.clone();
        for v in change.released {
            next.0[v] = None;
        }
        next.0[var] = Some(val);
        let after = self.complete(&next)?;
        let changes = self.differences(&before, &after);
        Some(Resolution {
            selection: next,
            configuration: after,
            changes,
        })
    }

    /// What differs between two cars, per group: (group, before, after); an option reads
    /// "-" when absent.
    pub fn differences(
        &self,
        before: &Configuration,
        after: &Configuration,
    ) -> Vec<(Text, Text, Text)> {
        let none = Text::new("–", "–");
        let mut out = Vec::new();
        for (var, (&a, &b)) in before.0.iter().zip(&after.0).enumerate() {
            if a == b {
                continue;
            }
            let (g, choice) = self.var_groups[var];
            let group = &self.data.groups[g];
            match choice {
                None => out.push((
                    group.name.clone(),
                    group.choices[a as usize].name.clone(),
                    group.choices[b as usize].name.clone(),
                )),
                Some(i) => {
                    let name = group.choices[i].name.clone();
                    let (from, to) = if b == 1 {
                        (none.clone(), name)
                    } else {
                        (name, none.clone())
                    };
                    out.push((group.name.clone(), from, to));
                }
            }
        }
        out
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ValidationError {
    #[error("the configuration does not fit this price list")]
    Shape,
    #[error("{}", .0.reason.en)]
    Rule(Box<Rule>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleKind;

    fn pick(c: &Catalog, sel: &Selection, code: &str) -> Selection {
        c.select(sel, code).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn defaults_complete_an_empty_selection_into_a_valid_car() {
        let c = Catalog::current();
        let car = c.complete(&c.empty_selection()).unwrap();
        assert!(c.validate(&car).is_ok());
        assert!(
            c.is_chosen(&car, "PRO"),
            "the first default line is the entry line"
        );
    }

    #[test]
    fn available_on_keeps_brabus_paint_off_other_lines_and_says_why() {
        let c = Catalog::current();
        let sel = pick(&c, &c.empty_selection(), "PREMIUM");
        let statuses = c.statuses(&sel).unwrap();
        let status = |code: &str| statuses.iter().find(|(c, _)| c == code).unwrap().1.clone();
        assert_eq!(status("PAINT_MATTE_GREY"), Status::Unavailable);
        assert_eq!(
            c.select(&sel, "PAINT_MATTE_GREY"),
            Err(SelectError::NotPossible("PAINT_MATTE_GREY".into()))
        );
        let why = c.why_not(&sel, "PAINT_MATTE_GREY");
        assert_eq!(why.len(), 1);
        assert_eq!(why[0].kind, RuleKind::AvailableOn);
        assert!(why[0].reason.de.contains("BRABUS"), "{}", why[0].reason.de);
        assert!(
            why[0].reason.en.contains("only available"),
            "{}",
            why[0].reason.en
        );
    }

    #[test]
    fn choosing_brabus_paint_on_a_premium_proposes_the_line_change() {
        let c = Catalog::current();
        let sel = pick(&c, &c.empty_selection(), "PREMIUM");
        let sel = pick(&c, &sel, "WHEEL_19_SPORT");
        let res = c.resolve(&sel, "PAINT_MATTE_GREY").unwrap();
        assert!(c.is_chosen(&res.configuration, "BRABUS"));
        assert!(c.is_chosen(&res.configuration, "PAINT_MATTE_GREY"));
        assert!(c.validate(&res.configuration).is_ok());
        let groups: Vec<&str> = res.changes.iter().map(|(g, _, _)| g.en.as_str()).collect();
        assert!(
            groups.contains(&"Line") && groups.contains(&"Wheels"),
            "{groups:?}"
        );
        // The explicit line and wheel choices were given up: BRABUS has its own wheels.
        assert_eq!(res.selection.0[c.choice_ref("PREMIUM").unwrap().var], None);
    }

    #[test]
    fn requires_offers_the_needed_choice() {
        let c = Catalog::current();
        // The bike carrier needs the tow bar.
        let sel = pick(&c, &c.empty_selection(), "ACC_BIKE_CARRIER");
        let car = c.complete(&sel).unwrap();
        assert!(c.is_chosen(&car, "OPT_TOW_BAR"));
        let statuses = c.statuses(&sel).unwrap();
        assert!(statuses.contains(&("OPT_TOW_BAR".into(), Status::Fixed)));
        let why = c.why_not(&sel, "OPT_TOW_BAR");
        assert_eq!(why[0].kind, RuleKind::Requires);
    }

    #[test]
    fn excludes_and_its_resolution() {
        let c = Catalog::current();
        let sel = pick(&c, &c.empty_selection(), "SRV_MAINT_3Y");
        assert!(c.select(&sel, "SRV_MAINT_5Y").is_err());
        let why = c.why_not(&sel, "SRV_MAINT_5Y");
        assert_eq!(
            why.iter().map(|r| r.kind).collect::<Vec<_>>(),
            vec![RuleKind::Excludes]
        );
        let res = c.resolve(&sel, "SRV_MAINT_5Y").unwrap();
        assert!(!c.is_chosen(&res.configuration, "SRV_MAINT_3Y"));
        assert!(c.is_chosen(&res.configuration, "SRV_MAINT_5Y"));
    }

    #[test]
    fn a_pack_includes_its_options() {
        let c = Catalog::current();
        let sel = pick(&c, &c.empty_selection(), "PROPLUS");
        let sel = pick(&c, &sel, "PACK_WINTER");
        let car = c.complete(&sel).unwrap();
        assert!(c.is_chosen(&car, "OPT_HEAT_PUMP") && c.is_chosen(&car, "OPT_HEATED_WHEEL"));
        let why = c.why_not(&sel, "OPT_HEAT_PUMP");
        assert_eq!(why[0].kind, RuleKind::Includes);
    }

    #[test]
    fn the_launch_edition_has_its_fixed_look() {
        let c = Catalog::current();
        let sel = pick(&c, &c.empty_selection(), "LAUNCH");
        let car = c.complete(&sel).unwrap();
        for code in [
            "PAINT_LAUNCH_WHITE",
            "ROOF_GOLD",
            "WHEEL_19_PRISM",
            "INT_LAUNCH",
        ] {
            assert!(c.is_chosen(&car, code), "{code}");
        }
        let statuses = c.statuses(&sel).unwrap();
        assert!(statuses.contains(&("PAINT_LASER_RED".into(), Status::Unavailable)));
    }

    #[test]
    fn unknown_codes_are_a_clear_error() {
        let c = Catalog::current();
        assert_eq!(
            c.select(&c.empty_selection(), "NOPE"),
            Err(SelectError::UnknownCode("NOPE".into()))
        );
    }

    #[test]
    fn a_paint_of_another_line_on_the_default_car_asks_first() {
        let c = Catalog::current();
        let p = c.pick(&c.empty_selection(), "PAINT_MATTE_GREY").unwrap();
        assert!(
            p.needs_confirmation,
            "the line would change from Pro to BRABUS"
        );
        assert!(
            p.also
                .iter()
                .any(|(g, from, to)| g.en == "Line" && from.en == "Pro" && to.en == "BRABUS"),
            "{:?}",
            p.also
        );
        let before = c.price(&c.complete(&c.empty_selection()).unwrap()).gross;
        assert_eq!(p.total_change, c.price(&p.configuration).gross - before);
        assert!(
            p.total_change.0 > 1_000_000,
            "Pro to BRABUS: {:?}",
            p.total_change
        );
        let launch = c.pick(&c.empty_selection(), "PAINT_LAUNCH_WHITE").unwrap();
        assert!(launch.needs_confirmation);
    }

    #[test]
    fn what_a_choice_brings_along_is_shown_not_asked() {
        let c = Catalog::current();
        let p = c.pick(&c.empty_selection(), "ACC_BIKE_CARRIER").unwrap();
        assert!(!p.needs_confirmation);
        assert_eq!(p.also.len(), 1, "{:?}", p.also);
        assert_eq!(p.also[0].2.en, "Electric swivelling tow bar");
        assert_eq!(p.also_price, Cents(99_000));
        assert_eq!(p.total_change, Cents(64_900 + 99_000));
    }

    #[test]
    fn a_plain_choice_changes_nothing_else() {
        let c = Catalog::current();
        let p = c.pick(&c.empty_selection(), "PAINT_QUANTUM_GREY").unwrap();
        assert!(!p.needs_confirmation);
        assert!(p.also.is_empty());
        assert_eq!((p.total_change, p.also_price), (Cents(99_000), Cents::ZERO));
        // Picking a line is asking for it: what follows from it is shown, not asked.
        let line = c.pick(&c.empty_selection(), "BRABUS").unwrap();
        assert!(!line.needs_confirmation);
        assert!(!line.also.is_empty());
    }

    #[test]
    fn a_second_wallbox_replaces_the_first() {
        let c = Catalog::current();
        let sel = pick(
            &c,
            &c.select(&c.empty_selection(), "PREMIUM").unwrap(),
            "CHG_WALLBOX_11",
        );
        let p = c.pick(&sel, "CHG_WALLBOX_22").unwrap();
        assert!(!p.needs_confirmation);
        assert!(c.is_chosen(&p.configuration, "CHG_WALLBOX_22"));
        assert!(!c.is_chosen(&p.configuration, "CHG_WALLBOX_11"));
        assert_eq!(p.also.len(), 1, "{:?}", p.also);
        assert_eq!(p.also_price, Cents(-119_000));
        // A conflict across groups is still the conflict dialog's.
        let sel = pick(
            &c,
            &c.select(&c.empty_selection(), "PREMIUM").unwrap(),
            "PAINT_LASER_RED",
        );
        assert!(matches!(
            c.pick(&sel, "PAINT_MATTE_GREY"),
            Err(SelectError::NotPossible(_))
        ));
    }

    #[test]
    fn a_default_line_in_the_way_is_named_as_the_reason() {
        let c = Catalog::current();
        let reasons: Vec<String> = c
            .why_not_on_car(&c.empty_selection(), "PACK_TECH_PLUS")
            .iter()
            .map(|r| r.reason.de.clone())
            .collect();
        assert!(
            reasons.iter().any(|r| r.contains("nur für die Linie Pro+")),
            "{reasons:?}"
        );
    }
}

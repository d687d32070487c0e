//! Invariants of the domain, checked on random inputs.

use domain::{Catalog, Status};
use proptest::prelude::*;
use rules::{Engine, Val};
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(Catalog::current)
}

/// Walks the configurator picking only what it offers; returns the selection.
fn walk(picks: &[usize]) -> domain::Selection {
    let c = catalog();
    let mut sel = c.empty_selection();
    for &p in picks {
        let statuses = c
            .statuses(&sel)
            .expect("an offered choice never leads to a dead end");
        let offered: Vec<&String> = statuses
            .iter()
            .filter(|(_, s)| matches!(s, Status::Available | Status::Chosen))
            .map(|(c, _)| c)
            .collect();
        let code = offered[p % offered.len()];
        sel = c
            .select(&sel, code)
            .unwrap_or_else(|e| panic!("offered {code} but: {e}"));
    }
    sel
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// "ab ..." (line cards, the home page, the comparison) is never more than a car of that line
    /// that can be built and ordered: no random valid car of the line is cheaper.
    #[test]
    fn no_valid_car_of_a_line_is_cheaper_than_its_from_price(picks in prop::collection::vec(any::<usize>(), 1..25)) {
        let c = catalog();
        let car = c.complete(&walk(&picks)).unwrap();
        let line = c.chosen_in(&car, "line").unwrap();
        let from = c.from_price(&line.code).unwrap();
        prop_assert!(c.price(&car).gross >= from, "{} for {:?} below from {:?}", c.price(&car).gross.0, line.code, from);
        // And the from price is a real car of that line, valid and priced as charged.
        let cheapest = c.cheapest_car(&line.code).unwrap();
        prop_assert!(c.validate(&cheapest).is_ok());
        prop_assert_eq!(c.chosen_in(&cheapest, "line").map(|l| &l.code), Some(&line.code));
        prop_assert_eq!(c.price(&cheapest).gross, from);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_walk_over_offered_values_never_meets_a_dead_end(picks in prop::collection::vec(any::<usize>(), 1..25)) {
        let c = catalog();
        let sel = walk(&picks);
        let car = c.complete(&sel).unwrap();
        prop_assert!(c.validate(&car).is_ok());
    }

    #[test]
    fn defaults_complete_every_consistent_partial_selection(raw in prop::collection::vec(any::<(bool, u32)>(), 64)) {
        let c = catalog();
        let vars = c.model().vars();
        let sel = domain::Selection(vars.iter().zip(&raw).map(|(v, &(set, x))| set.then_some(x % v.size as Val)).collect());
        if Engine::new(c.model()).is_consistent(&sel.0) {
            let car = c.complete(&sel).expect("consistent selections complete");
            prop_assert!(c.validate(&car).is_ok());
            for (s, v) in sel.0.iter().zip(&car.0) {
                if let Some(s) = s { prop_assert_eq!(s, v); }
            }
        } else {
            prop_assert!(c.complete(&sel).is_none());
        }
    }

    #[test]
    fn the_price_is_the_sum_of_its_items_to_the_cent(picks in prop::collection::vec(any::<usize>(), 0..20)) {
        let c = catalog();
        let car = c.complete(&walk(&picks)).unwrap();
        let p = c.price(&car);
        prop_assert_eq!(p.gross, p.items.iter().map(|i| i.gross).sum());
        prop_assert_eq!(p.net, p.items.iter().map(|i| i.net).sum());
        prop_assert_eq!(p.gross, p.net + p.vat);
        for i in &p.items {
            prop_assert_eq!(i.gross, i.net + i.vat);
        }
    }

    #[test]
    fn every_valid_configuration_round_trips_through_its_code(picks in prop::collection::vec(any::<usize>(), 0..20)) {
        let c = catalog();
        let sel = walk(&picks);
        prop_assert_eq!(c.decode(&c.encode(&sel)), Ok(sel.clone()));
        let full = c.selection_of(&c.complete(&sel).unwrap());
        let code = c.encode(&full);
        prop_assert!(code.len() <= 24);
        prop_assert_eq!(c.decode(&code), Ok(full));
    }

    #[test]
    fn random_strings_never_panic_the_decoder_and_are_rejected(s in "\\PC{0,40}") {
        prop_assert!(catalog().decode(&s).is_err());
    }

    #[test]
    fn mistyped_codes_are_rejected(picks in prop::collection::vec(any::<usize>(), 0..10), pos in any::<usize>(), shift in 1usize..31) {
        // The read-aloud digits: one character heard or typed wrong.
        const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        let c = catalog();
        let mut code = c.encode(&walk(&picks)).into_bytes();
        let i = 1 + pos % (code.len() - 1);
        let at = ALPHABET.iter().position(|&b| b == code[i]).unwrap();
        code[i] = ALPHABET[(at + shift) % ALPHABET.len()];
        let text = String::from_utf8(code).unwrap();
        prop_assert!(c.decode(&text).is_err(), "{} decoded", text);
    }
}

/// What a choice's card says it costs, checked against what picking it really does (issue 33:
/// a card said +11.500 € for a pick that cost 12.490 €). The car after the pick is rebuilt
/// from the selection the configurator applies (the pick's, or the conflict dialog's smallest
/// change), completed afresh and priced: the card's figure is exactly the total's change.
fn card_matches_the_pick(sel: &domain::Selection) -> Result<(), TestCaseError> {
    let c = catalog();
    let car = c.complete(sel).unwrap();
    let (now, weeks_now) = (c.price(&car).gross, c.delivery_weeks(&car));
    for group in c.groups() {
        for choice in &group.choices {
            let shown = c.pick_effect(sel, &choice.code);
            let applied = match c.pick(sel, &choice.code) {
                Ok(p) => Some(p.selection),
                Err(_) => c.resolve(sel, &choice.code).map(|r| r.selection),
            };
            match (shown, applied) {
                (Some(shown), Some(next)) => {
                    let after = c.complete(&next).unwrap();
                    prop_assert_eq!(shown.total, c.price(&after).gross - now, "{}", choice.code);
                    prop_assert_eq!(
                        shown.weeks,
                        i64::from(c.delivery_weeks(&after)) - i64::from(weeks_now),
                        "{} (weeks)",
                        choice.code
                    );
                }
                (None, None) => {}
                (shown, applied) => prop_assert!(
                    false,
                    "{}: shown {:?}, applied {:?}",
                    choice.code,
                    shown,
                    applied.is_some()
                ),
            }
        }
    }
    Ok(())
}

#[test]
fn every_card_of_every_line_shows_what_its_pick_costs() {
    let c = catalog();
    for line in c.lines() {
        let sel = c.select(&c.empty_selection(), &line.code).unwrap();
        card_matches_the_pick(&sel).unwrap();
    }
    // The example: from a Premium, BRABUS costs what the total rises by, paint change
    // included, not the difference of the two lines' list prices.
    let premium = c.select(&c.empty_selection(), "PREMIUM").unwrap();
    let brabus = c.pick_effect(&premium, "BRABUS").unwrap().total;
    let after = c
        .price(&c.car_after_pick(&premium, "BRABUS").unwrap())
        .gross;
    assert_eq!(
        brabus,
        after - c.price(&c.complete(&premium).unwrap()).gross
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn on_any_car_every_card_shows_what_its_pick_costs(picks in prop::collection::vec(any::<usize>(), 0..12)) {
        card_matches_the_pick(&walk(&picks))?;
    }
}

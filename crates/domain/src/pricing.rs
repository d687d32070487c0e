//! What a car costs: list price items with net and VAT, financing and leasing rates, and the
//! delivery estimate. All money is integer cents; every division rounds explicitly.

use crate::catalog::Catalog;
use crate::configure::{Configuration, Selection};
use crate::i18n::Text;
use crate::money::Cents;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceItem {
    pub code: String,
    pub name: Text,
    pub gross: Cents,
    pub net: Cents,
    pub vat: Cents,
    /// The choice that includes this one (a pack, a line's fixed look): not charged again.
    pub included_in: Option<String>,
}

/// Gross list price incl. VAT, net and VAT, one item per choice. VAT is computed per item
/// (net = gross / (1 + rate), rounded half away from zero, VAT = gross - net), so the totals
/// are the sums of the items and gross = net + VAT holds to the cent everywhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceBreakdown {
    pub price_list_version: String,
    pub items: Vec<PriceItem>,
    pub gross: Cents,
    pub net: Cents,
    pub vat: Cents,
    pub vat_rate_bp: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FinancingRequest {
    pub term_months: u32,
    pub down_payment: Cents,
    /// A final instalment after the last monthly rate (balloon financing); zero for a plain loan.
    #[serde(default)]
    pub balloon: Cents,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Financing {
    pub term_months: u32,
    pub down_payment: Cents,
    /// Financed amount: price minus down payment.
    pub principal: Cents,
    pub nominal_rate_bp: u32,
    /// Effective annual rate in basis points, (1 + nominal/12)^12 - 1.
    pub effective_rate_bp: u32,
    pub monthly_rate: Cents,
    /// The final instalment (balloon), zero for a plain loan.
    #[serde(default)]
    pub balloon: Cents,
    /// Down payment, all monthly rates and the final instalment.
    pub total_amount: Cents,
    pub total_interest: Cents,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeasingRequest {
    pub term_months: u32,
    pub yearly_km: u32,
    pub down_payment: Cents,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Leasing {
    pub term_months: u32,
    pub yearly_km: u32,
    pub down_payment: Cents,
    pub monthly_rate: Cents,
    pub total_amount: Cents,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RateError {
    #[error("the term must be between {min} and {max} months")]
    Term { min: u32, max: u32 },
    #[error("the down payment must be between 0 and the price")]
    DownPayment,
    #[error("the final instalment must be between 0 and {} euros, and not more than the amount financed", .max.0 / 100)]
    Balloon { max: Cents },
    #[error("leasing is offered for {terms:?} months and {km:?} km a year")]
    LeasingChoice { terms: Vec<u32>, km: Vec<u32> },
}

impl Catalog {
    /// The lowest price of a car of `line` ("ab ..." on its card, the home page and the
    /// comparison): the cheapest valid car of that line, computed, never typed.
    pub fn from_price(&self, line: &str) -> Option<Cents> {
        Some(self.price(&self.cheapest_car(line)?).gross)
    }

    /// The cheapest valid car of `line`: every combination of the single-choice groups (paint,
    /// wheels, ...), each with no option the rules do not force, priced as it would be charged.
    /// The first in catalog order wins a tie. Exhaustive over the single groups, so it cannot
    /// miss a cheaper paint that a rule ties to cheaper wheels.
    pub fn cheapest_car(&self, line: &str) -> Option<Configuration> {
        let engine = rules::Engine::new(&self.model);
        let start = self.select(&self.empty_selection(), line).ok()?;
        let singles: Vec<usize> = (0..self.var_groups.len())
            .filter(|&v| self.var_groups[v].1.is_none() && start.0[v].is_none())
            .collect();
        let mut best: Option<(Cents, Configuration)> = None;
        let mut selection = start.0.clone();
        self.cheapest_from(&engine, &singles, &mut selection, &mut best);
        best.map(|(_, car)| car)
    }

    fn cheapest_from(
        &self,
        engine: &rules::Engine,
        singles: &[usize],
        selection: &mut Vec<Option<rules::Val>>,
        best: &mut Option<(Cents, Configuration)>,
    ) {
        let Some((&var, rest)) = singles.split_first() else {
            // Options off where the rules allow it, then the rest by the catalog's defaults.
            let mut options = selection.clone();
            for v in (0..options.len()).filter(|&v| self.var_groups[v].1.is_some()) {
                options[v] = Some(0);
                if !engine.is_consistent(&options) {
                    options[v] = None;
                }
            }
            if let Some(car) = engine.complete(&options).map(Configuration) {
                let gross = self.price(&car).gross;
                if best.as_ref().is_none_or(|(b, _)| gross < *b) {
                    *best = Some((gross, car));
                }
            }
            return;
        };
        for val in 0..self.model.vars()[var].size as rules::Val {
            selection[var] = Some(val);
            if engine.is_consistent(selection) {
                self.cheapest_from(engine, rest, selection, best);
            }
        }
        selection[var] = None;
    }

    pub fn price(&self, config: &Configuration) -> PriceBreakdown {
        let chosen: Vec<_> = self.chosen(config).collect();
        let items: Vec<PriceItem> = chosen
            .iter()
            .map(|choice| {
                let included_in = chosen
                    .iter()
                    .find(|other| other.includes.contains(&choice.code))
                    .map(|o| o.code.clone());
                let gross = if included_in.is_some() {
                    Cents::ZERO
                } else {
                    choice.price
                };
                let net = gross.mul_div_round(10_000, 10_000 + self.data.vat_rate_bp as i64);
                PriceItem {
                    code: choice.code.clone(),
                    name: choice.name.clone(),
                    gross,
                    net,
                    vat: gross - net,
                    included_in,
                }
            })
            .collect();
        PriceBreakdown {
            price_list_version: self.data.price_list_version.clone(),
            gross: items.iter().map(|i| i.gross).sum(),
            net: items.iter().map(|i| i.net).sum(),
            vat: items.iter().map(|i| i.vat).sum(),
            items,
            vat_rate_bp: self.data.vat_rate_bp,
        }
    }

    pub fn default_financing(&self) -> FinancingRequest {
        let f = &self.data.financing;
        FinancingRequest {
            term_months: f.default_term_months,
            down_payment: f.default_down_payment,
            balloon: Cents::ZERO,
        }
    }

    pub fn default_leasing(&self) -> LeasingRequest {
        let l = &self.data.leasing;
        LeasingRequest {
            term_months: l.default_term_months,
            yearly_km: l.default_yearly_km,
            down_payment: l.default_down_payment,
        }
    }

    /// The largest final instalment offered on a car of `price`.
    pub fn max_balloon(&self, price: Cents) -> Cents {
        Cents(price.0 * self.data.financing.max_balloon_bp as i64 / 10_000)
    }

    /// An annuity loan: monthly rate = (P - B * (1 + r)^-n) * r / (1 - (1 + r)^-n) with
    /// r = nominal / 12 and a final instalment B (zero for a plain loan).
    /// Powers by repeated multiplication (no `powf`), so browser and server agree to the cent.
    pub fn financing(&self, price: Cents, req: &FinancingRequest) -> Result<Financing, RateError> {
        let f = &self.data.financing;
        if !(f.min_term_months..=f.max_term_months).contains(&req.term_months) {
            return Err(RateError::Term {
                min: f.min_term_months,
                max: f.max_term_months,
            });
        }
        if req.down_payment.0 < 0 || req.down_payment > price {
            return Err(RateError::DownPayment);
        }
        let principal = price - req.down_payment;
        let max = self.max_balloon(price);
        if req.balloon.0 < 0 || req.balloon > max || req.balloon > principal {
            return Err(RateError::Balloon { max });
        }
        let r = f.nominal_rate_bp as f64 / 10_000.0 / 12.0;
        let growth = |n: u32| (0..n).fold(1.0f64, |acc, _| acc * (1.0 + r));
        let n = req.term_months;
        let monthly = if r == 0.0 {
            (principal - req.balloon).0 as f64 / n as f64
        } else {
            (principal.0 as f64 - req.balloon.0 as f64 / growth(n)) * r / (1.0 - 1.0 / growth(n))
        };
        let monthly_rate = Cents(monthly.round() as i64);
        let effective_rate_bp = ((growth(12) - 1.0) * 10_000.0).round() as u32;
        let total_amount = req.down_payment + Cents(monthly_rate.0 * n as i64) + req.balloon;
        Ok(Financing {
            term_months: req.term_months,
            down_payment: req.down_payment,
            principal,
            nominal_rate_bp: f.nominal_rate_bp,
            effective_rate_bp,
            monthly_rate,
            balloon: req.balloon,
            total_amount,
            total_interest: total_amount - price,
        })
    }

    /// Leasing from the price list's factors: monthly = gross * factor - down payment spread over
    /// the term, never below zero.
    pub fn leasing(&self, price: Cents, req: &LeasingRequest) -> Result<Leasing, RateError> {
        let l = &self.data.leasing;
        let t = l.terms_months.iter().position(|&t| t == req.term_months);
        let k = l.yearly_km.iter().position(|&k| k == req.yearly_km);
        let (Some(t), Some(k)) = (t, k) else {
            return Err(RateError::LeasingChoice {
                terms: l.terms_months.clone(),
                km: l.yearly_km.clone(),
            });
        };
        if req.down_payment.0 < 0 || req.down_payment > price {
            return Err(RateError::DownPayment);
        }
        let base = price.mul_div_round(l.factors_bp[t][k] as i64, 10_000);
        let credit = req.down_payment.mul_div_round(1, req.term_months as i64);
        let monthly_rate = Cents((base - credit).0.max(0));
        Ok(Leasing {
            term_months: req.term_months,
            yearly_km: req.yearly_km,
            down_payment: req.down_payment,
            monthly_rate,
            total_amount: req.down_payment + Cents(monthly_rate.0 * req.term_months as i64),
        })
    }

    /// Weeks until the car is at the agent: a stock-like car in the base time; every built-to-order
    /// choice adds its weeks, up to the maximum. What a pack includes comes with the pack's weeks
    /// (as it comes with its price), not on top of them.
    pub fn delivery_weeks(&self, config: &Configuration) -> u32 {
        let d = &self.data.delivery;
        let chosen: Vec<_> = self.chosen(config).collect();
        let extra: u32 = chosen
            .iter()
            .filter(|c| !chosen.iter().any(|o| o.includes.contains(&c.code)))
            .map(|c| c.extra_weeks)
            .sum();
        (d.base_weeks + extra).min(d.max_weeks)
    }

    /// What a choice's card says picking it does: the change of the total and of the delivery
    /// estimate, with everything it drags along (a default, a swapped paint, a line change),
    /// from one car after the pick: the same pick the configurator then applies and charges.
    /// `None` for an unknown code or a choice nothing makes possible.
    pub fn pick_effect(&self, selection: &Selection, code: &str) -> Option<PickEffect> {
        let now = self.complete(selection)?;
        let after = self.car_after_pick(selection, code)?;
        Some(PickEffect {
            total: self.price(&after).gross - self.price(&now).gross,
            weeks: i64::from(self.delivery_weeks(&after)) - i64::from(self.delivery_weeks(&now)),
        })
    }
}

/// What picking a choice changes: the total (gross) and the delivery estimate in weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PickEffect {
    pub total: Cents,
    pub weeks: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn car(codes: &[&str]) -> (Catalog, Configuration) {
        let c = Catalog::current();
        let mut sel = c.empty_selection();
        for code in codes {
            sel = c.select(&sel, code).unwrap();
        }
        let config = c.complete(&sel).unwrap();
        (c, config)
    }

    #[test]
    fn a_plain_pro_costs_its_list_price() {
        let (c, config) = car(&["PRO"]);
        let p = c.price(&config);
        assert_eq!(p.gross, Cents(3_749_000));
        assert_eq!(p.net + p.vat, p.gross);
        // 37,490.00 / 1.19 = 31,504.20
        assert_eq!(p.items[0].net, Cents(3_150_420));
    }

    #[test]
    fn pack_contents_are_not_charged_twice() {
        let (c, config) = car(&["PROPLUS", "PACK_WINTER"]);
        let p = c.price(&config);
        let item = |code: &str| p.items.iter().find(|i| i.code == code).unwrap().clone();
        assert_eq!(item("PACK_WINTER").gross, Cents(89_000));
        assert_eq!(item("OPT_HEAT_PUMP").gross, Cents::ZERO);
        assert_eq!(
            item("OPT_HEAT_PUMP").included_in.as_deref(),
            Some("PACK_WINTER")
        );
        assert_eq!(p.gross, Cents(4_149_000 + 89_000));
    }

    #[test]
    fn financing_follows_the_annuity_formula() {
        let c = Catalog::current();
        let f = c
            .financing(
                Cents(4_149_000),
                &FinancingRequest {
                    term_months: 48,
                    down_payment: Cents(500_000),
                    balloon: Cents::ZERO,
                },
            )
            .unwrap();
        assert_eq!(f.principal, Cents(3_649_000));
        // 36,490 EUR at 4.99 % nominal over 48 months: 840.17 EUR a month (annuity formula).
        assert_eq!(f.monthly_rate, Cents(84_017));
        assert_eq!(f.effective_rate_bp, 511);
        assert_eq!(f.total_amount, Cents(500_000 + 84_017 * 48));
        assert_eq!(f.total_interest, f.total_amount - Cents(4_149_000));
    }

    #[test]
    fn a_balloon_lowers_the_rate_and_is_paid_at_the_end() {
        let c = Catalog::current();
        let price = Cents(4_149_000);
        let req = |balloon| FinancingRequest {
            term_months: 48,
            down_payment: Cents(500_000),
            balloon,
        };
        let plain = c.financing(price, &req(Cents::ZERO)).unwrap();
        let balloon = c.financing(price, &req(Cents(1_500_000))).unwrap();
        assert!(balloon.monthly_rate < plain.monthly_rate);
        assert_eq!(balloon.balloon, Cents(1_500_000));
        assert_eq!(
            balloon.total_amount,
            Cents(500_000 + balloon.monthly_rate.0 * 48 + 1_500_000)
        );
        // The rates and the balloon, discounted at the loan's rate, pay back exactly the principal.
        let r = 499.0 / 10_000.0 / 12.0;
        let pv: f64 = (1..=48)
            .map(|k| balloon.monthly_rate.0 as f64 / (1.0f64 + r).powi(k))
            .sum::<f64>()
            + 1_500_000.0 / (1.0f64 + r).powi(48);
        assert!((pv - balloon.principal.0 as f64).abs() < 48.0, "{pv}");
        // More than the price list allows, more than is financed, or negative: refused.
        let max = c.max_balloon(price);
        assert!(max > Cents::ZERO);
        assert_eq!(
            c.financing(price, &req(max + Cents(1))),
            Err(RateError::Balloon { max })
        );
        assert!(c.financing(price, &req(Cents(-1))).is_err());
        let all_down = FinancingRequest {
            term_months: 48,
            down_payment: price - Cents(100),
            balloon: Cents(200),
        };
        assert!(c.financing(price, &all_down).is_err());
    }

    #[test]
    fn bad_financing_and_leasing_inputs_are_refused() {
        let c = Catalog::current();
        let price = Cents(4_000_000);
        assert!(c
            .financing(
                price,
                &FinancingRequest {
                    term_months: 6,
                    down_payment: Cents::ZERO,
                    balloon: Cents::ZERO,
                }
            )
            .is_err());
        assert!(c
            .financing(
                price,
                &FinancingRequest {
                    term_months: 24,
                    down_payment: Cents(5_000_000),
                    balloon: Cents::ZERO,
                }
            )
            .is_err());
        assert!(c
            .leasing(
                price,
                &LeasingRequest {
                    term_months: 30,
                    yearly_km: 10_000,
                    down_payment: Cents::ZERO
                }
            )
            .is_err());
    }

    #[test]
    fn leasing_uses_the_factor_table() {
        let c = Catalog::current();
        let l = c
            .leasing(
                Cents(4_000_000),
                &LeasingRequest {
                    term_months: 36,
                    yearly_km: 15_000,
                    down_payment: Cents(360_000),
                },
            )
            .unwrap();
        // 40,000 * 1.11 % = 444.00, minus 3,600 / 36 = 100.00
        assert_eq!(l.monthly_rate, Cents(34_400));
    }

    #[test]
    fn delivery_is_twelve_weeks_for_a_stock_car_and_at_most_thirty_two() {
        let (c, config) = car(&["PRO"]);
        assert_eq!(c.delivery_weeks(&config), 12);
        let (c, config) = car(&["BRABUS", "PAINT_MATTE_GREY"]);
        assert_eq!(c.delivery_weeks(&config), 12 + 8 + 6);
        let (c, config) = car(&[
            "PROPLUS",
            "PAINT_STELLAR_BLUE",
            "WHEEL_19_STYLE",
            "INT_VEGAN_BEIGE",
            "PACK_WINTER",
            "PACK_TECH_PLUS",
            "OPT_TOW_BAR",
        ]);
        // Paint 4, wheels 2, interior 4, the packs 2 + 3, tow bar 4: what the packs include
        // (heat pump, 22-kW charger) comes with their weeks, not on top.
        assert_eq!(c.delivery_weeks(&config), 12 + 4 + 2 + 4 + 2 + 3 + 4);
        assert!(c.delivery_weeks(&config) <= 32);
    }

    #[test]
    fn a_pack_brings_its_weeks_once_and_the_card_says_what_the_estimate_becomes() {
        let c = Catalog::current();
        let sel = c.select(&c.empty_selection(), "PROPLUS").unwrap();
        let base = c.delivery_weeks(&c.complete(&sel).unwrap());
        let with_pack = c
            .complete(&c.select(&sel, "PACK_TECH_PLUS").unwrap())
            .unwrap();
        // The pack's 3 weeks, not 3 more for the 22-kW charger it includes.
        assert_eq!(c.delivery_weeks(&with_pack), base + 3);
        assert_eq!(c.pick_effect(&sel, "PACK_TECH_PLUS").unwrap().weeks, 3);
        assert_eq!(c.pick_effect(&sel, "OPT_PRIVACY_GLASS").unwrap().weeks, 0);
    }
}

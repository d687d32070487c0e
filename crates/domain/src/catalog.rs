//! The price list: lines, feature groups and choices with their declarative rules, read from
//! `data/catalog/*.json` (in the types of `catalog_file.rs`) and checked on load. The rules
//! become an engine model in `rules.rs`.

use crate::catalog_file::{CatalogFile, Choice, Group, GroupKind, Step};
use crate::rules::{ChoiceRef, Rule};
use rules::{Model, Val};
use std::collections::HashMap;

/// The price lists compiled into this build: (file name, contents). The newest comes last.
#[cfg(not(target_arch = "wasm32"))]
const EMBEDDED: &[(&str, &str)] = &[(
    "data/catalog/smart1-de-2023.json",
    include_str!("../../../data/catalog/smart1-de-2023.json"),
)];

/// In the browser the same price lists in a compact binary form (postcard) of the same data:
/// decoding it needs a fraction of the code a JSON reader for these types does, which every
/// customer downloads. `data/catalog/*.postcard` are made from the JSON files; the test
/// `the_compact_price_list_is_the_json_one` checks they are current (and rewrites them with
/// `UPDATE_CATALOG_BLOBS=1`).
#[cfg(target_arch = "wasm32")]
const EMBEDDED: &[(&str, &[u8])] = &[(
    "data/catalog/smart1-de-2023.postcard",
    include_bytes!("../../../data/catalog/smart1-de-2023.postcard"),
)];

/// The JSON price lists and their compact twins, for the test that keeps them in step.
#[doc(hidden)]
pub const SOURCES: &[(&str, &str, &str)] = &[(
    "data/catalog/smart1-de-2023.json",
    include_str!("../../../data/catalog/smart1-de-2023.json"),
    "data/catalog/smart1-de-2023.postcard",
)];

/// A loading error names the file, the entry and why.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{file}: {entry}: {reason}")]
pub struct CatalogError {
    pub file: String,
    pub entry: String,
    pub reason: String,
}

/// A loaded, checked price list with its rule model.
#[derive(Clone, Debug)]
pub struct Catalog {
    pub data: CatalogFile,
    pub(crate) refs: HashMap<String, ChoiceRef>,
    /// For each engine variable: its group, and for multi groups the choice index.
    pub(crate) var_groups: Vec<(usize, Option<usize>)>,
    pub(crate) model: Model,
    pub(crate) rules: Vec<Rule>,
    /// The line group's index.
    pub(crate) line_group: usize,
}

impl Catalog {
    /// Every price list this build carries, oldest first.
    pub fn embedded() -> Vec<Catalog> {
        EMBEDDED
            .iter()
            .map(|(file, data)| Catalog::load(file, data))
            .collect()
    }

    /// The current price list.
    pub fn current() -> Catalog {
        let (file, data) = EMBEDDED[EMBEDDED.len() - 1];
        Catalog::load(file, data)
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn load(file: &str, json: &str) -> Catalog {
        Catalog::from_json(file, json).expect("embedded catalog is checked by tests")
    }

    #[cfg(target_arch = "wasm32")]
    fn load(file: &str, bytes: &[u8]) -> Catalog {
        Catalog::from_compact(file, bytes).expect("embedded catalog is checked by tests")
    }

    /// A price list in the compact form (postcard) of [`CatalogFile`].
    pub fn from_compact(file: &str, bytes: &[u8]) -> Result<Catalog, CatalogError> {
        let data: CatalogFile = postcard::from_bytes(bytes).map_err(|e| CatalogError {
            file: file.into(),
            entry: "compact form".into(),
            reason: e.to_string(),
        })?;
        Catalog::from_data(file, data)
    }

    /// The compact form of this price list's data.
    pub fn to_compact(&self) -> Vec<u8> {
        postcard::to_allocvec(&self.data).expect("catalog data serialises")
    }

    pub fn from_json(file: &str, json: &str) -> Result<Catalog, CatalogError> {
        let data: CatalogFile = serde_json::from_str(json).map_err(|e| CatalogError {
            file: file.into(),
            entry: format!("line {}", e.line()),
            reason: e.to_string(),
        })?;
        Catalog::from_data(file, data)
    }

    pub fn from_data(file: &str, data: CatalogFile) -> Result<Catalog, CatalogError> {
        let err = |entry: &str, reason: String| CatalogError {
            file: file.into(),
            entry: entry.into(),
            reason,
        };
        let line_group = data
            .groups
            .iter()
            .position(|g| g.step == Step::Line && g.kind == GroupKind::Single)
            .ok_or_else(|| err("groups", "no single-choice group in step \"line\"".into()))?;
        let (refs, var_groups) = choice_refs(&data, &err)?;
        check_terms(&data, &err)?;
        let (model, rules) = crate::rules::compile(&data, &refs, &var_groups, line_group)
            .map_err(|(entry, reason)| err(&entry, reason))?;
        let catalog = Catalog {
            data,
            refs,
            var_groups,
            model,
            rules,
            line_group,
        };
        if !catalog.code_fits() {
            return Err(err(
                "groups",
                "too many choices for a configuration code".into(),
            ));
        }
        // Every line must be buildable, or customers would be offered a car nobody can order.
        for line in &catalog.data.groups[line_group].choices {
            let mut sel = catalog.empty_selection();
            let r = catalog.refs[&line.code];
            sel.0[r.var] = Some(r.val);
            if catalog.complete(&sel).is_none() {
                return Err(err(
                    &line.code,
                    "no valid configuration exists for this line".into(),
                ));
            }
        }
        Ok(catalog)
    }

    pub fn version(&self) -> &str {
        &self.data.price_list_version
    }

    pub fn groups(&self) -> &[Group] {
        &self.data.groups
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn choice_ref(&self, code: &str) -> Option<ChoiceRef> {
        self.refs.get(code).copied()
    }

    pub fn choice(&self, code: &str) -> Option<&Choice> {
        self.refs
            .get(code)
            .map(|r| &self.data.groups[r.group].choices[r.index])
    }

    pub fn group(&self, code: &str) -> Option<&Group> {
        self.data.groups.iter().find(|g| g.code == code)
    }

    pub fn lines(&self) -> &[Choice] {
        &self.data.groups[self.line_group].choices
    }
}

/// Where each choice sits in the engine (its [`ChoiceRef`]) and which group each variable
/// stands for; an error names the entry (a group or choice code) and why.
#[allow(clippy::type_complexity)]
fn choice_refs(
    data: &CatalogFile,
    err: &impl Fn(&str, String) -> CatalogError,
) -> Result<(HashMap<String, ChoiceRef>, Vec<(usize, Option<usize>)>), CatalogError> {
    let mut refs = HashMap::new();
    let mut var_groups = Vec::new();
    let mut group_codes = std::collections::HashSet::new();
    for (g, group) in data.groups.iter().enumerate() {
        if !group_codes.insert(group.code.as_str()) {
            return Err(err(&group.code, "group code used twice".into()));
        }
        if group.choices.is_empty() {
            return Err(err(&group.code, "group has no choices".into()));
        }
        if group.kind == GroupKind::Single {
            var_groups.push((g, None));
        }
        for (i, choice) in group.choices.iter().enumerate() {
            let valid_code = !choice.code.is_empty()
                && choice
                    .code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if !valid_code {
                return Err(err(
                    &choice.code,
                    "a code is 1+ characters of A-Z, 0-9 and _".into(),
                ));
            }
            if choice.price.0 < 0 {
                return Err(err(
                    &choice.code,
                    format!("negative price {}", choice.price.0),
                ));
            }
            let (var, val) = match group.kind {
                GroupKind::Single => (var_groups.len() - 1, i as Val),
                GroupKind::Multi => {
                    var_groups.push((g, Some(i)));
                    (var_groups.len() - 1, 1)
                }
            };
            if refs
                .insert(
                    choice.code.clone(),
                    ChoiceRef {
                        group: g,
                        index: i,
                        var,
                        val,
                    },
                )
                .is_some()
            {
                return Err(err(&choice.code, "choice code used twice".into()));
            }
        }
    }
    for group in &data.groups {
        for code in &group.defaults {
            if refs.get(code).map(|r| &data.groups[r.group].code) != Some(&group.code) {
                return Err(err(
                    &group.code,
                    format!("default {code} is not a choice of this group"),
                ));
            }
        }
    }
    Ok((refs, var_groups))
}

/// The financing and leasing tables are complete and their defaults in range.
fn check_terms(
    data: &CatalogFile,
    err: &impl Fn(&str, String) -> CatalogError,
) -> Result<(), CatalogError> {
    let leasing = &data.leasing;
    if leasing.factors_bp.len() != leasing.terms_months.len()
        || leasing
            .factors_bp
            .iter()
            .any(|row| row.len() != leasing.yearly_km.len())
    {
        return Err(err(
            "leasing",
            "factors_bp must have one row per term and one column per mileage".into(),
        ));
    }
    let fin = &data.financing;
    if !(fin.min_term_months..=fin.max_term_months).contains(&fin.default_term_months)
        || fin.min_term_months == 0
    {
        return Err(err(
            "financing",
            "default term outside the term range".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_json() -> String {
        EMBEDDED[EMBEDDED.len() - 1].1.to_string()
    }

    /// English texts write decimals with a point ("7.4 kW", issue 33 saw "7,4 kW"); a comma
    /// may only group thousands ("1,000").
    #[test]
    fn english_texts_write_decimals_the_english_way() {
        let decimal_comma = |text: &str| {
            let b = text.as_bytes();
            (1..b.len().saturating_sub(1)).any(|i| {
                let digits_after = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                b[i] == b',' && b[i - 1].is_ascii_digit() && (1..=2).contains(&digits_after)
            })
        };
        let c = Catalog::current();
        for g in c.groups() {
            for choice in &g.choices {
                for text in [&choice.name.en, &choice.description.en] {
                    assert!(!decimal_comma(text), "{}: {text}", choice.code);
                }
            }
        }
        assert!(
            decimal_comma("7,4 kW") && !decimal_comma("1,000 cars") && !decimal_comma("7.4 kW")
        );
    }

    #[test]
    fn the_compact_price_list_is_the_json_one() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");
        for (file, json, compact) in SOURCES {
            let from_json = Catalog::from_json(file, json).unwrap_or_else(|e| panic!("{e}"));
            let bytes = from_json.to_compact();
            let path = format!("{root}{compact}");
            if std::env::var_os("UPDATE_CATALOG_BLOBS").is_some() {
                std::fs::write(&path, &bytes).unwrap();
            }
            let committed = std::fs::read(&path).unwrap_or_default();
            assert!(
                committed == bytes,
                "{compact} is not {file}: run UPDATE_CATALOG_BLOBS=1 cargo test -p domain compact"
            );
            let back = Catalog::from_compact(compact, &committed).unwrap();
            assert_eq!(format!("{:?}", back.data), format!("{:?}", from_json.data));
        }
    }

    #[test]
    fn every_line_has_its_consumption_label_and_a_computed_from_price() {
        let c = Catalog::current();
        for line in c.lines() {
            let e = line
                .energy
                .unwrap_or_else(|| panic!("{} has no consumption", line.code));
            assert!((100..=300).contains(&e.consumption_kwh_100km_tenths));
            let from = c.from_price(&line.code).unwrap();
            assert!(
                from >= line.price,
                "{}: a car costs at least its line",
                line.code
            );
        }
        // The one verified figure (CATALOG_FACTS.md): Premium, 16.8 kWh/100 km.
        let premium = c.choice("PREMIUM").unwrap().energy.unwrap();
        assert_eq!(
            (premium.consumption_kwh_100km_tenths, premium.sample),
            (168, false)
        );
        // BRABUS starts above its line price (its default paint costs extra).
        assert!(c.from_price("BRABUS").unwrap() > c.choice("BRABUS").unwrap().price);
    }

    #[test]
    fn every_embedded_catalog_loads() {
        for (file, json) in EMBEDDED {
            Catalog::from_json(file, json).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn five_lines_with_verified_prices() {
        let c = Catalog::current();
        let prices: Vec<(String, i64)> = c
            .lines()
            .iter()
            .map(|l| (l.code.clone(), l.price.0 / 100))
            .collect();
        assert_eq!(
            prices,
            [
                ("PRO", 37_490),
                ("PROPLUS", 41_490),
                ("PREMIUM", 44_990),
                ("LAUNCH", 46_290),
                ("BRABUS", 48_990)
            ]
            .map(|(c, p)| (c.to_string(), p))
        );
        assert!(
            c.lines().iter().all(|l| !l.sample),
            "line prices are verified facts"
        );
    }

    fn broken(edit: impl Fn(&mut serde_json::Value)) -> CatalogError {
        let mut v: serde_json::Value = serde_json::from_str(&sample_json()).unwrap();
        edit(&mut v);
        Catalog::from_json("test.json", &v.to_string()).unwrap_err()
    }

    #[test]
    fn duplicate_codes_are_refused() {
        let e = broken(|v| {
            v["groups"][1]["choices"][1]["code"] = v["groups"][1]["choices"][0]["code"].clone()
        });
        assert_eq!(e.file, "test.json");
        assert!(e.reason.contains("used twice"), "{e}");
    }

    #[test]
    fn unknown_rule_targets_are_refused() {
        let e = broken(|v| {
            v["groups"][1]["choices"][0]["requires"] = serde_json::json!([["NO_SUCH_CODE"]])
        });
        assert!(e.to_string().contains("NO_SUCH_CODE"), "{e}");
    }

    #[test]
    fn negative_prices_are_refused() {
        let e = broken(|v| v["groups"][2]["choices"][0]["price"] = serde_json::json!(-100));
        assert!(e.reason.contains("negative"), "{e}");
    }

    #[test]
    fn a_line_without_any_valid_car_is_refused() {
        // Every paint excluded for the first line: it can never be built.
        let e = broken(|v| {
            let line = v["groups"][0]["choices"][0]["code"].clone();
            let paints: Vec<serde_json::Value> = v["groups"][1]["choices"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["code"].clone())
                .collect();
            v["groups"][0]["choices"][0]["excludes"] = serde_json::Value::Array(paints);
            assert_eq!(line, "PRO");
        });
        assert_eq!(e.entry, "PRO");
        assert!(e.reason.contains("no valid configuration"), "{e}");
    }

    #[test]
    fn malformed_json_names_the_line() {
        let e = Catalog::from_json("x.json", "{\n\"price_list_version\": ").unwrap_err();
        assert_eq!(e.file, "x.json");
        assert!(e.entry.starts_with("line"));
    }
}

//! The agency network: `GET /api/partners`, `GET /api/locations` (search by postcode, city or
//! partner; filter by service; sorted by distance), `GET /api/locations/{id}`.

use super::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use domain::locations::{Location, Service};
use domain::postcodes::{fold, PostcodeError};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/partners", get(partners))
        .route("/locations", get(search))
        .route("/locations/{id}", get(one))
}

#[derive(Serialize)]
struct PartnerOut<'a> {
    id: &'a str,
    name: &'a str,
    locations: usize,
}

async fn partners(State(state): State<AppState>) -> Json<Vec<PartnerOut<'static>>> {
    let net = state.network;
    Json(
        net.partners
            .iter()
            .map(|p| PartnerOut {
                id: &p.id,
                name: &p.name,
                locations: net.locations.iter().filter(|l| l.partner == p.id).count(),
            })
            .collect(),
    )
}

/// A location as the API shows it: with its partner's name and, for a search from a point,
/// the distance in km.
#[derive(Serialize)]
pub struct LocationOut<'a> {
    #[serde(flatten)]
    pub location: &'a Location,
    pub partner_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
}

#[derive(Deserialize)]
struct SearchQuery {
    /// A postcode, a city, or a partner's name.
    q: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    service: Option<Service>,
    limit: Option<usize>,
}

#[derive(Serialize)]
struct Origin {
    lat: f64,
    lon: f64,
    label: String,
}

#[derive(Serialize)]
struct SearchResult<'a> {
    origin: Option<Origin>,
    locations: Vec<LocationOut<'a>>,
}

async fn search(
    State(state): State<AppState>,
    Query(query): Query<SearchQuery>,
) -> Result<Json<SearchResult<'static>>, ApiError> {
    let net = state.network;
    let text = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let mut origin = match (query.lat, query.lon) {
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
        {
            Some(Origin {
                lat,
                lon,
                label: String::new(),
            })
        }
        (None, None) => None,
        _ => {
            return Err(ApiError::BadRequest(
                "lat and lon go together and must be valid coordinates".into(),
            ))
        }
    };
    let mut text_filter = None;
    if let Some(q) = text {
        if q.bytes().all(|b| b.is_ascii_digit()) {
            let place = state.postcodes.lookup(q).map_err(|e| match e {
                PostcodeError::Malformed => ApiError::BadRequest(e.to_string()),
                PostcodeError::Unknown(_) => ApiError::Unprocessable(e.to_string()),
            })?;
            origin = Some(Origin {
                lat: place.lat,
                lon: place.lon,
                label: format!("{} {}", place.postcode, place.place),
            });
        } else if let Some(place) = state.postcodes.place(q) {
            // A city: everything, nearest first (the city's own locations come first).
            origin = Some(Origin {
                lat: place.lat,
                lon: place.lon,
                label: place.place.clone(),
            });
        } else {
            text_filter = Some(fold(q));
        }
    }
    let mut found: Vec<LocationOut> = net
        .locations
        .iter()
        .filter(|l| query.service.is_none_or(|s| l.services.contains(&s)))
        .filter_map(|l| {
            let partner_name = net.partner(&l.partner).map_or("", |p| p.name.as_str());
            if let Some(f) = &text_filter {
                let haystack = fold(&format!(
                    "{} {} {} {} {}",
                    l.city,
                    l.district.as_deref().unwrap_or(""),
                    l.name,
                    partner_name,
                    l.postcode
                ));
                if !haystack.contains(f.as_str()) {
                    return None;
                }
            }
            let distance_km = origin
                .as_ref()
                .map(|o| (l.distance_km(o.lat, o.lon) * 10.0).round() / 10.0);
            Some(LocationOut {
                location: l,
                partner_name,
                distance_km,
            })
        })
        .collect();
    match &origin {
        Some(_) => found.sort_by(|a, b| {
            a.distance_km
                .partial_cmp(&b.distance_km)
                .unwrap_or(std::cmp::Ordering::Equal)
        }),
        None => found.sort_by(|a, b| {
            (&a.location.city, &a.location.name).cmp(&(&b.location.city, &b.location.name))
        }),
    }
    found.truncate(query.limit.unwrap_or(usize::MAX).max(1));
    Ok(Json(SearchResult {
        origin,
        locations: found,
    }))
}

async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<LocationOut<'static>>, ApiError> {
    let net = state.network;
    let location = net
        .location(&id)
        .ok_or_else(|| ApiError::NotFound(format!("no location {id}")))?;
    let partner_name = net
        .partner(&location.partner)
        .map_or("", |p| p.name.as_str());
    Ok(Json(LocationOut {
        location,
        partner_name,
        distance_km: None,
    }))
}

//! The agency network: `GET /api/partners`, `GET /api/locations` (search by postcode, city or
//! partner; filter by service; sorted by distance), `GET /api/locations/{id}`.

use super::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::Json;
use domain::api::SearchOrigin as Origin;
use domain::api::{ErrorBody, LocationInfo, LocationQuery, LocationSearch, PartnerSummary};
use domain::locations::Location;
use domain::postcodes::{fold, PostcodeError};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(partners))
        .routes(routes!(search))
        .routes(routes!(one))
}

/// The partners (agents) and how many locations each runs.
#[utoipa::path(
    get,
    path = "/partners",
    operation_id = "list_partners",
    tag = "network",
    responses((status = 200, description = "Every partner", body = [PartnerSummary]))
)]
async fn partners(State(state): State<AppState>) -> Json<Vec<PartnerSummary>> {
    let net = state.network;
    Json(
        net.partners
            .iter()
            .map(|p| PartnerSummary {
                id: p.id.clone(),
                name: p.name.clone(),
                locations: net.locations.iter().filter(|l| l.partner == p.id).count(),
            })
            .collect(),
    )
}

/// A location as the API shows it: with its partner's name and, for a search from a point,
/// the distance in km.
fn info(net: &domain::Network, location: &Location, distance_km: Option<f64>) -> LocationInfo {
    let partner_name = net
        .partner(&location.partner)
        .map_or("", |p| p.name.as_str());
    LocationInfo::new(location, partner_name, distance_km)
}

/// Search the locations: a postcode (nearest first), a town (nearest first), coordinates, or a
/// partner's or location's name; optionally only those offering a service.
#[utoipa::path(
    get,
    path = "/locations",
    operation_id = "search_locations",
    tag = "network",
    params(LocationQuery),
    responses(
        (status = 200, description = "The matches, nearest first when searched from a point", body = LocationSearch),
        (status = 400, description = "`bad_request`: `lat` without `lon` (or the reverse), coordinates out of range, or a malformed postcode", body = ErrorBody),
        (status = 422, description = "`invalid`: a well-formed postcode that does not exist", body = ErrorBody),
    )
)]
async fn search(
    State(state): State<AppState>,
    Query(query): Query<LocationQuery>,
) -> Result<Json<LocationSearch>, ApiError> {
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
    let mut found: Vec<LocationInfo> = net
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
            Some(info(net, l, distance_km))
        })
        .collect();
    match &origin {
        Some(_) => found.sort_by(|a, b| {
            a.distance_km
                .partial_cmp(&b.distance_km)
                .unwrap_or(std::cmp::Ordering::Equal)
        }),
        None => found.sort_by(|a, b| (&a.city, &a.name).cmp(&(&b.city, &b.name))),
    }
    found.truncate(query.limit.unwrap_or(usize::MAX).max(1));
    Ok(Json(LocationSearch {
        origin,
        locations: found,
    }))
}

/// One location.
#[utoipa::path(
    get,
    path = "/locations/{id}",
    operation_id = "read_location",
    tag = "network",
    params(("id" = String, Path, description = "The location's id, e.g. `hamburg-01`")),
    responses(
        (status = 200, description = "The location", body = LocationInfo),
        (status = 404, description = "`not_found`: no location with this id", body = ErrorBody),
    )
)]
async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<LocationInfo>, ApiError> {
    let net = state.network;
    let location = net
        .location(&id)
        .ok_or_else(|| ApiError::NotFound(format!("no location {id}")))?;
    Ok(Json(info(net, location, None)))
}

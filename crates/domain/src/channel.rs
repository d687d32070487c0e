//! Where a customer saved, handed over or ordered: a fact the server establishes (a showroom
//! screen holds a token set up by staff), never a claim of the browser.

use serde::{Deserialize, Serialize};

/// Where something was saved or ordered: at home or on the go, or on a showroom screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    #[default]
    Web,
    Store,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Store => "store",
        }
    }
}

/// A stored channel read back.
impl TryFrom<String> for Channel {
    type Error = String;

    fn try_from(name: String) -> Result<Channel, String> {
        match name.as_str() {
            "web" => Ok(Channel::Web),
            "store" => Ok(Channel::Store),
            _ => Err(format!("unknown channel {name:?}")),
        }
    }
}

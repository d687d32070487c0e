//! Server configuration from flags and environment, with defaults that run out of the box.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug, Parser)]
#[command(name = "server", about = "smart #1 configurator API and app server")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// `sqlite://path` (created and migrated on start) or `postgres://...`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://var/smart1.sqlite"
    )]
    pub database_url: String,

    /// The app as built by Trunk.
    #[arg(long, env = "DIST_DIR", default_value = "dist")]
    pub dist: PathBuf,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "BODY_LIMIT", default_value_t = 64 * 1024)]
    pub body_limit: usize,

    /// Set when a TLS proxy is in front: cookies get `Secure`, responses send HSTS.
    #[arg(long, env = "BEHIND_TLS", default_value_t = false)]
    pub behind_tls: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Debug, clap::Subcommand)]
pub enum Command {
    /// Writes .br and .gz beside every compressible file of the dist folder, then exits.
    Precompress,
    /// Writes the pages whose first screen the server paints (`dist/pages/`), from the shells
    /// in `--shells` (snapshots of the app's first render), then exits.
    Paint {
        #[arg(long, default_value = "public/shells")]
        shells: std::path::PathBuf,
    },
    /// Makes an account staff of a partner (creating it with $STAFF_PASSWORD if needed), then exits.
    StaffAdd {
        #[arg(long)]
        email: String,
        /// A partner id of data/locations/network.json, e.g. P01.
        #[arg(long)]
        partner: String,
    },
}

impl Config {
    /// Defaults for tests: an ephemeral port, the given database and dist folder.
    pub fn for_test(database_url: String, dist: PathBuf) -> Config {
        Config {
            bind: "127.0.0.1:0".parse().expect("valid address"),
            database_url,
            dist,
            body_limit: 64 * 1024,
            behind_tls: false,
            command: None,
        }
    }
}

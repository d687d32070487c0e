use clap::Parser;
use server::config::{Command, Config};
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = Config::parse();
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // LOG_FORMAT=json: one object per line, with the fields of the request's span (its id).
    let json = config.log_format.eq_ignore_ascii_case("json");
    if json {
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    if let Some(Command::Precompress) = config.command {
        return match server::http::static_files::precompress(&config.dist) {
            Ok(n) => {
                println!("precompressed {n} files in {}", config.dist.display());
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("precompress {}: {e}", config.dist.display());
                std::process::ExitCode::FAILURE
            }
        };
    }
    if let Some(Command::Paint { shells }) = &config.command {
        return match server::http::static_files::paint_pages(&config.dist, shells) {
            Ok(n) => {
                println!("painted {n} first screens from {}", shells.display());
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("paint {}: {e}", config.dist.display());
                std::process::ExitCode::FAILURE
            }
        };
    }
    if let Some(Command::StaffAdd { email, partner }) = &config.command {
        return match server::staff_add(&config, email, partner).await {
            Ok(done) => {
                println!("{done}");
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("staff-add: {e}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let bind = config.bind;
    let limits = server::Limits::from_config(&config);
    let (app, db) = match server::build(config).await {
        Ok(built) => built,
        Err(e) => {
            eprintln!("cannot start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(bind).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {bind}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    tracing::info!("listening on http://{addr}");
    // For people and scripts; with JSON logs every line stays JSON (the log line above says it).
    if !json {
        println!("smart #1 configurator: http://{addr}");
    }
    let served = server::serve(listener, app, limits, shutdown_signal()).await;
    db.close().await;
    match served {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Ctrl-C or SIGTERM: stop accepting, finish running requests, close the database.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

//! A QR code drawn as SVG in the app (no image service): one path of dark modules.

use leptos::prelude::*;
use qrcodegen::{QrCode, QrCodeEcc};

/// The SVG path of the dark modules and the side length including a 4-module quiet zone.
pub fn qr_path(text: &str) -> Option<(String, i32)> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = qr.size();
    let mut d = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                d.push_str(&format!("M{},{}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    Some((d, size + 8))
}

#[component]
pub fn QrCodeSvg(#[prop(into)] text: Signal<String>, label: Signal<String>) -> impl IntoView {
    move || {
        qr_path(&text.get()).map(|(d, side)| {
            view! {
                <svg viewBox=format!("0 0 {side} {side}") role="img" aria-label=label.get() data-testid="qr-code" shape-rendering="crispEdges">
                    <rect width=side height=side fill="#fff"/>
                    <path d=d fill="#000"/>
                </svg>
            }
        })
    }
}

//! The test-drive build (`drive.html`): booking a drive and managing it through the mailed link.
fn main() {
    smart1_app::start(smart1_app::DriveApp);
}

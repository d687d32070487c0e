//! Sending e-mail over SMTP (the lettre crate, async on tokio, rustls for TLS).
//!
//! `SMTP_URL` names the relay:
//! - `smtp://host[:port]`: plain SMTP (port 25 by default), e.g. a local relay or a test sink
//!   such as `smtp://127.0.0.1:2525`;
//! - `smtp://host[:port]?tls=starttls` (also written `smtp+starttls://host[:port]`): STARTTLS
//!   required, the connection is refused if the relay does not offer it (port 587 by default);
//! - `smtps://host[:port]`: TLS from the first byte (port 465 by default).
//!
//! `user:password@` before the host (percent-encoded) signs in with AUTH PLAIN/LOGIN; only over
//! TLS, so a password is never sent in the clear. Without `SMTP_URL` no mail is sent
//! ([`Mailer::from_config`] gives `None`) and the start log says so once.
//!
//! One message per connection (no pool): mail is rare here (password resets, order
//! confirmations), and every send is bounded by a timeout.

use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How the connection to the relay is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// No TLS (a relay on the same host or network, a test sink).
    Plain,
    /// Plain connect, then STARTTLS, required.
    StartTls,
    /// TLS from the start (SMTPS).
    Tls,
}

/// What an `SMTP_URL` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// User and password, decoded.
    pub credentials: Option<(String, String)>,
}

/// Reads an `SMTP_URL` (see the module's documentation); the error names what is wrong.
pub fn parse_smtp_url(text: &str) -> Result<SmtpSettings, String> {
    let url = url::Url::parse(text.trim()).map_err(|e| format!("not a URL ({e})"))?;
    let mut security = match url.scheme() {
        "smtp" => Security::Plain,
        "smtp+starttls" => Security::StartTls,
        "smtps" => Security::Tls,
        other => {
            return Err(format!(
                "scheme {other}: use smtp://, smtp+starttls:// or smtps://"
            ))
        }
    };
    for (key, value) in url.query_pairs() {
        match (key.as_ref(), value.as_ref()) {
            ("tls", "starttls") if security != Security::Tls => security = Security::StartTls,
            ("tls", "none") if security == Security::Plain => {}
            ("tls", other) => return Err(format!("tls={other}: use tls=starttls")),
            (other, _) => return Err(format!("unknown parameter {other}")),
        }
    }
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or("no host")?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = url.port().unwrap_or(match security {
        Security::Plain => 25,
        Security::StartTls => 587,
        Security::Tls => 465,
    });
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| "user or password is not UTF-8".to_string())
    };
    let credentials = match (url.username(), url.password()) {
        ("", None) => None,
        (user, password) => Some((decode(user)?, decode(password.unwrap_or(""))?)),
    };
    if credentials.is_some() && security == Security::Plain {
        return Err("a password is only sent over TLS: use tls=starttls or smtps://".into());
    }
    Ok(SmtpSettings {
        host,
        port,
        security,
        credentials,
    })
}

/// Why a mail did not leave.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("address: {0}")]
    Address(String),
    #[error("message: {0}")]
    Message(String),
    #[error("smtp: {0}")]
    Smtp(String),
    #[error("no answer from the mail relay within {0:?}")]
    Timeout(Duration),
}

/// Sends mail through one relay. Cheap to share (`Arc`); each send opens its own connection.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    timeout: Duration,
    relay: String,
}

impl Mailer {
    /// `None` when no `SMTP_URL` is set; an error for an unreadable URL or sender.
    pub fn from_config(
        smtp_url: Option<&str>,
        from: &str,
        timeout: Duration,
    ) -> Result<Option<Mailer>, String> {
        match smtp_url.map(str::trim).filter(|u| !u.is_empty()) {
            None => Ok(None),
            Some(url) => {
                let settings = parse_smtp_url(url).map_err(|e| format!("SMTP_URL: {e}"))?;
                Mailer::new(&settings, from, timeout).map(Some)
            }
        }
    }

    pub fn new(settings: &SmtpSettings, from: &str, timeout: Duration) -> Result<Mailer, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("MAIL_FROM {from:?}: {e}"))?;
        let tls =
            || TlsParameters::new(settings.host.clone()).map_err(|e| format!("SMTP_URL TLS: {e}"));
        let tls = match settings.security {
            Security::Plain => Tls::None,
            Security::StartTls => Tls::Required(tls()?),
            Security::Tls => Tls::Wrapper(tls()?),
        };
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.clone())
                .port(settings.port)
                .tls(tls)
                .timeout(Some(timeout))
                .hello_name(ClientId::Domain(
                    from.email.domain().to_string().to_ascii_lowercase(),
                ));
        if let Some((user, password)) = &settings.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
            timeout,
            relay: format!(
                "{}:{} ({:?})",
                settings.host, settings.port, settings.security
            ),
        })
    }

    /// Where mail goes, for the log.
    pub fn relay(&self) -> &str {
        &self.relay
    }

    /// Sends one message with a plain-text and an HTML part (the reader's program shows the
    /// one it can). The whole exchange must end within the timeout.
    pub async fn send(
        &self,
        to: &str,
        subject: &str,
        text: String,
        html: String,
    ) -> Result<(), MailError> {
        self.deliver(to, subject, alternative(text, html)).await
    }

    /// [`Mailer::send`] with a calendar invite: the text and HTML parts, and the `.ics` as an
    /// attachment whose `method` (REQUEST, CANCEL) calendar programs act on.
    pub async fn send_with_invite(
        &self,
        to: &str,
        subject: &str,
        (text, html): (String, String),
        ics: String,
        method: &str,
    ) -> Result<(), MailError> {
        let calendar =
            ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
                .map_err(|e| MailError::Message(e.to_string()))?;
        let body = MultiPart::mixed()
            .multipart(alternative(text, html))
            .singlepart(Attachment::new("invite.ics".into()).body(ics, calendar));
        self.deliver(to, subject, body).await
    }

    async fn deliver(&self, to: &str, subject: &str, body: MultiPart) -> Result<(), MailError> {
        let to: Mailbox = to.parse().map_err(|e| MailError::Address(format!("{e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(body)
            .map_err(|e| MailError::Message(e.to_string()))?;
        match tokio::time::timeout(self.timeout, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(MailError::Smtp(e.to_string())),
            Err(_) => Err(MailError::Timeout(self.timeout)),
        }
    }

    /// The sending address (a calendar invite's organizer).
    pub fn from_address(&self) -> String {
        self.from.email.to_string()
    }
}

/// The same words as plain text and HTML.
fn alternative(text: String, html: String) -> MultiPart {
    MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(text),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(html),
        )
}

/// `text` safe inside HTML (element content and quoted attributes).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(host: &str, port: u16, security: Security) -> SmtpSettings {
        SmtpSettings {
            host: host.into(),
            port,
            security,
            credentials: None,
        }
    }

    #[test]
    fn plain_starttls_and_tls_urls_are_read() {
        assert_eq!(
            parse_smtp_url("smtp://127.0.0.1:2525").unwrap(),
            settings("127.0.0.1", 2525, Security::Plain)
        );
        assert_eq!(
            parse_smtp_url("smtp://mail.example.de").unwrap(),
            settings("mail.example.de", 25, Security::Plain)
        );
        assert_eq!(
            parse_smtp_url("smtp://mail.example.de:587?tls=starttls").unwrap(),
            settings("mail.example.de", 587, Security::StartTls)
        );
        assert_eq!(
            parse_smtp_url("smtp+starttls://mail.example.de").unwrap(),
            settings("mail.example.de", 587, Security::StartTls)
        );
        assert_eq!(
            parse_smtp_url("smtps://mail.example.de").unwrap(),
            settings("mail.example.de", 465, Security::Tls)
        );
        assert_eq!(
            parse_smtp_url("smtp://[::1]:2525").unwrap(),
            settings("::1", 2525, Security::Plain)
        );
    }

    #[test]
    fn credentials_are_decoded_and_only_allowed_over_tls() {
        let s =
            parse_smtp_url("smtp://shop%40example.de:p%3Ass@mail.example.de?tls=starttls").unwrap();
        assert_eq!(
            s.credentials,
            Some(("shop@example.de".to_string(), "p:ss".to_string()))
        );
        assert!(parse_smtp_url("smtp://user:secret@mail.example.de")
            .unwrap_err()
            .contains("TLS"));
    }

    #[test]
    fn bad_urls_say_what_is_wrong() {
        assert!(parse_smtp_url("http://mail.example.de")
            .unwrap_err()
            .contains("scheme"));
        assert!(parse_smtp_url("smtp://mail.example.de?tls=maybe")
            .unwrap_err()
            .contains("tls=maybe"));
        assert!(parse_smtp_url("smtp://mail.example.de?from=x")
            .unwrap_err()
            .contains("from"));
        assert!(parse_smtp_url("not a url").is_err());
    }

    #[test]
    fn no_url_means_no_mailer_and_a_url_builds_one() {
        let timeout = Duration::from_secs(5);
        let from = "smart #1 <no-reply@smart1.example>";
        assert!(Mailer::from_config(None, from, timeout).unwrap().is_none());
        assert!(Mailer::from_config(Some("  "), from, timeout)
            .unwrap()
            .is_none());
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://mail.example.de?tls=starttls",
            "smtps://mail.example.de",
        ] {
            assert!(Mailer::from_config(Some(url), from, timeout)
                .unwrap()
                .is_some());
        }
        assert!(Mailer::from_config(Some("smtp://x.de"), "not an address", timeout).is_err());
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape_html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}

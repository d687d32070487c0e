//! A tiny SMTP sink for tests: a TCP listener speaking just enough SMTP (RFC 5321) for one client
//! at a time, handing every message over, with a reader for the MIME parts lettre writes.

use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// A mail as the sink received it.
#[derive(Debug)]
pub struct Mail {
    pub to: String,
    pub data: String,
}

impl Mail {
    /// The decoded body of the part with this content type (`text/plain`, `text/html`).
    pub fn part(&self, content_type: &str) -> Option<String> {
        use base64::Engine;
        let data = self.data.replace("\r\n", "\n");
        data.split("\n--").find_map(|part| {
            let (head, body) = part.split_once("\n\n")?;
            let head = head.to_ascii_lowercase();
            if !head.contains(&format!("content-type: {content_type}")) {
                return None;
            }
            let body = body.trim_end();
            Some(if head.contains("content-transfer-encoding: base64") {
                let raw: String = body.split_whitespace().collect();
                String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(raw)
                        .expect("base64"),
                )
                .expect("UTF-8")
            } else if head.contains("content-transfer-encoding: quoted-printable") {
                quoted_printable(body)
            } else {
                body.to_string()
            })
        })
    }

    /// The token of the password link in the plain-text part (43 characters of base64url), if
    /// the mail has one.
    pub fn reset_token(&self) -> Option<String> {
        let text = self.part("text/plain")?;
        let at = text.find("/reset?token=")? + "/reset?token=".len();
        let token: String = text[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert_eq!(token.len(), 43, "{token}");
        Some(token)
    }

    /// The decoded subject (lettre writes non-ASCII subjects as RFC 2047 words).
    pub fn subject(&self) -> String {
        use base64::Engine;
        let data = self.data.replace("\r\n ", " ");
        let line = data
            .lines()
            .find_map(|l| l.strip_prefix("Subject: "))
            .unwrap_or_default()
            .to_string();
        line.split(' ')
            .map(|word| {
                match word
                    .strip_prefix("=?utf-8?b?")
                    .or_else(|| word.strip_prefix("=?utf-8?B?"))
                    .and_then(|w| w.strip_suffix("?="))
                {
                    Some(b64) => String::from_utf8(
                        base64::engine::general_purpose::STANDARD
                            .decode(b64)
                            .expect("base64"),
                    )
                    .expect("UTF-8"),
                    None => format!("{word} "),
                }
            })
            .collect::<String>()
            .trim()
            .to_string()
    }
}

fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8")
}

/// A TCP listener speaking just enough SMTP (RFC 5321) for one client at a time: 220, EHLO,
/// MAIL, RCPT, DATA ... ".", QUIT. Every message received goes to the channel.
pub struct Sink {
    pub url: String,
    mails: mpsc::UnboundedReceiver<Mail>,
}

impl Sink {
    pub async fn start() -> Sink {
        Sink::on(tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap())
    }

    /// A sink on a listener the test already holds (e.g. a port the server was told earlier).
    pub fn on(listener: tokio::net::TcpListener) -> Sink {
        let url = format!("smtp://{}", listener.local_addr().unwrap());
        let (tx, mails) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let tx = tx.clone();
                tokio::spawn(async move {
                    let (read, mut write) = tcp.into_split();
                    let mut lines = BufReader::new(read).lines();
                    write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                    let mut to = String::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        let upper = line.to_ascii_uppercase();
                        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO")
                        {
                            b"250 sink\r\n"
                        } else if upper.starts_with("RCPT TO:") {
                            to = line[8..].trim().trim_matches(['<', '>']).to_string();
                            b"250 OK\r\n"
                        } else if upper.starts_with("DATA") {
                            write.write_all(b"354 go on\r\n").await.unwrap();
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(&l);
                                data.push_str("\r\n");
                            }
                            let _ = tx.send(Mail {
                                to: to.clone(),
                                data,
                            });
                            b"250 queued\r\n"
                        } else if upper.starts_with("QUIT") {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            return;
                        } else {
                            b"250 OK\r\n"
                        };
                        write.write_all(reply).await.unwrap();
                    }
                });
            }
        });
        Sink { url, mails }
    }

    pub async fn next(&mut self) -> Mail {
        tokio::time::timeout(Duration::from_secs(20), self.mails.recv())
            .await
            .expect("a mail within 20 s")
            .expect("the sink runs")
    }

    pub async fn nothing_within(&mut self, wait: Duration) {
        if let Ok(Some(mail)) = tokio::time::timeout(wait, self.mails.recv()).await {
            panic!("no mail expected, got one to {}", mail.to);
        }
    }
}

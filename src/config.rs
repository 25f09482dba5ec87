//! Settings: built-in defaults < optional `yardstick.toml` < `YARDSTICK_*` environment variables.

use serde::Deserialize;
use std::fmt;
use std::path::Path;

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain SMTP (only for a local test server).
    None,
    /// STARTTLS on the submission port (587).
    Starttls,
    /// Implicit TLS (port 465).
    Tls,
}

/// Every setting of a running Yardstick, checked at start-up.
#[derive(Clone, Deserialize)]
pub struct Settings {
    /// `sqlite://yardstick.db?mode=rwc` or `postgres://user@host/db`.
    pub database_url: String,
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
    /// The address respondents and emails use, e.g. `https://survey.example.com`.
    pub base_url: String,
    /// Signs session cookies; at least 64 characters. Empty: a random key per start.
    pub secret_key: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_username: String,
    pub smtp_password: String,
    pub smtp_tls: SmtpTls,
    pub mail_from: String,
    /// Milliseconds between two looks of the mail worker at the outbox and the campaign schedule.
    pub mail_poll_ms: u64,
    /// Milliseconds before the first retry of a failed email; doubles per attempt up to `mail_retry_cap_ms`.
    pub mail_retry_base_ms: u64,
    pub mail_retry_cap_ms: u64,
    /// Attempts before an email is failed for good (shown in the dead-letter view).
    pub mail_max_attempts: u32,
    /// Milliseconds a worker may hold a claimed email before another worker retries it.
    pub mail_lease_ms: u64,
    /// Emails sent at once (also the SMTP connection pool size).
    pub mail_batch: u32,
    /// Minutes of inactivity after which a login session ends.
    pub session_minutes: i64,
    /// Fewest responses a report cell needs before it shows a number.
    pub min_sample: usize,
    /// Sign-in attempts one address may make per minute before it is throttled.
    pub login_attempts_per_minute: u32,
    /// Survey page submissions one address may make per second after a burst of 120; 0 lifts the limit (benchmarks).
    pub submissions_per_second: u32,
    /// Days raw personal data (contacts, links from responses to people, comments) is kept; 0 keeps it.
    pub retention_days: u32,
    /// Seconds before the first retry of a failed webhook delivery (doubling after each failure).
    pub webhook_retry_seconds: u64,
    /// Whether webhooks may target loopback, private and link-local addresses (off: only public ones).
    pub webhook_private_targets: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed: IP addresses or CIDR ranges, as
    /// written (a comma- or space-separated string, or a list in the file); parsed into
    /// [`Settings::trusted_proxies`] at start-up.
    #[serde(rename = "trusted_proxies", deserialize_with = "one_or_many")]
    trusted_proxies_text: Vec<String>,
    /// The parsed `trusted_proxies`; empty: the peer address is the client address.
    #[serde(skip)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// A setting given as one string (`"a, b c"`) or as a list of strings.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let items = match OneOrMany::deserialize(d)? {
        OneOrMany::One(text) => vec![text],
        OneOrMany::Many(items) => items,
    };
    Ok(items
        .iter()
        .flat_map(|item| item.split(|c: char| c == ',' || c.is_whitespace()))
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect())
}

/// One `trusted_proxies` entry: an address (`10.0.0.1`, `::1`) or a range (`10.0.0.0/8`).
fn parse_proxy(text: &str) -> Option<ipnet::IpNet> {
    text.parse::<ipnet::IpNet>()
        .ok()
        .or_else(|| {
            text.parse::<std::net::IpAddr>()
                .ok()
                .map(ipnet::IpNet::from)
        })
        .map(|net| net.trunc())
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_url(&self.database_url))
            .field("host", &self.host)
            .field("port", &self.port)
            .field("base_url", &self.base_url)
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_tls", &self.smtp_tls)
            .field("mail_from", &self.mail_from)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// The settings table of the README: key, default, meaning.
pub const DEFAULTS: &[(&str, &str, &str)] = &[
    (
        "database_url",
        "sqlite://yardstick.db?mode=rwc",
        "SQLite file (created if missing) or postgres://user:password@host:5432/db",
    ),
    ("host", "127.0.0.1", "address to listen on"),
    ("port", "8080", "port to listen on; 0 picks a free one"),
    (
        "base_url",
        "",
        "public address used in links and emails; empty: http://host:port",
    ),
    (
        "secret_key",
        "",
        "signs session cookies, ≥ 64 characters; empty: random per start (sessions end on restart)",
    ),
    ("smtp_host", "127.0.0.1", "SMTP server for invitations"),
    ("smtp_port", "2525", "SMTP port"),
    ("smtp_username", "", "SMTP user (empty: no authentication)"),
    ("smtp_password", "", "SMTP password"),
    ("smtp_tls", "none", "none, starttls or tls"),
    (
        "mail_from",
        "Yardstick <survey@localhost>",
        "sender of invitations",
    ),
    (
        "mail_poll_ms",
        "1000",
        "milliseconds between two looks of the mail worker at the outbox and the schedule",
    ),
    (
        "mail_retry_base_ms",
        "30000",
        "first retry delay of a failed email, doubling per attempt",
    ),
    (
        "mail_retry_cap_ms",
        "3600000",
        "longest retry delay of a failed email",
    ),
    (
        "mail_max_attempts",
        "8",
        "attempts before an email is failed for good (dead-letter view)",
    ),
    (
        "mail_lease_ms",
        "300000",
        "how long a claimed email may stay unconfirmed before it is retried",
    ),
    (
        "mail_batch",
        "8",
        "emails sent at once; also the SMTP connection pool size",
    ),
    (
        "session_minutes",
        "480",
        "minutes of inactivity before a login ends",
    ),
    ("min_sample", "50", "fewest responses a report cell needs"),
    (
        "login_attempts_per_minute",
        "10",
        "sign-in attempts one address may make per minute",
    ),
    (
        "submissions_per_second",
        "10",
        "survey page submissions one address may make per second after a burst of 120; 0: no limit (benchmarks)",
    ),
    (
        "retention_days",
        "0",
        "days raw personal data is kept before it is purged; 0 keeps it",
    ),
    (
        "webhook_retry_seconds",
        "30",
        "first retry delay of a failed webhook delivery, doubling each time",
    ),
    (
        "webhook_private_targets",
        "false",
        "let webhooks target loopback, private and link-local addresses (a receiver inside your own network)",
    ),
    (
        "trusted_proxies",
        "",
        "reverse proxies (IP addresses or CIDR ranges, comma-separated) whose X-Forwarded-For names the client address; empty: the peer address is the client",
    ),
];

impl Settings {
    /// Reads defaults, then `yardstick.toml` (or the file named by `YARDSTICK_CONFIG`) if present, then the environment.
    pub fn load() -> Result<Settings, String> {
        let file = std::env::var("YARDSTICK_CONFIG").unwrap_or_else(|_| "yardstick.toml".into());
        Settings::load_from(Some(Path::new(&file)), std::env::vars())
    }

    /// Like [`Settings::load`] with an explicit file and environment, for tests.
    pub fn load_from(
        file: Option<&Path>,
        environment: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, String> {
        let mut builder = config::Config::builder();
        for (key, value, _) in DEFAULTS {
            builder = builder
                .set_default(*key, *value)
                .map_err(|e| format!("setting {key}: {e}"))?;
        }
        if let Some(file) = file.filter(|f| f.exists()) {
            builder = builder.add_source(config::File::from(file).format(config::FileFormat::Toml));
        }
        let known: Vec<&str> = DEFAULTS.iter().map(|(k, _, _)| *k).collect();
        let environment: config::Map<String, String> = environment
            .into_iter()
            .filter_map(|(key, value)| {
                let key = key.strip_prefix("YARDSTICK_")?.to_ascii_lowercase();
                known.contains(&key.as_str()).then_some((key, value))
            })
            .collect();
        builder = builder.add_source(
            config::Environment::default()
                .source(Some(environment))
                .try_parsing(true),
        );
        let mut settings: Settings = builder
            .build()
            .and_then(|c| c.try_deserialize())
            .map_err(|e| format!("bad setting: {e}"))?;
        settings.check()?;
        settings.trusted_proxies = settings
            .trusted_proxies_text
            .iter()
            .map(|text| {
                parse_proxy(text).ok_or_else(|| {
                    format!(
                        "bad setting trusted_proxies (YARDSTICK_TRUSTED_PROXIES): “{text}” is neither an IP address nor a CIDR range such as 10.0.0.0/8"
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), String> {
        if !(self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://"))
        {
            return Err(format!(
                "bad setting database_url (YARDSTICK_DATABASE_URL): “{}” is neither sqlite:… nor postgres://…",
                redact_url(&self.database_url)
            ));
        }
        let web_address =
            self.base_url.starts_with("http://") || self.base_url.starts_with("https://");
        if !self.base_url.is_empty() && !web_address {
            return Err(format!(
                "bad setting base_url (YARDSTICK_BASE_URL): “{}” must start with http:// or https://",
                self.base_url
            ));
        }
        if !self.secret_key.is_empty() && self.secret_key.len() < 64 {
            return Err("bad setting secret_key (YARDSTICK_SECRET_KEY): it must be at least 64 characters long".into());
        }
        if self.session_minutes <= 0 {
            return Err("bad setting session_minutes (YARDSTICK_SESSION_MINUTES): it must be a positive number of minutes".into());
        }
        if self.login_attempts_per_minute == 0 {
            return Err("bad setting login_attempts_per_minute (YARDSTICK_LOGIN_ATTEMPTS_PER_MINUTE): it must be at least 1".into());
        }
        if self.webhook_retry_seconds == 0 {
            return Err("bad setting webhook_retry_seconds (YARDSTICK_WEBHOOK_RETRY_SECONDS): it must be at least 1".into());
        }
        if self.mail_poll_ms == 0 || self.mail_retry_base_ms == 0 || self.mail_lease_ms == 0 {
            return Err("bad setting mail_poll_ms, mail_retry_base_ms or mail_lease_ms: each must be at least 1 millisecond".into());
        }
        if self.mail_retry_cap_ms < self.mail_retry_base_ms {
            return Err("bad setting mail_retry_cap_ms (YARDSTICK_MAIL_RETRY_CAP_MS): it must be at least mail_retry_base_ms".into());
        }
        if self.mail_max_attempts == 0 || !(1..=100).contains(&self.mail_batch) {
            return Err("bad setting mail_max_attempts or mail_batch: attempts must be at least 1, the batch 1 to 100".into());
        }
        if self.min_sample < 2 {
            return Err(
                "bad setting min_sample (YARDSTICK_MIN_SAMPLE): it must be at least 2".into(),
            );
        }
        Ok(())
    }

    /// The public address, defaulting to the listening address.
    pub fn public_url(&self, port: u16) -> String {
        if self.base_url.is_empty() {
            format!("http://{}:{port}", self.host)
        } else {
            self.base_url.trim_end_matches('/').to_owned()
        }
    }

    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_then_environment() {
        let s =
            Settings::load_from(None, env(&[("YARDSTICK_PORT", "9000"), ("OTHER", "x")])).unwrap();
        assert_eq!(s.port, 9000);
        assert_eq!(s.database_url, "sqlite://yardstick.db?mode=rwc");
        assert_eq!(s.smtp_tls, SmtpTls::None);
        assert_eq!(s.submissions_per_second, 10);
        let lifted =
            Settings::load_from(None, env(&[("YARDSTICK_SUBMISSIONS_PER_SECOND", "0")])).unwrap();
        assert_eq!(lifted.submissions_per_second, 0);
    }

    #[test]
    fn file_is_overridden_by_environment() {
        let dir = std::env::temp_dir().join(format!("ys-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("yardstick.toml");
        std::fs::write(&file, "port = 7000\nhost = \"0.0.0.0\"\n").unwrap();
        let s = Settings::load_from(Some(&file), env(&[("YARDSTICK_HOST", "127.0.0.2")])).unwrap();
        assert_eq!((s.port, s.host.as_str()), (7000, "127.0.0.2"));
    }

    #[test]
    fn a_bad_setting_is_named() {
        let err = Settings::load_from(None, env(&[("YARDSTICK_PORT", "eighty")])).unwrap_err();
        assert!(err.contains("port"), "{err}");
        let err =
            Settings::load_from(None, env(&[("YARDSTICK_DATABASE_URL", "mysql://x")])).unwrap_err();
        assert!(err.contains("database_url"), "{err}");
        let err = Settings::load_from(None, env(&[("YARDSTICK_SMTP_TLS", "maybe")])).unwrap_err();
        assert!(err.contains("smtp_tls"), "{err}");
        for bad in [
            "10.0.0.300",
            "proxy.example.com",
            "10.0.0.0/33",
            "127.0.0.1, nope",
        ] {
            let err =
                Settings::load_from(None, env(&[("YARDSTICK_TRUSTED_PROXIES", bad)])).unwrap_err();
            assert!(err.contains("trusted_proxies"), "{bad}: {err}");
        }
    }

    #[test]
    fn trusted_proxies_are_addresses_and_ranges() {
        let none = Settings::load_from(None, env(&[])).unwrap();
        assert!(none.trusted_proxies.is_empty());
        let s = Settings::load_from(
            None,
            env(&[("YARDSTICK_TRUSTED_PROXIES", "127.0.0.1, 10.1.2.3/8 ::1")]),
        )
        .unwrap();
        let shown: Vec<String> = s.trusted_proxies.iter().map(|n| n.to_string()).collect();
        assert_eq!(shown, ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]);
        let dir = std::env::temp_dir().join(format!("ys-proxies-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("yardstick.toml");
        std::fs::write(
            &file,
            "trusted_proxies = [\"192.168.0.0/16\", \"fd00::/8\"]\n",
        )
        .unwrap();
        let s = Settings::load_from(Some(&file), env(&[])).unwrap();
        assert_eq!(s.trusted_proxies.len(), 2);
    }
}

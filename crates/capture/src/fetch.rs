//! HTTP(S) fetching: one exchange at a time per host, redirects followed by
//! hand (each hop guarded, checked against robots.txt and recorded),
//! bodies streamed under a size limit, and the request and response heads
//! kept as sent and received.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{SecondsFormat, Utc};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{HeaderMap, HeaderValue};
use url::Url;

use crate::error::CaptureError;
use crate::guard::{Refusal, check_addrs};
use crate::robots::Robots;

/// The User-Agent sent with every request: the project and its version.
pub const USER_AGENT: &str = concat!(
    "strikewatch/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/strikewatch/strikewatch; public evidence archiving)"
);
/// The token matched against robots.txt groups.
pub const ROBOTS_AGENT: &str = "strikewatch";
const ACCEPT: &str = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,\
application/feed+json,application/json;q=0.9,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5";
/// What the client adds for compressed responses (it decodes gzip and br).
const ACCEPT_ENCODING: &str = "gzip,br";

/// How the fetcher behaves.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Bodies larger than this are refused (after decompression).
    pub max_bytes: u64,
    pub max_redirects: usize,
    pub connect_timeout: Duration,
    /// Longest wait for the next bytes of a response.
    pub read_timeout: Duration,
    /// Longest time for one whole exchange.
    pub total_timeout: Duration,
    /// Fetch loopback, private and other internal addresses (tests, intranets).
    pub allow_private: bool,
    /// Addresses allowed even though they are internal (e.g. one intranet
    /// server), while every other internal address stays refused.
    pub allow_addrs: Vec<IpAddr>,
    pub ignore_robots: bool,
    /// Least time between the start of two requests to the same host; a
    /// longer `Crawl-delay` in the host's robots.txt (at most 30 s) wins.
    pub host_delay: Duration,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            max_bytes: 20 * 1024 * 1024,
            max_redirects: 5,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(20),
            total_timeout: Duration::from_secs(60),
            allow_private: false,
            allow_addrs: Vec::new(),
            ignore_robots: false,
            host_delay: Duration::from_secs(1),
        }
    }
}

/// Validators from an earlier response, for a conditional request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// One request and its complete response.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub url: Url,
    pub started_at: String,
    pub request_head: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub response_head: String,
    pub body: Vec<u8>,
}

impl Exchange {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The media type without parameters, lower-cased.
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
    }

    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308)
    }
}

/// The exchanges made for one URL: the redirect hops, then the final one.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub requested: Url,
    pub hops: Vec<Exchange>,
}

impl Fetched {
    pub fn last(&self) -> &Exchange {
        // A `Fetched` is only built with at least one exchange.
        &self.hops[self.hops.len() - 1]
    }
}

/// A fetch that failed, with the exchanges completed before the failure
/// (they are archived all the same).
#[derive(Debug)]
pub struct FetchFailure {
    pub error: CaptureError,
    pub hops: Vec<Exchange>,
    /// The request head of the failed attempt, when one was formed.
    pub failed_request: Option<(Url, String, String)>,
}

/// A DNS resolver that applies the SSRF guard to every answer, so the
/// connection itself can only go to addresses that passed.
#[derive(Debug, Clone)]
struct GuardedResolver {
    allow_private: bool,
    allow_addrs: Vec<IpAddr>,
}

/// The error the resolver hands to the client when it refuses a host.
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves to {ip}, {reason}")]
struct Refused {
    host: String,
    ip: IpAddr,
    reason: Refusal,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let allow_addrs = self.allow_addrs.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let ips: Vec<IpAddr> = addrs
                .iter()
                .map(|a| a.ip())
                .filter(|ip| !allow_addrs.contains(ip))
                .collect();
            if let Err((ip, reason)) = check_addrs(&ips, allow_private) {
                return Err(Box::new(Refused { host, ip, reason }) as _);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[derive(Default)]
struct HostSlot {
    last_start: Option<Instant>,
}

/// Fetches URLs politely. Cheap to share by reference between concurrent
/// captures; requests to one host wait for each other.
pub struct Fetcher {
    client: reqwest::Client,
    options: FetchOptions,
    hosts: Mutex<HashMap<String, Arc<tokio::sync::Mutex<HostSlot>>>>,
    robots: Mutex<HashMap<String, Arc<tokio::sync::OnceCell<Robots>>>>,
}

impl Fetcher {
    pub fn new(options: FetchOptions) -> Result<Fetcher, CaptureError> {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(options.connect_timeout)
            .read_timeout(options.read_timeout)
            .timeout(options.total_timeout)
            .dns_resolver(GuardedResolver {
                allow_private: options.allow_private,
                allow_addrs: options.allow_addrs.clone(),
            })
            .build()
            .map_err(|e| CaptureError::Http {
                url: String::new(),
                detail: format!("cannot set up the HTTP client: {e}"),
            })?;
        Ok(Fetcher {
            client,
            options,
            hosts: Mutex::new(HashMap::new()),
            robots: Mutex::new(HashMap::new()),
        })
    }

    pub fn options(&self) -> &FetchOptions {
        &self.options
    }

    /// Fetches `url`, following redirects; `validators` make the first
    /// request conditional.
    pub async fn fetch(
        &self,
        url: &str,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchFailure> {
        let fail = |error| FetchFailure {
            error,
            hops: Vec::new(),
            failed_request: None,
        };
        let requested = parse_url(url).map_err(fail)?;
        let mut hops: Vec<Exchange> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut current = requested.clone();
        loop {
            seen.insert(current.as_str().to_string());
            let conditional = if hops.is_empty() { validators } else { None };
            let result = match self.check_robots(&current).await {
                Ok(()) => self.exchange(&current, conditional).await,
                Err(e) => Err((e, None)),
            };
            let exchange = match result {
                Ok(x) => x,
                Err((error, failed_request)) => {
                    return Err(FetchFailure {
                        error,
                        hops,
                        failed_request,
                    });
                }
            };
            if !exchange.is_redirect() {
                hops.push(exchange);
                return Ok(Fetched { requested, hops });
            }
            let next = exchange
                .header("location")
                .and_then(|loc| current.join(loc.trim()).ok());
            let from = current.to_string();
            hops.push(exchange);
            let Some(next) = next else {
                return Err(FetchFailure {
                    error: CaptureError::BadRedirect { url: from },
                    hops,
                    failed_request: None,
                });
            };
            let failure = if !matches!(next.scheme(), "http" | "https") {
                Some(CaptureError::UnsupportedScheme {
                    url: next.to_string(),
                })
            } else if seen.contains(next.as_str()) {
                Some(CaptureError::RedirectLoop {
                    url: requested.to_string(),
                    target: next.to_string(),
                })
            } else if hops.len() > self.options.max_redirects {
                Some(CaptureError::TooManyRedirects {
                    url: requested.to_string(),
                    limit: self.options.max_redirects,
                })
            } else {
                None
            };
            if let Some(error) = failure {
                return Err(FetchFailure {
                    error,
                    hops,
                    failed_request: None,
                });
            }
            current = next;
        }
    }

    /// Refuses an IP-literal host before anything else; names are checked
    /// by the resolver when the client looks them up.
    fn check_literal(&self, url: &Url) -> Result<(), CaptureError> {
        let ip = match url.host() {
            Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
            Some(url::Host::Domain(_)) => return Ok(()),
            None => {
                return Err(CaptureError::InvalidUrl {
                    url: url.to_string(),
                    reason: "no host".into(),
                });
            }
        };
        if self.options.allow_addrs.contains(&ip) {
            return Ok(());
        }
        check_addrs(&[ip], self.options.allow_private).map_err(|(ip, reason)| {
            CaptureError::Refused {
                url: url.to_string(),
                host: ip.to_string(),
                ip,
                reason,
            }
        })
    }

    fn host_slot(&self, url: &Url) -> Arc<tokio::sync::Mutex<HostSlot>> {
        let key = host_key(url);
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(hosts.entry(key).or_default())
    }

    /// One request and its whole response, at most one at a time per host
    /// and not sooner than `host_delay` after the previous one started.
    async fn exchange(
        &self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Exchange, (CaptureError, Option<(Url, String, String)>)> {
        self.check_literal(url).map_err(|e| (e, None))?;
        let delay = self.host_delay(url);
        let slot = self.host_slot(url);
        let mut slot = slot.lock().await;
        if let Some(last) = slot.last_start {
            let due = last + delay;
            let now = Instant::now();
            if due > now {
                tokio::time::sleep(due - now).await;
            }
        }
        slot.last_start = Some(Instant::now());
        let started_at = now();
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::ACCEPT, HeaderValue::from_static(ACCEPT));
        if let Some(v) = validators {
            if let Some(etag) = v
                .etag
                .as_deref()
                .and_then(|e| HeaderValue::from_str(e).ok())
            {
                headers.insert(reqwest::header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = v
                .last_modified
                .as_deref()
                .and_then(|e| HeaderValue::from_str(e).ok())
            {
                headers.insert(reqwest::header::IF_MODIFIED_SINCE, lm);
            }
        }
        let request_head = request_head(url, &headers);
        let failed = Some((url.clone(), started_at.clone(), request_head.clone()));
        let response = self
            .client
            .get(url.clone())
            .headers(headers)
            .send()
            .await
            .map_err(|e| (classify(url, &e), failed.clone()))?;
        let status = response.status().as_u16();
        let version = format!("{:?}", response.version());
        let reason = response.status().canonical_reason().unwrap_or("");
        let recorded: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let limit = self.options.max_bytes;
        if response.content_length().is_some_and(|n| n > limit) {
            return Err((
                CaptureError::TooLarge {
                    url: url.to_string(),
                    limit,
                },
                failed,
            ));
        }
        let mut body = Vec::new();
        let mut response = response;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() as u64 + chunk.len() as u64 > limit {
                        return Err((
                            CaptureError::TooLarge {
                                url: url.to_string(),
                                limit,
                            },
                            failed,
                        ));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err((classify(url, &e), failed)),
            }
        }
        let response_head = response_head(&version, status, reason, &recorded, body.len());
        Ok(Exchange {
            url: url.clone(),
            started_at,
            request_head,
            status,
            headers: recorded,
            response_head,
            body,
        })
    }

    /// The delay between requests to the URL's host: the configured one, or
    /// the Crawl-delay of its robots.txt once read, whichever is longer.
    fn host_delay(&self, url: &Url) -> Duration {
        if self.options.ignore_robots {
            return self.options.host_delay;
        }
        let origin = url.origin().ascii_serialization();
        let crawl_delay = {
            let map = self.robots.lock().unwrap_or_else(|p| p.into_inner());
            map.get(&origin)
                .and_then(|cell| cell.get())
                .and_then(Robots::crawl_delay)
        };
        crawl_delay.map_or(self.options.host_delay, |d| d.max(self.options.host_delay))
    }

    /// Fetches and caches robots.txt for the URL's origin, and refuses the
    /// URL when it is disallowed for us.
    async fn check_robots(&self, url: &Url) -> Result<(), CaptureError> {
        if self.options.ignore_robots || url.path() == "/robots.txt" {
            return Ok(());
        }
        let origin = url.origin().ascii_serialization();
        let cell = {
            let mut map = self.robots.lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(map.entry(origin.clone()).or_default())
        };
        let robots = cell
            .get_or_init(|| async {
                let robots_url = match Url::parse(&format!("{origin}/robots.txt")) {
                    Ok(u) => u,
                    Err(_) => return Robots::allow_all(),
                };
                self.fetch_robots(robots_url).await
            })
            .await;
        if robots.allows(url.as_str()) {
            Ok(())
        } else {
            Err(CaptureError::RobotsDisallowed {
                url: url.to_string(),
                robots: format!("{origin}/robots.txt"),
            })
        }
    }

    /// RFC 9309: a 4xx means no rules; a 5xx or no answer means keep out;
    /// up to five redirects are followed.
    async fn fetch_robots(&self, mut robots_url: Url) -> Robots {
        for _ in 0..=5 {
            match self.exchange(&robots_url, None).await {
                Ok(x) if x.is_redirect() => {
                    match x.header("location").and_then(|l| robots_url.join(l).ok()) {
                        Some(next) => robots_url = next,
                        None => return Robots::allow_all(),
                    }
                }
                Ok(x) if x.status < 300 => {
                    return Robots::parse(&String::from_utf8_lossy(&x.body));
                }
                Ok(x) if (400..500).contains(&x.status) => return Robots::allow_all(),
                Ok(_) => return Robots::disallow_all(),
                // A refused address stays refused for the page itself.
                Err((CaptureError::Refused { .. }, _)) => return Robots::allow_all(),
                Err(_) => return Robots::disallow_all(),
            }
        }
        Robots::allow_all()
    }
}

/// Parses and checks a URL to capture.
pub fn parse_url(url: &str) -> Result<Url, CaptureError> {
    let parsed = Url::parse(url.trim()).map_err(|e| CaptureError::InvalidUrl {
        url: url.to_string(),
        reason: e.to_string(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(CaptureError::UnsupportedScheme {
            url: url.to_string(),
        });
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(CaptureError::InvalidUrl {
            url: url.to_string(),
            reason: "no host".into(),
        });
    }
    Ok(parsed)
}

/// Politeness is per host and port.
pub fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn classify(url: &Url, error: &reqwest::Error) -> CaptureError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(r) = e.downcast_ref::<Refused>() {
            return CaptureError::Refused {
                url: url.to_string(),
                host: r.host.clone(),
                ip: r.ip,
                reason: r.reason,
            };
        }
        source = e.source();
    }
    let detail = chain(error);
    if error.is_timeout() {
        CaptureError::Timeout {
            url: url.to_string(),
            detail,
        }
    } else if error.is_connect() {
        if detail.contains("dns error") || detail.contains("failed to lookup") {
            CaptureError::Resolve {
                url: url.to_string(),
                host: url.host_str().unwrap_or("").to_string(),
                detail,
            }
        } else {
            CaptureError::Connect {
                url: url.to_string(),
                detail,
            }
        }
    } else {
        CaptureError::Http {
            url: url.to_string(),
            detail,
        }
    }
}

/// An error and its causes on one line, without repeats.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = Some(error);
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}

fn request_head(url: &Url, headers: &HeaderMap) -> String {
    let mut target = url.path().to_string();
    if let Some(q) = url.query() {
        target.push('?');
        target.push_str(q);
    }
    let host = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or("")),
        None => url.host_str().unwrap_or("").to_string(),
    };
    let mut head = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {USER_AGENT}\r\n");
    for (name, value) in headers {
        head.push_str(&format!(
            "{}: {}\r\n",
            name.as_str(),
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    head.push_str(&format!("Accept-Encoding: {ACCEPT_ENCODING}\r\n\r\n"));
    head
}

/// The response head as received, except that the framing headers no
/// longer true of the stored (decoded, de-chunked) body are renamed with an
/// `X-Archive-Orig-` prefix and the body's length is given.
fn response_head(
    version: &str,
    status: u16,
    reason: &str,
    headers: &[(String, String)],
    body_len: usize,
) -> String {
    let mut head = format!("{version} {status} {reason}\r\n");
    for (name, value) in headers {
        let lower = name.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "transfer-encoding" | "content-encoding" | "content-length"
        ) {
            head.push_str(&format!("X-Archive-Orig-{name}: {value}\r\n"));
        } else {
            head.push_str(&format!("{name}: {}\r\n", value.replace(['\r', '\n'], " ")));
        }
    }
    head.push_str(&format!("Content-Length: {body_len}\r\n\r\n"));
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_names_project_and_version() {
        assert!(USER_AGENT.starts_with(&format!("strikewatch/{}", env!("CARGO_PKG_VERSION"))));
    }

    #[test]
    fn urls_are_checked() {
        assert!(matches!(
            parse_url("ftp://example.org/x"),
            Err(CaptureError::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            parse_url("not a url"),
            Err(CaptureError::InvalidUrl { .. })
        ));
        assert!(parse_url("https://example.org/a?b=1").is_ok());
        let u = Url::parse("http://127.0.0.1:8080/x").unwrap();
        assert_eq!(host_key(&u), "127.0.0.1:8080");
    }

    #[test]
    fn framing_headers_are_renamed_in_the_recorded_head() {
        let head = response_head(
            "HTTP/1.1",
            200,
            "OK",
            &[
                ("content-type".into(), "text/html".into()),
                ("transfer-encoding".into(), "chunked".into()),
            ],
            5,
        );
        assert_eq!(
            head,
            "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nX-Archive-Orig-transfer-encoding: chunked\r\nContent-Length: 5\r\n\r\n"
        );
    }
}

//! robots.txt: rules fetched once per origin and matched with the robotstxt
//! crate (a port of Google's matcher). That matcher ignores `Crawl-delay`,
//! so the delay is read here from the group that applies to us.

use std::time::Duration;

use robotstxt::DefaultMatcher;

use crate::fetch::ROBOTS_AGENT;

/// The rules of one origin.
#[derive(Debug, Clone)]
pub enum Robots {
    AllowAll,
    DisallowAll,
    Rules(String),
}

impl Robots {
    pub fn allow_all() -> Robots {
        Robots::AllowAll
    }

    pub fn disallow_all() -> Robots {
        Robots::DisallowAll
    }

    pub fn parse(body: &str) -> Robots {
        Robots::Rules(body.to_string())
    }

    /// The `Crawl-delay` of the group that applies to strikewatch (our own
    /// group, else `*`), capped at [`MAX_CRAWL_DELAY`]. `None` when the rules
    /// give none or give something that is not a number of seconds.
    pub fn crawl_delay(&self) -> Option<Duration> {
        let Robots::Rules(body) = self else {
            return None;
        };
        let ours = group_delay(body, |agent| agent.eq_ignore_ascii_case(ROBOTS_AGENT));
        let delay = match ours {
            GroupDelay::Found(d) => d,
            GroupDelay::GroupWithout => None,
            GroupDelay::NoGroup => match group_delay(body, |agent| agent == "*") {
                GroupDelay::Found(d) => d,
                _ => None,
            },
        }?;
        Some(delay.min(MAX_CRAWL_DELAY))
    }

    /// Whether `url` (percent-encoded, as the url crate writes it) may be
    /// fetched by strikewatch.
    pub fn allows(&self, url: &str) -> bool {
        match self {
            Robots::AllowAll => true,
            Robots::DisallowAll => false,
            Robots::Rules(body) => {
                DefaultMatcher::default().one_agent_allowed_by_robots(body, ROBOTS_AGENT, url)
            }
        }
    }
}

/// The longest `Crawl-delay` honoured: a site asking for more still gets
/// one request per this many seconds, so a watch run cannot stall for hours.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);

enum GroupDelay {
    /// A matching group gives a delay (or an unreadable one).
    Found(Option<Duration>),
    /// A matching group exists without a delay.
    GroupWithout,
    NoGroup,
}

/// The delay of the groups whose `User-agent` lines `matches` accepts.
/// Consecutive `User-agent` lines open one group (RFC 9309 section 2.1).
fn group_delay(body: &str, matches: impl Fn(&str) -> bool) -> GroupDelay {
    let mut found = GroupDelay::NoGroup;
    let mut in_ours = false;
    let mut agents_open = false;
    for line in body.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        match key.as_str() {
            "user-agent" => {
                if !agents_open {
                    in_ours = false;
                }
                agents_open = true;
                // The product token is matched up to its first `/`.
                let agent = value.split('/').next().unwrap_or("").trim();
                if matches(agent) {
                    in_ours = true;
                    if matches!(found, GroupDelay::NoGroup) {
                        found = GroupDelay::GroupWithout;
                    }
                }
            }
            _ => {
                agents_open = false;
                if in_ours && (key == "crawl-delay" || key == "crawl_delay") {
                    let delay = value
                        .parse::<f64>()
                        .ok()
                        .filter(|s| s.is_finite() && *s >= 0.0)
                        .map(|s| Duration::from_secs_f64(s.min(MAX_CRAWL_DELAY.as_secs_f64())));
                    if !matches!(found, GroupDelay::Found(Some(_))) {
                        found = GroupDelay::Found(delay);
                    }
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crawl_delay_comes_from_the_group_that_applies() {
        let r = Robots::parse("User-agent: *\nCrawl-delay: 5\nDisallow: /x\n");
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(5)));
        // Our own group wins, even when it sets no delay.
        let r = Robots::parse(
            "User-agent: *\nCrawl-delay: 5\n\nUser-agent: Strikewatch/1.0\nCrawl-delay: 0.5\n",
        );
        assert_eq!(r.crawl_delay(), Some(Duration::from_millis(500)));
        let r =
            Robots::parse("User-agent: *\nCrawl-delay: 5\n\nUser-agent: strikewatch\nAllow: /\n");
        assert_eq!(r.crawl_delay(), None);
        // Grouped agents share the group's lines.
        let r =
            Robots::parse("User-agent: other\nUser-agent: strikewatch\nCrawl-delay: 2 # slow\n");
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(2)));
        // Capped, and nonsense ignored.
        assert_eq!(
            Robots::parse("User-agent: *\nCrawl-delay: 86400\n").crawl_delay(),
            Some(MAX_CRAWL_DELAY)
        );
        assert_eq!(
            Robots::parse("User-agent: *\nCrawl-delay: soon\n").crawl_delay(),
            None
        );
        assert_eq!(
            Robots::parse("User-agent: *\nCrawl-delay: -3\n").crawl_delay(),
            None
        );
        assert_eq!(
            Robots::parse("User-agent: *\nCrawl-delay: NaN\n").crawl_delay(),
            None
        );
        assert_eq!(Robots::allow_all().crawl_delay(), None);
        // Another robot's delay is not ours.
        assert_eq!(
            Robots::parse("User-agent: googlebot\nCrawl-delay: 9\n").crawl_delay(),
            None
        );
    }

    #[test]
    fn our_group_wins_over_the_wildcard() {
        let r = Robots::parse(
            "User-agent: *\nDisallow: /\n\nUser-agent: strikewatch\nAllow: /news/\nDisallow: /news/private\n",
        );
        assert!(r.allows("https://example.org/news/strike"));
        assert!(!r.allows("https://example.org/news/private/x"));
        // Our group has no rule for this path, and the wildcard group no longer applies.
        assert!(r.allows("https://example.org/other"));
        let r = Robots::parse("User-agent: *\nDisallow: /admin\n");
        assert!(r.allows("https://example.org/news"));
        assert!(!r.allows("https://example.org/admin/x"));
        assert!(Robots::allow_all().allows("https://example.org/"));
        assert!(!Robots::disallow_all().allows("https://example.org/"));
    }
}

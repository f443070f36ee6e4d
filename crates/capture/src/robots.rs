//! robots.txt: rules fetched once per origin and matched with the robotstxt
//! crate (a port of Google's matcher).

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

#[cfg(test)]
mod tests {
    use super::*;

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

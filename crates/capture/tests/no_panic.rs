//! Readers of untrusted bytes never panic.

use proptest::prelude::*;
use strikewatch_capture::feeds::{looks_like_feed, parse_feed};
use strikewatch_capture::meta::utf8_body;
use strikewatch_capture::posts::parse_posts;
use strikewatch_capture::robots::Robots;

proptest! {
    #[test]
    fn feeds_posts_robots_and_charsets_take_any_bytes(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = looks_like_feed(None, &body);
        let _ = parse_feed(&body);
        let _ = parse_posts(&body, Some("a"));
        let _ = utf8_body(&body, Some("text/html; charset=shift_jis"));
        let text = String::from_utf8_lossy(&body);
        let _ = Robots::parse(&text).allows("https://example.org/a/b?c=d");
    }

    #[test]
    fn xml_shaped_input_does_not_panic(inner in "[<>/a-z:=\"' &;#0-9\\[\\]!-]{0,400}") {
        for wrap in ["<urlset>", "<rss version=\"2.0\"><channel>", "<feed xmlns=\"http://www.w3.org/2005/Atom\">"] {
            let _ = parse_feed(format!("{wrap}{inner}").as_bytes());
        }
        let _ = parse_posts(format!("window.YTD.tweets.part0 = [{inner}]").as_bytes(), None);
    }
}

//! The SSRF guard: a pure function over resolved addresses.
//!
//! A URL is resolved first; then every address it resolves to is checked
//! here, before any connection is opened. Loopback, private, link-local,
//! multicast, unspecified, shared (CGNAT), reserved, documentation and
//! cloud-metadata addresses are refused unless private addresses are
//! explicitly allowed. IPv6 forms that carry an IPv4 address (mapped,
//! compatible, NAT64, 6to4) are judged by the IPv4 address they carry.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Loopback,
    Private,
    LinkLocal,
    Multicast,
    Unspecified,
    /// Cloud instance metadata (169.254.169.254, fd00:ec2::254, 100.100.100.200).
    Metadata,
    /// Shared, reserved, benchmarking, documentation or broadcast space.
    Reserved,
}

impl Refusal {
    pub fn describe(self) -> &'static str {
        match self {
            Refusal::Loopback => "a loopback address",
            Refusal::Private => "a private address",
            Refusal::LinkLocal => "a link-local address",
            Refusal::Multicast => "a multicast address",
            Refusal::Unspecified => "an unspecified address",
            Refusal::Metadata => "a cloud metadata address",
            Refusal::Reserved => "a reserved or non-routable address",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// Whether `ip` may be connected to on the public internet; `None` means yes.
pub fn classify(ip: IpAddr) -> Option<Refusal> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<Refusal> {
    let [a, b, c, _] = ip.octets();
    if ip == Ipv4Addr::new(169, 254, 169, 254) || ip == Ipv4Addr::new(100, 100, 100, 200) {
        return Some(Refusal::Metadata);
    }
    if ip.is_unspecified() || a == 0 {
        return Some(Refusal::Unspecified);
    }
    if ip.is_loopback() {
        return Some(Refusal::Loopback);
    }
    if ip.is_private() {
        return Some(Refusal::Private);
    }
    if ip.is_link_local() {
        return Some(Refusal::LinkLocal);
    }
    if ip.is_multicast() {
        return Some(Refusal::Multicast);
    }
    let reserved = (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // TEST-NET-1
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113) // TEST-NET-3
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || a >= 240; // reserved and broadcast
    reserved.then_some(Refusal::Reserved)
}

fn classify_v6(ip: Ipv6Addr) -> Option<Refusal> {
    let s = ip.segments();
    // IPv4-mapped ::ffff:a.b.c.d
    if let Some(v4) = ip.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    if ip.is_unspecified() {
        return Some(Refusal::Unspecified);
    }
    if ip.is_loopback() {
        return Some(Refusal::Loopback);
    }
    // IPv4-compatible ::a.b.c.d (deprecated) and NAT64 64:ff9b::a.b.c.d
    let embedded =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if s[..6] == [0; 6] {
        return classify_v4(embedded(s[6], s[7])).or(Some(Refusal::Reserved));
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0; 4] {
        return classify_v4(embedded(s[6], s[7]));
    }
    // 6to4 2002:a.b.c.d::/48
    if s[0] == 0x2002 {
        return classify_v4(embedded(s[1], s[2]));
    }
    if ip == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) {
        return Some(Refusal::Metadata);
    }
    if s[0] & 0xff00 == 0xff00 {
        return Some(Refusal::Multicast);
    }
    if s[0] & 0xffc0 == 0xfe80 {
        return Some(Refusal::LinkLocal);
    }
    if s[0] & 0xfe00 == 0xfc00 || s[0] & 0xffc0 == 0xfec0 {
        // unique local, and the deprecated site-local
        return Some(Refusal::Private);
    }
    let reserved = (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x0100 && s[1..4] == [0; 3]) // discard-only
        || (s[0] == 0x2001 && s[1] == 0) // Teredo (carries an obfuscated IPv4)
        || (s[0] == 0x2001 && s[1] < 0x200 && s[1] != 0) // IETF special-purpose block
        || s[0] & 0xe000 != 0x2000; // outside global unicast 2000::/3
    reserved.then_some(Refusal::Reserved)
}

/// Checks every resolved address of `host`: with `allow_private` all pass;
/// otherwise the first refused address is returned with its reason.
/// A host that resolves to both public and refused addresses is refused,
/// so a connection can never fall back to the refused one.
pub fn check_addrs(addrs: &[IpAddr], allow_private: bool) -> Result<(), (IpAddr, Refusal)> {
    if allow_private {
        return Ok(());
    }
    for &ip in addrs {
        if let Some(reason) = classify(ip) {
            return Err((ip, reason));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(s: &str) -> Option<Refusal> {
        classify(s.parse().unwrap())
    }

    #[test]
    fn public_addresses_pass() {
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "2a00:1450:4001:82a::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert_eq!(refused(ip), None, "{ip}");
        }
    }

    #[test]
    fn internal_v4_addresses_are_refused() {
        use Refusal::*;
        for (ip, why) in [
            ("127.0.0.1", Loopback),
            ("127.255.0.9", Loopback),
            ("10.1.2.3", Private),
            ("172.16.0.1", Private),
            ("172.31.255.255", Private),
            ("192.168.1.1", Private),
            ("169.254.1.1", LinkLocal),
            ("169.254.169.254", Metadata),
            ("100.100.100.200", Metadata),
            ("100.64.0.1", Reserved),
            ("224.0.0.1", Multicast),
            ("239.255.255.250", Multicast),
            ("0.0.0.0", Unspecified),
            ("0.1.2.3", Unspecified),
            ("255.255.255.255", Reserved),
            ("240.0.0.1", Reserved),
            ("192.0.2.1", Reserved),
            ("198.18.0.1", Reserved),
        ] {
            assert_eq!(refused(ip), Some(why), "{ip}");
        }
        assert_eq!(refused("172.32.0.1"), None);
        assert_eq!(refused("100.128.0.1"), None);
    }

    #[test]
    fn internal_v6_addresses_and_embedded_v4_are_refused() {
        use Refusal::*;
        for (ip, why) in [
            ("::1", Loopback),
            ("::", Unspecified),
            ("fe80::1", LinkLocal),
            ("fc00::1", Private),
            ("fd12:3456::1", Private),
            ("fec0::1", Private),
            ("ff02::1", Multicast),
            ("fd00:ec2::254", Metadata),
            ("::ffff:127.0.0.1", Loopback),
            ("::ffff:10.0.0.1", Private),
            ("::ffff:169.254.169.254", Metadata),
            ("::ffff:0:0", Unspecified),
            ("::127.0.0.1", Loopback),
            ("::8.8.8.8", Reserved),
            ("64:ff9b::7f00:1", Loopback),
            ("64:ff9b::a9fe:a9fe", Metadata),
            ("2002:7f00:1::", Loopback),
            ("2002:c0a8:101::1", Private),
            ("2001:db8::1", Reserved),
            ("2001:0:4136:e378::1", Reserved),
            ("100::1", Reserved),
        ] {
            assert_eq!(refused(ip), Some(why), "{ip}");
        }
    }

    #[test]
    fn one_refused_address_refuses_the_host_unless_allowed() {
        let addrs: Vec<IpAddr> = vec!["8.8.8.8".parse().unwrap(), "10.0.0.1".parse().unwrap()];
        let (ip, why) = check_addrs(&addrs, false).unwrap_err();
        assert_eq!(
            (ip.to_string().as_str(), why),
            ("10.0.0.1", Refusal::Private)
        );
        assert!(check_addrs(&addrs, true).is_ok());
        assert!(check_addrs(&addrs[..1], false).is_ok());
    }
}

//! Who is on the other end: the client address a limit is keyed on, seen through the
//! proxies the portal is told to trust, and an IPv6 client by its /64 (one subscriber
//! line holds a whole /64, so single addresses would give an attacker billions of keys).

use std::net::IpAddr;

use crate::DomainError;

/// The proxies whose `X-Forwarded-For` is believed (`ZHENGCE_TRUSTED_PROXIES`): addresses
/// or CIDR blocks, separated by commas or spaces. None by default: then the peer of the
/// connection is the client, whatever headers say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    pub fn parse(raw: &str) -> Result<TrustedProxies, DomainError> {
        let mut nets = Vec::new();
        for item in raw
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let bad = || {
                DomainError::new(
                    "ZHENGCE_TRUSTED_PROXIES",
                    format!("“{item}”不是 IP 地址或网段，例如 10.0.0.1 或 10.0.0.0/8"),
                )
            };
            let (addr, bits) = match item.split_once('/') {
                Some((a, b)) => (a, Some(b.parse::<u8>().map_err(|_| bad())?)),
                None => (item, None),
            };
            let addr: IpAddr = addr.parse().map_err(|_| bad())?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let bits = bits.unwrap_or(max);
            if bits > max {
                return Err(bad());
            }
            nets.push((addr, bits));
        }
        Ok(TrustedProxies(nets))
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|(net, bits)| in_net(ip, *net, *bits))
    }

    /// The client: the peer, or when the peer is a trusted proxy, the last address in
    /// `X-Forwarded-For` that is not one (the nearest hop no proxy of ours vouches for).
    pub fn client(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<IpAddr> = forwarded_for
            .unwrap_or_default()
            .split(',')
            .filter_map(|h| h.trim().parse().ok())
            .collect();
        hops.into_iter()
            .rev()
            .find(|h| !self.trusts(*h))
            .unwrap_or(peer)
    }
}

/// The key a per-address limit counts on: an IPv4 address, or an IPv6 address's /64.
pub fn client_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

fn in_net(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => prefix_eq(&a.octets(), &n.octets(), bits),
        (IpAddr::V6(a), IpAddr::V6(n)) => prefix_eq(&a.octets(), &n.octets(), bits),
        (IpAddr::V6(a), IpAddr::V4(_)) => a
            .to_ipv4_mapped()
            .is_some_and(|a| in_net(IpAddr::V4(a), net, bits)),
        _ => false,
    }
}

fn prefix_eq(a: &[u8], b: &[u8], bits: u8) -> bool {
    let (whole, rest) = (usize::from(bits / 8), bits % 8);
    if a[..whole] != b[..whole] {
        return false;
    }
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        a[whole] & mask == b[whole] & mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_headers_say() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("203.0.113.9"), Some("198.51.100.1")),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 192.168.1.1").expect("parse");
        // A spoofed first entry is ignored: only hops our proxies appended count.
        let chain = Some("1.2.3.4, 198.51.100.7, 10.1.2.3");
        assert_eq!(proxies.client(ip("192.168.1.1"), chain), ip("198.51.100.7"));
        assert_eq!(proxies.client(ip("10.9.9.9"), None), ip("10.9.9.9"));
        assert_eq!(proxies.client(ip("203.0.113.9"), chain), ip("203.0.113.9"));
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_64_and_a_mapped_ipv4_as_ipv4() {
        assert_eq!(client_key(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(
            client_key(ip("2001:db8:1:2:ffff::9")),
            client_key(ip("2001:db8:1:2::1"))
        );
        assert_eq!(client_key(ip("::ffff:198.51.100.7")), "198.51.100.7");
    }

    #[test]
    fn a_bad_proxy_list_is_refused_in_chinese() {
        let e = TrustedProxies::parse("10.0.0.0/33").expect_err("bad");
        assert!(e.message.contains("10.0.0.0/33"));
        assert!(TrustedProxies::parse("proxy.example").is_err());
    }
}

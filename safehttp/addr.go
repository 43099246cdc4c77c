package safehttp

import (
	"fmt"
	"net/netip"
)

// DefaultAllowFlagHint is the setting named in errors about private addresses.
const DefaultAllowFlagHint = "--allow-private-upstreams"

type rule struct {
	prefix netip.Prefix
	reason string
}

func r(cidr, reason string) rule { return rule{netip.MustParsePrefix(cidr), reason} }

// neverAllowed lists destinations no feed lives at. Cloud metadata services
// hand out credentials to anything on the instance that asks, so they are the
// classic SSRF prize; the rest are RFC 6890 special-purpose blocks that are
// not unicast destinations at all. Specific addresses come before the blocks
// that contain them so the reason is precise.
var neverAllowed = []rule{
	r("100.100.100.200/32", "Alibaba Cloud metadata address"),
	r("168.63.129.16/32", "Azure wireserver address"),
	r("fd00:ec2::254/128", "AWS IPv6 metadata address"),
	r("0.0.0.0/8", "unspecified/this-network address (RFC 6890)"),
	r("169.254.0.0/16", "link-local/cloud metadata address"),
	r("192.0.0.0/24", "IETF protocol assignments address (RFC 6890)"),
	r("224.0.0.0/4", "multicast address"),
	r("255.255.255.255/32", "broadcast address"),
	r("240.0.0.0/4", "reserved address (RFC 6890)"),
	r("::/128", "unspecified address"),
	r("fe80::/10", "link-local address"),
	r("ff00::/8", "multicast address"),
	// RFC 8215 local-use NAT64 may embed any IPv4 (including metadata) at
	// a prefix length we cannot know, so we cannot judge the real target.
	r("64:ff9b:1::/48", "local-use NAT64 address (RFC 8215)"),
}

// privateOnly lists destinations that are legitimate on a home or company
// network (a self-hosted upstream) but must not be reachable by default,
// since feed URLs come from users and this server sits inside that network.
var privateOnly = []rule{
	r("127.0.0.0/8", "loopback address"),
	r("10.0.0.0/8", "private address (RFC 1918)"),
	r("172.16.0.0/12", "private address (RFC 1918)"),
	r("192.168.0.0/16", "private address (RFC 1918)"),
	r("100.64.0.0/10", "shared/CGNAT address (RFC 6598)"),
	r("198.18.0.0/15", "benchmarking address (RFC 2544)"),
	r("192.0.2.0/24", "documentation address (RFC 5737)"),
	r("198.51.100.0/24", "documentation address (RFC 5737)"),
	r("203.0.113.0/24", "documentation address (RFC 5737)"),
	r("::1/128", "loopback address"),
	r("fc00::/7", "unique local address (RFC 4193)"),
	r("fec0::/10", "site-local address (RFC 3879)"),
	r("2001:db8::/32", "documentation address (RFC 3849)"),
	r("2001:2::/48", "benchmarking address (RFC 5180)"),
	r("100::/64", "discard-only address (RFC 6666)"),
}

var (
	nat64   = netip.MustParsePrefix("64:ff9b::/96") // RFC 6052 well-known prefix
	sixTo4  = netip.MustParsePrefix("2002::/16")    // RFC 3056
	compat4 = netip.MustParsePrefix("::/96")        // RFC 4291 §2.5.5.1, deprecated
)

// classify returns why ip is refused ("" when it is fine) and whether
// AllowPrivate lifts the refusal.
func classify(ip netip.Addr) (reason string, private bool) {
	if !ip.IsValid() {
		return "invalid address", false
	}
	ip = ip.WithZone("")
	// ::ffff:a.b.c.d reaches a.b.c.d on dual-stack sockets: judge it as IPv4.
	ip = ip.Unmap()
	// Translators forward NAT64 and 6to4 addresses to their embedded IPv4.
	if embedded, how, ok := embeddedIPv4(ip); ok {
		if reason, private := classify(embedded); reason != "" {
			return fmt.Sprintf("%s via %s", reason, how), private
		}
		return "", false
	}
	for _, rl := range neverAllowed {
		if rl.prefix.Contains(ip) {
			return rl.reason, false
		}
	}
	for _, rl := range privateOnly {
		if rl.prefix.Contains(ip) {
			return rl.reason, true
		}
	}
	if compat4.Contains(ip) {
		return "IPv4-compatible IPv6 address (deprecated, RFC 4291)", false
	}
	return "", false
}

func embeddedIPv4(ip netip.Addr) (netip.Addr, string, bool) {
	b := ip.As16()
	switch {
	case !ip.Is6():
		return netip.Addr{}, "", false
	case nat64.Contains(ip):
		return netip.AddrFrom4([4]byte(b[12:16])), "NAT64 (RFC 6052)", true
	case sixTo4.Contains(ip):
		return netip.AddrFrom4([4]byte(b[2:6])), "6to4 (RFC 3056)", true
	}
	return netip.Addr{}, "", false
}

// CheckIP reports whether a connection to ip is allowed, returning a
// *BlockedError (errors.Is(err, ErrBlocked)) naming DefaultAllowFlagHint
// when it is not.
func CheckIP(ip netip.Addr, allowPrivate bool) error {
	return checkIP("", ip, allowPrivate, DefaultAllowFlagHint)
}

func checkIP(host string, ip netip.Addr, allowPrivate bool, hint string) error {
	reason, private := classify(ip)
	if reason == "" || (private && allowPrivate) {
		return nil
	}
	e := &BlockedError{Host: host, IP: ip, Reason: reason}
	if private {
		e.Hint = hint
	}
	return e
}

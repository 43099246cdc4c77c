package safehttp

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func TestCheckIP(t *testing.T) {
	const ok, priv, never = 0, 1, 2
	cases := []struct {
		ip   string
		want int
	}{
		// public
		{"8.8.8.8", ok}, {"1.1.1.1", ok}, {"93.184.216.34", ok}, {"100.63.255.255", ok},
		{"100.128.0.0", ok}, {"172.15.255.255", ok}, {"172.32.0.0", ok}, {"198.20.0.1", ok},
		{"2606:4700:4700::1111", ok}, {"2001:4860:4860::8888", ok},
		{"::ffff:8.8.8.8", ok}, {"64:ff9b::808:808", ok}, {"2002:808:808::1", ok},
		// private unless allowed
		{"127.0.0.1", priv}, {"127.255.255.254", priv}, {"10.1.2.3", priv},
		{"172.16.0.1", priv}, {"172.31.255.255", priv}, {"192.168.1.1", priv},
		{"100.64.0.1", priv}, {"100.127.255.255", priv}, {"198.18.0.1", priv}, {"198.19.255.255", priv},
		{"192.0.2.1", priv}, {"198.51.100.7", priv}, {"203.0.113.9", priv},
		{"::1", priv}, {"fc00::1", priv}, {"fd12:3456::1", priv}, {"fec0::1", priv},
		{"2001:db8::1", priv}, {"2001:2::1", priv},
		{"::ffff:127.0.0.1", priv}, {"::ffff:10.0.0.1", priv}, {"::ffff:192.168.0.1", priv},
		{"64:ff9b::7f00:1", priv}, {"64:ff9b::a00:1", priv}, {"2002:7f00:1::", priv},
		// never allowed
		{"0.0.0.0", never}, {"0.1.2.3", never}, {"::", never},
		{"169.254.169.254", never}, {"169.254.0.1", never}, {"fe80::1", never}, {"fe80::1%eth0", never},
		{"224.0.0.1", never}, {"239.255.255.250", never}, {"ff02::1", never}, {"ff05::2", never},
		{"255.255.255.255", never}, {"240.0.0.1", never}, {"250.1.2.3", never},
		{"100.100.100.200", never}, {"fd00:ec2::254", never}, {"168.63.129.16", never},
		{"192.0.0.1", never}, {"192.0.0.170", never},
		{"::ffff:169.254.169.254", never}, {"::ffff:0.0.0.0", never}, {"::ffff:100.100.100.200", never},
		{"64:ff9b::a9fe:a9fe", never}, {"64:ff9b::ffff:ffff", never}, {"64:ff9b:1::a9fe:a9fe", never},
		{"2002:a9fe:a9fe::", never}, {"::127.0.0.1", never}, {"::8.8.8.8", never},
	}
	for _, tc := range cases {
		ip := netip.MustParseAddr(tc.ip)
		for _, allow := range []bool{false, true} {
			err := CheckIP(ip, allow)
			blocked := tc.want == never || (tc.want == priv && !allow)
			if (err != nil) != blocked {
				t.Errorf("CheckIP(%s, allowPrivate=%v) = %v, want blocked=%v", tc.ip, allow, err, blocked)
				continue
			}
			if err == nil {
				continue
			}
			var be *BlockedError
			if !errors.Is(err, ErrBlocked) || !errors.As(err, &be) || be.IP != ip {
				t.Errorf("CheckIP(%s) error %#v is not a *BlockedError for that IP", tc.ip, err)
			}
			hinted := strings.Contains(err.Error(), DefaultAllowFlagHint)
			if hinted != (tc.want == priv) || !strings.Contains(err.Error(), ip.String()) {
				t.Errorf("CheckIP(%s) message %q: wrong hint or missing address", tc.ip, err)
			}
		}
	}
}

func TestBlockedMessages(t *testing.T) {
	for ip, want := range map[string]string{
		"127.0.0.1":       "refusing to connect to 127.0.0.1 (loopback address; set --allow-private-upstreams to allow private and loopback addresses)",
		"169.254.169.254": "refusing to connect to 169.254.169.254 (link-local/cloud metadata address; never allowed)",
		"64:ff9b::7f00:1": "refusing to connect to 64:ff9b::7f00:1 (loopback address via NAT64 (RFC 6052); set --allow-private-upstreams to allow private and loopback addresses)",
	} {
		if got := CheckIP(netip.MustParseAddr(ip), false).Error(); got != want {
			t.Errorf("CheckIP(%s):\n got %s\nwant %s", ip, got, want)
		}
	}
	err := checkIP("localhost", netip.MustParseAddr("::1"), false, "allow_private: true")
	if want := "refusing to connect to localhost at ::1 (loopback address; set allow_private: true to allow private and loopback addresses)"; err.Error() != want {
		t.Errorf("got %s\nwant %s", err, want)
	}
}

package config

import (
	"slices"
	"strings"
)

// Partition is one AWS partition: a group of regions with its own DNS
// names, as aws-sdk-go-v2's partition table (partitions.json) describes
// them.
type Partition struct {
	ID string // "aws", "aws-cn", "aws-us-gov", "aws-eusc", "aws-iso", ...
	// DNSSuffix and DualStackDNSSuffix end the services' host names.
	DNSSuffix, DualStackDNSSuffix string
	// SignInHost and ConsoleHost are the console federation and console
	// hosts; "" where none is published (the isolated partitions and, so
	// far, the European Sovereign Cloud).
	SignInHost, ConsoleHost string
	// RegionalSignIn: the federation endpoint has a host per region,
	// REGION.SignInHost, which AWS recommends over the global one.
	RegionalSignIn bool

	// prefixes are the first words of the partition's regions: a region
	// is one of them, then one word ([A-Za-z0-9_]+), then a number, joined
	// by '-' (the SDK's regionRegex, e.g. ^us\-gov\-\w+\-\d+$, matched by
	// hand: compiling the eight patterns would cost every command that
	// resolves a profile a third of a millisecond).
	prefixes [][]string
}

// partitions in the order the SDK matches them: the aws pattern does not
// match the others' prefixes, so order only matters for the fallback.
var partitions = []Partition{
	{ID: "aws", DNSSuffix: "amazonaws.com", DualStackDNSSuffix: "api.aws", SignInHost: "signin.aws.amazon.com", ConsoleHost: "console.aws.amazon.com", RegionalSignIn: true,
		prefixes: [][]string{{"us"}, {"eu"}, {"ap"}, {"sa"}, {"ca"}, {"me"}, {"af"}, {"il"}, {"mx"}}},
	{ID: "aws-cn", DNSSuffix: "amazonaws.com.cn", DualStackDNSSuffix: "api.amazonwebservices.com.cn", SignInHost: "signin.amazonaws.cn", ConsoleHost: "console.amazonaws.cn",
		prefixes: [][]string{{"cn"}}},
	{ID: "aws-us-gov", DNSSuffix: "amazonaws.com", DualStackDNSSuffix: "api.aws", SignInHost: "signin.amazonaws-us-gov.com", ConsoleHost: "console.amazonaws-us-gov.com",
		prefixes: [][]string{{"us", "gov"}}},
	{ID: "aws-eusc", DNSSuffix: "amazonaws.eu", DualStackDNSSuffix: "api.amazonwebservices.eu",
		prefixes: [][]string{{"eusc", "de"}}},
	{ID: "aws-iso", DNSSuffix: "c2s.ic.gov", DualStackDNSSuffix: "api.aws.ic.gov", prefixes: [][]string{{"us", "iso"}}},
	{ID: "aws-iso-b", DNSSuffix: "sc2s.sgov.gov", DualStackDNSSuffix: "api.aws.scloud", prefixes: [][]string{{"us", "isob"}}},
	{ID: "aws-iso-e", DNSSuffix: "cloud.adc-e.uk", DualStackDNSSuffix: "api.cloud-aws.adc-e.uk", prefixes: [][]string{{"eu", "isoe"}}},
	{ID: "aws-iso-f", DNSSuffix: "csp.hci.ic.gov", DualStackDNSSuffix: "api.aws.hci.ic.gov", prefixes: [][]string{{"us", "isof"}}},
}

// matches reports whether region is one of prefixes, a word and a number.
func (p Partition) matches(parts []string) bool {
	for _, pre := range p.prefixes {
		if len(parts) == len(pre)+2 && slices.Equal(parts[:len(pre)], pre) &&
			isWord(parts[len(pre)]) && isNumber(parts[len(pre)+1]) {
			return true
		}
	}
	return false
}

func isWord(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_')
	}) < 0
}

func isNumber(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// PartitionOf returns the partition region belongs to, and whether the
// region has the form of one of its regions. A region of no known form is
// given the aws partition, as the SDKs do.
func PartitionOf(region string) (Partition, bool) {
	parts := strings.Split(region, "-")
	for _, p := range partitions {
		if p.matches(parts) {
			return p, true
		}
	}
	return partitions[0], false
}

// IsRegion reports whether region has the form of a region of some
// partition (us-east-1, cn-north-1, us-gov-west-1, eusc-de-east-1, ...).
func IsRegion(region string) bool {
	_, ok := PartitionOf(strings.TrimSpace(region))
	return ok && region == strings.TrimSpace(region)
}

// SignInEndpoint is the console federation base URL for region: the
// regional host where the partition has them (the global one serves
// us-east-1), as AWS lists them; "" when the partition publishes none.
func SignInEndpoint(region string) string {
	p, _ := PartitionOf(region)
	switch {
	case p.SignInHost == "":
		return ""
	case p.RegionalSignIn && region != "" && region != "us-east-1":
		return "https://" + region + "." + p.SignInHost
	}
	return "https://" + p.SignInHost
}

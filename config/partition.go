package config

import (
	"regexp"
	"strings"
	"sync"
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

	regionRegex string
}

// partitions in the order the SDK matches them: the aws pattern does not
// match the others' prefixes, so order only matters for the fallback.
var partitions = []Partition{
	{ID: "aws", DNSSuffix: "amazonaws.com", DualStackDNSSuffix: "api.aws", SignInHost: "signin.aws.amazon.com", ConsoleHost: "console.aws.amazon.com", RegionalSignIn: true,
		regionRegex: `^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`},
	{ID: "aws-cn", DNSSuffix: "amazonaws.com.cn", DualStackDNSSuffix: "api.amazonwebservices.com.cn", SignInHost: "signin.amazonaws.cn", ConsoleHost: "console.amazonaws.cn",
		regionRegex: `^cn\-\w+\-\d+$`},
	{ID: "aws-us-gov", DNSSuffix: "amazonaws.com", DualStackDNSSuffix: "api.aws", SignInHost: "signin.amazonaws-us-gov.com", ConsoleHost: "console.amazonaws-us-gov.com",
		regionRegex: `^us\-gov\-\w+\-\d+$`},
	{ID: "aws-eusc", DNSSuffix: "amazonaws.eu", DualStackDNSSuffix: "api.amazonwebservices.eu",
		regionRegex: `^eusc\-(de)\-\w+\-\d+$`},
	{ID: "aws-iso", DNSSuffix: "c2s.ic.gov", DualStackDNSSuffix: "api.aws.ic.gov", regionRegex: `^us\-iso\-\w+\-\d+$`},
	{ID: "aws-iso-b", DNSSuffix: "sc2s.sgov.gov", DualStackDNSSuffix: "api.aws.scloud", regionRegex: `^us\-isob\-\w+\-\d+$`},
	{ID: "aws-iso-e", DNSSuffix: "cloud.adc-e.uk", DualStackDNSSuffix: "api.cloud-aws.adc-e.uk", regionRegex: `^eu\-isoe\-\w+\-\d+$`},
	{ID: "aws-iso-f", DNSSuffix: "csp.hci.ic.gov", DualStackDNSSuffix: "api.aws.hci.ic.gov", regionRegex: `^us\-isof\-\w+\-\d+$`},
}

// regionPatterns are compiled on first use: no work at package init.
var regionPatterns = sync.OnceValue(func() []*regexp.Regexp {
	res := make([]*regexp.Regexp, len(partitions))
	for i, p := range partitions {
		res[i] = regexp.MustCompile(p.regionRegex)
	}
	return res
})

// PartitionOf returns the partition region belongs to, and whether the
// region has the form of one of its regions. A region of no known form is
// given the aws partition, as the SDKs do.
func PartitionOf(region string) (Partition, bool) {
	for i, re := range regionPatterns() {
		if re.MatchString(region) {
			return partitions[i], true
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

package emulator

import (
	"regexp"
	"sync"
)

// partitions are the AWS partitions and the regions each one has, as the
// SDKs' endpoint rules give them (aws-sdk-go-v2
// internal/endpoints/awsrulesfn/partitions.json). The emulator keeps its own
// copy rather than importing a client package: it only checks that the
// region it is told to serve exists in some partition.
var partitions = sync.OnceValue(func() []partition {
	return []partition{
		{"aws", regexp.MustCompile(`^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`)},
		{"aws-cn", regexp.MustCompile(`^cn\-\w+\-\d+$`)},
		{"aws-eusc", regexp.MustCompile(`^eusc\-(de)\-\w+\-\d+$`)},
		{"aws-iso", regexp.MustCompile(`^us\-iso\-\w+\-\d+$`)},
		{"aws-iso-b", regexp.MustCompile(`^us\-isob\-\w+\-\d+$`)},
		{"aws-iso-e", regexp.MustCompile(`^eu\-isoe\-\w+\-\d+$`)},
		{"aws-iso-f", regexp.MustCompile(`^us\-isof\-\w+\-\d+$`)},
		{"aws-us-gov", regexp.MustCompile(`^us\-gov\-\w+\-\d+$`)},
	}
})

type partition struct {
	name    string
	regions *regexp.Regexp
}

// partitionOf names the partition region belongs to, or "" when it is in
// none.
func partitionOf(region string) string {
	for _, p := range partitions() {
		if p.regions.MatchString(region) {
			return p.name
		}
	}
	return ""
}

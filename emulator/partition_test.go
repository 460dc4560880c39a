package emulator_test

import (
	"testing"

	"github.com/ssokit/ssokit/emulator"
)

func TestRegionsOfEveryPartitionAreServed(t *testing.T) {
	for _, region := range []string{
		"us-east-1", "eu-central-2", "ap-southeast-5", "il-central-1", "mx-central-1",
		"cn-north-1", "cn-northwest-1",
		"us-gov-west-1", "us-gov-east-1",
		"eusc-de-east-1",
		"us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1",
	} {
		em, err := emulator.New(emulator.Options{Region: region})
		if err != nil {
			t.Errorf("region %s: %v", region, err)
			continue
		}
		if em.Region() != region {
			t.Errorf("Region() = %q, want %q", em.Region(), region)
		}
	}
	for _, region := range []string{"mars", "us-east", "xx-east-1", "eusc-fr-east-1", "US-EAST-1 ", "us-east-1\n"} {
		if _, err := emulator.New(emulator.Options{Region: region}); err == nil {
			t.Errorf("region %q was accepted", region)
		}
	}
}

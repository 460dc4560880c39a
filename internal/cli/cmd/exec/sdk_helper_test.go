package exec

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// sdkHelper is a child that does what a real program does: load the default
// AWS configuration from its environment, call STS GetCallerIdentity and
// print the caller's ARN and the credential source.
func sdkHelper(args []string) int {
	ctx := context.Background()
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load config:", err)
		return 10
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "retrieve credentials:", err)
		return 11
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "GetCallerIdentity:", err)
		return 12
	}
	fmt.Printf("arn=%s\nsource=%s\nregion=%s\n", aws.ToString(out.Arn), creds.Source, cfg.Region)
	return 0
}

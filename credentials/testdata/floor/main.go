// Command floor is the smallest program built from what ssokit must link
// for credential_process: cobra and the aws-sdk-go-v2 clients of the SSO
// portal, SSO OIDC and STS. It reads a file and prints it, as a cached
// credential_process answer does. BenchmarkCredentialProcessCached times it
// beside ssokit and a hello-world: no binary made of these parts starts
// faster, so it is the floor for ssokit's start-up.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/spf13/cobra"
)

// The clients are referenced, not used: linking them is what costs.
var _, _, _ = sso.New, ssooidc.New, sts.New

func main() {
	root := &cobra.Command{
		Use:  "floor FILE",
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			_, err = os.Stdout.Write(b)
			return err
		},
	}
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

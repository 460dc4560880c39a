package accounts_test

import (
	"context"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"

	"github.com/ssokit/ssokit/accounts"
)

// List every account and role of an organisation at 10 requests per
// second, reporting progress as it goes.
func Example() {
	client := sso.New(sso.Options{
		Region: "eu-west-1",
		// An emulator or a proxy; leave unset for the real portal.
		BaseEndpoint: aws.String("http://127.0.0.1:4510"),
	})
	accessToken := "access token from the SSO token cache"
	l := accounts.New(client, accessToken, func(o *accounts.Options) {
		o.RequestsPerSecond = 10
		o.Progress = func(p accounts.Progress) {
			fmt.Printf("\r%d/%d accounts", p.Done, p.Accounts)
		}
	})
	accts, err := l.All(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range accts {
		fmt.Println(a.ID, a.Name, a.Roles)
	}
	st := l.Stats()
	fmt.Printf("%d requests, %d throttled\n", st.Requests, st.Throttled)
}

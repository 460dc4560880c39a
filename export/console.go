package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/ssokit/ssokit/config"
)

// ConsoleOptions configures ConsoleURL.
type ConsoleOptions struct {
	// Region picks the partition of the default endpoints ("cn-..." China,
	// "us-gov-..." GovCloud, anything else the aws partition) and the region
	// the console opens in.
	Region string
	// FederationEndpoint is the federation URL. Default: the partition's
	// sign-in host, regional where AWS has regional ones (config.SignInEndpoint),
	// e.g. https://eu-west-1.signin.aws.amazon.com/federation.
	FederationEndpoint string
	// Destination is the console page to land on. Default: the console
	// home of the partition, in Region when set, e.g.
	// https://console.aws.amazon.com/console/home?region=eu-west-1.
	Destination string
	// Issuer is the URL the console sends the user to when the session
	// ends; omitted when empty.
	Issuer string
	// SessionDuration is how long the console session lasts (15 minutes to
	// 12 hours); 0 leaves it to the service.
	SessionDuration time.Duration
}

// The bounds of ConsoleOptions.SessionDuration that the federation
// endpoint accepts.
const (
	MinConsoleSession = 15 * time.Minute
	MaxConsoleSession = 12 * time.Hour
)

// ConsoleError is a failed getSigninToken call. It names the endpoint,
// never the credentials.
type ConsoleError struct {
	Endpoint   string
	StatusCode int // 0 when no answer came
	Err        error
}

func (e *ConsoleError) Error() string {
	if e.StatusCode != 0 && e.StatusCode != http.StatusOK {
		return fmt.Sprintf("get console sign-in token from %s: HTTP %d: %v", e.Endpoint, e.StatusCode, e.Err)
	}
	return fmt.Sprintf("get console sign-in token from %s: %v", e.Endpoint, e.Err)
}

func (e *ConsoleError) Unwrap() error { return e.Err }

// ConsoleURL exchanges creds for a console sign-in token at the federation
// endpoint and returns the URL that signs the browser in. The URL is a
// secret: whoever opens it within a few minutes gets the session.
func ConsoleURL(ctx context.Context, client *http.Client, creds aws.Credentials, optFns ...func(*ConsoleOptions)) (string, error) {
	var opts ConsoleOptions
	for _, fn := range optFns {
		fn(&opts)
	}
	partition, _ := config.PartitionOf(opts.Region)
	if opts.FederationEndpoint == "" {
		base := config.SignInEndpoint(opts.Region)
		if base == "" {
			return "", fmt.Errorf("no public console sign-in endpoint is known for region %q (partition %s): give the federation endpoint", opts.Region, partition.ID)
		}
		opts.FederationEndpoint = base + "/federation"
	}
	if opts.Destination == "" {
		if partition.ConsoleHost == "" {
			return "", fmt.Errorf("no public console is known for region %q (partition %s): give the destination", opts.Region, partition.ID)
		}
		opts.Destination = "https://" + partition.ConsoleHost + "/"
		if opts.Region != "" {
			opts.Destination += "console/home?region=" + url.QueryEscape(opts.Region)
		}
	}
	if opts.SessionDuration != 0 && (opts.SessionDuration < MinConsoleSession || opts.SessionDuration > MaxConsoleSession) {
		return "", fmt.Errorf("console session duration %s: it must be from %s to %s", opts.SessionDuration, MinConsoleSession, MaxConsoleSession)
	}
	if client == nil {
		client = http.DefaultClient
	}
	if creds.SessionToken == "" {
		return "", errors.New("console sign-in needs temporary credentials with a session token")
	}
	endpoint, err := url.Parse(opts.FederationEndpoint)
	if err != nil || endpoint.Scheme == "" || endpoint.Host == "" {
		return "", fmt.Errorf("federation endpoint %q is not an absolute URL", opts.FederationEndpoint)
	}

	session, err := json.Marshal(struct {
		SessionID    string `json:"sessionId"`
		SessionKey   string `json:"sessionKey"`
		SessionToken string `json:"sessionToken"`
	}{creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken})
	if err != nil {
		return "", fmt.Errorf("encode console session: %w", err)
	}
	q := url.Values{"Action": {"getSigninToken"}, "Session": {string(session)}}
	if opts.SessionDuration > 0 {
		q.Set("SessionDuration", strconv.Itoa(int(opts.SessionDuration/time.Second)))
	}
	tokenURL := *endpoint
	tokenURL.RawQuery = q.Encode()
	token, status, err := getSigninToken(ctx, client, tokenURL.String())
	if err != nil {
		return "", &ConsoleError{Endpoint: opts.FederationEndpoint, StatusCode: status, Err: err}
	}

	login := url.Values{"Action": {"login"}, "Destination": {opts.Destination}, "SigninToken": {token}}
	if opts.Issuer != "" {
		login.Set("Issuer", opts.Issuer)
	}
	loginURL := *endpoint
	loginURL.RawQuery = login.Encode()
	return loginURL.String(), nil
}

// getSigninToken calls the federation endpoint. Errors carry the status and
// the start of the body, never the request URL, which holds the secret.
func getSigninToken(ctx context.Context, client *http.Client, rawURL string) (token string, status int, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return "", 0, errors.New("build request")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // url.Error's text quotes the URL
		}
		return "", 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return "", resp.StatusCode, fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", resp.StatusCode, fmt.Errorf("answer %s", snippet(body))
	}
	var doc struct{ SigninToken string }
	if err := json.Unmarshal(body, &doc); err != nil || doc.SigninToken == "" {
		return "", resp.StatusCode, fmt.Errorf("answer has no SigninToken: %s", snippet(body))
	}
	return doc.SigninToken, resp.StatusCode, nil
}

func snippet(body []byte) string {
	s := strings.TrimSpace(string(body))
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return strconv.Quote(s)
}

package credentials

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/fileutil"
	"github.com/ssokit/ssokit/internal/pyjson"
)

// providerTypeSSO marks the cache entries that hold SSO role credentials;
// logout removes exactly these.
const providerTypeSSO = "sso"

// expirationLayout is how the AWS CLI renders Expiration in its cache.
const expirationLayout = "2006-01-02T15:04:05Z"

// DefaultCacheDir is the AWS CLI's role-credential cache folder under home.
func DefaultCacheDir(home string) string {
	return filepath.Join(home, ".aws", "cli", "cache")
}

// cacheFileName is the SHA-1 of cacheKey, in hex, plus ".json".
func cacheFileName(accountID, roleName, sessionName, startURL string) string {
	sum := sha1.Sum([]byte(cacheKey(accountID, roleName, sessionName, startURL)))
	return hex.EncodeToString(sum[:]) + ".json"
}

// cacheKey is the text whose SHA-1 names an SSO entry: the compact JSON
// (keys sorted, separators "," and ":") that the AWS CLI hashes, with
// sessionName for sso-session profiles and startUrl for legacy ones.
func cacheKey(accountID, roleName, sessionName, startURL string) string {
	b := []byte(`{"accountId":`)
	b = pyjson.AppendString(b, accountID)
	b = append(b, `,"roleName":`...)
	b = pyjson.AppendString(b, roleName)
	if sessionName != "" {
		b = append(b, `,"sessionName":`...)
		b = pyjson.AppendString(b, sessionName)
	} else {
		b = append(b, `,"startUrl":`...)
		b = pyjson.AppendString(b, startURL)
	}
	return string(append(b, '}'))
}

// AssumeRoleCacheFileName is the name of an assume-role step's entry in the
// role-credential cache, the one the AWS CLI uses (spec section 7): the
// SHA-1, in hex, of the JSON botocore makes of the AssumeRole arguments.
// The role session name is left out when it is not configured, as the
// default one changes with every session.
func AssumeRoleCacheFileName(step config.AssumeRole) string {
	sum := sha1.Sum([]byte(assumeRoleCacheKey(step)))
	return hex.EncodeToString(sum[:]) + ".json"
}

// assumeRoleCacheKey is Python's json.dumps(args, sort_keys=True) of the
// arguments: keys in order, ", " and ": " as separators, the duration a
// number.
func assumeRoleCacheKey(step config.AssumeRole) string {
	b := []byte{'{'}
	member := func(key string) {
		if len(b) > 1 {
			b = append(b, ", "...)
		}
		b = pyjson.AppendString(b, key)
		b = append(b, ": "...)
	}
	if step.DurationSeconds != 0 {
		member("DurationSeconds")
		b = strconv.AppendInt(b, int64(step.DurationSeconds), 10)
	}
	if step.ExternalID != "" {
		member("ExternalId")
		b = pyjson.AppendString(b, step.ExternalID)
	}
	member("RoleArn")
	b = pyjson.AppendString(b, step.RoleARN)
	if step.RoleSessionName != "" {
		member("RoleSessionName")
		b = pyjson.AppendString(b, step.RoleSessionName)
	}
	if step.MFASerial != "" {
		member("SerialNumber")
		b = pyjson.AppendString(b, step.MFASerial)
	}
	return string(append(b, '}'))
}

// assumedRole is an AssumeRole answer, as the cache keeps it.
type assumedRole struct {
	creds       aws.Credentials
	roleID, arn string // AssumedRoleUser
	requestID   string
}

// marshalAssumeRoleCache renders a as the AWS CLI writes an assume-role
// entry: the AssumeRole response with AccountId added to Credentials (as
// newer botocore does), the expiration as Python's isoformat() of it, and
// of the response metadata what is not per-connection.
func marshalAssumeRoleCache(a assumedRole) []byte {
	b := make([]byte, 0, 1700)
	b = append(b, `{"Credentials": {"AccessKeyId": `...)
	b = pyjson.AppendString(b, a.creds.AccessKeyID)
	b = append(b, `, "SecretAccessKey": `...)
	b = pyjson.AppendString(b, a.creds.SecretAccessKey)
	b = append(b, `, "SessionToken": `...)
	b = pyjson.AppendString(b, a.creds.SessionToken)
	b = append(b, `, "Expiration": `...)
	b = pyjson.AppendString(b, a.creds.Expires.UTC().Format("2006-01-02T15:04:05+00:00"))
	b = append(b, `, "AccountId": `...)
	b = pyjson.AppendString(b, a.creds.AccountID)
	b = append(b, `}, "AssumedRoleUser": {"AssumedRoleId": `...)
	b = pyjson.AppendString(b, a.roleID)
	b = append(b, `, "Arn": `...)
	b = pyjson.AppendString(b, a.arn)
	b = append(b, `}, "ResponseMetadata": {"RequestId": `...)
	b = pyjson.AppendString(b, a.requestID)
	return append(b, `, "HTTPStatusCode": 200, "RetryAttempts": 0}}`...)
}

// cacheEntry is the JSON of one file in the cache, SSO or assume-role.
// Fields this package does not need (AssumedRoleUser, ResponseMetadata in
// assume-role entries) are ignored on read.
type cacheEntry struct {
	ProviderType string `json:"ProviderType"`
	Credentials  struct {
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string `json:"SecretAccessKey"`
		SessionToken    string `json:"SessionToken"`
		Expiration      string `json:"Expiration"`
		AccountID       string `json:"AccountId"`
	} `json:"Credentials"`
}

// readCache returns the credentials stored at path. A missing, unreadable,
// corrupt or incomplete file is a miss (ok false), never an error: the cache
// is only an optimisation, and the next write replaces the bad file.
func readCache(path string) (creds aws.Credentials, ok bool) {
	data, err := fileutil.ReadFile(path)
	if err != nil {
		return aws.Credentials{}, false
	}
	var e cacheEntry
	if json.Unmarshal(data, &e) != nil {
		return aws.Credentials{}, false
	}
	c := e.Credentials
	if c.AccessKeyID == "" || c.SecretAccessKey == "" || c.Expiration == "" {
		return aws.Credentials{}, false
	}
	exp, err := parseExpiration(c.Expiration)
	if err != nil {
		return aws.Credentials{}, false
	}
	return aws.Credentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		CanExpire:       true,
		Expires:         exp,
		AccountID:       c.AccountID,
		Source:          Source,
	}, true
}

// parseExpiration reads the time formats found in the cache: the CLI's
// "2026-01-01T09:00:00Z", older assume-role entries' "2026-01-01T09:00:00UTC",
// and any RFC 3339 time with fractional seconds or an offset.
func parseExpiration(s string) (time.Time, error) {
	if rest, ok := strings.CutSuffix(s, "UTC"); ok {
		s = rest + "Z"
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("expiration %q is not an RFC 3339 time", s)
	}
	return t.UTC(), nil
}

// marshalCache renders creds exactly as the AWS CLI writes an SSO entry
// (Python json.dumps defaults: ", " and ": " separators, no newline), so a
// file written by ssokit is byte-identical to one written by the CLI.
func marshalCache(creds aws.Credentials) []byte {
	b := make([]byte, 0, 1500)
	b = append(b, `{"ProviderType": "sso", "Credentials": {"AccessKeyId": `...)
	b = pyjson.AppendString(b, creds.AccessKeyID)
	b = append(b, `, "SecretAccessKey": `...)
	b = pyjson.AppendString(b, creds.SecretAccessKey)
	b = append(b, `, "SessionToken": `...)
	b = pyjson.AppendString(b, creds.SessionToken)
	b = append(b, `, "Expiration": `...)
	b = pyjson.AppendString(b, creds.Expires.UTC().Format(expirationLayout))
	if creds.AccountID != "" {
		b = append(b, `, "AccountId": `...)
		b = pyjson.AppendString(b, creds.AccountID)
	}
	return append(b, "}}"...)
}

// writeCache stores creds at path atomically with mode 0600.
func writeCache(path string, creds aws.Credentials) error {
	return writeEntry(path, marshalCache(creds))
}

func writeEntry(path string, data []byte) error {
	if err := fileutil.WriteAtomic(path, data, fileutil.Secret); err != nil {
		return fmt.Errorf("save role credentials in the cache: %w", err)
	}
	return nil
}

// entry is one file of the role-credential cache and the lock beside it:
// how every provider here reads, shares and writes the cache.
type entry struct {
	path string
	off  bool // Options.NoCache: every get fetches
	// profile names the entry in messages; accountID fills in entries
	// written without one.
	profile, accountID string
	now                func() time.Time
	window             time.Duration
	warn               io.Writer
	// turn makes goroutines of one process queue before the file lock,
	// which is taken by polling and would otherwise add latency; a channel
	// rather than a mutex so that waiting honours the context.
	turn chan struct{}
}

// fresh returns the cached credentials if more than the reuse window is
// left on them and their access key id is not refused. With the cache
// off there are none, and no file is read.
func (e *entry) fresh(refused string) (aws.Credentials, bool) {
	if e.off {
		return aws.Credentials{}, false
	}
	creds, ok := readCache(e.path)
	if !ok || creds.Expires.Sub(e.now()) <= e.window || refused != "" && creds.AccessKeyID == refused {
		return aws.Credentials{}, false
	}
	if creds.AccountID == "" {
		creds.AccountID = e.accountID
	}
	return creds, true
}

// get returns the cached credentials while they are fresh; otherwise it
// takes the lock, looks again (another process may have fetched while this
// one waited), and calls fetch, which returns the credentials and the
// entry to store. A cache folder that cannot be used costs a warning and
// the caching, never the credentials.
func (e *entry) get(ctx context.Context, refused string, fetch func(context.Context) (aws.Credentials, []byte, error)) (aws.Credentials, error) {
	if e.off {
		creds, _, err := fetch(ctx)
		return creds, err
	}
	// The hot path: a fresh entry is returned without the lock or any
	// client.
	if creds, ok := e.fresh(refused); ok {
		return creds, nil
	}
	select {
	case e.turn <- struct{}{}:
		defer func() { <-e.turn }()
	case <-ctx.Done():
		return aws.Credentials{}, e.waitError(ctx)
	}
	lockCtx, cancel := context.WithTimeout(ctx, cacheLockWait)
	unlock, err := fileutil.Lock(lockCtx, e.path)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return aws.Credentials{}, e.waitError(ctx)
		}
		// A cache folder that cannot be created or locked (read-only home,
		// a file in the way, a holder that hangs) must not stand between
		// the user and working credentials: go without the cache, and say
		// so.
		fmt.Fprintf(e.warn, "warning: role credentials not cached: %v\n", err)
		creds, _, err := fetch(ctx)
		return creds, err
	}
	defer unlock()
	if creds, ok := e.fresh(refused); ok {
		return creds, nil
	}
	creds, data, err := fetch(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	if err := writeEntry(e.path, data); err != nil {
		// The credentials are good; failing to cache them only costs the
		// next caller a call, so say so and carry on.
		fmt.Fprintf(e.warn, "warning: %v\n", err)
	}
	return creds, nil
}

// cacheLockWait bounds the wait for another caller's call: longer than the
// retry policy lets one take.
const cacheLockWait = time.Minute

// waitError is the error of a caller whose context ended while another
// caller was fetching.
func (e *entry) waitError(ctx context.Context) error {
	return fmt.Errorf("profile %q: wait for the role-credential cache: %w", e.profile, ctx.Err())
}

// PurgeSSOCache deletes every file in dir whose JSON has "ProviderType":
// "sso", as `aws sso logout` does, and reports how many it removed, and the
// temp files interrupted writes left (not counted). Other entries
// (assume-role, web identity), files that are not JSON and a missing
// folder are left alone.
func PurgeSSOCache(dir string) (removed int, err error) {
	fileutil.RemoveLeftovers(dir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("list role-credential cache %s: %w", dir, err)
	}
	var errs []error
	for _, de := range entries {
		if !de.Type().IsRegular() || !strings.HasSuffix(de.Name(), ".json") {
			continue
		}
		path := filepath.Join(dir, de.Name())
		data, err := fileutil.ReadFile(path)
		if err != nil {
			continue
		}
		var e struct {
			ProviderType string `json:"ProviderType"`
		}
		if json.Unmarshal(data, &e) != nil || e.ProviderType != providerTypeSSO {
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("delete cached role credentials %s: %w", path, err))
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}

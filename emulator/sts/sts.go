package sts

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/internal/wire"
	"github.com/ssokit/ssokit/emulator/storage"
)

// MaxClockSkew is how far a request's X-Amz-Date may be from the emulator's
// clock, as on AWS.
const MaxClockSkew = 15 * time.Minute

// Handler serves STS.
type Handler struct {
	Store storage.Storage
	// Directory holds the IAM roles AssumeRole can assume and the MFA
	// devices it checks codes against.
	Directory *directory.Directory
	Now       func() time.Time
	Wrap      wire.Middleware
}

// Mount registers the STS route on mux. Every action is one operation of
// its own for the middleware (its count and faults), so the body is read
// for the Action first.
func (h *Handler) Mount(mux *http.ServeMux) {
	ops := map[string]http.Handler{
		"GetCallerIdentity": h.Wrap.Wrap(wire.Op{Name: "GetCallerIdentity", API: wire.STS}, h.getCallerIdentity),
		"AssumeRole":        h.Wrap.Wrap(wire.Op{Name: "AssumeRole", API: wire.STS}, h.assumeRole),
	}
	unknown := h.Wrap.Wrap(wire.Op{Name: "UnknownAction", API: wire.STS}, func(w http.ResponseWriter, r *http.Request) {
		req, err := parseRequest(r)
		if err == nil {
			err = stsError(http.StatusBadRequest, "MissingAction", "the Action parameter is required")
			if action := req.form.Get("Action"); action != "" {
				err = stsError(http.StatusBadRequest, "InvalidAction", "Could not find operation %s for version %s; this emulator serves GetCallerIdentity and AssumeRole", action, req.form.Get("Version"))
			}
		}
		wire.WriteError(w, wire.STS, err)
	})
	mux.HandleFunc("POST /{$}", func(w http.ResponseWriter, r *http.Request) {
		req, err := parseRequest(r)
		if err != nil {
			wire.WriteError(w, wire.STS, err)
			return
		}
		// The operation reads the body again.
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(req.body)), int64(len(req.body))
		if op, ok := ops[req.form.Get("Action")]; ok {
			op.ServeHTTP(w, r)
			return
		}
		unknown.ServeHTTP(w, r)
	})
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func stsError(status int, code, format string, a ...any) *wire.Error {
	return wire.Errorf(status, code, format, a...)
}

var signer = v4.NewSigner()

// request is a query-protocol request: the form of the body, with the
// query string's parameters for those the body lacks.
type request struct {
	body []byte
	form url.Values
}

func parseRequest(r *http.Request) (request, error) {
	body, err := wire.ReadBody(r, wire.STS)
	if err != nil {
		return request{}, err
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return request{}, stsError(http.StatusBadRequest, "MalformedQueryString", "the request body is not a form: %v", err)
	}
	for k, vs := range r.URL.Query() {
		if _, ok := form[k]; !ok {
			form[k] = vs
		}
	}
	return request{body: body, form: form}, nil
}

// signed parses r and verifies its signature, returning the credentials
// it was signed with; ok is false when it wrote an error instead.
func (h *Handler) signed(w http.ResponseWriter, r *http.Request) (req request, creds storage.RoleCredentials, ok bool) {
	req, err := parseRequest(r)
	if err == nil {
		creds, err = h.verify(r.Context(), r, req.body)
	}
	if err != nil {
		wire.WriteError(w, wire.STS, err)
		return request{}, storage.RoleCredentials{}, false
	}
	return req, creds, true
}

func (h *Handler) getCallerIdentity(w http.ResponseWriter, r *http.Request) {
	_, creds, ok := h.signed(w, r)
	if !ok {
		return
	}
	wire.WriteXML(w, http.StatusOK, getCallerIdentityResponse{
		Xmlns: wire.STSNamespace,
		Result: callerIdentity{
			Arn:     CallerARN(creds),
			UserID:  callerID(creds),
			Account: creds.AccountID,
		},
		RequestID: w.Header().Get(wire.RequestIDHeader),
	})
}

type getCallerIdentityResponse struct {
	XMLName   xml.Name       `xml:"GetCallerIdentityResponse"`
	Xmlns     string         `xml:"xmlns,attr"`
	Result    callerIdentity `xml:"GetCallerIdentityResult"`
	RequestID string         `xml:"ResponseMetadata>RequestId"`
}

type callerIdentity struct {
	Arn     string `xml:"Arn"`
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
}

// authorization is the parsed Authorization header of a SigV4 request.
type authorization struct {
	AccessKeyID   string
	Date          string // yyyymmdd of the credential scope
	Region        string
	Service       string
	SignedHeaders []string
	Signature     string
}

const algorithm = "AWS4-HMAC-SHA256"

func missingAuth(format string, a ...any) *wire.Error {
	return stsError(http.StatusForbidden, "IncompleteSignature", format, a...)
}

// parseAuthorization reads "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
// SignedHeaders=a;b, Signature=hex".
func parseAuthorization(header string) (authorization, error) {
	var a authorization
	if header == "" {
		return a, stsError(http.StatusForbidden, "MissingAuthenticationToken", "Request is missing Authentication Token")
	}
	rest, ok := strings.CutPrefix(header, algorithm+" ")
	if !ok {
		return a, missingAuth("Authorization header must use %s", algorithm)
	}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, missingAuth("Authorization header part %q is not key=value", part)
		}
		switch k {
		case "Credential":
			f := strings.Split(v, "/")
			if len(f) != 5 || f[4] != "aws4_request" || f[0] == "" {
				return a, missingAuth("Credential %q is not AKID/DATE/REGION/SERVICE/aws4_request", v)
			}
			a.AccessKeyID, a.Date, a.Region, a.Service = f[0], f[1], f[2], f[3]
		case "SignedHeaders":
			a.SignedHeaders = strings.Split(v, ";")
		case "Signature":
			a.Signature = v
		}
	}
	if a.AccessKeyID == "" || len(a.SignedHeaders) == 0 || a.Signature == "" {
		return a, missingAuth("Authorization header needs Credential, SignedHeaders and Signature")
	}
	return a, nil
}

// verify authenticates a request and returns the credentials it was signed
// with. The order of checks follows STS: unknown key or token, then expiry,
// then the signature itself.
func (h *Handler) verify(ctx context.Context, r *http.Request, body []byte) (storage.RoleCredentials, error) {
	auth, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return storage.RoleCredentials{}, err
	}
	invalidToken := stsError(http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
	creds, err := h.Store.GetRoleCredentials(ctx, auth.AccessKeyID)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.RoleCredentials{}, invalidToken
	}
	if err != nil {
		return storage.RoleCredentials{}, err
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-Amz-Security-Token")), []byte(creds.SessionToken)) != 1 {
		return storage.RoleCredentials{}, invalidToken
	}
	now := h.now()
	if !now.Before(creds.Expiration) {
		return storage.RoleCredentials{}, stsError(http.StatusBadRequest, "ExpiredToken", "The security token included in the request is expired")
	}
	signedAt, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return storage.RoleCredentials{}, missingAuth("X-Amz-Date %q is not yyyymmddThhmmssZ", r.Header.Get("X-Amz-Date"))
	}
	if d := now.Sub(signedAt); d > MaxClockSkew || d < -MaxClockSkew {
		return storage.RoleCredentials{}, stsError(http.StatusForbidden, "SignatureDoesNotMatch",
			"Signature expired: %s is now earlier than %s (%s - 15 min.)", signedAt.Format("20060102T150405Z"),
			now.UTC().Add(-MaxClockSkew).Format("20060102T150405Z"), now.UTC().Format("20060102T150405Z"))
	}
	if auth.Service != "sts" {
		return storage.RoleCredentials{}, stsError(http.StatusForbidden, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'.")
	}
	if auth.Date != signedAt.Format("20060102") {
		return storage.RoleCredentials{}, stsError(http.StatusForbidden, "SignatureDoesNotMatch", "Credential date %s does not match X-Amz-Date", auth.Date)
	}
	want, err := expectedSignature(ctx, r, body, auth, creds, signedAt)
	if err != nil {
		return storage.RoleCredentials{}, err
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(auth.Signature)) != 1 {
		return storage.RoleCredentials{}, stsError(http.StatusForbidden, "SignatureDoesNotMatch",
			"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")
	}
	return creds, nil
}

// expectedSignature signs a copy of r holding only the headers the client
// said it signed, with the stored secret, and returns the signature.
func expectedSignature(ctx context.Context, r *http.Request, body []byte, auth authorization, creds storage.RoleCredentials, signedAt time.Time) (string, error) {
	cp, err := http.NewRequestWithContext(ctx, r.Method, r.URL.String(), bytes.NewReader(body))
	if err != nil {
		return "", missingAuth("cannot rebuild the request: %v", err)
	}
	cp.URL.Path, cp.URL.RawPath = r.URL.Path, r.URL.RawPath
	cp.Host = r.Host
	cp.ContentLength = 0
	for _, name := range auth.SignedHeaders {
		switch name {
		case "host":
		case "content-length":
			cp.ContentLength = int64(len(body))
		default:
			values := r.Header.Values(name)
			if len(values) == 0 {
				return "", stsError(http.StatusForbidden, "SignatureDoesNotMatch", "signed header %q is missing from the request", name)
			}
			cp.Header[http.CanonicalHeaderKey(name)] = values
		}
	}
	sum := sha256.Sum256(body)
	payloadHash := hex.EncodeToString(sum[:])
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" && h != payloadHash && h != "UNSIGNED-PAYLOAD" {
		return "", stsError(http.StatusBadRequest, "SignatureDoesNotMatch", "X-Amz-Content-Sha256 does not match the body")
	}
	err = signer.SignHTTP(ctx, aws.Credentials{
		AccessKeyID:     creds.AccessKeyID,
		SecretAccessKey: creds.SecretAccessKey,
		SessionToken:    creds.SessionToken,
	}, cp, payloadHash, auth.Service, auth.Region, signedAt)
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	got, err := parseAuthorization(cp.Header.Get("Authorization"))
	if err != nil {
		return "", err
	}
	if strings.Join(got.SignedHeaders, ";") != strings.Join(auth.SignedHeaders, ";") {
		return "", stsError(http.StatusForbidden, "SignatureDoesNotMatch",
			"SignedHeaders %q must include host and x-amz-date (and x-amz-security-token with temporary credentials); this server signs %q",
			strings.Join(auth.SignedHeaders, ";"), strings.Join(got.SignedHeaders, ";"))
	}
	return got.Signature, nil
}

// RoleSuffix is the stable 16-hex-character suffix of the IAM role Identity
// Center creates for a permission set in an account.
func RoleSuffix(accountID, role string) string {
	sum := sha256.Sum256([]byte("role-suffix\x00" + accountID + "\x00" + role))
	return hex.EncodeToString(sum[:8])
}

// RoleName is the IAM role name of a permission set: AWSReservedSSO_<set>_<suffix>.
func RoleName(accountID, permissionSet string) string {
	return "AWSReservedSSO_" + permissionSet + "_" + RoleSuffix(accountID, permissionSet)
}

// AssumedRoleARN is the caller ARN of a session in a permission set's role.
func AssumedRoleARN(accountID, permissionSet, username string) string {
	return "arn:aws:sts::" + accountID + ":assumed-role/" + RoleName(accountID, permissionSet) + "/" + username
}

// Credentials from AssumeRole are stored with the role's ARN as RoleName
// and the role session name as Username; those from the portal with the
// permission set and the user.
func assumed(c storage.RoleCredentials) bool { return strings.HasPrefix(c.RoleName, "arn:") }

// CallerARN is the ARN GetCallerIdentity answers for c:
// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.
func CallerARN(c storage.RoleCredentials) string {
	if assumed(c) {
		return "arn:aws:sts::" + c.AccountID + ":assumed-role/" + c.RoleName[strings.LastIndexByte(c.RoleName, '/')+1:] + "/" + c.Username
	}
	return AssumedRoleARN(c.AccountID, c.RoleName, c.Username)
}

// PrincipalARN is the IAM role c acts as, what a trust policy matches
// (aws:PrincipalArn): a permission set's role lives under the path
// aws-reserved/sso.amazonaws.com/.
func PrincipalARN(c storage.RoleCredentials) string {
	if assumed(c) {
		return c.RoleName
	}
	return "arn:aws:iam::" + c.AccountID + ":role/aws-reserved/sso.amazonaws.com/" + RoleName(c.AccountID, c.RoleName)
}

// callerID is GetCallerIdentity's UserId: the role's id and the session.
func callerID(c storage.RoleCredentials) string {
	return RoleID(c.AccountID, c.RoleName) + ":" + c.Username
}

// RoleID is the stable unique id of a role ("AROA" and 17 characters), by
// its account and permission set, or its ARN.
func RoleID(accountID, role string) string {
	sum := sha256.Sum256([]byte("role-id\x00" + accountID + "\x00" + role))
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	id := []byte("AROA")
	for _, b := range sum[:17] {
		id = append(id, alphabet[int(b)%len(alphabet)])
	}
	return string(id)
}

package sts

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/internal/wire"
	"github.com/ssokit/ssokit/emulator/portal"
	"github.com/ssokit/ssokit/emulator/storage"
)

// Bounds of AssumeRole's DurationSeconds. A session assumed with the
// credentials of another role session (role chaining, which every call
// here is: portal credentials are role sessions too) lasts an hour at most.
const (
	DefaultDuration   = time.Hour
	MinDuration       = 15 * time.Minute
	MaxDuration       = 12 * time.Hour
	RoleChainingLimit = time.Hour
)

// assumeRoleInput is AssumeRole's parameters, as the query protocol sends
// them; the session policies and tags are accepted and ignored.
type assumeRoleInput struct {
	RoleARN, RoleSessionName, ExternalID, SerialNumber, TokenCode string
	Duration                                                      time.Duration
}

func (h *Handler) assumeRole(w http.ResponseWriter, r *http.Request) {
	req, caller, ok := h.signed(w, r)
	if !ok {
		return
	}
	in, err := parseAssumeRole(req)
	if err != nil {
		wire.WriteError(w, wire.STS, err)
		return
	}
	role, err := h.authorize(caller, in)
	if err != nil {
		wire.WriteError(w, wire.STS, err)
		return
	}
	c := storage.RoleCredentials{
		AccessKeyID:     portal.NewAccessKeyID(),
		SecretAccessKey: randomString(30),
		SessionToken:    randomString(96),
		AccountID:       role.AccountID(),
		RoleName:        role.ARN,
		Username:        in.RoleSessionName,
		// Whole seconds: the expiration on the wire has no fraction.
		Expiration: h.now().Add(in.Duration).UTC().Truncate(time.Second),
	}
	if err := h.Store.CreateRoleCredentials(r.Context(), c); err != nil {
		wire.WriteError(w, wire.STS, fmt.Errorf("store role credentials: %w", err))
		return
	}
	var out assumeRoleResponse
	out.Xmlns = wire.STSNamespace
	out.Result.AssumedRoleUser.Arn = CallerARN(c)
	out.Result.AssumedRoleUser.AssumedRoleID = callerID(c)
	out.Result.Credentials = responseCredentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Expiration:      c.Expiration.Format(time.RFC3339),
	}
	out.RequestID = w.Header().Get(wire.RequestIDHeader)
	w.Header().Set("Cache-Control", "no-store")
	wire.WriteXML(w, http.StatusOK, out)
}

type assumeRoleResponse struct {
	XMLName xml.Name `xml:"AssumeRoleResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Result  struct {
		AssumedRoleUser struct {
			AssumedRoleID string `xml:"AssumedRoleId"`
			Arn           string `xml:"Arn"`
		} `xml:"AssumedRoleUser"`
		Credentials responseCredentials `xml:"Credentials"`
	} `xml:"AssumeRoleResult"`
	RequestID string `xml:"ResponseMetadata>RequestId"`
}

type responseCredentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

// parseAssumeRole reads the parameters and checks them against the
// model's constraints, reporting every violation at once in STS's words.
func parseAssumeRole(req request) (assumeRoleInput, error) {
	f := req.form
	in := assumeRoleInput{
		RoleARN: f.Get("RoleArn"), RoleSessionName: f.Get("RoleSessionName"), ExternalID: f.Get("ExternalId"),
		SerialNumber: f.Get("SerialNumber"), TokenCode: f.Get("TokenCode"), Duration: DefaultDuration,
	}
	var problems []string
	violates := func(value, member, constraint string) {
		v := "null"
		if value != "" || member == "tokenCode" {
			v = "'" + value + "'"
		}
		problems = append(problems, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", v, member, constraint))
	}
	lengthOf := func(value, member string, min, max int, present bool) {
		switch {
		case !present:
		case len(value) < min:
			violates(value, member, fmt.Sprintf("Member must have length greater than or equal to %d", min))
		case len(value) > max:
			violates(value, member, fmt.Sprintf("Member must have length less than or equal to %d", max))
		}
	}
	_, hasARN := f["RoleArn"]
	_, hasName := f["RoleSessionName"]
	switch {
	case !hasARN:
		violates("", "roleArn", "Member must not be null")
	default:
		lengthOf(in.RoleARN, "roleArn", 20, 2048, true)
	}
	switch {
	case !hasName:
		violates("", "roleSessionName", "Member must not be null")
	case !sessionNameChars(in.RoleSessionName):
		violates(in.RoleSessionName, "roleSessionName", `Member must satisfy regular expression pattern: [\w+=,.@-]*`)
	default:
		lengthOf(in.RoleSessionName, "roleSessionName", 2, 64, true)
	}
	_, hasExternal := f["ExternalId"]
	lengthOf(in.ExternalID, "externalId", 2, 1224, hasExternal)
	_, hasSerial := f["SerialNumber"]
	lengthOf(in.SerialNumber, "serialNumber", 9, 256, hasSerial)
	if _, ok := f["TokenCode"]; ok && !sixDigits(in.TokenCode) {
		violates(in.TokenCode, "tokenCode", `Member must satisfy regular expression pattern: [\d]*`)
	}
	if d, ok := f["DurationSeconds"]; ok {
		n, err := strconv.Atoi(d[0])
		switch {
		case err != nil:
			return in, stsError(http.StatusBadRequest, "ValidationError", "Value '%s' for DurationSeconds is not a valid integer", d[0])
		case time.Duration(n)*time.Second < MinDuration:
			violates(d[0], "durationSeconds", fmt.Sprintf("Member must have value greater than or equal to %d", int(MinDuration/time.Second)))
		case time.Duration(n)*time.Second > MaxDuration:
			violates(d[0], "durationSeconds", fmt.Sprintf("Member must have value less than or equal to %d", int(MaxDuration/time.Second)))
		}
		in.Duration = time.Duration(n) * time.Second
	}
	if len(problems) > 0 {
		noun := "error"
		if len(problems) > 1 {
			noun = "errors"
		}
		return in, stsError(http.StatusBadRequest, "ValidationError", "%d validation %s detected: %s", len(problems), noun, strings.Join(problems, "; "))
	}
	return in, nil
}

// authorize decides as IAM would: the role must exist and trust the
// caller, with the external ID and MFA its trust policy asks for, and the
// duration must fit the role. A role that does not exist is denied like
// one that does not trust the caller, so that denial reveals nothing.
func (h *Handler) authorize(caller storage.RoleCredentials, in assumeRoleInput) (directory.IAMRole, error) {
	denied := stsError(http.StatusForbidden, "AccessDenied",
		"User: %s is not authorized to perform: sts:AssumeRole on resource: %s", CallerARN(caller), in.RoleARN)
	if h.Directory == nil {
		return directory.IAMRole{}, denied
	}
	role, ok := h.Directory.IAMRole(in.RoleARN)
	if !ok || !role.Trusts(PrincipalARN(caller)) {
		return directory.IAMRole{}, denied
	}
	if role.ExternalID != "" && subtle.ConstantTimeCompare([]byte(role.ExternalID), []byte(in.ExternalID)) != 1 {
		return directory.IAMRole{}, denied
	}
	if in.TokenCode != "" || in.SerialNumber != "" {
		secret, ok := h.Directory.MFASecret(in.SerialNumber)
		if !ok {
			return directory.IAMRole{}, stsError(http.StatusForbidden, "AccessDenied",
				"MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.")
		}
		if !directory.CheckTOTP(secret, in.TokenCode, h.now()) {
			return directory.IAMRole{}, stsError(http.StatusForbidden, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
		}
	} else if role.MFA {
		return directory.IAMRole{}, denied
	}
	switch {
	case in.Duration > role.MaxDuration():
		return directory.IAMRole{}, stsError(http.StatusBadRequest, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	case in.Duration > RoleChainingLimit:
		return directory.IAMRole{}, stsError(http.StatusBadRequest, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	return role, nil
}

func sessionNameChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_+=,.@-", c) >= 0) {
			return false
		}
	}
	return true
}

func sixDigits(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return base64.StdEncoding.EncodeToString(b)
}

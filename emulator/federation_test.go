package emulator_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
)

// federationToken runs Action=getSigninToken and returns the token.
func federationToken(t *testing.T, base, akid, secret, token string) string {
	t.Helper()
	status, body := getSigninToken(t, base, akid, secret, token)
	if status != http.StatusOK {
		t.Fatalf("getSigninToken: %d %s", status, body)
	}
	var out struct{ SigninToken string }
	if err := json.Unmarshal([]byte(body), &out); err != nil || out.SigninToken == "" {
		t.Fatalf("getSigninToken body %s: %v", body, err)
	}
	return out.SigninToken
}

func getSigninToken(t *testing.T, base, akid, secret, token string) (int, string) {
	t.Helper()
	session, _ := json.Marshal(map[string]string{"sessionId": akid, "sessionKey": secret, "sessionToken": token})
	resp, err := http.Get(base + "/federation?Action=getSigninToken&SessionType=json&Session=" + url.QueryEscape(string(session)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// consolePage follows the login URL to the emulator's /console and returns
// the page, or "" when the sign-in failed.
func consolePage(t *testing.T, base, signinToken string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	login := base + "/federation?Action=login&Issuer=" + url.QueryEscape("https://example.com") +
		"&Destination=" + url.QueryEscape(base+"/console") + "&SigninToken=" + url.QueryEscape(signinToken)
	resp, err := client.Get(login)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/console" {
		return ""
	}
	return string(body)
}

func TestConsoleFederation(t *testing.T) {
	clk := newClock()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo"; o.Now = clk.Now })
	c := newClients(t, srv)
	out, err := c.sso.GetRoleCredentials(context.Background(), &sso.GetRoleCredentialsInput{
		AccessToken: aws.String(signIn(t, c)), AccountId: aws.String(directory.DemoAccount), RoleName: aws.String(directory.DemoRole),
	})
	if err != nil {
		t.Fatal(err)
	}
	rc := out.RoleCredentials
	akid, secret, session := aws.ToString(rc.AccessKeyId), aws.ToString(rc.SecretAccessKey), aws.ToString(rc.SessionToken)
	token := federationToken(t, srv.URL, akid, secret, session)

	page := consolePage(t, srv.URL, token)
	for _, want := range []string{directory.DemoAccount, directory.DemoRole, "assumed-role/AWSReservedSSO_readOnly_", "/demo"} {
		if !strings.Contains(page, want) {
			t.Errorf("console page does not show %q:\n%s", want, page)
		}
	}

	t.Run("a wrong secret gets no token", func(t *testing.T) {
		if status, body := getSigninToken(t, srv.URL, akid, secret+"x", session); status != http.StatusForbidden {
			t.Errorf("status = %d %s, want 403", status, body)
		}
	})
	t.Run("login only redirects to the emulator or an AWS console", func(t *testing.T) {
		noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for dest, want := range map[string]int{
			"https://console.aws.amazon.com/":                   http.StatusFound,
			"https://us-east-2.console.aws.amazon.com/ec2/home": http.StatusFound,
			"https://evil.example.com/":                         http.StatusBadRequest,
			"https://console.aws.amazon.com.evil.example/":      http.StatusBadRequest,
			"http://console.aws.amazon.com/":                    http.StatusBadRequest,
		} {
			resp, err := noRedirect.Get(srv.URL + "/federation?Action=login&SigninToken=" + url.QueryEscape(token) + "&Destination=" + url.QueryEscape(dest))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("Destination %s: status %d, want %d", dest, resp.StatusCode, want)
			}
		}
	})
	t.Run("a tampered token does not sign in", func(t *testing.T) {
		if page := consolePage(t, srv.URL, tamper(token)); page != "" {
			t.Error("a tampered sign-in token opened the console")
		}
	})
	t.Run("a console cookie is not a sign-in token", func(t *testing.T) {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar}
		resp, err := client.Get(srv.URL + "/federation?Action=login&SigninToken=" + url.QueryEscape(token) + "&Destination=" + url.QueryEscape(srv.URL+"/console"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		u, _ := url.Parse(srv.URL)
		var cookie string
		for _, c := range jar.Cookies(u) {
			cookie = c.Value
		}
		if cookie == "" {
			t.Fatal("login set no console cookie")
		}
		if page := consolePage(t, srv.URL, cookie); page != "" {
			t.Error("a console cookie was accepted as a sign-in token")
		}
	})
	t.Run("the token lasts 15 minutes", func(t *testing.T) {
		clk.Advance(16 * 60e9)
		if page := consolePage(t, srv.URL, token); page != "" {
			t.Error("a 16-minute-old sign-in token opened the console")
		}
	})
}

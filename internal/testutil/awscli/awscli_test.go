package awscli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// recorder answers like STS and SSO OIDC and remembers what it was asked.
type recorder struct {
	mu   sync.Mutex
	seen []string
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.seen = append(rec.seen, r.Method+" "+r.URL.Path)
	rec.mu.Unlock()
	switch r.URL.Path {
	case "/":
		form, _ := url.ParseQuery(string(body))
		if form.Get("Action") != "GetCallerIdentity" {
			http.Error(w, "unexpected action "+form.Get("Action"), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = io.WriteString(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/test</Arn><UserId>AIDTEST</UserId><Account>123456789012</Account></GetCallerIdentityResult>
<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`)
	case "/assignment/accounts":
		if r.Header.Get("X-Amz-Sso_bearer_token") != "tok" {
			http.Error(w, "no bearer token", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"accountList":[{"accountId":"111122223333","accountName":"dev"}]}`)
	case "/client/register":
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"clientId": "cid", "clientSecret": "secret", "clientIdIssuedAt": 1, "clientSecretExpiresAt": 4102444800,
		})
	default:
		http.NotFound(w, r)
	}
}

func (rec *recorder) Seen() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.seen...)
}

func TestCLIReachesTheLocalEndpointWithACleanEnvironment(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()

	// If any of these leaked into the CLI, it would fail or go elsewhere.
	t.Setenv("AWS_PROFILE", "no-such-profile")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIALEAKED")
	t.Setenv("AWS_CA_BUNDLE", "/nonexistent/ca.pem")

	cli := New(t, srv.URL)
	cli.WriteConfig("[default]\nregion = eu-west-1\noutput = json\n")
	cli.WriteCredentials("[default]\naws_access_key_id = AKIDTEST\naws_secret_access_key = secret\n")

	out, _, err := cli.Run("sts", "get-caller-identity")
	if err != nil {
		t.Fatal(err)
	}
	var id struct{ Account, Arn string }
	if err := json.Unmarshal([]byte(out), &id); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if id.Account != "123456789012" {
		t.Errorf("account = %q, want the local endpoint's answer", id.Account)
	}

	out, _, err = cli.Run("sso-oidc", "register-client", "--client-name", "t", "--client-type", "public")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"clientId": "cid"`) {
		t.Errorf("register-client output:\n%s", out)
	}
	out, _, err = cli.Run("sso", "list-accounts", "--access-token", "tok")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"accountId": "111122223333"`) {
		t.Errorf("list-accounts output:\n%s", out)
	}
	if diff := cmp.Diff([]string{"POST /", "POST /client/register", "GET /assignment/accounts"}, rec.Seen()); diff != "" {
		t.Errorf("requests seen (-want +got):\n%s", diff)
	}
}

func TestEnvironIsOnlyWhatTheCLINeeds(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", "leak")
	c := &CLI{Home: "/h", ConfigFile: "/h/c", CredentialsFile: "/h/k", DataPath: "/d", Env: []string{"AWS_PROFILE=p"}}
	var names []string
	for _, kv := range c.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		names = append(names, name)
	}
	want := []string{"HOME", "PATH", "LANG", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_DATA_PATH",
		"AWS_EC2_METADATA_DISABLED", "AWS_PAGER", "AWS_CLI_AUTO_PROMPT", "PYTHONUNBUFFERED", "AWS_PROFILE"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("environment (-want +got):\n%s", diff)
	}
}

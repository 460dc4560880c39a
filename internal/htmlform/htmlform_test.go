package htmlform

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const sample = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Sign in &middot; demo</title>
<style>h1 { color: red }</style></head>
<body>
<main><h1>Allow <em>tool</em> &amp; more?</h1></main>
<div class="alert" role="alert">Wrong <b>password</b>.</div>
<form id="signin" method="post" action="/signin">
  <input type="hidden" name="csrf" value="tok&amp;1">
  <input type="text" name="username" value="alice" required autofocus>
  <input type=password name=password>
  <input type="checkbox" name="remember" checked>
  <input type="checkbox" name="other">
  <button class="secondary" type="submit" name="action" value="deny">Deny</button>
  <button type="submit" name="action" value="allow"> Allow </button>
  <button type="button" name="noop">No</button>
</form>
<form method="get" action="/device"><input name="user_code"><br></form>
</body></html>`

func TestParseReadsWhatAPersonSees(t *testing.T) {
	p, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	got := struct{ Title, Heading, Alert string }{p.Title, p.Heading, p.Alert}
	want := struct{ Title, Heading, Alert string }{"Sign in · demo", "Allow tool & more?", "Wrong password."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("page text (-want +got):\n%s", diff)
	}
	if p.Main != "Allow tool & more?" {
		t.Errorf("Main = %q, want the text inside <main>", p.Main)
	}
	if strings.Contains(p.Text, "color: red") {
		t.Errorf("Text includes the style sheet: %q", p.Text)
	}
	wantForms := []Form{
		{
			ID: "signin", Method: "POST", Action: "/signin",
			Fields:  url.Values{"csrf": {"tok&1"}, "username": {"alice"}, "password": {""}, "remember": {"on"}},
			Inputs:  []Input{{"csrf", "hidden"}, {"username", "text"}, {"password", "password"}, {"remember", "checkbox"}, {"other", "checkbox"}},
			Buttons: []Button{{"action", "deny", "Deny"}, {"action", "allow", "Allow"}},
		},
		{
			Method: "GET", Action: "/device",
			Fields: url.Values{"user_code": {""}},
			Inputs: []Input{{"user_code", "text"}},
		},
	}
	if diff := cmp.Diff(wantForms, p.Forms); diff != "" {
		t.Errorf("forms (-want +got):\n%s", diff)
	}
}

func TestSubmitPressesTheButton(t *testing.T) {
	p, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	f, ok := p.Form("signin")
	if !ok {
		t.Fatal("no signin form")
	}
	b, ok := f.Button("Allow")
	if !ok {
		t.Fatal("no Allow button")
	}
	got := f.Submit(b, map[string]string{"password": "pw"})
	want := url.Values{"csrf": {"tok&1"}, "username": {"alice"}, "password": {"pw"}, "remember": {"on"}, "action": {"allow"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("submitted values (-want +got):\n%s", diff)
	}
	if _, ok := f.Button("cancel"); ok {
		t.Error("found a button that is not there")
	}
	if !f.HasInput("other") || f.HasInput("action") {
		t.Error("HasInput is wrong")
	}
}

package populate

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNames(t *testing.T) {
	role := func(id, name, r string) Role {
		return Role{AccountID: id, AccountName: name, RoleName: r, Session: "corp", AccountEmail: name + "@example.com"}
	}
	tests := []struct {
		name     string
		template string
		roles    []Role
		want     []string
		// wantErr lists substrings every one of which the error must hold.
		wantErr []string
	}{
		{
			name:     "the default template cleans account names into file-safe names",
			template: DefaultTemplate,
			roles:    []Role{role("111111111111", "Prod Payments (EU)", "AdministratorAccess"), role("222222222222", "sandbox", "ReadOnly")},
			want:     []string{"Prod-Payments-EU.AdministratorAccess", "sandbox.ReadOnly"},
		},
		{
			name:     "the default template adds the account id where account names collide",
			template: DefaultTemplate,
			roles:    []Role{role("111111111111", "dev", "Admin"), role("222222222222", "dev", "Admin"), role("222222222222", "dev", "ReadOnly"), role("333333333333", "Dev", "ReadOnly")},
			want:     []string{"dev-111111111111.Admin", "dev-222222222222.Admin", "dev-222222222222.ReadOnly", "Dev-333333333333.ReadOnly"},
		},
		{
			name:     "a custom template can use every field and the helper functions",
			template: `{{.Session}}-{{lower .AccountName | safe}}-{{.AccountID}}-{{replace "Access" "" .RoleName}}`,
			roles:    []Role{role("111111111111", "Prod Payments", "AdministratorAccess")},
			want:     []string{"corp-prod-payments-111111111111-Administrator"},
		},
		{
			name:     "a template giving unsafe names lists every offending role",
			template: `{{.AccountName}} {{.RoleName}}`,
			roles:    []Role{role("111111111111", "a", "R"), role("222222222222", "b", "R"), role("333333333333", "c[1]", "R")},
			wantErr:  []string{`"a R" for role R in account 111111111111 (a): contains ' '`, `"b R" for role R in account 222222222222`, `"c[1] R" for role R in account 333333333333`, "nothing was written"},
		},
		{
			name:     "unsafe characters, reserved and empty names are all refused",
			template: `{{.AccountName}}`,
			roles:    []Role{role("1", "x#y", "R"), role("2", "a;b", "R"), role("3", "k=v", "R"), role("4", "default", "R"), role("5", "", "R"), role("6", ".hidden", "R"), role("7", "-flag", "R")},
			wantErr: []string{
				`"x#y" for role R in account 1 (x#y): contains '#'`,
				`"a;b" for role R in account 2 (a;b): contains ';'`,
				`"k=v" for role R in account 3 (k=v): contains '='`,
				`"default" for role R in account 4 (default): "default" is the default profile`,
				`"" for role R in account 5 (): empty`,
				`".hidden" for role R in account 6 (.hidden): starts with '.'`,
				`"-flag" for role R in account 7 (-flag): starts with '-'`,
			},
		},
		{
			name:     "a template giving duplicate names lists every pair",
			template: `{{.AccountName}}`,
			roles:    []Role{role("111111111111", "dev", "Admin"), role("111111111111", "dev", "ReadOnly"), role("222222222222", "prod", "Admin"), role("333333333333", "Prod", "Admin")},
			wantErr: []string{
				`"dev" for role Admin in account 111111111111 (dev) and role ReadOnly in account 111111111111 (dev)`,
				`"prod" for role Admin in account 222222222222 (prod) and role Admin in account 333333333333 (Prod)`,
				"gives the same name to several roles",
			},
		},
		{
			name:     "a template that does not parse is reported with its text",
			template: `{{.AccountName`,
			wantErr:  []string{`--template "{{.AccountName"`},
		},
		{
			name:     "a template naming an unknown field is an error",
			template: `{{.Account}}`,
			roles:    []Role{role("1", "a", "R")},
			wantErr:  []string{`--template "{{.Account}}" for role R in account 1 (a)`, "Account"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := names(tt.template, tt.roles)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("names = %q, want an error", got)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error does not mention %q:\n%v", s, err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNameErrorIsTyped(t *testing.T) {
	_, err := names(`x`, []Role{{AccountID: "1", RoleName: "a"}, {AccountID: "2", RoleName: "b"}})
	var ne *NameError
	if !errors.As(err, &ne) || len(ne.Duplicate) != 1 || len(ne.Unsafe) != 0 {
		t.Errorf("error = %#v, want a *NameError with one duplicate", err)
	}
}

func TestSafe(t *testing.T) {
	tests := map[string]string{
		"plain":                  "plain",
		"Prod Payments (EU)":     "Prod-Payments-EU",
		"  spaces  around ":      "spaces-around",
		"équipe données":         "équipe-données",
		"a/b\\c:d":               "a-b-c-d",
		"...dots.":               "dots",
		"tab\tand\nnewline":      "tab-and-newline",
		"under_score.and-dash":   "under_score.and-dash",
		"[brackets];#comment=eq": "brackets-comment-eq",
	}
	for in, want := range tests {
		if got := safe(in); got != want {
			t.Errorf("safe(%q) = %q, want %q", in, got, want)
		}
		if got := safe(in); got != "" && unsafeName(got) != "" {
			t.Errorf("safe(%q) = %q is not a safe name: %s", in, got, unsafeName(got))
		}
	}
}

package populate

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/config"
)

func TestPlanApply(t *testing.T) {
	want := []wanted{
		{Name: "dev.Admin", Role: Role{AccountID: "111111111111", RoleName: "Admin"}},
		{Name: "prod.ReadOnly", Role: Role{AccountID: "222222222222", RoleName: "ReadOnly"}},
	}
	ours := func(name, account, role string) string {
		return "[profile " + name + "]\nsso_session = corp\nsso_account_id = " + account + "\nsso_role_name = " + role + "\nssokit_populated_from = corp\n"
	}
	tests := []struct {
		name    string
		prune   bool
		region  string
		file    string
		want    string
		counts  [5]int // added, updated, unchanged, removed, stale
		wantErr []string
	}{
		{
			name:   "profiles are added after everything else, in name order",
			file:   "[default]\nregion = eu-west-1\n",
			want:   "[default]\nregion = eu-west-1\n\n" + ours("dev.Admin", "111111111111", "Admin") + "\n" + ours("prod.ReadOnly", "222222222222", "ReadOnly"),
			counts: [5]int{2, 0, 0, 0, 0},
		},
		{
			name:   "profiles already right are left byte for byte",
			file:   ours("dev.Admin", "111111111111", "Admin") + "# a note\n\n" + ours("prod.ReadOnly", "222222222222", "ReadOnly"),
			want:   ours("dev.Admin", "111111111111", "Admin") + "# a note\n\n" + ours("prod.ReadOnly", "222222222222", "ReadOnly"),
			counts: [5]int{0, 0, 2, 0, 0},
		},
		{
			name:   "--region is set in place, keys the user added stay",
			region: "eu-west-1",
			file:   strings.Replace(ours("dev.Admin", "111111111111", "Admin"), "sso_session = corp\n", "sso_session = corp\nregion = us-east-1\noutput = text\n", 1),
			want: strings.Replace(ours("dev.Admin", "111111111111", "Admin"), "sso_session = corp\n", "sso_session = corp\nregion = eu-west-1\noutput = text\n", 1) +
				"\n[profile prod.ReadOnly]\nsso_session = corp\nsso_account_id = 222222222222\nsso_role_name = ReadOnly\nregion = eu-west-1\nssokit_populated_from = corp\n",
			counts: [5]int{1, 1, 0, 0, 0},
		},
		{
			name:   "--prune removes stale profiles of this session, not of another or the user's",
			prune:  true,
			file:   ours("gone.Admin", "333333333333", "Admin") + "\n[profile mine]\nsso_session = corp\n\n" + strings.ReplaceAll(ours("other.Admin", "444444444444", "Admin"), "corp", "other"),
			want:   "[profile mine]\nsso_session = corp\n\n" + strings.ReplaceAll(ours("other.Admin", "444444444444", "Admin"), "corp", "other") + "\n" + ours("dev.Admin", "111111111111", "Admin") + "\n" + ours("prod.ReadOnly", "222222222222", "ReadOnly"),
			counts: [5]int{2, 0, 0, 1, 0},
		},
		{
			name:   "without --prune stale profiles are counted and kept",
			file:   ours("gone.Admin", "333333333333", "Admin"),
			want:   ours("gone.Admin", "333333333333", "Admin") + "\n" + ours("dev.Admin", "111111111111", "Admin") + "\n" + ours("prod.ReadOnly", "222222222222", "ReadOnly"),
			counts: [5]int{2, 0, 0, 0, 1},
		},
		{
			name:    "a name held by another session's populated profile is a clash",
			file:    "[sso-session other]\nsso_region = x\n\n" + strings.ReplaceAll(ours("dev.Admin", "111111111111", "Admin"), "corp", "other"),
			wantErr: []string{`dev.Admin at config:4 (populated from sso-session "other")`},
		},
		{
			name:    "every clash is listed, with its line",
			file:    "[profile prod.ReadOnly]\nregion = x\n[profile dev.Admin]\n",
			wantErr: []string{"2 profiles would overwrite", "dev.Admin at config:3 (written by hand)", "prod.ReadOnly at config:1 (written by hand)"},
		},
		{
			name:    "a quoted header names the same profile as the AWS tools read it",
			file:    "[profile 'dev.Admin']\nregion = x\n",
			wantErr: []string{"dev.Admin at config:1 (written by hand)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := config.Parse("config", []byte(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			p := &plan{session: "corp", region: tt.region, prune: tt.prune, want: want}
			err = p.apply(f)
			if tt.wantErr != nil {
				var ce *ConflictError
				if !errors.As(err, &ce) {
					t.Fatalf("error = %v, want a *ConflictError", err)
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
			if diff := cmp.Diff(tt.want, string(f.Bytes())); diff != "" {
				t.Errorf("file (-want +got):\n%s", diff)
			}
			if got := [5]int{p.added, p.updated, p.unchanged, p.removed, p.stale}; got != tt.counts {
				t.Errorf("added, updated, unchanged, removed, stale = %v, want %v", got, tt.counts)
			}
		})
	}
}

// Package directory is the emulator's identity store: users (with passwords
// and optional TOTP secrets), groups, AWS accounts, permission sets and the
// assignments that tie a user or a group to a permission set in an account.
//
// A Directory comes from one of three places:
//
//	Load(path)            a YAML file written by hand (validated, errors name the entry)
//	Demo()                a small built-in organisation with random passwords
//	Generate(n, m)        n accounts with m roles each, all assigned to user "demo"
//
// The YAML form (`ssokit emulator --print-directory` prints the demo one):
//
//	users:
//	  - {name: carol, password: correct-horse, email: carol@example.com}
//	  - {name: dave, password: battery-staple, totp_secret: JBSWY3DPEHPK3PXP}
//	groups:
//	  - {name: ops, members: [carol, dave]}
//	accounts:
//	  - {id: "111122223333", name: prod, email: prod@example.com}
//	permission_sets:
//	  - {name: ReadOnly}                        # session_duration defaults to 1h
//	  - {name: Admin, session_duration: 8h}     # 15m to 12h
//	assignments:
//	  - {account: "111122223333", permission_set: ReadOnly, group: ops}
//	  - {account: "111122223333", permission_set: Admin, user: carol}
//	iam_roles:                                # roles STS AssumeRole can assume
//	  - arn: arn:aws:iam::210987654321:role/Deploy
//	    trust:                                # principal ARNs; * matches anything
//	      - arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly_*
//	      - arn:aws:iam::444455556666:root    # every principal of that account
//	    external_id: from-ci                  # optional: AssumeRole must send it
//	    mfa: true                             # optional: SerialNumber arn:aws:iam::ACCOUNT:mfa/dave
//	    max_session_duration: 2h              # 1h (the default) to 12h
//
// After it is built a Directory is read-only: the first lookup indexes it, so
// the hot paths (CanAssume on every GetRoleCredentials) are map lookups.
package directory

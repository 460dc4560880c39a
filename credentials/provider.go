package credentials

// Source is aws.Credentials.Source for credentials this package returns.
const Source = "ssokit"

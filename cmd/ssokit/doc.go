// Command ssokit gets AWS credentials through AWS IAM Identity Center.
package main

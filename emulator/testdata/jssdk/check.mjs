import { SSOOIDCClient, RegisterClientCommand, StartDeviceAuthorizationCommand, CreateTokenCommand } from "@aws-sdk/client-sso-oidc";
import { SSOClient, ListAccountsCommand, GetRoleCredentialsCommand, LogoutCommand } from "@aws-sdk/client-sso";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
const endpoint = process.argv[2], startUrl = process.argv[3];
const cfg = { region: "us-east-2", endpoint, maxAttempts: 1 };
const oidc = new SSOOIDCClient(cfg), sso = new SSOClient(cfg);
const reg = await oidc.send(new RegisterClientCommand({ clientName: "js", clientType: "public", scopes: ["sso:account:access"] }));
const dev = await oidc.send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl }));
const tok = await oidc.send(new CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: "urn:ietf:params:oauth:grant-type:device_code", deviceCode: dev.deviceCode }));
const accts = await sso.send(new ListAccountsCommand({ accessToken: tok.accessToken, maxResults: 2 }));
console.log("accounts page:", accts.accountList.map(a => a.accountId), "next:", !!accts.nextToken);
const rc = (await sso.send(new GetRoleCredentialsCommand({ accessToken: tok.accessToken, accountId: "123456789011", roleName: "readOnly" }))).roleCredentials;
const sts = new STSClient({ ...cfg, region: "us-east-1", credentials: { accessKeyId: rc.accessKeyId, secretAccessKey: rc.secretAccessKey, sessionToken: rc.sessionToken } });
console.log("caller:", (await sts.send(new GetCallerIdentityCommand({}))).Arn);
for (const [what, p] of [
  ["bad device code", oidc.send(new CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: "urn:ietf:params:oauth:grant-type:device_code", deviceCode: "nope" }))],
  ["bad secret", oidc.send(new CreateTokenCommand({ clientId: reg.clientId, clientSecret: "x", grantType: "refresh_token", refreshToken: "r" }))],
  ["tampered sts", new STSClient({ ...cfg, region: "us-east-1", credentials: { accessKeyId: rc.accessKeyId, secretAccessKey: "x" + rc.secretAccessKey.slice(1), sessionToken: rc.sessionToken } }).send(new GetCallerIdentityCommand({}))],
]) {
  try { await p; console.log(what, "unexpectedly succeeded"); } catch (e) { console.log(what, "->", e.name, e.$metadata?.httpStatusCode, e.error ?? ""); }
}
await sso.send(new LogoutCommand({ accessToken: tok.accessToken }));
try { await sso.send(new ListAccountsCommand({ accessToken: tok.accessToken })); } catch (e) { console.log("after logout ->", e.name, e.$metadata?.httpStatusCode); }

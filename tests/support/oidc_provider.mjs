// A real OpenID provider for the test suite: panva's oidc-provider (OpenID Certified), on loopback.
//
// Usage: node tests/support/oidc_provider.mjs PORT CLIENTS_JSON
// CLIENTS_JSON: [{"client_id", "client_secret", "redirect_uris": [...], "alg": "ES256" | "RS256"}]
//
// devInteractions accept any login. The login names the account the test wants, as
// "sub:email:verified:name:hd" (email "-" for none; verified "true", "false", "string" for the string
// "true" as Apple sends it, or "none" to leave the claim out), so each test makes its own people.
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const [port, clientsJson] = process.argv.slice(2);
const clients = JSON.parse(clientsJson).map((c) => ({
  client_id: c.client_id,
  client_secret: c.client_secret,
  redirect_uris: c.redirect_uris,
  response_types: ['code'],
  grant_types: ['authorization_code'],
  token_endpoint_auth_method: 'client_secret_basic',
  id_token_signed_response_alg: c.alg,
}));

function privateJwk(type, options, alg, kid) {
  const { privateKey } = generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid };
}

function account(id) {
  const [, email, verified, name, hd] = id.split(':');
  const claims = { sub: id };
  if (email && email !== '-') {
    claims.email = email;
    if (verified === 'true') claims.email_verified = true;
    if (verified === 'false') claims.email_verified = false;
    if (verified === 'string') claims.email_verified = 'true';
  }
  if (name) claims.name = name;
  if (hd) claims.hd = hd; // a Google Workspace domain
  return claims;
}

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients,
  jwks: {
    keys: [
      privateJwk('ec', { namedCurve: 'P-256' }, 'ES256', 'es-1'),
      privateJwk('rsa', { modulusLength: 2048 }, 'RS256', 'rs-1'),
    ],
  },
  cookies: { keys: ['schulte-test-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  conformIdTokenClaims: false, // the email claims go into the ID token, as Google and Apple do
  claims: { openid: ['sub', 'hd'], email: ['email', 'email_verified'], profile: ['name'] },
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return account(id); } };
  },
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log('ready');
});

// A relying party built on panva's openid-client (v6), run by tests/e2e/test_oidc_real_clients.py.
//
// It reads one JSON object on stdin and prints one on stdout:
//   {"phase": "start", "issuer", "client_id", "private_jwk", "redirect_uri", "scope", "acr_values"}
//     -> {"authorization_url", "code_verifier", "state", "nonce"}
//   {"phase": "finish", ...the same, "callback_url", "code_verifier", "state", "nonce"}
//     -> {"id_token", "id_token_claims", "token_type", "scope", "userinfo"}
// A failure prints {"error": {"name", "code", "oauth_error", "message", "detail", "claim"}} and
// exits with status 1.
// The issuer is plain HTTP on this machine, hence allowInsecureRequests; and since no TLS vouches
// for the ID token, enableNonRepudiationChecks has it checked against the provider's JWKS too.
import * as client from "openid-client";

async function readInput() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

async function configuration(input) {
  // private_key_jwt: openid-client signs the client assertion with this key (RS256, a fresh jti,
  // the issuer as audience).
  const key = await crypto.subtle.importKey(
    "jwk",
    input.private_jwk,
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return client.discovery(
    new URL(input.issuer),
    input.client_id,
    { token_endpoint_auth_method: "private_key_jwt" },
    client.PrivateKeyJwt({ key, kid: input.private_jwk.kid }),
    { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] },
  );
}

async function start(config, input) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: input.redirect_uri,
    scope: input.scope,
    acr_values: input.acr_values,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { authorization_url: url.href, code_verifier: codeVerifier, state, nonce };
}

async function finish(config, input) {
  const tokens = await client.authorizationCodeGrant(config, new URL(input.callback_url), {
    pkceCodeVerifier: input.code_verifier,
    expectedNonce: input.nonce,
    expectedState: input.state,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  return {
    id_token: tokens.id_token,
    id_token_claims: claims,
    token_type: tokens.token_type,
    scope: tokens.scope,
    userinfo,
  };
}

const input = await readInput();
try {
  const config = await configuration(input);
  const output = input.phase === "start" ? await start(config, input) : await finish(config, input);
  process.stdout.write(JSON.stringify(output));
} catch (error) {
  const claim = error?.cause?.cause?.claim ?? error?.cause?.claim ?? null;
  process.stdout.write(
    JSON.stringify({
      error: {
        name: error?.name,
        code: error?.code ?? null,
        oauth_error: error?.error ?? null,
        message: String(error?.message),
        detail: error?.cause instanceof Error ? String(error.cause.message) : null,
        claim,
      },
    }),
  );
  process.exitCode = 1;
}

// The reference OpenID Connect provider of bench/oidc_token.py: panva's oidc-provider,
// configured as taxgov's identity provider is (ADR 0019), on PostgreSQL, in one process per
// CPU worker of ours (node's cluster module).
//
// Usage: node server.mjs SETTINGS.json (bench/oidc_token.py writes it). The primary creates
// the tables, registers the client and the accounts, mints the authorization codes the
// benchmark will exchange (writing them to a file, one JSON object a line), then starts the
// workers and prints "ready" once every one of them listens.

import cluster from 'node:cluster';
import crypto from 'node:crypto';
import fs from 'node:fs';
import process from 'node:process';

import Provider from 'oidc-provider';
import pg from 'pg';

const settings = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const pool = new pg.Pool({ connectionString: settings.database_url, max: settings.pool_size });

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS oidc_payload (
    model text NOT NULL,
    id text NOT NULL,
    payload jsonb NOT NULL,
    grant_id text,
    user_code text,
    uid text,
    expires_at timestamptz,
    consumed bigint,
    PRIMARY KEY (model, id)
  );
  CREATE INDEX IF NOT EXISTS oidc_payload_grant ON oidc_payload (grant_id);
  CREATE INDEX IF NOT EXISTS oidc_payload_uid ON oidc_payload (uid);
  CREATE INDEX IF NOT EXISTS oidc_payload_user_code ON oidc_payload (user_code);
  CREATE TABLE IF NOT EXISTS account (id text PRIMARY KEY);
`;

// oidc-provider's adapter interface on one table: a row per stored artifact (codes, grants,
// access tokens, client-assertion jti values, clients), expired rows ignored.
class PostgresAdapter {
  constructor(model) {
    this.model = model;
  }

  async upsert(id, payload, expiresIn) {
    await pool.query(
      `INSERT INTO oidc_payload (model, id, payload, grant_id, user_code, uid, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))
       ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
         user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`,
      [this.model, id, payload, payload.grantId, payload.userCode, payload.uid, expiresIn ?? null],
    );
  }

  async #findWhere(column, value) {
    const { rows } = await pool.query(
      `SELECT payload, consumed FROM oidc_payload
       WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > now())`,
      [this.model, value],
    );
    if (rows.length === 0) return undefined;
    const [{ payload, consumed }] = rows;
    return consumed === null ? payload : { ...payload, consumed: Number(consumed) };
  }

  find(id) {
    return this.#findWhere('id', id);
  }

  findByUid(uid) {
    return this.#findWhere('uid', uid);
  }

  findByUserCode(userCode) {
    return this.#findWhere('user_code', userCode);
  }

  async consume(id) {
    await pool.query(
      'UPDATE oidc_payload SET consumed = $3 WHERE model = $1 AND id = $2',
      [this.model, id, Math.floor(Date.now() / 1000)],
    );
  }

  async destroy(id) {
    await pool.query('DELETE FROM oidc_payload WHERE model = $1 AND id = $2', [this.model, id]);
  }

  async revokeByGrantId(grantId) {
    await pool.query('DELETE FROM oidc_payload WHERE grant_id = $1', [grantId]);
  }
}

// The scopes and claims taxgov's provider offers (taxgov/identity/oidc/claims.py).
const SCOPE_CLAIMS = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['given_name', 'family_name', 'birthdate'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
  social_security_number: ['social_security_number'],
  'profile:verified_at': ['verified_at'],
};

function provider(signingJwk) {
  const oidc = new Provider(settings.issuer, {
    adapter: PostgresAdapter,
    // An account is a row; the ID token carries no personal claim, only the pairwise subject.
    async findAccount(ctx, id) {
      const { rowCount } = await pool.query('SELECT 1 FROM account WHERE id = $1', [id]);
      return rowCount ? { accountId: id, claims: () => ({ sub: id }) } : undefined;
    },
    // taxgov/identity/oidc/queries.py subject_for: HMAC-SHA256 of the sector and the account.
    pairwiseIdentifier(ctx, accountId, client) {
      return crypto.createHmac('sha256', settings.pairwise_key)
        .update(`${client.sectorIdentifier}|${accountId}`)
        .digest('base64url');
    },
    acrValues: settings.acr_values,
    claims: { ...SCOPE_CLAIMS, acr: null, amr: null, auth_time: null },
    scopes: Object.keys(SCOPE_CLAIMS),
    subjectTypes: ['pairwise'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['private_key_jwt', 'client_secret_basic'],
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256'],
      clientAuthSigningAlgValues: ['RS256', 'ES256'],
    },
    jwks: { keys: [signingJwk] },
    cookies: { keys: [settings.cookie_key] },
    features: { devInteractions: { enabled: false } },
    ttl: {
      AuthorizationCode: settings.code_seconds,
      AccessToken: settings.token_seconds,
      IdToken: settings.token_seconds,
      Grant: 365 * 24 * 60 * 60,
      Interaction: 60 * 60,
      Session: 15 * 60,
    },
  });
  oidc.on('server_error', (ctx, error) => console.error('server_error', error));
  oidc.on('grant.error', (ctx, error) => console.error('grant.error', error.message, error.error_description));
  return oidc;
}

// Codes as the authorization endpoint would have issued them after consent: a grant of the
// scopes, then a code for it with PKCE (S256), the nonce, acr, amr and auth_time. Its claims
// request is the one acr_values and the client's require_auth_time make, plus amr, which ours
// always asserts.
async function mintCodes(oidc) {
  const { count, file, lifetime, redirect_uri: redirectUri, scope, acr, amr } = settings.codes;
  const client = await oidc.Client.find(settings.client.client_id);
  const out = fs.createWriteStream(file);
  const batch = 50;
  for (let first = 0; first < count; first += batch) {
    const minted = await Promise.all(
      Array.from({ length: Math.min(batch, count - first) }, async (_, index) => {
        const accountId = settings.accounts[(first + index) % settings.accounts.length];
        const grant = new oidc.Grant({ accountId, clientId: client.clientId });
        grant.addOIDCScope(scope);
        const grantId = await grant.save();
        const verifier = crypto.randomBytes(32).toString('base64url');
        const nonce = crypto.randomBytes(16).toString('base64url');
        const code = await new oidc.AuthorizationCode({
          client,
          accountId,
          grantId,
          scope,
          nonce,
          acr,
          amr,
          authTime: Math.floor(Date.now() / 1000),
          claims: { id_token: { acr: { values: [acr] }, amr: null, auth_time: { essential: true } } },
          redirectUri,
          codeChallenge: crypto.hash('sha256', verifier, 'base64url'),
          codeChallengeMethod: 'S256',
          expiresIn: lifetime,
        }).save();
        return JSON.stringify({ code, verifier, nonce, account: accountId });
      }),
    );
    out.write(`${minted.join('\n')}\n`);
  }
  await new Promise((resolve) => { out.end(resolve); });
}

async function primary() {
  await pool.query(SCHEMA);
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig' };
  jwk.kid = crypto.hash('sha256', JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }), 'base64url');
  const oidc = provider(jwk);
  // Registered the way an administrator's registration is kept: a row the token endpoint reads.
  await new PostgresAdapter('Client').upsert(settings.client.client_id, settings.client);
  await pool.query(
    'INSERT INTO account (id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING',
    [settings.accounts],
  );
  await mintCodes(oidc);
  await pool.end();

  let listening = 0;
  cluster.on('listening', () => {
    listening += 1;
    if (listening === settings.workers) console.log('ready');
  });
  cluster.on('exit', (worker, code, signal) => {
    if (!worker.exitedAfterDisconnect) console.error(`worker ${worker.process.pid} died (${signal || code})`);
  });
  for (let n = 0; n < settings.workers; n += 1) {
    cluster.fork({ SIGNING_JWK: JSON.stringify(jwk) });
  }
  process.on('SIGTERM', () => {
    cluster.disconnect(() => process.exit(0));
  });
}

function worker() {
  provider(JSON.parse(process.env.SIGNING_JWK)).listen(settings.port, settings.host);
}

if (cluster.isPrimary) {
  await primary();
} else {
  worker();
}

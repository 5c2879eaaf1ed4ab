import { createPrivateKey, generateKeyPairSync, type JsonWebKey, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error oidc-provider ships no type declarations; the few calls below are typed here.
import ProviderModule from 'oidc-provider';

/*
 * A real OpenID Connect provider for tests: the certified `oidc-provider`, in-process on loopback,
 * with its own signing key, one registered client (evb), accounts whose claims and level of
 * assurance (acr) the test decides, and sign-in pages of its own (a name field and Logga in or
 * Avbryt) that a test or Playwright fills in. Consent is given for the client at once, as a
 * kommun's IdP does for its own systems.
 *
 * `tamperIdToken` re-signs the ID token of the token endpoint's answer after changing its claims
 * (with the provider's own key, or another key under the same kid): a fetch for evb's client
 * (OidcSettings.fetch) that lets a test present a wrong audience, an expired token, another
 * nonce or a forged signature exactly as a hostile or broken provider would.
 */

type InteractionDetails = { uid: string; prompt: { name: string } };
type ProviderInstance = {
  callback(): (req: http.IncomingMessage, res: http.ServerResponse) => void;
  interactionDetails(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<InteractionDetails>;
  interactionFinished(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: new (init: {
    accountId: string;
    clientId: string;
  }) => {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  };
};
const Provider = ProviderModule as new (issuer: string, config: unknown) => ProviderInstance;

export const LOA3 = 'http://id.elegnamnden.se/loa/1.0/loa3';
export const LOA2 = 'http://id.elegnamnden.se/loa/1.0/loa2';

/** An account at the provider: the claims it releases and the acr its sign-in carries. */
export type TestAccount = { claims: Record<string, unknown>; acr?: string };

export type TestIdp = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The accounts by login name; a test may change them between sign-ins. */
  accounts: Map<string, TestAccount>;
  /** The provider's private signing key (JWK with kid). */
  signingKey: JsonWebKey & { kid: string };
  close(): Promise<void>;
};

export async function startTestIdp(options: {
  redirectUri: string;
  postLogoutRedirectUri: string;
  accounts?: Record<string, TestAccount>;
  clientId?: string;
  clientSecret?: string;
}): Promise<TestIdp> {
  const clientId = options.clientId ?? 'evb';
  const clientSecret = options.clientSecret ?? 'evb-test-hemlighet-som-ar-lang-nog-0123456789';
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const signingKey = rsaJwk('idp-key-1');

  let provider: ProviderInstance | null = null;
  const server = http.createServer((req, res) => {
    if (!provider) {
      res.statusCode = 503;
      res.end();
      return;
    }
    handle(provider, accounts, req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: ['testnyckel-for-kakor-0123456789abcdef'] },
    acrValues: [LOA2, LOA3],
    claims: { openid: ['sub'], email: ['email'], hsa: ['hsa_id'] },
    scopes: ['openid', 'email', 'hsa'],
    // The claims of the scopes asked for go in the ID token, where evb reads them.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // Without id_token_hint (evb keeps no ID token) the provider asks before signing out.
        logoutSource: (ctx: { body: string }, form: string) => {
          ctx.body = `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Logga ut</title></head>
<body><h1>Vill du logga ut från kommunens inloggning?</h1>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Ja, logga ut</button>
<button type="submit" form="op.logoutForm">Nej</button></body></html>`;
        },
      },
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: id, ...(accounts.get(id)?.claims ?? {}) }),
    }),
    loadExistingGrant: async (ctx: {
      oidc: {
        client: { clientId: string };
        session: { accountId: string };
        provider: ProviderInstance;
      };
    }) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email hsa');
      await grant.save();
      return grant;
    },
  });

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    signingKey,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The provider's sign-in page and its answer; everything else is oidc-provider's. */
async function handle(
  provider: ProviderInstance,
  accounts: Map<string, TestAccount>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)(\/login|\/abort)?$/.exec(req.url ?? '');
  if (!match) {
    provider.callback()(req, res);
    return;
  }
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Testinloggning</title></head>
<body><h1>Kommunens testinloggning</h1>
<form method="post" action="/interaction/${details.uid}/login">
<label>Användare <input name="login" autocomplete="off"></label>
<button type="submit">Logga in</button></form>
<form method="post" action="/interaction/${details.uid}/abort"><button type="submit">Avbryt</button></form>
</body></html>`);
    return;
  }
  if (match[2] === '/abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'Användaren avbröt',
    });
    return;
  }
  const body = new URLSearchParams(await readBody(req));
  const login = body.get('login') ?? '';
  const acr = accounts.get(login)?.acr;
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: login, ...(acr ? { acr } : {}) } },
    { mergeWithLastSubmission: false },
  );
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A fresh RSA signing key as a private JWK. */
export function rsaJwk(kid: string): JsonWebKey & { kid: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}

/** Signs claims as an RS256 JWT with the key (its kid in the header). */
export function signJwt(
  claims: Record<string, unknown>,
  key: JsonWebKey & { kid: string },
): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${part(claims)}`;
  const signature = sign('sha256', Buffer.from(input), createPrivateKey({ key, format: 'jwk' }));
  return `${input}.${signature.toString('base64url')}`;
}

/** The claims of a JWT, unverified. */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

/**
 * A fetch that passes everything through but changes the ID token of the token endpoint's answer
 * while `change.current` is set: its claims rewritten, then signed with `key` (default: the
 * provider's own, so only the change is wrong).
 */
export function tamperingFetch(
  change: {
    current: null | {
      claims?: (claims: Record<string, unknown>) => Record<string, unknown>;
      key?: JsonWebKey & { kid: string };
    };
  },
  idp: () => TestIdp,
): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    const tamper = change.current;
    if (!tamper || !url.endsWith('/token') || !response.ok) return response;
    const body = (await response.json()) as { id_token?: string };
    if (body.id_token) {
      const claims = jwtClaims(body.id_token);
      body.id_token = signJwt(
        tamper.claims ? tamper.claims(claims) : claims,
        tamper.key ?? idp().signingKey,
      );
    }
    return new Response(JSON.stringify(body), {
      status: response.status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

// Bundled in place of @actions/http-client and its lib/auth (tsconfig "paths"). @actions/core
// imports them at load time only for OIDC tokens (core.getIDToken), which this action never asks
// for; evaluating them would load undici and tunnel on every run. Here they load on first use.
type HttpModule = typeof import('../../node_modules/@actions/http-client/lib/index.js');
type AuthModule = typeof import('../../node_modules/@actions/http-client/lib/auth.js');
type RealClient = InstanceType<HttpModule['HttpClient']>;

const loadHttp = (): Promise<HttpModule> => import('../../node_modules/@actions/http-client/lib/index.js');
const loadAuth = (): Promise<AuthModule> => import('../../node_modules/@actions/http-client/lib/auth.js');

/** Holds the token until the real handler is made. */
export class BearerCredentialHandler {
  constructor(readonly token: string) {}
}

/** The one method @actions/core's OIDC client calls. */
export class HttpClient {
  private readonly real: Promise<RealClient>;

  constructor(userAgent?: string, handlers?: BearerCredentialHandler[], options?: ConstructorParameters<HttpModule['HttpClient']>[2]) {
    this.real = Promise.all([loadHttp(), loadAuth()]).then(
      ([http, auth]) => new http.HttpClient(userAgent, (handlers ?? []).map((h) => new auth.BearerCredentialHandler(h.token)), options)
    );
  }

  async getJson<T>(requestUrl: string, additionalHeaders?: Parameters<RealClient['getJson']>[1]) {
    return (await this.real).getJson<T>(requestUrl, additionalHeaders);
  }
}

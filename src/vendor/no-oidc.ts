// Bundled in place of @actions/http-client (see src/tsconfig.json "paths"). @actions/core imports
// it at load time only for OIDC tokens (core.getIDToken), which this action never asks for;
// loading the real one would evaluate undici and tunnel on every run. The proxy path loads
// undici itself, lazily (src/proxy.ts).
const unavailable = (): never => {
  throw new Error('@actions/http-client is not bundled with App Token: core.getIDToken is unavailable.');
};

export class HttpClient {
  constructor() {
    unavailable();
  }
}

export class BearerCredentialHandler {
  constructor() {
    unavailable();
  }
}

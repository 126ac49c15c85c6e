// Route handlers of the fake GitHub REST API: installation lookups, installation access tokens,
// token revocation and user lookups, with GitHub's status codes and body shapes.
import { installationToken } from './access.ts';
import { JWT_MESSAGES, verifyAppJwt } from './auth.ts';
import { enterpriseRoute, enterpriseTokenRefusal, isEnterpriseRoute } from './enterprise.ts';
import {
  accountObject,
  DOCS,
  generateToken,
  installationObject,
  isoSeconds,
  LEVELS,
  numericId,
  repositoryObject,
  sameName,
  type FakeState,
  type IssuedToken,
  type ResolvedInstallation
} from './objects.ts';
import { fail, notFound, type RouteRequest, type RouteResult } from './route-shape.ts';

function findByAccount(state: FakeState, login: string): ResolvedInstallation | undefined {
  return state.installations.find((inst) => inst.accountType !== 'Enterprise' && sameName(inst.account, login));
}

/** Validates the access-token request body; returns a 422 result or the parsed request. */
function parseTokenRequest(
  body: unknown
): RouteResult | { repositories?: string[]; repositoryIds?: number[]; permissions?: Record<string, string> } {
  const invalid = (detail: string): RouteResult =>
    fail(422, `Invalid request.\n\n${detail}`, `${DOCS}/apps/apps#create-an-installation-access-token-for-an-app`);
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) return invalid(`${JSON.stringify(body)} is not an object.`);
  const { repositories, repository_ids: repositoryIds, permissions } = body as Record<string, unknown>;
  const result: { repositories?: string[]; repositoryIds?: number[]; permissions?: Record<string, string> } = {};
  if (repositories !== undefined) {
    if (!Array.isArray(repositories) || repositories.some((r) => typeof r !== 'string')) {
      return invalid(`For 'properties/repositories', ${JSON.stringify(repositories)} is not an array of strings.`);
    }
    result.repositories = repositories as string[];
  }
  if (repositoryIds !== undefined) {
    if (!Array.isArray(repositoryIds) || repositoryIds.some((r) => !Number.isInteger(r))) {
      return invalid(`For 'properties/repository_ids', ${JSON.stringify(repositoryIds)} is not an array of integers.`);
    }
    result.repositoryIds = repositoryIds as number[];
  }
  if (permissions !== undefined) {
    if (permissions === null || typeof permissions !== 'object' || Array.isArray(permissions)) {
      return invalid(`For 'properties/permissions', ${JSON.stringify(permissions)} is not an object.`);
    }
    for (const [name, level] of Object.entries(permissions)) {
      if (typeof level !== 'string' || !(level in LEVELS)) {
        return invalid(`For 'properties/${name}', ${JSON.stringify(level)} is not a member of ["read", "write", "admin"].`);
      }
    }
    result.permissions = permissions as Record<string, string>;
  }
  return result;
}

function createAccessToken(state: FakeState, inst: ResolvedInstallation, req: RouteRequest): RouteResult {
  const doc = `${DOCS}/apps/apps#create-an-installation-access-token-for-an-app`;
  if (req.bodyInvalid) return fail(400, 'Problems parsing JSON', doc);
  const parsed = parseTokenRequest(req.body);
  if ('status' in parsed) return parsed;
  if (inst.suspended) return fail(403, 'This installation has been suspended', doc);
  const refusal = enterpriseTokenRefusal(inst, parsed);
  if (refusal) return refusal;
  let selected: string[] | null = null;
  const wanted = [...(parsed.repositories ?? [])];
  for (const id of parsed.repositoryIds ?? []) {
    const name = inst.repositories.find((r) => numericId(`${inst.account}/${r}`, 100_000_000) === id);
    wanted.push(name ?? `#${id}`);
  }
  if (wanted.length > 0) {
    selected = [];
    for (const name of wanted) {
      const canonical = inst.repositories.find((r) => sameName(r, name));
      if (!canonical) {
        return fail(
          422,
          'There is at least one repository that does not exist or is not accessible to the parent installation.',
          doc
        );
      }
      if (!selected.includes(canonical)) selected.push(canonical);
    }
  }
  const requested = parsed.permissions ?? {};
  for (const [name, level] of Object.entries(requested)) {
    const granted = state.app.permissions[name];
    if (!granted || LEVELS[level] > LEVELS[granted]) {
      return fail(422, 'The permissions requested are not granted to this installation.', doc);
    }
  }
  const permissions = Object.keys(requested).length > 0 ? { ...requested } : { ...state.app.permissions };
  const token = generateToken(state.tokenStyle);
  const expiresAtMs = Math.floor((req.nowMs + state.tokenLifetimeMs) / 1000) * 1000;
  state.tokens.set(token, {
    installationId: inst.id,
    issuedAt: new Date(req.nowMs),
    expiresAt: new Date(expiresAtMs),
    revoked: false,
    repositories: selected,
    permissions
  });
  const body: Record<string, unknown> = {
    token,
    expires_at: isoSeconds(expiresAtMs),
    permissions,
    repository_selection: selected ? 'selected' : inst.repositorySelection
  };
  if (selected) body.repositories = selected.map((name) => repositoryObject(inst, name, req.apiUrl));
  return { status: 201, body };
}

const liveToken = (state: FakeState, req: RouteRequest): IssuedToken | undefined => installationToken(state, req.auth, req.nowMs);

function appRoutes(state: FakeState, req: RouteRequest, segments: string[]): RouteResult | undefined {
  const { method, apiUrl } = req;
  const [first, second, third, fourth] = segments;
  const enterprise = enterpriseRoute(state, req, segments);
  if (enterprise) return enterprise;
  const byId = (id: string): ResolvedInstallation | undefined =>
    /^\d+$/.test(id) ? state.installations.find((inst) => inst.id === Number(id)) : undefined;
  if (method === 'GET' && segments.length === 4 && first === 'repos' && fourth === 'installation') {
    const inst = state.installations.find(
      (i) => sameName(i.account, second) && i.repositories.some((r) => sameName(r, third))
    );
    return inst
      ? { status: 200, body: installationObject(state, inst, apiUrl) }
      : notFound(`${DOCS}/apps/apps#get-a-repository-installation-for-the-authenticated-app`);
  }
  if (method === 'GET' && segments.length === 3 && (first === 'users' || first === 'orgs') && third === 'installation') {
    const inst = findByAccount(state, second);
    const ok = inst && (first === 'users' || inst.accountType === 'Organization');
    return ok
      ? { status: 200, body: installationObject(state, inst, apiUrl) }
      : notFound(`${DOCS}/apps/apps#get-a-${first === 'users' ? 'user' : 'organization'}-installation-for-the-authenticated-app`);
  }
  if (first !== 'app') return undefined;
  if (method === 'GET' && segments.length === 1) {
    return {
      status: 200,
      body: {
        id: state.app.id,
        slug: state.app.slug,
        client_id: state.app.clientId,
        name: state.app.name,
        owner: accountObject(apiUrl, state.installations[0]?.account ?? 'octo-org', 5_000_001, 'Organization'),
        permissions: { ...state.app.permissions },
        events: [],
        installations_count: state.installations.length
      }
    };
  }
  if (second !== 'installations') return undefined;
  if (method === 'GET' && segments.length === 2) {
    return { status: 200, body: state.installations.map((inst) => installationObject(state, inst, apiUrl)) };
  }
  const inst = byId(third);
  if (method === 'GET' && segments.length === 3) {
    return inst ? { status: 200, body: installationObject(state, inst, apiUrl) } : notFound(`${DOCS}/apps/apps#get-an-installation-for-the-authenticated-app`);
  }
  if (method === 'POST' && segments.length === 4 && fourth === 'access_tokens') {
    return inst
      ? createAccessToken(state, inst, req)
      : notFound(`${DOCS}/apps/apps#create-an-installation-access-token-for-an-app`);
  }
  return undefined;
}

function isAppRoute(segments: string[]): boolean {
  const [first, , third, fourth] = segments;
  return (
    first === 'app' ||
    isEnterpriseRoute(segments) ||
    (first === 'repos' && segments.length === 4 && fourth === 'installation') ||
    ((first === 'users' || first === 'orgs') && segments.length === 3 && third === 'installation')
  );
}

/** Routes one request (path already stripped of the prefix). */
export function route(state: FakeState, req: RouteRequest): RouteResult {
  const segments = req.path.split('/').filter((s) => s !== '');
  const nowSeconds = Math.floor(req.nowMs / 1000);
  if (isAppRoute(segments)) {
    const jwtError = verifyAppJwt(req.auth, state.app, nowSeconds);
    if (jwtError) return fail(401, jwtError);
    return appRoutes(state, req, segments) ?? notFound();
  }
  const [first, second] = segments;
  if (req.method === 'DELETE' && segments.length === 2 && first === 'installation' && second === 'token') {
    if (req.auth.kind === 'none') return fail(401, JWT_MESSAGES.required);
    const record = liveToken(state, req);
    if (!record) return fail(401, 'Bad credentials');
    record.revoked = true;
    return { status: 204 };
  }
  if (req.method === 'GET' && segments.length === 2 && first === 'installation' && second === 'repositories') {
    if (req.auth.kind === 'none') return fail(401, JWT_MESSAGES.required);
    const record = liveToken(state, req);
    const inst = record && state.installations.find((i) => i.id === record.installationId);
    if (!record || !inst) return fail(401, 'Bad credentials');
    const names = record.repositories ?? inst.repositories;
    return {
      status: 200,
      body: {
        total_count: names.length,
        repository_selection: record.repositories ? 'selected' : inst.repositorySelection,
        repositories: names.map((name) => repositoryObject(inst, name, req.apiUrl))
      }
    };
  }
  if (req.method === 'GET' && segments.length === 2 && first === 'users') {
    if (req.auth.kind === 'jwt') {
      const jwtError = verifyAppJwt(req.auth, state.app, nowSeconds);
      if (jwtError) return fail(401, jwtError);
    } else if (req.auth.kind !== 'none' && !liveToken(state, req)) {
      return fail(401, 'Bad credentials');
    }
    if (sameName(second, `${state.app.slug}[bot]`)) {
      return {
        status: 200,
        body: {
          ...accountObject(req.apiUrl, `${state.app.slug}[bot]`, state.app.botUserId, 'Bot'),
          html_url: `https://github.com/apps/${state.app.slug}`,
          name: null,
          user_view_type: 'public'
        }
      };
    }
    const inst = findByAccount(state, second);
    return inst
      ? { status: 200, body: accountObject(req.apiUrl, inst.account, inst.accountId, inst.accountType) }
      : notFound(`${DOCS}/users/users#get-a-user`);
  }
  return notFound();
}

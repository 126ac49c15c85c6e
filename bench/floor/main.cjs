// CommonJS on purpose: on Node 24 an ESM import of node:http costs ~19 ms more than require()
// (building its ESM namespace evaluates lazy exports), and the floor must be the fastest way.
// The floor for the main step: the least any action can do to mint a token, with nothing but
// node:crypto, node:http(s) and node:fs. Inputs as the runner passes them (INPUT_<NAME>), an RS256
// JWT, GET /repos/{owner}/{repo}/installation, POST /app/installations/{id}/access_tokens, mask
// the token, write outputs and the state the post step reads (same names as src/state.ts).
'use strict';
const { createPrivateKey, randomUUID, sign } = require('node:crypto');
const { appendFileSync } = require('node:fs');

const env = process.env;
const input = (name) => (env[`INPUT_${name.toUpperCase()}`] ?? '').trim();

function call(method, url, authorization, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = {
    accept: 'application/vnd.github+json',
    authorization,
    'user-agent': 'app-token-floor',
    'x-github-api-version': '2022-11-28'
  };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const request = transport.request(url, { method, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode >= 300) reject(new Error(`${method} ${url}: ${response.statusCode} ${text}`));
        else resolve(text ? JSON.parse(text) : undefined);
      });
    });
    request.on('error', reject);
    request.end(payload);
  });
}

/** Appends `name<<delimiter` blocks, the file-command form @actions/core writes. */
function writeFileCommand(file, values) {
  let text = '';
  for (const [name, value] of Object.entries(values)) {
    const delimiter = `ghadelimiter_${randomUUID()}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  appendFileSync(file, text);
}

let transport;
(async () => {
try {
  const apiUrl = (input('github-api-url') || env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  // Only the transport the URL needs: loading TLS costs several ms.
  transport = apiUrl.startsWith('https:') ? require('node:https') : require('node:http');
  const [currentOwner, currentRepo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const owner = input('owner') || currentOwner;
  const repo = input('repositories').split(/[,\n]/)[0].trim() || currentRepo;

  const key = createPrivateKey(input('private-key'));
  const iat = Math.floor(Date.now() / 1000) - 60;
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat, exp: iat + 600, iss: input('client-id') || input('app-id') })}`;
  const jwt = `${unsigned}.${sign('sha256', Buffer.from(unsigned), key).toString('base64url')}`;

  const installation = await call('GET', `${apiUrl}/repos/${owner}/${repo}/installation`, `Bearer ${jwt}`);
  const minted = await call('POST', `${apiUrl}/app/installations/${installation.id}/access_tokens`, `Bearer ${jwt}`, {
    repositories: [repo]
  });
  process.stdout.write(`::add-mask::${minted.token}\n`);
  writeFileCommand(env.GITHUB_STATE, { token: minted.token, 'expires-at': minted.expires_at, 'api-url': apiUrl });
  writeFileCommand(env.GITHUB_OUTPUT, {
    token: minted.token,
    'installation-id': String(installation.id),
    'app-slug': installation.app_slug ?? '',
    'expires-at': minted.expires_at
  });
} catch (error) {
  process.stdout.write(`::error::${String(error instanceof Error ? error.message : error).replace(/\n/g, '%0A')}\n`);
  process.exitCode = 1;
}
})();

// CommonJS on purpose: on Node 24 an ESM import of node:http costs ~19 ms more than require()
// (building its ESM namespace evaluates lazy exports), and the floor must be the fastest way.
// The floor for the post step: read the token main saved (STATE_<name>, names as in src/state.ts)
// and revoke it with DELETE /installation/token, with nothing but node:http(s).

const token = process.env['STATE_token'] ?? '';
const apiUrl = process.env['STATE_api-url'] || 'https://api.github.com';
// Only the transport the URL needs: loading TLS costs several ms.
const transport = apiUrl.startsWith('https:') ? require('node:https') : require('node:http');

function revoke() {
  const url = `${apiUrl}/installation/token`;
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `token ${token}`,
    'user-agent': 'app-token-floor',
    'x-github-api-version': '2022-11-28'
  };
  return new Promise((resolve, reject) => {
    const request = transport.request(url, { method: 'DELETE', headers }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 204 ? resolve() : reject(new Error(`DELETE ${url}: ${response.statusCode}`))));
    });
    request.on('error', reject);
    request.end();
  });
}

if (token) (async () => {
  process.stdout.write(`::add-mask::${token}\n`);
  try {
    await revoke();
    process.stdout.write('Token revoked.\n');
  } catch (error) {
    process.stdout.write(`::warning::Could not revoke the token: ${error instanceof Error ? error.message : error}\n`);
  }
})();

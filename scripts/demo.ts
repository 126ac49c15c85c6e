// `npm run demo`: the whole action on this machine. Starts the project's fake GitHub API on
// 127.0.0.1 with a throwaway app key, runs dist/main then dist/post as the runner would, and
// prints the step logs (masked as the runner masks them), the outputs and the requests sent.
import { startFakeGitHub } from '../fake-github/server.ts';
import { cleanupRunDirs, generateAppKey, maskedLog, runAction } from '../__tests__/support/runner.ts';

const { privateKeyPem } = generateAppKey('pkcs1');
const github = await startFakeGitHub({ app: { privateKey: privateKeyPem } });
try {
  const inputs = { 'client-id': github.app.clientId, 'private-key': privateKeyPem, 'permission-contents': 'read', 'permission-issues': 'write' };
  console.log(`Fake GitHub API at ${github.url} (app '${github.app.slug}', client ID ${github.app.clientId})`);
  console.log(`Workflow repository octo-org/app-token; inputs: client-id, private-key (a fresh 2048-bit key), permission-contents: read, permission-issues: write\n`);
  const { main, post } = await runAction({ inputs, env: { GITHUB_API_URL: github.url } });
  const masks = main.masks;
  const hide = (text: string) => masks.slice().sort((a, b) => b.length - a.length).reduce((t, m) => t.split(m).join('***'), text);
  const jwts = new Set(github.requests.filter((r) => r.auth.kind === 'jwt').map((r) => r.auth.token));
  const token = main.outputs['token'] ?? '';
  const keyLines = masks.filter((m) => privateKeyPem.includes(m)).length;
  console.log(`── masked before use: ${keyLines} private-key lines, ${jwts.size} JWT, ${masks.includes(token) ? 'the token' : 'NOT the token'} ──`);
  console.log('── main step log (as the runner shows it) ──');
  console.log(maskedLog(main).trimEnd());
  console.log(`\n── outputs ──`);
  for (const [name, value] of Object.entries(main.outputs)) console.log(`${name}: ${hide(value)}`);
  console.log('\n── post step log ──');
  console.log(maskedLog(post).trimEnd());
  console.log('\n── requests GitHub received ──');
  for (const r of github.requests) console.log(`${r.method} ${r.path} → ${r.status} (auth: ${r.auth.kind})`);
  const minted = github.tokens.get(token);
  console.log(`\nToken minted: ${token ? 'yes' : 'NO'}; masked in the log: ${masks.includes(token) ? 'yes' : 'NO'}; revoked: ${minted?.revoked ? 'yes' : 'NO'}`);
  if (main.code !== 0 || post.code !== 0 || !minted?.revoked) process.exitCode = 1;
} finally {
  await github.close();
  cleanupRunDirs();
}

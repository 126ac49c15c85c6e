// `npm run local`: the action's TypeScript entries (src/main.ts, src/post.ts) run through GitHub's
// `@github/local-action`, against the project's fake GitHub API on 127.0.0.1 with a throwaway key.
import { startFakeGitHub } from '../fake-github/server.ts';
import { runLocalAction } from '../__tests__/support/local-action.ts';
import { generateAppKey } from '../__tests__/support/runner.ts';

const { privateKeyPem } = generateAppKey('pkcs1');
const github = await startFakeGitHub({ app: { privateKey: privateKeyPem } });
try {
  console.log(`Fake GitHub API at ${github.url} (app '${github.app.slug}', client ID ${github.app.clientId}); running npx local-action . src/main.ts .env --post src/post.ts\n`);
  const result = await runLocalAction({
    inputs: { 'client-id': github.app.clientId, 'private-key': privateKeyPem, 'permission-contents': 'read' },
    env: { GITHUB_API_URL: github.url }
  });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  console.log('── requests GitHub received ──');
  for (const r of github.requests) console.log(`${r.method} ${r.path} → ${r.status} (auth: ${r.auth.kind})`);
  const revoked = [...github.tokens.values()].some((t) => t.revoked);
  console.log(`\nToken minted and revoked: ${revoked ? 'yes' : 'NO'}`);
  if (result.code !== 0 || !revoked) process.exitCode = 1;
} finally {
  await github.close();
}

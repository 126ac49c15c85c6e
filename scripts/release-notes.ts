// `npm run release-notes -- v1.2.3`: prints the CHANGELOG.md entry for that version, the body
// of its GitHub release (release.yml). Fails when the entry is missing or empty.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export function releaseNotes(changelog: string, tag: string): string {
  const version = tag.replace(/^v/, '');
  const lines = changelog.split(/\r?\n/);
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`));
  if (start < 0) throw new Error(`CHANGELOG.md has no '## [${version}]' entry: add one before tagging ${tag}.`);
  const end = lines.findIndex((line, index) => index > start && /^## |^\[[^\]]+\]: /.test(line));
  const body = lines.slice(start + 1, end < 0 ? undefined : end).join('\n').trim();
  if (!body) throw new Error(`CHANGELOG.md's '## [${version}]' entry is empty.`);
  return `${body}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  const tag = process.argv[2];
  if (!tag) {
    console.error('usage: npm run release-notes -- v1.2.3');
    process.exit(2);
  }
  try {
    process.stdout.write(releaseNotes(readFileSync(new URL('../CHANGELOG.md', import.meta.url), 'utf8'), tag));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

// release.yml publishes the CHANGELOG entry of the tag; a missing or empty one stops it.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { releaseNotes } from '../../scripts/release-notes.ts';
import { ROOT } from '../support/runner.ts';

const changelog = ['# Changelog', '', '## [Unreleased]', '', '## [1.1.0] - 2026-12-24', '### Fixed', '- b', '', '## [1.0.0]', '- a', '', '[1.0.0]: https://example.com'].join('\n');

describe('releaseNotes', () => {
  it('is the entry of the tag, up to the next entry or the link list', () => {
    expect(releaseNotes(changelog, 'v1.1.0')).toBe('### Fixed\n- b\n');
    expect(releaseNotes(changelog, 'v1.0.0')).toBe('- a\n');
  });

  it('refuses a tag without an entry, or with an empty one', () => {
    expect(() => releaseNotes(changelog, 'v2.0.0')).toThrow("CHANGELOG.md has no '## [2.0.0]' entry: add one before tagging v2.0.0.");
    expect(() => releaseNotes(changelog.replace('- a', ''), 'v1.0.0')).toThrow("'## [1.0.0]' entry is empty");
  });

  it("finds package.json's version in CHANGELOG.md", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(releaseNotes(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'), `v${version}`)).toMatch(/^### Added\n/);
  });
});

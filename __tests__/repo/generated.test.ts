// Guards the generated artefacts: src/permissions.generated.ts, the permission inputs in
// action.yml and the README tables must match a fresh render (run `npm run generate`).
import { describe, it, expect, jest, afterEach } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { PERMISSIONS } from '../../src/permissions.generated.ts';
import {
  ACTION_YML_BEGIN,
  ACTION_YML_END,
  PERMISSIONS_MODULE,
  allPermissions,
  deprecationMessage,
  inputDescription,
  inputName,
  levelsSentence,
  loadOpenApi,
  newestGhes,
  permissionUnion,
  readPermissionSchema,
  readRetired,
  renderActionYml,
  renderPermissionsModule,
  tsString,
  yamlScalar,
  type PermissionSpec
} from '../../scripts/generate-permissions.ts';
import { INPUTS_SINCE } from '../../scripts/input-versions.ts';
import { NO_RELEASE, README, cell, codeSpan, inputVersions, renderReadme } from '../../scripts/readme-tables.ts';
import {
  ACTION_YML,
  parseActionYml,
  replaceBetweenMarkers,
  staleFiles,
  writeOrCheck
} from '../../scripts/action-yml.ts';

const openapi = loadOpenApi();
const freshSpecs = allPermissions(openapi);
const sourceNames = openapi.documents.map((d) => d.name);
const actionYmlText = readFileSync(ACTION_YML, 'utf8');
const readmeText = readFileSync(README, 'utf8');
const STALE = 'is stale: run `npm run generate`';

function spec(name: string, levels: string[] = ['read', 'write'], description = `Access to ${name}.`): PermissionSpec {
  return { name, input: inputName(name), levels, description };
}

function schemaDoc(properties: Record<string, unknown>): unknown {
  return { components: { schemas: { 'app-permissions': { type: 'object', properties } } } };
}

describe('generated files are up to date', () => {
  it(`src/permissions.generated.ts matches @octokit/openapi (${STALE})`, () => {
    expect(readFileSync(PERMISSIONS_MODULE, 'utf8')).toBe(renderPermissionsModule(freshSpecs, openapi.version, sourceNames));
    // the retired names (scripts/retired-permissions.json) live in the same table, marked
    expect(readFileSync(PERMISSIONS_MODULE, 'utf8')).toContain("name: 'team_discussions',\n    input: 'permission-team-discussions',\n    levels: ['read', 'write'],\n    retired: '23.0.0'");
  });


  it(`the permission inputs in action.yml match (${STALE})`, () => {
    expect(actionYmlText).toBe(renderActionYml(actionYmlText, freshSpecs));
  });

  it(`the README tables match action.yml (${STALE})`, () => {
    expect(readmeText).toBe(renderReadme(readmeText, actionYmlText, freshSpecs));
    expect(readmeText).toBe(renderReadme(readmeText, actionYmlText, PERMISSIONS));
  });

  it('PERMISSIONS equals the OpenAPI schemas and the retired list read afresh', () => {
    expect(PERMISSIONS.map((p) => ({ ...p, levels: [...p.levels] }))).toEqual(
      freshSpecs.map(({ name, input, levels, retired }) => ({ name, input, levels, ...(retired ? { retired } : {}) }))
    );
  });

  it('the staleness checks cover every source: dropping the ghec or GHES description, or the retired list, changes action.yml', () => {
    for (const left of ['ghec', sourceNames[2] ?? '']) {
      const without = allPermissions({ ...openapi, documents: openapi.documents.filter((d) => d.name !== left) });
      expect(renderActionYml(actionYmlText, without)).not.toBe(actionYmlText);
    }
    expect(renderActionYml(actionYmlText, allPermissions(openapi, { permissions: [] }))).not.toBe(actionYmlText);
  });
});

describe('permission sources', () => {
  const byName = new Map(freshSpecs.map((p) => [p.name, p]));

  it('reads api.github.com, ghec and the newest GHES description', () => {
    expect(sourceNames.slice(0, 2)).toEqual(['api.github.com', 'ghec']);
    expect(sourceNames[2]).toMatch(/^ghes-\d+\.\d+$/);
    expect(newestGhes(['ghes-3.9', 'ghes-3.10', 'ghes-3.2', 'ghec', 'ghes-3.10.deref'])).toBe('ghes-3.10');
    expect(() => newestGhes(['ghec'])).toThrow(/ghes/);
  });

  it('has the union: every permission of each description, levels merged', () => {
    for (const { document } of openapi.documents) {
      for (const p of readPermissionSchema(document)) {
        expect(byName.get(p.name)?.levels).toEqual(expect.arrayContaining([...p.levels]));
      }
    }
    const doc = (props: Record<string, unknown>) => ({ components: { schemas: { 'app-permissions': { properties: props } } } });
    const union = permissionUnion([
      { name: 'api.github.com', document: doc({ a: { type: 'string', description: 'From api.', enum: ['write'] } }) },
      { name: 'ghec', document: doc({ a: { type: 'string', description: 'From ghec.', enum: ['admin', 'read'] }, e: { type: 'string', description: 'E.', enum: ['read'] } }) }
    ]);
    expect(union).toEqual([
      { name: 'a', input: 'permission-a', levels: ['read', 'write', 'admin'], description: 'From api.' },
      { name: 'e', input: 'permission-e', levels: ['read'], description: 'E.', onlyIn: ['ghec'] }
    ]);
  });

  it('says that the ghec-only permissions are for enterprise installations on GitHub Enterprise Cloud', () => {
    const meta = new Map(parseActionYml(actionYmlText).inputs.map((i) => [i.name, i]));
    for (const name of ['enterprise_administration', 'enterprise_organization_installations', 'enterprise_organization_installation_repositories']) {
      expect(byName.get(name)?.onlyIn).toContain('ghec');
      expect(meta.get(inputName(name))?.description).toMatch(/For enterprise installations on GitHub Enterprise Cloud/);
    }
    expect(meta.get('permission-contents')?.description).not.toMatch(/Enterprise/);
  });

  it('keeps team_discussions, which actions/create-github-app-token declared, as retired', () => {
    expect(byName.get('team_discussions')).toMatchObject({ input: 'permission-team-discussions', levels: ['read', 'write'], retired: '23.0.0' });
    for (const { document } of openapi.documents) expect(readPermissionSchema(document).map((p) => p.name)).not.toContain('team_discussions');
  });

  it('refuses a retired entry that a description lists again, or one without its version', () => {
    const current = permissionUnion(openapi.documents);
    const entry = { name: 'team_discussions', levels: ['read'], description: 'd', droppedIn: '23.0.0' };
    expect(readRetired({ permissions: [entry] }, current)).toHaveLength(1);
    expect(() => readRetired({ permissions: [{ ...entry, name: 'contents' }] }, current)).toThrow(/listed by @octokit\/openapi again/);
    expect(() => readRetired({ permissions: [{ ...entry, droppedIn: undefined }] }, current)).toThrow(/droppedIn/);
    expect(() => readRetired({ permissions: [{ ...entry, levels: [] }] }, current)).toThrow(/levels/);
    expect(() => readRetired({}, current)).toThrow(/permissions/);
  });
});

describe('PERMISSIONS content', () => {
  const byName = new Map(PERMISSIONS.map((p) => [p.name, p]));

  it('covers every app-permissions property', () => {
    expect(PERMISSIONS.length).toBeGreaterThanOrEqual(50);
    expect(PERMISSIONS.length).toBe(freshSpecs.length);
  });

  it('knows pull_requests (read, write), workflows (write only) and metadata', () => {
    expect(byName.get('pull_requests')).toMatchObject({ input: 'permission-pull-requests', levels: ['read', 'write'] });
    expect(byName.get('workflows')).toMatchObject({ input: 'permission-workflows', levels: ['write'] });
    expect(byName.get('contents')?.levels).toEqual(['read', 'write']);
    expect(freshSpecs.find((p) => p.name === 'metadata')?.description).toMatch(/metadata/);
  });

  it('is sorted by name, without duplicates', () => {
    const names = PERMISSIONS.map((p) => p.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(PERMISSIONS.map((p) => p.input)).size).toBe(names.length);
  });

  it('names each input permission- plus the API name with hyphens', () => {
    for (const p of PERMISSIONS) {
      expect(p.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(p.input).toBe(`permission-${p.name.replaceAll('_', '-')}`);
      expect(p.levels.length).toBeGreaterThan(0);
      for (const level of p.levels) expect(['read', 'write', 'admin']).toContain(level);
    }
  });
});

describe('action.yml permission inputs', () => {
  const meta = parseActionYml(actionYmlText);
  const permissionInputs = meta.inputs.filter((i) => i.name.startsWith('permission-'));

  it('has exactly one optional input per PERMISSIONS entry, and no others', () => {
    expect(permissionInputs.map((i) => i.name).sort()).toEqual(PERMISSIONS.map((p) => p.input).sort());
  });

  it('describes each input with the OpenAPI text and its levels, without a default', () => {
    const inputs = new Map(permissionInputs.map((i) => [i.name, i]));
    for (const p of freshSpecs) {
      expect(p.description.trim()).not.toBe('');
      const input = inputs.get(p.input);
      expect(input).toBeDefined();
      expect(input?.required).toBe(false);
      expect(input?.default).toBeUndefined();
      expect(input?.description).toBe(inputDescription(p));
      if (!p.retired) expect(input?.description.startsWith(p.description.replace(/\.$/, ''))).toBe(true);
      expect(input?.description.endsWith(levelsSentence(p.levels))).toBe(true);
      expect(input?.deprecationMessage).toBe(p.retired ? deprecationMessage(p) : undefined);
    }
    expect(inputs.get('permission-checks')?.description).toBe(
      'The level of permission to grant the access token for checks on code. One of: read, write.'
    );
  });

  it('keeps the hand-written inputs and outputs', () => {
    const names = meta.inputs.map((i) => i.name);
    for (const name of ['client-id', 'app-id', 'private-key', 'owner', 'repositories']) expect(names).toContain(name);
    expect(meta.outputs.map((o) => o.name)).toContain('token');
  });
});

describe('renderActionYml', () => {
  const before = 'name: x\ninputs:\n  keep-me:\n    description: hand-written\n';
  const after = '\noutputs:\n  token:\n    description: t\n';
  const text = `${before}  ${ACTION_YML_BEGIN}\n  stale: junk\n  ${ACTION_YML_END}${after}`;

  it('replaces only the lines between the markers, indented like them', () => {
    const out = renderActionYml(text, [spec('b_c'), spec('a', ['write'])]);
    expect(out.startsWith(`${before}  ${ACTION_YML_BEGIN}\n  permission-a:\n    description: `)).toBe(true);
    expect(out.endsWith(`  ${ACTION_YML_END}${after}`)).toBe(true);
    expect(out).not.toContain('stale: junk');
    const doc = parse(out) as { inputs: Record<string, { description: string; required: boolean }> };
    expect(Object.keys(doc.inputs)).toEqual(['keep-me', 'permission-a', 'permission-b-c']);
    expect(doc.inputs['permission-a']).toEqual({ description: 'Access to a. Only: write.', required: false });
    expect(renderActionYml(out, [spec('b_c'), spec('a', ['write'])])).toBe(out);
  });

  it('keeps CRLF line endings', () => {
    const crlf = text.replaceAll('\n', '\r\n');
    const out = renderActionYml(crlf, [spec('a')]);
    expect(out.replaceAll('\r\n', '')).not.toContain('\n');
    expect(out.startsWith(crlf.slice(0, crlf.indexOf(ACTION_YML_BEGIN)))).toBe(true);
  });

  it('refuses text without exactly one pair of markers', () => {
    expect(() => renderActionYml(before, [spec('a')])).toThrow(/BEGIN GENERATED/);
    expect(() => renderActionYml(`${text}  ${ACTION_YML_BEGIN}\n`, [spec('a')])).toThrow(/exactly one/);
    expect(() => renderActionYml(`  ${ACTION_YML_END}\n  ${ACTION_YML_BEGIN}\n`, [spec('a')])).toThrow(/after/);
  });

  it('quotes descriptions so YAML reads them back verbatim', () => {
    const tricky = ["it's: a # b", '"quoted" and \\ back', 'yes', '- dash', '{ x }', 'line\nbreak', '*star &anchor'];
    for (const s of tricky) {
      const scalar = yamlScalar(s);
      expect(scalar).not.toContain('\n');
      expect(parse(`k: ${scalar}`)).toEqual({ k: s });
    }
    const out = renderActionYml(text, [spec('odd', ['read'], 'Colons: here # and "quotes" \'too\'')]);
    const doc = parse(out) as { inputs: Record<string, { description: string }> };
    expect(doc.inputs['permission-odd'].description).toBe('Colons: here # and "quotes" \'too\'. Only: read.');
  });
});

describe('readPermissionSchema', () => {
  it('reads string enums, sorted by name, with whitespace folded', () => {
    const doc = schemaDoc({
      z_last: { type: 'string', description: 'Zed.', enum: ['read'] },
      a_first: { type: 'string', description: '  Multi\n  line. ', enum: ['read', 'write', 'admin'] }
    });
    expect(readPermissionSchema(doc)).toEqual([
      { name: 'a_first', input: 'permission-a-first', levels: ['read', 'write', 'admin'], description: 'Multi line.' },
      { name: 'z_last', input: 'permission-z-last', levels: ['read'], description: 'Zed.' }
    ]);
  });

  it('fails loudly when the schema changes shape', () => {
    expect(() => readPermissionSchema({})).toThrow(/app-permissions/);
    expect(() => readPermissionSchema(schemaDoc({ x: { type: 'object' } }))).toThrow(/string enum/);
    expect(() => readPermissionSchema(schemaDoc({ x: { type: 'string', description: 'd', enum: [] } }))).toThrow(/levels/);
    expect(() => readPermissionSchema(schemaDoc({ x: { type: 'string', description: 'd', enum: [1] } }))).toThrow(/levels/);
    expect(() => readPermissionSchema(schemaDoc({ x: { type: 'string', enum: ['read'] } }))).toThrow(/description/);
    expect(() => readPermissionSchema(schemaDoc({ 'Bad-Name': { type: 'string', description: 'd', enum: ['read'] } }))).toThrow(
      /name/
    );
  });
});

describe('renderPermissionsModule', () => {
  it('is deterministic, sorted, and names its source', () => {
    const a = renderPermissionsModule([spec('b'), spec('a')], '1.2.3');
    expect(renderPermissionsModule([spec('a'), spec('b')], '1.2.3')).toBe(a);
    expect(a).toContain('@octokit/openapi 1.2.3');
    expect(a).toContain('npm run generate');
    expect(a.indexOf("name: 'a'")).toBeLessThan(a.indexOf("name: 'b'"));
    expect(a.endsWith('];\n')).toBe(true);
  });

  it('escapes descriptions as single-quoted literals', () => {
    expect(tsString("an organization's plan")).toBe("'an organization\\'s plan'");
    expect(tsString('back\\slash\nnew')).toBe("'back\\\\slash\\nnew'");
    expect(tsString('\u0001')).toBe("'\\u0001'");
  });
});

describe('README tables', () => {
  const yml = [
    'inputs:',
    '  plain:',
    '    description: "Has a | pipe\\nand a newline"',
    '    required: true',
    '  old:',
    '    description: Old one.',
    '    deprecationMessage: use plain',
    '    default: "a`b"',
    '  permission-a:',
    '    description: "Pipe | here. One of: read, admin."',
    'outputs:',
    '  out:',
    '    description: The output.',
    ''
  ].join('\n');
  const readme = [
    '# T',
    '<!-- BEGIN GENERATED inputs (npm run generate) -->',
    'old stuff',
    '<!-- END GENERATED inputs -->',
    'middle',
    '<!-- BEGIN GENERATED outputs (npm run generate) -->',
    '<!-- END GENERATED outputs -->',
    'tail',
    ''
  ].join('\n');

  const versions = { '1.0.0': ['plain', 'permission-a'], '1.1.0': ['old', 'not-declared-yet'] };

  it('renders inputs, permission inputs and outputs between the markers', () => {
    // the description comes from action.yml, less its levels sentence (the table has a column)
    const out = renderReadme(readme, yml, [spec('a', ['read', 'admin'], 'not used')], versions);
    expect(out.startsWith('# T\n<!-- BEGIN GENERATED inputs (npm run generate) -->\n')).toBe(true);
    expect(out.endsWith('<!-- END GENERATED outputs -->\ntail\n')).toBe(true);
    expect(out).not.toContain('old stuff');
    expect(out).toContain('| Input | Required | Default | Since | Description |');
    expect(out).toContain('| `plain` | yes |  | 1.0.0 | Has a \\| pipe and a newline |');
    expect(out).toContain('| `old` _(deprecated)_ | no | ``a`b`` | 1.1.0 | Old one. |');
    expect(out).toContain('### Permission inputs');
    expect(out).toContain('| `permission-a` | `read`, `admin` | 1.0.0 | Pipe \\| here. |');
    expect(out).toContain('| `out` | The output. |');
    expect(out).not.toContain('ignored');
    expect(out).not.toContain('not-declared-yet');
    expect(renderReadme(out, yml, [spec('a', ['read', 'admin'], 'Pipe | here.')], versions)).toBe(out);
  });

  it('refuses an input that no release lists, naming it and the versions file', () => {
    const withoutOld = { '1.0.0': ['plain', 'permission-a'] };
    expect(() => renderReadme(readme, yml, [spec('a')], withoutOld)).toThrow(/scripts\/input-versions\.ts gives no release for 'old'/);
    expect(() => inputVersions(parseActionYml(yml).inputs, { '1.0.0': ['plain'] })).toThrow(/for 'old', 'permission-a': add each/);
  });

  it('npm run generate writes such an input as "?" with a warning, which the check then refuses', () => {
    const warn = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const marked = renderReadme(readme, yml, [spec('a')], { '1.0.0': ['plain', 'permission-a'] }, true);
      expect(marked).toContain(`| \`old\` _(deprecated)_ | no | \`\`a\`b\`\` | ${NO_RELEASE} | Old one. |`);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^warning: scripts\/input-versions\.ts gives no release for 'old'/));
      expect(() => renderReadme(marked, yml, [spec('a')], { '1.0.0': ['plain', 'permission-a'] })).toThrow(/no release for 'old'/);
    } finally {
      warn.mockRestore();
    }
  });

  it('every input of the real action.yml has a release, and the README shows it', () => {
    const since = inputVersions(parseActionYml(actionYmlText).inputs, INPUTS_SINCE);
    for (const input of parseActionYml(actionYmlText).inputs) expect([input.name, since.get(input.name)]).toEqual([input.name, expect.stringMatching(/^\d+\.\d+\.\d+$/)]);
    expect(readmeText).toContain('| `client-id` | no |  | 1.0.0 |');
    expect(readmeText).toContain('| `app-jwt` | no |  | 1.1.0 |');
    expect(readmeText).toMatch(/\| `permission-enterprise-administration` \| `read`, `write` \| 1\.1\.0 \|/);
  });

  it('refuses when action.yml and the specs disagree, or markers are missing', () => {
    expect(() => renderReadme(readme, yml, [spec('b')], versions)).toThrow(/npm run generate/);
    expect(() => renderReadme('# nothing\n', yml, [spec('a')], versions)).toThrow(/BEGIN GENERATED inputs/);
  });

  it('lists every permission input of the real README with its levels', () => {
    for (const p of PERMISSIONS) {
      expect(readmeText).toContain(`| \`${p.input}\` | ${p.levels.map((l) => `\`${l}\``).join(', ')} | `);
    }
    expect(readmeText).toContain('| `permission-workflows` | `write` |');
  });

  it('escapes cells and code spans', () => {
    expect(cell(' a |\n  b ')).toBe('a \\| b');
    expect(codeSpan('x')).toBe('`x`');
    expect(codeSpan('`x')).toBe('`` `x ``');
  });
});

describe('replaceBetweenMarkers', () => {
  it('keeps adjacent markers when the body is empty', () => {
    expect(replaceBetweenMarkers('a\nB\nx\nE\nz', 'B', 'E', [])).toBe('a\nB\nE\nz');
  });
});

describe('writeOrCheck', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
    jest.restoreAllMocks();
  });

  it('reports stale files without writing in --check mode, and writes them otherwise', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'generated-test-'));
    const current = path.join(dir, 'current.txt');
    const stale = path.join(dir, 'stale.txt');
    const missing = path.join(dir, 'missing.txt');
    writeFileSync(current, 'same');
    writeFileSync(stale, 'old');
    const files = [
      { path: current, content: 'same' },
      { path: stale, content: 'new' },
      { path: missing, content: 'created' }
    ];
    const errors: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args.join(' '));
    });
    jest.spyOn(console, 'log').mockImplementation(() => undefined);

    expect(staleFiles(files).map((f) => f.path)).toEqual([stale, missing]);
    expect(writeOrCheck(files, true, dir)).toBe(1);
    expect(readFileSync(stale, 'utf8')).toBe('old');
    expect(errors.join('\n')).toMatch(/stale\.txt is out of date/);
    expect(errors.join('\n')).toMatch(/missing\.txt is out of date/);
    expect(errors.join('\n')).not.toMatch(/current\.txt/);
    expect(errors.join('\n')).toContain('npm run generate');

    expect(writeOrCheck(files, false, dir)).toBe(0);
    expect(readFileSync(stale, 'utf8')).toBe('new');
    expect(readFileSync(missing, 'utf8')).toBe('created');
    expect(writeOrCheck(files, true, dir)).toBe(0);
  });
});

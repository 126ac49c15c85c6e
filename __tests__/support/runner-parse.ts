// Parsing of what a step produced, following the GitHub Actions runner: file commands
// (GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV), `::workflow commands::` on stdout, secret masking.

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
  /** 0-based index of the stdout line that carried the command. */
  line: number;
}

export interface FileCommandResult {
  values: Record<string, string>;
  errors: string[];
}

/** Decodes a command message (%25, %0D, %0A). */
export function unescapeData(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** Decodes a command property value (%25, %0D, %0A, %3A, %2C). */
export function unescapeProperty(value: string): string {
  return value
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}

/** Parses a file-command file in both `name=value` and `name<<DELIM` heredoc forms. */
export function parseFileCommand(content: string): FileCommandResult {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  const lines = content.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals);
      if (name === '') errors.push(`Invalid format '${line}': name must not be empty`);
      else values[name] = line.slice(equals + 1);
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (name === '' || delimiter === '') {
        errors.push(`Invalid format '${line}'`);
        continue;
      }
      const body: string[] = [];
      let closed = false;
      while (++i < lines.length) {
        if (lines[i] === delimiter) {
          closed = true;
          break;
        }
        body.push(lines[i]);
      }
      if (!closed) {
        errors.push(`Matching delimiter not found '${delimiter}'`);
        break;
      }
      values[name] = body.join('\n');
    } else {
      errors.push(`Invalid format '${line}'`);
    }
  }
  return { values, errors };
}

function parseCommandLine(rawLine: string, index: number): WorkflowCommand | undefined {
  const line = rawLine.trim();
  if (!line.startsWith('::')) return undefined;
  const end = line.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = line.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (command === '') return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of info.slice(space + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { command, properties, message: unescapeData(line.slice(end + 2)), line: index };
}

/** Parses every workflow command on stdout (honouring ::stop-commands::) and collects add-mask values. */
export function parseWorkflowCommands(stdout: string): { commands: WorkflowCommand[]; masks: string[] } {
  const commands: WorkflowCommand[] = [];
  const masks: string[] = [];
  let stopToken: string | undefined;
  stdout.split('\n').forEach((rawLine, index) => {
    if (stopToken !== undefined) {
      if (rawLine.trim() === `::${stopToken}::`) stopToken = undefined;
      return;
    }
    const command = parseCommandLine(rawLine, index);
    if (!command) return;
    commands.push(command);
    if (command.command === 'add-mask') masks.push(command.message);
    if (command.command === 'stop-commands' && command.message !== '') stopToken = command.message;
  });
  return { commands, masks };
}

/** The strings the runner's masker registers for one ::add-mask:: value (whole value + each line). */
function maskVariants(value: string): string[] {
  if (value.trim() === '') return [];
  const variants = new Set<string>([value]);
  for (const line of value.split(/[\r\n]+/)) if (line !== '') variants.add(line);
  for (const variant of [...variants]) {
    variants.add(JSON.stringify(variant).slice(1, -1));
    variants.add(encodeURIComponent(variant));
  }
  return [...variants];
}

function applyMasks(text: string, variants: string[]): string {
  const ordered = [...new Set(variants)].filter((v) => v !== '').sort((a, b) => b.length - a.length);
  let result = text;
  for (const variant of ordered) result = result.split(variant).join('***');
  return result;
}

export interface MaskedLogOptions {
  /**
   * true (default): like the live runner, a stdout line is masked only with values registered by
   * ::add-mask:: on EARLIER lines, so a secret printed before it is masked stays visible.
   * false: every mask applies to the whole log.
   */
  progressive?: boolean;
}

/**
 * The log a user would see: stdout (without the ::add-mask:: lines, which the runner does not
 * show) then stderr, with mask values replaced by *** (longer values first). stderr is a separate
 * pipe whose interleaving is unknown, so it is masked with every value.
 */
export function maskedLog(result: { stdout: string; stderr: string }, options: MaskedLogOptions = {}): string {
  const progressive = options.progressive ?? true;
  const { commands, masks } = parseWorkflowCommands(result.stdout);
  const allVariants = masks.flatMap(maskVariants);
  const maskLines = new Map<number, string>();
  for (const command of commands) if (command.command === 'add-mask') maskLines.set(command.line, command.message);
  const active: string[] = [];
  const shown: string[] = [];
  result.stdout.split('\n').forEach((line, index) => {
    const mask = maskLines.get(index);
    if (mask !== undefined) {
      active.push(...maskVariants(mask));
      return;
    }
    shown.push(applyMasks(line, progressive ? active : allVariants));
  });
  const stdout = shown.join('\n');
  const separator = stdout === '' || stdout.endsWith('\n') ? '' : '\n';
  return stdout + separator + applyMasks(result.stderr, allVariants);
}

/**
 * Which secrets appear in text: a whole secret, or (for multi-line secrets such as PEM keys, with
 * real or literal "\n" newlines) any of its lines of 8+ characters other than -----BEGIN/END----- lines.
 */
export function findSecretLeaks(text: string, secrets: string[]): string[] {
  const leaks = new Set<string>();
  for (const secret of secrets) {
    if (secret.trim() === '') continue;
    if (text.includes(secret)) {
      leaks.add(secret);
      continue;
    }
    const lines = secret
      .split(/\r?\n|\\n/)
      .map((line) => line.trim())
      .filter((line) => line.length >= 8 && !line.startsWith('-----'));
    for (const line of lines) if (text.includes(line)) leaks.add(line);
  }
  return [...leaks];
}

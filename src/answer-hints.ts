/**
 * What a failed request's message adds to say where to look, decided once per client: the API
 * URL to check, and, when a proxy from the environment carries the requests, which variable set
 * it and how to bypass it (a dead proxy otherwise reads as GitHub not answering).
 */
import type { Env } from './env.js';
import { proxyVariable } from './proxy.js';
import { untrusted } from './untrusted.js';

export interface AnswerHints {
  /** after "no answer (…)" */
  readonly noAnswer: string;
  /** after an answer that was not GitHub's JSON */
  readonly notGitHub: string;
}

export function answerHints(baseUrl: string, env: Env): AnswerHints {
  const target = new URL(baseUrl);
  const variable = proxyVariable(target, env);
  const notGitHub = ` This is not GitHub's REST API: check that 'github-api-url' ('${untrusted(baseUrl)}') is the API root, https://<host>/api/v3 on GitHub Enterprise Server (https://api.github.com on github.com)${variable ? `, and that the proxy from ${variable} does not answer in its place` : ''}.`;
  if (!variable) {
    return { noAnswer: `. Check that 'github-api-url' is right and that the runner can reach it (proxy settings: HTTPS_PROXY, NO_PROXY).`, notGitHub };
  }
  const proxy = proxyHost(env[variable] ?? '');
  return {
    noAnswer: `. The request went to the proxy from ${variable} (${proxy}), which did not answer or could not reach ${untrusted(target.host)}: check that the proxy runs and that the runner can reach it, or bypass it for this host by adding '${untrusted(target.hostname)}' to NO_PROXY.`,
    notGitHub
  };
}

/** host:port of a proxy URL, never its credentials. */
function proxyHost(url: string): string {
  try {
    return untrusted(new URL(url).host);
  } catch {
    return 'an address that is not a URL';
  }
}

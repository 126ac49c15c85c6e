// What a failed request's message adds: the proxy that carried it (never its credentials), and
// what to check when the answer was not GitHub's JSON.
import { describe, expect, it } from '@jest/globals';
import { answerHints } from '../../src/answer-hints.ts';

describe('answerHints', () => {
  it('without a proxy: check the URL and the proxy settings', () => {
    const hints = answerHints('https://ghe.example.com/api/v3', {});
    expect(hints.noAnswer).toBe(". Check that 'github-api-url' is right and that the runner can reach it (proxy settings: HTTPS_PROXY, NO_PROXY).");
    expect(hints.notGitHub).toContain("'github-api-url' ('https://ghe.example.com/api/v3') is the API root");
    expect(hints.notGitHub).not.toContain('proxy');
  });

  it('with a proxy: names the variable, its host only, and the NO_PROXY entry that bypasses it', () => {
    const hints = answerHints('https://ghe.example.com/api/v3', { HTTPS_PROXY: 'http://user:s3cret@proxy.corp:3128', HTTP_PROXY: 'http://other:1' });
    expect(hints.noAnswer).toContain('the proxy from HTTPS_PROXY (proxy.corp:3128), which did not answer or could not reach ghe.example.com');
    expect(hints.noAnswer).toContain("adding 'ghe.example.com' to NO_PROXY");
    expect(hints.noAnswer).not.toContain('s3cret');
    expect(hints.notGitHub).toContain('and that the proxy from HTTPS_PROXY does not answer in its place');
  });

  it('a proxy value that is not a URL is not printed', () => {
    expect(answerHints('https://ghe.example.com', { https_proxy: 'not a url with a s3cret' }).noAnswer).toContain('the proxy from https_proxy (an address that is not a URL)');
  });

  it('loopback never goes through a proxy, so no proxy is named for it', () => {
    expect(answerHints('http://127.0.0.1:8080', { http_proxy: 'http://proxy.corp:3128' }).noAnswer).not.toContain('proxy.corp');
  });

  it('a host NO_PROXY exempts gets the plain hint', () => {
    expect(answerHints('https://ghe.example.com', { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: 'example.com' }).noAnswer).toContain('(proxy settings: HTTPS_PROXY, NO_PROXY)');
  });
});

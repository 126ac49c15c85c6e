// Single input values as both steps read them: the API URL and its cleartext rule.
import { describe, expect, it } from '@jest/globals';
import { readApiUrl } from '../../src/input-values.ts';

describe('readApiUrl', () => {
  it.each(['https://someone:hunter2@ghe.example.com/api/v3', 'https://hunter2@ghe.example.com', 'http://someone:hunter2@127.0.0.1:9', 'ftp://someone:hunter2@x', 'https://someone:hunter2@host:99999999/x', 'https:someone:hunter2@ghe.example.com'])(
    'refuses %s for its credentials before any message could quote them',
    (url) => {
      let message = '';
      try {
        readApiUrl(url, {});
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^Input 'github-api-url' has credentials in it/);
      expect(message).not.toMatch(/someone|hunter2/);
      expect(() => readApiUrl('', { GITHUB_API_URL: url })).toThrow(/has credentials in it/);
    }
  );

  it.each(['http://127.0.0.1:8080', 'http://127.1.2.3/api/v3', 'http://localhost:3000', 'http://LOCALHOST.', 'http://[::1]:9000', 'https://ghe.example.com/api/v3'])('accepts %s', (url) => {
    expect(readApiUrl(url, {})).toBe(new URL(url).href.replace(/\/+$/, ''));
  });

  it.each(['http://ghe.example.com', 'http://128.0.0.1', 'http://[::2]', 'http://localhost.example.com', 'http://127.0.0.1.nip.io', 'http://0.0.0.0'])('refuses %s, saying why and what to use', (url) => {
    expect(() => readApiUrl(url, {})).toThrow(/uses http:\/\/ for a host that is not this machine: .*unencrypted.*Use https:\/\//);
  });

  it('applies to GITHUB_API_URL too', () => {
    expect(() => readApiUrl('', { GITHUB_API_URL: 'http://ghe.example.com/api/v3' })).toThrow(/uses http:\/\//);
  });
});

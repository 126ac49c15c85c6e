// Single input values as both steps read them: the API URL and its cleartext rule.
import { describe, expect, it } from '@jest/globals';
import { readApiUrl } from '../../src/input-values.ts';

describe('readApiUrl', () => {
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

// An answer that is not GitHub's JSON, told by its body and content type.
import { describe, expect, it } from '@jest/globals';
import { describeForeignBody } from '../../src/foreign-answer.ts';

describe('describeForeignBody', () => {
  it.each([
    [{ message: 'Not Found' }, 'application/json', undefined],
    ['<!DOCTYPE html><html></html>', 'text/plain', "an HTML page, not GitHub's JSON"],
    ['Sign in', 'text/html; charset=utf-8', "an HTML page, not GitHub's JSON"],
    [new TextEncoder().encode('<html><body>portal</body></html>').buffer, undefined, "an HTML page, not GitHub's JSON"],
    [new ArrayBuffer(0), undefined, "an empty body, not GitHub's JSON"],
    [undefined, undefined, "an empty body, not GitHub's JSON"],
    ['upstream connect error', 'text/plain', "a body that is not GitHub's JSON"]
  ])('%p (%s): %s', (data, type, expected) => {
    expect(describeForeignBody(data, type)).toBe(expected);
  });
});

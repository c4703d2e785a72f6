import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cumulativeWeights, encodeBody, isExpectedStatus, pickIndex, requestMethod, requestUrl, withJsonContentType } from '../../lib/scenario/request-plan.ts';

test('the weighted mix: each request owns its slice of [0, total), the last takes a roll at the total', () => {
  const cumulative = cumulativeWeights([1, 3, 0.5]);
  assert.deepEqual(cumulative, [1, 4, 4.5]);
  assert.deepEqual([0, 0.999, 1, 3.999, 4, 4.49, 4.5].map((roll) => pickIndex(cumulative, roll)), [0, 0, 1, 1, 2, 2, 2]);
});

test('URL, method and expected statuses: the defaults both engines share', () => {
  assert.equal(requestUrl('http://127.0.0.1:8080', { path: '/a?b=1' }), 'http://127.0.0.1:8080/a?b=1');
  assert.equal(requestUrl('http://127.0.0.1:8080', { url: 'http://other:9/x', path: undefined }), 'http://other:9/x');
  assert.equal(requestMethod(undefined), 'GET');
  assert.equal(requestMethod('post'), 'POST');
  assert.deepEqual([199, 200, 399, 400].map((s) => isExpectedStatus(s, undefined)), [false, true, true, false]);
  assert.deepEqual([200, 404].map((s) => isExpectedStatus(s, [404])), [false, true]);
});

test('bodies: strings as they are, objects as JSON with a JSON content type unless one was given', () => {
  assert.deepEqual(encodeBody(undefined), { text: null, isJson: false });
  assert.deepEqual(encodeBody('a=1'), { text: 'a=1', isJson: false });
  assert.deepEqual(encodeBody({ a: [1] }), { text: '{"a":[1]}', isJson: true });
  assert.deepEqual(withJsonContentType({ x: '1' }), { x: '1', 'content-type': 'application/json' });
  const own = { 'Content-Type': 'application/vnd.api+json' };
  assert.equal(withJsonContentType(own), own);
});

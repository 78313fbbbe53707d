import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNumber } from '../src/normalize/numbers.ts';

test('cells that mean zero are read as 0 and say what they were', () => {
  assert.deepEqual(parseNumber(''), { value: 0, kind: 'blank' });
  assert.deepEqual(parseNumber('\u00a0 '), { value: 0, kind: 'blank' });
  for (const s of ['-', '—', '–', '－', '——']) assert.deepEqual(parseNumber(s), { value: 0, kind: 'dash' }, s);
  for (const s of ['/', '／']) assert.deepEqual(parseNumber(s), { value: 0, kind: 'slash' }, s);
  assert.deepEqual(parseNumber('无'), { value: 0, kind: 'none' });
});

test('numbers in the shapes real reports write them', () => {
  assert.equal(parseNumber('3001').value, 3001);
  assert.equal(parseNumber('３００１').value, 3001, 'full-width digits');
  assert.equal(parseNumber(' 2 ').value, 2);
  assert.equal(parseNumber('3,985,758').value, 3985758);
  assert.equal(parseNumber('39857\n58').value, 3985758, 'a number wrapped in a narrow cell');
  assert.equal(parseNumber('12件').value, 12);
  assert.equal(parseNumber('-18', 'signedCount').value, -18);
  assert.equal(parseNumber('96171.6', 'amount').value, 96171.6);
  assert.equal(parseNumber('0.000123', 'amount').value, 0.000123);
});

test('annotations and units keep the number and are noted', () => {
  const a = parseNumber('22（其中修订16件）');
  assert.equal(a.value, 22);
  assert.match(a.note ?? '', /修订16件/);
  const yuan = parseNumber('251000元', 'amount');
  assert.equal(yuan.value, 25.1, '元 converted to 万元');
  assert.equal(parseNumber('25.1万元', 'amount').value, 25.1);
});

test('anything else is illegible: null, never a silent 0', () => {
  for (const s of ['abc', '1 2', '12/3', '约30', '?']) {
    const p = parseNumber(s);
    assert.equal(p.value, null, s);
    assert.equal(p.kind, 'illegible', s);
  }
});

test('radical forms that PDF fonts emit for whole characters are folded for matching', async () => {
  const { cleanText } = await import('../src/extract/model.ts');
  assert.equal(cleanText('淮安市人⺠政府 ⻢尾区 ⼆、'), '淮安市人民政府 马尾区 二、');
});

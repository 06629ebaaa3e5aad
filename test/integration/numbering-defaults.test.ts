// Numbering out of the box (issue #15): a fresh install issues its first notice without any
// administrator setup, from a local default block the administrator then sees and can change;
// a device the centre has given blocks numbers only from those.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, signIn, type TestCore } from '../helpers/core';
import { addBlock } from '../../electron/core/notices/numbering';
import { previewNumber, seriesLabel } from '../../shared/notices/series';

let t: TestCore;
let admin: string;
beforeEach(async () => {
  t = makeTestCore(new Date('2026-11-24T02:00:00Z'));
  admin = await setupAdmin(t);
});
afterEach(async () => {
  await t.cleanup();
});

const example = (type: string) => JSON.parse(fs.readFileSync(`docs/examples/notice-${type}.json`, 'utf8')) as Record<string, unknown>;

describe('numbering on a fresh install', () => {
  it('issues the first notice from a default local block, shown to the administrator', async () => {
    await t.call('settings.update', { agencyName: '西宁市社会保险服务中心' }, admin);
    expect(await t.call('numbering.listBlocks', {}, admin)).toEqual([]);
    const first = await t.call('notices.issue', { caseId: null, data: example('acceptance') }, admin);
    expect(first.documentNo).toBe('职伤受〔2026〕1号');
    const second = await t.call('notices.issue', { caseId: null, data: example('supplement') }, admin);
    expect(second.documentNo).toBe('职伤受〔2026〕2号');
    const conclusion = await t.call('notices.issue', { caseId: null, data: example('appraisal-conclusion') }, admin);
    expect(conclusion.documentNo).toBe('劳鉴〔2026〕第0001号');
    const blocks = await t.call('numbering.listBlocks', {}, admin);
    expect(blocks.map((b) => [b.series, b.pattern, b.issuer, b.first, b.last, b.next])).toEqual([
      ['appraisal', '劳鉴〔{year}〕第{seq:4}号', '西宁市劳动能力鉴定委员会', 1, 9999, 2],
      ['intake', '职伤受〔{year}〕{seq}号', '西宁市社会保险服务中心', 1, 9999, 3],
    ]);
  });

  it("keeps the administrator's own pattern: a series with a block is never given a default one", async () => {
    await t.call(
      'numbering.addBlock',
      { series: 'intake', pattern: '宁职伤受〔{year}〕{seq}号', issuer: '城东区中心', year: 2026, first: 1, last: 1 },
      admin,
    );
    expect((await t.call('notices.issue', { caseId: null, data: example('acceptance') }, admin)).documentNo).toBe('宁职伤受〔2026〕1号');
    const err = await t.fail('notices.issue', { caseId: null, data: example('supplement') }, admin);
    expect(err.message).toContain('“受理类”文号可用');
    expect(err.message).toContain('系统管理 → 文号号段');
    // The next year starts from the administrator's pattern and issuer, not the default.
    t.clock.set(new Date('2027-01-04T02:00:00Z'));
    admin = await signIn(t, 'admin', 'Admin-pass-2026');
    expect((await t.call('notices.issue', { caseId: null, data: example('supplement') }, admin)).documentNo).toBe('宁职伤受〔2027〕1号');
  });

  it('gives an enrolled device (blocks from the centre) no local default', async () => {
    await addBlock(
      t.store.db,
      t.clock,
      { series: 'benefits', pattern: '中心〔{year}〕{seq}号', issuer: '中心', year: 2026, first: 1, last: 9 },
      'sync',
    );
    const err = await t.fail('notices.issue', { caseId: null, data: example('acceptance') }, admin);
    expect(err.message).toContain('受理类');
  });

  it('names series in Chinese and previews the next number', () => {
    expect(['intake', 'confirmation', 'appraisal', 'benefits'].map(seriesLabel)).toEqual(['受理类', '确认类', '鉴定类', '待遇类']);
    expect(previewNumber('青人社鉴〔{year}〕第{seq:4}号', 2026, 12)).toBe('青人社鉴〔2026〕第0012号');
    expect(previewNumber('青人社鉴〔{year}〕', 2026, 12)).toBeNull();
  });
});

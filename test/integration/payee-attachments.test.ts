// The payee account on a case (recorded at registration or later, masked for the roles that do not
// pay, a change after an approved determination needs a reason, audited, travels by sync, on the
// 待遇核定通知书 with its last four digits only) and the removal of a scan (a reason, audited, a
// tombstone in the outbox, the encrypted file deleted after the removal committed).
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import type { TestCore } from '../helpers/core';
import { beijingRider } from '../helpers/intake';
import { appraise, auditSummaries, confirmedCase, determine, documentText, officePerFile, type Office } from '../helpers/legal';

const ACCOUNT = '6217 0000 1234 5678 901';
const DIGITS = '6217000012345678901';
const scene = officePerFile(new Date('2026-11-24T02:00:00Z'));
let t: TestCore;
let o: Office;
beforeEach(() => {
  ({ t, o } = scene.fresh());
});
afterEach(async () => {
  await t.cleanup();
});

const outboxTables = (seqAfter: number) =>
  (t.store.sqlite.prepare('SELECT rows FROM sync_outbox WHERE seq > ? ORDER BY seq').all(seqAfter) as { rows: string }[]).flatMap((r) =>
    (JSON.parse(r.rows) as { table: string }[]).map((c) => c.table),
  );
const lastSeq = () => (t.store.sqlite.prepare('SELECT coalesce(max(seq), 0) AS n FROM sync_outbox').get() as { n: number }).n;

describe('the payee account', () => {
  it('is recorded at registration, whole for the clerk and the benefit side, 尾号 for the others', async () => {
    const { caseId } = await t.call(
      'cases.register',
      { ...beijingRider(), payee: { name: '王平', bank: '青岛银行市南支行', account: ACCOUNT } },
      o.clerk,
    );
    expect((await t.call('cases.get', { caseId }, o.clerk)).payee).toMatchObject({ name: '王平', account: DIGITS, accountMasked: false });
    expect((await t.call('cases.get', { caseId }, o.benefits)).payee?.account).toBe(DIGITS);
    for (const who of [o.officer, o.secretary, o.leader, o.admin]) {
      const p = (await t.call('cases.get', { caseId }, who)).payee;
      expect(p).toMatchObject({ bank: '青岛银行市南支行', account: '尾号8901', accountMasked: true });
    }
  });

  it('refuses an account that is not 12–30 digits, in Chinese, writing nothing', async () => {
    const { caseId } = await t.call('cases.register', beijingRider(), o.clerk);
    const before = lastSeq();
    for (const [account, message] of [
      ['6217 0000 12', '银行账号应为 12 至 30 位数字'],
      ['6217-0000-1234-5678-9012-3456-7890-123', '银行账号应为 12 至 30 位数字'],
      ['6217O00012345678', '银行账号只能是数字'],
    ] as const)
      await expect(t.call('cases.setPayee', { caseId, payee: { name: '王平', bank: '青岛银行', account } }, o.clerk)).rejects.toThrow(
        message,
      );
    expect(lastSeq()).toBe(before);
    expect((await t.call('cases.get', { caseId }, o.clerk)).payee).toBeNull();
  });

  it('is set later on the case (audited without the number, in the outbox); a change after approval needs a reason', async () => {
    const caseId = await confirmedCase(t, o);
    const before = lastSeq();
    await t.call('cases.setPayee', { caseId, payee: { name: '王平', bank: '青岛银行市南支行', account: ACCOUNT } }, o.benefits);
    expect(outboxTables(before)).toContain('case_payees');
    const audit = auditSummaries(t, '%收款账户%');
    expect(audit.at(-1)).toContain('尾号8901');
    expect(audit.join('')).not.toContain(DIGITS);
    // Only the roles that record it.
    await expect(
      t.call('cases.setPayee', { caseId, payee: { name: '王平', bank: '青岛银行', account: DIGITS } }, o.officer),
    ).rejects.toThrow();

    await appraise(t, o, caseId, 8);
    const determinationId = await determine(t, o, caseId);
    expect((await t.call('cases.get', { caseId }, o.benefits)).payeeEdit).toEqual({ allowed: true, needsReason: true });
    const other = { name: '王平', bank: '中国工商银行西宁城西支行', account: '622202000011112222' };
    await expect(t.call('cases.setPayee', { caseId, payee: other }, o.benefits)).rejects.toThrow('须填写变更理由');
    await t.call('cases.setPayee', { caseId, payee: other, reason: '本人银行卡挂失，提供新卡' }, o.benefits);
    expect(auditSummaries(t, '%变更收款账户%').at(-1)).toContain('本人银行卡挂失');

    // The notice says how and where the money is paid: the bank and the last four digits only.
    const { id } = await t.call('determinations.issueNotice', { determinationId }, o.reviewer);
    const text = documentText(t, id);
    expect(text).toContain('均以银行转账方式转入下列收款账户');
    expect(text).toContain('收款人：王平；收款账户：中国工商银行西宁城西支行，账号尾号2222');
    expect(text).toContain('职业伤害保障基金支付');
    expect(text).not.toContain('622202000011112222');
    const data = (t.store.sqlite.prepare('SELECT data FROM issued_documents WHERE id = ?').get(id) as { data: string }).data;
    expect(data).not.toContain('622202000011112222');
  });
});

describe('removing a scan', () => {
  const scan = () => Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(1024)]);

  it('asks a reason, hides it, travels as a tombstone and deletes the encrypted file after the commit', async () => {
    const { caseId } = await t.call('cases.register', beijingRider(), o.clerk);
    const { attachmentId } = await t.call(
      'cases.attach',
      { caseId, materialCode: null, filename: '错传的照片.png', dataBase64: scan().toString('base64') },
      o.clerk,
    );
    const stored = (t.store.sqlite.prepare('SELECT stored_path FROM attachments WHERE id = ?').get(attachmentId) as { stored_path: string })
      .stored_path;
    expect(fs.existsSync(path.join(t.dir, stored))).toBe(true);
    expect((await t.call('cases.get', { caseId }, o.clerk)).canRemoveAttachments).toBe(true);
    expect((await t.call('cases.get', { caseId }, o.benefits)).canRemoveAttachments).toBe(false);

    await expect(t.call('cases.removeAttachment', { attachmentId, reason: '' }, o.clerk)).rejects.toThrow('删除理由');
    await expect(t.call('cases.removeAttachment', { attachmentId, reason: '传错了人' }, o.benefits)).rejects.toThrow();
    expect(fs.existsSync(path.join(t.dir, stored))).toBe(true);

    const before = lastSeq();
    await t.call('cases.removeAttachment', { attachmentId, reason: '传错了人' }, o.clerk);
    expect(outboxTables(before)).toContain('attachment_removals');
    expect(auditSummaries(t, '%删除附件%').at(-1)).toContain('错传的照片.png；理由：传错了人');
    expect((await t.call('cases.get', { caseId }, o.clerk)).attachments).toEqual([]);
    expect(fs.existsSync(path.join(t.dir, stored))).toBe(false);
    await expect(t.call('cases.attachment', { attachmentId }, o.clerk)).rejects.toThrow('已被删除');
    await expect(t.call('cases.removeAttachment', { attachmentId, reason: '再删一次' }, o.clerk)).rejects.toThrow('已被删除');
  });

  it('keeps the file while another attachment row holds the same scan', async () => {
    const { caseId } = await t.call('cases.register', beijingRider(), o.clerk);
    const bytes = scan().toString('base64');
    const a = await t.call('cases.attach', { caseId, materialCode: null, filename: '一.png', dataBase64: bytes }, o.clerk);
    const b = await t.call('cases.attach', { caseId, materialCode: null, filename: '二.png', dataBase64: bytes }, o.clerk);
    await t.call('cases.removeAttachment', { attachmentId: a.attachmentId, reason: '重复上传' }, o.clerk);
    const opened = await t.call('cases.attachment', { attachmentId: b.attachmentId }, o.clerk);
    expect(opened.dataBase64).toBe(bytes);
  });
});

// Decision notices end to end through the RPC: content checked with poppler's pdftotext and
// pdffonts, numbering from blocks, identical reprints, and signatures that fail on any change.
import { execFileSync, spawnSync } from 'node:child_process';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, takeDownloads, tempDir, type TestCore } from '../helpers/core';
import { beijingRider, staff } from '../helpers/intake';
import { runCli } from '../../electron/cli';
import { PDFDocument } from 'pdf-lib';

let t: TestCore;
let admin: string;
beforeEach(async () => {
  t = makeTestCore(new Date('2026-11-24T02:00:00Z'));
  admin = await setupAdmin(t);
  for (const [series, pattern] of [
    ['intake', '宁职伤受〔{year}〕{seq}号'],
    ['confirmation', '宁人社职伤确〔{year}〕{seq}号'],
    ['appraisal', '青人社鉴〔{year}〕第{seq:4}号'],
    ['benefits', '宁职伤待〔{year}〕{seq}号'],
    ['delivery', '送达〔{year}〕{seq}号'],
  ] as const) {
    await t.call('numbering.addBlock', { series, pattern, issuer: '西宁市人力资源和社会保障局', year: 2026, first: 1, last: 3 }, admin);
  }
});
afterEach(async () => {
  await t.cleanup();
});

const example = (type: string) => JSON.parse(fs.readFileSync(`docs/examples/notice-${type}.json`, 'utf8')) as Record<string, unknown>;

async function issue(type: string, data: Record<string, unknown> = example(type)) {
  const r = await t.call('notices.issue', { caseId: null, data }, admin);
  const doc = await t.call('notices.get', { id: r.id }, admin);
  return { ...r, pdf: Buffer.from(doc.pdfBase64, 'base64') };
}

function pdfText(pdf: Buffer): string {
  const file = path.join(t.dir, `n-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

function pdfFonts(pdf: Buffer): string {
  const file = path.join(t.dir, 'fonts.pdf');
  fs.writeFileSync(file, pdf);
  return execFileSync('pdffonts', [file], { encoding: 'utf8' });
}

/** pdftotext breaks lines where the PDF does; join them to search for phrases. */
const flat = (s: string) => s.replace(/\s+/g, '');

describe('notice content', () => {
  it.each([
    [
      'acceptance',
      [
        '职业伤害保障待遇给付申请受理通知书',
        '宁职伤受〔2026〕1号',
        '单通',
        '110108********1234',
        'SL2026-A1B2-000098',
        '美团',
        '第6根肋骨不全骨折',
        '2026年11月24日',
        '西宁市人力资源和社会保障局',
      ],
    ],
    // The measures give the 10 days from receipt and no consequence: neither a date nor 视为未提出申请.
    [
      'supplement',
      [
        '一次性补正告知书',
        '知情同意确认书',
        '电子收费票据',
        '事故责任认定书',
        '请于收到本告知书之日起十日内提交上述补正材料',
        '第十五条第一款',
      ],
    ],
    [
      'confirmation',
      [
        '职业伤害确认结论书',
        '宁人社职伤确〔2026〕1号',
        '第十一条第（一）项',
        '确认单通受到的事故伤害为职业伤害',
        '行政复议',
        '行政诉讼',
        '第三十九条',
        '2026年11月20日12时30分',
      ],
    ],
    ['non-confirmation', ['不予确认职业伤害结论书', '第十二条第（二）项', '醉酒', '不予确认单通受到的事故伤害为职业伤害', '行政复议']],
    [
      'appraisal-conclusion',
      [
        '劳动能力鉴定结论书',
        '青人社鉴〔2026〕第0001号',
        '马小跑',
        '5.8.2(45)',
        '5.8.2(56)',
        '晋级原则',
        '劳动功能障碍程度：七级',
        '生活自理障碍程度：无生活自理障碍',
        '赵医生',
        '（不同意见）',
        '十五日内向青海省劳动能力鉴定委员会申请再次鉴定',
      ],
    ],
    [
      'benefit-determination',
      [
        '职业伤害保障待遇核定通知书',
        '一次性伤残补助金',
        '39780.00',
        '3,060.00×13个月=39,780.00',
        '第二十六条至第二十八条',
        '叁万玖仟柒佰捌拾元整',
        '职业伤害保障基金',
        '按照《山东省新就业形态人员职业伤害保障试点实施办法》（以下简称《办法》）',
        '依据：《办法》第二十六条至第二十八条',
        '收款人：王平；收款账户：青岛银行市南支行，账号尾号8901',
        '待遇复核员乙',
      ],
    ],
    [
      'delivery-receipt',
      [
        '送达回证',
        '劳动能力鉴定结论书（青人社鉴〔2026〕第0001号',
        '青海测试三快科技有限公司（平台企业）',
        '邮寄送达',
        '2026年11月26日',
        '平台服务站王经理',
        'EMS挂号1234567890',
        '受送达人签名',
      ],
    ],
    [
      'platform-statement',
      [
        '平台企业承担职业伤害保障费用告知书',
        '青海测试三快科技有限公司：',
        '你单位（美团）为责任平台企业',
        '依据《办法》第十五条第三款，自2026年9月20日至2026年11月23日期间发生的职业伤害保障待遇等费用由你单位承担',
        '第二十四条',
        '医疗费（西宁市第一人民医院，票据FP-101）',
        '合计：4420.00元（肆仟肆佰贰拾元整）',
        '行政复议',
      ],
    ],
  ])('%s shows every field', async (type, expected) => {
    const { pdf } = await issue(type);
    const text = flat(pdfText(pdf));
    for (const e of expected) expect(text).toContain(flat(e));
    expect(text).toContain('签发人：系统管理员');
    expect(text).toContain('-1-');
  });

  it('the 补正告知书 states only what 第十五条第一款 gives: ten days from receipt, no deemed withdrawal', async () => {
    const text = flat(pdfText((await issue('supplement')).pdf));
    expect(text).toContain(flat('依据《青海省新就业形态人员职业伤害保障实施办法（试行）》第十五条第一款'));
    expect(text).toContain(flat('请于收到本告知书之日起十日内提交上述补正材料。'));
    expect(text).not.toContain('视为未提出申请');
    expect(text).not.toContain('逾期');
  });

  it('embeds the CJK font as a subset and never starts a line with a closing mark', async () => {
    const { pdf } = await issue('confirmation');
    const fonts = pdfFonts(pdf);
    expect(fonts).toMatch(/\+NotoSerifSC-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    const lines = pdfText(pdf)
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    expect(lines.filter((l) => /^[，。、；：）》」』！？]/.test(l))).toEqual([]);
  });

  it('splits a benefit notice by payer with totals in figures and capitals', async () => {
    const data = example('benefit-determination');
    (data.lines as unknown[]).push({
      code: 'living_allowance',
      label: '生活保障费',
      amount: '1234.56',
      payer: 'platform',
      period: 'once',
      article: '第二十四条',
      formula: '900.00 × 41/30 = 1,234.56',
    });
    const text = flat(pdfText((await issue('benefit-determination', data)).pdf));
    expect(text).toContain(flat('一次性由平台企业支付：1234.56 元（壹仟贰佰叁拾肆元伍角陆分）'));
    expect(text).toContain(flat('一次性待遇合计：41014.56 元（肆万壹仟零壹拾肆元伍角陆分）'));
  });

  it('refuses a name neither bundled font can draw instead of printing a blank', async () => {
    // 𠮷 (Extension B) prints through the fallback font (notice-rare-chars.test.ts); a
    // private-use code point is in no font.
    const data = example('acceptance');
    data.person = { name: '\u{10FFFD}祥', idNumberMasked: '110108********1234' };
    const err = await t.fail('notices.issue', { caseId: null, data }, admin);
    expect(err.message).toContain('内置字体无法显示字符“\u{10FFFD}”');
    expect(t.store.sqlite.prepare('SELECT COUNT(*) n FROM issued_documents').get()).toEqual({ n: 0 });
  });

  it('refuses malformed notice data with the field at fault', async () => {
    const data = example('supplement');
    data.missing = [];
    const err = await t.fail('notices.issue', { caseId: null, data }, admin);
    expect(err.message).toContain('补正告知书须列明需补正的材料');
  });
});

describe('numbers and reprints', () => {
  it('numbers in sequence from the block, reprints the same bytes, and refuses when the block is used up', async () => {
    const a = await issue('acceptance');
    const b = await issue('supplement');
    expect([a.documentNo, b.documentNo]).toEqual(['宁职伤受〔2026〕1号', '宁职伤受〔2026〕2号']);
    const again = await t.call('notices.get', { id: a.id }, admin);
    expect(Buffer.from(again.pdfBase64, 'base64').equals(a.pdf)).toBe(true);
    expect(again.sha256).toBe(a.sha256);
    await issue('acceptance');
    const err = await t.fail('notices.issue', { caseId: null, data: example('acceptance') }, admin);
    expect(err.message).toContain('系统管理 → 文号号段');
  });

  it('refuses overlapping blocks, so two laptops with disjoint blocks never collide', async () => {
    const err = await t.fail(
      'numbering.addBlock',
      { series: 'intake', pattern: 'X〔{year}〕{seq}号', issuer: 'x', year: 2026, first: 3, last: 10 },
      admin,
    );
    expect(err.message).toContain('重叠');
    const other = makeTestCore(new Date('2026-11-24T02:00:00Z'));
    try {
      const otherAdmin = await setupAdmin(other);
      await other.call(
        'numbering.addBlock',
        { series: 'intake', pattern: '宁职伤受〔{year}〕{seq}号', issuer: '西宁', year: 2026, first: 4, last: 6 },
        otherAdmin,
      );
      const mine = await t.call('notices.issue', { caseId: null, data: example('acceptance') }, admin);
      const theirs = await other.call('notices.issue', { caseId: null, data: example('acceptance') }, otherAdmin);
      expect(mine.documentNo).toBe('宁职伤受〔2026〕1号');
      expect(theirs.documentNo).toBe('宁职伤受〔2026〕4号');
    } finally {
      await other.cleanup();
    }
  });

  it('keeps issued documents immutable in the database', async () => {
    await issue('acceptance');
    expect(() => t.store.sqlite.prepare("UPDATE issued_documents SET document_no = 'x'").run()).toThrow(/不能修改/);
    expect(() => t.store.sqlite.prepare('DELETE FROM issued_documents').run()).toThrow(/不能删除/);
  });
});

describe('signatures', () => {
  const verify = (pdf: Buffer, core = t, token = admin) => core.call('notices.verify', { pdfBase64: pdf.toString('base64') }, token);

  it('verifies an issued notice, and fails it when one byte or an amount changes', async () => {
    const { pdf } = await issue('benefit-determination');
    expect(await verify(pdf)).toMatchObject({ status: 'valid', issuedHere: true });
    const oneByte = Buffer.from(pdf);
    const i = Math.floor(oneByte.length / 3);
    oneByte[i] = oneByte[i]! ^ 0x01;
    expect((await verify(oneByte)).status).toBe('altered');
    // Rewrite the amount in the signed facts and re-encode the block: the signature no longer fits.
    const text = pdf.toString('latin1');
    const at = text.lastIndexOf('\n%OIP-SIG ');
    const block = JSON.parse(Buffer.from(text.slice(at + 10).trim(), 'base64').toString('utf8'));
    block.facts.conclusion = block.facts.conclusion.replace('39780.00', '97380.00');
    const forged = Buffer.concat([
      pdf.subarray(0, at),
      Buffer.from(`\n%OIP-SIG ${Buffer.from(JSON.stringify(block)).toString('base64')}\n`),
    ]);
    const r = await verify(forged);
    expect(r.status).toBe('altered');
    expect(r.message).toContain('文书要素被改动');
  });

  it('calls another device unknown, and a file without our signature unsigned', async () => {
    const { pdf } = await issue('acceptance');
    const other = makeTestCore();
    try {
      const otherAdmin = await setupAdmin(other);
      expect((await verify(pdf, other, otherAdmin)).status).toBe('unknown-signer');
      // The other device's administrator registers this device's key line: the notice is valid there.
      const mine = await t.call('signers.list', {}, admin);
      expect(mine.own.line).toMatch(new RegExp(`^OIPKEY2:${mine.own.fingerprint}:`));
      const tampered = mine.own.line.replace(/:(.)/, (_m, c: string) => `:${c === 'a' ? 'b' : 'a'}`);
      expect((await other.fail('signers.add', { label: '办公室台式机', key: tampered }, otherAdmin)).message).toContain('指纹与公钥不符');
      expect((await other.fail('signers.add', { label: '乱码', key: 'OIPKEY1:0123456789abcdef:AAAA' }, otherAdmin)).message).toContain(
        '不是有效的设备签名公钥',
      );
      // The encryption key swapped for another X25519 key: the fingerprint covers it too.
      const [, fp, ed] = mine.own.line.split(':');
      const otherX = (await other.call('signers.list', {}, otherAdmin)).own.line.split(':')[3];
      expect((await other.fail('signers.add', { label: '换钥', key: `OIPKEY2:${fp}:${ed}:${otherX}` }, otherAdmin)).message).toContain(
        '指纹与公钥不符',
      );
      const theirs = await other.call('signers.list', {}, otherAdmin);
      expect((await other.fail('signers.add', { label: '自己', key: theirs.own.line }, otherAdmin)).message).toContain('本机自己的密钥');
      // An old line (OIPKEY1, signing key only) still registers: notices verify, no package can be addressed to it.
      const oldLine = `OIPKEY1:${mine.own.keyId}:${ed}`;
      expect(await other.call('signers.add', { label: '办公室台式机', key: oldLine }, otherAdmin)).toMatchObject({
        keyId: mine.own.keyId,
        fingerprint: mine.own.keyId,
        upgraded: false,
      });
      expect((await verify(pdf, other, otherAdmin)).status).toBe('valid');
      expect((await other.call('signers.list', {}, otherAdmin)).trusted).toMatchObject([{ keyId: mine.own.keyId, canReceive: false }]);
      // Registering its new line adds the encryption key; a second time is a conflict.
      expect(await other.call('signers.add', { label: '再登记', key: mine.own.line }, otherAdmin)).toMatchObject({
        fingerprint: mine.own.fingerprint,
        upgraded: true,
      });
      expect((await other.call('signers.list', {}, otherAdmin)).trusted).toMatchObject([
        { keyId: mine.own.keyId, fingerprint: mine.own.fingerprint, label: '办公室台式机', canReceive: true },
      ]);
      expect((await other.fail('signers.add', { label: '再登记', key: mine.own.line }, otherAdmin)).code).toBe('CONFLICT');
      await other.call('signers.remove', { keyId: mine.own.keyId }, otherAdmin);
      expect((await verify(pdf, other, otherAdmin)).status).toBe('unknown-signer');
      const audit = other.store.sqlite.prepare("SELECT summary FROM audit_log WHERE entity = 'trusted_signer' ORDER BY seq").all() as {
        summary: string;
      }[];
      expect(audit.map((a) => a.summary)).toEqual([
        `登记可信设备“办公室台式机”（密钥 ${mine.own.keyId}，指纹 ${mine.own.keyId}）`,
        `为已登记的可信设备（${mine.own.keyId}）补登加密公钥，指纹 ${mine.own.fingerprint}`,
        `移除可信设备“办公室台式机”（密钥 ${mine.own.keyId}）`,
      ]);
    } finally {
      await other.cleanup();
    }
    expect((await verify(Buffer.from('%PDF-1.3\n%%EOF\n'))).status).toBe('unsigned');
  });

  it('prints a QR code that scans to the facts, signed by the device key', async () => {
    const { pdf } = await issue('acceptance');
    const file = path.join(t.dir, 'qr.pdf');
    fs.writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-r', '150', '-png', file, path.join(t.dir, 'qr')]);
    const pages = fs
      .readdirSync(t.dir)
      .filter((f) => /^qr-\d+\.png$/.test(f))
      .map((f) => path.join(t.dir, f));
    // zbarimg exits non-zero when a page has no code (page 1): read what it found instead.
    const scanned = spawnSync('zbarimg', ['-q', '--raw', ...pages], { encoding: 'utf8' }).stdout.trim();
    const [tag, keyId, facts, sig] = scanned.split('|');
    expect(tag).toBe('OIP1');
    expect(JSON.parse(facts!)).toMatchObject({
      no: '宁职伤受〔2026〕1号',
      name: '单通',
      id: '110108********1234',
      date: '2026-11-24',
      signer: '系统管理员',
    });
    const text = pdf.toString('latin1');
    const block = JSON.parse(Buffer.from(text.slice(text.lastIndexOf('\n%OIP-SIG ') + 10).trim(), 'base64').toString('utf8'));
    expect(keyId).toBe(block.keyId);
    const publicKey = createPublicKey({ key: Buffer.from(block.publicKey, 'base64'), format: 'der', type: 'spki' });
    expect(cryptoVerify(null, Buffer.from(facts!), publicKey, Buffer.from(sig!, 'base64url'))).toBe(true);
  });
});

describe('intake documents from a case', () => {
  it('issues the 受理通知书 for an accepted case in one call and audits it', async () => {
    const s = await staff(t, admin);
    const { caseId } = await t.call('cases.register', beijingRider(), s.clerk);
    let c = await t.call('cases.get', { caseId }, s.clerk);
    await t.call(
      'cases.setMaterials',
      { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
      s.clerk,
    );
    c = await t.call('cases.get', { caseId }, s.clerk);
    await t.call('cases.transition', { caseId, action: 'accept', expectedVersion: c.version }, s.clerk);
    const r = await t.call('notices.issueForCase', { caseId, type: 'acceptance' }, s.clerk);
    expect(r.documentNo).toBe('宁职伤受〔2026〕1号');
    const listed = await t.call('notices.list', { caseId }, s.clerk);
    expect(listed.map((n) => [n.documentNo, n.signerName])).toEqual([['宁职伤受〔2026〕1号', '受理员甲']]);
    const doc = await t.call('notices.get', { id: r.id }, s.clerk);
    expect(flat(pdfText(Buffer.from(doc.pdfBase64, 'base64')))).toContain('单通');
    const audit = t.store.sqlite.prepare("SELECT summary FROM audit_log WHERE method = 'notices.issueForCase'").get() as {
      summary: string;
    };
    expect(audit.summary).toContain('受理通知书 宁职伤受〔2026〕1号');
    expect((await t.fail('notices.issueForCase', { caseId, type: 'confirmation' }, s.clerk)).message).toContain('不能出具');
  });
});

describe('CLI', () => {
  it('renders and signs from JSON, then verifies; a changed file fails with a non-zero exit', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'a.pdf');
    const io = {
      lines: [] as string[],
      stdout(s: string) {
        this.lines.push(s);
      },
      stderr() {},
    };
    expect(
      await runCli(
        [
          'notice',
          'render',
          '--type',
          'appraisal-conclusion',
          '--input',
          'docs/examples/notice-appraisal-conclusion.json',
          '--out',
          out,
          '--data',
          dir,
        ],
        io,
      ),
    ).toBe(0);
    expect(JSON.parse(io.lines.at(-1)!).documentNo).toMatch(/劳鉴〔\d{4}〕第0001号/);
    expect(await runCli(['notice', 'verify', out, '--data', dir], io)).toBe(0);
    const bytes = fs.readFileSync(out);
    bytes[100] = bytes[100]! ^ 0x20;
    fs.writeFileSync(out, bytes);
    expect(await runCli(['notice', 'verify', out, '--data', dir], io)).toBe(3);
    expect(JSON.parse(io.lines.at(-1)!).status).toBe('altered');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('tells a person at the terminal the result and the signed facts in Chinese', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'b.pdf');
    const quiet = { stdout() {}, stderr() {} };
    const args = [
      '--type',
      'benefit-determination',
      '--input',
      'docs/examples/notice-benefit-determination.json',
      '--out',
      out,
      '--data',
      dir,
    ];
    expect(await runCli(['notice', 'render', ...args], quiet)).toBe(0);
    const lines: string[] = [];
    const terminal = { terminal: true, stdout: (s: string) => lines.push(s), stderr: (s: string) => lines.push(s) };
    expect(await runCli(['notice', 'verify', out, '--data', dir], terminal)).toBe(0);
    const text = lines.join('\n');
    expect(text).toContain('核验结果：有效');
    expect(text).toContain('文书：待遇核定通知书');
    expect(text).toContain('结论或金额：一次性伤残补助金39780.00元');
    expect(text).not.toMatch(/disability_lump_sum|benefit-determination|"status"/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('batch printing', () => {
  async function issueMany(n: number) {
    await t.call(
      'numbering.addBlock',
      { series: 'appraisal', pattern: '青人社鉴〔{year}〕第{seq:4}号', issuer: '委员会', year: 2026, first: 10, last: 100 },
      admin,
    );
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push((await t.call('notices.issue', { caseId: null, data: example('appraisal-conclusion') }, admin)).id);
    return ids;
  }

  function waitFor(jobId: string, state: string) {
    return new Promise<{ done: number; total: number }[]>((resolve) => {
      const seen: { done: number; total: number }[] = [];
      const off = t.events.subscribe('print.progress', (p) => {
        if (p.jobId !== jobId) return;
        seen.push({ done: p.done, total: p.total });
        if (p.state === state) {
          off();
          resolve(seen);
        }
      });
    });
  }

  it('combines the stored documents into one file, reporting progress per document', async () => {
    const ids = await issueMany(4);
    const pages = (
      await Promise.all(
        ids.map(async (id) =>
          (await PDFDocument.load(Buffer.from((await t.call('notices.get', { id }, admin)).pdfBase64, 'base64'))).getPageCount(),
        ),
      )
    ).reduce((a, b) => a + b, 0);
    const { jobId } = await t.call('print.start', { ids }, admin);
    const progress = await waitFor(jobId, 'done');
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 4]);
    const [combined] = takeDownloads(t, await t.call('documents.print', { printJobId: jobId }, admin), admin);
    expect(combined!.name).toBe('合并打印-2026-11-24.pdf');
    expect((await PDFDocument.load(combined!.bytes)).getPageCount()).toBe(pages);
    expect((await t.fail('print.status', { jobId }, admin)).code).toBe('NOT_FOUND');
  });

  it('stops when cancelled and hands nothing out', async () => {
    const ids = await issueMany(3);
    const { jobId } = await t.call('print.start', { ids: [...ids, ...ids, ...ids, ...ids] }, admin);
    const cancelled = waitFor(jobId, 'cancelled');
    await t.call('print.cancel', { jobId }, admin);
    const seen = await cancelled;
    expect(seen.at(-1)!.done).toBeLessThan(12);
    expect((await t.fail('documents.open', { printJobId: jobId }, admin)).message).toContain('已取消');
  });
});

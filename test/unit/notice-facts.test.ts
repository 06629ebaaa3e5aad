// The verification screen and the CLI show a notice's signed facts in Chinese, older ones too.
import { describe, expect, it } from 'vitest';
import { factsForDisplay } from '../../shared/notices/facts';

describe('signed facts as people read them', () => {
  it('labels every fact in Chinese, names the type and writes the date in words', () => {
    const shown = factsForDisplay({
      no: '宁职伤待〔2026〕1号',
      type: 'benefit-determination',
      case: 'SL2026-A1B2-000098',
      name: '王平',
      id: '370202********2019',
      conclusion: '一次性伤残补助金39780.00元',
      date: '2026-11-30',
      issuer: '西宁市社会保险服务中心',
      signer: '待遇复核员乙',
    });
    expect(shown.map((f) => f.label)).toEqual([
      '文号',
      '文书',
      '案件编号',
      '姓名',
      '身份证号码',
      '结论或金额',
      '出具日期',
      '出具机关',
      '签发人',
    ]);
    expect(shown.find((f) => f.label === '文书')?.value).toBe('待遇核定通知书');
    expect(shown.find((f) => f.label === '出具日期')?.value).toBe('2026年11月30日');
  });

  it('translates the field codes older signatures carry', () => {
    const money = factsForDisplay({ conclusion: 'disability_lump_sum=39780.00;nursing_allowance=1200.00' })[0]!.value;
    expect(money).toBe('一次性伤残补助金39780.00元；生活护理费1200.00元');
    const delivery = factsForDisplay({ conclusion: '宁劳鉴〔2026〕第0001号 2026-11-26 mail 送达 platform（王经理）' })[0]!.value;
    expect(delivery).toBe('宁劳鉴〔2026〕第0001号 2026年11月26日 邮寄送达 送达 平台企业（王经理）');
    expect(JSON.stringify(factsForDisplay({ conclusion: 'x', keyId: 'abc' }))).not.toContain('keyId');
  });
});

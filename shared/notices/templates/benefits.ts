// 待遇核定通知书: every benefit line with its article and formula, totals in figures and in
// Chinese capitals, split by payer (fund / platform).
import type { DocDefinition } from '../doc-model';
import Decimal from 'decimal.js';
import { heading, noticeDocument, para, type NoticeMeta } from '../layout';
import { reviewRights } from '../rights';
import { amountToCapitals } from '../../money/capitals';
import type { NoticeDataOf } from '../schemas';

const PAYER = { fund: '职业伤害保障基金', platform: '平台企业' } as const;
const PERIOD = { once: '一次性', monthly: '按月' } as const;

function sum(
  lines: NoticeDataOf<'benefit-determination'>['lines'],
  f: (l: NoticeDataOf<'benefit-determination'>['lines'][number]) => boolean,
): string {
  return lines
    .filter(f)
    .reduce((a, l) => a.plus(l.amount), new Decimal(0))
    .toFixed(2);
}

export function benefitDeterminationNotice(d: NoticeDataOf<'benefit-determination'>, meta: NoticeMeta): DocDefinition {
  const totals = (['once', 'monthly'] as const).flatMap((period) =>
    (['fund', 'platform'] as const)
      .map((payer) => ({ period, payer, amount: sum(d.lines, (l) => l.period === period && l.payer === payer) }))
      .filter((t) => t.amount !== '0.00'),
  );
  const onceAll = sum(d.lines, (l) => l.period === 'once');
  return noticeDocument(
    {
      title: '职业伤害保障待遇核定通知书',
      addressee: `${d.person.name}（身份证号码 ${d.person.idNumberMasked}）：`,
      content: [
        para(
          `根据${d.basis}，按照${d.rulePack.name}（规则包 ${d.rulePack.id} 版本 ${d.rulePack.version}），计发基数为每月 ${d.base} 元，现将你的职业伤害保障待遇核定如下：`,
        ),
        {
          // Each line takes two rows — the figures, then its formula and article across the
          // width — so nothing wraps inside a narrow cell.
          table: {
            headerRows: 1,
            widths: [100, 70, 40, '*'],
            body: [
              ['项目', '金额（元）', '方式', '支付方'].map((t) => ({ text: t, bold: true })),
              ...d.lines.flatMap((l) => [
                [l.label, { text: l.amount, alignment: 'right' as const }, PERIOD[l.period], PAYER[l.payer]],
                [{ text: `计算：${l.formula}；依据：${l.article}`, colSpan: 4, fontSize: 10, color: '#333' }, '', '', ''],
              ]),
            ],
          },
          fontSize: 11,
          lineHeight: 1.15,
          margin: [0, 6, 0, 6],
        },
        heading('合计'),
        ...totals.map((t) =>
          para(
            `${PERIOD[t.period]}${t.period === 'monthly' ? '（每月）' : ''}由${PAYER[t.payer]}支付：${t.amount} 元（${amountToCapitals(t.amount)}）`,
          ),
        ),
        para(`一次性待遇合计：${onceAll} 元（${amountToCapitals(onceAll)}）。`, { bold: true }),
        para(`核定：${d.preparedBy}\u3000复核：${d.reviewedBy}`),
      ],
      rights: reviewRights(),
    },
    meta,
  );
}

// 待遇核定通知书: every benefit line with its article and formula, totals in figures and in
// Chinese capitals, split by payer (fund / platform); the platform's share under 第十五条第三款
// said in words; a redetermination shows the determination it supersedes, line by line beside the
// new one, and what is payable from its effective date.
import type { Content, DocDefinition } from '../doc-model';
import Decimal from 'decimal.js';
import { chineseDate, cite, heading, noticeDocument, para, type NoticeMeta } from '../layout';
import { reviewRights } from '../rights';
import { amountToCapitals } from '../../money/capitals';
import type { NoticeDataOf } from '../schemas';

const PAYER = { fund: '职业伤害保障基金', platform: '平台企业' } as const;
const PERIOD = { once: '一次性', monthly: '按月' } as const;

type Line = NoticeDataOf<'benefit-determination'>['lines'][number];

function sum(lines: readonly Line[], f: (l: Line) => boolean): string {
  return lines
    .filter(f)
    .reduce((a, l) => a.plus(l.amount), new Decimal(0))
    .toFixed(2);
}

function when(l: Line): string {
  if (l.period !== 'monthly' || (!l.from && !l.until)) return '';
  return `；${l.from ? `自${chineseDate(l.from)}起` : ''}${l.until ? `发至${chineseDate(l.until)}` : ''}`;
}

/** After the opening paragraph names the regulation in full, the articles cite it as 《办法》. */
const SHORT = '《办法》';

function linesTable(lines: readonly Line[], payerName: (p: Line['payer']) => string, regulation: string | null): Content {
  // Each line takes two rows — the figures, then its formula and article across the width — so
  // nothing wraps inside a narrow cell.
  return {
    table: {
      headerRows: 1,
      widths: [150, 65, 40, '*'],
      body: [
        ['项目', '金额（元）', '方式', '支付方'].map((t) => ({ text: t, bold: true })),
        ...lines.flatMap((l) => [
          [
            l.subject ? `${l.label}\n${l.subject}` : l.label,
            { text: l.amount, alignment: 'right' as const },
            PERIOD[l.period],
            payerName(l.payer),
          ],
          [
            {
              text: `计算：${l.formula}；依据：${cite(l.article, regulation && SHORT)}${when(l)}`,
              colSpan: 4,
              fontSize: 10,
              color: '#333',
            },
            '',
            '',
            '',
          ],
        ]),
      ],
    },
    fontSize: 11,
    lineHeight: 1.15,
    margin: [0, 6, 0, 6],
  };
}

/** 支付方式: who pays which share, how, and into which account (the payee's, from the case). */
function paymentContent(d: NoticeDataOf<'benefit-determination'>, payerName: (p: Line['payer']) => string): Content[] {
  const payers = [...new Set(d.lines.map((l) => l.payer))];
  const account = d.payment?.account
    ? `${d.payment.bank ? `${d.payment.bank}，` : ''}账号尾号${d.payment.account.replace(/\s/g, '').slice(-4)}`
    : null;
  const payee = d.payment?.payee ?? d.person.name;
  return [
    heading('支付方式'),
    para(
      `${payers.map((p) => `${p === 'fund' ? '职业伤害保障基金承担的部分由社会保险经办机构' : `${payerName(p)}承担的部分由其`}支付`).join('；')}${d.payment?.method ? `，${d.payment.method}` : ''}。收款人：${payee}${account ? `；收款账户：${account}` : '；收款账户：以经办机构登记的收款人本人银行账户为准'}。`,
    ),
  ];
}

export function benefitDeterminationNotice(d: NoticeDataOf<'benefit-determination'>, meta: NoticeMeta): DocDefinition {
  const payerName = (p: Line['payer']) => (p === 'platform' && d.platformBorne ? `平台企业（${d.platformBorne.legalName}）` : PAYER[p]);
  const totals = (['once', 'monthly'] as const).flatMap((period) =>
    (['fund', 'platform'] as const)
      .map((payer) => ({ period, payer, amount: sum(d.lines, (l) => l.period === period && l.payer === payer) }))
      .filter((t) => t.amount !== '0.00'),
  );
  const onceAll = sum(d.lines, (l) => l.period === 'once');
  const redetermined = d.previous && d.effectiveFrom;
  const content: Content[] = [
    para(
      `根据${d.basis}${d.deathBasis ? `（${d.deathBasis}）` : ''}，按照${d.regulation ? `${d.regulation}（以下简称${SHORT}）` : d.rulePack.name}，计发基数为每月 ${d.base} 元，现将${redetermined ? '重新核定的' : '你的'}职业伤害保障待遇核定如下：`,
    ),
  ];
  if (redetermined) {
    content.push(
      para(
        `本核定自${chineseDate(d.effectiveFrom!)}起取代原核定（${d.previous!.basis}${d.previous!.documentNo ? `，${d.previous!.documentNo}` : ''}），原核定保留备查。`,
      ),
      heading('一、原核定'),
      linesTable(d.previous!.lines, payerName, d.regulation),
      heading('二、重新核定'),
    );
  }
  content.push(linesTable(d.lines, payerName, d.regulation));
  if (redetermined && d.changes.length > 0) {
    content.push(heading('三、新旧对照'), {
      table: {
        headerRows: 1,
        widths: ['*', 60, 60, 60, 110],
        body: [
          ['项目', '原核定', '重新核定', '本次应付', '说明'].map((t) => ({ text: t, bold: true })),
          ...d.changes.map((c) => [
            `${c.label}${c.subject ? `（${c.subject}）` : ''}${c.period === 'monthly' ? '／月' : ''}`,
            { text: c.before ?? '—', alignment: 'right' as const },
            { text: c.after ?? '—', alignment: 'right' as const },
            { text: c.payable, alignment: 'right' as const },
            c.note,
          ]),
        ],
      },
      fontSize: 10,
      lineHeight: 1.15,
      margin: [0, 6, 0, 6],
    });
    if (d.oneTimePayable)
      content.push(para(`本次应补发一次性待遇：${d.oneTimePayable} 元（${amountToCapitals(d.oneTimePayable)}）。`, { bold: true }));
  }
  if (d.platformBorne)
    content.push(
      para(
        `平台企业未在规定时限内提出待遇给付申请，依据${cite(d.platformBorne.article, d.regulation && SHORT)}，自${chineseDate(d.platformBorne.from)}至${chineseDate(d.platformBorne.to)}期间发生的职业伤害保障待遇等费用由平台企业（${d.platformBorne.legalName}）承担，上表中支付方为平台企业的各项由其支付。`,
      ),
    );
  // The totals by payer; a period one payer bears alone is said in the same sentence as its total.
  const oncePayers = totals.filter((t) => t.period === 'once');
  content.push(
    heading('合计'),
    ...totals
      .filter((t) => t.period === 'monthly' || oncePayers.length > 1 || redetermined)
      .map((t) =>
        para(
          `${PERIOD[t.period]}${t.period === 'monthly' ? '（每月）' : ''}由${payerName(t.payer)}支付：${t.amount} 元（${amountToCapitals(t.amount)}）。`,
        ),
      ),
    para(
      redetermined
        ? `重新核定后一次性待遇合计：${onceAll} 元（${amountToCapitals(onceAll)}），其中已按原核定支付的部分不再重复支付。`
        : `一次性待遇合计：${onceAll} 元（${amountToCapitals(onceAll)}）${oncePayers.length === 1 ? `，由${payerName(oncePayers[0]!.payer)}支付` : ''}。`,
      { bold: !redetermined },
    ),
    ...paymentContent(d, payerName),
    para(
      d.reviews.length > 0
        ? `核定：${d.preparedBy}\u3000${d.reviews.map((r) => `${r.label}：${r.name}`).join('\u3000')}`
        : `核定：${d.preparedBy}\u3000复核：${d.reviewedBy}`,
    ),
  );
  return noticeDocument(
    {
      title: redetermined ? '职业伤害保障待遇重新核定通知书' : '职业伤害保障待遇核定通知书',
      addressee: `${d.person.name}（身份证号码 ${d.person.idNumberMasked}）${d.platformBorne ? `、${d.platformBorne.legalName}` : ''}：`,
      content,
      rights: reviewRights(d.regulation && SHORT),
    },
    meta,
  );
}

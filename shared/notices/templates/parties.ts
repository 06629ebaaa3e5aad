// 送达回证 and the 平台企业承担费用告知书: data → document definition.
import type { DocDefinition } from '../doc-model';
import { chineseDate, cite, factsTable, heading, noticeDocument, para, type NoticeMeta } from '../layout';
import { reviewRights } from '../rights';
import { amountToCapitals } from '../../money/capitals';
import { DELIVERY_METHOD_LABELS, type NoticeDataOf } from '../schemas';

const PARTY = { worker: '本人（或其近亲属）', platform: '平台企业' } as const;

export function deliveryReceipt(d: NoticeDataOf<'delivery-receipt'>, meta: NoticeMeta): DocDefinition {
  return noticeDocument(
    {
      title: '送达回证',
      content: [
        factsTable([
          ['送达文书', `${d.document.label}（${d.document.documentNo}，${chineseDate(d.document.issuedOn)}出具）`],
          ['案件', `${d.caseNo ?? d.caseId}（${d.person.name}，${d.person.idNumberMasked}）`],
          ['受送达人', `${d.addressee}（${PARTY[d.party]}）`],
          ['送达方式', DELIVERY_METHOD_LABELS[d.method]],
          ['送达日期', chineseDate(d.deliveredOn)],
          ['签收人', d.receiver],
          ['备注', d.note || '—'],
        ]),
        para(
          d.method === 'public_notice'
            ? '公告送达的，自公告期满之日视为送达；公告载体和期间见备注。'
            : d.method === 'mail'
              ? '邮寄送达的，以受送达人签收之日为送达日期；邮件单号见备注。'
              : d.method === 'electronic'
                ? '电子送达的，以送达信息到达受送达人特定系统之日为送达日期。'
                : '受送达人或代收人请在下方签名并写明日期。',
        ),
        // One line each at 3号 (28 characters): the date's blanks are kept, the name's shortened.
        heading('受送达人签名：\u3000\u3000\u3000\u3000\u3000日期：\u3000\u3000年\u3000\u3000月\u3000\u3000日'),
        heading('送达人签名：\u3000\u3000\u3000\u3000\u3000\u3000日期：\u3000\u3000年\u3000\u3000月\u3000\u3000日'),
      ],
    },
    meta,
  );
}

export function platformStatement(d: NoticeDataOf<'platform-statement'>, meta: NoticeMeta): DocDefinition {
  return noticeDocument(
    {
      title: '平台企业承担职业伤害保障费用告知书',
      addressee: `${d.platform.legalName}${d.platform.creditCode ? `（统一社会信用代码 ${d.platform.creditCode}）` : ''}：`,
      content: [
        para(
          `${d.person.name}（身份证号码 ${d.person.idNumberMasked}）于${chineseDate(d.accidentDate)}发生的职业伤害（受理编号 ${d.caseNo ?? '—'}），你单位（${d.platform.name}）为责任平台企业。依照${d.regulation ? `${d.regulation}（以下简称《办法》）` : '规定'}，下列费用由你单位承担：`,
        ),
        ...(d.borne
          ? [
              para(
                `你单位未在规定时限内提出职业伤害保障待遇给付申请（${d.borne.reason}）。依据${cite(d.borne.article, d.regulation && '《办法》')}，自${chineseDate(d.borne.from)}至${chineseDate(d.borne.to)}期间发生的职业伤害保障待遇等费用由你单位承担。`,
              ),
            ]
          : []),
        {
          table: {
            headerRows: 1,
            widths: ['*', 80],
            body: [
              ['项目', '金额（元）'].map((t) => ({ text: t, bold: true })),
              ...d.items.flatMap((i) => [
                [i.label, { text: i.amount, alignment: 'right' as const }],
                [
                  { text: `${i.detail}；依据：${cite(i.article, d.regulation && '《办法》')}`, colSpan: 2, fontSize: 10, color: '#333' },
                  '',
                ],
              ]),
            ],
          },
          fontSize: 11,
          lineHeight: 1.15,
          margin: [0, 6, 0, 6],
        },
        para(`合计：${d.total} 元（${amountToCapitals(d.total)}）。请按规定向${d.person.name}（或其近亲属）支付。`, { bold: true }),
      ],
      rights: reviewRights(d.regulation && '《办法》'),
    },
    meta,
  );
}

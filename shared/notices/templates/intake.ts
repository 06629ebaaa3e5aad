// 受理通知书, 一次性补正告知书, 职业伤害确认结论书 and 不予确认 notice: data → pdfmake definition.
import type { Content, DocDefinition } from '../doc-model';
import { chineseDate, chineseDateTime, cite, factsTable, heading, noticeDocument, para, type NoticeMeta } from '../layout';
import { reviewRights } from '../rights';
import type { NoticeDataOf } from '../schemas';

type Intake = NoticeDataOf<'acceptance' | 'supplement' | 'confirmation' | 'non-confirmation'>;

function caseFacts(d: Intake): Content {
  const orders = d.accident.orders.map((o) => `${o.platform} ${o.orderNo}（${chineseDateTime(o.acceptedAt)}接单）`).join('；') || '—';
  return factsTable([
    ['姓名', d.person.name],
    ['身份证号码', d.person.idNumberMasked],
    ['申请人', `${d.applicant.kind}：${d.applicant.name}`],
    ['申请日期', chineseDate(d.applicationDate)],
    ['事故时间', chineseDateTime(d.accident.at)],
    ['事故地点', d.accident.place],
    ['执行订单', orders],
    ['责任平台', d.platformParty ? `${d.platformParty.name}（${d.platformParty.legalName}）` : (d.platform ?? '待调查核实')],
    ['伤情', d.accident.injuries.join('；')],
    ['登记号 / 受理编号', `${d.registrationNo}${d.caseNo ? ` / ${d.caseNo}` : ''}`],
  ]);
}

export function acceptanceNotice(d: NoticeDataOf<'acceptance'>, meta: NoticeMeta): DocDefinition {
  return noticeDocument(
    {
      title: '职业伤害保障待遇给付申请受理通知书',
      addressee: `${d.applicant.name}：`,
      content: [
        para(
          `你（单位）于${chineseDate(d.applicationDate)}提交的${d.person.name}职业伤害保障待遇给付申请，经审核，申请材料齐全，符合受理条件，现予受理，受理编号为${d.caseNo ?? '—'}。`,
        ),
        para('我们将依照规定开展职业伤害确认调查核实，请保持联系方式畅通，并配合调查。'),
        caseFacts(d),
      ],
    },
    meta,
  );
}

export function supplementNotice(d: NoticeDataOf<'supplement'>, meta: NoticeMeta): DocDefinition {
  return noticeDocument(
    {
      title: '职业伤害保障待遇给付申请一次性补正告知书',
      addressee: `${d.applicant.name}：`,
      content: [
        para(
          `你（单位）于${chineseDate(d.applicationDate)}提交的${d.person.name}职业伤害保障待遇给付申请，经审核，申请材料不完整。依据${cite(d.article, d.regulation)}，现一次性告知需补正的全部材料如下：`,
        ),
        { ol: d.missing.map((m) => ({ text: m })), margin: [32, 4, 0, 4] },
        // 第十五条第一款 gives the 10 days and nothing about what follows when they pass: the notice
        // states no consequence the measures do not give. The days run from receipt, so the due
        // date is known only once delivery is recorded.
        para('请于收到本告知书之日起十日内提交上述补正材料。'),
        caseFacts(d),
      ],
    },
    meta,
  );
}

function decisionNotice(d: NoticeDataOf<'confirmation' | 'non-confirmation'>, meta: NoticeMeta, confirmed: boolean): DocDefinition {
  return noticeDocument(
    {
      title: confirmed ? '职业伤害确认结论书' : '不予确认职业伤害结论书',
      addressee: `${d.person.name}${d.platformParty ? `、${d.platformParty.legalName}` : ''}：`,
      content: [
        para(
          `${d.applicant.name}于${chineseDate(d.applicationDate)}提出的职业伤害保障待遇给付申请，于${d.acceptedAt ? chineseDate(d.acceptedAt) : '—'}受理（受理编号${d.caseNo ?? '—'}）。经调查核实，现将有关情况和结论告知如下：`,
        ),
        heading('一、基本情况'),
        caseFacts(d),
        heading('二、事故经过'),
        para(`${chineseDateTime(d.accident.at)}，${d.person.name}在${d.accident.place}，${d.accident.description}。`),
        ...(d.investigation ? [heading('三、调查核实情况'), para(d.investigation)] : []),
        heading(d.investigation ? '四、结论' : '三、结论'),
        para(
          `${d.reason ?? ''}。${d.article ? `依据${cite(d.article, d.regulation)}的规定，` : ''}${confirmed ? `确认${d.person.name}受到的事故伤害为职业伤害` : `不予确认${d.person.name}受到的事故伤害为职业伤害`}。`,
        ),
      ],
      rights: reviewRights(d.regulation),
    },
    meta,
  );
}

export const confirmationNotice = (d: NoticeDataOf<'confirmation'>, meta: NoticeMeta) => decisionNotice(d, meta, true);
export const nonConfirmationNotice = (d: NoticeDataOf<'non-confirmation'>, meta: NoticeMeta) => decisionNotice(d, meta, false);

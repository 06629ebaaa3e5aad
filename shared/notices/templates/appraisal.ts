// 劳动能力鉴定结论书 and the session report: data → pdfmake definition.
import type { Content, DocDefinition } from '../doc-model';
import { chineseDate, factsTable, heading, noticeDocument, para, type NoticeMeta } from '../layout';
import { finalConclusionRights, reappraisalRights } from '../rights';
import type { NoticeDataOf } from '../schemas';
import { gradeLabel, nursingLabel } from '../../appraisal/grades';

const TITLES = { initial: '劳动能力鉴定结论书', review: '劳动能力复查鉴定结论书', reappraisal: '劳动能力再次鉴定结论书' } as const;

type Injury = NoticeDataOf<'appraisal-conclusion'>['injuries'][number];

/**
 * The injuries, each with its diagnosis; the examination's findings once after them when every
 * injury carries the same text (the hearing records one 检查所见 for the case), else per injury.
 */
function injuryContent(injuries: readonly Injury[]): Content[] {
  const findings = injuries[0]?.impairment ?? '';
  const shared = injuries.every((i) => i.impairment === findings);
  const row = (i: Injury): [string, string] => [i.site, i.diagnosis === i.site || !i.diagnosis ? '—' : i.diagnosis];
  if (!shared) return [factsTable(injuries.map((i) => [i.site, `${i.diagnosis}；${i.impairment}`]))];
  const sameAsSite = injuries.every((i) => i.diagnosis === i.site || !i.diagnosis);
  return [
    sameAsSite ? para(`${injuries.map((i) => i.site).join('；')}。`) : factsTable(injuries.map(row)),
    ...(findings ? [para(`检查所见：${findings}`)] : []),
  ];
}

export function appraisalConclusionNotice(d: NoticeDataOf<'appraisal-conclusion'>, meta: NoticeMeta): DocDefinition {
  const conclusion = `劳动功能障碍程度：${gradeLabel(d.grade)}；生活自理障碍程度：${nursingLabel(d.nursingLevel)}。`;
  return noticeDocument(
    {
      title: TITLES[d.kind],
      addressee: `${d.person.name}${d.platformParty ? `、${d.platformParty.legalName}` : ''}：`,
      ...(d.concludedOn ? { dated: d.concludedOn } : {}),
      content: [
        heading('一、基本情况'),
        factsTable([
          ['姓名', d.person.name],
          ['性别', d.person.sex ?? '—'],
          ['身份证号码', d.person.idNumberMasked],
          ['平台企业', d.platformParty ? `${d.platformParty.name}（${d.platformParty.legalName}）` : (d.platform ?? '—')],
          ['职业伤害确认文号', d.confirmationNo ?? '—'],
          ['鉴定日期', chineseDate(d.sessionDate)],
        ]),
        heading('二、伤情'),
        ...injuryContent(d.injuries),
        heading('三、鉴定依据'),
        para(
          `依据《劳动能力鉴定 职工工伤与职业病致残等级》（GB/T 16180-2014）：${d.basis.map((b) => `${b.code}（${b.text}，${gradeLabel(b.grade)}）`).join('；') || '未达到致残等级'}。${d.promotion ? d.promotion : ''}`,
        ),
        heading('四、专家组意见'),
        factsTable(d.experts.map((e) => [e.name, `${e.specialty}；${gradeLabel(e.grade)}${e.dissent ? '（不同意见）' : ''}`])),
        heading('五、鉴定结论'),
        para(conclusion, { bold: true }),
        ...(d.advice ? [para(d.advice)] : []),
      ],
      rights: d.kind === 'reappraisal' ? finalConclusionRights() : reappraisalRights(d.provincialCommittee),
    },
    meta,
  );
}

export function sessionReport(d: NoticeDataOf<'session-report'>, meta: NoticeMeta): DocDefinition {
  const heard = d.cases.filter((c) => c.attended);
  const byGrade = new Map<string, number>();
  for (const c of heard) byGrade.set(gradeLabel(c.grade), (byGrade.get(gradeLabel(c.grade)) ?? 0) + 1);
  return noticeDocument(
    {
      title: '劳动能力鉴定专场报告',
      content: [
        para(
          `${d.committee}于${chineseDate(d.date)}在${d.venue}举行劳动能力鉴定专场（${d.sessionNo}），安排案件 ${d.cases.length} 件，到场鉴定 ${heard.length} 件，缺席 ${d.cases.length - heard.length} 件。`,
        ),
        para(`鉴定结论分布：${[...byGrade].map(([g, n]) => `${g} ${n} 件`).join('，') || '无'}。出席专家：${d.experts.join('、')}。`),
        factsTable(
          d.cases.map((c) => [
            c.caseNo,
            `${c.name}；${c.attended ? `${gradeLabel(c.grade)}${c.nursingLevel ? `，${nursingLabel(c.nursingLevel)}` : ''}；用时 ${c.minutes ?? '—'} 分钟` : '缺席'}`,
          ]),
        ),
        ...(d.draws.length > 0
          ? [
              heading('专家抽取记录'),
              para('抽取按种子和候选名单可复现（候选按编号排序，xoshiro128** 洗牌后取前 3 或 5 名）。'),
              factsTable(
                d.draws.map((x) => [
                  x.caseNo,
                  `种子 ${x.seed}；候选：${x.candidates.join('、')}；回避：${x.excluded.join('；') || '无'}；抽中：${x.panel.join('、')}`,
                ]),
              ),
            ]
          : []),
      ],
    },
    meta,
  );
}

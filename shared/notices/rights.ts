// The rights notice each decision carries, and the key facts every notice signs.
import { DELIVERY_METHOD_LABELS, type NoticeData } from './schemas';
import { chineseDate } from './layout';
import { gradeLabel, nursingLabel } from '../appraisal/grades';

/** The 行政复议 / 行政诉讼 notice; the regulation's title comes from the notice's data (its rule pack). */
export function reviewRights(regulation: string | null): string {
  return `如对本决定不服，可自收到本文书之日起六十日内依法申请行政复议，或者六个月内依法向人民法院提起行政诉讼${regulation ? `（${regulation}第三十九条）` : ''}。`;
}

export function reappraisalRights(provincialCommittee: string): string {
  return `如对本鉴定结论不服，可自收到本结论书之日起十五日内向${provincialCommittee}申请再次鉴定，再次鉴定结论为最终结论。`;
}

export function finalConclusionRights(): string {
  return '本结论为再次鉴定结论，是最终结论。伤情发生变化的，可自鉴定结论作出之日起一年后申请劳动能力复查鉴定。';
}

/** A person's name and masked ID, the case, and the conclusion or amounts: what a signature covers. */
export function keyFacts(d: NoticeData): Record<string, string> {
  switch (d.type) {
    case 'acceptance':
      return { case: d.caseNo ?? d.registrationNo, name: d.person.name, id: d.person.idNumberMasked, conclusion: '受理' };
    case 'supplement':
      return {
        case: d.registrationNo,
        name: d.person.name,
        id: d.person.idNumberMasked,
        conclusion: `补正${d.missing.length}项${d.supplementDue ? `，${chineseDate(d.supplementDue)}前` : ''}`,
      };
    case 'confirmation':
    case 'non-confirmation':
      return {
        case: d.caseNo ?? d.registrationNo,
        name: d.person.name,
        id: d.person.idNumberMasked,
        conclusion: `${d.conclusion}（${d.article ?? ''}）`,
      };
    case 'appraisal-conclusion':
      return {
        case: d.caseNo ?? d.caseId,
        name: d.person.name,
        id: d.person.idNumberMasked,
        conclusion: `${gradeLabel(d.grade)}；${nursingLabel(d.nursingLevel)}`,
      };
    case 'benefit-determination':
      return {
        case: d.caseNo ?? d.caseId,
        name: d.person.name,
        id: d.person.idNumberMasked,
        // Words, not field codes: the verification screen and the CLI show these facts as they are.
        conclusion: d.lines.map((l) => `${l.label}${l.subject ? `（${l.subject}）` : ''}${l.amount}元`).join('；'),
      };
    case 'session-report':
      return { case: d.sessionNo, name: d.committee, id: '', conclusion: `${d.cases.length} 件` };
    case 'delivery-receipt':
      return {
        case: d.caseNo ?? d.caseId,
        name: d.person.name,
        id: d.person.idNumberMasked,
        conclusion: `${d.document.documentNo}，${chineseDate(d.deliveredOn)}${DELIVERY_METHOD_LABELS[d.method]}${d.party === 'platform' ? '平台企业' : '本人（或其近亲属）'}（${d.receiver}签收）`,
      };
    case 'platform-statement':
      return {
        case: d.caseNo ?? d.caseId,
        name: d.person.name,
        id: d.person.idNumberMasked,
        conclusion: `${d.platform.legalName}承担${d.total}元`,
      };
  }
}

// One table of grade names and one of 生活自理障碍 levels: the rule engine, the notices and the
// signed key facts all print the same words (they once had four and two copies that differed).
import { describe, expect, it } from 'vitest';
import { GRADES, GRADE_NAMES, gradeLabel, NURSING_LABELS, NURSING_LEVELS, nursingLabel } from '../../shared/appraisal/grades';
import { combineGrades, computeBenefits, entitlementsFor } from '../../shared/rules';
import { keyFacts } from '../../shared/notices/rights';
import { appraisalConclusionNotice } from '../../shared/notices/templates/appraisal';
import type { NoticeDataOf } from '../../shared/notices/schemas';
import { qinghai } from './rules/fixtures';

/** Every text node of a document definition, in order. */
function texts(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(texts);
  if (node && typeof node === 'object') return Object.values(node as Record<string, unknown>).flatMap(texts);
  return [];
}

describe('grade names and 生活自理障碍 levels', () => {
  it('names grades 一级 … 十级 and 未达级, and the three levels in the standard’s words', () => {
    expect(GRADES.map((g) => GRADE_NAMES[g]).join('')).toBe('一级二级三级四级五级六级七级八级九级十级');
    expect(gradeLabel(7)).toBe('七级');
    expect(gradeLabel(null)).toBe('未达级');
    expect(NURSING_LEVELS.map((l) => NURSING_LABELS[l])).toEqual(['完全生活自理障碍', '大部分生活自理障碍', '部分生活自理障碍']);
    expect(nursingLabel(null)).toBe('无生活自理障碍');
  });

  it('is the wording of the grading proposal, the benefit lines and the preview', () => {
    expect(combineGrades([{ grade: 8 }, { grade: 8 }]).explanation).toContain('同为八级');
    expect(combineGrades([{ grade: 8 }, { grade: 8 }]).explanation).toContain('拟定为七级');
    const r = computeBenefits(
      {
        jurisdiction: 'qinghai',
        injuryDate: '2026-08-01',
        city: 'xining',
        // 大部分 goes with grades 1–2 only (GB/T 16180-2014 定级原则).
        outcome: { kind: 'disability', grade: 2, nursingLevel: 'most', conclusionDate: '2026-12-01' },
        figures: { provincialPrivateAnnualWage: '72000' },
      },
      qinghai,
    );
    expect(r.lines.find((l) => l.code === 'nursing_allowance')?.label).toBe(`生活护理费（${NURSING_LABELS.most}）`);
    expect(entitlementsFor(qinghai, 1, 'full').map((e) => e.label)).toContain(`生活护理费（${NURSING_LABELS.full}）`);
  });

  it('is what the 鉴定结论书 prints and what its signature covers', () => {
    const d: NoticeDataOf<'appraisal-conclusion'> = {
      type: 'appraisal-conclusion',
      regulation: null,
      committee: '西宁市劳动能力鉴定委员会',
      caseId: 'c1',
      caseNo: 'SL2026-0001',
      person: { name: '单通', idNumberMasked: '110108********1234' },
      platform: '美团',
      confirmationNo: null,
      sessionDate: '2026-11-24',
      injuries: [{ site: '胸部', diagnosis: '肋骨骨折', impairment: '胸廓畸形' }],
      basis: [{ code: '5.8.2(45)', text: '双侧≥3根肋骨骨折致胸廓畸形', grade: 8 }],
      promotion: null,
      grade: 7,
      nursingLevel: 'partial',
      advice: null,
      experts: [{ name: '李骨科', specialty: '骨科', grade: 7, dissent: false }],
      provincialCommittee: '青海省劳动能力鉴定委员会',
      kind: 'initial',
    };
    const words = texts(
      appraisalConclusionNotice(d, { documentNo: 'x', issuer: 'y', issuedOn: '2026-11-24', signerName: 'z', qrText: 'q' }),
    );
    expect(words.join('')).toContain('劳动功能障碍程度：七级；生活自理障碍程度：部分生活自理障碍。');
    expect(words.join('')).toContain('双侧≥3根肋骨骨折致胸廓畸形，八级');
    expect(keyFacts(d).conclusion).toBe('七级；部分生活自理障碍');
  });
});

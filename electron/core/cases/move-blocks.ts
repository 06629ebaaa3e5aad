// Why a move the state machine allows cannot be made on a particular case by a particular person:
// materials, separation of duties and the appraisal windows. Read by the case file (to show why a
// button is off) and by the transition itself (to refuse), so both say the same thing.
import type { Selectable } from 'kysely';
import type { CaseMaterialsTable, CasesTable } from '../db-schema';
import type { CaseAction } from '../../../shared/cases/lifecycle';

/** Why a move the state machine allows cannot be made on this case by this person, or null. */
export function blockedReason(
  c: CasesTable,
  action: CaseAction,
  userId: string,
  separationOfDuties: boolean,
  materials: Selectable<CaseMaterialsTable>[],
  appraisalBlocks: Partial<Record<CaseAction, string>> = {},
): string | null {
  const windowBlock = appraisalBlocks[action];
  if (windowBlock) return windowBlock;
  const missing = materials.filter((m) => m.required === 1 && m.received === 0);
  if (action === 'request_supplement' && missing.length === 0) return '材料已齐全，可直接受理';
  if (action === 'accept' && missing.length > 0)
    return `尚缺 ${missing.length} 项材料（${missing.map((m) => m.label).join('、')}），请出具一次性补正告知`;
  if (action === 'confirm' || action === 'not_confirm') {
    if (separationOfDuties && (c.registered_by === userId || c.accepted_by === userId))
      return '根据三岗分离设置，受理本案的人员不能作出确认结论，请由其他确认经办办理';
  }
  if (action === 'confirm') {
    const exclusions = JSON.parse(c.exclusions) as string[];
    if (exclusions.length > 0) return '存在第十二条规定的情形，不得确认为职业伤害';
    if (c.also_work_injury_claim === 1) return '同一事故已提出工伤认定申请（第十八条），不得同时确认为职业伤害';
  }
  return null;
}

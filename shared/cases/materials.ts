// The materials checklist a clerk ticks off at the counter. For 小伤快办 the list comes from the
// rule pack (Beijing's five materials of 小伤快赔); other claims need the full list below
// (第十五条 and what the confirmation investigation needs).

export interface MaterialSpec {
  code: string;
  label: string;
  /** Required only when the accident was a traffic accident. */
  trafficOnly?: boolean;
}

export const FULL_MATERIALS: readonly MaterialSpec[] = [
  { code: 'application_form', label: '职业伤害保障待遇给付申请表' },
  { code: 'identity_document', label: '本人有效身份证件' },
  { code: 'order_data', label: '接单数据（接单时间、地点、行程轨迹）' },
  { code: 'accident_statement', label: '事故伤害经过说明' },
  { code: 'medical_records', label: '医疗诊断证明及病历' },
  { code: 'e_invoice', label: '医疗费用票据' },
  { code: 'liability_finding', label: '事故责任认定书', trafficOnly: true },
  { code: 'applicant_authority', label: '近亲属关系证明或工会委托书（非本人、非平台申请时）' },
];

export function checklistFor(opts: {
  fastTrack: boolean;
  fastTrackMaterials: readonly MaterialSpec[];
  trafficAccident: boolean;
  applicantKind: 'platform' | 'worker' | 'relative' | 'union';
}): MaterialSpec[] {
  if (opts.fastTrack) return [...opts.fastTrackMaterials];
  return FULL_MATERIALS.filter((m) => {
    if (m.trafficOnly && !opts.trafficAccident) return false;
    if (m.code === 'applicant_authority') return opts.applicantKind === 'relative' || opts.applicantKind === 'union';
    return true;
  });
}

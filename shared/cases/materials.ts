// The materials checklist a clerk ticks off at the counter, by case type. 小伤快办 needs the
// five materials of Beijing's 小伤快赔 (all five, as the seed lists them); other claims need
// the full list of 第十五条 and the confirmation investigation.

export interface MaterialSpec {
  code: string;
  label: string;
  /** Required only when the accident was a traffic accident. */
  trafficOnly?: boolean;
}

export const FAST_TRACK_MATERIALS: readonly MaterialSpec[] = [
  { code: 'application_form', label: '职业伤害保障待遇给付申请表' },
  { code: 'consent_form', label: '知情同意确认书' },
  { code: 'diagnosis', label: '诊断书（或处方，代替病历）' },
  { code: 'e_invoice', label: '医疗电子收费票据' },
  { code: 'liability_finding', label: '事故责任认定书' },
];

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

export function checklistFor(opts: { fastTrack: boolean; trafficAccident: boolean; applicantKind: 'platform' | 'worker' | 'relative' | 'union' }): MaterialSpec[] {
  const base = opts.fastTrack ? FAST_TRACK_MATERIALS : FULL_MATERIALS;
  return base.filter((m) => {
    if (m.trafficOnly && !opts.trafficAccident) return false;
    if (m.code === 'applicant_authority') return opts.applicantKind === 'relative' || opts.applicantKind === 'union';
    return true;
  });
}

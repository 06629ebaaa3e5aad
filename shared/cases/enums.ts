// The intake domain's codes and their Chinese names: industries, who applies, the 第十二条
// exclusions and the work queues. The contract, the rule engine and the screens read them here.

export const INDUSTRIES = ['ride_hailing', 'instant_delivery', 'freight'] as const;
export type Industry = (typeof INDUSTRIES)[number];
export const INDUSTRY_LABELS: Record<Industry, string> = {
  ride_hailing: '出行',
  instant_delivery: '即时配送',
  freight: '同城货运',
};

/** Who may apply (第十五条): the platform, the worker, a close relative or a union. */
export const APPLICANT_KINDS = ['platform', 'worker', 'relative', 'union'] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];
export const APPLICANT_LABELS: Record<ApplicantKind, string> = {
  platform: '平台企业',
  worker: '本人',
  relative: '近亲属',
  union: '工会组织',
};

/** 第十二条: never confirmed as 职业伤害. */
export const EXCLUSIONS = ['crime', 'intoxication', 'self_harm'] as const;
export type ExclusionCode = (typeof EXCLUSIONS)[number];
export const EXCLUSION_LABELS: Record<ExclusionCode, string> = {
  crime: '故意犯罪',
  intoxication: '醉酒或者吸毒',
  self_harm: '自残或者自杀',
};

/** The work queues of the case list, one per stage. */
export const CASE_QUEUES = ['intake', 'confirmation', 'treatment', 'appraisal', 'benefits'] as const;
export type CaseQueue = (typeof CASE_QUEUES)[number];

/** The parties a decision is delivered to (送达) and whose clocks run from their receipt. */
export const PARTY_CODES = ['worker', 'platform'] as const;
export type PartyCode = (typeof PARTY_CODES)[number];
export const PARTY_LABELS: Record<PartyCode, string> = { worker: '本人（或其近亲属）', platform: '平台企业' };

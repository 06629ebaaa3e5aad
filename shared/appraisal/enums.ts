// The appraisal domain's codes and their Chinese names: GB/T 16180 门类, the kind and level of a
// request, attendance at the table, the 预审 outcome and the benefit determination's review state.
// The contract (shared/api/methods) and the screens both read them from here.

/** The five 门类 of GB/T 16180-2014. */
export const CATEGORIES = ['neuro', 'ortho', 'eye_ent', 'surgery', 'occupational'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_LABELS: Record<Category, string> = {
  neuro: '神经内科、神经外科、精神科门',
  ortho: '骨科、整形外科、烧伤科门',
  eye_ent: '眼科、耳鼻喉科、口腔科门',
  surgery: '普外科、胸外科、泌尿生殖科门',
  occupational: '职业病内科门',
};

/** 初次, 复查 and 再次 鉴定: the kind of a request and of the hearing (专场) that hears it. */
export const APPRAISAL_KINDS = ['initial', 'review', 'reappraisal'] as const;
export type AppraisalKind = (typeof APPRAISAL_KINDS)[number];
export const APPRAISAL_KIND_LABELS: Record<AppraisalKind, string> = {
  initial: '初次鉴定',
  review: '复查鉴定',
  reappraisal: '再次鉴定',
};

/** Which committee hears a request: 再次鉴定 goes to the provincial one. */
export const COMMITTEE_LEVELS = ['municipal', 'provincial'] as const;
export type CommitteeLevel = (typeof COMMITTEE_LEVELS)[number];
export const COMMITTEE_LEVEL_LABELS: Record<CommitteeLevel, string> = { municipal: '市级', provincial: '省级' };

export const ATTENDANCE = ['pending', 'present', 'absent'] as const;
export type Attendance = (typeof ATTENDANCE)[number];
export const ATTENDANCE_LABELS: Record<Attendance, string> = { pending: '未登记', present: '已到场', absent: '缺席' };

export const PRECHECK_RESULTS = ['complete', 'incomplete'] as const;
export type PrecheckResult = (typeof PRECHECK_RESULTS)[number];
export const PRECHECK_RESULT_LABELS: Record<PrecheckResult, string> = { complete: '材料齐全', incomplete: '待补正' };

/** A 待遇核定 goes through a second person's review (双重复核). */
export const DETERMINATION_STATUSES = ['prepared', 'approved', 'returned'] as const;
export type DeterminationStatus = (typeof DETERMINATION_STATUSES)[number];
export const DETERMINATION_STATUS_LABELS: Record<DeterminationStatus, string> = {
  prepared: '待复核',
  approved: '复核通过',
  returned: '已退回',
};

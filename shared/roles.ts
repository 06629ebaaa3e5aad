// The roles of the programme's three-post separation (三岗分离) plus administration and the
// managers who watch the programme's operation (运行监测) and the 疑点筛查.
// Codes are stable identifiers stored in the database; labels are what people see.

export const ROLES = [
  'admin',
  'intake_clerk',
  'confirmation_officer',
  'appraisal_secretary',
  'appraisal_expert',
  'appraisal_leader',
  'benefit_officer',
  'benefit_reviewer',
  'insurance_reviewer',
  'manager',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员',
  intake_clerk: '受理专员',
  confirmation_officer: '确认经办',
  appraisal_secretary: '鉴定秘书',
  appraisal_expert: '鉴定专家',
  appraisal_leader: '鉴定组长',
  benefit_officer: '待遇核定',
  benefit_reviewer: '待遇复核',
  /** The social insurance agency's round of 双重复核 (after the commissioned agency's 待遇复核). */
  insurance_reviewer: '社保复核',
  manager: '业务主管',
};

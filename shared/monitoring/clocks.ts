// Reading the stored clock projection: a clock row keeps its due date and the first day it is
// 临期 (both derived by the core from the same deadline functions the case page uses), so a
// worklist asks the index "near_from ≤ today" instead of computing every case. Here: the
// status and days left of a stored row on a given day, and which stage a clock belongs to.
import type { WorkCalendar } from '../rules/calendar';
import { workingDaysAfter } from './workdays';
import { daysBetween } from '../rules/dates';
import type { DeadlineStatus } from '../rules/deadlines';

export interface StoredClock {
  code: string;
  due: string;
  nearFrom: string;
  unit: string;
}

/** 逾期 after the due date, 临期 from the stored first near day, otherwise 正常. */
export function clockStatus(c: StoredClock, today: string): DeadlineStatus {
  if (today > c.due) return '逾期';
  return today >= c.nearFrom ? '临期' : '正常';
}

/** Days left as the case page shows them: working days for working-day limits, else calendar days. */
export function clockDaysLeft(c: StoredClock, today: string, cal: WorkCalendar): number {
  if (c.unit !== 'working_days') return daysBetween(today, c.due);
  if (c.due >= today) return workingDaysAfter(cal, today, c.due);
  return -workingDaysAfter(cal, c.due, today);
}

/** Each clock's stage of the case flow, for 临期/逾期 by stage. */
export const CLOCK_STAGES: Record<string, string> = {
  supplement: '受理补正',
  confirmation: '职业伤害确认',
  medical_reimbursement: '医疗费报销',
  treatment_period: '治疗期',
  appraisal_materials_notice: '劳动能力鉴定',
  appraisal_conclusion: '劳动能力鉴定',
  appraisal_delivery: '劳动能力鉴定',
  reappraisal_request: '劳动能力鉴定',
};
export const OTHER_STAGE = '其他';

export function clockStage(code: string): string {
  return CLOCK_STAGES[code] ?? OTHER_STAGE;
}

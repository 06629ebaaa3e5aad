// Statutory deadlines for a case (deadlinesFor): each rule in the pack, counted from the case's
// dates on the working-day calendar, with due date, days left and 正常 / 临期 / 逾期. A due date
// beyond the calendar's years is flagged uncertain, never counted as plain weekdays silently.
import type { DEADLINE_ANCHORS, DEADLINE_FLAGS, DeadlineRule } from './rule-pack-schema';
import { addWorkingDays, calendarDayPeriodEnd, nextWorkingDayOnOrAfter, workingDaysBetween, type WorkCalendar } from './calendar';
import { addDays, addMonths, daysBetween, isValidDate, type IsoDate } from './dates';
import { RuleError } from './errors';

export type DeadlineAnchor = (typeof DEADLINE_ANCHORS)[number];
export type DeadlineFlag = (typeof DEADLINE_FLAGS)[number];

export interface CaseDates extends Partial<Record<DeadlineAnchor, IsoDate | null>>, Partial<Record<DeadlineFlag, boolean>> {
  /** Who applied; without it both application limits are shown. */
  applicationBy?: 'platform' | 'worker' | 'relative' | 'union' | null;
}

export const DEADLINE_STATUSES = ['正常', '临期', '逾期'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

export interface Deadline {
  code: string;
  label: string;
  from: IsoDate;
  due: IsoDate;
  amount: number;
  unit: DeadlineRule['unit'];
  /** '30 个工作日', '15 日', '12 个月'. */
  limitText: string;
  /** Calendar days from today to the due date (negative when past). */
  daysLeft: number;
  /** For working-day limits: working days from today to the due date (negative when past). */
  workingDaysLeft: number | null;
  status: DeadlineStatus;
  certain: boolean;
  article: string;
  document?: string;
}

export interface DeadlineOptions {
  rules: readonly DeadlineRule[];
  today: IsoDate;
  /** 临期 when this many days (working days for working-day limits) or fewer are left. */
  nearWithin?: number;
}

export const DEFAULT_NEAR_WITHIN = 3;

const UNIT_TEXT: Record<DeadlineRule['unit'], string> = {
  calendar_days: '日',
  working_days: '个工作日',
  months_span: '个月',
  calendar_months: '个月',
};

export function dueDate(
  rule: Pick<DeadlineRule, 'unit'>,
  from: IsoDate,
  amount: number,
  cal: WorkCalendar,
): { date: IsoDate; certain: boolean } {
  switch (rule.unit) {
    case 'working_days':
      return addWorkingDays(cal, from, amount);
    case 'calendar_days':
      return calendarDayPeriodEnd(cal, from, amount);
    case 'months_span': {
      const date = addDays(addMonths(from, amount), -1);
      return { date, certain: true };
    }
    case 'calendar_months': {
      // 民法典 第二百零一、二百零三条: counted from the next day, ending on the corresponding day; a
      // rest day at the end moves to the next working day.
      const end = nextWorkingDayOnOrAfter(cal, addMonths(from, amount));
      return { date: end.date, certain: end.certain };
    }
  }
}

function signedWorkingDays(cal: WorkCalendar, today: IsoDate, due: IsoDate): { days: number; certain: boolean } {
  if (due >= today) return workingDaysBetween(cal, today, due);
  const back = workingDaysBetween(cal, due, today);
  return { days: -back.days, certain: back.certain };
}

export function deadlinesFor(caseDates: CaseDates, calendar: WorkCalendar, options: DeadlineOptions): Deadline[] {
  const { today } = options;
  const near = options.nearWithin ?? DEFAULT_NEAR_WITHIN;
  if (!isValidDate(today)) throw new RuleError('INVALID_INPUT', `今天的日期“${today}”无效，请按 YYYY-MM-DD 提供。`, 'today');
  if (!Number.isInteger(near) || near < 0)
    throw new RuleError('INVALID_INPUT', `临期提醒天数“${near}”无效，请填写不小于 0 的整数。`, 'nearWithin');
  const out: Deadline[] = [];
  for (const rule of options.rules) {
    const from = caseDates[rule.from];
    if (!from) continue;
    if (!isValidDate(from)) throw new RuleError('INVALID_INPUT', `${rule.label}的起算日期“${from}”无效，请按 YYYY-MM-DD 填写。`, rule.from);
    if (rule.applicant && caseDates.applicationBy) {
      const isPlatform = caseDates.applicationBy === 'platform';
      if ((rule.applicant === 'platform') !== isPlatform) continue;
    }
    const variant = [...rule.variants].reverse().find((v) => caseDates[v.when]);
    const amount = variant?.amount ?? rule.amount;
    const due = dueDate(rule, from, amount, calendar);
    const daysLeft = daysBetween(today, due.date);
    let workingDaysLeft: number | null = null;
    let certain = due.certain;
    if (rule.unit === 'working_days') {
      const w = signedWorkingDays(calendar, today, due.date);
      workingDaysLeft = w.days;
      certain = certain && w.certain;
    }
    const left = workingDaysLeft ?? daysLeft;
    const status: DeadlineStatus = daysLeft < 0 ? '逾期' : left <= near ? '临期' : '正常';
    const d: Deadline = {
      code: rule.code,
      label: variant ? `${rule.label}（${variant.label}）` : rule.label,
      from,
      due: due.date,
      amount,
      unit: rule.unit,
      limitText: `${amount} ${UNIT_TEXT[rule.unit]}`,
      daysLeft,
      workingDaysLeft,
      status,
      certain,
      article: rule.article,
    };
    if (rule.document) d.document = rule.document;
    out.push(d);
  }
  return out;
}

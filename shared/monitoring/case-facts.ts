// The monitoring facts of one case: the few fields every 运行监测 figure is counted from (office,
// application date, status, platform, industry, 小伤快办, injury type, accident scenario, the
// milestone dates and the working days to each). Pure: the desk keeps them in a projection
// updated in the same transaction as the case; a central server can derive the same rows.
import type { WorkCalendar } from '../rules/calendar';
import { workingDaysAfter } from './workdays';
import { classify, type Categories } from './categories';

export interface CaseFactInput {
  office: string;
  applicationDate: string;
  status: string;
  platform: string | null;
  industry: string;
  fastTrack: boolean;
  injuries: readonly string[];
  description: string;
  trafficAccident: boolean;
  /** China dates (YYYY-MM-DD) of the milestones, or null while not reached. */
  acceptedOn: string | null;
  decidedOn: string | null;
  decision: 'confirmed' | 'not_confirmed' | null;
  firstPaidOn: string | null;
  billTotalFen: number;
  handlerId: string | null;
}

export interface CaseFacts {
  office: string;
  application_date: string;
  application_month: string;
  status: string;
  platform: string | null;
  industry: string;
  fast_track: 0 | 1;
  injury_type: string;
  scenario: string;
  traffic: 0 | 1;
  accepted_on: string | null;
  decided_on: string | null;
  decision: string | null;
  paid_on: string | null;
  wd_to_accept: number | null;
  wd_to_decision: number | null;
  wd_to_payment: number | null;
  bill_total_fen: number;
  handler_id: string | null;
}

/**
 * Working days from the application to a milestone, counted as the statutory clocks count them
 * (shared/rules/calendar.ts): the application day itself is not counted, the milestone day is, so
 * a case accepted on the day it was applied for took 0 working days.
 */
export function workingDaysTo(cal: WorkCalendar, from: string, to: string | null): number | null {
  if (!to) return null;
  return workingDaysAfter(cal, from, to);
}

export function caseFacts(input: CaseFactInput, calendar: WorkCalendar, categories: Categories): CaseFacts {
  const injuryText = input.injuries.join('；');
  return {
    office: input.office,
    application_date: input.applicationDate,
    application_month: input.applicationDate.slice(0, 7),
    status: input.status,
    platform: input.platform,
    industry: input.industry,
    fast_track: input.fastTrack ? 1 : 0,
    injury_type: classify(injuryText, categories.injuryTypes),
    scenario: classify(input.description, categories.scenarios),
    traffic: input.trafficAccident ? 1 : 0,
    accepted_on: input.acceptedOn,
    decided_on: input.decidedOn,
    decision: input.decision,
    paid_on: input.firstPaidOn,
    wd_to_accept: workingDaysTo(calendar, input.applicationDate, input.acceptedOn),
    wd_to_decision: workingDaysTo(calendar, input.applicationDate, input.decidedOn),
    wd_to_payment: workingDaysTo(calendar, input.applicationDate, input.firstPaidOn),
    bill_total_fen: input.billTotalFen,
    handler_id: input.handlerId,
  };
}

// 第十五条 time limits for the 待遇给付申请: the platform within 30 days of the accident, the
// worker, a close relative or a union within 90; when the platform missed its 30 days, the
// costs from the accident to the day the application was received fall to the platform.
import type { ApplicantKind } from '../cases/enums';
import type { RulePack } from './rule-pack-schema';
import type { WorkCalendar } from './calendar';
import { calendarDayPeriodEnd } from './calendar';
import { addDays, type IsoDate } from './dates';

export type Applicant = ApplicantKind;

export interface ApplicationTimeliness {
  platformDue: IsoDate;
  othersDue: IsoDate;
  /**
   * Whether this answer can be relied on: the application's own limit, and the platform's limit
   * when the platform-borne range depends on it. False without a calendar, or when the limit that
   * matters ends outside the calendar's years (a limit wholly inside a known year stays certain).
   */
  certain: boolean;
  /** Per limit: the platform's 30 days and the others' 90 days. */
  platformDueCertain: boolean;
  othersDueCertain: boolean;
  /** Whether this application met its own limit (platform: 30 days; others: 90 days). */
  onTime: boolean;
  /** Costs from `from` to `to` (the day the application was received) are borne by the platform. */
  platformBorne: { from: IsoDate; to: IsoDate } | null;
  article: string;
  message: string;
}

function periodEnd(cal: WorkCalendar | undefined, from: IsoDate, days: number): { date: IsoDate; certain: boolean } {
  if (!cal) return { date: addDays(from, days), certain: false };
  return calendarDayPeriodEnd(cal, from, days);
}

export function applicationTimeliness(
  pack: RulePack,
  injuryDate: IsoDate,
  application: { by: Applicant; date: IsoDate },
  calendar?: WorkCalendar,
): ApplicationTimeliness {
  const p = pack.parameters.application;
  const platform = periodEnd(calendar, injuryDate, p.platformDays);
  const others = periodEnd(calendar, injuryDate, p.othersDays);
  const isPlatform = application.by === 'platform';
  const due = isPlatform ? platform.date : others.date;
  const onTime = application.date <= due;
  // A worker who applies while the platform's 30 days still run has not caught the platform out.
  const platformLate = application.date > platform.date;
  const platformBorne = platformLate ? { from: injuryDate, to: application.date } : null;
  const who = isPlatform ? '平台企业' : application.by === 'worker' ? '本人' : application.by === 'relative' ? '近亲属' : '工会组织';
  const limit = isPlatform ? p.platformDays : p.othersDays;
  const parts = [
    onTime
      ? `${who}于 ${application.date} 提出申请，在 ${limit} 日时限（至 ${due}）内。`
      : `${who}于 ${application.date} 提出申请，已超过 ${limit} 日时限（至 ${due}）。`,
  ];
  if (platformBorne)
    parts.push(
      `平台企业未在 ${p.platformDays} 日内（至 ${platform.date}）提出申请，${platformBorne.from} 至 ${platformBorne.to} 期间发生的职业伤害保障待遇等费用由平台企业承担。`,
    );
  // The platform's limit matters to every applicant (it decides the platform-borne costs); the
  // others' limit only to an application not made by the platform.
  const certain = platform.certain && (isPlatform || others.certain);
  return {
    platformDue: platform.date,
    othersDue: others.date,
    certain,
    platformDueCertain: platform.certain,
    othersDueCertain: others.certain,
    onTime,
    platformBorne,
    article: p.article,
    message: parts.join(''),
  };
}

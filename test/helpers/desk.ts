// Scenes for the managers' desk tests: claims that differ in the facts the dashboard counts
// (platform, industry, injury, story, 小伤快办, applicant) and moves through the RPC, so every
// row is what the product writes.
import type { Registration } from '../../shared/api/methods/cases';
import type { ApiInput } from '../../shared/api/contract';
import type { TestCore } from './core';
import { beijingRider, withCheckDigit } from './intake';

let serial = 0;

/** A distinct, valid ID number per call within a test file (the sequence digits count up). */
export function freshId(): string {
  serial++;
  return withCheckDigit(`11010819900315${String(serial).padStart(3, '0')}`);
}

export interface ClaimOptions {
  idNumber?: string;
  name?: string;
  accidentAt?: string;
  applicationDate?: string;
  applicantKind?: Registration['applicant']['kind'];
  platform?: string;
  industry?: Registration['worker']['industry'];
  injury?: string;
  description?: string;
  outpatientOnly?: boolean;
  orderAcceptedAt?: string;
  orderFinishedAt?: string | null;
  orderNo?: string;
  trafficAccident?: boolean;
}

export function claim(o: ClaimOptions = {}): Registration {
  const r = beijingRider({
    idNumber: o.idNumber ?? freshId(),
    ...(o.accidentAt ? { accidentAt: o.accidentAt } : {}),
    ...(o.applicationDate ? { applicationDate: o.applicationDate } : {}),
    ...(o.applicantKind ? { applicantKind: o.applicantKind } : {}),
  });
  const platform = o.platform ?? 'meituan';
  const at = o.accidentAt ?? r.accident.at;
  r.worker.name = o.name ?? r.worker.name;
  r.applicant.name = o.applicantKind === 'platform' ? platform : r.worker.name;
  r.worker.industry = o.industry ?? r.worker.industry;
  r.worker.platforms = [platform];
  r.accident.injuries = [o.injury ?? r.accident.injuries[0]!];
  r.accident.description = o.description ?? r.accident.description;
  r.accident.trafficAccident = o.trafficAccident ?? false;
  r.accident.orders = [
    {
      platform,
      orderNo: o.orderNo ?? `ORD-${serial}-${at.slice(0, 10)}`,
      acceptedAt:
        o.orderAcceptedAt ?? `${at.slice(0, 11)}${String(Math.max(0, Number(at.slice(11, 13)) - 1)).padStart(2, '0')}${at.slice(13)}`,
      finishedAt: o.orderFinishedAt ?? null,
    },
  ];
  if (o.outpatientOnly === false) r.treatment = { ...r.treatment, outpatientOnly: false, hospitalized: true };
  return r;
}

/** Registers a claim and ticks every material as received. */
export async function registered(t: TestCore, clerk: string, o: ClaimOptions = {}): Promise<string> {
  const { caseId } = await t.call('cases.register', claim(o), clerk);
  const c = await t.call('cases.get', { caseId }, clerk);
  await t.call(
    'cases.setMaterials',
    { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
    clerk,
  );
  return caseId;
}

export async function move(
  t: TestCore,
  token: string,
  caseId: string,
  action: ApiInput<'cases.transition'>['action'],
  extra: { reason?: string; article?: string; party?: 'worker' | 'platform' } = {},
): Promise<void> {
  const c = await t.call('cases.get', { caseId }, token);
  await t.call('cases.transition', { caseId, action, expectedVersion: c.version, reason: '', ...extra }, token);
}

export const CONFIRM = { reason: '执行订单期间受伤，事实清楚', article: '第十一条第一款第（一）项' };

// Test data for the intake flow: people who do not exist, with valid ID numbers.
import type { Registration } from '../../shared/api/methods/cases';
import type { TestCore } from './core';
import { signIn } from './core';
import { idNumberCheckChar } from '../../shared/identity/id-number';
import { creditCodeCheckChar } from '../../shared/identity/credit-code';

export function withCheckDigit(first17: string): string {
  return first17 + idNumberCheckChar(first17);
}

export const RIDER_ID = withCheckDigit('11010819950315123');

/** The Beijing rider of the seed (rib fracture, outpatient, 302 yuan), as a 小伤快办 claim. */
export function beijingRider(
  overrides: Partial<{
    idNumber: string;
    accidentAt: string;
    applicationDate: string;
    applicantKind: Registration['applicant']['kind'];
  }> = {},
): Registration {
  return {
    accidentReportId: null,
    worker: {
      name: '单通',
      idNumber: overrides.idNumber ?? RIDER_ID,
      phone: '13800138000',
      industry: 'instant_delivery',
      platforms: ['meituan'],
    },
    accident: {
      at: overrides.accidentAt ?? '2026-11-20T12:30',
      place: '北京市海淀区中关村大街附近',
      description: '送餐途中不慎摔倒，胸部着地',
      injuries: ['第6根肋骨不全骨折'],
      orders: [{ platform: 'meituan', orderNo: 'MT20261120-0001', acceptedAt: '2026-11-20T12:10', finishedAt: null }],
      trafficAccident: false,
      exclusions: [],
      alsoWorkInjuryClaim: false,
      circumstance: { item: 'order' },
    },
    applicant: { kind: overrides.applicantKind ?? 'worker', name: '单通', applicationDate: overrides.applicationDate ?? '2026-11-23' },
    treatment: { outpatientOnly: true, hospitalized: false, factsClear: true, disputed: false },
  };
}

/**
 * The legal entity of the rider's platform (letters to a platform are addressed to it). A made-up
 * entity with a valid credit code: tests do not depend on any real company's registration.
 */
export const MEITUAN_ENTITY = { legalName: '青海测试三快科技有限公司' };

export async function platformEntities(t: TestCore, admin: string): Promise<void> {
  await t.call(
    'platforms.save',
    { code: 'meituan', name: '美团', industry: 'instant_delivery', active: true, ...MEITUAN_ENTITY, creditCode: creditCode() },
    admin,
  );
}

function creditCode(): string {
  const first17 = '91630100MA7TEST01'.replace(/[IOZSV]/g, '0');
  return first17 + creditCodeCheckChar(first17);
}

export async function staff(t: TestCore, admin: string) {
  await platformEntities(t, admin);
  const users = [
    { username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] as const },
    { username: 'officer', displayName: '确认经办乙', roles: ['confirmation_officer'] as const },
    { username: 'both', displayName: '兼岗丙', roles: ['intake_clerk', 'confirmation_officer'] as const },
  ];
  for (const u of users) await t.call('users.create', { ...u, roles: [...u.roles], password: 'Staff-pass-2026' }, admin);
  return {
    clerk: await signIn(t, 'clerk', 'Staff-pass-2026'),
    officer: await signIn(t, 'officer', 'Staff-pass-2026'),
    both: await signIn(t, 'both', 'Staff-pass-2026'),
  };
}

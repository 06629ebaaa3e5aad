// Enrolment with a centre: the device's existing Ed25519 key registered with a one-time code, and
// what the centre answers (device id, the tag it guarantees unique, the office, the centre's
// public key) stored on the device, which from then on pins that key and numbers new cases,
// hearings, requests and documents with that tag (cases/counters.ts deviceTag).
//
// Run inside the `sync.enrol` call's transaction, network exchange included: the centre consumes
// the code as it answers, so the answer must land in the store in the same breath — a reply
// taken and then lost to a failed local write would leave a device the centre knows and this
// store does not (and the code spent). The exchange is bounded by a short timeout.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { ApiError } from '../../../shared/api/errors';
import { chinaInstant, type Clock } from '../clock';
import type { DeviceKey } from '../crypto/device-key';
import { CentreClient, CentreError, normaliseBaseUrl, type FetchLike } from './centre-client';
import { readSyncState, saveEnrolment, schemaVersion, type Enrolment } from './state';

type Db = Kysely<Database>;

export interface EnrolInput {
  url: string;
  code: string;
  deviceName: string;
}

export interface EnrolDeps {
  db: Db;
  clock: Clock;
  key: DeviceKey;
  fetch?: FetchLike;
  appVersion: string;
  timeoutMs?: number;
}

export async function enrolDevice(deps: EnrolDeps, input: EnrolInput): Promise<Enrolment> {
  const { db, clock } = deps;
  const state = await readSyncState(db);
  // A revoked device may not simply enrol again: its outbox numbers its mutations for the old
  // device identity, which the centre would read as a new device's restored backup. Its unsent
  // records go to the centre's administrator as an export instead.
  if (state.revokedAt) throw new ApiError('CONFLICT', '本机已被中心停用，不能重新注册：请导出未同步的记录交给中心管理员处理');
  if (state.enrolment)
    throw new ApiError(
      'CONFLICT',
      `本机已在中心注册（设备标识 ${state.enrolment.deviceTag}，${state.enrolment.officeName}），无需重复注册`,
    );
  let baseUrl: string;
  try {
    baseUrl = normaliseBaseUrl(input.url);
  } catch (e) {
    throw new ApiError('INVALID_INPUT', e instanceof Error ? e.message : '中心地址格式不正确', [
      { path: 'url', message: '中心地址格式不正确' },
    ]);
  }
  const client = new CentreClient({ baseUrl, key: deps.key, fetch: deps.fetch, timeoutMs: deps.timeoutMs ?? 15_000 });
  try {
    const reply = await client.enrol({
      code: input.code,
      deviceName: input.deviceName,
      appVersion: deps.appVersion,
      schemaVersion: await schemaVersion(db),
    });
    const enrolment: Enrolment = {
      centreUrl: client.baseUrl,
      deviceId: reply.deviceId,
      deviceTag: reply.deviceTag,
      officeId: reply.office.id,
      officeName: reply.office.name,
      centreKeyId: reply.centre.keyId,
      centrePublicKey: reply.centre.publicKey,
      enrolledAt: chinaInstant(clock.now()),
    };
    await saveEnrolment(db, enrolment);
    return enrolment;
  } catch (e) {
    if (e instanceof CentreError) {
      const field = e.code === 'ENROL_CODE_INVALID' || e.code === 'INVALID_INPUT' ? 'code' : 'url';
      throw new ApiError(e.code === 'ENROL_CODE_INVALID' ? 'INVALID_INPUT' : 'CONFLICT', `注册未完成：${e.message}`, [
        { path: field, message: e.message },
      ]);
    }
    throw e;
  }
}

// Device enrolment: one-time codes made by an administrator for an office, and their use by a
// device. A code is `XXXX-XXXX-XXXX-XXXX`: the first group finds it, the whole code is kept only
// as a SHA-256; it expires, is single-use and is burnt after MAX_ATTEMPTS wrong secrets. Using a
// code registers the device under the code's office with a device tag unique across the centre.
import { randomInt } from 'node:crypto';
import { CATALOGUE_VERSION } from '../../shared/sync/tables';
import type { EnrolReply, EnrolRequest } from '../../shared/sync/protocol';
import type { Db } from '../db/database';
import { chinaInstant, type Clock } from './clock';
import { ensureCentreKey } from './centre-key';
import { ed25519PublicKey, keyIdOf, newId, sha256Hex } from './crypto';
import { CentralError, invalid, isUniqueViolation } from './errors';
import { ensureOffice } from './offices';
import { issueNonce } from './auth';

/** Crockford's base-32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const MAX_ATTEMPTS = 5;
export const DEFAULT_CODE_HOURS = 24;

function randomGroup(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** The code as typed, with the letters people confuse with digits read as those digits. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
}

const codeHash = (code: string): string => sha256Hex(`oip-enrol-code\n${normaliseCode(code)}`);

export interface EnrolCode {
  code: string;
  expiresAt: string;
  office: string;
}

export async function makeEnrolCode(
  db: Db,
  clock: Clock,
  o: { office?: string | undefined; hours?: number | undefined },
): Promise<EnrolCode> {
  const hours = o.hours ?? DEFAULT_CODE_HOURS;
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) throw invalid('有效期应在 0 到 720 小时之间');
  const office = await ensureOffice(db, clock, o.office);
  const now = clock.now();
  const expires = new Date(now.getTime() + hours * 3600_000);
  for (let attempt = 0; attempt < 50; attempt++) {
    const code = [randomGroup(4), randomGroup(4), randomGroup(4), randomGroup(4)].join('-');
    try {
      await db
        .insertInto('enrol_codes')
        .values({
          id: newId(),
          lookup: code.slice(0, 4),
          secret_hash: codeHash(code),
          office_id: office.id,
          created_at: now.toISOString(),
          expires_at: expires.toISOString(),
        })
        .execute();
      return { code, expiresAt: chinaInstant(expires), office: office.name };
    } catch (e) {
      // Another live code starts with the same group: draw again.
      if (!isUniqueViolation(e)) throw e;
    }
  }
  throw new CentralError('INTERNAL', 500, '无法生成注册码，请重试');
}

const codeRefused = (message: string): CentralError => new CentralError('ENROL_CODE_INVALID', 403, message);

type Outcome = { ok: true; reply: EnrolReply } | { ok: false; error: CentralError };

export async function enrolDevice(db: Db, clock: Clock, req: EnrolRequest): Promise<EnrolReply> {
  if (req.catalogueVersion !== CATALOGUE_VERSION)
    throw new CentralError(
      'PROTOCOL_UNSUPPORTED',
      400,
      `本机的同步目录版本（${req.catalogueVersion}）与中心（${CATALOGUE_VERSION}）不一致，请先升级应用`,
    );
  if (!ed25519PublicKey(req.publicKey)) throw invalid('设备公钥不是有效的 Ed25519 公钥');
  if (keyIdOf(req.publicKey) !== req.keyId) throw invalid('设备密钥编号与公钥不符');
  const centre = await ensureCentreKey(db, clock);
  const code = normaliseCode(req.code);
  const now = clock.now();

  // The wrong-secret count must survive the refusal, so the transaction commits and the
  // refusal is thrown after it.
  const outcome: Outcome = await db
    .transaction()
    .execute(async (trx): Promise<Outcome> => {
      const row = await trx
        .selectFrom('enrol_codes')
        .selectAll()
        .where('lookup', '=', code.slice(0, 4))
        .where('used_at', 'is', null)
        .where('failed_attempts', '<', MAX_ATTEMPTS)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return { ok: false, error: codeRefused('注册码无效、已使用或已作废，请向中心管理员重新申请') };
      if (row.secret_hash !== codeHash(code)) {
        const left = MAX_ATTEMPTS - row.failed_attempts - 1;
        await trx
          .updateTable('enrol_codes')
          .set({ failed_attempts: row.failed_attempts + 1 })
          .where('id', '=', row.id)
          .execute();
        return {
          ok: false,
          error: codeRefused(left > 0 ? `注册码不正确，还可再试 ${left} 次` : '注册码错误次数过多，已作废，请向中心管理员重新申请'),
        };
      }
      if (row.expires_at.getTime() <= now.getTime()) return { ok: false, error: codeRefused('注册码已过期，请向中心管理员重新申请') };
      const live = await trx
        .selectFrom('devices')
        .select('tag')
        .where('public_key', '=', req.publicKey)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (live) return { ok: false, error: invalid(`这台设备已在中心注册（设备标识 ${live.tag}），无需重复注册`) };

      const id = newId();
      const tag = await insertWithUniqueTag(trx, {
        id,
        office_id: row.office_id,
        name: req.deviceName,
        public_key: req.publicKey,
        key_id: req.keyId,
        app_version: req.appVersion,
        schema_version: req.schemaVersion,
        catalogue_version: req.catalogueVersion,
        enrolled_at: now.toISOString(),
      });
      await trx.updateTable('enrol_codes').set({ used_at: now.toISOString(), device_id: id }).where('id', '=', row.id).execute();
      const office = await trx.selectFrom('offices').select(['id', 'name']).where('id', '=', row.office_id).executeTakeFirstOrThrow();
      const nonce = await issueNonce(trx, clock, id);
      return {
        ok: true,
        reply: {
          ok: true,
          deviceId: id,
          deviceTag: tag,
          office,
          centre: { publicKey: centre.publicKey, keyId: centre.keyId },
          nonce: nonce.nonce,
        },
      };
    })
    .catch((e: unknown): Outcome => {
      // The same key enrolling on two nodes at once: the partial unique index decides.
      if (isUniqueViolation(e)) return { ok: false, error: invalid('这台设备已在中心注册，无需重复注册') };
      throw e;
    });
  if (!outcome.ok) throw outcome.error;
  return outcome.reply;
}

interface NewDevice {
  id: string;
  office_id: string;
  name: string;
  public_key: string;
  key_id: string;
  app_version: string;
  schema_version: number;
  catalogue_version: number;
  enrolled_at: string;
}

/**
 * Letters that are not hexadecimal digits. A store that was never enrolled numbers its cases with
 * a random local tag of four hex digits (electron/core/cases/counters.ts); a centre tag starts with
 * one of these, so no centre tag, of any length, can be read as (or collide with) such a tag.
 */
const NOT_HEX = ALPHABET.replace(/[0-9A-F]/g, '');

/** A centre device tag: a non-hex letter, then base-32 characters (16,384 tags of 3, 524,288 of 4). */
export function newDeviceTag(length: 3 | 4): string {
  return NOT_HEX[randomInt(NOT_HEX.length)]! + randomGroup(length - 1);
}

/** Random three-character tags, four once those grow crowded; unique by constraint. */
async function insertWithUniqueTag(trx: Db, device: NewDevice): Promise<string> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const tag = newDeviceTag(attempt < 20 ? 3 : 4);
    const r = await trx
      .insertInto('devices')
      .values({ ...device, tag })
      .onConflict((oc) => oc.column('tag').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (r) return tag;
  }
  throw new CentralError('INTERNAL', 500, '无法分配设备标识，请重试');
}

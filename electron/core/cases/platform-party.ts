// The platform as a party to a case: letters go to its legal entity (法人名称, 统一社会信用代码
// from the platform list), never to its brand. A letter to a platform whose legal name was never
// entered is refused with what to do, rather than addressed to a name that is not a legal person.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { ApiError } from '../../../shared/api/errors';

export interface PlatformParty {
  code: string;
  name: string;
  legalName: string;
  creditCode: string | null;
}

/** The platform's legal entity; refused when its legal name is missing, unless only a preview is wanted. */
export async function platformAddressee(db: Kysely<Database>, code: string | null, preview = false): Promise<PlatformParty | null> {
  if (!code) return null;
  const p = await db.selectFrom('platforms').selectAll().where('code', '=', code).executeTakeFirst();
  if (!p) return null;
  if (!p.legal_name && preview) return null;
  if (!p.legal_name)
    throw new ApiError(
      'RULE_REFUSED',
      `平台企业“${p.name}”的法人名称尚未登记，文书须写明平台企业的法人名称。请管理员在“系统管理 → 平台与事故备案”中补充法人名称和统一社会信用代码后再出具`,
    );
  return { code: p.code, name: p.name, legalName: p.legal_name, creditCode: p.credit_code };
}

// A 鉴定专场 carried to a laptop with no network and back: the secretary exports the session as
// one package file (everything the panel needs that day), the laptop imports it, and after the
// day the laptop's package is imported at the office. Format and merge rules:
// docs/hearing-package.md.
import { z } from 'zod';
import { method } from '../define';
import { idSchema } from '../common';

/** Characters of package text accepted by an import (the web host's body limit is above it). */
export const MAX_PACKAGE_CHARS = 48 * 1024 * 1024;

const tableCount = z.object({
  table: z.string(),
  label: z.string(),
  added: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  keptLocal: z.number(),
});

export const importSummarySchema = z.object({
  hearingId: z.string(),
  hearingNo: z.string(),
  source: z.object({
    deviceTag: z.string(),
    keyId: z.string(),
    /** The signing key is this device's own or one an administrator registered as trusted. */
    trusted: z.boolean(),
    exportedAt: z.string(),
    exportedBy: z.string(),
  }),
  tables: z.array(tableCount),
  users: z.object({ added: z.number(), existing: z.number() }),
  audit: z.object({ added: z.number(), skipped: z.number() }),
  /** False when the store already held everything in the package. */
  changed: z.boolean(),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

const ACCESS = ['appraisal_secretary', 'admin'] as const;

export const hearingPackageMethods = {
  'hearings.exportPackage': method({
    label: '导出专场包',
    access: ACCESS,
    // Reads only, but declared mutating on purpose: taking personal data of a whole session off
    // the machine must leave an audit entry (the dispatcher writes one only for mutating
    // methods), and the read then runs in one transaction, so the package is one consistent
    // snapshot even while others keep working.
    mutates: true,
    input: z.object({ hearingId: idSchema }),
    output: z.object({ fileName: z.string(), content: z.string() }),
  }),
  'hearings.importPackage': method({
    label: '导入专场包',
    access: ACCESS,
    mutates: true,
    input: z.object({
      content: z
        .string({ error: '请选择专场包文件' })
        .min(1, '专场包文件是空的，请重新导出')
        .max(MAX_PACKAGE_CHARS, `专场包超过 ${MAX_PACKAGE_CHARS / 1024 / 1024} MB，无法导入；请确认选择的是专场包文件`),
    }),
    output: importSummarySchema,
  }),
};

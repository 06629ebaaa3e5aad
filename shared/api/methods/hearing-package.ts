// A 鉴定专场 carried to a laptop with no network and back: the secretary exports the hearing as
// one package file (everything the panel needs that day), encrypted for the device that will
// import it; the laptop imports it, and after the day the laptop's package is imported at the
// office. Only packages signed by a trusted device are imported. Format and merge rules:
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
    /** The trusted device that signed it, as registered here (本机 for this device's own); an untrusted signer is refused. */
    signer: z.string(),
    exportedAt: z.string(),
    exportedBy: z.string(),
  }),
  tables: z.array(tableCount),
  users: z.object({ added: z.number(), existing: z.number() }),
  audit: z.object({ added: z.number(), skipped: z.number() }),
  /** False when the store already held everything in the package. */
  changed: z.boolean(),
  /** The import goes to this device's sync outbox (false when the exporting device, enrolled with the same centre, sends it itself). */
  sentToCentre: z.boolean(),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

const ACCESS = ['appraisal_secretary', 'admin'] as const;

export const recipientsSchema = z.object({
  own: z.object({ keyId: z.string(), label: z.string() }),
  /** Registered trusted devices; those registered from an old key line cannot receive a package. */
  devices: z.array(z.object({ keyId: z.string(), label: z.string(), canReceive: z.boolean() })),
});

export const hearingPackageMethods = {
  'hearings.packageRecipients': method({
    label: '查看专场包接收设备',
    access: ACCESS,
    mutates: false,
    input: z.object({}),
    output: recipientsSchema,
  }),
  'hearings.exportPackage': method({
    label: '导出专场包',
    access: ACCESS,
    // Reads only, but declared mutating on purpose: taking personal data of a whole session off
    // the machine must leave an audit entry (the dispatcher writes one only for mutating
    // methods), and the read then runs in one transaction, so the package is one consistent
    // snapshot even while others keep working.
    mutates: true,
    input: z.object({
      hearingId: idSchema,
      /** The trusted device that will import the package (it is encrypted for that device); null: this device. */
      recipientKeyId: z
        .string()
        .regex(/^[0-9a-f]{16}$/, '接收设备的密钥应为 16 位十六进制')
        .nullable()
        .default(null),
    }),
    output: z.object({ fileName: z.string(), content: z.string(), recipient: z.string() }),
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

// Issued documents leaving the store for a person: opened in a viewer, printed, or saved as
// files. The core loads the stored, signed PDF by its id and hands it to the host: the desktop
// opens the system viewer, the print dialog or a chosen folder; the browser host answers with
// one-time downloads. The renderer never holds the PDF to send it back. Audited: each act says
// which documents left, and how.
import { z } from 'zod';
import { method } from '../define';
import { idSchema } from '../common';

/** A save of a whole hearing: its conclusions and benefit notices. */
export const MAX_SAVE_DOCUMENTS = 400;

/** One stored document by its id, the combined file of a finished print job, or a scanned PDF of a case. */
export const documentSourceSchema = z.union(
  [z.strictObject({ documentId: idSchema }), z.strictObject({ printJobId: idSchema }), z.strictObject({ attachmentId: idSchema })],
  { error: '请指明要打开的文书、合并打印任务或 PDF 附件' },
);

export const deliverySchema = z.discriminatedUnion('via', [
  /** The desktop did it (or the person cancelled, or the system failed: `done` false, `message` says). */
  z.object({ via: z.literal('desktop'), done: z.boolean(), message: z.string() }),
  /** The browser fetches each file once from `url` (with its launch key and session) and opens or saves it. */
  z.object({ via: z.literal('download'), files: z.array(z.object({ url: z.string(), fileName: z.string() })) }),
]);
export type Delivery = z.infer<typeof deliverySchema>;

const READERS = 'authenticated' as const;

export const documentMethods = {
  'documents.open': method({
    label: '查看文书',
    access: READERS,
    mutates: false,
    auditedRead: true,
    input: documentSourceSchema,
    output: deliverySchema,
  }),
  'documents.print': method({
    label: '打印文书',
    access: READERS,
    mutates: false,
    auditedRead: true,
    input: documentSourceSchema,
    output: deliverySchema,
  }),
  'documents.save': method({
    label: '保存文书',
    access: READERS,
    mutates: false,
    auditedRead: true,
    input: z.object({
      ids: z.array(idSchema).min(1, '请至少选择一份文书').max(MAX_SAVE_DOCUMENTS, `一次最多保存 ${MAX_SAVE_DOCUMENTS} 份文书，请分批保存`),
    }),
    output: deliverySchema,
  }),
};

// One entry point from notice data to a pdfmake definition, by type.
import type { DocDefinition } from '../doc-model';
import type { NoticeMeta } from '../layout';
import type { NoticeData } from '../schemas';
import { acceptanceNotice, confirmationNotice, nonConfirmationNotice, supplementNotice } from './intake';
import { appraisalConclusionNotice, sessionReport } from './appraisal';
import { benefitDeterminationNotice } from './benefits';
import { deliveryReceipt, platformStatement } from './parties';

export function buildNotice(d: NoticeData, meta: NoticeMeta): DocDefinition {
  switch (d.type) {
    case 'acceptance':
      return acceptanceNotice(d, meta);
    case 'supplement':
      return supplementNotice(d, meta);
    case 'confirmation':
      return confirmationNotice(d, meta);
    case 'non-confirmation':
      return nonConfirmationNotice(d, meta);
    case 'appraisal-conclusion':
      return appraisalConclusionNotice(d, meta);
    case 'benefit-determination':
      return benefitDeterminationNotice(d, meta);
    case 'session-report':
      return sessionReport(d, meta);
    case 'delivery-receipt':
      return deliveryReceipt(d, meta);
    case 'platform-statement':
      return platformStatement(d, meta);
  }
}

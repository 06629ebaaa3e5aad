// The nursing-level choices of the grading sheet and the sign-off, in the order a panel reads
// them (none first, then increasing need); the words come from the shared table.
import { NO_NURSING_LABEL, NURSING_LABELS, type NursingLevel } from '../../../../shared/appraisal/grades';

export const NURSING_OPTIONS: { value: NursingLevel | null; label: string }[] = [
  { value: null, label: NO_NURSING_LABEL },
  { value: 'partial', label: NURSING_LABELS.partial },
  { value: 'most', label: NURSING_LABELS.most },
  { value: 'full', label: NURSING_LABELS.full },
];

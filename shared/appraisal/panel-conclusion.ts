// The panel's proposed conclusion from its experts' opinions: 少数服从多数 — a grade (or 未达级)
// or a nursing level stands when more than half of the experts hold it. Without such a
// majority there is no proposal: the 鉴定组长 decides and records why. Every opinion, dissent
// included, is kept by the caller; this only counts.

export interface ExpertOpinion {
  expertId: string;
  /** The grade this expert arrives at (1–10) after their view on promotion; null = 未达级. */
  grade: number | null;
  nursingLevel: 'full' | 'most' | 'partial' | null;
}

export interface MajorityOf<T> {
  /** The value held by more than half of the panel, or undefined when there is none. */
  value: T | undefined;
  votes: number;
  /** Each distinct value and how many experts hold it, most votes first. */
  tally: { value: T; votes: number }[];
}

export interface PanelProposal {
  grade: MajorityOf<number | null>;
  nursingLevel: MajorityOf<'full' | 'most' | 'partial' | null>;
  /** The experts whose grade differs from the majority (or everyone, when there is none). */
  dissenting: string[];
  unanimous: boolean;
}

function majority<T>(values: T[]): MajorityOf<T> {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const tally = [...counts].map(([value, votes]) => ({ value, votes })).sort((a, b) => b.votes - a.votes);
  const top = tally[0];
  return top && top.votes * 2 > values.length
    ? { value: top.value, votes: top.votes, tally }
    : { value: undefined, votes: top?.votes ?? 0, tally };
}

export function panelProposal(opinions: readonly ExpertOpinion[]): PanelProposal {
  if (opinions.length !== 3 && opinions.length !== 5) throw new Error('专家组应由 3 名或 5 名专家组成，每人须提出意见');
  const grade = majority(opinions.map((o) => o.grade));
  const nursingLevel = majority(opinions.map((o) => o.nursingLevel));
  const dissenting =
    grade.value === undefined ? opinions.map((o) => o.expertId) : opinions.filter((o) => o.grade !== grade.value).map((o) => o.expertId);
  return { grade, nursingLevel, dissenting, unanimous: grade.votes === opinions.length && nursingLevel.votes === opinions.length };
}

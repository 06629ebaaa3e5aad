// Synthetic people and accidents for demos and benchmarks. Everything is made up from a seeded
// generator: realistic in shape (Chinese names, valid ID numbers, the pilot platforms), never
// anyone real.
import type { Registration } from '../../../shared/api/methods/cases';
import { idNumberCheckChar } from '../../../shared/identity/id-number';

/** mulberry32: small, fast, and the same sequence on every machine for a given seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文';
export const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞斌波宁浩凯辉健鑫宇晨欣怡佳琪子豪梓睿轩博文俊峰建国志强海燕春梅晓东小龙';
/** Region prefixes (province+city+county codes) of the pilot areas the seeds mention. */
export const REGIONS = [
  '630102',
  '630103',
  '630104',
  '630105',
  '632123',
  '370202',
  '370203',
  '370212',
  '110105',
  '110108',
  '500151',
  '500113',
];
export const PLACES = [
  '西宁市城东区八一路',
  '西宁市城中区南大街',
  '西宁市城西区五四大街',
  '海东市乐都区碾伯镇',
  '青岛市市南区香港中路',
  '青岛市崂山区海尔路',
  '北京市海淀区中关村大街',
  '重庆市铜梁区巴川街道',
];
export const INJURIES = [
  '左桡骨远端骨折',
  '右踝关节扭伤',
  '第6根肋骨不全骨折',
  '左膝半月板损伤',
  '腰椎压缩性骨折',
  '右手中指骨折',
  '头皮挫裂伤',
  '左锁骨骨折',
  '右胫腓骨骨折',
  '面部擦伤',
];
export const STORIES = [
  '送餐途中避让行人摔倒',
  '驾车接乘客途中被追尾',
  '装卸货物时被车门夹伤',
  '雨天路滑电动车侧翻',
  '上楼送件时踩空摔伤',
  '取餐途中与非机动车相撞',
];
export const PLATFORMS_BY_INDUSTRY: Record<string, string[]> = {
  ride_hailing: ['didi', 'caocao'],
  instant_delivery: ['meituan', 'eleme', 'jd-miaosong', 'shansong', 'sf-tongcheng'],
  freight: ['huolala', 'kuaigou', 'didi-freight', 'manbang'],
};

export function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}

export function syntheticIdNumber(rnd: () => number, usedSeq: Set<string>): string {
  for (;;) {
    const year = 1968 + Math.floor(rnd() * 38);
    const month = 1 + Math.floor(rnd() * 12);
    const day = 1 + Math.floor(rnd() * 28);
    const seq = String(Math.floor(rnd() * 1000)).padStart(3, '0');
    const first17 = `${pick(rnd, REGIONS)}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${seq}`;
    if (usedSeq.has(first17)) continue;
    usedSeq.add(first17);
    return first17 + idNumberCheckChar(first17);
  }
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface SyntheticClaim {
  registration: Registration;
  /** How far along the demo should take it. */
  stage: 'registered' | 'awaiting_supplement' | 'accepted' | 'confirmed' | 'not_confirmed' | 'in_treatment' | 'withdrawn';
  bills: { billDate: string; hospital: string; invoiceNo: string; amount: string; eligible: string; submittedDate: string }[];
}

const STAGES: SyntheticClaim['stage'][] = [
  'registered',
  'awaiting_supplement',
  'accepted',
  'accepted',
  'confirmed',
  'confirmed',
  'confirmed',
  'not_confirmed',
  'in_treatment',
  'withdrawn',
];
export const HOSPITALS = ['青海省人民医院', '西宁市第一人民医院', '青岛市市立医院', '北京大学第三医院', '铜梁区人民医院'];

export function syntheticClaim(rnd: () => number, today: string, index: number, usedIds: Set<string>): SyntheticClaim {
  const industry = pick(rnd, Object.keys(PLATFORMS_BY_INDUSTRY));
  const platform = pick(rnd, PLATFORMS_BY_INDUSTRY[industry]!);
  const accidentDate = addDays(today, -(3 + Math.floor(rnd() * 80)));
  const hour = 8 + Math.floor(rnd() * 13);
  const minute = Math.floor(rnd() * 60);
  const at = `${accidentDate}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  const accepted = `${accidentDate}T${String(hour - 1).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  const byPlatform = rnd() < 0.6;
  const applicationDate = addDays(accidentDate, 1 + Math.floor(rnd() * (byPlatform ? 40 : 60)));
  const outpatient = rnd() < 0.55;
  const name = pick(rnd, [...SURNAMES]) + pick(rnd, [...GIVEN]) + (rnd() < 0.6 ? pick(rnd, [...GIVEN]) : '');
  const stage = STAGES[index % STAGES.length]!;
  const billDate = addDays(accidentDate, Math.floor(rnd() * 3));
  const amount = (50 + Math.floor(rnd() * 3000) + Math.floor(rnd() * 100) / 100).toFixed(2);
  return {
    stage,
    registration: {
      accidentReportId: null,
      worker: {
        name,
        idNumber: syntheticIdNumber(rnd, usedIds),
        phone: `1${pick(rnd, ['3', '5', '7', '8', '9'])}${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`,
        industry: industry as Registration['worker']['industry'],
        platforms: [platform],
      },
      accident: {
        at,
        place: pick(rnd, PLACES),
        description: pick(rnd, STORIES),
        injuries: [pick(rnd, INJURIES)],
        orders: [
          {
            platform,
            orderNo: `${platform.toUpperCase().slice(0, 3)}${accidentDate.replace(/-/g, '')}${String(index).padStart(5, '0')}`,
            acceptedAt: accepted < at ? accepted : at,
            finishedAt: null,
          },
        ],
        trafficAccident: rnd() < 0.4,
        exclusions: stage === 'not_confirmed' ? ['intoxication'] : [],
        circumstance: { item: 'order' },
        alsoWorkInjuryClaim: false,
      },
      applicant: byPlatform
        ? { kind: 'platform', name: platform, applicationDate: applicationDate > today ? today : applicationDate }
        : { kind: 'worker', name, applicationDate: applicationDate > today ? today : applicationDate },
      treatment: { outpatientOnly: outpatient, hospitalized: !outpatient, factsClear: rnd() < 0.8, disputed: rnd() < 0.1 },
    },
    bills: ['accepted', 'confirmed', 'in_treatment'].includes(stage)
      ? [
          {
            billDate,
            hospital: pick(rnd, HOSPITALS),
            invoiceNo: `E${accidentDate.replace(/-/g, '')}${String(index).padStart(6, '0')}`,
            amount,
            eligible: amount,
            submittedDate: addDays(billDate, 1) > today ? today : addDays(billDate, 1),
          },
        ]
      : [],
  };
}

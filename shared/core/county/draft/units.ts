import { pinyin } from 'pinyin-pro';

/**
 * The units a drafted county starts with: the departments and townships its
 * report names, those an engineer lists (--units), and the issuer's office,
 * which submits whatever no sentence and no keyword gives to anyone else.
 */
export interface DraftUnit {
  id: string;
  name: string;
  aliases: string[];
  kind: 'township' | 'department' | 'office';
  groups: string[];
  roles: string[];
  /** Where the draft found it: named in the text, listed with --units, or the issuer's office. */
  origin: 'text' | 'list' | 'issuer' | 'keyword';
}

interface KnownDepartment {
  id: string;
  /** The full official name after the county's, then the short forms people type. */
  names: string[];
  kind: 'department' | 'office';
  roles: string[];
  enforcement?: boolean;
}

/** County departments by their official and short names; national roles where the name makes them obvious. */
const DEPARTMENTS: readonly KnownDepartment[] = [
  { id: 'justice_bureau', names: ['司法局'], kind: 'department', roles: ['justice_bureau', 'rule_of_law_office', 'reconsideration_office', 'litigation_office', 'mediation_office', 'enforcement_supervisor'], enforcement: true },
  { id: 'approval_bureau', names: ['行政审批服务局', '行政审批局', '审批局'], kind: 'office', roles: ['approval_bureau'] },
  { id: 'government_service_center', names: ['政务服务中心', '政务中心'], kind: 'office', roles: ['approval_bureau'] },
  { id: 'government_service_bureau', names: ['政务服务管理局', '政务服务和大数据管理局', '政务服务数据管理局', '政务服务局', '数据局'], kind: 'office', roles: ['approval_bureau'] },
  { id: 'public_security', names: ['公安局'], kind: 'department', roles: [], enforcement: true },
  { id: 'finance_bureau', names: ['财政局'], kind: 'department', roles: [], enforcement: true },
  { id: 'human_resources', names: ['人力资源和社会保障局', '人力资源社会保障局', '人社局'], kind: 'department', roles: [], enforcement: true },
  { id: 'natural_resources', names: ['自然资源和规划局', '自然资源局', '自然资源规划局'], kind: 'department', roles: [], enforcement: true },
  { id: 'ecology_environment', names: ['生态环境分局', '生态环境局'], kind: 'department', roles: [], enforcement: true },
  { id: 'housing_construction', names: ['住房和城乡建设局', '住建局'], kind: 'department', roles: [], enforcement: true },
  { id: 'transport_bureau', names: ['交通运输局', '交通局'], kind: 'department', roles: [], enforcement: true },
  { id: 'agriculture_rural', names: ['农业农村局', '农业农村和水利局', '农业局'], kind: 'department', roles: [], enforcement: true },
  { id: 'water_resources', names: ['水利局', '水务局'], kind: 'department', roles: [], enforcement: true },
  { id: 'commerce_bureau', names: ['商务局', '工业和信息化局', '工信局', '经济和信息化局', '经信局'], kind: 'department', roles: [], enforcement: true },
  { id: 'culture_tourism', names: ['文化和旅游局', '文化广电和旅游局', '文化广电体育和旅游局', '文化旅游体育局', '文旅局'], kind: 'department', roles: [], enforcement: true },
  { id: 'health_commission', names: ['卫生健康局', '卫生健康委员会', '卫健局', '卫健委'], kind: 'department', roles: [], enforcement: true },
  { id: 'emergency_management', names: ['应急管理局', '应急局'], kind: 'department', roles: [], enforcement: true },
  { id: 'market_regulation', names: ['市场监督管理局', '市场监管局'], kind: 'department', roles: ['market_regulator'], enforcement: true },
  { id: 'education_bureau', names: ['教育局', '教育体育局', '教育和体育局', '教体局'], kind: 'department', roles: ['education_bureau'], enforcement: true },
  { id: 'civil_affairs', names: ['民政局'], kind: 'department', roles: [], enforcement: true },
  { id: 'veterans_affairs', names: ['退役军人事务局'], kind: 'department', roles: [] },
  { id: 'development_reform', names: ['发展和改革局', '发展改革局', '发改局'], kind: 'department', roles: [], enforcement: true },
  { id: 'statistics_bureau', names: ['统计局'], kind: 'department', roles: [], enforcement: true },
  { id: 'audit_bureau', names: ['审计局'], kind: 'department', roles: [] },
  { id: 'medical_security', names: ['医疗保障局', '医保局'], kind: 'department', roles: [], enforcement: true },
  { id: 'forestry_bureau', names: ['林业局', '林业和草原局', '林草局'], kind: 'department', roles: [], enforcement: true },
  { id: 'urban_management', names: ['城市管理综合行政执法局', '综合行政执法局', '城市管理局', '城管局', '综合执法局'], kind: 'department', roles: [], enforcement: true },
  { id: 'petition_bureau', names: ['信访局'], kind: 'office', roles: [] },
  { id: 'tax_bureau', names: ['税务局'], kind: 'department', roles: [], enforcement: true },
  { id: 'court', names: ['人民法院', '法院'], kind: 'office', roles: [] },
  { id: 'procuratorate', names: ['人民检察院', '检察院'], kind: 'office', roles: [] },
];

/** Units outside the government, which it cannot oblige to submit. */
export const OUTSIDE_GOVERNMENT = new Set(['court', 'procuratorate']);

/**
 * Who most likely knows a figure no sentence attributes, by the words around
 * it. First match wins; a figure matching none goes to the issuer's office.
 * Every choice is listed in DRAFT-REVIEW.md.
 */
export const SUBMITTER_KEYWORDS: ReadonlyArray<{ words: readonly string[]; unit: string }> = [
  { words: ['行政复议', '复议', '行政应诉', '行政诉讼', '应诉', '出庭', '调解', '人民调解', '普法', '法治宣传', '法律援助', '公证', '公共法律服务', '法律顾问', '合法性审查', '合法性审核', '规范性文件', '备案审查', '执法监督', '案卷评查', '执法证', '执法人员', '依法治县', '法治督察', '述法', '社区矫正', '安置帮教'], unit: 'justice_bureau' },
  { words: ['政务服务', '一网通办', '网上可办', '网办', '一窗', '审批', '即办', '一件事', '营商环境', '好差评', '帮办代办', '证明事项', '告知承诺'], unit: 'approval_bureau' },
  { words: ['信访'], unit: 'petition_bureau' },
  { words: ['双随机', '市场主体', '经营异常', '食品', '药品', '市场监管'], unit: 'market_regulation' },
  { words: ['学校', '校园', '师生', '中小学'], unit: 'education_bureau' },
];

/** Names of the known departments, longest first, to find them in a sentence. */
const DEPARTMENT_NAMES = DEPARTMENTS.flatMap((d) => d.names.map((name) => ({ name, dept: d }))).sort((a, b) => b.name.length - a.name.length);

/** Chinese names as ids: 北洼乡 → bei_wa_township. */
export function pinyinId(name: string): string {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'removed', v: true }) as string[];
  const id = syllables.map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, '')).filter(Boolean).join('_');
  return /^[a-z]/.test(id) ? id : `u_${id}`;
}

/** Joined pinyin, as a township id's stem: 北洼 → beiwa. */
const pinyinStem = (name: string) => pinyinId(name).replace(/_/g, '');

const NOT_A_TOWNSHIP_STEM = /^(?:城|村|全|各|该|本|我|乡|镇|集|小|重|市|县|街|城乡|特色|中心|示范|民族|重点|美丽|文明|平安|法治|和谐|生态|旅游|所在|边境|建制|撤并)/;

export interface NamedUnit {
  unit: DraftUnit;
  /** Where in the text it was named. */
  at: number;
  length: number;
}

export class UnitFinder {
  readonly units = new Map<string, DraftUnit>();

  constructor(private readonly countyName: string, private readonly issuer: string) {
    const office = `${issuer}办公室`;
    this.units.set('government_office', {
      id: 'government_office',
      name: office,
      aliases: uniq([office.replace(countyName, '县'), '县政府办公室', '县政府办', '政府办']),
      kind: 'office',
      groups: ['all'],
      roles: ['general_office', 'disclosure_office'],
      origin: 'issuer',
    });
  }

  /** Units named in a stretch of text, in order of appearance (each added to the county). */
  find(text: string): NamedUnit[] {
    const named: NamedUnit[] = [];
    const taken: boolean[] = [];
    for (const { name, dept } of DEPARTMENT_NAMES) {
      let from = 0;
      for (;;) {
        const at = text.indexOf(name, from);
        if (at < 0) break;
        from = at + name.length;
        if (taken.slice(at, at + name.length).some(Boolean)) continue;
        for (let i = at; i < at + name.length; i++) taken[i] = true;
        named.push({ unit: this.department(dept, 'text', name), at, length: name.length });
      }
    }
    for (const match of text.matchAll(/[镇乡](?![村镇长级域区政里街干府党])/g)) {
      const end = match.index;
      // The name is the 2–4 characters before 镇/乡 that follow a break or the county ("、北谭庄乡"); "城乡", "各乡镇", "美丽乡村" are words.
      for (const length of [2, 3, 4]) {
        const at = end - length;
        if (at < 0) break;
        const stem = text.slice(at, end);
        const before = text.slice(Math.max(0, at - 1), at);
        if (before && !/[，、。；：:,（(“”\s县在对和与及向由]/.test(before)) continue;
        if (!/^[\u4e00-\u9fa5]+$/.test(stem) || NOT_A_TOWNSHIP_STEM.test(stem) || /[乡镇村县市区了各的和等全与及在对是有个将把为共]/.test(stem)) continue;
        named.push({ unit: this.township(stem + match[0]), at, length: length + 1 });
        break;
      }
    }
    return named.sort((a, b) => a.at - b.at);
  }

  /** A unit from a line of --units: a known department, a township, or a department by its pinyin. */
  listed(line: string): DraftUnit {
    const name = line.trim().replace(new RegExp(`^${escapeRegExp(this.countyName)}`), '').replace(/^县/, '');
    const dept = DEPARTMENT_NAMES.find((d) => d.name === name)?.dept;
    if (dept) return this.department(dept, 'list', name);
    if (/[镇乡]$/.test(name) && name.length <= 6) return this.township(name, 'list');
    const id = pinyinId(name);
    const existing = this.units.get(id);
    if (existing) return existing;
    const unit: DraftUnit = {
      id,
      name: `${this.countyName}${name}`,
      aliases: uniq([`县${name}`, name]),
      kind: /办公室|中心/.test(name) ? 'office' : 'department',
      groups: ['all'],
      roles: [],
      origin: 'list',
    };
    this.units.set(id, unit);
    return unit;
  }

  /** A department the keyword table names, added to the county if the text never named it. */
  byId(id: string): DraftUnit {
    const known = this.units.get(id);
    if (known) return known;
    const dept = DEPARTMENTS.find((d) => d.id === id);
    if (!dept) throw new Error(`no unit ${id}`);
    return this.department(dept, 'keyword');
  }

  /** A known department, named as the text first prints it (林业和草原局 rather than the list's first form). */
  private department(dept: KnownDepartment, origin: DraftUnit['origin'] = 'text', printed?: string): DraftUnit {
    const existing = this.units.get(dept.id);
    if (existing) return existing;
    // The printed name when it is a full one (not a short form like 林草局), else the list's first.
    const official = printed && printed.length >= dept.names[0]!.length ? printed : dept.names[0]!;
    const short = dept.names.filter((n) => n !== official);
    const unit: DraftUnit = {
      id: dept.id,
      name: `${this.countyName}${official}`,
      aliases: uniq([`县${official}`, official!, ...short.flatMap((s) => [`县${s}`, s])]),
      kind: dept.kind,
      groups: dept.enforcement ? ['enforcement_departments', 'all'] : ['all'],
      roles: dept.roles,
      origin,
    };
    this.units.set(dept.id, unit);
    return unit;
  }

  private township(name: string, origin: DraftUnit['origin'] = 'text'): DraftUnit {
    const suffix = name.endsWith('镇') ? 'town' : 'township';
    const id = `${pinyinStem(name.slice(0, -1))}_${suffix}`;
    const existing = this.units.get(id);
    if (existing) return existing;
    const unit: DraftUnit = {
      id,
      name: `${this.countyName}${name}人民政府`,
      aliases: uniq([`${name}人民政府`, name, `${name}政府`]),
      kind: 'township',
      groups: ['townships', 'all'],
      roles: [],
      origin,
    };
    this.units.set(id, unit);
    return unit;
  }
}

const uniq = (items: string[]) => [...new Set(items.filter(Boolean))];
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

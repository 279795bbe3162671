import { api, ApiError, downloadFile, figuresTable, h, notice, replace, STATE_CLASS, table } from './common';
import { beginSignIn, currentSignIn, forgetSession, signOut } from './sign-in';

/**
 * The county office's dashboard. Sign-in is the authorization code flow with
 * PKCE at the county's provider (sign-in.ts); the ID token lives in
 * sessionStorage. When the session runs out, every action shows one Chinese
 * message with a button to sign in again.
 */
interface UnitRow {
  unitId: string;
  unitName: string;
  optional: boolean;
  state: string;
  stateLabel: string;
  /** An accepted submission is current (and feeds the report). */
  submitted: boolean;
  late: boolean;
  exception: boolean;
  lastUpload?: string;
  rows?: number;
  problems?: number;
  review?: { decision: string; comment?: string; by: string; at: string };
}
interface Status {
  county: string;
  year: number;
  openYear: number;
  deadline: string;
  lock?: { at: string; by: string; reason?: string };
  units: UnitRow[];
  me: { name: string; role: 'office' | 'viewer'; account: string };
}
interface Detail {
  unit: { id: string; name: string };
  stateLabel: string;
  exception: boolean;
  current?: { fileName: string; receivedAt: string; rows: number };
  replacement?: { replaced: string; added: string[]; changed: string[]; dropped: string[] };
  submission?: { figures: { name: string; value: string; unit: string; where: string }[]; ledgers: { name: string; rows: number }[]; narratives: number };
  files: { fileName: string; at: string; outcome: string }[];
  audit: { at: string; action: string; by: string; detail: string }[];
  review?: { decision: string; comment?: string; by: string; at: string };
}
interface Link {
  tokenId: string;
  unitName: string;
  createdAt: string;
  createdBy: string;
  validUntil: string;
  state: string;
}

const main = document.getElementById('main')!;
// The page itself says it is loading: the HTML holds only the <noscript> message, for a browser with scripts off.
replace(main, h('p', {}, '正在加载 …'));
let idToken: string | null = null;
let year: number | undefined;
let filter = '';
let status: Status;

/** The sign-in page of this dashboard: a message and one button that starts the provider's sign-in. */
function signInView(kind: 'info' | 'error', message: string, button = '登录'): void {
  const go = h('button', { type: 'button', id: 'sign-in', onclick: () => void beginSignIn().catch((err: Error) => replace(main, h('h1', {}, '报告汇总'), notice('error', err.message))) }, button);
  replace(main, h('h1', {}, '报告汇总'), h('p', { class: 'hint' }, '法治政府建设情况年度报送：各单位报送情况、审核、锁定和生成报告（县司法局工作人员使用）'), notice(kind, message), h('div', { class: 'actions' }, go));
  go.focus();
}

/** Thrown after the expired-session view is shown, so callers stop without drawing over it. */
class SessionExpired extends Error {}

function sessionExpired(): never {
  forgetSession();
  idToken = null;
  signInView('error', '登录已过期（为安全起见，登录一段时间后需要重新登录）。请重新登录后继续，未保存的输入需要重新填写。', '重新登录');
  throw new SessionExpired('登录已过期');
}

/** The office API with this session's token; a 401 means the session is over. */
async function call<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  if (!idToken) sessionExpired();
  try {
    return await api<T>(idToken, path, init);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) sessionExpired();
    throw err;
  }
}

async function download(path: string): Promise<void> {
  if (!idToken) sessionExpired();
  try {
    await downloadFile(idToken, path);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) sessionExpired();
    throw err;
  }
}

async function start(): Promise<void> {
  const state = await currentSignIn();
  if ('failed' in state) return signInView('error', state.failed, '重新登录');
  if ('signedOut' in state) return signInView('info', '已退出登录。', '重新登录');
  if ('none' in state) return signInView('info', '请先登录。');
  idToken = state.token;
  await refresh();
}

async function refresh(message?: HTMLElement): Promise<void> {
  try {
    status = await call<Status>(`/api/office/status${year ? `?year=${year}` : ''}`);
    year = status.year;
    render(message);
  } catch (err) {
    if (err instanceof SessionExpired) return;
    replace(main, notice('error', (err as Error).message));
  }
}

const canAct = () => status.me.role === 'office';

/** Runs an office action, then redraws with its result (or its refusal) on top; `ask` first asks the office to confirm. */
async function act(label: string, work: () => Promise<unknown>, ask?: string): Promise<void> {
  if (ask && !window.confirm(ask)) return;
  try {
    await work();
    await refresh(notice('ok', `${label}：已完成`));
  } catch (err) {
    if (err instanceof SessionExpired) return;
    await refresh(notice('error', `${label}：${(err as Error).message}`));
  }
}

/** The lock with the reason the units will read in their refusal, asked to confirm. */
function lockControls(year: number): HTMLElement[] {
  const reason = h('input', { id: 'lock-reason', type: 'text', maxlength: '200', placeholder: '例如：已开始起草年度报告' });
  const body = () => ({ year, ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) });
  return [
    h('label', { for: 'lock-reason' }, '锁定原因（可不填，各单位上传时会看到）'),
    reason,
    h('button', { type: 'button', id: 'lock', onclick: () => void act('锁定年度', () => call('/api/office/lock', { method: 'POST', body: body() }), `确定锁定${year}年度吗？锁定后各单位不能再上传，除非为某个单位开通例外。`) }, `锁定${year}年度`),
  ];
}

/**
 * A unit's detail opens over the table, where the office clicked, not below
 * dozens of rows; Esc or 关闭 returns to the table. Redraws after an action
 * rebuild it closed, and the action reopens it.
 */
function detailDialog(): HTMLDialogElement {
  return h('dialog', { id: 'detail', 'aria-labelledby': 'detail-h' });
}

/** Reopens a unit's detail after an action, with the action's result on top of it. */
async function actOnUnit(unitId: string, label: string, work: () => Promise<unknown>, ask?: string): Promise<void> {
  if (ask && !window.confirm(ask)) return;
  await act(label, work);
  const result = main.querySelector(':scope > .notice');
  await showUnit(unitId, result ? (result.cloneNode(true) as HTMLElement) : undefined);
}

function render(message?: HTMLElement): void {
  const s = status;
  document.title = `${s.county} ${s.year}年度报送情况`;
  const shown = s.units.filter((u) => !filter || (filter === 'late' ? u.late : u.state === filter));
  const submitted = s.units.filter((u) => !u.optional && u.submitted).length;
  const expected = s.units.filter((u) => !u.optional).length;
  replace(
    main,
    h('header', { class: 'office' }, h('h1', {}, `${s.county} ${s.year}年度报送情况`), h(
        'p',
        { class: 'who' },
        `已登录：${s.me.name}（账号${s.me.account}，${s.me.role === 'office' ? '可操作' : '只读'}）`,
        ' ',
        h('button', { type: 'button', id: 'sign-out', class: 'link', onclick: () => void signOut(idToken) }, '退出登录'),
      )),
    message ?? null,
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, '截止日期'),
      h('dd', {}, s.deadline),
      h('dt', {}, '已报送'),
      h('dd', {}, `${submitted}/${expected} 个应报单位`),
      h('dt', {}, '锁定'),
      h('dd', { id: 'lock-state' }, s.lock ? `已锁定（${s.lock.at}，${s.lock.by}${s.lock.reason ? `，${s.lock.reason}` : ''}）` : '未锁定'),
    ),
    canAct()
      ? h(
          'div',
          { class: 'actions' },
          s.lock ? h('button', { type: 'button', id: 'unlock', onclick: () => void act('解除锁定', () => call('/api/office/unlock', { method: 'POST', body: { year: s.year } }), `确定解除${s.year}年度的锁定吗？解除后各单位可以重新上传。`) }, '解除锁定') : lockControls(s.year),
        )
      : null,
    h(
      'section',
      { 'aria-labelledby': 'units-h' },
      h('h2', { id: 'units-h' }, '各单位报送情况'),
      h(
        'label',
        { for: 'filter' },
        '筛选：',
        h(
          'select',
          {
            id: 'filter',
            onchange: (e) => {
              filter = (e.target as HTMLSelectElement).value;
              render();
            },
          },
          [
            ['', '全部'],
            ['missing', '未报送'],
            ['accepted', '已接收'],
            ['rejected', '有错误'],
            ['returned', '已退回'],
            ['late', '逾期'],
          ].map(([value, text]) => h('option', { value: value!, selected: value === filter }, text!)),
        ),
      ),
      // Scrolls sideways on a phone rather than wrapping a unit's name one character a line.
      h('div', { class: 'scroll' }, table(
        ['单位（点击查看详情）', '状态', '最后上传', '行数', '逾期', '审核', '例外'],
        shown.map((u) => [
          // The name opens the detail: on a phone the first column is in view, a last one only after scrolling sideways.
          h('button', { type: 'button', class: 'link', 'data-unit': u.unitId, 'aria-label': `查看${u.unitName}`, onclick: () => void showUnit(u.unitId) }, u.unitName),
          h('span', { class: `badge ${STATE_CLASS[u.state] ?? ''}` }, u.stateLabel, u.problems ? `（${u.problems}处）` : ''),
          u.lastUpload ?? '—',
          u.rows ?? '—',
          u.late ? '逾期' : '',
          u.review ? (u.review.decision === 'pass' ? '通过' : '退回修改') : '',
          u.exception ? '已开通' : '',
        ]),
      )),
    ),
    detailDialog(),
    reportSection(),
    linksSection(),
  );
}

async function showUnit(unitId: string, message?: HTMLElement): Promise<void> {
  const target = document.getElementById('detail') as HTMLDialogElement;
  const close = h('button', { type: 'button', id: 'detail-close', class: 'close', onclick: () => target.close() }, '关闭');
  try {
    const d = await call<Detail>(`/api/office/units/${encodeURIComponent(unitId)}?year=${year}`);
    const comment = h('textarea', { id: 'review-comment', rows: '3' });
    replace(
      target,
      close,
      h('h2', { id: 'detail-h' }, `${d.unit.name}：${d.stateLabel}`),
      message ?? null,
      d.current ? h('p', {}, `当前报送：${d.current.fileName}，${d.current.receivedAt}收到，${d.current.rows} 行`) : h('p', {}, '尚无已接收的报送。'),
      d.replacement?.dropped.length
        ? notice('error', h('span', { id: 'replacement-dropped' }, `当前报送替换了此前的“${d.replacement.replaced}”，不再包含${d.replacement.dropped.length}项（已不计入报告）：${d.replacement.dropped.join('、')}`))
        : null,
      d.review ? h('p', {}, `审核：${d.review.decision === 'pass' ? '通过' : '退回修改'}${d.review.comment ? `（${d.review.comment}）` : ''}，${d.review.by}，${d.review.at}`) : null,
      canAct() && d.current
        ? h(
            'div',
            { class: 'review' },
            h('label', { for: 'review-comment' }, '审核意见（退回修改时必填）'),
            comment,
            h('button', { type: 'button', id: 'review-pass', onclick: () => void review(d.unit.id, 'pass', comment.value) }, '通过'),
            h('button', { type: 'button', id: 'review-return', class: 'danger', onclick: () => void review(d.unit.id, 'return', comment.value, `确定把${d.unit.name}的报送退回修改吗？该单位会看到您的审核意见，需要重新上传。`) }, '退回修改'),
          )
        : null,
      canAct() && status.lock
        ? d.exception
          ? h('button', { type: 'button', id: 'exception-revoke', onclick: () => void actOnUnit(d.unit.id, '撤销例外', () => call(`/api/office/units/${d.unit.id}/exception?year=${year}`, { method: 'DELETE' })) }, '撤销例外')
          : h('button', { type: 'button', id: 'exception-grant', onclick: () => void actOnUnit(d.unit.id, '开通例外', () => call(`/api/office/units/${d.unit.id}/exception`, { method: 'POST', body: { year } })) }, '允许该单位锁定后补报')
        : null,
      d.submission ? figuresTable(d.submission.figures, '指标') : null,
      d.submission?.ledgers.length ? table(['台账', '行数'], d.submission.ledgers.map((l) => [l.name, l.rows]), '台账') : null,
      table(['文件', '时间', '结果'], d.files.map((f) => [f.fileName, f.at, f.outcome]), '上传文件'),
      table(['时间', '操作', '操作人', '说明'], d.audit.map((a) => [a.at, a.action, a.by, a.detail]), '操作记录'),
    );
  } catch (err) {
    replace(target, close, notice('error', (err as Error).message));
  }
  if (!target.open) target.showModal();
}

async function review(unitId: string, decision: 'pass' | 'return', comment: string, ask?: string): Promise<void> {
  await actOnUnit(
    unitId,
    decision === 'pass' ? '审核通过' : '退回修改',
    () => call(`/api/office/units/${unitId}/review`, { method: 'POST', body: { year, decision, ...(comment.trim() ? { comment: comment.trim() } : {}) } }),
    ask,
  );
}

function reportSection(): HTMLElement {
  const result = h('div', { id: 'report-result', 'aria-live': 'polite' });
  const files: [file: string, label: string][] = [
    ['report.docx', '下载报告（Word）'],
    ['report.html', '下载报告（网页）'],
    ['data.xlsx', '下载数据表（Excel）'],
    ['报送情况.docx', '下载报送情况（Word）'],
  ];
  return h(
    'section',
    { 'aria-labelledby': 'report-h' },
    h('h2', { id: 'report-h' }, '报告'),
    canAct()
      ? h(
          'button',
          {
            type: 'button',
            id: 'aggregate',
            onclick: async () => {
              replace(result, notice('info', '正在生成报告 …'));
              try {
                await call('/api/office/aggregate', { method: 'POST', body: { year } });
                replace(result, notice('ok', '报告已生成，可以下载。'));
              } catch (err) {
                if (err instanceof SessionExpired) return;
                replace(result, notice('error', (err as Error).message));
              }
            },
          },
          '立即生成报告',
        )
      : null,
    h('p', {}, '下载最近一次生成的报告：'),
    h(
      'div',
      { class: 'actions' },
      files.map(([f, label]) => h('button', { type: 'button', 'data-file': f, onclick: () => void download(`/api/office/reports/${year}/${encodeURIComponent(f)}`).catch((e: Error) => replace(result, notice('error', e.message))) }, label)),
    ),
    result,
  );
}

function linksSection(): HTMLElement {
  const list = h('div', { id: 'links' });
  const shown = h('div', { id: 'new-link', 'aria-live': 'polite' });
  const unit = h('select', { id: 'link-unit' }, status.units.map((u) => h('option', { value: u.unitId }, u.unitName)));
  const days = h('input', { id: 'link-days', type: 'number', min: '1', max: '400', value: '120' });
  const load = async () => {
    const { links } = await call<{ links: Link[] }>('/api/office/links');
    replace(
      list,
      h('div', { class: 'scroll' }, table(
        ['单位', '创建时间', '创建人', '有效期至', '状态', '操作'],
        links.map((l) => [
          l.unitName,
          l.createdAt,
          l.createdBy,
          l.validUntil,
          l.state,
          canAct() && (l.state === '有效' || l.state.startsWith('已打开'))
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  'data-token': l.tokenId,
                  // Short on screen (the table scrolls on a phone); a screen reader hears whose link it is.
                  'aria-label': `撤销${l.unitName}的链接`,
                  onclick: () => void act('撤销链接', () => call(`/api/office/links/${l.tokenId}`, { method: 'DELETE' }), `确定撤销${l.unitName}的报送链接吗？撤销后该链接立即失效，需要重新创建链接发给该单位。`),
                },
                '撤销',
              )
            : '',
        ]),
        '已发放的链接',
      )),
    );
  };
  void load().catch((err: Error) => err instanceof SessionExpired || replace(list, notice('error', err.message)));
  return h(
    'section',
    { 'aria-labelledby': 'links-h' },
    h('h2', { id: 'links-h' }, '单位报送链接'),
    canAct()
      ? h(
          'div',
          { class: 'actions' },
          h('label', { for: 'link-unit' }, '单位'),
          unit,
          h('label', { for: 'link-days' }, '有效天数'),
          days,
          h(
            'button',
            {
              type: 'button',
              id: 'link-create',
              onclick: async () => {
                try {
                  const made = await call<{ token: string; unitName: string; validUntil: string }>('/api/office/links', { method: 'POST', body: { unitId: unit.value, days: Number(days.value) } });
                  const url = `${location.origin}${location.pathname.replace(/[^/]*$/, '')}clerk.html#t=${made.token}`;
                  replace(shown, notice('ok', `${made.unitName}的报送链接（有效期至${made.validUntil}，只显示这一次，请复制后发给该单位）：`), h('input', { id: 'link-url', readonly: true, value: url, 'aria-label': '报送链接' }));
                  await load();
                } catch (err) {
                  if (err instanceof SessionExpired) return;
                  replace(shown, notice('error', (err as Error).message));
                }
              },
            },
            '创建链接',
          ),
        )
      : null,
    shown,
    list,
  );
}

void start();

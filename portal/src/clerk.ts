import { api, ApiError, downloadFile, figuresTable, h, notice, replace, STATE_CLASS, table } from './common';
import { pollDelay } from './poll';
// The API's answers, typed once for the server and this page.
import type { ClerkOutcome, ClerkOverview, ClerkSession, ClerkUploadGrant, ReplacementView } from '../../shared/core/portal/views';

/**
 * The clerk's page: opened from the unit link (`clerk.html#t=yrt_…`). The
 * link leaves the address bar at once and is spent on a session of a few
 * hours (POST /api/clerk/session): the browser's History keeps the address
 * it was opened with, and on a shared county PC that copy must open nothing.
 * The session lives in sessionStorage; every call sends it as a Bearer
 * header. The file goes straight to S3 with the presigned POST; the page then
 * polls for ingest's outcome.
 */
const SESSION_KEY = 'yearly-report.unit-token';
let token: string | null = null;
const main = document.getElementById('main')!;
// The page itself says it is loading: the HTML holds only the <noscript> message, for a browser with scripts off.
replace(main, h('p', {}, '正在加载 …'));
const OUTCOME_WAIT_MS = 90_000;
/**
 * Where the progress and result of an upload show: one element for the page's
 * life, which every redraw puts back in place, so a later upload's messages
 * (and refusals) land where the clerk is looking, not in a detached copy.
 */
const outcome = h('section', { id: 'outcome', 'aria-live': 'polite', 'aria-label': '上传结果' });

/** The session: a link in the fragment is spent on a new one; else the tab's own from before a reload. */
async function openSession(): Promise<string | null> {
  const link = new URLSearchParams(location.hash.slice(1)).get('t');
  if (!link) return sessionStorage.getItem(SESSION_KEY);
  history.replaceState(null, '', location.pathname + location.search);
  const previous = sessionStorage.getItem(SESSION_KEY);
  try {
    const { session } = await api<ClerkSession>(link, '/api/clerk/session', { method: 'POST' });
    sessionStorage.setItem(SESSION_KEY, session);
    return session;
  } catch (err) {
    // The same link opened again in the tab that spent it (clicked twice in a chat): the tab's session goes on.
    if (previous && err instanceof ApiError && err.code === 'token_used') return previous;
    throw err;
  }
}

async function start(): Promise<void> {
  try {
    token = await openSession();
    if (!token) {
      replace(main, notice('error', '请使用县司法局发给本单位的报送链接打开本页。'));
      return;
    }
    render(await api<ClerkOverview>(token, '/api/clerk/me'));
  } catch (err) {
    replace(main, notice('error', h('span', { id: 'session-refused' }, (err as Error).message)));
  }
}

function render(me: ClerkOverview): void {
  document.title = `${me.unit.name} · ${me.year}年度报送`;
  const days = me.daysLeft > 0 ? `还有 ${me.daysLeft} 天` : me.daysLeft === 0 ? '今天截止' : `已逾期 ${-me.daysLeft} 天`;
  replace(
    main,
    h('header', { class: 'unit' }, h('h1', {}, me.unit.name), h('p', {}, `${me.county} · ${me.year}年度法治政府建设情况报送`)),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, '报送截止'),
      h('dd', {}, `${me.deadline}（${days}）`),
      h('dt', {}, '当前状态'),
      h('dd', {}, h('span', { class: `badge ${STATE_CLASS[me.state] ?? ''}`, id: 'state' }, me.stateLabel)),
      me.current ? [h('dt', {}, '当前报送'), h('dd', {}, `${me.current.fileName}，${me.current.receivedAt}收到，${me.current.rows} 行`)] : null,
      h('dt', {}, me.opened ? '本次打开有效至' : '链接有效期至'),
      h('dd', { id: 'valid-until' }, me.linkValidUntil),
    ),
    me.opened ? h('p', { class: 'hint', id: 'once-hint' }, '为安全起见，报送链接只能打开一次。请在本页完成上传；关闭本页后如需再次上传，请联系县司法局重新发送链接。') : null,
    me.returnComment
      ? notice('error', h('strong', {}, '县司法局退回修改意见：'), h('span', { id: 'return-comment' }, me.returnComment.comment), h('br'), h('small', {}, `${me.returnComment.by}，${me.returnComment.at}`))
      : null,
    me.lockMessage ? notice('error', h('span', { id: 'lock-message' }, me.lockMessage)) : null,
    h(
      'section',
      { 'aria-labelledby': 'step1' },
      h('h2', { id: 'step1' }, '第一步：下载本单位的 Excel 模板'),
      h('p', {}, '模板只包含本单位需要填报的指标和台账。请在黄色单元格中填写。'),
      h('button', { type: 'button', id: 'template', onclick: () => void downloadFile(token!, '/api/clerk/template').catch(showError) }, '下载模板'),
    ),
    h('section', { 'aria-labelledby': 'step2' }, h('h2', { id: 'step2' }, '第二步：上传填好的文件'), uploader(outcome, me.lockMessage !== undefined)),
    outcome,
    h(
      'section',
      { 'aria-labelledby': 'history' },
      h('h2', { id: 'history' }, '上传记录'),
      me.history.length ? table(['文件', '时间', '结果'], me.history.map((r) => [r.fileName, r.at, h('span', { class: 'nowrap' }, r.outcome)])) : h('p', {}, '尚无上传记录。'),
    ),
  );
}

function uploader(outcome: HTMLElement, locked: boolean): HTMLElement {
  const input = h('input', { type: 'file', id: 'file', accept: '.xlsx,.csv,.json', disabled: locked });
  const progress = h('progress', { id: 'progress', max: '100', value: '0', 'aria-label': '上传进度', hidden: true });
  if (locked) {
    // The lock and whom to ask are said once, above; here only that nothing can be chosen.
    return h('div', { class: 'dropzone disabled', id: 'dropzone', 'aria-disabled': 'true' }, h('p', {}, '本年度已锁定，暂停上传。'), input);
  }
  const zone = h(
    'div',
    { class: 'dropzone', id: 'dropzone' },
    h('p', {}, '把文件拖到这里，或者'),
    h('label', { for: 'file', class: 'button' }, '选择文件'),
    input,
    h('p', { class: 'hint' }, '支持 .xlsx、.csv、.json；上传后几秒钟内显示检查结果。'),
    progress,
  );
  const pick = (file: File | undefined) => {
    if (file) void upload(file, progress, outcome);
    // Choosing the same file again (after fixing it) must fire `change` again.
    input.value = '';
  };
  input.addEventListener('change', () => pick(input.files?.[0]));
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    pick(e.dataTransfer?.files[0]);
  });
  return zone;
}

/** A refusal names the file it refuses: the clerk may have chosen several in a row. */
const refused = (fileName: string, message: string) => notice('error', h('strong', {}, `未能上传：${fileName}`), h('br'), h('span', { id: 'upload-refused' }, message));

async function upload(file: File, progress: HTMLProgressElement, outcome: HTMLElement): Promise<void> {
  replace(outcome, notice('info', h('span', { id: 'upload-progress' }, `正在上传 ${file.name} …`)));
  let grant: ClerkUploadGrant;
  try {
    grant = await api<ClerkUploadGrant>(token!, '/api/clerk/uploads', { method: 'POST', body: { fileName: file.name } });
  } catch (err) {
    replace(outcome, refused(file.name, (err as Error).message));
    return;
  }
  if (file.size > grant.maxBytes) {
    replace(outcome, refused(file.name, `文件过大（${Math.ceil(file.size / 1024)} KB），上限为 ${Math.floor(grant.maxBytes / 1024 / 1024)} MB`));
    return;
  }
  progress.hidden = false;
  progress.value = 0;
  let stored: { eTag?: string; versionId?: string };
  try {
    stored = await postToS3(grant, file, (share) => (progress.value = Math.round(share * 100)));
  } catch (err) {
    progress.hidden = true;
    replace(outcome, refused(file.name, `上传失败：${(err as Error).message}，请重试`));
    return;
  }
  progress.value = 100;
  replace(outcome, notice('info', h('span', { id: 'upload-progress' }, `已上传 ${file.name}，正在检查文件 …`)));
  const query = new URLSearchParams({ key: grant.key, ...(stored.versionId ? { versionId: stored.versionId } : {}), ...(stored.eTag ? { eTag: stored.eTag } : {}) });
  const until = Date.now() + OUTCOME_WAIT_MS;
  let result: ClerkOutcome = { state: 'pending' };
  try {
    for (let attempt = 0; result.state === 'pending' && Date.now() < until; attempt++) {
      await new Promise((r) => setTimeout(r, pollDelay(attempt)));
      result = await api<ClerkOutcome>(token!, `/api/clerk/outcome?${query}`);
    }
  } catch (err) {
    replace(outcome, refused(file.name, `文件已上传，但暂时查不到检查结果（${(err as Error).message}）。请稍后刷新本页查看。`));
    return;
  } finally {
    progress.hidden = true;
  }
  showOutcome(result, file.name, outcome);
  // Redraw status and history; render() puts this same outcome element back in place.
  render(await api<ClerkOverview>(token!, '/api/clerk/me'));
}

/** A browser form POST to S3 with progress (XMLHttpRequest: fetch reports no upload progress). */
function postToS3(grant: ClerkUploadGrant, file: File, onProgress: (share: number) => void): Promise<{ eTag?: string; versionId?: string }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
  form.append('file', file);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', grant.url);
    xhr.upload.addEventListener('progress', (e) => e.lengthComputable && onProgress(e.loaded / e.total));
    xhr.addEventListener('load', () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve({ eTag: xhr.getResponseHeader('etag')?.replaceAll('"', '') ?? undefined, versionId: xhr.getResponseHeader('x-amz-version-id') ?? undefined })
        : reject(new Error(`存储服务拒绝（${xhr.status}）`)),
    );
    xhr.addEventListener('error', () => reject(new Error('网络错误')));
    xhr.send(form);
  });
}

function showOutcome(result: ClerkOutcome, fileName: string, outcome: HTMLElement): void {
  switch (result.state) {
    case 'pending':
      replace(outcome, notice('info', '文件已收到，检查仍在进行中。请稍后刷新本页查看结果。'));
      return;
    case 'superseded':
      replace(outcome, notice('info', '本单位已有更新的报送版本，本文件未替换当前报送。'));
      return;
    case 'accepted':
      replace(
        outcome,
        notice('ok', h('strong', { id: 'accepted' }, `已接收：${fileName}`), `，共 ${result.rows} 行。请核对下面读到的数字。`),
        result.replacement ? replacementNotice(result.replacement) : null,
        figuresTable(result.figures, '读到的指标'),
        result.ledgers.length ? table(['台账', '行数'], result.ledgers.map((l) => [l.name, l.rows]), '读到的台账') : null,
        result.warnings.length ? [h('h3', {}, `提醒（不影响接收，共 ${result.warnings.length} 条）`), h('ul', { class: 'warnings' }, result.warnings.map((w) => h('li', {}, w)))] : null,
      );
      return;
    case 'rejected': {
      const errors = result.problems.filter((p) => p.severity === 'error');
      replace(
        outcome,
        notice('error', h('strong', { id: 'rejected' }, `未通过：${fileName}`), `，发现 ${result.problemCount} 处错误。请改正后重新上传。`),
        // A spreadsheet's problems are placed by sheet and cell; a JSON or CSV file has no sheet, so one column says where (an indicator by name).
        errors.some((p) => p.sheet)
          ? table(['工作表', '单元格', '问题', '填写内容'], errors.map((p) => [p.sheet ?? '', p.cell ?? p.where, p.message, p.value ?? '']), '错误清单')
          : table(['位置', '问题', '填写内容'], errors.map((p) => [p.where, p.message, p.value ?? '']), '错误清单'),
        result.errorReportKey
          ? h(
              'button',
              { type: 'button', id: 'error-report', onclick: () => void downloadFile(token!, `/api/clerk/error-report?key=${encodeURIComponent(result.errorReportKey!)}`).catch(showError) },
              '下载错误报告',
            )
          : null,
      );
    }
  }
}

/**
 * A later file replaces the unit's whole submission: what the new file no longer holds is out of the report, so the
 * clerk sees it by name (in red when anything was dropped) before reading the figures.
 */
function replacementNotice(r: ReplacementView): HTMLElement {
  const group = (title: string, items: readonly string[]) => (items.length ? [h('h4', {}, `${title}（${items.length}项）`), h('ul', {}, items.map((x) => h('li', {}, x)))] : []);
  return h(
    'section',
    { id: 'replacement', class: r.dropped.length ? 'dropped' : 'changed', 'aria-label': '与此前报送相比' },
    notice(
      r.dropped.length ? 'error' : 'info',
      `本文件替换了此前报送的“${r.replaced}”，报告只采用本文件的内容。`,
      r.dropped.length ? `下列${r.dropped.length}项本文件没有，已不计入报告；如需保留，请把它们补进本文件后重新上传。` : '',
    ),
    ...group('不再包含', r.dropped),
    ...group('改动', r.changed),
    ...group('新增', r.added),
  );
}

function showError(err: unknown): void {
  const target = document.getElementById('outcome') ?? main;
  replace(target, notice('error', err instanceof ApiError || err instanceof Error ? err.message : String(err)));
}

void start();

/**
 * What both pages share: the bearer credential (kept in sessionStorage, never
 * a cookie), JSON calls to the API, element building without innerHTML (no
 * markup from data, so nothing a unit typed can run as script), downloads.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Takes `#<name>=…` from the address into sessionStorage and removes it from the address bar and history. */
export function credentialFromFragment(name: string, storageKey: string): string | null {
  const params = new URLSearchParams(location.hash.slice(1));
  const fromHash = params.get(name);
  if (fromHash) {
    sessionStorage.setItem(storageKey, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(storageKey);
}

export async function api<T>(credential: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${credential}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    credentials: 'omit',
  }).catch(() => {
    // The browser's own words ("Failed to fetch") tell a clerk nothing.
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试');
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
    throw new ApiError(response.status, body.error ?? 'error', body.message ?? `请求失败（${response.status}）`);
  }
  return (await response.json()) as T;
}

/** Fetches a file with the credential and hands it to the browser as a download. */
export async function downloadFile(credential: string, path: string): Promise<void> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${credential}` }, credentials: 'omit' });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new ApiError(response.status, 'download', body.message ?? `下载失败（${response.status}）`);
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const match = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  const name = match ? decodeURIComponent(match[1]!) : (path.split('/').pop() ?? 'download');
  const url = URL.createObjectURL(await response.blob());
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

type Attrs = Record<string, string | boolean | undefined | ((event: Event) => void)>;
type Child = Node | string | number | null | undefined | false;

/** Builds an element; text children are text nodes, never parsed as markup. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) el.append(typeof child === 'number' ? String(child) : child);
  return el;
}

export function replace(target: Element, ...children: (Child | Child[])[]): void {
  target.replaceChildren(...children.flat().filter((c): c is Node | string => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)));
}

export function table(headers: string[], rows: Child[][], caption?: string): HTMLTableElement {
  return h(
    'table',
    {},
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c))))),
  );
}

/**
 * The figures as read. A spreadsheet's say where each was read (sheet and cell); a JSON file's place is the
 * indicator itself (指标“…”), which the first column already names, so that column is left out.
 */
export function figuresTable(figures: readonly { name: string; value: string; unit: string; where: string }[], caption: string): HTMLTableElement {
  const placed = figures.some((f) => f.where !== `指标“${f.name}”`);
  return placed
    ? table(['指标', '填报数', '单位', '位置'], figures.map((f) => [f.name, f.value, f.unit, f.where]), caption)
    : table(['指标', '填报数', '单位'], figures.map((f) => [f.name, f.value, f.unit]), caption);
}

export function notice(kind: 'ok' | 'error' | 'info', ...children: Child[]): HTMLElement {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

export const STATE_CLASS: Record<string, string> = { missing: 'missing', accepted: 'accepted', rejected: 'rejected', returned: 'returned', locked: 'locked' };

import { session } from './api.js';
import { h } from './dom.js';
import { failure } from './nav.js';
import { coveragePage } from './pages/coverage.js';
import { loginPage } from './pages/login.js';
import { memberPage } from './pages/member.js';
import { operationsPage } from './pages/operations.js';
import { organizationPage } from './pages/organization.js';
import { reportsPage } from './pages/reports.js';
import { treePage } from './pages/tree.js';

/** A page renders into `main`; what it returns is called when the page is left (timers, streams). */
export type Page = (root: HTMLElement, path: string[], parameters: URLSearchParams) => Promise<(() => void) | void>;

const PAGES: Record<string, { page: Page; zh: string; en: string; admin?: boolean; hidden?: boolean }> = {
  tree: { page: treePage, zh: '组织树', en: 'Tree' },
  org: { page: organizationPage, zh: '组织', en: 'Organisation', hidden: true },
  member: { page: memberPage, zh: '党员时间线', en: 'Member timeline' },
  coverage: { page: coveragePage, zh: '两个覆盖', en: 'Coverage' },
  reports: { page: reportsPage, zh: '报表', en: 'Reports' },
  ops: { page: operationsPage, zh: '运维', en: 'Operations', admin: true },
  login: { page: loginPage, zh: '登录', en: 'Log in', hidden: true },
};

let leave: (() => void) | void;

function takeTokenFromFragment(): boolean {
  // `npm run cli -- console` opens …/console/#token=…: keep it in this tab, then drop it from the address.
  const match = /^#token=([\w.-]+)$/.exec(location.hash);
  if (!match?.[1]) return false;
  session.save(match[1]);
  history.replaceState(null, '', `${location.pathname}#/tree`);
  return true;
}

function renderNav(current: string): void {
  const claims = session.claims();
  const isAdmin = claims.roles?.includes('admin') ?? false;
  const nav = document.getElementById('nav');
  nav?.replaceChildren(
    ...Object.entries(PAGES)
      .filter(([, entry]) => !entry.hidden && (!entry.admin || isAdmin))
      .map(([name, entry]) =>
        h(
          'a',
          { href: `#/${name}`, className: name === current ? 'active' : '', 'data-nav': name },
          entry.zh,
          ' ',
          h('small', {}, entry.en),
        ),
      ),
  );
  const who = document.getElementById('who');
  who?.replaceChildren(
    ...(claims.sub
      ? [
          `${claims.sub} · ${(claims.roles ?? []).join(', ')}${claims.scope ? ` · scope ${claims.scope.slice(0, 8)}` : ''} `,
          h('button', { type: 'button', onclick: logout, 'data-action': 'logout' }, '退出 Log out'),
        ]
      : []),
  );
}

function logout(): void {
  session.clear();
  location.hash = '#/login';
}

async function route(): Promise<void> {
  takeTokenFromFragment();
  const [pathPart = '', search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [name = 'tree', ...rest] = pathPart.split('/').filter(Boolean);
  const target = !session.token() ? 'login' : PAGES[name] ? name : 'tree';
  renderNav(target);
  leave?.();
  leave = undefined;
  const root = document.getElementById('page');
  if (!root) return;
  // Each visit renders into a view of its own: a slow page left meanwhile fills a detached view.
  const view = h('div', { 'data-page': target }, h('p', { className: 'muted' }, '加载中… Loading…'));
  root.replaceChildren(view);
  const entry = PAGES[target];
  if (!entry) return;
  try {
    const left = await entry.page(view, rest.map(decodeURIComponent), new URLSearchParams(search));
    if (view.isConnected) leave = left;
    else left?.();
  } catch (error) {
    view.replaceChildren(failure(error));
  }
}

window.addEventListener('hashchange', () => void route());
void route();

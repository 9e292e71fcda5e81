import { api, query } from '../api.js';
import { h, today } from '../dom.js';
import { go, guarded } from '../nav.js';

interface Counts {
  readonly members: number;
  readonly full: number;
  readonly probationary: number;
  readonly flowingIn: number;
  readonly flowingOut: number;
}
export interface TreeNode {
  readonly id: string;
  readonly name: string;
  readonly level: string;
  readonly form: string;
  readonly counts: Counts;
  readonly children: readonly TreeNode[];
}

export const LEVELS: Record<string, string> = { committee: '党委', 'general-branch': '党总支', branch: '党支部' };
export const FORMS: Record<string, string> = {
  single: '单独组建',
  joint: '联合组建',
  building: '楼宇',
  regional: '区域',
  industry: '行业',
  flowing: '流动党员',
};

export function countsText(counts: Counts): string {
  return `党员 ${counts.members}（正式 ${counts.full} · 预备 ${counts.probationary}）· 流入 ${counts.flowingIn} · 流出 ${counts.flowingOut}`;
}

/** 组织树 Tree: the hierarchy as of a date, subtree counts, expand and collapse, search by name. */
export async function treePage(root: HTMLElement, _path: string[], parameters: URLSearchParams): Promise<void> {
  const asOf = parameters.get('asOf') ?? today();
  const date = h('input', { type: 'date', name: 'asOf', value: asOf, required: true });
  const search = h('input', {
    type: 'search',
    name: 'search',
    placeholder: '名称 name',
    value: parameters.get('q') ?? '',
  });
  const list = h('ul', { className: 'tree', 'data-tree': '' });
  const status = h('p', { className: 'muted', 'data-status': '' });
  root.replaceChildren(
    h('h1', {}, '组织树 ', h('small', { className: 'muted' }, 'Organisation tree as of a date')),
    h(
      'form',
      {
        className: 'controls',
        onsubmit: (event: Event) => {
          event.preventDefault();
          go(`#/tree${query({ asOf: date.value, q: search.value })}`);
        },
      },
      h('label', {}, '日期 As of', date),
      h('label', {}, '搜索 Search', search),
      h('button', { type: 'submit', className: 'primary' }, '查询 Show'),
      h('button', { type: 'button', onclick: () => setAll(list, false) }, '全部展开 Expand all'),
      h('button', { type: 'button', onclick: () => setAll(list, true) }, '全部收起 Collapse all'),
    ),
    status,
    h('div', { className: 'card' }, list),
  );
  await guarded(list, async () => {
    const { roots } = await api<{ roots: string[] }>(`/v1/organizations${query({ asOf })}`);
    const trees = await Promise.all(roots.map((id) => api<TreeNode>(`/v1/organizations/${id}/tree${query({ asOf })}`)));
    const needle = search.value.trim();
    let hits = 0;
    const render = (node: TreeNode, depth: number): HTMLElement | null => {
      const children = node.children
        .map((child) => render(child, depth + 1))
        .filter((x): x is HTMLElement => x !== null);
      const hit = needle !== '' && node.name.includes(needle);
      if (hit) hits++;
      if (needle !== '' && !hit && children.length === 0) return null;
      // Opened two levels deep; a search opens the way to every match.
      const collapsedAtFirst = needle === '' && depth >= 1 && node.children.length > 0;
      const item = h(
        'li',
        { 'data-org-id': node.id, className: collapsedAtFirst ? 'collapsed' : '' },
        h(
          'div',
          { className: hit ? 'node hit' : 'node' },
          h(
            'button',
            {
              type: 'button',
              className: 'toggle',
              'aria-label': '展开/收起 expand or collapse',
              disabled: node.children.length === 0,
              onclick: (event: Event) => {
                const button = event.currentTarget as HTMLElement;
                const collapsed = button.closest('li')?.classList.toggle('collapsed') ?? false;
                button.textContent = collapsed ? '▸' : '▾';
              },
            },
            node.children.length === 0 ? '·' : collapsedAtFirst ? '▸' : '▾',
          ),
          h('a', { href: `#/org/${node.id}${query({ asOf })}` }, node.name),
          h('span', { className: 'badge' }, LEVELS[node.level] ?? node.level),
          h('span', { className: 'badge' }, FORMS[node.form] ?? node.form),
          h('span', { className: 'counts', 'data-members': node.counts.members }, countsText(node.counts)),
        ),
        children.length > 0 ? h('ul', {}, ...children) : null,
      );
      return item;
    };
    const items = trees.map((tree) => render(tree, 0)).filter((x): x is HTMLElement => x !== null);
    list.replaceChildren(...items);
    const total = trees.reduce((sum, tree) => sum + tree.counts.members, 0);
    status.textContent =
      `${asOf}：${trees.length} 个顶层组织，党员共 ${total} 名` +
      (needle ? `；“${needle}” 匹配 ${hits} 个组织 (${hits} matches)` : '') +
      ` — ${trees.length} top-level organisation(s), ${total} members`;
    if (items.length === 0)
      list.replaceChildren(h('li', { className: 'muted' }, '没有组织 No organisation on this date'));
  });
}

function setAll(list: HTMLElement, collapsed: boolean): void {
  for (const item of list.querySelectorAll('li'))
    if (item.querySelector('ul')) item.classList.toggle('collapsed', collapsed);
}

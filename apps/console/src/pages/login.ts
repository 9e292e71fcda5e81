import { session } from '../api.js';
import { h } from '../dom.js';
import { go } from '../nav.js';

export function loginPage(root: HTMLElement): Promise<void> {
  const token = h('textarea', { id: 'token', name: 'token', autocomplete: 'off', spellcheck: 'false', required: true });
  const form = h(
    'form',
    {
      className: 'card login',
      onsubmit: (event: Event) => {
        event.preventDefault();
        if (token.value.trim().split('.').length !== 3) {
          error.textContent = '这不是 JWT（三段，以点分隔） — not a JWT (three dot-separated parts)';
          return;
        }
        session.save(token.value);
        go('#/tree');
      },
    },
    h('h1', {}, '登录 ', h('small', { className: 'muted' }, 'Log in')),
    h(
      'p',
      { className: 'muted' },
      '粘贴访问令牌（Bearer token），或运行 ',
      h('code', {}, 'npm run cli -- console'),
      ' 打开已登录的控制台。Paste a bearer token, or open the link `npm run cli -- console` prints.',
    ),
    h('label', { for: 'token' }, '令牌 Token', token),
    h('p', {}, h('button', { type: 'submit', className: 'primary' }, '登录 Log in')),
  );
  const error = h('p', { className: 'error', role: 'alert', hidden: true });
  const observer = new MutationObserver(() => (error.hidden = !error.textContent));
  observer.observe(error, { childList: true, characterData: true, subtree: true });
  form.appendChild(error);
  root.replaceChildren(form);
  return Promise.resolve();
}
